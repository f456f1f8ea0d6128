import type { Taint } from '../../model/kubernetes';

/**
 * The taint Karpenter puts on the nodes of a disruption command before it launches their replacements, so no new pod
 * lands on a node about to go (kubernetes-sigs/karpenter pkg/apis/v1/taints.go DisruptedNoScheduleTaint; applied by
 * pkg/controllers/disruption/queue.go markDisrupted through state.RequireNoScheduleTaint).
 */
export const DISRUPTED_TAINT: Readonly<Taint> = Object.freeze({ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' });

/**
 * How long the orchestration queue waits for a command's replacements to initialize before it gives the command up
 * (kubernetes-sigs/karpenter pkg/controllers/disruption/queue.go GetMaxRetryDuration: 80ms per queued command,
 * clamped to [minRetryDuration 10m, maxRetryDuration 1h]; 10 minutes until 7,500 commands are queued).
 */
export const COMMAND_TIMEOUT_SECONDS = 600;

export type CommandReason = 'consolidation' | 'drift';

/** A disruption command in the orchestration queue: tainted candidates waiting for their replacements. */
export interface DisruptionCommand {
  readonly reason: CommandReason;
  /** The nodes the command removes (tainted karpenter.sh/disrupted:NoSchedule while it waits). */
  readonly candidates: readonly string[];
  /** The replacement NodeClaims launched for it (none for a plain deletion). */
  readonly replacements: readonly string[];
  /** Simulated time the command started (the queue's CreationTimestamp). */
  readonly startedAt: number;
}

/** What the queue does with a command at one reconcile (queue.go Reconcile and waitOrTerminate). */
export type CommandOutcome =
  | { readonly kind: 'wait' }
  /** Every replacement is initialized: the candidates are deleted. */
  | { readonly kind: 'succeeded' }
  /** A replacement is gone, or the command timed out: the candidates are un-tainted and stay. */
  | { readonly kind: 'failed'; readonly message: string };

/** Each replacement's state as the queue reads it: its NodeClaim is gone, still launching, or initialized. */
export type ReplacementState = 'gone' | 'launching' | 'ready';

/**
 * queue.go waitOrTerminate for one command at `now`: a replacement NodeClaim that no longer exists (an ICE, or a node
 * that never registered) fails the command at once (UnrecoverableError "replacement was deleted"); all of them
 * initialized lets the candidates go; otherwise the command waits, and fails once it is older than the retry
 * duration ("command reached timeout").
 */
export function commandOutcome(command: DisruptionCommand, now: number, stateOf: (replacement: string) => ReplacementState): CommandOutcome {
  let waiting: string | undefined;
  for (const name of command.replacements) {
    const state = stateOf(name);
    if (state === 'gone') return { kind: 'failed', message: `replacement ${name} was deleted before it initialized` };
    if (state === 'launching') waiting ??= name;
  }
  if (waiting === undefined) return { kind: 'succeeded' };
  if (now - command.startedAt > COMMAND_TIMEOUT_SECONDS) {
    return { kind: 'failed', message: `command reached timeout: replacement ${waiting} not initialized after ${Math.round(now - command.startedAt)}s` };
  }
  return { kind: 'wait' };
}

/** The node's taints with the disrupted taint added (`present`) or removed; the same array when nothing changes. */
export function withDisruptedTaint(taints: readonly Taint[] | undefined, present: boolean): readonly Taint[] {
  const current = taints ?? [];
  const has = current.some((t) => t.key === DISRUPTED_TAINT.key && t.effect === DISRUPTED_TAINT.effect);
  if (has === present) return current;
  // RequireNoScheduleTaint drops any taint with the key (another value or effect) before adding its own.
  const others = current.filter((t) => t.key !== DISRUPTED_TAINT.key);
  return present ? [...others, { ...DISRUPTED_TAINT }] : others;
}

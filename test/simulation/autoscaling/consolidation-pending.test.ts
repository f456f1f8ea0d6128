import { COMMAND_TIMEOUT_SECONDS, commandOutcome, DISRUPTED_TAINT, withDisruptedTaint, type DisruptionCommand } from '../../../simulation/autoscaling/karpenter/orchestration';
import type { SimNode } from '../../../simulation/autoscaling/types';
import type { SimEvent } from '../../../simulation/model/result';
import { clusterModel, deployment, karpenterHarness, nodePool } from './fixtures';

// kubernetes-sigs/karpenter pkg/controllers/disruption: helpers.go SimulateScheduling (pending pods are scheduled with
// the candidates' pods), queue.go (the karpenter.sh/disrupted:NoSchedule taint while a command waits for its
// replacements, removed when the command fails), on a hand-built cluster: nodes and pods are placed directly, then the
// kube-scheduler and Karpenter run one step at a time.

const [ZONE_A, ZONE_B] = ['us-east-1a', 'us-east-1b'];
const onDemand = { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] };
const types = (...names: string[]) => ({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: names });
const TOLERATES_DISRUPTED = { tolerations: [{ key: DISRUPTED_TAINT.key, operator: 'Exists' }] };

type Source = Parameters<typeof clusterModel>[0][number];

function harness(objects: Source[], launchDelaySeconds = 60) {
  const h = karpenterHarness(objects, launchDelaySeconds);
  const { state } = h;
  return {
    state, events: h.events, view: h.view,
    node: (pool: string, instanceType: string, zone: string): SimNode => h.node(pool, instanceType, zone),
    pod: h.pod,
    /** One step at `t`: nodes become Ready, the kube-scheduler binds what it can, `between` runs, then Karpenter reconciles. */
    at: (t: number, between?: () => void) => h.step(t, { schedule: true, between }),
    tainted: (node: SimNode) => (state.nodes.get(node.name)?.node.spec.taints ?? []).some((t) => t.key === DISRUPTED_TAINT.key && t.effect === 'NoSchedule'),
    exists: (node: SimNode) => state.nodes.has(node.name),
  };
}

const commands = (events: readonly Omit<SimEvent, 't'>[]) => events.filter((e) => e.type === 'consolidate' || e.type === 'replace');
const launches = (events: readonly Omit<SimEvent, 't'>[]) => events.filter((e) => e.type === 'launch');

describe('helpers.go SimulateScheduling: pending pods take room in the consolidation simulation', () => {
  // B: an m5.xlarge (3920m allocatable) with a 3-CPU pod and the fixture's DaemonSet pods (125m), 795m free. C: a
  // c5.large (the cheapest type the pool allows) with a 700m pod. X: a node drained in this very step, whose 700m pod
  // is pending and fits B's or C's free room. Removing C, its pod would fit B, but only if the pending pod did not
  // need that room.
  const build = (withPending: boolean) => {
    const h = harness([
      nodePool('general', [onDemand, types('m5.xlarge', 'c5.large')]),
      deployment('fill', 0, '3', '1Gi'), deployment('mover', 0, '700m', '512Mi'), deployment('waiting', 0, '700m', '512Mi'),
    ]);
    const b = h.node('general', 'm5.xlarge', ZONE_A);
    const c = h.node('general', 'c5.large', ZONE_A);
    h.pod('fill', b);
    h.pod('mover', c);
    const x = withPending ? h.node('general', 'c5.large', ZONE_B) : undefined;
    if (x) h.pod('waiting', x);
    return { h, b, c, x };
  };

  it('control: without the pending pod, C is deleted (its pod fits on B)', () => {
    const { h, c } = build(false);
    // Computed at t = 60, run after the 15 s validation period (validation.go).
    h.at(60);
    const events = commands(h.at(75));
    expect(events.map((e) => [e.type, e.object])).toEqual([['consolidate', `Node ${c.name}`]]);
    expect(h.exists(c)).toBe(false);
  });

  it('regression (churn): a pending pod that needs the room a deletion would take blocks it; nothing is launched', () => {
    const { h, c, x } = build(true);
    // X is drained in this step: its pod is pending when Karpenter reconciles, before the kube-scheduler's next pass.
    const first = h.at(60, () => h.state.terminate((x as SimNode).name, 'drained', 60));
    expect(commands(first)).toEqual([]);
    expect(launches(first)).toEqual([]);
    expect(h.exists(c)).toBe(true);
    // The pending pod then lands on the room it needed, every pod runs, and no node is launched or removed.
    const later = [70, 80, 90, 100].flatMap((t) => h.at(t));
    expect(h.state.pendingPods()).toEqual([]);
    expect(launches(later)).toEqual([]);
    expect(commands(later)).toEqual([]);
  });

  it.each([
    // consolidation_test.go: a pod nothing can hold (a node selector no NodePool satisfies) does not block a deletion.
    ['consolidation_test.go: can delete nodes with a permanently pending pod'],
  ])('%s', () => {
    const h = harness([
      nodePool('general', [onDemand, types('m5.xlarge', 'c5.large')]),
      deployment('app', 0, '500m', '512Mi'), deployment('stuck', 0, '100m', '128Mi', { nodeSelector: { 'non-existent': 'node-label' } }),
    ]);
    const big = h.node('general', 'm5.xlarge', ZONE_A);
    const small = h.node('general', 'c5.large', ZONE_A);
    h.pod('app', big);
    h.pod('app', big);
    h.pod('app', small);
    const stuck = h.pod('stuck');
    h.at(60);
    const events = commands(h.at(75));
    expect(events.map((e) => e.object)).toEqual([`Node ${small.name}`]);
    expect(events[0].message).toContain('fit elsewhere');
    expect(stuck.phase).toBe('Pending');
    expect(stuck.nodeName).toBeUndefined();
  });
});

describe('queue.go: the karpenter.sh/disrupted:NoSchedule taint while a command runs', () => {
  // A 1-CPU pod on an m5.xlarge ($0.192/h): consolidation replaces the node with a c5.large ($0.085/h).
  const build = (launchDelaySeconds = 60) => {
    const h = harness([
      nodePool('general', [onDemand, types('m5.xlarge', 'c5.large')]),
      deployment('one', 0, '1', '1Gi'), deployment('newcomer', 0, '200m', '256Mi'), deployment('tolerant', 0, '200m', '256Mi', TOLERATES_DISRUPTED),
    ], launchDelaySeconds);
    const node = h.node('general', 'm5.xlarge', ZONE_A);
    h.pod('one', node);
    // Computed at t = 60, started at 75 after the 15 s validation period (validation.go).
    h.at(60);
    const started = h.at(75);
    expect(commands(started).map((e) => e.type)).toEqual(['replace']);
    const replacement = h.view.nodes().find((n) => n.name !== node.name) as SimNode;
    return { h, node, replacement };
  };

  it.each([
    ["queue_test.go: should keep nodes tainted when replacements haven't finished initialization"],
  ])('%s', () => {
    const { h, node, replacement } = build();
    expect(h.tainted(node)).toBe(true);
    h.at(85);
    expect(h.tainted(node)).toBe(true);
    expect(replacement.ready).toBe(false);
    expect(h.exists(node)).toBe(true);
  });

  it.each([
    ['consolidation_test.go: should not schedule an additional node when receiving pending pods while consolidating'],
  ])('%s', () => {
    const { h, node, replacement } = build();
    // A new pod while the replacement launches: TaintToleration keeps it off the tainted node, and the provisioner
    // counts it onto the launching replacement.
    const newcomer = h.pod('newcomer');
    const during = h.at(76);
    expect(newcomer.nodeName).toBeUndefined();
    expect(newcomer.lastMessage).toContain('untolerated taint');
    expect(launches(during)).toEqual([]);
    // The replacement is Ready: the newcomer lands there, the node is deleted, its pod moves over; one launch in all.
    const after = [136, 137, 145].flatMap((t) => h.at(t));
    expect(newcomer.nodeName).toBe(replacement.name);
    expect(h.exists(node)).toBe(false);
    expect(h.state.pendingPods()).toEqual([]);
    expect(launches(after)).toEqual([]);
  });

  it('a pod that tolerates karpenter.sh/disrupted can still land on the node', () => {
    const { h, node } = build();
    const tolerant = h.pod('tolerant');
    h.at(76);
    expect(tolerant.nodeName).toBe(node.name);
  });

  it.each([
    ['queue_test.go: should fully handle a command when replacements are initialized'],
  ])('%s', () => {
    const { h, node, replacement } = build();
    const events = h.at(136);
    expect(replacement.ready).toBe(true);
    expect(events.filter((e) => e.type === 'terminate')).toEqual([expect.objectContaining({ object: `Node ${node.name}`, message: 'consolidation: replaced by a cheaper node' })]);
  });

  it.each([
    ['queue_test.go: should untaint nodes when a command times out', 'timeout'],
    ['drift_test.go: should untaint nodes when drift replacement fails (here a consolidation replacement)', 'deleted'],
  ])('%s', (_name, how) => {
    // A launch slower than the queue's 10 minutes, or a replacement that goes away before it is Ready.
    const { h, node, replacement } = build(how === 'timeout' ? 900 : 60);
    // (80: before the next disruption pass, which may start a new command for the node.)
    const at = how === 'timeout' ? 75 + 11 * 60 : 80;
    if (how === 'timeout') {
      h.at(75 + COMMAND_TIMEOUT_SECONDS);
      expect(h.tainted(node)).toBe(true);
    }
    const events = h.at(at, how === 'deleted' ? () => h.state.terminate(replacement.name, 'launch failed', at) : undefined);
    expect(h.tainted(node)).toBe(false);
    expect(h.exists(node)).toBe(true);
    expect(events.find((e) => e.object === `Node ${node.name}`)?.message).toContain(how === 'timeout' ? 'command reached timeout' : 'was deleted');
    // Un-tainted, the node takes new pods again.
    const newcomer = h.pod('newcomer');
    h.at(at + 1);
    expect(newcomer.nodeName).toBe(node.name);
  });
});

describe('orchestration.ts commandOutcome (queue.go waitOrTerminate)', () => {
  const command: DisruptionCommand = { reason: 'consolidation', candidates: ['old'], replacements: ['r1', 'r2'], startedAt: 100 };
  it.each([
    ['every replacement initialized', { r1: 'ready', r2: 'ready' }, 200, 'succeeded'],
    ['one still launching, before the timeout', { r1: 'ready', r2: 'launching' }, 100 + COMMAND_TIMEOUT_SECONDS, 'wait'],
    ['one still launching, past the timeout (GetMaxRetryDuration: 10m)', { r1: 'ready', r2: 'launching' }, 101 + COMMAND_TIMEOUT_SECONDS, 'failed'],
    ['one gone ("replacement was deleted", unrecoverable at once)', { r1: 'gone', r2: 'launching' }, 110, 'failed'],
  ] as const)('%s', (_name, states, now, kind) => {
    expect(commandOutcome(command, now, (name) => states[name as 'r1' | 'r2']).kind).toBe(kind);
  });

  it('withDisruptedTaint adds the taint once, replaces another effect of its key, and removes it', () => {
    const other = { key: 'dedicated', value: 'x', effect: 'NoSchedule' as const };
    const added = withDisruptedTaint([other], true);
    expect(added).toEqual([other, DISRUPTED_TAINT]);
    expect(withDisruptedTaint(added, true)).toBe(added);
    expect(withDisruptedTaint([other, { key: DISRUPTED_TAINT.key, effect: 'NoExecute' }], true)).toEqual([other, DISRUPTED_TAINT]);
    expect(withDisruptedTaint(added, false)).toEqual([other]);
  });
});

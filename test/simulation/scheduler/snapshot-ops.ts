import fc from 'fast-check';
import type { ClusterSnapshot, NodeInfo } from '../../../simulation/scheduler';

// The snapshot changes every cache property test drives besides its own binds and checks: removals, nodes taken
// out and put back, and what-ifs (fork, then revert or commit). One interpreter, so each test covers all of them.

export type SnapshotOp =
  | { kind: 'remove'; index: number }
  | { kind: 'removeNode'; node: number }
  | { kind: 'addNode'; node: number }
  | { kind: 'fork' }
  | { kind: 'revert' }
  | { kind: 'commit' };

/** The weighted arbitraries of SnapshotOp, for a test's fc.oneof beside its own ops (nodes n0..n3). */
export const SNAPSHOT_OPS: { weight: number; arbitrary: fc.Arbitrary<SnapshotOp> }[] = [
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), index: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeNode' as const), node: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addNode' as const), node: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fork' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revert' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'commit' as const }) },
];

const KINDS = new Set(['remove', 'removeNode', 'addNode', 'fork', 'revert', 'commit']);

/** Applies the SnapshotOps of a test's run; `bound` lists the keys of the pods it bound, `nodes` are n0..n3. */
export class SnapshotDriver {
  /** What-ifs open now. */
  forks = 0;

  constructor(private readonly snapshot: ClusterSnapshot, private readonly nodes: readonly NodeInfo[]) {}

  /** Whether `op` is a SnapshotOp (applied, or skipped when it cannot apply: nothing bound, no fork open). */
  apply(op: { kind: string }, bound: readonly string[]): op is SnapshotOp {
    if (!KINDS.has(op.kind)) return false;
    const o = op as SnapshotOp;
    if (o.kind === 'remove' && bound.length > 0) this.snapshot.removePod(bound[o.index % bound.length]);
    else if (o.kind === 'removeNode') this.snapshot.removeNode(`n${o.node}`);
    else if (o.kind === 'addNode' && !this.snapshot.get(`n${o.node}`)) this.snapshot.addNode(this.nodes[o.node]);
    else if (o.kind === 'fork') { this.snapshot.fork(); this.forks += 1; }
    else if (o.kind === 'revert' && this.forks > 0) { this.snapshot.revert(); this.forks -= 1; }
    else if (o.kind === 'commit' && this.forks > 0) { this.snapshot.commit(); this.forks -= 1; }
    return true;
  }

  /** Reverts every what-if still open. */
  revertAll(): void {
    for (; this.forks > 0; this.forks -= 1) this.snapshot.revert();
  }
}

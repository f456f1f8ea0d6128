// The node table memoizes NodeResourcesFit (LeastAllocated) and NodeResourcesBalancedAllocation scores per row and
// pod request shape. A memo is a cache: after any sequence of binds, removals (also through a second snapshot
// sharing the nodes, and on nodes outside any snapshot), what-ifs, and nodes taken out and put back, the batch
// scores the framework uses (scoreAll, addWeightedScores over the table's rows) must equal the per-node score().
import fc from 'fast-check';
import type { Pod } from '../../../simulation/model/kubernetes';
import { ClusterSnapshot, NodeInfo, makeNodeResourcesBalancedAllocation, makeNodeResourcesFit, resolveFeatures, type CycleState } from '../../../simulation/scheduler';
import type { ScorePlugin } from '../../../simulation/scheduler/plugin';
import { podInfo } from '../../../simulation/scheduler/pod-info';
import { makeNode, makePod } from '../helpers';

const PLUGINS: [string, ScorePlugin][] = [
  ['NodeResourcesFit LeastAllocated', makeNodeResourcesFit('LeastAllocated')],
  ['NodeResourcesBalancedAllocation 1.36 (change of balance)', makeNodeResourcesBalancedAllocation({}, resolveFeatures({ kubernetesVersion: '1.36' }))],
  ['NodeResourcesBalancedAllocation 1.35', makeNodeResourcesBalancedAllocation({}, resolveFeatures({ kubernetesVersion: '1.35' }))],
];

// Request shapes: two share cpu but not memory (the memo keys on both), one requests nothing (non-zero defaults).
const SHAPES: Record<string, string>[] = [{ cpu: '100m', memory: '128Mi' }, { cpu: '100m', memory: '256Mi' }, { cpu: '700m', memory: '1Gi' }, {}];

function expectBatchEqualsPerNode(snapshot: ClusterSnapshot, probe: Pod): void {
  const table = snapshot.nodeTable();
  const nodes = snapshot.nodes;
  const rows = Int32Array.from(nodes.map((_, i) => table.order[i]));
  for (const [, plugin] of PLUGINS) {
    const perNode = nodes.map((node) => plugin.score(probe, node, { pod: probe, info: podInfo(probe), snapshot, data: new Map() }));
    const state: CycleState = { pod: probe, info: podInfo(probe), snapshot, data: new Map(), rows };
    const out = new Float64Array(nodes.length);
    plugin.scoreAll?.(probe, nodes, nodes.length, state, out);
    expect(Array.from(out)).toEqual(perNode);
    const totals = new Float64Array(nodes.length).fill(1);
    plugin.addWeightedScores?.(probe, nodes, nodes.length, state, totals, 3);
    expect(Array.from(totals)).toEqual(perNode.map((score) => 1 + 3 * score));
  }
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('bindA' as const), node: fc.nat(5), shape: fc.nat(SHAPES.length - 1) }),
  fc.record({ kind: fc.constant('bindB' as const), node: fc.nat(5), shape: fc.nat(SHAPES.length - 1) }),
  fc.record({ kind: fc.constant('unbind' as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant('loose' as const), node: fc.nat(5), shape: fc.nat(SHAPES.length - 1) }),
  fc.record({ kind: fc.constant('whatIf' as const), node: fc.nat(5), shape: fc.nat(SHAPES.length - 1) }),
  fc.record({ kind: fc.constant('probe' as const), shape: fc.nat(SHAPES.length - 1) }),
);

describe('per-row score memo of the node table', () => {
  it('gives the per-node scores after any sequence of changes (property)', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
      // Nodes of two sizes, and one without memory: BalancedAllocation's fallback path.
      const infos = Array.from({ length: 6 }, (_, i) => new NodeInfo(makeNode(`n${i}`, i === 5 ? { cpu: '4', pods: '10' } : { cpu: i % 2 ? '4' : '2', memory: i % 2 ? '8Gi' : '4Gi', pods: '10' })));
      const a = new ClusterSnapshot(infos);
      const b = new ClusterSnapshot(infos.slice(0, 4));
      const bound: { key: string; snapshot: ClusterSnapshot }[] = [];
      let serial = 0;
      const pod = (shape: number) => makePod(`p${(serial += 1)}`, SHAPES[shape]);
      for (const step of ops) {
        switch (step.kind) {
          case 'bindA':
          case 'bindB': {
            const snapshot = step.kind === 'bindA' ? a : b;
            const p = pod(step.shape);
            snapshot.addPod(p, snapshot.nodes[step.node % snapshot.nodes.length].name);
            bound.push({ key: `default/${p.metadata.name}`, snapshot });
            break;
          }
          case 'unbind':
            if (bound.length > 0) {
              const [gone] = bound.splice(step.pick % bound.length, 1);
              gone.snapshot.removePod(gone.key);
            }
            break;
          case 'loose':
            // A change to a NodeInfo made outside any snapshot.
            infos[step.node].addPod(pod(step.shape));
            break;
          case 'whatIf':
            a.whatIf(() => {
              a.removeNode(a.nodes[step.node % a.nodes.length].name);
              a.addPod(pod(step.shape), a.nodes[0].name);
              expectBatchEqualsPerNode(a, pod(step.shape));
            });
            break;
          case 'probe':
            expectBatchEqualsPerNode(a, pod(step.shape));
            expectBatchEqualsPerNode(b, pod(step.shape));
            break;
        }
      }
      for (let shape = 0; shape < SHAPES.length; shape += 1) {
        expectBatchEqualsPerNode(a, pod(shape));
        expectBatchEqualsPerNode(b, pod(shape));
      }
    }), { numRuns: 150 });
  });
});

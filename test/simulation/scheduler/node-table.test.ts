// The snapshot's node table (flat arrays the framework's Filter/Score loop reads) must always say what the
// NodeInfos say: after binds and removals through the snapshot, through another snapshot sharing the nodes, and
// on a node outside any snapshot; after removing and putting back nodes in a what-if; and when a node is cordoned
// or tainted by assigning its spec. Random operation sequences, checked row by row and by the answers: the
// table-driven schedule() must find exactly the nodes the per-node canSchedule() accepts.
import fc from 'fast-check';
import type { Pod } from '../../../simulation/model/kubernetes';
import { ClusterSnapshot, NodeInfo, Scheduler } from '../../../simulation/scheduler';
import { makeNode, makePod } from '../helpers';

function expectTableMatches(snapshot: ClusterSnapshot): void {
  const table = snapshot.nodeTable();
  snapshot.nodes.forEach((node, i) => {
    const row = table.order[i];
    expect(table.rowOf(node)).toBe(row);
    expect([table.requestedMilliCpu[row], table.requestedMemoryBytes[row], table.podCount[row], table.nonZeroMilliCpu[row], table.nonZeroMemoryBytes[row]])
      .toEqual([node.requested.milliCpu, node.requested.memoryBytes, node.podCount(), node.nonZeroRequested.milliCpu, node.nonZeroRequested.memoryBytes]);
    expect([table.allocatableMilliCpu[row], table.allocatableMemoryBytes[row], table.allocatablePods[row]]).toEqual([node.allocatable.milliCpu, node.allocatable.memoryBytes, node.allocatable.pods]);
    expect(table.specs[row]).toBe(node.node.spec);
  });
}

function expectAnswersMatch(scheduler: Scheduler, snapshot: ClusterSnapshot, probe: Pod): void {
  const accepted = snapshot.nodes.filter((node) => scheduler.canSchedule(probe, node, snapshot).fits).map((n) => n.name);
  const result = scheduler.schedule(probe, snapshot);
  expect(result.feasibleNodes).toBe(accepted.length);
  if (accepted.length > 0) expect(accepted).toContain(result.node);
  expect(scheduler.firstFit(probe, snapshot)?.name).toBe(accepted[0]);
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('bindA' as const), node: fc.nat(5), cpu: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('bindB' as const), node: fc.nat(5), cpu: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('unbind' as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant('loose' as const), cpu: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('whatIf' as const), node: fc.nat(5), cpu: fc.integer({ min: 0, max: 1500 }) }),
  fc.record({ kind: fc.constant('cordon' as const), node: fc.nat(5), on: fc.boolean() }),
  fc.record({ kind: fc.constant('taint' as const), node: fc.nat(5), effect: fc.constantFrom('NoSchedule' as const, 'PreferNoSchedule' as const, undefined) }),
);

describe('ClusterSnapshot node table', () => {
  it('stays equal to the NodeInfos, and schedule() answers as canSchedule() does (property)', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 2000 }), (ops, probeCpu) => {
      const infos = Array.from({ length: 6 }, (_, i) => new NodeInfo(makeNode(`n${i}`, { cpu: '2', memory: '4Gi', pods: '4' })));
      const a = new ClusterSnapshot(infos);
      const b = new ClusterSnapshot(infos.slice(0, 4));
      const outside = new NodeInfo(makeNode('outside', { cpu: '2', memory: '4Gi', pods: '4' }));
      const scheduler = new Scheduler({ percentageOfNodesToScore: 100 });
      const bound: { key: string; snapshot: ClusterSnapshot }[] = [];
      let serial = 0;
      const pod = (cpu: number) => makePod(`p${(serial += 1)}`, cpu > 0 ? { cpu: `${cpu}m`, memory: '256Mi' } : {});
      for (const step of ops) {
        switch (step.kind) {
          case 'bindA':
          case 'bindB': {
            const snapshot = step.kind === 'bindA' ? a : b;
            const node = snapshot.nodes[step.node % snapshot.nodes.length];
            const p = pod(step.cpu);
            if (scheduler.canSchedule(p, node, snapshot).fits) {
              snapshot.addPod(p, node.name);
              bound.push({ key: `default/${p.metadata.name}`, snapshot });
            }
            break;
          }
          case 'unbind':
            if (bound.length > 0) {
              const [gone] = bound.splice(step.pick % bound.length, 1);
              gone.snapshot.removePod(gone.key);
            }
            break;
          case 'loose':
            outside.addPod(pod(step.cpu));
            break;
          case 'whatIf':
            // As consolidation does: take a node out, bind elsewhere, put it back in its place.
            a.whatIf(() => {
              a.removeNode(a.nodes[step.node % a.nodes.length].name);
              const p = pod(step.cpu);
              const result = scheduler.schedule(p, a);
              if (result.node) a.addPod(p, result.node);
              expectTableMatches(a);
            });
            break;
          case 'cordon':
            infos[step.node].node.spec.unschedulable = step.on;
            break;
          case 'taint':
            infos[step.node].node.spec.taints = step.effect ? [{ key: 'k', value: 'v', effect: step.effect }] : [];
            break;
        }
        expectTableMatches(a);
        expectTableMatches(b);
      }
      const probe = pod(probeCpu);
      expectAnswersMatch(scheduler, a, probe);
      expectAnswersMatch(scheduler, b, probe);
    }), { numRuns: 150 });
  });

  it('keeps snapshot order when a node is put back at its index', () => {
    const infos = Array.from({ length: 4 }, (_, i) => new NodeInfo(makeNode(`n${i}`, { cpu: '2', memory: '4Gi', pods: '4' })));
    const snapshot = new ClusterSnapshot(infos);
    snapshot.whatIf(() => {
      snapshot.removeNode('n1');
      expect(snapshot.nodes.map((n) => n.name)).toEqual(['n0', 'n2', 'n3']);
      expectTableMatches(snapshot);
    });
    expect(snapshot.nodes.map((n) => n.name)).toEqual(['n0', 'n1', 'n2', 'n3']);
    expectTableMatches(snapshot);
  });
});

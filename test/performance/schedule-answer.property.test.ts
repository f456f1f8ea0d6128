// Speed never changes an answer: the framework's shortcuts (reused scratch buffers, PreScore Skip of a plugin
// whose score would be uniform, e.g. TaintToleration when no node has a PreferNoSchedule taint) must pick a
// node whose full weighted score, every scorer run over every feasible node, is the highest. Checked against
// a brute-force framework over random clusters.
import fc from 'fast-check';
import { buildNode } from '../../simulation/catalog';
import type { Pod, Taint } from '../../simulation/model/kubernetes';
import { ClusterSnapshot, NodeInfo, podInfo, Scheduler, SKIP, type CycleState } from '../../simulation/scheduler';

const TYPES = ['m5.large', 'm5.xlarge', 'c5.2xlarge', 'r5.large'];
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

const taintArb = fc.record({ key: fc.constantFrom('dedicated', 'spot', 'gpu'), value: fc.constantFrom('a', 'b'), effect: fc.constantFrom(...EFFECTS) });
const nodeArb = fc.record({ type: fc.constantFrom(...TYPES), zone: fc.constantFrom(...ZONES), taints: fc.array(taintArb, { maxLength: 2 }) });
const podArb = fc.record({
  milliCpu: fc.integer({ min: 0, max: 2500 }),
  memoryMiB: fc.integer({ min: 0, max: 6000 }),
  tolerate: fc.option(fc.record({ key: fc.constantFrom('dedicated', 'spot', 'gpu'), effect: fc.constantFrom(...EFFECTS) }), { nil: undefined }),
  zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
  preferredZone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
});
type PodShape = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

function makePod(name: string, shape: PodShape): Pod {
  const requests: Record<string, string> = {};
  if (shape.milliCpu > 0) requests.cpu = `${shape.milliCpu}m`;
  if (shape.memoryMiB > 0) requests.memory = `${shape.memoryMiB}Mi`;
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: {} },
    spec: {
      containers: [{ name: 'c', resources: { requests } }],
      ...(shape.tolerate ? { tolerations: [{ key: shape.tolerate.key, operator: 'Exists', effect: shape.tolerate.effect }] } : {}),
      ...(shape.zone ? { nodeSelector: { 'topology.kubernetes.io/zone': shape.zone } } : {}),
      ...(shape.preferredZone ? { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [shape.preferredZone] }] } }] } } } : {}),
    },
  };
}

/** Every scorer over every feasible node, normalized and weighted; skips only plugins whose PreScore says the pod has nothing to score that upstream also skips. */
function bruteForceTotals(scheduler: Scheduler, pod: Pod, snapshot: ClusterSnapshot, feasible: NodeInfo[]): number[] {
  const state: CycleState = { pod, info: podInfo(pod), snapshot, data: new Map() };
  for (const filter of scheduler.filters) filter.preFilter?.(state);
  const totals = feasible.map(() => 0);
  for (const plugin of scheduler.scorers) {
    const weight = scheduler.weightOf(plugin.name);
    if (weight === 0) continue;
    // TaintToleration is always scored here: its Skip is the shortcut under test.
    if (plugin.name !== 'TaintToleration' && plugin.preScore?.(state, feasible) === SKIP) continue;
    const scores = feasible.map((node) => plugin.score(pod, node, state));
    plugin.normalize?.(scores, state);
    scores.forEach((score, i) => { totals[i] += score * weight; });
  }
  return totals;
}

describe('scheduling shortcuts never change the answer (property, random clusters)', () => {
  it('the chosen node has the highest full score and the feasible set is exact', () => {
    fc.assert(fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 12 }), fc.array(podArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), (nodes, pods, seed) => {
      const infos = nodes.map((n, i) => {
        const node = buildNode({ name: `n${i}`, instanceType: n.type, zone: n.zone, capacityType: 'on-demand', maxPods: 29 });
        node.spec = { ...node.spec, taints: n.taints as Taint[] };
        return new NodeInfo(node);
      });
      const snapshot = new ClusterSnapshot(infos);
      const scheduler = new Scheduler({ seed, percentageOfNodesToScore: 100 });
      pods.forEach((shape, i) => {
        const pod = makePod(`p${i}`, shape);
        const feasible = snapshot.nodes.filter((node) => scheduler.canSchedule(pod, node, snapshot).fits);
        const result = scheduler.schedule(pod, snapshot);
        expect(result.feasibleNodes).toBe(feasible.length);
        if (feasible.length === 0) {
          expect(result.node).toBeUndefined();
          return;
        }
        const totals = bruteForceTotals(scheduler, pod, snapshot, feasible);
        const best = Math.max(...totals);
        const chosen = feasible.findIndex((node) => node.name === result.node);
        expect(chosen).toBeGreaterThanOrEqual(0);
        expect(totals[chosen]).toBe(best);
        snapshot.addPod(pod, result.node as string);
      });
    }), { numRuns: 150, seed: 21 });
  });
});

import fc from 'fast-check';
import { prepareNodePool, solveProvisioning, type PreparedNodePool } from '../../../simulation/autoscaling/karpenter';
import { ProvisioningMemo, type ProvisioningInput } from '../../../simulation/autoscaling/karpenter/provisioner';
import type { SimPod } from '../../../simulation/autoscaling/types';
import type { KarpenterNodePool, Pod } from '../../../simulation/model/kubernetes';
import { makePod } from '../helpers';
import { nodePool, simPod, ZONES } from './fixtures';

// A pod class that no NodePool could take is not solved again while nothing it depends on changed (as the upstream
// scheduling queue keeps unschedulable pods until a relevant cluster event: kubernetes/kubernetes
// pkg/scheduler/backend/queue/scheduling_queue.go; the Cluster Autoscaler checks one pod per equivalence group:
// cluster-autoscaler core/scaleup/equivalence/groups.go). Speed must never change an answer: a run of solves that
// keeps verdicts in a ProvisioningMemo gives what the same solves give without one, claim for claim.

function pool(name: string, categories: string[], limitCpu: string, weight?: number): PreparedNodePool {
  const raw = nodePool(name, [
    { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: categories },
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
  ], { limits: { cpu: limitCpu }, ...(weight ? { weight } : {}) }).object as KarpenterNodePool;
  return prepareNodePool(raw, undefined, 'us-east-1');
}

interface PodShape {
  readonly cpu: number;
  readonly group: number;
  readonly replicas: number;
  readonly rule: 'none' | 'zone-spread' | 'soft-spread' | 'hostname-spread' | 'zone-anti' | 'zone-selector';
}

function pods(shapes: readonly PodShape[]): SimPod[] {
  return shapes.flatMap((s, i) => Array.from({ length: s.replicas }, (_, r) => {
    const labels = { g: String(s.group) };
    const spread = (key: string, when: 'DoNotSchedule' | 'ScheduleAnyway') => ({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: key, whenUnsatisfiable: when, labelSelector: { matchLabels: labels } }] });
    const spec: Partial<Pod['spec']> = s.rule === 'zone-spread' ? spread('topology.kubernetes.io/zone', 'DoNotSchedule')
      : s.rule === 'soft-spread' ? spread('topology.kubernetes.io/zone', 'ScheduleAnyway')
      : s.rule === 'hostname-spread' ? spread('kubernetes.io/hostname', 'DoNotSchedule')
      : s.rule === 'zone-anti' ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: labels } }] } } }
      : s.rule === 'zone-selector' ? { nodeSelector: { 'topology.kubernetes.io/zone': ZONES[s.group % ZONES.length] } }
      : {};
    return simPod(`s${i}-${r}`, `${s.cpu}m`, '256Mi', spec, labels);
  }));
}

/** What a solve answers, as plain data. */
function answer(result: ReturnType<typeof solveProvisioning>) {
  return {
    claims: result.claims.map((c) => ({ pool: c.pool.name, pods: c.pods.map((p) => p.key), types: c.candidates.map((t) => t.info.name), zones: c.zones, zone: c.zone })),
    unschedulable: [...result.unschedulable],
  };
}

interface Step {
  /** Per pool: 0 unused, 1 some room left, 2 at its limits. */
  readonly usage: readonly number[];
  readonly zonesOut: number;
  readonly existingPerZone: readonly number[];
  readonly existingAnti: boolean;
  readonly shapes: readonly PodShape[];
}

function input(pools: readonly PreparedNodePool[], step: Step, memo?: ProvisioningMemo): ProvisioningInput {
  const zones = step.zonesOut > 0 ? ZONES.filter((_, i) => i !== step.zonesOut - 1) : ZONES;
  const counts = new Map(ZONES.map((z, i) => [z, step.existingPerZone[i]]));
  const anti = makePod('guard', { cpu: '100m' }, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { g: '0' } } }] } } });
  return {
    pods: pods(step.shapes), pools, zones, poolZones: () => ZONES, zoneCounts: () => counts,
    existingAntiAffinity: step.existingAnti ? [{ pod: anti, zone: ZONES[0] }] : [],
    poolUsage: (p) => {
      const level = step.usage[pools.indexOf(p)] ?? 0;
      const limit = p.limits.milliCpu ?? 0;
      const milliCpu = level === 0 ? 0 : level === 1 ? limit - 2000 : limit;
      return { milliCpu, memoryBytes: 0, nodes: 0 };
    },
    ...(memo ? { memo } : {}),
  };
}

const arbShape: fc.Arbitrary<PodShape> = fc.record({
  cpu: fc.constantFrom(250, 500, 1000, 3000),
  group: fc.integer({ min: 0, max: 2 }),
  replicas: fc.integer({ min: 1, max: 4 }),
  rule: fc.constantFrom<PodShape['rule']>('none', 'none', 'zone-spread', 'soft-spread', 'hostname-spread', 'zone-anti', 'zone-selector'),
});

// The pod classes of a run stay (pending replicas wait over many passes); which of them are pending changes.
const arbStep = (poolCount: number, classes: readonly PodShape[]): fc.Arbitrary<Step> => fc.record({
  usage: fc.array(fc.constantFrom(0, 1, 2, 2, 2), { minLength: poolCount, maxLength: poolCount }),
  zonesOut: fc.constantFrom(0, 0, 0, 1, 3),
  existingPerZone: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
  existingAnti: fc.constantFrom(false, false, false, true),
  shapes: fc.subarray([...classes], { minLength: 1 }),
});

describe('ProvisioningMemo: verdicts kept across solves', () => {
  const POOLS = [[pool('general', ['c', 'm'], '32')], [pool('general', ['c', 'm'], '32'), pool('memory', ['r'], '16', 10)]];

  it('give every solve the answer it gives without a memo (random pods, limits, zones and topology)', () => {
    fc.assert(fc.property(fc.constantFrom(0, 1), fc.array(arbShape, { minLength: 1, maxLength: 5 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 1000 }), (which, classes, length, seed) => {
      const pools = POOLS[which];
      const steps = fc.sample(fc.array(arbStep(pools.length, classes), { minLength: length, maxLength: length }), { numRuns: 1, seed })[0];
      const memo = new ProvisioningMemo();
      for (const step of steps) {
        expect(answer(solveProvisioning(input(pools, step, memo)))).toEqual(answer(solveProvisioning(input(pools, step))));
      }
    }), { numRuns: 60, seed: 2112 });
  });

  it('solves a class that fits nowhere once while every pool stays at its limits, and again when the zones change', () => {
    const pools = POOLS[0];
    const shapes: PodShape[] = [{ cpu: 1000, group: 0, replicas: 20, rule: 'soft-spread' }, { cpu: 500, group: 1, replicas: 20, rule: 'none' }];
    const atLimit: Step = { usage: [2], zonesOut: 0, existingPerZone: [1, 0, 2], existingAnti: false, shapes };
    const memo = new ProvisioningMemo();
    for (let i = 0; i < 10; i += 1) {
      // The existing pods per zone move on every pass: the kept verdicts do not read them (ScheduleAnyway is relaxed).
      const step = { ...atLimit, existingPerZone: [i, 2 * i, 1] };
      const kept = answer(solveProvisioning(input(pools, step, memo)));
      expect(kept).toEqual(answer(solveProvisioning(input(pools, step))));
      expect(kept.unschedulable.map(([, reason]) => reason)).toEqual(Array(40).fill('NodePool general: limits exceeded'));
    }
    expect(memo.solves).toBe(10);
    expect(memo.solved).toBe(2);
    // An AZ outage changes what a fresh NodeClaim may use: both classes are solved again.
    solveProvisioning(input(pools, { ...atLimit, zonesOut: 1 }, memo));
    expect(memo.solved).toBe(4);
  });

  it.each([
    ['a DoNotSchedule zone spread', 'zone-spread'],
    ['required zone anti-affinity', 'zone-anti'],
  ] as const)('keeps no verdict for a pod whose last relaxation step still reads topology (%s)', (_name, rule) => {
    const memo = new ProvisioningMemo();
    const step: Step = { usage: [2], zonesOut: 0, existingPerZone: [0, 0, 0], existingAnti: false, shapes: [{ cpu: 500, group: 0, replicas: 5, rule }] };
    for (let i = 0; i < 3; i += 1) solveProvisioning(input(POOLS[0], step, memo));
    expect(memo.solved).toBe(0);
  });

  it('keeps no verdict while a pool has room (a NodeClaim may open) or an existing pod has zone anti-affinity', () => {
    const memo = new ProvisioningMemo();
    const shapes: PodShape[] = [{ cpu: 3000, group: 0, replicas: 3, rule: 'none' }];
    solveProvisioning(input(POOLS[0], { usage: [1], zonesOut: 0, existingPerZone: [0, 0, 0], existingAnti: false, shapes }, memo));
    solveProvisioning(input(POOLS[0], { usage: [2], zonesOut: 0, existingPerZone: [0, 0, 0], existingAnti: true, shapes }, memo));
    expect(memo.solved).toBe(0);
  });
});

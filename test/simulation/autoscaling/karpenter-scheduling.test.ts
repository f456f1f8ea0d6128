import { chooseOffering, solveProvisioning, type NodeClaimPlan, type PreparedNodePool } from '../../../simulation/autoscaling/karpenter';
import type { SimPod } from '../../../simulation/autoscaling/types';
import type { Pod, TopologySpreadConstraint } from '../../../simulation/model/kubernetes';
import { makePod } from '../helpers';
import { simPod } from './fixtures';
import { FAKE_ZONES, fakeAvailable, fakePool, fakePriceOf } from './upstream-fakes';

// Cases ported from kubernetes-sigs/karpenter's scheduling suites (inputs and expected outputs), run against the
// upstream fake instance types expressed as catalog data (upstream-fakes.ts).

const labels = { test: 'test' };
interface SolveOptions { daemonSets?: Pod[]; existing?: Record<string, number>; zones?: string[] }

function solve(pods: SimPod[], pools: PreparedNodePool[], options: SolveOptions = {}) {
  const existing = new Map(Object.entries(options.existing ?? {}));
  return solveProvisioning({
    pods, pools, daemonSetPods: options.daemonSets ?? [], zones: options.zones ?? FAKE_ZONES, poolZones: () => FAKE_ZONES,
    zoneCounts: () => existing, poolUsage: () => ({ milliCpu: 0, memoryBytes: 0, nodes: 0 }), existingZones: Object.keys(options.existing ?? {}),
  });
}

function launch(claim: NodeClaimPlan) {
  return chooseOffering(claim, FAKE_ZONES, (t) => fakePriceOf(t), fakeAvailable);
}

/** Pods per zone after the solve, existing pods included, as upstream's ExpectSkew reports them (sorted). */
function skew(result: ReturnType<typeof solve>, existing: Record<string, number> = {}): number[] {
  const counts = new Map(Object.entries(existing));
  for (const claim of result.claims) {
    const zone = claim.zone ?? launch(claim)?.zone ?? '?';
    counts.set(zone, (counts.get(zone) ?? 0) + claim.pods.length);
  }
  return [...counts.values()].filter((n) => n > 0).sort((a, b) => a - b);
}

const spread = (maxSkew: number, extra: Partial<TopologySpreadConstraint> = {}): Partial<Pod['spec']> => ({
  topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels }, maxSkew, ...extra }],
});
const pods = (n: number, cpu: string, spec: Partial<Pod['spec']>) => Array.from({ length: n }, (_, i) => simPod(`p-${i}-${Math.random().toString(36).slice(2, 6)}`, cpu, '100Mi', spec, labels));
const zoneIn = (...zones: string[]) => [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: zones }];

describe('topology_test.go: zonal topology spread', () => {
  it.each([
    ['topology_test.go: should balance pods across zones (match labels)', zoneIn(...FAKE_ZONES), 4, '10m', spread(1), {}, [1, 1, 2], 0],
    ['topology_test.go: should respect NodePool zonal constraints (subset) with requirements', zoneIn('test-zone-1', 'test-zone-2'), 4, '10m', spread(1), {}, [2, 2], 0],
    ['topology_test.go: should schedule to the non-minimum domain if its all that\'s available', zoneIn('test-zone-3'), 10, '1.1', spread(5), { 'test-zone-1': 1, 'test-zone-2': 1 }, [1, 1, 6], 4],
    ['topology_test.go: should only schedule to minimum domains if already violating max skew', zoneIn(...FAKE_ZONES), 3, '1.1', spread(1), { 'test-zone-1': 3 }, [1, 2, 3], 0],
    ['topology_test.go: should not violate max-skew when unsat = do not schedule', zoneIn('test-zone-2', 'test-zone-3'), 10, '1.1', spread(1), { 'test-zone-1': 1 }, [1, 2, 2], 6],
    ['topology_test.go: should respect minDomains constraints', zoneIn('test-zone-1', 'test-zone-2'), 3, '10m', spread(1, { minDomains: 3 }), {}, [1, 1], 1],
    ['topology_test.go: satisfied minDomains constraints (equal) should allow expected pod scheduling', zoneIn(...FAKE_ZONES), 11, '10m', spread(1, { minDomains: 3 }), {}, [3, 4, 4], 0],
    ['topology_test.go: satisfied minDomains constraints (greater than minimum) should allow expected pod scheduling', zoneIn(...FAKE_ZONES), 11, '10m', spread(1, { minDomains: 2 }), {}, [3, 4, 4], 0],
  ] as const)('%s', (_name, requirements, count, cpu, spec, existing, expected, unschedulable) => {
    const result = solve(pods(count, cpu, spec), [fakePool('default', [...requirements])], { existing });
    expect(skew(result, existing)).toEqual(expected);
    expect(result.unschedulable.size).toBe(unschedulable);
  });
});

describe('topology_test.go: hostname topology spread and pod (anti-)affinity', () => {
  const hostSpread = (maxSkew: number): Partial<Pod['spec']> => ({ topologySpreadConstraints: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels }, maxSkew }] });
  const anti = (key: string): Partial<Pod['spec']> => ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: key }] } } });
  const affinity = (key: string): Partial<Pod['spec']> => ({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: key }] } } });

  it.each([
    ['topology_test.go: should balance pods across nodes', 4, hostSpread(1), [1, 1, 1, 1], 0],
    ['topology_test.go: should balance pods on the same hostname up to maxskew', 4, hostSpread(4), [4], 0],
    ['topology_test.go: should not schedule pods with self anti-affinity on the same node (hostname)', 3, anti('kubernetes.io/hostname'), [1, 1, 1], 0],
    // Late committal: the first pod's claim could land in any zone, so it blocks all three for this batch.
    ['topology_test.go: should support pod anti-affinity with a zone topology (first batch: one pod schedules)', 3, anti('topology.kubernetes.io/zone'), [1], 2],
    ['topology_test.go: should respect self pod affinity (hostname)', 3, affinity('kubernetes.io/hostname'), [3], 0],
    ['topology_test.go: should respect self pod affinity (zone)', 3, affinity('topology.kubernetes.io/zone'), [3], 0],
  ] as const)('%s', (_name, count, spec, expectedPerClaim, unschedulable) => {
    const result = solve(pods(count, '10m', spec), [fakePool('default')]);
    expect(result.claims.map((c) => c.pods.length).sort((a, b) => a - b)).toEqual(expectedPerClaim);
    expect(result.unschedulable.size).toBe(unschedulable);
  });

  it('topology_test.go: should not violate pod anti-affinity on zone (Schrödinger)', () => {
    const guard = simPod('guard', '2', '100Mi', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'victim' } }, topologyKey: 'topology.kubernetes.io/zone' }] } } }, {});
    const victim = simPod('victim', '1m', '1Mi', {}, { app: 'victim' });
    const result = solve([guard, victim], [fakePool('default')]);
    expect(result.claims.flatMap((c) => c.pods.map((p) => p.key))).toEqual(['default/guard']);
    expect([...result.unschedulable.keys()]).toEqual(['default/victim']);
  });
});

describe('provisioning/suite_test.go: DaemonSet overhead per instance type', () => {
  const ds = (cpu: string, memory: string, spec: Partial<Pod['spec']> = {}) => makePod(`ds-${cpu}-${memory}`, { cpu, memory }, spec);
  const pod1 = () => simPod('p', '1', '1Gi');
  const typeOf = (result: ReturnType<typeof solve>) => (result.claims[0] ? launch(result.claims[0])?.type.info.name : undefined);

  it.each([
    ['suite_test.go: should account for daemonsets', fakePool('default'), [ds('2', '2Gi')], pod1(), 'default-instance-type'],
    ['suite_test.go: should ignore daemonsets without matching tolerations', fakePool('default', [], { taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }] }), [ds('2', '2Gi')],
      simPod('p', '1', '1Gi', { tolerations: [{ operator: 'Exists' }] }), 'small-instance-type'],
    ['suite_test.go: should account for daemonsets with a custom label nodeSelector that matches the nodepool', fakePool('default', [], { labels: { purpose: 'monitoring' } }),
      [ds('2', '2Gi', { nodeSelector: { purpose: 'monitoring' } })], pod1(), 'default-instance-type'],
    ['suite_test.go: should filter out daemonsets based on instance type requirements', fakePool('default'),
      [ds('1', '0', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['small'] }] }] } } } }),
        ds('10', '0', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['large'] }] }] } } } })],
      pod1(), 'default-instance-type'],
    ['suite_test.go: should account daemonsets with NotIn operator and unspecified key', fakePool('default'),
      [ds('2', '2Gi', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['bar'] }] }] } } } })],
      simPod('p', '1', '1Gi', { nodeSelector: { 'topology.kubernetes.io/zone': 'test-zone-2' } }), 'default-instance-type'],
    ['suite_test.go: should consider a daemonset schedulable with multiple node affinity terms', fakePool('default'),
      [ds('2', '2Gi', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
        { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] }, { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } } })],
      pod1(), 'default-instance-type'],
    ['suite_test.go: should not schedule if daemonset overhead is too large', fakePool('default'), [ds('10000', '10000Gi')], simPod('p', '10m', '10Mi'), undefined],
  ] as const)('%s', (_name, pool, daemonSets, pod, expected) => {
    expect(typeOf(solve([pod], [pool], { daemonSets: [...daemonSets] }))).toBe(expected);
  });

  it('suite_test.go: should account for daemonset hostports', () => {
    const agent = makePod('agent', { cpu: '2', memory: '2Gi' }, { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080, hostPort: 8080 }], resources: { requests: { cpu: '2', memory: '2Gi' } } }] });
    const pod = makePod('p', {}, { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080, hostPort: 8080 }], resources: { requests: { cpu: '1', memory: '1Gi' } } }] });
    const sim = { ...simPod('p', '1', '1Gi'), pod } as SimPod;
    const result = solve([sim], [fakePool('default')], { daemonSets: [agent] });
    expect(result.claims).toEqual([]);
    expect(result.unschedulable.size).toBe(1);
  });

  it('suite_test.go: should schedule pods with the same host port to different nodes', () => {
    const withPort = (name: string) => ({ ...simPod(name, '10m', '10Mi'), pod: makePod(name, {}, { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort: 80 }], resources: { requests: { cpu: '10m' } } }] }) }) as SimPod;
    const result = solve([withPort('a'), withPort('b')], [fakePool('default')]);
    expect(result.claims).toHaveLength(2);
  });
});

describe('suite_test.go: Preferential Fallback', () => {
  const required = (...zones: string[][]): Partial<Pod['spec']> => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: zones.map((values) => ({ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values }] })) } } } });
  const preferred = (...terms: [number, string, string][]): Partial<Pod['spec']> => ({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, key, value]) => ({ weight, preference: { matchExpressions: [{ key, operator: 'In' as const, values: [value] }] } })) } } });

  it.each([
    ['suite_test.go: Required: should not relax the final term', fakePool('default', [...zoneIn('test-zone-1'), { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['default-instance-type'] }]), required(['invalid']), undefined],
    ['suite_test.go: Required: should relax multiple terms', fakePool('default'), required(['invalid'], ['invalid'], ['test-zone-1'], ['test-zone-2']), 'test-zone-1'],
    ['suite_test.go: Preferred: should relax all terms', fakePool('default'), preferred([1, 'topology.kubernetes.io/zone', 'invalid'], [1, 'node.kubernetes.io/instance-type', 'invalid']), 'any'],
    ['suite_test.go: Preferred: should relax to use lighter weights', fakePool('default', zoneIn('test-zone-1', 'test-zone-2')),
      preferred([100, 'node.kubernetes.io/instance-type', 'test-zone-3'], [50, 'topology.kubernetes.io/zone', 'test-zone-2'], [1, 'topology.kubernetes.io/zone', 'test-zone-1']), 'test-zone-2'],
  ] as const)('%s', (_name, pool, spec, zone) => {
    const result = solve([simPod('p', '10m', '10Mi', spec)], [pool]);
    if (zone === undefined) { expect(result.claims).toEqual([]); return; }
    expect(result.claims).toHaveLength(1);
    const chosen = launch(result.claims[0]);
    if (zone !== 'any') expect(chosen?.zone).toBe(zone);
  });
});

describe('instance_selection_test.go: cheapest offering and minValues', () => {
  it.each([
    ['instance_selection_test.go: should schedule on one of the cheapest instances', {}, 'small-instance-type', '10m'],
    ['instance_selection_test.go: should schedule on one of the cheapest instances (pod arch = arm64)', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }, 'arm-instance-type', '10m'],
    ['instance_selection_test.go: should schedule on one of the cheapest instances (pod zone = test-zone-2)', { nodeSelector: { 'topology.kubernetes.io/zone': 'test-zone-2' } }, 'small-instance-type', '10m'],
    ['instance_selection_test.go: should not schedule if no instance type matches selector (pod arch = arm, more CPU than the 16-CPU arm type)', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }, undefined, '20'],
  ] as const)('%s', (_name, spec, expected, cpu) => {
    const result = solve([simPod('p', cpu, '10Mi', spec)], [fakePool('default')]);
    expect(result.claims[0] ? launch(result.claims[0])?.type.info.name : undefined).toBe(expected);
  });

  it('instance_selection_test.go: schedule should fail if minimum number of InstanceTypes is not met as per the minValues in the requirement', () => {
    const pool = fakePool('default', [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['default-instance-type', 'small-instance-type'], minValues: 3 }]);
    const result = solve([simPod('p', '10m', '10Mi')], [pool]);
    expect(result.claims).toEqual([]);
    expect([...result.unschedulable.values()][0]).toContain('minValues');
  });

  it('instance_selection_test.go: should schedule respecting the minValues from instance-type requirements (a pod too big for the small type leaves 1 < 2 types)', () => {
    const pool = fakePool('default', [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['default-instance-type', 'small-instance-type'], minValues: 2 }]);
    expect(solve([simPod('p', '10m', '10Mi')], [pool]).claims).toHaveLength(1);
    expect(solve([simPod('p', '3', '10Mi')], [pool]).claims).toHaveLength(0);
  });
});

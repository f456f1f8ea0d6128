import { chooseOffering, karpenterInstanceType, prepareNodePool, solveProvisioning } from '../../../simulation/autoscaling/karpenter';
import { MAX_INSTANCE_TYPES, truncatedTypes } from '../../../simulation/autoscaling/karpenter/offering';
import { amiFamilyOf, eniLimitedPods, karpenterNodeSize } from '../../../simulation/autoscaling/karpenter/overhead';
import { instanceType } from '../../../simulation/catalog';
import { simulate } from '../../../simulation/engine';
import type { KarpenterEc2NodeClass, KarpenterNodePool } from '../../../simulation/model/kubernetes';
import { createRng } from '../../../simulation/scheduler/rng';
import { clusterModel, deployment, nodeClass, nodePool, simPod, ZONES, scenario } from './fixtures';

const MiB = 2 ** 20;
const raw = (requirements: unknown[]) => nodePool('p', requirements).object as KarpenterNodePool;
const price = (t: string, _z: string, c: 'spot' | 'on-demand') => instanceType(t).onDemandUsdPerHour('us-east-1') * (c === 'spot' ? 0.4 : 1);
const solveOne = (pool = prepareNodePool(raw([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }]), undefined, 'us-east-1')) =>
  solveProvisioning({ pods: [simPod('p', '1', '1Gi')], pools: [pool], zones: ZONES, poolZones: () => ZONES, zoneCounts: () => new Map(), poolUsage: () => ({ milliCpu: 0, memoryBytes: 0, nodes: 0 }) }).claims[0];

describe('launch: offerings (nodeclaim.go truncation, CreateFleet)', () => {
  it('on-demand ties across zones are spread by the seeded generator, not always the first zone', () => {
    const claim = solveOne();
    const random = createRng(7);
    const zones = new Set(Array.from({ length: 30 }, () => chooseOffering(claim, ZONES, price, () => true, random)?.zone));
    expect(zones).toEqual(new Set(ZONES));
    // Without a generator the choice is the first zone by name, deterministically.
    expect(chooseOffering(claim, ZONES, price, () => true)?.zone).toBe('us-east-1a');
  });

  it(`truncates to the ${MAX_INSTANCE_TYPES} types with the cheapest available offering`, () => {
    const claim = solveOne();
    expect(claim.candidates.length).toBeGreaterThan(MAX_INSTANCE_TYPES);
    const kept = truncatedTypes(claim.candidates, ['on-demand'], ZONES, price, () => true);
    expect(kept).toHaveLength(MAX_INSTANCE_TYPES);
    const cheapestOutside = Math.min(...claim.candidates.filter((t) => !kept.includes(t)).map((t) => t.info.onDemandUsdPerHour('us-east-1')));
    expect(Math.max(...kept.map((t) => t.info.onDemandUsdPerHour('us-east-1')))).toBeLessThanOrEqual(cheapestOutside);
    // Types with no available offering are ranked out before truncation.
    const first = kept[0].info.name;
    expect(truncatedTypes(claim.candidates, ['on-demand'], ZONES, price, (t) => t !== first).some((t) => t.info.name === first)).toBe(false);
  });

  it.each([
    ['Exists: both capacity types, spot first', { key: 'karpenter.sh/capacity-type', operator: 'Exists' }, ['spot', 'on-demand'], 'spot'],
    ['NotIn [spot]: on-demand only', { key: 'karpenter.sh/capacity-type', operator: 'NotIn', values: ['spot'] }, ['on-demand'], 'on-demand'],
    ['In [spot, on-demand]', { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }, ['spot', 'on-demand'], 'spot'],
    ['absent: on-demand (v1 default)', undefined, ['on-demand'], 'on-demand'],
  ] as const)('capacity-type requirement %s', (_name, requirement, expected, launched) => {
    const pool = prepareNodePool(raw(requirement ? [requirement] : []), undefined, 'us-east-1');
    expect([...pool.capacityTypes].sort()).toEqual([...expected].sort());
    expect(chooseOffering(solveOne(pool), ZONES, price, () => true)?.capacityType).toBe(launched);
  });
});

describe('EC2NodeClass kubelet settings and AMI family (aws/karpenter-provider-aws pkg/providers/instancetype/types.go)', () => {
  const cls = (spec: KarpenterEc2NodeClass['spec']) => nodeClass(spec as Record<string, unknown>).object as KarpenterEc2NodeClass;
  const m5 = instanceType('m5.large');

  it.each([
    // m5.large: 3 ENIs × 10 IPv4 → 29 pods; 8192 MiB − ceil(8192 × 0.075) = 7577 MiB; kube-reserved 11 × 29 + 255 = 574 MiB, 70m CPU.
    ['AL2023 defaults', 'm5.large', {}, 29, 2000 - 70, (7577 - 574 - 100) * MiB],
    ['kubelet maxPods 110 on AL2023: kube-reserved still from the ENI limit (UsesENILimitedMemoryOverhead)', 'm5.large', { kubelet: { maxPods: 110 } }, 110, 1930, (7577 - 574 - 100) * MiB],
    ['kubelet maxPods 110 on Bottlerocket: kube-reserved from 110 pods', 'm5.large', { amiSelectorTerms: [{ alias: 'bottlerocket@latest' }], kubelet: { maxPods: 110 } }, 110, 1930, (7577 - (11 * 110 + 255) - 100) * MiB],
    ['Bottlerocket ignores podsPerCore', 'm5.large', { amiSelectorTerms: [{ alias: 'bottlerocket@latest' }], kubelet: { podsPerCore: 4 } }, 29, 1930, (7577 - 574 - 100) * MiB],
    ['AL2023 honours podsPerCore (4 × 2 vCPU)', 'm5.large', { kubelet: { podsPerCore: 4 } }, 8, 1930, (7577 - 574 - 100) * MiB],
    ['Windows2022 defaults to 110 pods, kube-reserved from them', 'm5.large', { amiSelectorTerms: [{ id: 'ami-0123' }], amiFamily: 'Windows2022' }, 110, 1930, (7577 - (11 * 110 + 255) - 100) * MiB],
    ['kubeReserved, systemReserved and evictionHard override', 'm5.large', { kubelet: { kubeReserved: { cpu: '200m', memory: '1Gi' }, systemReserved: { cpu: '100m', memory: '256Mi' }, evictionHard: { 'memory.available': '5%' } } },
      29, 2000 - 300, 7577 * MiB - 1024 * MiB - 256 * MiB - Math.ceil(7577 * MiB * 0.05)],
    // m6g.large (Graviton): 64 MiB of CMA first, then the VM overhead: 8128 − ceil(8128 × 0.075) = 7518 MiB.
    ['Graviton (arm64) reserves 64 MiB for CMA', 'm6g.large', {}, 29, 1930, (7518 - 574 - 100) * MiB],
  ] as const)('%s', (_name, type, spec, pods, cpu, memory) => {
    const size = karpenterNodeSize(instanceType(type), cls(spec as KarpenterEc2NodeClass['spec']));
    expect({ pods: size.pods, cpu: size.allocatableMilliCpu, memory: size.allocatableMemoryBytes }).toEqual({ pods, cpu, memory });
  });

  it('reservedENIs (Karpenter setting) lowers max pods but not the kube-reserved memory', () => {
    expect(eniLimitedPods(m5, 1)).toBe(2 * 9 + 2);
    const size = karpenterNodeSize(m5, undefined, { reservedEnis: 1 });
    expect(size.pods).toBe(20);
    expect(size.allocatableMemoryBytes).toBe((7577 - 574 - 100) * MiB);
    expect(karpenterInstanceType(m5, undefined, { reservedEnis: 1 }).pods).toBe(20);
  });

  it.each([
    [{ amiSelectorTerms: [{ alias: 'bottlerocket@v1.20.0' }] }, 'Bottlerocket'],
    [{ amiSelectorTerms: [{ alias: 'al2@latest' }] }, 'AL2'],
    [{ amiSelectorTerms: [{ id: 'ami-0123' }], amiFamily: 'Windows2019' }, 'Windows2019'],
    [{}, 'AL2023'],
  ] as const)('AMI family of %j is %s', (spec, family) => {
    expect(amiFamilyOf(cls(spec as KarpenterEc2NodeClass['spec']))).toBe(family);
  });

  it('the launched node reports the allocatable the EC2NodeClass kubelet settings give, not the EKS AMI default', () => {
    const kubelet = { kubeReserved: { cpu: '500m', memory: '2Gi' }, systemReserved: { memory: '512Mi' } };
    const pool = nodePool('general', [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.xlarge'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }]);
    const m = clusterModel([pool, nodeClass({ kubelet }), deployment('api', 1, '1', '1Gi')]);
    const result = simulate(m, scenario({ duration: '10m', step: '15s', seed: 1 }));
    const node = result.nodes.find((n) => n.owner.kind === 'nodepool');
    const expected = karpenterNodeSize(instanceType('m5.xlarge'), nodeClass({ kubelet }).object as KarpenterEc2NodeClass);
    expect(node?.allocatable.milliCpu).toBe(4000 - 500);
    expect(node?.allocatable.memoryBytes).toBe(Math.floor(expected.allocatableMemoryBytes / 1024) * 1024);
  });
});

describe('on-demand nodes in the simulation', () => {
  it('spread over the zones instead of all landing in the first one', () => {
    const anti = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    const pool = nodePool('general', [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }]);
    const result = simulate(clusterModel([pool, nodeClass(), deployment('api', 9, '500m', '512Mi', anti)]), scenario({ duration: '10m', step: '15s', seed: 4 }));
    const zones = new Set(result.nodes.filter((n) => n.owner.kind === 'nodepool').map((n) => n.zone));
    expect(zones.size).toBeGreaterThan(1);
  });
});

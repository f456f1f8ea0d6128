import { prepareNodePool, typeLabels, type KarpenterInstanceType, type PreparedNodePool } from '../../../simulation/autoscaling/karpenter';
import type { InstanceTypeInfo } from '../../../simulation/catalog';
import type { KarpenterNodePool, NodePoolRequirement, Taint } from '../../../simulation/model/kubernetes';

// kubernetes-sigs/karpenter pkg/cloudprovider/fake/instancetype.go as catalog data: each fake type's capacity, its
// fixed overhead (100m CPU, 10Mi memory), its pod capacity, and PriceFromResources (0.1 per CPU + 0.1 per GB + 1 per
// other resource). Offerings: test-zone-1..3 on-demand, test-zone-1..2 spot, all at that price.

export const FAKE_ZONES = ['test-zone-1', 'test-zone-2', 'test-zone-3'];
const GiB = 2 ** 30;

interface FakeSpec { name: string; cpu: number; memoryGiB: number; pods: number; arch?: 'amd64' | 'arm64'; size?: string; gpus?: number }

/** fake/cloudprovider.go default instance types; the size label is `large` only above 4 CPU and 8Gi (fake/instancetype.go). */
export const FAKE_TYPES: readonly FakeSpec[] = [
  { name: 'default-instance-type', cpu: 4, memoryGiB: 4, pods: 5, size: 'small' },
  { name: 'small-instance-type', cpu: 2, memoryGiB: 2, pods: 5, size: 'small' },
  { name: 'gpu-vendor-instance-type', cpu: 4, memoryGiB: 4, pods: 5, gpus: 2, size: 'small' },
  { name: 'arm-instance-type', cpu: 16, memoryGiB: 128, pods: 5, arch: 'arm64', size: 'large' },
  { name: 'single-pod-instance-type', cpu: 4, memoryGiB: 4, pods: 1, size: 'small' },
];

/** fake/instancetype.go PriceFromResources. */
export function fakePrice(spec: FakeSpec): number {
  return 0.1 * spec.cpu + (0.1 * spec.memoryGiB * GiB) / 1e9 + 1.0 + (spec.gpus ? 1 : 0);
}

function info(spec: FakeSpec): InstanceTypeInfo {
  const price = fakePrice(spec);
  return {
    name: spec.name, family: spec.name, size: spec.size ?? 'large', category: 'fake', generation: 1, vcpu: spec.cpu, memoryMiB: spec.memoryGiB * 1024,
    maxEnis: 1, ipv4PerEni: spec.pods + 1, enisPerNetworkCard: [1], defaultNetworkCardIndex: 0, arch: spec.arch ?? 'amd64', gpus: spec.gpus ?? 0,
    neuronDevices: 0, hypervisor: 'nitro', bareMetal: false, burstable: false, flex: false, trunking: false, branchEnis: 0, usEast1UsdPerHour: price, eniMaxPods: spec.pods,
    onDemandUsdPerHour: () => price,
  };
}

export function fakeType(spec: FakeSpec): KarpenterInstanceType {
  const i = info(spec);
  return { info: i, labels: typeLabels(i), pods: spec.pods, allocatableMilliCpu: spec.cpu * 1000 - 100, allocatableMemoryBytes: spec.memoryGiB * GiB - 10 * 2 ** 20, gpus: spec.gpus ?? 0, neuron: 0 };
}

/** A NodePool over the fake types (the catalog injected into prepareNodePool, then sized as the fake provider sizes them). */
export function fakePool(name: string, requirements: NodePoolRequirement[] = [], options: { taints?: Taint[]; labels?: Record<string, string>; types?: readonly FakeSpec[]; weight?: number } = {}): PreparedNodePool {
  const specs = options.types ?? FAKE_TYPES;
  const pool: KarpenterNodePool = {
    apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name },
    spec: { weight: options.weight, template: { metadata: { labels: options.labels }, spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }, ...requirements], taints: options.taints } } },
  } as KarpenterNodePool;
  const prepared = prepareNodePool(pool, undefined, 'us-east-1', specs.map(info));
  const sized = new Map(specs.map((s) => [s.name, fakeType(s)]));
  return { ...prepared, types: prepared.types.map((t) => sized.get(t.info.name) as KarpenterInstanceType) };
}

export const fakePriceOf = (name: string): number => fakePrice(FAKE_TYPES.find((t) => t.name === name) as FakeSpec);

/** Fake offerings: spot only in test-zone-1 and -2. */
export const fakeAvailable = (_type: string, zone: string, capacityType: 'spot' | 'on-demand'): boolean => capacityType === 'on-demand' || zone !== 'test-zone-3';

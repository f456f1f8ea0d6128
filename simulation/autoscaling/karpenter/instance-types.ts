import { instanceTypes, kubeReservedMemoryMiB, kubeReservedMilliCpu, karpenterVmOverheadMiB, EVICTION_HARD_MEMORY_MIB, type InstanceTypeInfo } from '../../catalog';
import type { KarpenterEc2NodeClass, KarpenterNodePool, Taint } from '../../model/kubernetes';
import { MiB, parseBytes, parseMilliCpu } from '../../model/quantity';
import { Requirements } from './requirements';

/** An instance type as Karpenter sees it for one NodePool: well-known labels, capacity, allocatable, pods. */
export interface KarpenterInstanceType {
  readonly info: InstanceTypeInfo;
  readonly labels: Record<string, string>;
  readonly pods: number;
  readonly allocatableMilliCpu: number;
  readonly allocatableMemoryBytes: number;
  readonly gpus: number;
  readonly neuron: number;
}

export interface PreparedNodePool {
  readonly name: string;
  readonly pool: KarpenterNodePool;
  readonly nodeClass?: KarpenterEc2NodeClass;
  readonly weight: number;
  readonly requirements: Requirements;
  readonly taints: Taint[];
  readonly labels: Record<string, string>;
  readonly capacityTypes: ('spot' | 'on-demand')[];
  /** Candidate types, cheapest on-demand first. */
  readonly types: KarpenterInstanceType[];
  readonly limits: { milliCpu?: number; memoryBytes?: number; nodes?: number };
  readonly consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
  readonly consolidateAfterSeconds: number;
  readonly expireAfterSeconds: number;
  readonly budgets: { nodes: string; reasons?: string[] }[];
  readonly diskGiB: number;
}

/** The label keys an instance type defines; requirements on other keys belong to the NodeClaim. */
export const INSTANCE_TYPE_KEYS: ReadonlySet<string> = new Set([
  'node.kubernetes.io/instance-type', 'kubernetes.io/arch', 'kubernetes.io/os', 'karpenter.k8s.aws/instance-category', 'karpenter.k8s.aws/instance-family',
  'karpenter.k8s.aws/instance-generation', 'karpenter.k8s.aws/instance-size', 'karpenter.k8s.aws/instance-cpu', 'karpenter.k8s.aws/instance-memory',
  'karpenter.k8s.aws/instance-gpu-count', 'karpenter.k8s.aws/instance-gpu-name', 'karpenter.k8s.aws/instance-gpu-manufacturer', 'karpenter.k8s.aws/instance-hypervisor',
  'karpenter.k8s.aws/instance-bare-metal',
]);

/** Well-known labels of an instance type (karpenter-provider-aws pkg/providers/instancetype/types.go computeRequirements). */
export function typeLabels(info: InstanceTypeInfo): Record<string, string> {
  return {
    'node.kubernetes.io/instance-type': info.name,
    'kubernetes.io/arch': info.arch,
    'kubernetes.io/os': 'linux',
    'karpenter.k8s.aws/instance-category': info.category,
    'karpenter.k8s.aws/instance-family': info.family,
    'karpenter.k8s.aws/instance-generation': String(info.generation),
    'karpenter.k8s.aws/instance-size': info.size,
    'karpenter.k8s.aws/instance-cpu': String(info.vcpu),
    'karpenter.k8s.aws/instance-memory': String(info.memoryMiB),
    'karpenter.k8s.aws/instance-gpu-count': String(info.gpus),
    ...(info.gpuName ? { 'karpenter.k8s.aws/instance-gpu-name': info.gpuName.toLowerCase(), 'karpenter.k8s.aws/instance-gpu-manufacturer': (info.gpuManufacturer ?? '').toLowerCase() } : {}),
    'karpenter.k8s.aws/instance-hypervisor': info.hypervisor,
    ...(info.bareMetal ? { 'karpenter.k8s.aws/instance-bare-metal': 'true' } : {}),
  };
}

/**
 * Karpenter's view of a type (types.go): memory less the VM overhead (7.5%), pods = kubelet maxPods or the
 * ENI limit (prefix delegation is NOT taken into account), allocatable = capacity − kube-reserved (CPU bands;
 * 11 MiB × ENI-limited pods + 255 MiB) − system-reserved − eviction threshold (100Mi).
 */
export function karpenterInstanceType(info: InstanceTypeInfo, nodeClass?: KarpenterEc2NodeClass): KarpenterInstanceType {
  const kubelet = nodeClass?.spec?.kubelet ?? {};
  const eniPods = info.maxEnis * (info.ipv4PerEni - 1) + 2;
  let pods = kubelet.maxPods ?? eniPods;
  if (kubelet.podsPerCore && kubelet.podsPerCore > 0) pods = Math.min(pods, kubelet.podsPerCore * info.vcpu);
  const capacityMemory = (info.memoryMiB - karpenterVmOverheadMiB(info)) * MiB;
  const kubeReservedCpu = kubelet.kubeReserved?.cpu !== undefined ? parseMilliCpu(kubelet.kubeReserved.cpu) : kubeReservedMilliCpu(info.vcpu);
  const kubeReservedMemory = kubelet.kubeReserved?.memory !== undefined ? parseBytes(kubelet.kubeReserved.memory) : kubeReservedMemoryMiB(eniPods) * MiB;
  const systemCpu = kubelet.systemReserved?.cpu !== undefined ? parseMilliCpu(kubelet.systemReserved.cpu) : 0;
  const systemMemory = kubelet.systemReserved?.memory !== undefined ? parseBytes(kubelet.systemReserved.memory) : 0;
  const eviction = evictionMemory(kubelet.evictionHard?.['memory.available'], capacityMemory);
  return {
    info, labels: typeLabels(info), pods,
    allocatableMilliCpu: info.vcpu * 1000 - kubeReservedCpu - systemCpu,
    allocatableMemoryBytes: capacityMemory - kubeReservedMemory - systemMemory - eviction,
    gpus: info.gpus, neuron: info.neuronDevices,
  };
}

function evictionMemory(value: string | undefined, capacity: number): number {
  if (value === undefined) return EVICTION_HARD_MEMORY_MIB * MiB;
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value);
  if (percent) return Number(percent[1]) >= 100 ? 0 : Math.ceil((capacity * Number(percent[1])) / 100);
  return parseBytes(value);
}

function durationSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === 'Never') return Number.POSITIVE_INFINITY;
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2]];
  return total;
}

/** A NodePool resolved for scheduling: its EC2NodeClass, requirements, candidate types and limits. */
export function prepareNodePool(pool: KarpenterNodePool, nodeClass: KarpenterEc2NodeClass | undefined, region: string): PreparedNodePool {
  const spec = pool.spec;
  const requirements = Requirements.from(spec.template?.spec?.requirements ?? []);
  const labels = spec.template?.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(labels)) requirements.add({ key, operator: 'In', values: [value] });
  requirements.add({ key: 'karpenter.sh/nodepool', operator: 'In', values: [pool.metadata.name as string] });
  // karpenter.sh/capacity-type defaults to on-demand when the NodePool does not say (Karpenter v1 defaulting).
  const capacityTypes = (requirements.values('karpenter.sh/capacity-type') ?? ['on-demand']).filter((c): c is 'spot' | 'on-demand' => c === 'spot' || c === 'on-demand');
  const types = instanceTypes(region)
    .filter((info) => requirements.matchesOn(typeLabels(info), INSTANCE_TYPE_KEYS))
    .map((info) => karpenterInstanceType(info, nodeClass))
    .filter((t) => t.allocatableMilliCpu > 0 && t.allocatableMemoryBytes > 0)
    .sort((a, b) => a.info.onDemandUsdPerHour(region) - b.info.onDemandUsdPerHour(region) || a.info.name.localeCompare(b.info.name));
  const limits = spec.limits ?? {};
  const root = nodeClass?.spec?.blockDeviceMappings?.find((m) => m.rootVolume) ?? nodeClass?.spec?.blockDeviceMappings?.[0];
  return {
    name: pool.metadata.name as string, pool, nodeClass, weight: spec.weight ?? 0, requirements,
    taints: spec.template?.spec?.taints ?? [], labels, capacityTypes, types,
    limits: {
      milliCpu: limits.cpu !== undefined ? parseMilliCpu(limits.cpu) : undefined,
      memoryBytes: limits.memory !== undefined ? parseBytes(limits.memory) : undefined,
      nodes: limits.nodes !== undefined ? Number(limits.nodes) : undefined,
    },
    consolidationPolicy: spec.disruption?.consolidationPolicy ?? 'WhenEmptyOrUnderutilized',
    consolidateAfterSeconds: durationSeconds(spec.disruption?.consolidateAfter, 0),
    expireAfterSeconds: durationSeconds(spec.template?.spec?.expireAfter, 720 * 3600),
    budgets: spec.disruption?.budgets ?? [{ nodes: '10%' }],
    diskGiB: root?.ebs?.volumeSize ? Math.ceil(parseBytes(root.ebs.volumeSize) / 2 ** 30) : 20,
  };
}

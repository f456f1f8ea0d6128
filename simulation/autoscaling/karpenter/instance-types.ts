import { instanceTypes, type InstanceTypeInfo } from '../../catalog';
import type { KarpenterEc2NodeClass, KarpenterNodePool, Taint } from '../../model/kubernetes';
import { parseBytes, parseMilliCpu } from '../../model/quantity';
import { osLabels } from '../../catalog/windows';
import { resolvedAmiFamily } from '../../model/karpenter-hash';
import { karpenterNodeSize, type AmiFamilyName } from './overhead';
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
  readonly budgets: { nodes: string; reasons?: readonly string[]; schedule?: string; duration?: string; durationSeconds?: number }[];
  readonly diskGiB: number;
  /** `minValues` per requirement key: a NodeClaim keeps at least this many distinct values among its types. */
  readonly minValues: ReadonlyMap<string, number>;
}

/** The label keys an instance type defines; requirements on other keys belong to the NodeClaim. */
export const INSTANCE_TYPE_KEYS: ReadonlySet<string> = new Set([
  'node.kubernetes.io/instance-type', 'kubernetes.io/arch', 'kubernetes.io/os', 'karpenter.k8s.aws/instance-category', 'karpenter.k8s.aws/instance-family',
  'karpenter.k8s.aws/instance-generation', 'karpenter.k8s.aws/instance-size', 'karpenter.k8s.aws/instance-cpu', 'karpenter.k8s.aws/instance-memory',
  'karpenter.k8s.aws/instance-gpu-count', 'karpenter.k8s.aws/instance-gpu-name', 'karpenter.k8s.aws/instance-gpu-manufacturer', 'karpenter.k8s.aws/instance-hypervisor',
  'karpenter.k8s.aws/instance-bare-metal',
]);

/**
 * Labels Karpenter knows nodes will carry even when a NodePool does not constrain them (pkg/apis/v1/labels.go
 * WellKnownLabels plus the AWS provider's): a pod may require them of any NodePool.
 */
export const WELL_KNOWN_LABELS: ReadonlySet<string> = new Set([
  ...INSTANCE_TYPE_KEYS, 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'karpenter.sh/capacity-type', 'karpenter.sh/nodepool',
  'kubernetes.io/hostname', 'karpenter.k8s.aws/instance-network-bandwidth', 'karpenter.k8s.aws/instance-ebs-bandwidth', 'karpenter.k8s.aws/instance-local-nvme',
  'topology.k8s.aws/zone-id', 'node.kubernetes.io/windows-build',
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

/** Karpenter's view of a type under an EC2NodeClass: well-known labels, pods and allocatable (overhead.ts). */
export function karpenterInstanceType(info: InstanceTypeInfo, nodeClass?: KarpenterEc2NodeClass, options: { reservedEnis?: number; amiFamily?: AmiFamilyName } = {}): KarpenterInstanceType {
  const size = karpenterNodeSize(info, nodeClass, options);
  return {
    // A Windows AMI family's nodes are Windows nodes of its build (amifamily/windows.go requirements).
    info, labels: { ...typeLabels(info), ...osLabels(nodeClass ? resolvedAmiFamily(nodeClass) : options.amiFamily) }, pods: size.pods,
    allocatableMilliCpu: size.allocatableMilliCpu, allocatableMemoryBytes: size.allocatableMemoryBytes,
    gpus: info.gpus, neuron: info.neuronDevices,
  };
}

function durationSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === 'Never') return Number.POSITIVE_INFINITY;
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2]];
  return total;
}

/**
 * A NodePool resolved for scheduling: its EC2NodeClass, requirements, candidate types and limits. `catalog`
 * replaces the instance-type catalog (upstream's test suites run against fake instance types).
 */
export function prepareNodePool(pool: KarpenterNodePool, nodeClass: KarpenterEc2NodeClass | undefined, region: string, catalog?: readonly InstanceTypeInfo[], options: { reservedEnis?: number; amiFamily?: AmiFamilyName } = {}): PreparedNodePool {
  const spec = pool.spec;
  const requirements = Requirements.from(spec.template?.spec?.requirements ?? []);
  const labels = spec.template?.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(labels)) requirements.add({ key, operator: 'In', values: [value] });
  requirements.add({ key: 'karpenter.sh/nodepool', operator: 'In', values: [pool.metadata.name as string] });
  // karpenter.sh/capacity-type defaults to on-demand when the NodePool does not say (Karpenter v1 defaulting);
  // `Exists` or `NotIn` leave every capacity type the requirement allows.
  const capacityTypes = (requirements.has('karpenter.sh/capacity-type') ? (['spot', 'on-demand'] as const).filter((c) => requirements.allows('karpenter.sh/capacity-type', c)) : ['on-demand' as const])
    .filter((c): c is 'spot' | 'on-demand' => c === 'spot' || c === 'on-demand');
  const minValues = new Map<string, number>();
  for (const r of spec.template?.spec?.requirements ?? []) if (r.minValues !== undefined) minValues.set(r.key, Math.max(minValues.get(r.key) ?? 0, r.minValues));
  const os = osLabels(nodeClass ? resolvedAmiFamily(nodeClass) : options.amiFamily);
  const types = (catalog ?? instanceTypes(region))
    .filter((info) => requirements.matchesOn({ ...typeLabels(info), ...os }, INSTANCE_TYPE_KEYS))
    .map((info) => karpenterInstanceType(info, nodeClass, options))
    .filter((t) => t.allocatableMilliCpu > 0 && t.allocatableMemoryBytes > 0 && t.pods > 0)
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
    minValues,
  };
}

import { kubeReservedMemoryMiB, kubeReservedMilliCpu, EVICTION_HARD_MEMORY_MIB, KARPENTER_VM_MEMORY_OVERHEAD_PERCENT, WINDOWS_EVICTION_HARD_MEMORY_MIB, type InstanceTypeInfo } from '../../catalog';
import type { KarpenterEc2NodeClass } from '../../model/kubernetes';
import { MiB, parseBytes, parseMilliCpu } from '../../model/quantity';

// How Karpenter's AWS provider sizes a node before it exists (aws/karpenter-provider-aws
// pkg/providers/instancetype/types.go, pkg/providers/amifamily/*.go FeatureFlags). The same figures are what the
// kubelet gets from the EC2NodeClass, so the launched node's allocatable is this too, but for the Windows eviction
// threshold (kubeletAllocatableMemoryBytes).

export type AmiFamilyName = 'AL2023' | 'AL2' | 'Bottlerocket' | 'Windows2019' | 'Windows2022' | 'Windows2025' | 'Custom';

/** amifamily FeatureFlags: which pod count kube-reserved memory is sized from, and whether podsPerCore and ENI-limited pods apply. */
export interface AmiFamilyFlags {
  /** kube-reserved memory from the ENI-limited pod count (AL2, AL2023, Custom) rather than the kubelet's max pods. */
  readonly usesEniLimitedMemoryOverhead: boolean;
  /** kubelet podsPerCore is honoured (false for Bottlerocket). */
  readonly podsPerCoreEnabled: boolean;
  /** Without maxPods, pods = ENI limit (true) or 110 (Windows). */
  readonly supportsEniLimitedPodDensity: boolean;
}

export function amiFamilyFlags(family: AmiFamilyName): AmiFamilyFlags {
  switch (family) {
    // bottlerocket.go FeatureFlags.
    case 'Bottlerocket': return { usesEniLimitedMemoryOverhead: false, podsPerCoreEnabled: false, supportsEniLimitedPodDensity: true };
    // windows.go FeatureFlags: one Windows family for 2019, 2022 and 2025 (resolver.go GetAMIFamily), so kube-reserved
    // memory follows the kubelet's max pods (110 unless set), not the ENI limit.
    case 'Windows2019': case 'Windows2022': case 'Windows2025': return { usesEniLimitedMemoryOverhead: false, podsPerCoreEnabled: true, supportsEniLimitedPodDensity: false };
    // resolver.go DefaultFamily FeatureFlags (AL2, AL2023, Custom).
    default: return { usesEniLimitedMemoryOverhead: true, podsPerCoreEnabled: true, supportsEniLimitedPodDensity: true };
  }
}

/** The AMI family of an EC2NodeClass: `amiSelectorTerms[].alias` (`bottlerocket@latest`) or `amiFamily`; AL2023 when neither says. */
export function amiFamilyOf(nodeClass: KarpenterEc2NodeClass | undefined): AmiFamilyName {
  const alias = nodeClass?.spec?.amiSelectorTerms?.find((t) => t?.alias)?.alias?.split('@')[0]?.toLowerCase();
  const name = alias ?? nodeClass?.spec?.amiFamily?.toLowerCase();
  switch (name) {
    case 'bottlerocket': return 'Bottlerocket';
    case 'al2': return 'AL2';
    case 'windows2019': return 'Windows2019';
    case 'windows2022': return 'Windows2022';
    case 'windows2025': return 'Windows2025';
    case 'custom': return 'Custom';
    default: return 'AL2023';
  }
}

/** ENILimitedPods: usable ENIs (less `reservedENIs`, Karpenter's setting) × (IPv4 per ENI − 1) + 2. */
export function eniLimitedPods(info: InstanceTypeInfo, reservedEnis = 0): number {
  const usable = Math.max(0, info.maxEnis - reservedEnis);
  return usable === 0 ? 0 : usable * (info.ipv4PerEni - 1) + 2;
}

/** Memory capacity Karpenter assumes: Graviton (arm64) types lose 64 MiB to CMA, then the VM overhead (7.5%) is taken off (types.go memory()). */
export function karpenterMemoryCapacityMiB(info: InstanceTypeInfo, vmOverheadPercent = KARPENTER_VM_MEMORY_OVERHEAD_PERCENT): number {
  const mib = info.memoryMiB - (info.arch === 'arm64' ? 64 : 0);
  return mib - Math.ceil(mib * vmOverheadPercent);
}

export interface KarpenterNodeSize {
  readonly pods: number;
  readonly capacityMemoryBytes: number;
  readonly allocatableMilliCpu: number;
  readonly allocatableMemoryBytes: number;
}

/**
 * Pods and allocatable of a type under an EC2NodeClass (types.go pods(), kubeReservedResources(),
 * systemReservedResources(), evictionThreshold()): pods = kubelet maxPods, else the ENI limit (Windows: 110), capped
 * by podsPerCore × vCPU where the family honours it; allocatable = capacity − kube-reserved (CPU bands; memory
 * 11 MiB × pods + 255 MiB, pods from the ENI limit or the kubelet's max pods per family; kubelet.kubeReserved
 * overrides) − system-reserved − evictionHard memory.available (100Mi by default, percentages of capacity).
 */
export function karpenterNodeSize(info: InstanceTypeInfo, nodeClass: KarpenterEc2NodeClass | undefined, options: { reservedEnis?: number; amiFamily?: AmiFamilyName } = {}): KarpenterNodeSize {
  const kubelet = nodeClass?.spec?.kubelet ?? {};
  const flags = amiFamilyFlags(options.amiFamily ?? amiFamilyOf(nodeClass));
  let pods = kubelet.maxPods ?? (flags.supportsEniLimitedPodDensity ? eniLimitedPods(info, options.reservedEnis ?? 0) : 110);
  if (kubelet.podsPerCore && kubelet.podsPerCore > 0 && flags.podsPerCoreEnabled) pods = Math.min(pods, kubelet.podsPerCore * info.vcpu);
  const capacityMemory = karpenterMemoryCapacityMiB(info) * MiB;
  // Memory overhead uses the ENI-limited count with no reserved ENIs (types.go: ENILimitedPods(ctx, info, 0, ...)).
  const reservedPods = flags.usesEniLimitedMemoryOverhead ? eniLimitedPods(info, 0) : pods;
  const kubeReservedCpu = kubelet.kubeReserved?.cpu !== undefined ? parseMilliCpu(kubelet.kubeReserved.cpu) : kubeReservedMilliCpu(info.vcpu);
  const kubeReservedMemory = kubelet.kubeReserved?.memory !== undefined ? parseBytes(kubelet.kubeReserved.memory) : kubeReservedMemoryMiB(reservedPods) * MiB;
  const systemCpu = kubelet.systemReserved?.cpu !== undefined ? parseMilliCpu(kubelet.systemReserved.cpu) : 0;
  const systemMemory = kubelet.systemReserved?.memory !== undefined ? parseBytes(kubelet.systemReserved.memory) : 0;
  const eviction = evictionMemory(kubelet.evictionHard?.['memory.available'], capacityMemory);
  return {
    pods, capacityMemoryBytes: capacityMemory,
    allocatableMilliCpu: info.vcpu * 1000 - kubeReservedCpu - systemCpu,
    allocatableMemoryBytes: capacityMemory - kubeReservedMemory - systemMemory - eviction,
  };
}

function evictionMemory(value: string | undefined, capacity: number): number {
  if (value === undefined) return EVICTION_HARD_MEMORY_MIB * MiB;
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value);
  if (percent) return Number(percent[1]) >= 100 ? 0 : Math.ceil((capacity * Number(percent[1])) / 100);
  return parseBytes(value);
}

/**
 * The allocatable memory the launched node's kubelet reports, from Karpenter's estimate of it (karpenterNodeSize).
 * Karpenter estimates every family with the 100Mi memory.available eviction threshold (types.go evictionThreshold;
 * aws/karpenter-provider-aws#8473), but it hands the Windows kubelet --eviction-hard only when the EC2NodeClass sets
 * it (pkg/providers/amifamily/bootstrap/windows.go kubeletExtraArgs): without it the Windows kubelet keeps its own
 * default, 500Mi (kubernetes/kubernetes pkg/kubelet/eviction/defaults_windows.go; catalog/node-overhead.ts), so such
 * a node has 400Mi less than Karpenter provisioned for. Other families and a set threshold: the estimate.
 */
export function kubeletAllocatableMemoryBytes(estimateBytes: number, nodeClass: KarpenterEc2NodeClass | undefined, family: AmiFamilyName = amiFamilyOf(nodeClass)): number {
  if (family !== 'Windows2019' && family !== 'Windows2022' && family !== 'Windows2025') return estimateBytes;
  if (nodeClass?.spec?.kubelet?.evictionHard?.['memory.available'] !== undefined) return estimateBytes;
  return estimateBytes - (WINDOWS_EVICTION_HARD_MEMORY_MIB - EVICTION_HARD_MEMORY_MIB) * MiB;
}

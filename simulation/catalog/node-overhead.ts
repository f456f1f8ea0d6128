import { GiB, MiB } from '../model/quantity';
import type { Node, Taint } from '../model/kubernetes';
import { instanceType, type InstanceTypeInfo } from './instance-types';

/**
 * kube-reserved CPU as the EKS AMI reserves it: 6% of the first core, 1% of the second, 0.5% of cores
 * 3-4 and 0.25% of the rest (awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go getCPUMillicoresToReserve).
 */
export function kubeReservedMilliCpu(vcpu: number): number {
  const total = vcpu * 1000;
  const bands: [start: number, end: number, basisPoints: number][] = [[0, 1000, 600], [1000, 2000, 100], [2000, 4000, 50], [4000, Number.MAX_SAFE_INTEGER, 25]];
  let reserved = 0;
  for (const [start, end, bp] of bands) {
    if (total <= start) break;
    reserved += Math.floor(((Math.min(total, end) - start) * bp) / 10000);
  }
  return reserved;
}

/** kube-reserved memory: 11 MiB per pod + 255 MiB (nodeadm getMemoryMebibytesToReserve). */
export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** evictionHard memory.available default of the EKS AMI and of Karpenter. */
export const EVICTION_HARD_MEMORY_MIB = 100;
/** kube-reserved ephemeral storage (1Gi) and nodefs.available eviction threshold (10%). */
export const KUBE_RESERVED_EPHEMERAL_BYTES = GiB;
export const EVICTION_NODEFS_PERCENT = 10;

/**
 * Karpenter's VM memory overhead (--vm-memory-overhead-percent, default 0.075): the memory the hypervisor
 * and kernel keep, subtracted before kube-reserved (aws/karpenter-provider-aws pkg/providers/instancetype/types.go).
 */
export const KARPENTER_VM_MEMORY_OVERHEAD_PERCENT = 0.075;

export function karpenterVmOverheadMiB(type: InstanceTypeInfo, percent = KARPENTER_VM_MEMORY_OVERHEAD_PERCENT): number {
  return Math.ceil(type.memoryMiB * percent);
}

export interface NodeAllocatable {
  readonly milliCpu: number;
  readonly memoryBytes: number;
  readonly ephemeralStorageBytes: number;
  readonly pods: number;
  readonly gpus: number;
}

/**
 * The EKS Windows AMI's bootstrap (Start-EKSBootstrap.ps1) writes a kubelet config with no kubeReserved, systemReserved
 * or evictionHard (aws/containers-roadmap#1245 asks for them), so a managed Windows node reserves only the Windows
 * kubelet's default hard eviction: memory.available 500Mi and nodefs.available 10% (kubernetes/kubernetes
 * pkg/kubelet/eviction/defaults_windows.go, Kubernetes 1.30+).
 */
export const WINDOWS_EVICTION_HARD_MEMORY_MIB = 500;

/**
 * Capacity and allocatable of a node of a type: allocatable = capacity − kube-reserved − eviction threshold
 * (no system-reserved by default on the EKS AMI). With `karpenter`, capacity memory is what Karpenter
 * assumes before the node exists (VM overhead subtracted); the real kubelet reports the OS-visible memory,
 * which the same overhead approximates. With `windows` (and not `karpenter`), the EKS Windows bootstrap's reservation (above).
 */
export function nodeCapacityAndAllocatable(type: InstanceTypeInfo, opts: { maxPods: number; diskGiB?: number; karpenter?: boolean; windows?: boolean }): { capacity: NodeAllocatable; allocatable: NodeAllocatable } {
  const diskBytes = (opts.diskGiB ?? 20) * GiB;
  const memoryMiB = type.memoryMiB - karpenterVmOverheadMiB(type);
  const capacity: NodeAllocatable = {
    milliCpu: type.vcpu * 1000,
    memoryBytes: memoryMiB * MiB,
    ephemeralStorageBytes: diskBytes,
    pods: opts.maxPods,
    gpus: type.gpus,
  };
  const nodefsEviction = Math.ceil((diskBytes * EVICTION_NODEFS_PERCENT) / 100);
  // Karpenter's nodes get the kubelet settings Karpenter computed (karpenter/overhead.ts), with the Windows kubelet's
  // own 500Mi memory eviction when the EC2NodeClass sets none (kubeletAllocatableMemoryBytes).
  if (opts.windows && !opts.karpenter) {
    return { capacity, allocatable: {
      milliCpu: capacity.milliCpu, memoryBytes: capacity.memoryBytes - WINDOWS_EVICTION_HARD_MEMORY_MIB * MiB,
      ephemeralStorageBytes: Math.max(0, diskBytes - nodefsEviction), pods: opts.maxPods, gpus: type.gpus,
    } };
  }
  const allocatable: NodeAllocatable = {
    milliCpu: capacity.milliCpu - kubeReservedMilliCpu(type.vcpu),
    // nodeadm (and Karpenter) size kube-reserved memory from the ENI-limited max pods, whatever maxPods the
    // kubelet config sets (nodeadm config.go withDefaultReservedResources; karpenter types.go UsesENILimitedMemoryOverhead).
    memoryBytes: capacity.memoryBytes - (kubeReservedMemoryMiB(type.maxEnis * (type.ipv4PerEni - 1) + 2) + EVICTION_HARD_MEMORY_MIB) * MiB,
    ephemeralStorageBytes: Math.max(0, diskBytes - KUBE_RESERVED_EPHEMERAL_BYTES - nodefsEviction),
    pods: opts.maxPods,
    gpus: type.gpus,
  };
  return { capacity, allocatable };
}

export interface NodeSpec {
  readonly name: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: 'on-demand' | 'spot';
  readonly maxPods: number;
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
  readonly diskGiB?: number;
  readonly karpenter?: boolean;
}

/** A v1.Node for a type, with the well-known labels the scheduler, Karpenter and Cluster Autoscaler use. */
export function buildNode(spec: NodeSpec): Node {
  const type = instanceType(spec.instanceType);
  // A Windows node (osLabels of its AMI type or family) reserves what the Windows bootstrap and kubelet do.
  const windows = spec.labels?.['kubernetes.io/os'] === 'windows';
  const { capacity, allocatable } = nodeCapacityAndAllocatable(type, { maxPods: spec.maxPods, diskGiB: spec.diskGiB, karpenter: spec.karpenter, windows });
  const region = spec.zone.replace(/[a-z]$/, '');
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': type.arch,
    'node.kubernetes.io/instance-type': type.name,
    'topology.kubernetes.io/zone': spec.zone,
    'topology.kubernetes.io/region': region,
    'karpenter.sh/capacity-type': spec.capacityType,
    'eks.amazonaws.com/capacityType': spec.capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND',
    'karpenter.k8s.aws/instance-category': type.category,
    'karpenter.k8s.aws/instance-family': type.family,
    'karpenter.k8s.aws/instance-generation': String(type.generation),
    'karpenter.k8s.aws/instance-size': type.size,
    'karpenter.k8s.aws/instance-cpu': String(type.vcpu),
    'karpenter.k8s.aws/instance-memory': String(type.memoryMiB),
    ...(type.gpus > 0 ? { 'karpenter.k8s.aws/instance-gpu-count': String(type.gpus), 'karpenter.k8s.aws/instance-gpu-name': (type.gpuName ?? '').toLowerCase() } : {}),
    ...(spec.labels ?? {}),
  };
  const resources = (values: NodeAllocatable): Record<string, string> => ({
    cpu: `${values.milliCpu}m`,
    memory: `${Math.floor(values.memoryBytes / 1024)}Ki`,
    'ephemeral-storage': `${Math.floor(values.ephemeralStorageBytes / 1024)}Ki`,
    pods: String(values.pods),
    ...(type.gpus > 0 ? { 'nvidia.com/gpu': String(type.gpus) } : {}),
    ...(type.neuronDevices > 0 ? { 'aws.amazon.com/neuron': String(type.neuronDevices) } : {}),
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: spec.name, labels },
    spec: { taints: spec.taints && spec.taints.length > 0 ? spec.taints.map((t) => ({ ...t })) : undefined, providerID: `aws:///${spec.zone}/i-${spec.name}` },
    status: { capacity: resources(capacity), allocatable: resources(allocatable), conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

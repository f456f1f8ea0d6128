import { amiFamilyOf, karpenterNodeSize, type AmiFamilyName } from '../../../simulation/autoscaling/karpenter/overhead';
import { buildNode, instanceType, nodeCapacityAndAllocatable } from '../../../simulation/catalog';
import { osLabels } from '../../../simulation/catalog/windows';
import type { KarpenterEc2NodeClass } from '../../../simulation/model/kubernetes';
import { MiB } from '../../../simulation/model/quantity';
import { typedObjects } from '../../../simulation/model/typed-objects';
import { object } from '../checks/fixture';

// What a Windows node reserves, per AMI family, worked by hand for an m5.xlarge (4 vCPU, 16384 MiB, 4 ENIs x 15 IPv4).
//   Memory capacity: 16384 - ceil(16384 x 0.075) = 15155 MiB (VM overhead, types.go memory()).
//   kube-reserved CPU: 60 + 10 + 10 = 80m (types.go kubeReservedResources bands).
//   ENI-limited pods: 4 x (15 - 1) + 2 = 58; kube-reserved memory 11 x 58 + 255 = 893 MiB.
//   Windows: pods 110 (types.go pods(): no ENI-limited density), kube-reserved memory 11 x 110 + 255 = 1465 MiB.
//   Karpenter's evictionHard memory.available: 100Mi for every family (types.go evictionThreshold; the Windows
//   kubelet's own 500Mi is aws/karpenter-provider-aws#8473, still open).

const M5_XLARGE = instanceType('m5.xlarge');

function ec2NodeClass(spec: Record<string, unknown>): KarpenterEc2NodeClass {
  return object('EC2NodeClass', 'default', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }], ...spec }).object as KarpenterEc2NodeClass;
}

describe('Karpenter node size per AMI family (aws/karpenter-provider-aws pkg/providers/instancetype/types.go, amifamily FeatureFlags)', () => {
  it.each<[string, Record<string, unknown>, AmiFamilyName, number, number]>([
    // [upstream FeatureFlags source, EC2NodeClass spec, family, pods, allocatable memory MiB]
    ['resolver.go DefaultFamily (al2023.go)', { amiSelectorTerms: [{ alias: 'al2023@latest' }] }, 'AL2023', 58, 15155 - 893 - 100],
    ['resolver.go DefaultFamily (al2.go)', { amiSelectorTerms: [{ alias: 'al2@latest' }] }, 'AL2', 58, 15155 - 893 - 100],
    ['bottlerocket.go FeatureFlags', { amiSelectorTerms: [{ alias: 'bottlerocket@latest' }] }, 'Bottlerocket', 58, 15155 - 893 - 100],
    ['windows.go FeatureFlags (Windows2019)', { amiSelectorTerms: [{ alias: 'windows2019@latest' }] }, 'Windows2019', 110, 15155 - 1465 - 100],
    ['windows.go FeatureFlags (Windows2022)', { amiSelectorTerms: [{ alias: 'windows2022@latest' }] }, 'Windows2022', 110, 15155 - 1465 - 100],
    ['windows.go FeatureFlags (Windows2025)', { amiSelectorTerms: [{ alias: 'windows2025@latest' }] }, 'Windows2025', 110, 15155 - 1465 - 100],
    ['windows.go FeatureFlags (amiFamily Windows2025)', { amiFamily: 'Windows2025', amiSelectorTerms: [{ id: 'ami-123' }] }, 'Windows2025', 110, 15155 - 1465 - 100],
    ['resolver.go DefaultFamily (custom.go)', { amiFamily: 'Custom', amiSelectorTerms: [{ id: 'ami-123' }] }, 'Custom', 58, 15155 - 893 - 100],
  ])('%s: %j is %s, %i pods, %i MiB allocatable', (_source, spec, family, pods, memoryMiB) => {
    const nodeClass = ec2NodeClass(spec);
    expect(amiFamilyOf(nodeClass)).toBe(family);
    // The typed model (what the controller passes) resolves the same family.
    expect(typedObjects([{ object: nodeClass, source: { file: 'x', id: 'x' } }], []).nodeClasses[0].amiFamily).toBe(family);
    const size = karpenterNodeSize(M5_XLARGE, nodeClass);
    expect(size.pods).toBe(pods);
    expect(size.allocatableMilliCpu).toBe(4000 - 80);
    expect(size.allocatableMemoryBytes).toBe(memoryMiB * MiB);
  });

  it('a Windows2025 node is labelled with its build (pkg/apis/v1/labels.go Windows2025Build)', () => {
    expect(osLabels('Windows2025')).toEqual({ 'kubernetes.io/os': 'windows', 'node.kubernetes.io/windows-build': '10.0.26100' });
  });

  it('kubelet maxPods on a Windows2025 EC2NodeClass sets pods and the kube-reserved memory (11 x 30 + 255 = 585 MiB)', () => {
    const size = karpenterNodeSize(M5_XLARGE, ec2NodeClass({ amiSelectorTerms: [{ alias: 'windows2025@latest' }], kubelet: { maxPods: 30 } }));
    expect(size.pods).toBe(30);
    expect(size.allocatableMemoryBytes).toBe((15155 - 585 - 100) * MiB);
  });
});

describe('managed node group allocatable: EKS AMI (nodeadm) vs EKS Windows AMI (Start-EKSBootstrap.ps1 + Windows kubelet defaults)', () => {
  it.each<[string, string, number, number]>([
    // [AMI type, source, allocatable CPU m, allocatable memory MiB]
    ['AL2023_x86_64_STANDARD', 'nodeadm getCPUMillicoresToReserve / getMemoryMebibytesToReserve + evictionHard 100Mi', 4000 - 80, 15155 - 893 - 100],
    ['WINDOWS_CORE_2019_x86_64', 'no kube-reserved; kubelet defaults_windows.go memory.available 500Mi', 4000, 15155 - 500],
    ['WINDOWS_FULL_2022_x86_64', 'no kube-reserved; kubelet defaults_windows.go memory.available 500Mi', 4000, 15155 - 500],
    ['WINDOWS_CORE_2025_x86_64', 'no kube-reserved; kubelet defaults_windows.go memory.available 500Mi', 4000, 15155 - 500],
  ])('%s (%s): %im CPU, %i MiB', (amiType, _source, milliCpu, memoryMiB) => {
    const node = buildNode({ name: 'n', instanceType: 'm5.xlarge', zone: 'us-east-1a', capacityType: 'on-demand', maxPods: 58, labels: osLabels(amiType) });
    expect(node.status?.allocatable?.cpu).toBe(`${milliCpu}m`);
    expect(node.status?.allocatable?.memory).toBe(`${memoryMiB * 1024}Ki`);
  });

  it('a Windows node keeps nodefs.available 10% of its disk and no kube-reserved ephemeral storage', () => {
    const windows = nodeCapacityAndAllocatable(M5_XLARGE, { maxPods: 58, diskGiB: 50, windows: true }).allocatable;
    const linux = nodeCapacityAndAllocatable(M5_XLARGE, { maxPods: 58, diskGiB: 50 }).allocatable;
    expect(windows.ephemeralStorageBytes).toBe(45 * 2 ** 30);
    expect(linux.ephemeralStorageBytes).toBe(44 * 2 ** 30);
  });

  it('Karpenter\'s Windows nodes keep the figures Karpenter computed (launch overrides CPU and memory)', () => {
    const karpenter = nodeCapacityAndAllocatable(M5_XLARGE, { maxPods: 110, karpenter: true, windows: true }).allocatable;
    const linux = nodeCapacityAndAllocatable(M5_XLARGE, { maxPods: 110, karpenter: true }).allocatable;
    expect(karpenter).toEqual(linux);
  });
});

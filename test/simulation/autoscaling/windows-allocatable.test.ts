import { kubeletAllocatableMemoryBytes } from '../../../simulation/autoscaling/karpenter/overhead';
import { checkKarpenterWiring } from '../../../simulation/checks/karpenter-wiring';
import { simulate } from '../../../simulation/engine';
import { object } from '../checks/fixture';
import { clusterModel, deployment, karpenterHarness, nodePool, scenario } from './fixtures';

// A Windows node's real eviction threshold: Karpenter's AWS provider estimates a Windows node with the 100Mi
// memory.available eviction threshold it uses everywhere (pkg/providers/instancetype/types.go evictionThreshold;
// aws/karpenter-provider-aws#8473), but passes --eviction-hard to the Windows kubelet only when the EC2NodeClass sets
// it (pkg/providers/amifamily/bootstrap/windows.go), and the Windows kubelet's own default is 500Mi
// (kubernetes/kubernetes pkg/kubelet/eviction/defaults_windows.go). Provisioning keeps Karpenter's estimate; the
// launched node reports the kubelet's allocatable.

const MiB = 2 ** 20;
const onDemand = { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] };
const mLarge = { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] };

const windowsClass = (kubelet?: Record<string, unknown>) => object('EC2NodeClass', 'windows', {
  subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }], amiSelectorTerms: [{ alias: 'windows2022@latest' }], ...(kubelet ? { kubelet } : {}),
});

// m5.large: 2 vCPU, 8192 MiB. Karpenter's capacity: 8192 - ceil(8192 x 7.5%) = 8192 - 615 = 7577 MiB. Windows
// families size kube-reserved memory from the kubelet's max pods, 110 without maxPods: 11 x 110 + 255 = 1465 MiB.
// kube-reserved CPU: 6% of the first core + 1% of the second = 60m + 10m = 70m.
const KARPENTER_ESTIMATE_MIB = 7577 - 1465 - 100; // 6012
const KUBELET_MIB = 7577 - 1465 - 500; // 5612

function launchWindowsNode(kubelet?: Record<string, unknown>) {
  const h = karpenterHarness([
    windowsClass(kubelet),
    nodePool('windows', [onDemand, mLarge], {}, { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'windows' } }),
    deployment('win', 0, '500m', '512Mi', { nodeSelector: { 'kubernetes.io/os': 'windows' } }),
  ]);
  h.pod('win');
  // The kube-scheduler finds no node (the pod's message), then Karpenter provisions (after the batch window).
  for (const t of [1, 2, 3, 12]) h.step(t, { schedule: true });
  const nodes = h.view.nodes();
  expect(nodes).toHaveLength(1);
  return { h, node: nodes[0] };
}

describe('Windows2022 EC2NodeClass: Karpenter estimates 100Mi eviction, the kubelet reserves 500Mi', () => {
  it('provisioning keeps Karpenter\'s estimate: 6012 MiB, 1930m for an m5.large', () => {
    const { h } = launchWindowsNode();
    const type = h.karpenter.pools[0].types.find((t) => t.info.name === 'm5.large');
    expect(type?.allocatableMemoryBytes).toBe(KARPENTER_ESTIMATE_MIB * MiB);
    expect(type?.allocatableMilliCpu).toBe(1930);
  });

  it('the launched node reports the kubelet\'s allocatable: 5612 MiB (400 MiB less), the same CPU', () => {
    const { node } = launchWindowsNode();
    expect(node.node.metadata.labels?.['kubernetes.io/os']).toBe('windows');
    expect(node.info.allocatable.memoryBytes).toBe(KUBELET_MIB * MiB);
    expect(node.node.status?.allocatable?.memory).toBe(`${KUBELET_MIB * 1024}Ki`);
    expect(node.info.allocatable.milliCpu).toBe(1930);
  });

  it('an EC2NodeClass that sets evictionHard memory.available: the kubelet gets it, and both agree', () => {
    // 7577 - 1465 - 300 = 5812 MiB.
    const { h, node } = launchWindowsNode({ evictionHard: { 'memory.available': '300Mi' } });
    expect(h.karpenter.pools[0].types.find((t) => t.info.name === 'm5.large')?.allocatableMemoryBytes).toBe(5812 * MiB);
    expect(node.info.allocatable.memoryBytes).toBe(5812 * MiB);
  });

  it.each([
    ['Windows2019', undefined, 6012, 5612],
    ['Windows2025', undefined, 6012, 5612],
    ['AL2023 (the kubelet gets the 100Mi threshold)', undefined, 6012, 6012],
    ['Bottlerocket', undefined, 6012, 6012],
    ['Windows2022 with evictionHard 10%', { 'memory.available': '10%' }, 6012, 6012],
  ] as const)('kubeletAllocatableMemoryBytes: %s', (family, evictionHard, estimate, kubelet) => {
    const name = family.split(' ')[0] as 'Windows2019';
    const nodeClass = evictionHard ? { spec: { kubelet: { evictionHard } } } : undefined;
    expect(kubeletAllocatableMemoryBytes(estimate * MiB, nodeClass as never, name)).toBe(kubelet * MiB);
  });
});

// aws/karpenter-provider-aws#8367: a pod that fits Karpenter's estimate of a type but not the node the kubelet reports
// stays pending, and Karpenter launches another node of that type, again and again. The simulation gives the real
// cluster's answer, and the check says why and how to stop it.
describe('a Windows pod within 400Mi of the estimate (aws/karpenter-provider-aws#8367)', () => {
  const windowsPlatform = (memory: string, kubelet?: Record<string, unknown>) => clusterModel([
    windowsClass(kubelet),
    nodePool('windows', [onDemand, mLarge], {}, { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'windows' } }),
    deployment('win', 1, '500m', memory, { nodeSelector: { 'kubernetes.io/os': 'windows' } }),
  ]);
  const run = (memory: string, kubelet?: Record<string, unknown>) => simulate(windowsPlatform(memory, kubelet), scenario({ duration: '30m', step: '15s', seed: 1 }), { warmupSeconds: 0 });

  it('5800Mi (above the node\'s 5612, below the estimate\'s 6012): Karpenter launches m5.large after m5.large, and the pod never runs', () => {
    const result = run('5800Mi');
    expect(result.nodes.length).toBeGreaterThan(3);
    expect(result.nodes.every((n) => n.instanceType === 'm5.large')).toBe(true);
    expect(result.pendingPods.some((p) => p.workload === 'Deployment default/win' && /Insufficient memory/.test(p.message))).toBe(true);
  });

  it('the check names the cause and the fix', () => {
    expect(checkKarpenterWiring(windowsPlatform('5800Mi')).filter((f) => f.code === 'karpenter-windows-eviction-estimate').map((f) => [f.severity, f.fix]))
      .toEqual([['warning', "set spec.kubelet.evictionHard: { memory.available: 500Mi } on the EC2NodeClass, so Karpenter's estimate and the kubelet agree"]]);
  });

  it('with evictionHard memory.available 500Mi both agree: a 5500Mi pod gets one node and runs; no finding', () => {
    const result = run('5500Mi', { evictionHard: { 'memory.available': '500Mi' } });
    expect(result.nodes).toHaveLength(1);
    expect(result.pendingPods.filter((p) => p.workload === 'Deployment default/win')).toEqual([]);
    expect(checkKarpenterWiring(windowsPlatform('5500Mi', { evictionHard: { 'memory.available': '500Mi' } })).filter((f) => f.code === 'karpenter-windows-eviction-estimate')).toEqual([]);
  });
});

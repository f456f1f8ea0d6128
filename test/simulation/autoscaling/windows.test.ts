import { osLabels, windowsBuild } from '../../../simulation/catalog/windows';
import { placeStatic } from '../../../simulation/engine';
import { object } from '../checks/fixture';
import { clusterModel, deployment, nodeClass, nodeGroup, nodePool } from './fixtures';

// Windows nodes carry kubernetes.io/os=windows and node.kubernetes.io/windows-build (the kubelet sets both:
// kubernetes/kubernetes pkg/kubelet/kubelet_node_status.go; Karpenter's Windows AMI families require them:
// aws/karpenter-provider-aws pkg/providers/amifamily/windows.go), so OS node selectors place pods as on EKS.

const windowsPod = deployment('win', 2, '500m', '512Mi', { nodeSelector: { 'kubernetes.io/os': 'windows' } });
const linuxPod = deployment('lin', 2, '500m', '512Mi', { nodeSelector: { 'kubernetes.io/os': 'linux' } });

function nodesOf(state: ReturnType<typeof placeStatic>['state'], workload: string) {
  return [...state.pods.values()].filter((p) => p.workload.key === workload && p.nodeName).map((p) => state.nodes.get(p.nodeName as string));
}

describe('Windows nodes are labelled windows', () => {
  it.each([
    ['WINDOWS_CORE_2019_x86_64', '10.0.17763'], ['WINDOWS_FULL_2022_x86_64', '10.0.20348'], ['WINDOWS_CORE_2025_x86_64', '10.0.26100'],
    ['Windows2019', '10.0.17763'], ['Windows2022', '10.0.20348'], ['Windows2025', '10.0.26100'],
    ['AL2023_x86_64_STANDARD', undefined], ['BOTTLEROCKET_ARM_64', undefined], ['AL2023', undefined],
  ])('labels.go build of %s is %s', (ami, build) => {
    expect(windowsBuild(ami)).toBe(build);
    expect(osLabels(ami)['kubernetes.io/os']).toBe(build ? 'windows' : undefined);
  });

  it('managed node groups with a WINDOWS_* AMI type: a pod selecting os=windows lands there, a linux pod does not', () => {
    const groups = [
      nodeGroup({ name: 'windows', amiType: 'WINDOWS_CORE_2022_x86_64', minSize: 2, desiredSize: 2, maxSize: 2 }),
      nodeGroup({ name: 'linux', minSize: 2, desiredSize: 2, maxSize: 2 }),
    ];
    const { state, result } = placeStatic(clusterModel([windowsPod, linuxPod], groups));
    const windowsNodes = [...state.nodes.values()].filter((n) => n.owner.name === 'windows');
    expect(windowsNodes.map((n) => n.node.metadata.labels?.['kubernetes.io/os'])).toEqual(['windows', 'windows']);
    expect(windowsNodes.every((n) => n.node.metadata.labels?.['node.kubernetes.io/windows-build'] === '10.0.20348')).toBe(true);
    expect(nodesOf(state, 'Deployment default/win').every((n) => n?.owner.name === 'windows')).toBe(true);
    expect(nodesOf(state, 'Deployment default/lin').every((n) => n?.owner.name === 'linux')).toBe(true);
    expect(result.pendingPods).toEqual([]);
  });

  it('Karpenter with a Windows2022 EC2NodeClass launches windows nodes for the windows pod, linux nodes for the linux pod', () => {
    const windowsClass = object('EC2NodeClass', 'windows', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }], amiSelectorTerms: [{ alias: 'windows2022@latest' }] });
    const windowsPool = nodePool('windows', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }], {}, { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'windows' } });
    const linuxPool = nodePool('linux', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }]);
    const model = clusterModel([windowsPool, linuxPool, nodeClass(), windowsClass, windowsPod, linuxPod], [], { helmReleases: [{ chart: 'karpenter', release: 'karpenter', namespace: 'kube-system', values: {}, source: { file: 'x', id: 'karpenter' } }] });
    const { state, result } = placeStatic(model, { assume: ['karpenter'] });
    expect(result.pendingPods.filter((p) => p.workload.startsWith('Deployment default/'))).toEqual([]);
    const win = nodesOf(state, 'Deployment default/win');
    expect(win.length).toBe(2);
    expect(win.every((n) => n?.owner.name === 'windows' && n.node.metadata.labels?.['kubernetes.io/os'] === 'windows' && n.node.metadata.labels?.['node.kubernetes.io/windows-build'] === '10.0.20348')).toBe(true);
    const lin = nodesOf(state, 'Deployment default/lin');
    expect(lin.every((n) => n?.owner.name === 'linux' && n.node.metadata.labels?.['kubernetes.io/os'] === 'linux')).toBe(true);
  });
});

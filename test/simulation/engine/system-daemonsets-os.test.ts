import { daemonOverheadByType } from '../../../simulation/autoscaling/karpenter/daemon-overhead';
import { prepareNodePool } from '../../../simulation/autoscaling/karpenter/instance-types';
import { instanceType } from '../../../simulation/catalog';
import { chartWorkloads, placeStatic, systemWorkloads } from '../../../simulation/engine';
import type { ClusterModel } from '../../../simulation/model/cluster';
import type { KarpenterEc2NodeClass, KarpenterNodePool, Pod } from '../../../simulation/model/kubernetes';
import { MiB } from '../../../simulation/model/quantity';
import { object } from '../checks/fixture';
import { clusterModel, nodeGroup, nodePool } from '../autoscaling/fixtures';

// The EKS add-ons' node DaemonSets run where their manifests let them: aws-node, kube-proxy and eks-pod-identity-agent
// require kubernetes.io/os=linux (and amd64/arm64, not Fargate); ebs-csi-node selects linux nodes and ebs-csi-node-windows
// windows ones (aws/amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml, eksctl's EKS kube-proxy sample,
// aws/eks-pod-identity-agent charts/eks-pod-identity-agent/values.yaml, kubernetes-sigs/aws-ebs-csi-driver templates/_node.tpl
// and _node-windows.tpl). A Windows node must neither run nor reserve room for the Linux-only ones.

const ADDONS = ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent', 'aws-ebs-csi-driver'].map((name) => ({ name, configuration: {} }));

function systemPodsByNode(model: ClusterModel): Map<string, string[]> {
  const { state } = placeStatic(model);
  const out = new Map<string, string[]>();
  for (const pod of state.pods.values()) {
    if (!pod.workload.system || !pod.nodeName) continue;
    const owner = state.nodes.get(pod.nodeName)?.owner.name ?? '?';
    out.set(owner, [...new Set([...(out.get(owner) ?? []), pod.workload.name])].sort());
  }
  return out;
}

describe('system DaemonSets on Windows and Linux nodes', () => {
  it('a WINDOWS_CORE_2022 managed node group gets only ebs-csi-node-windows; a Linux group gets the Linux node agents and CoreDNS', () => {
    const groups = [
      nodeGroup({ name: 'windows', amiType: 'WINDOWS_CORE_2022_x86_64', instanceTypes: ['m5.xlarge'], minSize: 1, desiredSize: 1, maxSize: 1 }),
      nodeGroup({ name: 'linux', instanceTypes: ['m5.xlarge'], minSize: 2, desiredSize: 2, maxSize: 2 }),
    ];
    const byNode = systemPodsByNode(clusterModel([], groups, { addons: ADDONS }));
    expect(byNode.get('windows')).toEqual(['ebs-csi-node-windows']);
    // CoreDNS and the EBS controller (Linux-only Deployments) land on the Linux nodes too.
    expect(byNode.get('linux')).toEqual(['aws-node', 'coredns', 'ebs-csi-controller', 'ebs-csi-node', 'eks-pod-identity-agent', 'kube-proxy']);
  });

  it('the add-on pods carry their manifests\' OS constraints', () => {
    const specs = new Map(systemWorkloads(clusterModel([], [], { addons: ADDONS })).map((w) => [w.name, w.template.spec]));
    const osTerm = (name: string) => specs.get(name)?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchExpressions?.find((e) => e.key === 'kubernetes.io/os')?.values;
    expect(osTerm('aws-node')).toEqual(['linux']);
    expect(osTerm('kube-proxy')).toEqual(['linux']);
    expect(osTerm('eks-pod-identity-agent')).toEqual(['linux']);
    expect(osTerm('coredns')).toEqual(['linux']);
    expect(specs.get('ebs-csi-node')?.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(specs.get('ebs-csi-node-windows')?.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows' });
    expect(specs.get('ebs-csi-controller')?.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  it('kube-prometheus-stack\'s node-exporter selects linux nodes (prometheus-node-exporter values.yaml nodeSelector)', () => {
    const exporter = chartWorkloads({ chart: 'kube-prometheus-stack', release: 'kps', namespace: 'monitoring', values: {} }).find((w) => w.daemonSet);
    expect(exporter?.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  describe('Karpenter DaemonSet overhead per NodePool', () => {
    const model = clusterModel([], [], { addons: ADDONS });
    const daemonPods: Pod[] = systemWorkloads(model).filter((w) => w.daemonSet).map((w) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: w.name, namespace: w.namespace, labels: w.template.metadata?.labels }, spec: w.template.spec,
    } as Pod));
    const windowsClass = object('EC2NodeClass', 'windows', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }], amiSelectorTerms: [{ alias: 'windows2022@latest' }] }).object as KarpenterEc2NodeClass;
    const linuxClass = object('EC2NodeClass', 'default', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }], amiSelectorTerms: [{ alias: 'al2023@latest' }] }).object as KarpenterEc2NodeClass;
    const pool = (name: string) => nodePool(name, [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.xlarge'] }]).object as KarpenterNodePool;

    it('a Windows2022 NodePool reserves only ebs-csi-node-windows: 30m, 120Mi, 1 pod (3 containers x 10m/40Mi)', () => {
      const prepared = prepareNodePool(pool('windows'), windowsClass, 'us-east-1', [instanceType('m5.xlarge')]);
      expect(daemonOverheadByType(prepared, daemonPods).get('m5.xlarge')).toMatchObject({ milliCpu: 30, memoryBytes: 120 * MiB, pods: 1 });
    });

    it('an AL2023 NodePool reserves aws-node 25m + kube-proxy 100m + pod identity 25m/50Mi + ebs-csi-node 30m/120Mi', () => {
      const prepared = prepareNodePool(pool('linux'), linuxClass, 'us-east-1', [instanceType('m5.xlarge')]);
      expect(daemonOverheadByType(prepared, daemonPods).get('m5.xlarge')).toMatchObject({ milliCpu: 180, memoryBytes: 170 * MiB, pods: 4 });
    });
  });
});

import type { ClusterModel } from '../model/cluster';
import { chartLoadBalancers, chartWorkloads } from './helm-charts';
import type { Affinity, Container, PodSpec, Toleration, TopologySpreadConstraint } from '../model/kubernetes';
import type { WorkloadSpec } from './workloads';

// Pods that managed add-ons and Helm charts create, which the assembly does not spell out. Requests and
// scheduling constraints follow each component's published manifest or chart defaults (cited per entry);
// the Helm charts' pods come from the chart table in helm-charts.ts.

const TOLERATE_ALL: Toleration[] = [{ operator: 'Exists' }];
const CRITICAL_ADDONS: Toleration[] = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];

function container(name: string, cpu: string, memory?: string, memoryLimit?: string): Container {
  return { name, image: `${name}:managed`, resources: { requests: { cpu, ...(memory ? { memory } : {}) }, ...(memoryLimit ? { limits: { memory: memoryLimit } } : {}) } };
}

function workload(kind: 'Deployment' | 'DaemonSet', namespace: string, name: string, replicas: number, spec: PodSpec, labels: Record<string, string>): WorkloadSpec {
  return {
    key: `${kind} ${namespace}/${name}`, kind, namespace, name, replicas: kind === 'DaemonSet' ? 0 : replicas,
    template: { metadata: { labels }, spec }, daemonSet: kind === 'DaemonSet', selector: { matchLabels: labels }, volumeClaims: 0, system: true,
  };
}

function spreadByZone(labels: Record<string, string>): TopologySpreadConstraint[] {
  return [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }];
}

// Node affinity of the add-ons' pods: a NodeSelectorTerm of `key In/NotIn values` expressions.
function requiredNodeAffinity(expressions: [key: string, operator: 'In' | 'NotIn', values: string[]][]): Affinity {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions.map(([key, operator, values]) => ({ key, operator, values })) }] } } };
}

const LINUX: [string, 'In', string[]] = ['kubernetes.io/os', 'In', ['linux']];
const AMD64_OR_ARM64: [string, 'In', string[]] = ['kubernetes.io/arch', 'In', ['amd64', 'arm64']];
const COMPUTE_TYPE = 'eks.amazonaws.com/compute-type';

// aws/amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml affinity: linux, amd64/arm64, compute-type NotIn fargate, hybrid, auto.
const AWS_NODE_AFFINITY = requiredNodeAffinity([LINUX, AMD64_OR_ARM64, [COMPUTE_TYPE, 'NotIn', ['fargate', 'hybrid', 'auto']]]);
// EKS's kube-proxy DaemonSet (as eksctl-io/eksctl pkg/addons/default/testdata/sample-1.25.json records it): linux, amd64/arm64, compute-type NotIn fargate.
const KUBE_PROXY_AFFINITY = requiredNodeAffinity([LINUX, AMD64_OR_ARM64, [COMPUTE_TYPE, 'NotIn', ['fargate']]]);
// EKS's CoreDNS Deployment (same sample-1.25.json): required linux, amd64/arm64.
const COREDNS_NODE_AFFINITY = requiredNodeAffinity([LINUX, AMD64_OR_ARM64]);
// aws/eks-pod-identity-agent charts/eks-pod-identity-agent/values.yaml affinity: linux, amd64/arm64, compute-type NotIn fargate.
const POD_IDENTITY_AFFINITY = requiredNodeAffinity([LINUX, AMD64_OR_ARM64, [COMPUTE_TYPE, 'NotIn', ['fargate']]]);
// kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/values.yaml node.affinity (as the EKS add-on's configuration
// schema sets it): compute-type NotIn fargate, auto, hybrid, and no a1 instance types; the OS comes from each DaemonSet's nodeSelector.
const EBS_NODE_AFFINITY = requiredNodeAffinity([
  [COMPUTE_TYPE, 'NotIn', ['fargate', 'auto', 'hybrid']],
  ['node.kubernetes.io/instance-type', 'NotIn', ['a1.medium', 'a1.large', 'a1.xlarge', 'a1.2xlarge', 'a1.4xlarge']],
]);

function addonWorkloads(name: string): WorkloadSpec[] {
  switch (name) {
    // amazon-vpc-cni-k8s config/master/aws-k8s-cni.yaml: aws-node, cpu 25m, host network, tolerates everything; Linux only
    // (Windows nodes get pod networking from the VPC resource controller, not aws-node).
    case 'vpc-cni':
      return [workload('DaemonSet', 'kube-system', 'aws-node', 0, { containers: [container('aws-node', '25m')], hostNetwork: true, tolerations: TOLERATE_ALL, affinity: AWS_NODE_AFFINITY, priorityClassName: 'system-node-critical' }, { 'k8s-app': 'aws-node' })];
    // EKS kube-proxy add-on DaemonSet: cpu 100m, host network; Linux only (Windows nodes run kube-proxy as a host service).
    case 'kube-proxy':
      return [workload('DaemonSet', 'kube-system', 'kube-proxy', 0, { containers: [container('kube-proxy', '100m')], hostNetwork: true, tolerations: TOLERATE_ALL, affinity: KUBE_PROXY_AFFINITY, priorityClassName: 'system-node-critical' }, { 'k8s-app': 'kube-proxy' })];
    // EKS CoreDNS add-on: 2 replicas, 100m / 70Mi (limit 170Mi), CriticalAddonsOnly tolerated, spread over zones, Linux only.
    case 'coredns': {
      const labels = { 'k8s-app': 'kube-dns' };
      const affinity: Affinity = { ...COREDNS_NODE_AFFINITY, podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } }] } };
      return [workload('Deployment', 'kube-system', 'coredns', 2, { containers: [container('coredns', '100m', '70Mi', '170Mi')], tolerations: CRITICAL_ADDONS, affinity, topologySpreadConstraints: spreadByZone(labels), priorityClassName: 'system-cluster-critical' }, labels)];
    }
    // eks-pod-identity-agent DaemonSet: host network, small requests, Linux only.
    case 'eks-pod-identity-agent':
      return [workload('DaemonSet', 'kube-system', 'eks-pod-identity-agent', 0, { containers: [container('eks-pod-identity-agent', '25m', '50Mi')], hostNetwork: true, tolerations: TOLERATE_ALL, affinity: POD_IDENTITY_AFFINITY, priorityClassName: 'system-node-critical' }, { 'app.kubernetes.io/name': 'eks-pod-identity-agent' })];
    // aws-ebs-csi-driver chart defaults: controller 2 replicas (6 containers × 10m/40Mi), node DaemonSet (3 × 10m/40Mi).
    // The node DaemonSets: templates/_node.tpl (nodeSelector kubernetes.io/os: linux) and templates/_node-windows.tpl
    // (ebs-csi-node-windows, nodeSelector kubernetes.io/os: windows, same containers and affinity), which the EKS add-on
    // enables (its configuration schema: node.enableWindows true). The controller (templates/controller.yaml) is Linux only.
    case 'aws-ebs-csi-driver': {
      const controllerLabels = { app: 'ebs-csi-controller' };
      const node = (name: string, os: string): WorkloadSpec => workload('DaemonSet', 'kube-system', name, 0, { containers: [container('ebs-plugin', '30m', '120Mi')], nodeSelector: { 'kubernetes.io/os': os }, tolerations: TOLERATE_ALL, affinity: EBS_NODE_AFFINITY, priorityClassName: 'system-node-critical' }, { app: name });
      return [
        workload('Deployment', 'kube-system', 'ebs-csi-controller', 2, { containers: [container('ebs-plugin', '60m', '240Mi')], nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: CRITICAL_ADDONS, topologySpreadConstraints: spreadByZone(controllerLabels), priorityClassName: 'system-cluster-critical' }, controllerLabels),
        node('ebs-csi-node', 'linux'),
        node('ebs-csi-node-windows', 'windows'),
      ];
    }
    default:
      return [];
  }
}

// EKS installs these as self-managed add-ons on every new cluster unless BootstrapSelfManagedAddons is false
// (EKS User Guide, "Amazon EKS add-ons": vpc-cni, kube-proxy and CoreDNS); their manifests request what the
// managed add-ons request. Auto Mode runs them as node processes instead of pods, and needs the flag off.
const BOOTSTRAPPED_ADDONS = ['vpc-cni', 'kube-proxy', 'coredns'];

/** The add-ons whose pods run on the cluster: declared ones, plus what EKS bootstraps itself when not declared. */
export function runningAddons(model: ClusterModel): { name: string; selfManaged: boolean }[] {
  const declared = model.addons.map((a) => ({ name: a.name, selfManaged: false }));
  const cluster = model.cluster;
  if (!cluster || cluster.autoMode || cluster.bootstrapSelfManagedAddons === false) return declared;
  const names = new Set(model.addons.map((a) => a.name));
  return [...declared, ...BOOTSTRAPPED_ADDONS.filter((name) => !names.has(name)).map((name) => ({ name, selfManaged: true }))];
}

/** Pods of the add-ons (declared or bootstrapped by EKS) and known Helm charts in the model. */
export function systemWorkloads(model: ClusterModel): WorkloadSpec[] {
  return [...runningAddons(model).flatMap((a) => addonWorkloads(a.name)), ...model.helmReleases.filter((r) => r.renderedManifests === undefined).flatMap(chartWorkloads)];
}

/** The model with the load balancers that modelled Helm charts create (ingress-nginx's Service) added once. */
export function withChartLoadBalancers(model: ClusterModel): ClusterModel {
  const extra = model.helmReleases.filter((r) => r.renderedManifests === undefined).flatMap(chartLoadBalancers).filter((lb) => !model.loadBalancers.some((existing) => existing.owner === lb.owner));
  return extra.length === 0 ? model : { ...model, loadBalancers: [...model.loadBalancers, ...extra] };
}

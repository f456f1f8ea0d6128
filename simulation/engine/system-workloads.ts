import type { ClusterModel, HelmReleaseModel } from '../model/cluster';
import type { Affinity, Container, PodSpec, Toleration, TopologySpreadConstraint } from '../model/kubernetes';
import type { WorkloadSpec } from './workloads';

// Pods that managed add-ons and Helm charts create, which the assembly does not spell out. Requests and
// scheduling constraints follow each component's published manifest or chart defaults (cited per entry);
// chart values from the assembly override replicas, resources, tolerations and node selectors.

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

function addonWorkloads(name: string): WorkloadSpec[] {
  switch (name) {
    // amazon-vpc-cni-k8s config/master/aws-k8s-cni.yaml: aws-node, cpu 25m, host network, tolerates everything.
    case 'vpc-cni':
      return [workload('DaemonSet', 'kube-system', 'aws-node', 0, { containers: [container('aws-node', '25m')], hostNetwork: true, tolerations: TOLERATE_ALL, priorityClassName: 'system-node-critical' }, { 'k8s-app': 'aws-node' })];
    // EKS kube-proxy add-on DaemonSet: cpu 100m, host network.
    case 'kube-proxy':
      return [workload('DaemonSet', 'kube-system', 'kube-proxy', 0, { containers: [container('kube-proxy', '100m')], hostNetwork: true, tolerations: TOLERATE_ALL, priorityClassName: 'system-node-critical' }, { 'k8s-app': 'kube-proxy' })];
    // EKS CoreDNS add-on: 2 replicas, 100m / 70Mi (limit 170Mi), CriticalAddonsOnly tolerated, spread over zones.
    case 'coredns': {
      const labels = { 'k8s-app': 'kube-dns' };
      const affinity: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } }] } };
      return [workload('Deployment', 'kube-system', 'coredns', 2, { containers: [container('coredns', '100m', '70Mi', '170Mi')], tolerations: CRITICAL_ADDONS, affinity, topologySpreadConstraints: spreadByZone(labels), priorityClassName: 'system-cluster-critical' }, labels)];
    }
    // eks-pod-identity-agent DaemonSet: host network, small requests.
    case 'eks-pod-identity-agent':
      return [workload('DaemonSet', 'kube-system', 'eks-pod-identity-agent', 0, { containers: [container('eks-pod-identity-agent', '25m', '50Mi')], hostNetwork: true, tolerations: TOLERATE_ALL, priorityClassName: 'system-node-critical' }, { 'app.kubernetes.io/name': 'eks-pod-identity-agent' })];
    // aws-ebs-csi-driver chart defaults: controller 2 replicas (6 containers × 10m/40Mi), node DaemonSet (3 × 10m/40Mi).
    case 'aws-ebs-csi-driver': {
      const controllerLabels = { app: 'ebs-csi-controller' };
      return [
        workload('Deployment', 'kube-system', 'ebs-csi-controller', 2, { containers: [container('ebs-plugin', '60m', '240Mi')], tolerations: CRITICAL_ADDONS, topologySpreadConstraints: spreadByZone(controllerLabels), priorityClassName: 'system-cluster-critical' }, controllerLabels),
        workload('DaemonSet', 'kube-system', 'ebs-csi-node', 0, { containers: [container('ebs-plugin', '30m', '120Mi')], tolerations: TOLERATE_ALL, priorityClassName: 'system-node-critical' }, { app: 'ebs-csi-node' }),
      ];
    }
    default:
      return [];
  }
}

function valuesOf<T>(values: Record<string, unknown>, path: string[]): T | undefined {
  let current: unknown = values;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as T | undefined;
}

function resourcesContainer(name: string, resources: unknown, fallbackCpu?: string, fallbackMemory?: string): Container {
  const r = (resources ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> };
  const requests = r.requests ?? (fallbackCpu ? { cpu: fallbackCpu, ...(fallbackMemory ? { memory: fallbackMemory } : {}) } : {});
  return { name, image: `${name}:chart`, resources: { requests, ...(r.limits ? { limits: r.limits } : {}) } };
}

function chartWorkloads(release: HelmReleaseModel): WorkloadSpec[] {
  const v = release.values;
  const tolerations = valuesOf<Toleration[]>(v, ['tolerations']) ?? [];
  const nodeSelector = valuesOf<Record<string, string>>(v, ['nodeSelector']);
  switch (release.chart) {
    // karpenter chart (charts/karpenter/values.yaml): 2 replicas; default affinity keeps the controller off
    // nodes it manages and one replica per host; zone spread.
    case 'karpenter': {
      const labels = { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': release.release };
      const affinity: Affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' }] }] } },
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] },
      };
      return [workload('Deployment', release.namespace, release.release, Number(valuesOf(v, ['replicas']) ?? 2), {
        containers: [resourcesContainer('controller', valuesOf(v, ['controller', 'resources']))], tolerations, nodeSelector, affinity,
        topologySpreadConstraints: spreadByZone(labels), priorityClassName: 'system-cluster-critical',
      }, labels)];
    }
    // aws-load-balancer-controller chart: replicaCount 2, no default resources, preferred anti-affinity.
    case 'aws-load-balancer-controller': {
      const labels = { 'app.kubernetes.io/name': 'aws-load-balancer-controller' };
      return [workload('Deployment', release.namespace, release.release, Number(valuesOf(v, ['replicaCount']) ?? 2), {
        containers: [resourcesContainer('controller', valuesOf(v, ['resources']))], tolerations, nodeSelector, priorityClassName: 'system-cluster-critical',
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } }] } },
      }, labels)];
    }
    // metrics-server chart: 1 replica, 100m / 200Mi by default.
    case 'metrics-server': {
      const labels = { 'app.kubernetes.io/name': 'metrics-server' };
      return [workload('Deployment', release.namespace, release.release, Number(valuesOf(v, ['replicas']) ?? 1), {
        containers: [resourcesContainer('metrics-server', valuesOf(v, ['resources']), '100m', '200Mi')], tolerations, nodeSelector, priorityClassName: 'system-cluster-critical',
      }, labels)];
    }
    default:
      return [];
  }
}

/** Pods of the managed add-ons and known Helm charts in the model. */
export function systemWorkloads(model: ClusterModel): WorkloadSpec[] {
  return [...model.addons.flatMap((a) => addonWorkloads(a.name)), ...model.helmReleases.flatMap(chartWorkloads)];
}

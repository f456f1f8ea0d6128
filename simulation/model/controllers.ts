import type { ClusterModel, NodeGroupModel } from './cluster';
import type { Container, KubernetesObject } from './kubernetes';
import type { AssumedController } from './scenario';

// Which autoscaling components run in the cluster, read from the model: nothing is assumed. A Cluster
// Autoscaler, Karpenter or a metrics API that the assembly (or the manifests) does not deploy does not act in
// the simulation; a scenario names components deployed elsewhere with `assume:`.

/** Where each component was found (`Helm release kube-system/karpenter`, `scenario assume`), or undefined when absent. */
export interface DeployedControllers {
  readonly clusterAutoscaler?: string;
  readonly karpenter?: string;
  /** metrics.k8s.io: metrics-server (chart, Deployment or EKS add-on). The HPA controller needs it for resource metrics. */
  readonly metricsApi?: string;
}

// Container images of each component's upstream manifests (registry.k8s.io/autoscaling/cluster-autoscaler,
// public.ecr.aws/karpenter/controller, registry.k8s.io/metrics-server/metrics-server).
export const CLUSTER_AUTOSCALER_IMAGE = /(^|\/)cluster-autoscaler(:|@|$)/;
const IMAGE_PATTERNS: { key: keyof DeployedControllers; pattern: RegExp }[] = [
  { key: 'clusterAutoscaler', pattern: CLUSTER_AUTOSCALER_IMAGE },
  { key: 'karpenter', pattern: /karpenter\/controller(:|@|$)/ },
  { key: 'metricsApi', pattern: /(^|\/)metrics-server(:|@|$)/ },
];

// The charts that run each component (kubernetes/autoscaler cluster-autoscaler, aws/karpenter-provider-aws
// karpenter, kubernetes-sigs/metrics-server), by chart name.
const CONTROLLER_CHARTS: Record<string, keyof DeployedControllers> = {
  'cluster-autoscaler': 'clusterAutoscaler',
  karpenter: 'karpenter',
  'metrics-server': 'metricsApi',
};

const ASSUMED_KEY: Record<AssumedController, keyof DeployedControllers> = {
  'cluster-autoscaler': 'clusterAutoscaler',
  karpenter: 'karpenter',
  'metrics-server': 'metricsApi',
};

/** The containers of a Deployment's or StatefulSet's pod template (none for other kinds). */
export function containersOf(object: KubernetesObject): Container[] {
  if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
  const spec = (object.spec ?? {}) as { template?: { spec?: { containers?: Container[] } } };
  return spec.template?.spec?.containers ?? [];
}

/** The autoscaling components the model deploys, plus those a scenario assumes. Pure. */
export function deployedControllers(model: ClusterModel, assume: readonly AssumedController[] = []): DeployedControllers {
  const found: { -readonly [K in keyof DeployedControllers]: string } = {};
  const note = (key: keyof DeployedControllers, where: string) => { if (found[key] === undefined) found[key] = where; };
  for (const release of model.helmReleases) {
    const key = CONTROLLER_CHARTS[release.chart.split('/').pop() ?? release.chart];
    if (key) note(key, `Helm release ${release.namespace}/${release.release} (chart ${release.chart})`);
  }
  for (const { object } of model.objects) {
    for (const container of containersOf(object)) {
      for (const { key, pattern } of IMAGE_PATTERNS) {
        if (pattern.test(container.image ?? '')) note(key, `${object.kind} ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`);
      }
    }
  }
  // EKS publishes metrics-server as an EKS add-on; Auto Mode runs Karpenter as part of the control plane.
  if (model.addons.some((a) => a.name === 'metrics-server')) note('metricsApi', 'EKS add-on metrics-server');
  if (model.cluster?.autoMode) note('karpenter', 'EKS Auto Mode');
  for (const name of assume) note(ASSUMED_KEY[name], 'scenario assume');
  return found;
}

/** Whether the Cluster Autoscaler could change the group's size (max above desired or min below it). */
export function isScalable(group: NodeGroupModel): boolean {
  return group.maxSize > group.desiredSize || group.minSize < group.desiredSize;
}

/** Node groups whose size the Cluster Autoscaler could change. */
export function scalableNodeGroups(model: ClusterModel): string[] {
  return model.nodeGroups.filter(isScalable).map((g) => g.name);
}

import type { HelmReleaseModel, LoadBalancerModel } from '../model/cluster';
import type { Affinity, Container, PodSpec, Toleration, TopologySpreadConstraint } from '../model/kubernetes';
import type { WorkloadSpec } from '../model/workload';

// The pods (and load balancers) the common Helm charts create, one entry per chart. Each entry follows the
// chart's own values.yaml at the version named in its comment: replicas, requests, scheduling constraints and
// enabled flags default as there, and the values the assembly sets are merged over them as Helm merges values
// (maps merge key by key, lists and scalars replace). Charts not in this table are reported by
// simulation/checks/helm-charts.ts; their `helm template` output can be given with --manifests.

export interface ChartEntry {
  /** The chart's values.yaml this entry follows, with its version. */
  readonly source: string;
  /** The pods the release creates with these values. */
  readonly workloads: (release: HelmReleaseModel) => WorkloadSpec[];
  /** Load balancers its Services create. */
  readonly loadBalancers?: (release: HelmReleaseModel) => LoadBalancerModel[];
}

type Values = Record<string, unknown>;

function at(values: unknown, path: readonly string[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Values)[key];
  }
  return current;
}

/** Helm's value merge (pkg/chartutil coalesce): maps merge recursively, anything else the user gives replaces. */
export function mergeValues(defaults: unknown, user: unknown): unknown {
  if (user === undefined) return defaults;
  if (user === null) return undefined;
  const isMap = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isMap(defaults) || !isMap(user)) return user;
  const out: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) out[key] = mergeValues(defaults[key], value);
  return out;
}

function flag(value: unknown, fallback: boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fallback;
}

function count(value: unknown, fallback: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Helm's common `fullname` helper: the release name when it already contains the chart name, else `release-name`. */
export function fullname(release: HelmReleaseModel, name: string): string {
  const override = at(release.values, ['fullnameOverride']);
  if (typeof override === 'string' && override !== '') return override;
  return release.release.includes(name) ? release.release : `${release.release}-${name}`;
}

/** One component (Deployment, StatefulSet or DaemonSet) of a chart, read from its values section. */
interface Component {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  readonly name: string;
  /** Path of the component's section in values (`[]` for the top level). */
  readonly path: readonly string[];
  /** Key of its replica count in that section. */
  readonly replicasKey?: string;
  readonly defaults: {
    readonly replicas?: number;
    readonly resources?: Values;
    readonly nodeSelector?: Record<string, string>;
    readonly tolerations?: Toleration[];
    readonly priorityClassName?: string;
    readonly hostNetwork?: boolean;
    readonly affinity?: Affinity;
    readonly topologySpreadConstraints?: TopologySpreadConstraint[];
  };
  /** Pod labels (the chart's selector labels). */
  readonly labels: Record<string, string>;
}

function componentWorkload(release: HelmReleaseModel, component: Component): WorkloadSpec {
  const section = component.path.length === 0 ? release.values : at(release.values, component.path);
  const v = (key: string) => at(section, [key]);
  const merged = <T>(key: string, fallback: T | undefined): T | undefined => mergeValues(fallback, v(key)) as T | undefined;
  const resources = (merged<Values>('resources', component.defaults.resources) ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> };
  const container: Container = {
    name: component.name, image: `${release.chart}:${release.version ?? 'chart'}`,
    resources: { ...(resources.requests ? { requests: resources.requests } : {}), ...(resources.limits ? { limits: resources.limits } : {}) },
  };
  const nodeSelector = merged<Record<string, string>>('nodeSelector', component.defaults.nodeSelector);
  const tolerations = (v('tolerations') as Toleration[] | undefined) ?? component.defaults.tolerations;
  const affinity = (v('affinity') as Affinity | undefined) ?? component.defaults.affinity;
  const spread = (v('topologySpreadConstraints') as TopologySpreadConstraint[] | undefined) ?? component.defaults.topologySpreadConstraints;
  const priorityClassName = (v('priorityClassName') as string | undefined) ?? component.defaults.priorityClassName;
  const hostNetwork = flag(v('hostNetwork'), component.defaults.hostNetwork ?? false);
  const spec: PodSpec = {
    containers: [container],
    ...(nodeSelector && Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations && tolerations.length > 0 ? { tolerations } : {}),
    ...(affinity && Object.keys(affinity).length > 0 ? { affinity } : {}),
    ...(spread && spread.length > 0 ? { topologySpreadConstraints: spread } : {}),
    ...(priorityClassName ? { priorityClassName } : {}),
    ...(hostNetwork ? { hostNetwork } : {}),
  };
  const daemonSet = component.kind === 'DaemonSet';
  const replicas = daemonSet ? 0 : count(v(component.replicasKey ?? 'replicas'), component.defaults.replicas ?? 1);
  const labels = { ...component.labels, 'app.kubernetes.io/instance': release.release };
  return {
    key: `${component.kind} ${release.namespace}/${component.name}`, kind: component.kind, namespace: release.namespace, name: component.name,
    replicas, template: { metadata: { labels }, spec }, daemonSet, selector: { matchLabels: labels }, volumeClaims: 0, system: true,
    ...(release.source ? { source: release.source } : {}),
  };
}

function enabled(release: HelmReleaseModel, path: readonly string[], fallback: boolean): boolean {
  return flag(at(release.values, path), fallback);
}

const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';

/** Load balancer of a Service of type LoadBalancer, from its annotations and class. */
export function serviceLoadBalancer(owner: string, annotations: Record<string, unknown>, loadBalancerClass: unknown, source?: HelmReleaseModel['source']): LoadBalancerModel {
  const type = String(annotations['service.beta.kubernetes.io/aws-load-balancer-type'] ?? '');
  // Without a type annotation the in-tree AWS cloud provider creates a Classic Load Balancer (kubernetes/cloud-provider-aws
  // pkg/providers/v1/aws.go EnsureLoadBalancer); `nlb` (in-tree) and `external` / the service.k8s.aws/nlb class
  // (AWS Load Balancer Controller) make an NLB.
  const nlb = type === 'nlb' || type === 'external' || type === 'nlb-ip' || loadBalancerClass === 'service.k8s.aws/nlb';
  const internal = annotations['service.beta.kubernetes.io/aws-load-balancer-internal'] === 'true' || annotations['service.beta.kubernetes.io/aws-load-balancer-internal'] === true
    || annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'] === 'internal'
    // The AWS Load Balancer Controller's default scheme for the NLBs it creates is internal (service annotations docs).
    || ((type === 'external' || loadBalancerClass === 'service.k8s.aws/nlb') && annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'] !== 'internet-facing');
  return { kind: nlb ? 'nlb' : 'clb', scheme: internal ? 'internal' : 'internet-facing', owner, ...(source ? { source } : {}) };
}

const HOSTNAME_ANTI_AFFINITY = (labels: Record<string, string>, required: boolean): Affinity => (required
  ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] } }
  : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } }] } });

function named(chart: string): Record<string, string> {
  return { 'app.kubernetes.io/name': chart };
}

/** The common charts, by chart name. */
export const HELM_CHARTS: Readonly<Record<string, ChartEntry>> = {
  // aws/karpenter-provider-aws charts/karpenter/values.yaml (0.35 and 1.x alike): replicas 2, controller.resources {},
  // affinity keeps the controller off nodes Karpenter manages and one replica per host, zone spread ScheduleAnyway,
  // nodeSelector kubernetes.io/os: linux, tolerates CriticalAddonsOnly, priorityClassName system-cluster-critical.
  karpenter: {
    source: 'aws/karpenter-provider-aws charts/karpenter/values.yaml (0.35, 1.x)',
    workloads: (release) => {
      const labels = { ...named('karpenter'), 'app.kubernetes.io/instance': release.release };
      return [componentWorkload(release, {
        kind: 'Deployment', name: fullname(release, 'karpenter'), path: [], replicasKey: 'replicas', labels: named('karpenter'),
        defaults: {
          replicas: 2, resources: at(release.values, ['controller', 'resources']) as Values | undefined, priorityClassName: SYSTEM_CLUSTER_CRITICAL,
          affinity: {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' }] }] } },
            ...HOSTNAME_ANTI_AFFINITY(labels, true),
          },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        },
      })];
    },
  },
  // aws/eks-charts stable/aws-load-balancer-controller/values.yaml (chart 3.5.0): replicaCount 2, resources {},
  // priorityClassName system-cluster-critical, preferred anti-affinity per host.
  'aws-load-balancer-controller': {
    source: 'aws/eks-charts stable/aws-load-balancer-controller/values.yaml (3.5.0)',
    workloads: (release) => {
      const labels = { ...named('aws-load-balancer-controller'), 'app.kubernetes.io/instance': release.release };
      return [componentWorkload(release, {
        kind: 'Deployment', name: fullname(release, 'aws-load-balancer-controller'), path: [], replicasKey: 'replicaCount', labels: named('aws-load-balancer-controller'),
        defaults: { replicas: 2, priorityClassName: SYSTEM_CLUSTER_CRITICAL, affinity: HOSTNAME_ANTI_AFFINITY(labels, false) },
      })];
    },
  },
  // kubernetes-sigs/metrics-server charts/metrics-server/values.yaml (3.13.1): replicas 1, requests 100m / 200Mi,
  // priorityClassName system-cluster-critical.
  'metrics-server': {
    source: 'kubernetes-sigs/metrics-server charts/metrics-server/values.yaml (3.13.1)',
    workloads: (release) => [componentWorkload(release, {
      kind: 'Deployment', name: fullname(release, 'metrics-server'), path: [], replicasKey: 'replicas', labels: named('metrics-server'),
      defaults: { replicas: 1, resources: { requests: { cpu: '100m', memory: '200Mi' } }, priorityClassName: SYSTEM_CLUSTER_CRITICAL },
    })],
  },
  // kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/values.yaml (9.59.0): replicaCount 1,
  // resources {}, priorityClassName system-cluster-critical.
  'cluster-autoscaler': {
    source: 'kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/values.yaml (9.59.0)',
    workloads: (release) => [componentWorkload(release, {
      kind: 'Deployment', name: `${fullname(release, 'cluster-autoscaler')}`, path: [], replicasKey: 'replicaCount', labels: named('aws-cluster-autoscaler'),
      defaults: { replicas: 1, priorityClassName: SYSTEM_CLUSTER_CRITICAL },
    })],
  },
  // kubernetes/ingress-nginx charts/ingress-nginx/values.yaml (4.15.1): controller kind Deployment, replicaCount 1,
  // requests 100m / 90Mi, nodeSelector kubernetes.io/os: linux; controller.service type LoadBalancer (external
  // enabled, no annotations); defaultBackend disabled (replicaCount 1, resources {}).
  'ingress-nginx': {
    source: 'kubernetes/ingress-nginx charts/ingress-nginx/values.yaml (4.15.1)',
    workloads: (release) => {
      const kind = at(release.values, ['controller', 'kind']) === 'DaemonSet' ? 'DaemonSet' : 'Deployment';
      const out = [componentWorkload(release, {
        kind, name: `${fullname(release, 'ingress-nginx')}-controller`, path: ['controller'], replicasKey: 'replicaCount',
        labels: { ...named('ingress-nginx'), 'app.kubernetes.io/component': 'controller' },
        defaults: { replicas: 1, resources: { requests: { cpu: '100m', memory: '90Mi' } }, nodeSelector: { 'kubernetes.io/os': 'linux' } },
      })];
      if (enabled(release, ['defaultBackend', 'enabled'], false)) {
        out.push(componentWorkload(release, {
          kind: 'Deployment', name: `${fullname(release, 'ingress-nginx')}-defaultbackend`, path: ['defaultBackend'], replicasKey: 'replicaCount',
          labels: { ...named('ingress-nginx'), 'app.kubernetes.io/component': 'default-backend' },
          defaults: { replicas: 1, nodeSelector: { 'kubernetes.io/os': 'linux' } },
        }));
      }
      return out;
    },
    loadBalancers: (release) => {
      const service = at(release.values, ['controller', 'service']) as Values | undefined;
      const out: LoadBalancerModel[] = [];
      const base = `Service ${release.namespace}/${fullname(release, 'ingress-nginx')}-controller`;
      const type = (at(service, ['type']) as string | undefined) ?? 'LoadBalancer';
      if (flag(at(service, ['enabled']), true) && flag(at(service, ['external', 'enabled']), true) && type === 'LoadBalancer') {
        out.push(serviceLoadBalancer(base, (at(service, ['annotations']) as Values | undefined) ?? {}, at(service, ['loadBalancerClass']), release.source));
      }
      // The internal Service is created only when enabled and annotated; its type defaults to controller.service.type.
      const internal = at(service, ['internal']) as Values | undefined;
      const internalAnnotations = (at(internal, ['annotations']) as Values | undefined) ?? {};
      if (flag(at(internal, ['enabled']), false) && Object.keys(internalAnnotations).length > 0 && ((at(internal, ['type']) as string | undefined) || type) === 'LoadBalancer') {
        out.push(serviceLoadBalancer(`${base}-internal`, internalAnnotations, at(internal, ['loadBalancerClass']) ?? at(service, ['loadBalancerClass']), release.source));
      }
      return out;
    },
  },
  // cert-manager/cert-manager deploy/charts/cert-manager/values.yaml (main after v1.21.0): controller, webhook and cainjector
  // (cainjector.enabled true), each replicaCount 1, resources {}, nodeSelector kubernetes.io/os: linux.
  'cert-manager': {
    source: 'cert-manager/cert-manager deploy/charts/cert-manager/values.yaml (main after v1.21.0)',
    workloads: (release) => {
      const linux = { 'kubernetes.io/os': 'linux' };
      const out = [
        componentWorkload(release, { kind: 'Deployment', name: fullname(release, 'cert-manager'), path: [], replicasKey: 'replicaCount', labels: { ...named('cert-manager'), 'app.kubernetes.io/component': 'controller' }, defaults: { replicas: 1, nodeSelector: linux } }),
        componentWorkload(release, { kind: 'Deployment', name: `${fullname(release, 'cert-manager')}-webhook`, path: ['webhook'], replicasKey: 'replicaCount', labels: { ...named('webhook'), 'app.kubernetes.io/component': 'webhook' }, defaults: { replicas: 1, nodeSelector: linux } }),
      ];
      if (enabled(release, ['cainjector', 'enabled'], true)) {
        out.push(componentWorkload(release, { kind: 'Deployment', name: `${fullname(release, 'cert-manager')}-cainjector`, path: ['cainjector'], replicasKey: 'replicaCount', labels: { ...named('cainjector'), 'app.kubernetes.io/component': 'cainjector' }, defaults: { replicas: 1, nodeSelector: linux } }));
      }
      return out;
    },
  },
  // kubernetes-sigs/external-dns charts/external-dns/values.yaml (1.21.1): replicaCount 1 (schema maximum 1), resources {}.
  'external-dns': {
    source: 'kubernetes-sigs/external-dns charts/external-dns/values.yaml (1.21.1)',
    workloads: (release) => [componentWorkload(release, {
      kind: 'Deployment', name: fullname(release, 'external-dns'), path: [], replicasKey: 'replicaCount', labels: named('external-dns'), defaults: { replicas: 1 },
    })],
  },
  // argoproj/argo-helm charts/argo-cd/values.yaml (10.1.1): application controller (StatefulSet), server,
  // repo-server, applicationset controller, notifications controller, dex and redis, each 1 replica with
  // resources {}; dex, redis and notifications enabled, redis-ha and commitServer disabled.
  'argo-cd': {
    source: 'argoproj/argo-helm charts/argo-cd/values.yaml (10.1.1)',
    workloads: (release) => {
      const base = fullname(release, 'argocd');
      const part = (kind: Component['kind'], section: string, name: string) => componentWorkload(release, {
        kind, name: `${base}-${name}`, path: [section], replicasKey: 'replicas', labels: { ...named(`argocd-${name}`) }, defaults: { replicas: 1 },
      });
      const out = [
        part('StatefulSet', 'controller', 'application-controller'),
        part('Deployment', 'server', 'server'),
        part('Deployment', 'repoServer', 'repo-server'),
        part('Deployment', 'applicationSet', 'applicationset-controller'),
      ];
      if (enabled(release, ['notifications', 'enabled'], true)) out.push(part('Deployment', 'notifications', 'notifications-controller'));
      if (enabled(release, ['dex', 'enabled'], true)) out.push(part('Deployment', 'dex', 'dex-server'));
      // The single-node redis runs unless redis-ha replaces it (or redis is disabled for an external one).
      if (enabled(release, ['redis', 'enabled'], true) && !enabled(release, ['redis-ha', 'enabled'], false)) out.push(part('Deployment', 'redis', 'redis'));
      if (enabled(release, ['commitServer', 'enabled'], false)) out.push(part('Deployment', 'commitServer', 'commit-server'));
      return out;
    },
  },
  // aws/eks-charts stable/aws-for-fluent-bit/values.yaml (0.2.0): a DaemonSet, requests 50m / 50Mi (limit 250Mi),
  // hostNetwork false, no tolerations.
  'aws-for-fluent-bit': {
    source: 'aws/eks-charts stable/aws-for-fluent-bit/values.yaml (0.2.0)',
    workloads: (release) => [componentWorkload(release, {
      kind: 'DaemonSet', name: fullname(release, 'aws-for-fluent-bit'), path: [], labels: named('aws-for-fluent-bit'),
      defaults: { resources: { limits: { memory: '250Mi' }, requests: { cpu: '50m', memory: '50Mi' } } },
    })],
  },
  // prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml (88.5.3): prometheus-operator,
  // Prometheus (prometheusSpec.replicas 1) and Alertmanager (alertmanagerSpec.replicas 1) StatefulSets, resources {};
  // subcharts grafana (12.11.1, its chart defaults replicas 1, resources {}), kube-state-metrics (8.4.0: replicas 1, resources {}) and
  // prometheus-node-exporter (4.56.1: DaemonSet, hostNetwork true, tolerates NoSchedule, resources {}, nodeSelector
  // kubernetes.io/os: linux: prometheus-community/helm-charts charts/prometheus-node-exporter/values.yaml).
  'kube-prometheus-stack': {
    source: 'prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml (88.5.3)',
    workloads: (release) => {
      const base = fullname(release, 'kube-prometheus-stack');
      const short = release.release.length > 0 ? release.release : base;
      const out: WorkloadSpec[] = [];
      if (enabled(release, ['prometheusOperator', 'enabled'], true)) {
        out.push(componentWorkload(release, { kind: 'Deployment', name: `${base}-operator`, path: ['prometheusOperator'], labels: { app: 'kube-prometheus-stack-operator' }, defaults: { replicas: 1 } }));
      }
      if (enabled(release, ['prometheus', 'enabled'], true)) {
        out.push(componentWorkload(release, { kind: 'StatefulSet', name: `prometheus-${base}-prometheus`, path: ['prometheus', 'prometheusSpec'], labels: { 'app.kubernetes.io/name': 'prometheus' }, defaults: { replicas: 1 } }));
      }
      if (enabled(release, ['alertmanager', 'enabled'], true)) {
        out.push(componentWorkload(release, { kind: 'StatefulSet', name: `alertmanager-${base}-alertmanager`, path: ['alertmanager', 'alertmanagerSpec'], labels: { 'app.kubernetes.io/name': 'alertmanager' }, defaults: { replicas: 1 } }));
      }
      if (enabled(release, ['grafana', 'enabled'], true)) {
        out.push(componentWorkload(release, { kind: 'Deployment', name: `${short}-grafana`, path: ['grafana'], labels: named('grafana'), defaults: { replicas: 1 } }));
      }
      if (enabled(release, ['kubeStateMetrics', 'enabled'], true)) {
        out.push(componentWorkload(release, { kind: 'Deployment', name: `${short}-kube-state-metrics`, path: ['kube-state-metrics'], labels: named('kube-state-metrics'), defaults: { replicas: 1 } }));
      }
      if (enabled(release, ['nodeExporter', 'enabled'], true)) {
        out.push(componentWorkload(release, {
          kind: 'DaemonSet', name: `${short}-prometheus-node-exporter`, path: ['prometheus-node-exporter'], labels: named('prometheus-node-exporter'),
          defaults: { hostNetwork: true, tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }], nodeSelector: { 'kubernetes.io/os': 'linux' } },
        }));
      }
      return out;
    },
  },
};

/** The table entry for a release's chart (by chart name, ignoring a repository prefix such as `oci://.../karpenter`). */
export function chartEntry(release: HelmReleaseModel): ChartEntry | undefined {
  const name = release.chart.split('/').pop() ?? release.chart;
  return Object.prototype.hasOwnProperty.call(HELM_CHARTS, name) ? HELM_CHARTS[name] : undefined;
}

/** Pods of a release of a known chart; none for an unknown chart (reported by the helm-charts check). */
export function chartWorkloads(release: HelmReleaseModel): WorkloadSpec[] {
  return chartEntry(release)?.workloads(release) ?? [];
}

/** Load balancers a release of a known chart creates. */
export function chartLoadBalancers(release: HelmReleaseModel): LoadBalancerModel[] {
  return chartEntry(release)?.loadBalancers?.(release) ?? [];
}

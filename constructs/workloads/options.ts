import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { parseBytes, parseMilliCpu } from '../../simulation/model/quantity';
import { constructError } from '../errors';
import type { NetworkAccess } from './network-policy';

/** Where pods may land: a Karpenter NodePool or a managed node group, plus extra tolerations. */
export interface Placement {
  readonly nodePool?: string;
  readonly nodeGroup?: string;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
}

export interface WorkloadIdentityRef {
  /** The IAM role's ServiceAccount annotations (IRSA: eks.amazonaws.com/role-arn; Pod Identity: none). */
  readonly annotations: Record<string, string>;
  readonly serviceAccountName: string;
  /** How the pods get credentials; Pod Identity also needs egress to the node's agent. @default 'irsa' */
  readonly kind?: 'irsa' | 'pod-identity';
}

export interface WorkloadOptions {
  /** Namespace of every object. */
  readonly namespace: string;
  /** Workload name (DNS-1123 label). */
  readonly name: string;
  /** Container image; pin by digest (image@sha256:...) for reproducible rollouts. */
  readonly image: string;
  /** CPU request, e.g. '250m'. Required: the scheduler and autoscalers size on it. */
  readonly cpu: string;
  /** Memory request and limit, e.g. '512Mi'. */
  readonly memory: string;
  /** CPU limit. @default none (no CPU throttling) */
  readonly cpuLimit?: string;
  /** @default 2 */
  readonly replicas?: number;
  readonly env?: Record<string, string>;
  /** IAM identity for the pods (IRSA or Pod Identity). @default a ServiceAccount without a role */
  readonly identity?: WorkloadIdentityRef;
  readonly placement?: Placement;
  /** Spread across zones and hosts: DoNotSchedule makes it a hard rule. @default 'ScheduleAnyway' */
  readonly spread?: 'ScheduleAnyway' | 'DoNotSchedule' | 'none';
  /** Horizontal autoscaling on CPU (and optionally requests per second per pod). @default none */
  readonly autoscaling?: { minReplicas: number; maxReplicas: number; cpuUtilization?: number; requestsPerSecondPerPod?: number };
  /** Run as this non-root UID. @default 10001 */
  readonly runAsUser?: number;
  /** Network access on top of the namespace's default deny (see AppNamespace). @default own namespace to the workload's port, DNS out */
  readonly network?: NetworkAccess;
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface ValidatedOptions { readonly replicas: number; readonly warnings: string[] }

/** Validates the common options; errors name the construct path and the prop. */
export function validateWorkload(scope: Construct, options: WorkloadOptions): ValidatedOptions {
  if (!DNS_LABEL.test(options.name)) throw constructError(scope, 'name', `must be a DNS-1123 label, got '${options.name}'`);
  if (!DNS_LABEL.test(options.namespace)) throw constructError(scope, 'namespace', `must be a DNS-1123 label, got '${options.namespace}'`);
  const replicas = options.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 0) throw constructError(scope, 'replicas', `must be a non-negative integer, got ${replicas}`);
  try { if (parseMilliCpu(options.cpu) <= 0) throw new Error(); } catch { throw constructError(scope, 'cpu', `must be a positive CPU quantity like '250m' or '1', got '${options.cpu}'`); }
  try { if (parseBytes(options.memory) <= 0) throw new Error(); } catch { throw constructError(scope, 'memory', `must be a positive memory quantity like '512Mi', got '${options.memory}'`); }
  if (options.cpuLimit !== undefined) {
    let limit = -1;
    try { limit = parseMilliCpu(options.cpuLimit); } catch { /* reported below */ }
    if (limit < parseMilliCpu(options.cpu)) throw constructError(scope, 'cpuLimit', `must be a CPU quantity not below the request ${options.cpu}, got '${options.cpuLimit}'`);
  }
  const hpa = options.autoscaling;
  if (hpa) {
    if (!Number.isInteger(hpa.minReplicas) || hpa.minReplicas < 1) throw constructError(scope, 'autoscaling.minReplicas', `must be an integer ≥ 1, got ${hpa.minReplicas}`);
    if (!Number.isInteger(hpa.maxReplicas) || hpa.maxReplicas < hpa.minReplicas) throw constructError(scope, 'autoscaling.maxReplicas', `(${hpa.maxReplicas}) must be an integer ≥ minReplicas (${hpa.minReplicas})`);
    if (hpa.cpuUtilization !== undefined && (hpa.cpuUtilization < 1 || hpa.cpuUtilization > 100)) throw constructError(scope, 'autoscaling.cpuUtilization', `must be 1..100 percent, got ${hpa.cpuUtilization}`);
  }
  const warnings: string[] = [];
  if (!options.image.includes('@sha256:')) warnings.push(`${options.namespace}/${options.name}: image '${options.image}' is not pinned by digest; rollouts are not reproducible`);
  return { replicas: hpa ? Math.max(hpa.minReplicas, Math.min(replicas, hpa.maxReplicas)) : replicas, warnings };
}

export function labelsOf(options: WorkloadOptions): Record<string, string> {
  return { 'app.kubernetes.io/name': options.name, 'app.kubernetes.io/part-of': options.namespace, 'app.kubernetes.io/managed-by': 'eksplan' };
}

export function selectorLabels(options: WorkloadOptions): Record<string, string> {
  return { 'app.kubernetes.io/name': options.name };
}

/** The container following the production checklist: requests, memory limit = request, non-root, read-only root. */
export function container(options: WorkloadOptions, probes: Pick<k8s.Container, 'readinessProbe' | 'livenessProbe' | 'startupProbe' | 'ports'>): k8s.Container {
  return {
    name: options.name,
    image: options.image,
    ...probes,
    env: Object.entries(options.env ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
    resources: {
      requests: { cpu: k8s.Quantity.fromString(options.cpu), memory: k8s.Quantity.fromString(options.memory) },
      limits: { memory: k8s.Quantity.fromString(options.memory), ...(options.cpuLimit ? { cpu: k8s.Quantity.fromString(options.cpuLimit) } : {}) },
    },
    securityContext: { runAsNonRoot: true, runAsUser: options.runAsUser ?? 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

/** Pod spec pieces shared by every workload: ServiceAccount, placement, spread, security context. */
export function podSpec(options: WorkloadOptions, containers: k8s.Container[], extra: Partial<k8s.PodSpec> = {}): k8s.PodSpec {
  const placement = options.placement ?? {};
  const nodeSelector: Record<string, string> = { ...(placement.nodeSelector ?? {}) };
  if (placement.nodePool) nodeSelector['karpenter.sh/nodepool'] = placement.nodePool;
  if (placement.nodeGroup) nodeSelector['eks.amazonaws.com/nodegroup'] = placement.nodeGroup;
  const spread = options.spread ?? 'ScheduleAnyway';
  const selector = { matchLabels: selectorLabels(options) };
  return {
    serviceAccountName: options.identity?.serviceAccountName ?? options.name,
    // The API token only where the pods exchange it for AWS credentials (IRSA, Pod Identity); nothing else here calls the Kubernetes API.
    automountServiceAccountToken: options.identity !== undefined,
    securityContext: { runAsNonRoot: true, runAsUser: options.runAsUser ?? 10001, fsGroup: options.runAsUser ?? 10001, seccompProfile: { type: 'RuntimeDefault' } },
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(placement.tolerations?.length ? { tolerations: placement.tolerations } : {}),
    ...(spread !== 'none' ? {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: spread, labelSelector: selector },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
      ],
    } : {}),
    containers,
    volumes: [{ name: 'tmp', emptyDir: {} }],
    ...extra,
  };
}

/** The workload's Deployment: its labels and selector around the pod spec the caller builds. */
export function deployment(scope: Construct, options: WorkloadOptions, replicas: number, spec: k8s.PodSpec, strategy?: k8s.DeploymentStrategy): k8s.KubeDeployment {
  const labels = labelsOf(options);
  return new k8s.KubeDeployment(scope, 'Deployment', {
    metadata: { name: options.name, namespace: options.namespace, labels },
    spec: { replicas, selector: { matchLabels: selectorLabels(options) }, ...(strategy ? { strategy } : {}), template: { metadata: { labels }, spec } },
  });
}

export function serviceAccount(scope: Construct, options: WorkloadOptions): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { name: options.identity?.serviceAccountName ?? options.name, namespace: options.namespace, labels: labelsOf(options), annotations: options.identity?.annotations },
    // Off by default for every pod of this account; the pod spec turns it on where an IAM identity needs it.
    automountServiceAccountToken: false,
  });
}

/** A PodDisruptionBudget when more than one replica runs (a drain then never takes them all). */
export function disruptionBudget(scope: Construct, options: WorkloadOptions, replicas: number): k8s.KubePodDisruptionBudget | undefined {
  const minReplicas = options.autoscaling?.minReplicas ?? replicas;
  if (Math.max(replicas, minReplicas) <= 1) return undefined;
  return new k8s.KubePodDisruptionBudget(scope, 'Pdb', {
    metadata: { name: options.name, namespace: options.namespace, labels: labelsOf(options) },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selectorLabels(options) } },
  });
}

/** An autoscaling/v2 HPA on CPU utilization and, optionally, requests per second per pod (a Pods metric). */
export function autoscaler(scope: Construct, options: WorkloadOptions, kind: string): k8s.KubeHorizontalPodAutoscalerV2 | undefined {
  const hpa = options.autoscaling;
  if (!hpa) return undefined;
  const metrics: k8s.MetricSpecV2[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hpa.cpuUtilization ?? 70 } } }];
  if (hpa.requestsPerSecondPerPod !== undefined) {
    metrics.push({ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: k8s.Quantity.fromString(String(hpa.requestsPerSecondPerPod)) } } });
  }
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'Hpa', {
    metadata: { name: options.name, namespace: options.namespace, labels: labelsOf(options) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: options.name }, minReplicas: hpa.minReplicas, maxReplicas: hpa.maxReplicas, metrics },
  });
}

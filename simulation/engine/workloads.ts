import type { ClusterModel } from '../model/cluster';
import { EksplanError } from '../model/errors';
import type { Container, KubernetesObject, Pod, PodTemplateSpec, ResourceMap } from '../model/kubernetes';
import { parseBytes, parseCount, parseMilliCpu } from '../model/quantity';
import { podRequests } from '../scheduler/resources';
import type { WorkloadSpec } from '../model/workload';
import { systemWorkloads } from './system-workloads';

export type { WorkloadSpec } from '../model/workload';

export interface Admission {
  /** LimitRange defaults and bounds per namespace. */
  readonly limitRanges: Map<string, KubernetesObject[]>;
  /** ResourceQuota hard limits and usage per namespace. */
  readonly quotas: Map<string, { name: string; hard: Record<string, number>; used: Record<string, number> }[]>;
  readonly priorityClasses: Map<string, { value: number; preemptionPolicy?: string }>;
  readonly defaultPriority: number;
}

const CONTROLLER_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

// Built-in priority classes (pkg/apis/scheduling/types.go).
const BUILTIN_PRIORITY = new Map([['system-cluster-critical', 2000000000], ['system-node-critical', 2000001000]]);

function int(value: unknown, fallback: number, where: { input: string; field: string }): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw new EksplanError(`must be an integer from 0 to 1000000, got ${JSON.stringify(value)}`, where);
  }
  return value;
}

/** Every pod-creating workload of the model: manifests, then add-ons and Helm charts the assembly installs. */
export function workloadsOf(model: ClusterModel): WorkloadSpec[] {
  const out: WorkloadSpec[] = [];
  const owned = ownedByControllers(model);
  for (const entry of model.objects) {
    const o = entry.object;
    if (!CONTROLLER_KINDS.includes(o.kind)) continue;
    const namespace = o.metadata.namespace ?? 'default';
    const key = `${o.kind} ${namespace}/${o.metadata.name}`;
    const where = (field: string) => ({ input: `${entry.source.file}: ${key}`, field });
    let template: PodTemplateSpec | undefined;
    let replicas = 1;
    if (o.kind === 'Pod') {
      if (owned.has(`${namespace}/${o.metadata.name}`)) continue;
      template = { metadata: o.metadata, spec: o.spec };
    } else if (o.kind === 'CronJob') {
      template = o.spec?.jobTemplate?.spec?.template;
      replicas = int(o.spec?.jobTemplate?.spec?.parallelism, 1, where('spec.jobTemplate.spec.parallelism'));
    } else {
      template = o.spec?.template;
      if (o.kind === 'Job') replicas = int(o.spec?.parallelism, 1, where('spec.parallelism'));
      else if (o.kind !== 'DaemonSet') replicas = int(o.spec?.replicas, 1, where('spec.replicas'));
    }
    if (!template || typeof template !== 'object' || !template.spec || !Array.isArray(template.spec.containers) || template.spec.containers.length === 0) {
      throw new EksplanError('has no pod template with containers', where(o.kind === 'Pod' ? 'spec.containers' : 'spec.template.spec.containers'));
    }
    validateTemplate(template, where);
    out.push({
      key, kind: o.kind, namespace, name: o.metadata.name as string, replicas, template, daemonSet: o.kind === 'DaemonSet',
      selector: o.spec?.selector, volumeClaims: Array.isArray(o.spec?.volumeClaimTemplates) ? o.spec.volumeClaimTemplates.length : 0, system: false, source: entry.source,
    });
  }
  out.push(...systemWorkloads(model).filter((s) => !out.some((w) => w.key === s.key)));
  return out;
}

function ownedByControllers(model: ClusterModel): Set<string> {
  const owned = new Set<string>();
  for (const { object } of model.objects) {
    if (object.kind === 'Pod' && (object.metadata.ownerReferences ?? []).some((r) => r.controller)) owned.add(`${object.metadata.namespace ?? 'default'}/${object.metadata.name}`);
  }
  return owned;
}

/** Quantities are parsed once here, so bad values fail with the object and field named. */
function validateTemplate(template: PodTemplateSpec, where: (field: string) => { input: string; field: string }): void {
  const check = (containers: Container[] | undefined, kind: string) => (containers ?? []).forEach((c, i) => {
    for (const section of ['requests', 'limits'] as const) {
      for (const [name, value] of Object.entries(c.resources?.[section] ?? {})) {
        const field = `spec.template.spec.${kind}[${i}].resources.${section}.${name}`;
        if (name === 'cpu') parseMilliCpu(value, where(field));
        else if (name === 'memory' || name === 'ephemeral-storage') parseBytes(value, where(field));
        else parseCount(value, where(field));
      }
    }
  });
  check(template.spec.containers, 'containers');
  check(template.spec.initContainers, 'initContainers');
}

export function admissionOf(model: ClusterModel): Admission {
  const limitRanges = new Map<string, KubernetesObject[]>();
  const quotas = new Map<string, { name: string; hard: Record<string, number>; used: Record<string, number> }[]>();
  const priorityClasses = new Map<string, { value: number; preemptionPolicy?: string }>();
  let defaultPriority = 0;
  for (const { object, source } of model.objects) {
    const ns = object.metadata.namespace ?? 'default';
    if (object.kind === 'LimitRange') {
      limitRanges.set(ns, [...(limitRanges.get(ns) ?? []), object]);
    } else if (object.kind === 'ResourceQuota') {
      const hard: Record<string, number> = {};
      for (const [name, value] of Object.entries((object.spec?.hard ?? {}) as ResourceMap)) {
        const where = { input: `${source.file}: ResourceQuota ${ns}/${object.metadata.name}`, field: `spec.hard.${name}` };
        hard[name] = /cpu$/.test(name) ? parseMilliCpu(value, where) : /memory$|storage$/.test(name) ? parseBytes(value, where) : parseCount(value, where);
      }
      quotas.set(ns, [...(quotas.get(ns) ?? []), { name: object.metadata.name as string, hard, used: {} }]);
    } else if (object.kind === 'PriorityClass') {
      const value = (object as { value?: unknown }).value;
      if (typeof value !== 'number' || !Number.isInteger(value) || value > 1_000_000_000) {
        throw new EksplanError(`value must be an integer up to 1000000000, got ${JSON.stringify(value)}`, { input: `${source.file}: PriorityClass ${object.metadata.name}`, field: 'value' });
      }
      priorityClasses.set(object.metadata.name as string, { value, preemptionPolicy: (object as { preemptionPolicy?: string }).preemptionPolicy });
      if ((object as { globalDefault?: boolean }).globalDefault) defaultPriority = value;
    }
  }
  return { limitRanges, quotas, priorityClasses, defaultPriority };
}

export type AdmissionResult = { pod: Pod } | { rejected: string };

/**
 * Creates one pod of a workload through admission as the API server would: LimitRanger defaults and bounds
 * (plugin/pkg/admission/limitranger), Priority (plugin/pkg/admission/priority) and ResourceQuota
 * (plugin/pkg/admission/resourcequota: a pod beyond the quota is never created).
 */
export function podForWorkload(workload: WorkloadSpec, ordinal: number, admission: Admission, podName?: string): AdmissionResult {
  const name = podName ?? replicaName(workload, ordinal);
  const shared = sharedTemplate(workload, admission);
  if (shared) {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: workload.namespace, labels: shared.labels, annotations: shared.annotations, ownerReferences: shared.ownerReferences }, spec: shared.spec };
    for (const quota of admission.quotas.get(workload.namespace) ?? []) {
      const rejected = chargeQuota(pod, quota);
      if (rejected) return { rejected };
    }
    return { pod };
  }
  return admitOne(workload, name, admission);
}

/** A replica's name: `<statefulset>-<ordinal>`, else `<workload>-<ordinal in base 36, five digits>` (names sort in ordinal order). */
export function replicaName(workload: WorkloadSpec, ordinal: number): string {
  return workload.kind === 'StatefulSet' ? `${workload.name}-${ordinal}` : `${workload.name}-${ordinal.toString(36).padStart(5, '0')}`;
}

interface SharedTemplate {
  readonly spec: Pod['spec'];
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly ownerReferences: NonNullable<Pod['metadata']['ownerReferences']>;
}

/** Per workload: the admission inputs the shared template was made with, and the template (none when refused). */
const SHARED_TEMPLATES = new WeakMap<WorkloadSpec, { readonly admission: Admission; readonly shared?: SharedTemplate }>();

/**
 * The admitted spec and metadata every replica of a workload shares. LimitRange defaults and the priority depend
 * on the template and the namespace alone, so replicas are alike but for their name: one frozen spec for all of
 * them instead of a deep copy each (nothing changes a pod's spec after admission; a DaemonSet pod's nodeName is
 * set per node, so DaemonSets and StatefulSets, whose pods carry their own name label, get their own copy).
 * None when admission refuses the template (each pod is then refused with its own name in the message).
 */
function sharedTemplate(workload: WorkloadSpec, admission: Admission): SharedTemplate | undefined {
  if (workload.daemonSet || workload.kind === 'StatefulSet') return undefined;
  const cached = SHARED_TEMPLATES.get(workload);
  if (cached && cached.admission.limitRanges === admission.limitRanges && cached.admission.priorityClasses === admission.priorityClasses && cached.admission.defaultPriority === admission.defaultPriority) return cached.shared;
  const admitted = admitOne(workload, workload.name, { ...admission, quotas: new Map() });
  if ('rejected' in admitted) {
    SHARED_TEMPLATES.set(workload, { admission });
    return undefined;
  }
  const { metadata, spec } = admitted.pod;
  const shared: SharedTemplate = {
    spec: deepFreeze(spec), labels: Object.freeze(metadata.labels ?? {}), annotations: Object.freeze(metadata.annotations ?? {}), ownerReferences: deepFreeze(metadata.ownerReferences ?? []),
  };
  SHARED_TEMPLATES.set(workload, { admission, shared });
  return shared;
}

/**
 * The spec and labels every replica of the workload shares under this admission, or undefined when its pods each
 * get their own (DaemonSets, StatefulSets, a template admission refuses). Pods holding these very objects are alike.
 */
export function sharedReplicaTemplate(workload: WorkloadSpec, admission: Admission): { readonly spec: Pod['spec']; readonly labels: Record<string, string> } | undefined {
  return sharedTemplate(workload, admission);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** One pod with its own copy of the template, through LimitRanger and Priority (no quota). */
function admitOne(workload: WorkloadSpec, name: string, admission: Admission): AdmissionResult {
  const spec = structuredClone(workload.template.spec);
  const labels = { ...(workload.template.metadata?.labels ?? {}) };
  if (workload.kind === 'StatefulSet') labels['statefulset.kubernetes.io/pod-name'] = name;
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: workload.namespace, labels,
      annotations: { ...(workload.template.metadata?.annotations ?? {}), 'eksplan.io/workload': workload.key },
      ownerReferences: workload.kind === 'Pod' ? [] : [{ apiVersion: 'apps/v1', kind: workload.kind, name: workload.name, controller: true }],
    },
    spec,
  };
  const limitRanges = admission.limitRanges.get(workload.namespace) ?? [];
  for (const range of limitRanges) {
    const rejected = applyLimitRange(pod, range);
    if (rejected) return { rejected };
  }
  if (spec.priorityClassName) {
    const cls = admission.priorityClasses.get(spec.priorityClassName);
    const builtin = BUILTIN_PRIORITY.get(spec.priorityClassName);
    if (!cls && builtin === undefined) return { rejected: `no PriorityClass with name ${spec.priorityClassName} was found` };
    spec.priority = cls?.value ?? builtin;
    if (cls?.preemptionPolicy) spec.preemptionPolicy = cls.preemptionPolicy as 'Never' | 'PreemptLowerPriority';
  } else {
    spec.priority = admission.defaultPriority;
  }
  for (const quota of admission.quotas.get(workload.namespace) ?? []) {
    const rejected = chargeQuota(pod, quota);
    if (rejected) return { rejected };
  }
  return { pod };
}

/** Releases a pod's quota charge when it is deleted. */
export function releaseQuota(pod: Pod, admission: Admission): void {
  for (const quota of admission.quotas.get(pod.metadata.namespace ?? 'default') ?? []) {
    for (const [name, amount] of Object.entries(quotaUsage(pod))) {
      if (name in quota.hard) quota.used[name] = Math.max(0, (quota.used[name] ?? 0) - amount);
    }
  }
}

function quotaUsage(pod: Pod): Record<string, number> {
  const requests = podRequests(pod);
  let limitCpu = 0;
  let limitMemory = 0;
  for (const c of pod.spec.containers) {
    if (c.resources?.limits?.cpu !== undefined) limitCpu += parseMilliCpu(c.resources.limits.cpu);
    if (c.resources?.limits?.memory !== undefined) limitMemory += parseBytes(c.resources.limits.memory);
  }
  return { pods: 1, 'requests.cpu': requests.milliCpu, cpu: requests.milliCpu, 'requests.memory': requests.memoryBytes, memory: requests.memoryBytes, 'limits.cpu': limitCpu, 'limits.memory': limitMemory };
}

function chargeQuota(pod: Pod, quota: { name: string; hard: Record<string, number>; used: Record<string, number> }): string | undefined {
  const usage = quotaUsage(pod);
  const exceeded = Object.keys(quota.hard).filter((name) => name in usage && (quota.used[name] ?? 0) + usage[name] > quota.hard[name]);
  if (exceeded.length > 0) {
    const fmt = (name: string, v: number) => (name.includes('cpu') ? `${v}m` : name.includes('memory') ? `${Math.round(v / 2 ** 20)}Mi` : String(v));
    return `pods "${pod.metadata.name}" is forbidden: exceeded quota: ${quota.name}, requested: ${exceeded.map((n) => `${n}=${fmt(n, usage[n])}`).join(',')}, ` +
      `used: ${exceeded.map((n) => `${n}=${fmt(n, quota.used[n] ?? 0)}`).join(',')}, limited: ${exceeded.map((n) => `${n}=${fmt(n, quota.hard[n])}`).join(',')}`;
  }
  for (const [name, amount] of Object.entries(usage)) if (name in quota.hard) quota.used[name] = (quota.used[name] ?? 0) + amount;
  return undefined;
}

function applyLimitRange(pod: Pod, range: KubernetesObject): string | undefined {
  const limits: { type?: string; default?: ResourceMap; defaultRequest?: ResourceMap; min?: ResourceMap; max?: ResourceMap }[] = range.spec?.limits ?? [];
  for (const item of limits) {
    if ((item.type ?? 'Container') !== 'Container') continue;
    for (const container of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
      const resources = (container.resources = { ...(container.resources ?? {}) });
      const requests = (resources.requests = { ...(resources.requests ?? {}) });
      const containerLimits = (resources.limits = { ...(resources.limits ?? {}) });
      for (const [name, value] of Object.entries(item.default ?? {})) if (containerLimits[name] === undefined) containerLimits[name] = value;
      // defaultRequest falls back to default (the limit) when unset (limitranger.go defaultContainerResourceRequirements).
      const defaultRequest = { ...(item.default ?? {}), ...(item.defaultRequest ?? {}) };
      for (const [name, value] of Object.entries(defaultRequest)) if (requests[name] === undefined) requests[name] = value;
      for (const [name, min] of Object.entries(item.min ?? {})) {
        const request = requests[name];
        if (request !== undefined && amount(name, request) < amount(name, min)) {
          return `pods "${pod.metadata.name}" is forbidden: minimum ${name} usage per Container is ${min}, but request is ${request}`;
        }
      }
      for (const [name, max] of Object.entries(item.max ?? {})) {
        const limit = containerLimits[name];
        if (limit === undefined) return `pods "${pod.metadata.name}" is forbidden: maximum ${name} usage per Container is ${max}, but no limit is specified`;
        if (amount(name, limit) > amount(name, max)) return `pods "${pod.metadata.name}" is forbidden: maximum ${name} usage per Container is ${max}, but limit is ${limit}`;
      }
    }
  }
  return undefined;
}

function amount(name: string, value: string | number): number {
  return name === 'cpu' ? parseMilliCpu(value) : parseBytes(value);
}

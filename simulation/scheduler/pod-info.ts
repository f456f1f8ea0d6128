import type { Pod, Taint, Toleration } from '../model/kubernetes';
import { nonZeroRequests, podRequests, type Resources } from './resources';

/** What the scheduler derives once from a pod (parsed quantities, keys), cached per pod object. */
export interface PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly requests: Resources;
  /** The extended resources the pod requests (keys of `requests.scalar`), listed once so Filter need not enumerate an object. */
  readonly scalarRequestNames: readonly string[];
  readonly nonZero: { milliCpu: number; memoryBytes: number };
  readonly priority: number;
  readonly hostPorts: readonly string[];
  readonly hasRequiredAntiAffinity: boolean;
  /** Any pod affinity or anti-affinity term (upstream NodeInfo.PodsWithAffinity), scored by InterPodAffinity for newcomers. */
  readonly hasAffinityTerms: boolean;
}

const CACHE = new WeakMap<Pod, PodInfo>();

/** What PodInfo derives from the spec alone. */
type SpecInfo = Pick<PodInfo, 'requests' | 'scalarRequestNames' | 'nonZero' | 'hostPorts' | 'hasRequiredAntiAffinity' | 'hasAffinityTerms'>;

/**
 * SpecInfo of frozen specs: the replicas of a workload share one frozen spec object (engine/workloads.ts
 * sharedTemplate), which cannot change, so it is parsed once for all of them. A spec that is not frozen may be
 * edited between pods and is parsed per pod.
 */
const SPEC_CACHE = new WeakMap<Pod['spec'], SpecInfo>();

const NO_NAMES: readonly string[] = Object.freeze([]);
const NO_PORTS: readonly string[] = Object.freeze([]);

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

function specInfo(pod: Pod): SpecInfo {
  const spec = pod.spec;
  const frozen = Object.isFrozen(spec);
  if (frozen) {
    const cached = SPEC_CACHE.get(spec);
    if (cached) return cached;
  }
  let hostPorts: string[] | undefined;
  for (const c of spec.containers) {
    const ports = c.ports;
    if (!ports) continue;
    for (const p of ports) {
      if (!p.hostPort) continue;
      (hostPorts ??= []).push(`${p.protocol ?? 'TCP'}/${p.hostIP ?? '0.0.0.0'}/${p.hostPort}`);
    }
  }
  const requests = podRequests(pod);
  const scalarRequestNames = hasKeys(requests.scalar) ? Object.keys(requests.scalar) : NO_NAMES;
  const info: SpecInfo = {
    requests,
    scalarRequestNames,
    nonZero: nonZeroRequests(pod, requests),
    hostPorts: hostPorts ?? NO_PORTS,
    hasRequiredAntiAffinity: (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0,
    hasAffinityTerms: hasAffinityTerms(pod),
  };
  if (frozen) SPEC_CACHE.set(spec, info);
  return info;
}

export function podInfo(pod: Pod): PodInfo {
  let info = CACHE.get(pod);
  if (!info) {
    const shared = specInfo(pod);
    info = {
      key: podKey(pod),
      namespace: pod.metadata.namespace ?? 'default',
      labels: pod.metadata.labels ?? {},
      requests: shared.requests,
      scalarRequestNames: shared.scalarRequestNames,
      nonZero: shared.nonZero,
      priority: pod.spec.priority ?? 0,
      hostPorts: shared.hostPorts,
      hasRequiredAntiAffinity: shared.hasRequiredAntiAffinity,
      hasAffinityTerms: shared.hasAffinityTerms,
    };
    CACHE.set(pod, info);
  }
  return info;
}

/**
 * Ids of required node selectors (nodeSelector plus required node affinity terms, all NodeAffinity's Filter
 * reads of the pod): pods whose selectors serialize alike share an id, so a per-node match memo (NodeTable.
 * selectorMemo) answers for all of them. Ids are never reused; the text index is dropped when it grows large,
 * after which a selector seen again gets a new id (a memo miss, never a wrong answer).
 */
const SELECTOR_IDS = new Map<string, number>();
const MAX_SELECTOR_IDS = 4096;
let nextSelectorId = 1;
/** Selector ids of frozen specs (shared workload templates, which cannot change). */
const SPEC_SELECTOR_IDS = new WeakMap<Pod['spec'], number>();

/**
 * The id of the pod's required node selector (pkg/scheduler/framework/plugins/nodeaffinity GetRequiredNodeAffinity:
 * nodeSelector and requiredDuringSchedulingIgnoredDuringExecution). Read from the spec on every call unless the
 * spec is frozen, so a spec edited between cycles gets its new selector's id. 0 for a selector with matchFields,
 * which is not memoised.
 */
export function requiredNodeSelectorId(pod: Pod): number {
  const spec = pod.spec;
  const frozen = Object.isFrozen(spec);
  if (frozen) {
    const cached = SPEC_SELECTOR_IDS.get(spec);
    if (cached !== undefined) return cached;
  }
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  // A selector naming nodes (matchFields metadata.name: a DaemonSet pod's) matches one node: 0, no memo.
  if (terms?.some((t) => (t.matchFields ?? []).length > 0)) {
    if (frozen) SPEC_SELECTOR_IDS.set(spec, 0);
    return 0;
  }
  const text = JSON.stringify([spec.nodeSelector ?? null, terms ?? null]);
  let id = SELECTOR_IDS.get(text);
  if (id === undefined) {
    if (SELECTOR_IDS.size >= MAX_SELECTOR_IDS) SELECTOR_IDS.clear();
    id = nextSelectorId;
    nextSelectorId += 1;
    SELECTOR_IDS.set(text, id);
  }
  if (frozen) SPEC_SELECTOR_IDS.set(spec, id);
  return id;
}

function hasKeys(object: object): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return true;
  return false;
}

function hasAffinityTerms(pod: Pod): boolean {
  const affinity = pod.spec.affinity;
  if (!affinity) return false;
  const a = affinity.podAffinity;
  const anti = affinity.podAntiAffinity;
  return (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length + (a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length +
    (anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length + (anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
}

/**
 * Whether a toleration tolerates a taint (k8s.io/api/core/v1 toleration.go ToleratesTaint): the effect and key
 * must match when set; an empty operator means Equal; Exists matches any value; Lt/Gt compare integers and need
 * the TaintTolerationComparisonOperators gate; any other operator tolerates nothing.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint, comparisonOperators = false): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Lt':
    case 'Gt':
      return comparisonOperators && compareNumericValues(toleration.value ?? '', taint.value ?? '', toleration.operator as 'Lt' | 'Gt');
    default:
      return false;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A canonical decimal int64 (no sign but `-`, no leading zero, no `-0`), or undefined. */
function parseInt64(value: string): bigint | undefined {
  if (!/^-?(0|[1-9]\d*)$/.test(value) || value === '-0') return undefined;
  const parsed = BigInt(value);
  return parsed < INT64_MIN || parsed > INT64_MAX ? undefined : parsed;
}

/** toleration.go compareNumericValues: Gt tolerates a taint whose value is greater than the toleration's; Lt, smaller. */
export function compareNumericValues(tolerationValue: string, taintValue: string, operator: string): boolean {
  const toleration = parseInt64(tolerationValue);
  const taint = parseInt64(taintValue);
  if (toleration === undefined || taint === undefined) return false;
  if (operator === 'Gt') return taint > toleration;
  if (operator === 'Lt') return taint < toleration;
  return false;
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint, comparisonOperators = false): boolean {
  if (!tolerations) return false;
  for (const toleration of tolerations) if (toleratesTaint(toleration, taint, comparisonOperators)) return true;
  return false;
}

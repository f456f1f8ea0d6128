import type { LabelSelector, Pod, TopologySpreadConstraint } from '../../model/kubernetes';
import { EksplanError } from '../../model/errors';
import { resolveFeatures, type Features } from '../features';
import type { NodeInfo } from '../node-info';
import { podInfo, tolerates } from '../pod-info';
import { filterStatus, FITS, MAX_NODE_SCORE, SKIP, type CycleState, type FilterPlugin, type FilterStatus, type ScorePlugin } from '../plugin';
import { matchesLabelSelector, podMatchesNodeLabels } from '../selectors';

/** Cluster-level default constraints (pkg/scheduler/apis/config/v1/defaults.go, systemDefaultConstraints). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly Omit<TopologySpreadConstraint, 'labelSelector'>[] = [
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5, whenUnsatisfiable: 'ScheduleAnyway' },
  { topologyKey: 'kubernetes.io/hostname', maxSkew: 3, whenUnsatisfiable: 'ScheduleAnyway' },
];

/** `PodTopologySpreadArgs` (kubescheduler.config.k8s.io/v1). */
export interface PodTopologySpreadArgs {
  /** Constraints for pods that set none; only with defaultingType List. */
  readonly defaultConstraints?: readonly Omit<TopologySpreadConstraint, 'labelSelector'>[];
  /** `System` uses SYSTEM_DEFAULT_CONSTRAINTS; `List` uses defaultConstraints. @default 'System' */
  readonly defaultingType?: 'System' | 'List';
}

const HOSTNAME = 'kubernetes.io/hostname';
const MAX_INT32 = 2147483647;
const MISSING_LABEL = filterStatus('UnschedulableAndUnresolvable', "node(s) didn't match pod topology spread constraints (missing required label)");
const SKEW = filterStatus('Unschedulable', "node(s) didn't match pod topology spread constraints");

// Labels that differ pod by pod within one workload; not part of the owner's selector.
const PER_POD_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/job-completion-index']);

/** A constraint as the plugin uses it (common.go topologySpreadConstraint). */
interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  /** undefined: labels.Nothing() (an absent labelSelector matches no pod). */
  readonly selector: LabelSelector | undefined;
  /** An empty selector counts no pod (countPodsMatchSelector) although it matches the incoming pod. */
  readonly empty: boolean;
  readonly minDomains: number;
  readonly honorAffinity: boolean;
  readonly honorTaints: boolean;
  readonly selfMatch: number;
}

function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** common.go filterTopologySpreadConstraints: one kind of constraint, matchLabelKeys merged into the selector. */
function toConstraints(pod: Pod, constraints: readonly TopologySpreadConstraint[], hard: boolean, selectorOverride?: LabelSelector): SpreadConstraint[] {
  const labels = pod.metadata.labels ?? {};
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if ((c.whenUnsatisfiable === 'DoNotSchedule') !== hard) continue;
    let selector = selectorOverride ?? c.labelSelector;
    const keys = c.matchLabelKeys ?? [];
    if (selector && keys.length > 0) {
      const extra = keys.filter((k) => k in labels).map((k) => ({ key: k, operator: 'In' as const, values: [labels[k]] }));
      if (extra.length > 0) selector = { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      empty: selector !== undefined && isEmptySelector(selector),
      minDomains: c.minDomains ?? 1,
      honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      selfMatch: selector !== undefined && matchesLabelSelector(selector, labels) ? 1 : 0,
    });
  }
  return out;
}

/**
 * helper.DefaultSelector stand-in: the workload's labels (the pod's, without per-pod ones) for pods owned by a
 * controller; nothing for bare pods.
 */
function defaultSelector(pod: Pod): LabelSelector | undefined {
  if ((pod.metadata.ownerReferences ?? []).length === 0 && !pod.metadata.annotations?.['eksplan.io/workload']) return undefined;
  const labels: Record<string, string> = {};
  let any = false;
  for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) {
    if (PER_POD_LABELS.has(k)) continue;
    labels[k] = v;
    any = true;
  }
  return any ? { matchLabels: labels } : undefined;
}

/** Whether the pod sets a nodeSelector or required node affinity (else every node passes nodeAffinityPolicy: Honor). */
function hasRequiredNodeAffinity(pod: Pod): boolean {
  return pod.spec.nodeSelector !== undefined || pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
}

function hasAllKeys(node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

const NAMESPACE_SETS = new Map<string, ReadonlySet<string>>();
function namespaceSet(namespace: string): ReadonlySet<string> {
  let set = NAMESPACE_SETS.get(namespace);
  if (!set) NAMESPACE_SETS.set(namespace, (set = new Set([namespace])));
  return set;
}

const NO_COUNTS: ReadonlyMap<string, number> = new Map();

/** Matching pods per node name (an empty or absent selector counts none). */
function nodeCounts(state: CycleState, c: SpreadConstraint): ReadonlyMap<string, number> {
  if (!c.selector || c.empty) return NO_COUNTS;
  return state.snapshot.countByNode(namespaceSet(state.info.namespace), c.selector);
}

interface FilterState {
  readonly constraints: SpreadConstraint[];
  readonly matchNum: Map<string, number>[];
  readonly minMatch: number[];
}

const NO_FILTER: FilterState = { constraints: [], matchNum: [], minMatch: [] };

interface ScoreState {
  readonly constraints: SpreadConstraint[];
  readonly requireAll: boolean;
  readonly counts: Map<string, number>[];
  readonly perNode: ReadonlyMap<string, number>[];
  readonly weights: number[];
}

/**
 * pkg/scheduler/framework/plugins/podtopologyspread (filtering.go, scoring.go, common.go). Filter: a hard
 * constraint rejects a node when its domain's matching pods + the pod itself − the global minimum exceed
 * maxSkew; the minimum is 0 when fewer domains than minDomains exist. Pods are counted (non-terminating, in
 * the pod's namespace) only on nodes that carry every constraint's key and pass nodeAffinityPolicy (Honor by
 * default) and nodeTaintsPolicy (Ignore by default). Score: soft constraints, or the cluster defaults for pods
 * with none, count matching pods per domain weighted by log(domains + 2), rounded; fewer is better.
 */
export function makePodTopologySpread(args: PodTopologySpreadArgs = {}, features: Features = resolveFeatures()): FilterPlugin & ScorePlugin {
  const defaultingType = args.defaultingType ?? 'System';
  if (defaultingType === 'System' && (args.defaultConstraints ?? []).length > 0) {
    // validation_pluginargs.go ValidatePodTopologySpreadArgs.
    throw new EksplanError('PodTopologySpread args: when .defaultingType is "System", .defaultConstraints must be empty', { field: 'defaultConstraints' });
  }
  const defaults = defaultingType === 'System' ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints ?? [];
  const systemDefaulted = defaultingType === 'System';
  const comparison = features.gates.TaintTolerationComparisonOperators;

  const constraintsOf = (pod: Pod, hard: boolean): SpreadConstraint[] => {
    const own = pod.spec.topologySpreadConstraints ?? [];
    if (own.length > 0) return toConstraints(pod, own, hard);
    // common.go buildDefaultConstraints: the cluster defaults with the workload's selector.
    if (!defaults.some((c) => (c.whenUnsatisfiable === 'DoNotSchedule') === hard)) return [];
    const selector = defaultSelector(pod);
    if (!selector) return [];
    return toConstraints(pod, defaults as TopologySpreadConstraint[], hard, selector);
  };

  // common.go matchNodeInclusionPolicies.
  const included = (pod: Pod, node: NodeInfo, c: SpreadConstraint): boolean => {
    if (c.honorAffinity && hasRequiredNodeAffinity(pod) && !podMatchesNodeLabels(pod, node.labels, node.name)) return false;
    if (c.honorTaints && node.taints.length > 0) {
      for (const taint of node.taints) {
        if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, taint, comparison)) return false;
      }
    }
    return true;
  };

  const prepareFilter = (state: CycleState): FilterState => {
    const pod = state.pod;
    const constraints = constraintsOf(pod, true);
    if (constraints.length === 0) return NO_FILTER;
    // Per domain, the matching pods on every node with the key (an incremental count of the snapshot), less the
    // pods on nodes that are not eligible (missing another constraint's key, or failing an inclusion policy):
    // the same sums as filtering.go's walk over eligible nodes, without a map operation per node.
    const domains = constraints.map(() => new Set<string>());
    let excluded: { node: NodeInfo; constraint: number }[] | undefined;
    for (const node of state.snapshot.nodes) {
      const all = hasAllKeys(node, constraints);
      for (let i = 0; i < constraints.length; i += 1) {
        const domain = node.labels[constraints[i].topologyKey];
        if (domain === undefined) continue;
        if (all && included(pod, node, constraints[i])) domains[i].add(domain);
        else (excluded ??= []).push({ node, constraint: i });
      }
    }
    const matchNum = constraints.map((c, i) => {
      const counts = new Map<string, number>();
      const byDomain = c.selector && !c.empty ? state.snapshot.countByDomain(namespaceSet(state.info.namespace), c.selector, c.topologyKey, true) : NO_COUNTS;
      for (const domain of domains[i]) counts.set(domain, byDomain.get(domain) ?? 0);
      return counts;
    });
    for (const { node, constraint } of excluded ?? []) {
      const counts = matchNum[constraint];
      const domain = node.labels[constraints[constraint].topologyKey];
      const onNode = nodeCounts(state, constraints[constraint]).get(node.name) ?? 0;
      const current = counts.get(domain);
      if (current !== undefined && onNode > 0) counts.set(domain, current - onNode);
    }
    const minMatch = constraints.map((c, i) => {
      // filtering.go minMatchNum: no eligible domain leaves the critical path at MaxInt32.
      let min = MAX_INT32;
      for (const n of matchNum[i].values()) if (n < min) min = n;
      return matchNum[i].size < c.minDomains ? 0 : min;
    });
    return { constraints, matchNum, minMatch };
  };

  const plugin: FilterPlugin & ScorePlugin = {
    name: 'PodTopologySpread',
    weight: 2,
    preFilter(state: CycleState): void | typeof SKIP {
      const prepared = prepareFilter(state);
      state.data.set('PodTopologySpread/filter', prepared);
      return prepared.constraints.length > 0 ? undefined : SKIP;
    },
    filter(pod: Pod, node: NodeInfo, state: CycleState): FilterStatus {
      let prepared = state.data.get('PodTopologySpread/filter') as FilterState | undefined;
      if (!prepared) state.data.set('PodTopologySpread/filter', (prepared = prepareFilter(state)));
      const { constraints, matchNum, minMatch } = prepared;
      for (let i = 0; i < constraints.length; i += 1) {
        const c = constraints[i];
        const domain = node.labels[c.topologyKey];
        if (domain === undefined) return MISSING_LABEL;
        if ((matchNum[i].get(domain) ?? 0) + c.selfMatch - minMatch[i] > c.maxSkew) return SKEW;
      }
      return FITS;
    },
    preScore(state: CycleState, filtered: readonly NodeInfo[]): void | typeof SKIP {
      const pod = state.pod;
      if (filtered.length === 0 || state.snapshot.nodes.length === 0) return SKIP;
      const constraints = constraintsOf(pod, false);
      if (constraints.length === 0) return SKIP;
      // Only non-default constraints need every key; a node without a zone still gets hostname spreading.
      const requireAll = (pod.spec.topologySpreadConstraints ?? []).length > 0 || !systemDefaulted;
      const counts = constraints.map(() => new Map<string, number>());
      let ignored = 0;
      for (const node of filtered) {
        if (requireAll && !hasAllKeys(node, constraints)) {
          ignored += 1;
          continue;
        }
        for (let i = 0; i < constraints.length; i += 1) {
          if (constraints[i].topologyKey === HOSTNAME) continue;
          const value = node.labels[constraints[i].topologyKey] ?? '';
          if (!counts[i].has(value)) counts[i].set(value, 0);
        }
      }
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? filtered.length - ignored : counts[i].size) + 2));
      const perNode = constraints.map((c) => nodeCounts(state, c));
      for (const node of state.snapshot.nodes) {
        if (requireAll && !hasAllKeys(node, constraints)) continue;
        for (let i = 0; i < constraints.length; i += 1) {
          if (!included(pod, node, constraints[i])) continue;
          const value = node.labels[constraints[i].topologyKey] ?? '';
          const count = counts[i].get(value);
          if (count === undefined) continue;
          counts[i].set(value, count + (perNode[i].get(node.name) ?? 0));
        }
      }
      const prepared: ScoreState = { constraints, requireAll, counts, perNode, weights };
      state.data.set('PodTopologySpread/score', prepared);
      return undefined;
    },
    score(_pod: Pod, node: NodeInfo, state: CycleState): number {
      const prepared = state.data.get('PodTopologySpread/score') as ScoreState | undefined;
      if (!prepared) return 0;
      const { constraints, counts, perNode, weights } = prepared;
      // An ignored node (missing a key of the pod's own constraints) is marked -1 for NormalizeScore.
      if (prepared.requireAll && !hasAllKeys(node, constraints)) return -1;
      let score = 0;
      for (let i = 0; i < constraints.length; i += 1) {
        const c = constraints[i];
        const value = node.labels[c.topologyKey];
        if (value === undefined) continue;
        const count = c.topologyKey === HOSTNAME ? perNode[i].get(node.name) ?? 0 : counts[i].get(value) ?? 0;
        // scoring.go scoreForCount: cnt × log(domains + 2) + (maxSkew − 1).
        score += count * weights[i] + (c.maxSkew - 1);
      }
      return Math.round(score);
    },
    normalize(scores: number[]): void {
      let min = Number.POSITIVE_INFINITY;
      let max = 0;
      for (const s of scores) {
        if (s < 0) continue;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      for (let i = 0; i < scores.length; i += 1) {
        if (scores[i] < 0) scores[i] = 0;
        else scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max);
      }
    },
  };
  return plugin;
}

/** The plugin with the system default constraints, for the default Kubernetes version. */
export const PodTopologySpread = makePodTopologySpread();

/** The plugin's pod count for a selector on a node, as countPodsMatchSelector (for tests and checks). */
export function countPodsMatchSelector(pods: readonly Pod[], selector: LabelSelector | undefined, namespace: string): number {
  if (!selector || isEmptySelector(selector)) return 0;
  let count = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || podInfo(pod).namespace !== namespace) continue;
    if (matchesLabelSelector(selector, pod.metadata.labels ?? {})) count += 1;
  }
  return count;
}

import type { LabelSelector, Pod, TopologySpreadConstraint } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import { FITS, MAX_NODE_SCORE, SKIP, type CycleState, type FilterPlugin, type ScorePlugin } from '../plugin';
import { matchesLabelSelector, podMatchesNodeLabels } from '../selectors';

/** Cluster-level default constraints (pkg/scheduler/apis/config/v1/defaults.go, systemDefaultConstraints). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly Omit<TopologySpreadConstraint, 'labelSelector'>[] = [
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5, whenUnsatisfiable: 'ScheduleAnyway' },
  { topologyKey: 'kubernetes.io/hostname', maxSkew: 3, whenUnsatisfiable: 'ScheduleAnyway' },
];

// Labels that differ pod by pod within one workload; not part of the owner's selector.
const PER_POD_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/job-completion-index']);

interface Prepared {
  readonly constraint: TopologySpreadConstraint;
  readonly selector: LabelSelector;
  readonly counts: ReadonlyMap<string, number>;
  readonly selfMatch: number;
  minMatch: number;
  domains: number;
}

/** The constraint's selector with matchLabelKeys folded in (the pod's own values for those keys). */
function selectorOf(pod: Pod, constraint: TopologySpreadConstraint): LabelSelector {
  const base = constraint.labelSelector ?? {};
  const keys = constraint.matchLabelKeys ?? [];
  if (keys.length === 0) return base;
  const labels = pod.metadata.labels ?? {};
  const extra = keys.filter((k) => k in labels).map((k) => ({ key: k, operator: 'In' as const, values: [labels[k]] }));
  return { ...base, matchExpressions: [...(base.matchExpressions ?? []), ...extra] };
}

/** The pod's constraints of one kind; for ScheduleAnyway, the system defaults when the pod has none. */
function constraintsOf(pod: Pod, hard: boolean): TopologySpreadConstraint[] {
  const own = pod.spec.topologySpreadConstraints ?? [];
  if (own.length > 0) return own.filter((c) => (c.whenUnsatisfiable === 'DoNotSchedule') === hard);
  if (hard) return [];
  const labels = Object.fromEntries(Object.entries(pod.metadata.labels ?? {}).filter(([k]) => !PER_POD_LABELS.has(k)));
  if (Object.keys(labels).length === 0 || (pod.metadata.ownerReferences ?? []).length === 0 && !pod.metadata.annotations?.['eksplan.io/workload']) return [];
  return SYSTEM_DEFAULT_CONSTRAINTS.map((c) => ({ ...c, labelSelector: { matchLabels: labels } }));
}

function prepare(state: CycleState, constraints: TopologySpreadConstraint[], nodes: readonly NodeInfo[]): Prepared[] {
  const pod = state.pod;
  const namespaces = new Set([podInfo(pod).namespace]);
  return constraints.map((constraint) => {
    const selector = selectorOf(pod, constraint);
    const counts = state.snapshot.countByDomain(namespaces, selector, constraint.topologyKey);
    // Domains of nodes the pod could use (nodeAffinityPolicy: Honor by default; nodeTaintsPolicy: Ignore by default).
    const domains = new Set<string>();
    for (const node of nodes) {
      const domain = node.labels[constraint.topologyKey];
      if (domain === undefined) continue;
      if ((constraint.nodeAffinityPolicy ?? 'Honor') === 'Honor' && !podMatchesNodeLabels(pod, node.labels, node.name)) continue;
      domains.add(domain);
    }
    let minMatch = Number.POSITIVE_INFINITY;
    for (const domain of domains) minMatch = Math.min(minMatch, counts.get(domain) ?? 0);
    if (!Number.isFinite(minMatch) || (constraint.minDomains !== undefined && domains.size < constraint.minDomains)) minMatch = 0;
    return { constraint, selector, counts, selfMatch: matchesLabelSelector(selector, pod.metadata.labels ?? {}) ? 1 : 0, minMatch, domains: domains.size };
  });
}

/**
 * pkg/scheduler/framework/plugins/podtopologyspread (filtering.go, scoring.go): hard constraints reject a
 * node when placing the pod there would make its domain exceed maxSkew over the least-loaded eligible domain;
 * soft constraints (and the system defaults) score domains with fewer matching pods higher.
 */
export const PodTopologySpread: FilterPlugin & ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preFilter(state: CycleState): void | typeof SKIP {
    const hard = constraintsOf(state.pod, true);
    state.data.set('PodTopologySpread/filter', hard.length > 0 ? prepare(state, hard, state.snapshot.nodes) : []);
    return hard.length > 0 ? undefined : SKIP;
  },
  filter(pod: Pod, node: NodeInfo, state: CycleState): readonly string[] {
    let prepared = state.data.get('PodTopologySpread/filter') as Prepared[] | undefined;
    if (!prepared) {
      PodTopologySpread.preFilter?.(state);
      prepared = state.data.get('PodTopologySpread/filter') as Prepared[];
    }
    for (const p of prepared) {
      const domain = node.labels[p.constraint.topologyKey];
      if (domain === undefined) return ["node(s) didn't match pod topology spread constraints (missing required label)"];
      const skew = (p.counts.get(domain) ?? 0) + p.selfMatch - p.minMatch;
      if (skew > p.constraint.maxSkew) return ["node(s) didn't match pod topology spread constraints"];
    }
    return FITS;
  },
  preScore(state: CycleState, nodes: readonly NodeInfo[]): void | typeof SKIP {
    const soft = constraintsOf(state.pod, false);
    if (soft.length === 0) return SKIP;
    state.data.set('PodTopologySpread/score', prepare(state, soft, nodes));
    return undefined;
  },
  score(_pod: Pod, node: NodeInfo, state: CycleState): number {
    const prepared = (state.data.get('PodTopologySpread/score') as Prepared[] | undefined) ?? [];
    let score = 0;
    for (const p of prepared) {
      const domain = node.labels[p.constraint.topologyKey];
      if (domain === undefined) return -1;
      // scoring.go: cnt × log(domains + 2) + (maxSkew − 1)
      score += (p.counts.get(domain) ?? 0) * Math.log(p.domains + 2) + (p.constraint.maxSkew - 1);
    }
    return score;
  },
  normalize(scores: number[]): void {
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const s of scores) {
      if (s < 0) continue;
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    for (let i = 0; i < scores.length; i += 1) {
      if (scores[i] < 0) { scores[i] = 0; continue; }
      scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  },
};

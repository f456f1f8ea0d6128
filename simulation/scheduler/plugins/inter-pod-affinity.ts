import type { LabelSelector, LabelSelectorRequirement, Pod, PodAffinityTerm } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import { filterStatus, FITS, MAX_NODE_SCORE, SKIP, type CycleState, type FilterPlugin, type FilterStatus, type ScorePlugin } from '../plugin';
import { matchesLabelSelector } from '../selectors';
import type { ClusterSnapshot, NamespaceFilter } from '../snapshot';

// filtering.go reasons and codes: a missing affinity match cannot be fixed by preemption.
const AFFINITY = filterStatus('UnschedulableAndUnresolvable', "node(s) didn't match pod affinity rules");
const ANTI_AFFINITY = filterStatus('Unschedulable', "node(s) didn't match pod anti-affinity rules");
const EXISTING_ANTI_AFFINITY = filterStatus('Unschedulable', "node(s) didn't satisfy existing pods anti-affinity rules");

const NO_COUNTS: ReadonlyMap<string, number> = new Map();

interface TermCounts { readonly topologyKey: string; readonly counts: ReadonlyMap<string, number> }
interface Prepared {
  readonly affinity: readonly PodAffinityTerm[];
  /** Per affinity term: pods matching ALL affinity terms, per domain of the term's key. */
  readonly affinityCounts: TermCounts[];
  readonly antiAffinity: TermCounts[];
  /** topology key → domains where an existing pod's required anti-affinity forbids this pod. */
  readonly forbidden: Map<string, Set<string>>;
  /** No pod in the cluster matches the affinity terms (the first pod of a group may go anywhere). */
  readonly noAffinityMatches: boolean;
  readonly selfMatchesAffinity: boolean;
}

/**
 * framework/types.go newAffinityTerm: `namespaces` plus the namespaces `namespaceSelector` selects; with
 * neither, the pod's own namespace; an empty namespaceSelector selects every namespace.
 */
export function namespacesOf(term: PodAffinityTerm, podNamespace: string): NamespaceFilter {
  const names = term.namespaces ?? [];
  const selector = term.namespaceSelector;
  if (!selector) return new Set(names.length > 0 ? names : [podNamespace]);
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) return 'all';
  return { names: new Set(names), selector };
}

/** AffinityTerm.Matches: the pod's namespace is covered and its labels match; an absent labelSelector matches nothing. */
function termMatches(term: PodAffinityTerm, termPodNamespace: string, pod: Pod, snapshot: ClusterSnapshot): boolean {
  if (!term.labelSelector) return false;
  if (!snapshot.namespaceMatches(namespacesOf(term, termPodNamespace), podInfo(pod).namespace)) return false;
  return matchesLabelSelector(term.labelSelector, pod.metadata.labels ?? {});
}

function namespaceFilterKey(filter: NamespaceFilter): string {
  if (filter === 'all') return '*';
  if ('selector' in filter) return `${[...filter.names].sort().join(',')}+${JSON.stringify(filter.selector)}`;
  return [...filter].sort().join(',');
}

/** The AND of selectors (matchLabels as In requirements), so one count serves "matches all terms". */
function andSelectors(selectors: readonly LabelSelector[]): LabelSelector {
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const s of selectors) {
    for (const [key, value] of Object.entries(s.matchLabels ?? {})) matchExpressions.push({ key, operator: 'In', values: [value] });
    matchExpressions.push(...(s.matchExpressions ?? []));
  }
  return { matchExpressions };
}

/**
 * filtering.go getIncomingAffinityAntiAffinityCounts (affinity): an existing pod counts for the incoming pod's
 * required affinity only if it matches every term; it then counts in each term's topology domain.
 */
function affinityCounts(terms: readonly PodAffinityTerm[], namespace: string, snapshot: ClusterSnapshot): TermCounts[] {
  if (terms.length === 0) return [];
  if (terms.some((t) => !t.labelSelector)) return terms.map((t) => ({ topologyKey: t.topologyKey, counts: NO_COUNTS }));
  const filters = terms.map((t) => namespacesOf(t, namespace));
  const sameNamespaces = filters.every((f) => namespaceFilterKey(f) === namespaceFilterKey(filters[0]));
  if (sameNamespaces) {
    const selector = terms.length === 1 ? (terms[0].labelSelector as LabelSelector) : andSelectors(terms.map((t) => t.labelSelector as LabelSelector));
    return terms.map((t) => ({ topologyKey: t.topologyKey, counts: snapshot.countByDomain(filters[0], selector, t.topologyKey) }));
  }
  // Terms over different namespaces: scan the pods (rare; one incremental count cannot express it).
  const out = terms.map((t) => ({ topologyKey: t.topologyKey, counts: new Map<string, number>() }));
  for (const node of snapshot.nodes) {
    node.forEachPod((existing) => {
      if (!terms.every((t) => termMatches(t, namespace, existing, snapshot))) return;
      for (const entry of out) {
        const domain = node.labels[entry.topologyKey];
        if (domain !== undefined) entry.counts.set(domain, (entry.counts.get(domain) ?? 0) + 1);
      }
    });
  }
  return out;
}

function prepare(state: CycleState): Prepared {
  const pod = state.pod;
  const snapshot = state.snapshot;
  const ns = podInfo(pod).namespace;
  const affinity = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const antiAffinity = (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term): TermCounts => ({
    topologyKey: term.topologyKey,
    counts: term.labelSelector ? snapshot.countByDomain(namespacesOf(term, ns), term.labelSelector, term.topologyKey) : NO_COUNTS,
  }));
  const forbidden = new Map<string, Set<string>>();
  for (const node of snapshot.nodesWithAntiAffinity) {
    for (const existing of node.podsWithRequiredAntiAffinity) {
      for (const term of existing.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const domain = node.labels[term.topologyKey];
        if (domain === undefined || !termMatches(term, podInfo(existing).namespace, pod, snapshot)) continue;
        let set = forbidden.get(term.topologyKey);
        if (!set) forbidden.set(term.topologyKey, (set = new Set()));
        set.add(domain);
      }
    }
  }
  const counted = affinityCounts(affinity, ns, snapshot);
  let noAffinityMatches = true;
  for (const t of counted) for (const n of t.counts.values()) if (n > 0) noAffinityMatches = false;
  const selfMatchesAffinity = affinity.every((t) => termMatches(t, ns, pod, snapshot));
  return { affinity, affinityCounts: counted, antiAffinity, forbidden, noAffinityMatches, selfMatchesAffinity };
}

/**
 * pkg/scheduler/framework/plugins/interpodaffinity (filtering.go, scoring.go): required affinity needs a pod
 * matching every term in the node's domain of each term (unless no such pod exists yet and the pod matches its
 * own terms; the node must still carry every key), required anti-affinity forbids domains with matching pods,
 * and existing pods' anti-affinity is honoured too. An absent labelSelector matches no pod; namespaceSelector is
 * matched against namespace labels. Preferred terms add (or subtract) their weight per matching pod.
 */
export const InterPodAffinity: FilterPlugin & ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preFilter(state: CycleState): void | typeof SKIP {
    const affinity = state.pod.spec.affinity;
    const required = (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length + (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length;
    if (required === 0 && state.snapshot.nodesWithAntiAffinity.size === 0) return SKIP;
    state.data.set('InterPodAffinity', prepare(state));
    return undefined;
  },
  preScore(state: CycleState): void | typeof SKIP {
    const affinity = state.pod.spec.affinity;
    return (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length + (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0 ? undefined : SKIP;
  },
  filter(_pod: Pod, node: NodeInfo, state: CycleState): FilterStatus {
    let p = state.data.get('InterPodAffinity') as Prepared | undefined;
    if (!p) state.data.set('InterPodAffinity', (p = prepare(state)));
    // filtering.go satisfyPodAffinity: every key must be on the node; each domain needs a match.
    if (p.affinity.length > 0) {
      let podsExist = true;
      for (const t of p.affinityCounts) {
        const domain = node.labels[t.topologyKey];
        if (domain === undefined) return AFFINITY;
        if ((t.counts.get(domain) ?? 0) <= 0) podsExist = false;
      }
      if (!podsExist && !(p.noAffinityMatches && p.selfMatchesAffinity)) return AFFINITY;
    }
    for (const t of p.antiAffinity) {
      const domain = node.labels[t.topologyKey];
      if (domain !== undefined && (t.counts.get(domain) ?? 0) > 0) return ANTI_AFFINITY;
    }
    for (const [key, domains] of p.forbidden) {
      const domain = node.labels[key];
      if (domain !== undefined && domains.has(domain)) return EXISTING_ANTI_AFFINITY;
    }
    return FITS;
  },
  score(pod: Pod, node: NodeInfo, state: CycleState): number {
    const ns = podInfo(pod).namespace;
    let score = 0;
    const add = (weight: number, term: PodAffinityTerm, sign: number) => {
      const domain = node.labels[term.topologyKey];
      if (domain === undefined || !term.labelSelector) return;
      const counts = state.snapshot.countByDomain(namespacesOf(term, ns), term.labelSelector, term.topologyKey);
      score += sign * weight * (counts.get(domain) ?? 0);
    };
    for (const w of pod.spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) add(w.weight, w.podAffinityTerm, 1);
    for (const w of pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) add(w.weight, w.podAffinityTerm, -1);
    return score;
  },
  normalize(scores: number[]): void {
    // scoring.go NormalizeScore: int64(MaxNodeScore × (score − min) / (max − min)).
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i += 1) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i] - min) / diff)) : 0;
  },
};

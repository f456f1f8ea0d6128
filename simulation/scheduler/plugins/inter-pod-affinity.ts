import { EksplanError } from '../../model/errors';
import type { LabelSelector, LabelSelectorRequirement, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../model/kubernetes';
import { aggregate, labelSelectorError } from '../../model/label-validation';
import { affinityIndex, PREFERRED_AFFINITY, PREFERRED_ANTI_AFFINITY, REQUIRED_AFFINITY, REQUIRED_ANTI_AFFINITY, type TermGroup } from '../affinity-index';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import {
  errorStatus, filterStatus, FITS, MAX_NODE_SCORE, SKIP, type CycleState, type ErrorStatus, type FilterPlugin, type FilterStatus, type ScorePlugin,
} from '../plugin';
import { matchesLabelSelector } from '../selectors';
import type { ClusterSnapshot, NamespaceFilter } from '../snapshot';

// filtering.go reasons and codes: a missing affinity match cannot be fixed by preemption.
const AFFINITY = filterStatus('UnschedulableAndUnresolvable', "node(s) didn't match pod affinity rules");
const ANTI_AFFINITY = filterStatus('Unschedulable', "node(s) didn't match pod anti-affinity rules");
const EXISTING_ANTI_AFFINITY = filterStatus('Unschedulable', "node(s) didn't satisfy existing pods anti-affinity rules");

const NO_COUNTS: ReadonlyMap<string, number> = new Map();

interface TermCounts { readonly topologyKey: string; readonly counts: ReadonlyMap<string, number> }
interface Prepared {
  /** PreFilter's rejection of every node when the pod's terms do not parse. */
  readonly rejected?: FilterStatus;
  readonly affinity: readonly PodAffinityTerm[];
  /** Per affinity term: pods matching ALL affinity terms, per domain of the term's key. */
  readonly affinityCounts: TermCounts[];
  readonly antiAffinity: TermCounts[];
  /**
   * The existing pods' required anti-affinity terms (grouped, see affinity-index.ts) the pod matches: each forbids
   * the domains of its key where it has pods.
   */
  readonly forbidden: readonly TermGroup[];
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

const NO_TERMS: readonly PodAffinityTerm[] = Object.freeze([]);
const NO_GROUPS: readonly TermGroup[] = Object.freeze([]);
const NO_WEIGHTED: readonly WeightedPodAffinityTerm[] = Object.freeze([]);
const PARSED = new WeakMap<Pod, string | null>();

/**
 * framework/types.go PodInfo.Update (NewPodInfo): every affinity term's labelSelector and namespaceSelector must
 * parse (apimachinery LabelSelectorAsSelector); the first bad term of each list is reported, lists aggregated.
 * Cached per pod object; pods without affinity terms cost one flag check.
 */
export function affinityParseError(pod: Pod): string | undefined {
  if (!podInfo(pod).hasAffinityTerms) return undefined;
  const cached = PARSED.get(pod);
  if (cached !== undefined) return cached ?? undefined;
  const affinity = pod.spec.affinity;
  const lists: [string, readonly PodAffinityTerm[]][] = [
    ['requiredAffinityTerms', affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? NO_TERMS],
    ['requiredAntiAffinityTerms', affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? NO_TERMS],
    ['preferredAffinityTerms', (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? NO_WEIGHTED).map((w) => w.podAffinityTerm)],
    ['preferredAntiAffinityTerms', (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? NO_WEIGHTED).map((w) => w.podAffinityTerm)],
  ];
  const errors: string[] = [];
  for (const [name, terms] of lists) {
    for (const term of terms) {
      const error = labelSelectorError(term.labelSelector) ?? labelSelectorError(term.namespaceSelector);
      if (error) {
        errors.push(`${name}: ${error}`);
        break;
      }
    }
  }
  const error = aggregate(errors);
  PARSED.set(pod, error ?? null);
  return error;
}

function prepare(state: CycleState): Prepared {
  const pod = state.pod;
  const snapshot = state.snapshot;
  // filtering.go PreFilter: a pod whose terms do not parse is UnschedulableAndUnresolvable everywhere.
  const parseError = affinityParseError(pod);
  if (parseError) {
    return { rejected: filterStatus('UnschedulableAndUnresolvable', `parsing pod: ${parseError}`), affinity: NO_TERMS, affinityCounts: [], antiAffinity: [], forbidden: NO_GROUPS, noAffinityMatches: true, selfMatchesAffinity: false };
  }
  const ns = podInfo(pod).namespace;
  const affinity = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const antiAffinity = (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term): TermCounts => ({
    topologyKey: term.topologyKey,
    counts: term.labelSelector ? snapshot.countByDomain(namespacesOf(term, ns), term.labelSelector, term.topologyKey) : NO_COUNTS,
  }));
  // filtering.go getExistingAntiAffinityCounts: the existing pods' required anti-affinity terms this pod matches.
  let forbidden: readonly TermGroup[] = NO_GROUPS;
  if (snapshot.nodesWithAntiAffinity.size > 0) {
    const index = affinityIndex(snapshot);
    if (index.has(REQUIRED_ANTI_AFFINITY)) forbidden = index.matching(pod, 1 << REQUIRED_ANTI_AFFINITY);
  }
  const counted = affinityCounts(affinity, ns, snapshot);
  let noAffinityMatches = true;
  for (const t of counted) {
    for (const n of t.counts.values()) {
      if (n > 0) {
        noAffinityMatches = false;
        break;
      }
    }
  }
  const selfMatchesAffinity = affinity.every((t) => termMatches(t, ns, pod, snapshot));
  return { affinity, affinityCounts: counted, antiAffinity, forbidden, noAffinityMatches, selfMatchesAffinity };
}

/** `InterPodAffinityArgs` (kubescheduler.config.k8s.io/v1). */
export interface InterPodAffinityArgs {
  /**
   * Score weight of an existing pod's required affinity term that the incoming pod matches (0 turns it off).
   * @default 1
   */
  readonly hardPodAffinityWeight?: number;
  /** Score only the incoming pod's preferred terms, not those of the pods already running. @default false */
  readonly ignorePreferredTermsOfExistingPods?: boolean;
}

/** validation_pluginargs.go ValidateInterPodAffinityArgs: hardPodAffinityWeight in [0, 100]. */
export function validateInterPodAffinityArgs(args: InterPodAffinityArgs, path = ''): void {
  const weight = args.hardPodAffinityWeight;
  if (weight !== undefined && (!Number.isInteger(weight) || weight < 0 || weight > 100)) {
    throw new EksplanError(`InterPodAffinity args: ${JSON.stringify(weight)} is invalid: not in valid range [0-100]`, { field: `${path}hardPodAffinityWeight` });
  }
}

/** topology key → domain → summed weight: what scoring.go's PreScore leaves for Score. */
type TopologyScore = Map<string, Map<string, number>>;
const SCORE_KEY = 'InterPodAffinity/score';

function addScore(scores: TopologyScore, key: string, domain: string, amount: number): void {
  let byDomain = scores.get(key);
  if (!byDomain) scores.set(key, (byDomain = new Map()));
  byDomain.set(domain, (byDomain.get(domain) ?? 0) + amount);
}

/**
 * scoring.go PreScore: the topology score of every domain. The incoming pod's preferred terms add (anti: subtract)
 * their weight per matching pod in the domain (read from the snapshot's incremental counts); each existing pod
 * with affinity terms adds hardPodAffinityWeight per required affinity term the incoming pod matches, and its
 * preferred (anti-)affinity weights, in its node's domain. Nodes without labels contribute nothing. Skip when
 * nothing contributed (every node would score the same); an Error when a term of the pod does not parse.
 */
function preScoreTopology(state: CycleState, args: Required<InterPodAffinityArgs>): TopologyScore | typeof SKIP | ErrorStatus {
  const pod = state.pod;
  const snapshot = state.snapshot;
  const preferredAffinity = pod.spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? NO_WEIGHTED;
  const preferredAnti = pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? NO_WEIGHTED;
  const hasConstraints = preferredAffinity.length + preferredAnti.length > 0;
  if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return SKIP;
  // The common case: no preferred terms here and no pod with affinity terms anywhere.
  if (!hasConstraints && snapshot.nodesWithAffinity.size === 0) return SKIP;
  const parseError = affinityParseError(pod);
  if (parseError) return errorStatus(`failed to parse pod: ${parseError}`);
  const info = state.info;
  const scores: TopologyScore = new Map();
  let contributed = false;
  const incoming = (terms: readonly WeightedPodAffinityTerm[], sign: number) => {
    for (const { weight, podAffinityTerm: term } of terms) {
      if (!term.labelSelector) continue;
      const counts = snapshot.countByDomain(namespacesOf(term, info.namespace), term.labelSelector, term.topologyKey);
      for (const [domain, count] of counts) {
        if (count <= 0) continue;
        addScore(scores, term.topologyKey, domain, sign * weight * count);
        contributed = true;
      }
    }
  };
  incoming(preferredAffinity, 1);
  incoming(preferredAnti, -1);
  // scoring.go processExistingPod, for every bound pod at once: each group of equal terms the incoming pod matches
  // adds its totals per domain (pods × hardPodAffinityWeight, or summed preferred weights; anti subtracts).
  let kinds = args.hardPodAffinityWeight > 0 ? 1 << REQUIRED_AFFINITY : 0;
  if (!args.ignorePreferredTermsOfExistingPods) kinds |= (1 << PREFERRED_AFFINITY) | (1 << PREFERRED_ANTI_AFFINITY);
  if (kinds !== 0 && snapshot.nodesWithAffinity.size > 0) {
    const index = affinityIndex(snapshot);
    if (index.hasAny(kinds)) {
      for (const group of index.matching(pod, kinds)) {
        const factor = group.kind === REQUIRED_AFFINITY ? args.hardPodAffinityWeight : group.kind === PREFERRED_ANTI_AFFINITY ? -1 : 1;
        for (const [domain, total] of group.totals) {
          addScore(scores, group.topologyKey, domain, factor * total);
          contributed = true;
        }
      }
    }
  }
  return contributed ? scores : SKIP;
}

/**
 * pkg/scheduler/framework/plugins/interpodaffinity (filtering.go, scoring.go): required affinity needs a pod
 * matching every term in the node's domain of each term (unless no such pod exists yet and the pod matches its
 * own terms; the node must still carry every key), required anti-affinity forbids domains with matching pods,
 * and existing pods' anti-affinity is honoured too. An absent labelSelector matches no pod; namespaceSelector is
 * matched against namespace labels; terms that do not parse reject the pod (PreFilter) or fail scoring (PreScore).
 * Scores: the incoming pod's preferred terms and the existing pods' required (hardPodAffinityWeight) and preferred
 * terms, summed per topology domain, then scaled between the lowest and highest node.
 */
export function makeInterPodAffinity(args: InterPodAffinityArgs = {}): FilterPlugin & ScorePlugin {
  validateInterPodAffinityArgs(args);
  const resolved: Required<InterPodAffinityArgs> = {
    hardPodAffinityWeight: args.hardPodAffinityWeight ?? 1,
    ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods ?? false,
  };
  // The cycle PreFilter last prepared, so Filter (called per node) finds it without a lookup in the cycle's data.
  // Dropped at the next PreFilter; plugins are built per Scheduler, so at most its last cycle is kept.
  let lastState: CycleState | undefined;
  let lastPrepared: Prepared | undefined;
  return {
    name: 'InterPodAffinity',
    weight: 2,
    preFilter(state: CycleState): void | typeof SKIP | FilterStatus {
      lastState = undefined;
      lastPrepared = undefined;
      const affinity = state.pod.spec.affinity;
      const required = (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length + (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length;
      // Terms that do not parse reject the pod before the Skip (filtering.go parses in PreFilter first).
      if (required === 0 && state.snapshot.nodesWithAntiAffinity.size === 0 && (!state.info.hasAffinityTerms || !affinityParseError(state.pod))) return SKIP;
      const prepared = prepare(state);
      state.data.set('InterPodAffinity', prepared);
      lastState = state;
      lastPrepared = prepared;
      // No term of its own and no existing pod's anti-affinity that matches it: Filter would pass every node, so the
      // framework need not call it (a plain pod in a cluster with anti-affinity pods).
      if (!prepared.rejected && prepared.affinity.length === 0 && prepared.antiAffinity.length === 0 && prepared.forbidden.length === 0) return SKIP;
      return prepared.rejected;
    },
    preScore(state: CycleState): void | typeof SKIP | ErrorStatus {
      const result = preScoreTopology(state, resolved);
      if (result === SKIP || !(result instanceof Map)) {
        state.data.delete(SCORE_KEY);
        return result;
      }
      state.data.set(SCORE_KEY, result);
      return undefined;
    },
    filter(_pod: Pod, node: NodeInfo, state: CycleState): FilterStatus {
      let p = state === lastState ? lastPrepared : state.data.get('InterPodAffinity') as Prepared | undefined;
      if (!p) state.data.set('InterPodAffinity', (p = prepare(state)));
      if (p.rejected) return p.rejected;
      // filtering.go satisfyPodAffinity: every key must be on the node; each domain needs a match.
      // Indexed loops: Filter runs for every node, and the lists differ in shape from pod to pod (for-of then
      // falls back to iterator objects).
      const labels = node.labels;
      if (p.affinity.length > 0) {
        let podsExist = true;
        const counted = p.affinityCounts;
        for (let i = 0; i < counted.length; i += 1) {
          const domain = labels[counted[i].topologyKey];
          if (domain === undefined) return AFFINITY;
          if ((counted[i].counts.get(domain) ?? 0) <= 0) podsExist = false;
        }
        if (!podsExist && !(p.noAffinityMatches && p.selfMatchesAffinity)) return AFFINITY;
      }
      const anti = p.antiAffinity;
      for (let i = 0; i < anti.length; i += 1) {
        const domain = labels[anti[i].topologyKey];
        if (domain !== undefined && (anti[i].counts.get(domain) ?? 0) > 0) return ANTI_AFFINITY;
      }
      const forbidden = p.forbidden;
      for (let i = 0; i < forbidden.length; i += 1) {
        const domain = labels[forbidden[i].topologyKey];
        if (domain !== undefined && forbidden[i].totals.has(domain)) return EXISTING_ANTI_AFFINITY;
      }
      return FITS;
    },
    score(_pod: Pod, node: NodeInfo, state: CycleState): number {
      // scoring.go Score: the node's domain score summed over the topology keys it carries.
      const scores = state.data.get(SCORE_KEY) as TopologyScore | undefined;
      if (!scores) return 0;
      let score = 0;
      for (const [key, byDomain] of scores) {
        const domain = node.labels[key];
        if (domain !== undefined) score += byDomain.get(domain) ?? 0;
      }
      return score;
    },
    scoreAll(_pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, out: Float64Array): void {
      // score() for every node, with the keys and their domain maps listed once per cycle.
      const scores = state.data.get(SCORE_KEY) as TopologyScore | undefined;
      if (!scores) {
        out.fill(0, 0, count);
        return;
      }
      const keys = [...scores.keys()];
      const byDomains = [...scores.values()];
      for (let i = 0; i < count; i += 1) {
        const labels = nodes[i].labels;
        let score = 0;
        for (let k = 0; k < keys.length; k += 1) {
          const domain = labels[keys[k]];
          if (domain !== undefined) score += byDomains[k].get(domain) ?? 0;
        }
        out[i] = score;
      }
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
}

/** The plugin with default args (hardPodAffinityWeight 1, existing pods' preferred terms scored). */
export const InterPodAffinity = makeInterPodAffinity();

import type { LabelSelector, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../model/kubernetes';
import type { NodeInfo } from './node-info';
import { podInfo } from './pod-info';
import { compileLabelSelector, type CompiledSelector } from './selectors';
import type { ClusterSnapshot } from './snapshot';

// kubernetes/kubernetes pkg/scheduler/framework/plugins/interpodaffinity (filtering.go getExistingAntiAffinityCounts,
// scoring.go processExistingPod): the terms of the pods already bound, as PreFilter and PreScore read them. Upstream
// walks the snapshot's HavePodsWithRequiredAntiAffinityList / HavePodsWithAffinityList every cycle and matches each
// existing pod's terms against the incoming pod; here equal terms (same selector, namespaces and topology key) of
// every bound pod are one group with a running total per topology domain, kept as pods come and go. A cycle matches
// each group once, and only the groups the incoming pod can match (indexed by a label pair their selector requires),
// so its work follows the matching pods, not the nodes or the pods with affinity.

/** Which list of an existing pod's terms a group holds (each is read by a different rule). */
export const REQUIRED_ANTI_AFFINITY = 0;
export const REQUIRED_AFFINITY = 1;
export const PREFERRED_AFFINITY = 2;
export const PREFERRED_ANTI_AFFINITY = 3;
type TermKind = typeof REQUIRED_ANTI_AFFINITY | typeof REQUIRED_AFFINITY | typeof PREFERRED_AFFINITY | typeof PREFERRED_ANTI_AFFINITY;

/** Equal terms of bound pods, with their total per domain. */
export interface TermGroup {
  readonly kind: TermKind;
  readonly topologyKey: string;
  /**
   * Topology value → bound pods with the term there (required terms) or their summed weights (preferred terms);
   * values that reach zero are removed.
   */
  readonly totals: Map<string, number>;
  /** framework/types.go AffinityTerm.Matches, against the incoming pod's namespace and labels. */
  readonly selector: CompiledSelector;
  /** Namespaces the term covers by name; undefined when it covers every namespace. */
  readonly namespaceNames: ReadonlySet<string> | undefined;
  /** The term's namespaceSelector, matched against the incoming pod's namespace labels (non-empty). */
  readonly namespaceSelector: CompiledSelector | undefined;
  /** The pod terms counted in `totals` (the group is dropped at zero). */
  refs: number;
  /** Where the group is listed (see `AffinityIndex.byPair`): a `key\0value` pair, or undefined for the unpaired list. */
  readonly pair: string | undefined;
}

/** One term of one pod, resolved once per pod object: the group it joins and what it adds per domain. */
interface PodTerm {
  readonly kind: TermKind;
  readonly groupKey: string;
  readonly term: PodAffinityTerm;
  readonly namespace: string;
  readonly weight: number;
}

const NO_POD_TERMS: readonly PodTerm[] = Object.freeze([]);
const NO_GROUPS: readonly TermGroup[] = Object.freeze([]);
const POD_TERMS = new WeakMap<Pod, readonly PodTerm[]>();
/** A term's topology key and canonical labelSelector, per term object (pods of one template often share them). */
const TERM_KEYS = new WeakMap<PodAffinityTerm, string>();
const NO_TERMS: readonly PodAffinityTerm[] = Object.freeze([]);
const NO_WEIGHTED: readonly WeightedPodAffinityTerm[] = Object.freeze([]);

/**
 * A selector's content in a canonical, unambiguous form (matchLabels sorted by key, each expression's values
 * sorted, expressions sorted): equal keys mean the selectors select the same labels.
 */
function canonicalSelector(selector: LabelSelector | undefined): string {
  if (!selector) return 'none';
  const matchLabels = selector.matchLabels ?? {};
  const labels = Object.keys(matchLabels).sort().map((k) => [k, matchLabels[k]]);
  const expressions = (selector.matchExpressions ?? []).map((e) => JSON.stringify([e.key, e.operator, [...(e.values ?? [])].sort()])).sort();
  return JSON.stringify([labels, expressions]);
}

function isEmptySelector(selector: LabelSelector): boolean {
  for (const _ in selector.matchLabels ?? {}) return false;
  return (selector.matchExpressions ?? []).length === 0;
}

/**
 * framework/types.go newAffinityTerm's namespaces, written into the group key: `namespaces`, else the pod's own
 * namespace (without a namespaceSelector); an empty namespaceSelector covers every namespace.
 */
function namespacePart(term: PodAffinityTerm, podNamespace: string): string {
  const names = term.namespaces ?? [];
  const selector = term.namespaceSelector;
  if (!selector) return JSON.stringify(names.length > 0 ? [...new Set(names)].sort() : [podNamespace]);
  if (isEmptySelector(selector)) return '*';
  return `${JSON.stringify([...new Set(names)].sort())}+${canonicalSelector(selector)}`;
}

function termKey(term: PodAffinityTerm): string {
  let key = TERM_KEYS.get(term);
  if (key === undefined) {
    key = `${JSON.stringify(term.topologyKey)}|${canonicalSelector(term.labelSelector)}`;
    TERM_KEYS.set(term, key);
  }
  return key;
}

/**
 * The terms of a pod the index holds: required anti-affinity (Filter), required affinity and both preferred lists
 * (Score). A term without a labelSelector matches no pod (AffinityTerm.Matches), so it is left out.
 */
function podTerms(pod: Pod): readonly PodTerm[] {
  let terms = POD_TERMS.get(pod);
  if (terms === undefined) {
    const affinity = pod.spec.affinity;
    const namespace = podInfo(pod).namespace;
    const out: PodTerm[] = [];
    const add = (kind: TermKind, term: PodAffinityTerm, weight: number) => {
      if (!term.labelSelector) return;
      out.push({ kind, groupKey: `${kind}|${namespacePart(term, namespace)}|${termKey(term)}`, term, namespace, weight });
    };
    for (const t of affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? NO_TERMS) add(REQUIRED_ANTI_AFFINITY, t, 1);
    for (const t of affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? NO_TERMS) add(REQUIRED_AFFINITY, t, 1);
    for (const w of affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? NO_WEIGHTED) add(PREFERRED_AFFINITY, w.podAffinityTerm, w.weight);
    for (const w of affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? NO_WEIGHTED) add(PREFERRED_ANTI_AFFINITY, w.podAffinityTerm, w.weight);
    terms = out.length > 0 ? out : NO_POD_TERMS;
    POD_TERMS.set(pod, terms);
  }
  return terms;
}

function labelPair(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

const POD_PAIRS = new WeakMap<Pod, readonly string[]>();

function pairsOf(pod: Pod): readonly string[] {
  let pairs = POD_PAIRS.get(pod);
  if (!pairs) {
    const labels = podInfo(pod).labels;
    pairs = Object.keys(labels).map((k) => labelPair(k, labels[k]));
    POD_PAIRS.set(pod, pairs);
  }
  return pairs;
}

/** The existing pods' terms of one snapshot, grouped, with running totals per topology domain. */
export class AffinityIndex {
  private readonly groups = new Map<string, TermGroup>();
  /** Groups whose labelSelector requires a `key=value` label (its first matchLabels entry), by that pair. */
  private readonly byPair = new Map<string, Set<TermGroup>>();
  private readonly unpaired = new Set<TermGroup>();
  /** Groups per kind with any total (so a cycle can tell there is nothing to match). */
  private readonly counts = [0, 0, 0, 0];

  constructor(private readonly snapshot: ClusterSnapshot) {}

  /** Adds (sign 1) or removes (-1) the terms of a pod bound to `node`. */
  track(pod: Pod, node: NodeInfo, sign: 1 | -1): void {
    for (const t of podTerms(pod)) {
      // Nodes without the topology key count in no domain (upstream skips them).
      const domain = node.labels[t.term.topologyKey];
      if (domain === undefined) continue;
      let group = this.groups.get(t.groupKey);
      if (!group) {
        if (sign < 0) continue;
        group = this.createGroup(t);
      }
      const next = (group.totals.get(domain) ?? 0) + sign * t.weight;
      if (next === 0) group.totals.delete(domain); else group.totals.set(domain, next);
      group.refs += sign;
      if (group.refs <= 0) this.dropGroup(t.groupKey, group);
    }
  }

  /** Whether any bound pod has a term of this kind (with a labelSelector, on a node with its topology key). */
  has(kind: TermKind): boolean {
    return this.counts[kind] > 0;
  }

  /** Whether any bound pod has a term of one of the kinds (a bit mask of 1 << kind). */
  hasAny(kinds: number): boolean {
    for (let kind = 0; kind < this.counts.length; kind += 1) if ((kinds & (1 << kind)) !== 0 && this.counts[kind] > 0) return true;
    return false;
  }

  /**
   * The groups of the given kinds (a bit mask of 1 << kind) whose term matches the incoming pod
   * (AffinityTerm.Matches: namespace, then labelSelector), each once; callers only sum or collect, so order is free.
   * A shared empty list when none does.
   */
  matching(pod: Pod, kinds: number): readonly TermGroup[] {
    const info = podInfo(pod);
    let out: TermGroup[] | undefined;
    for (const group of this.unpaired) {
      if ((kinds & (1 << group.kind)) !== 0 && this.matches(group, info.namespace, info.labels)) (out ??= []).push(group);
    }
    const pairs = pairsOf(pod);
    for (let i = 0; i < pairs.length; i += 1) {
      const groups = this.byPair.get(pairs[i]);
      if (groups === undefined) continue;
      for (const group of groups) {
        if ((kinds & (1 << group.kind)) !== 0 && this.matches(group, info.namespace, info.labels)) (out ??= []).push(group);
      }
    }
    return out ?? NO_GROUPS;
  }

  private matches(group: TermGroup, namespace: string, labels: Record<string, string>): boolean {
    if (group.namespaceNames !== undefined && !group.namespaceNames.has(namespace)) {
      if (!group.namespaceSelector || !group.namespaceSelector(this.snapshot.labelsOfNamespace(namespace))) return false;
    }
    return group.selector(labels);
  }

  private createGroup(t: PodTerm): TermGroup {
    const term = t.term;
    const selector = term.labelSelector as LabelSelector;
    const names = term.namespaces ?? [];
    const nsSelector = term.namespaceSelector;
    let namespaceNames: ReadonlySet<string> | undefined;
    let namespaceSelector: CompiledSelector | undefined;
    if (!nsSelector) namespaceNames = new Set(names.length > 0 ? names : [t.namespace]);
    else if (!isEmptySelector(nsSelector)) {
      namespaceNames = new Set(names);
      namespaceSelector = compileLabelSelector(nsSelector);
    }
    let pair: string | undefined;
    for (const key in selector.matchLabels ?? {}) {
      pair = labelPair(key, (selector.matchLabels as Record<string, string>)[key]);
      break;
    }
    const group: TermGroup = { kind: t.kind, topologyKey: term.topologyKey, totals: new Map(), selector: compileLabelSelector(selector), namespaceNames, namespaceSelector, refs: 0, pair };
    this.groups.set(t.groupKey, group);
    if (pair === undefined) this.unpaired.add(group);
    else {
      let set = this.byPair.get(pair);
      if (!set) this.byPair.set(pair, (set = new Set()));
      set.add(group);
    }
    this.counts[t.kind] += 1;
    return group;
  }

  private dropGroup(key: string, group: TermGroup): void {
    this.groups.delete(key);
    if (group.pair === undefined) this.unpaired.delete(group);
    else {
      const set = this.byPair.get(group.pair);
      set?.delete(group);
      if (set?.size === 0) this.byPair.delete(group.pair);
    }
    this.counts[group.kind] -= 1;
  }
}

const INDEXES = new WeakMap<ClusterSnapshot, AffinityIndex>();

/**
 * The snapshot's index of existing pods' affinity terms, built at first use from the nodes with such pods and
 * then kept up to date by the snapshot (plain-pod clusters never build one).
 */
export function affinityIndex(snapshot: ClusterSnapshot): AffinityIndex {
  let index = INDEXES.get(snapshot);
  if (!index) {
    const created = new AffinityIndex(snapshot);
    for (const node of snapshot.nodesWithAffinity) for (const pod of node.podsWithAffinity) created.track(pod, node, 1);
    snapshot.watchAffinityPods((pod, node, sign) => created.track(pod, node, sign));
    INDEXES.set(snapshot, created);
    index = created;
  }
  return index;
}

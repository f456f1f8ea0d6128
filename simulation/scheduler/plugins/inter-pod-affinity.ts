import type { Pod, PodAffinityTerm } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import { FITS, MAX_NODE_SCORE, SKIP, type CycleState, type FilterPlugin, type ScorePlugin } from '../plugin';
import { matchesLabelSelector } from '../selectors';

interface TermCounts { readonly term: PodAffinityTerm; readonly counts: ReadonlyMap<string, number> }
interface Prepared {
  affinity: TermCounts[];
  antiAffinity: TermCounts[];
  /** topology key → domains where an existing pod's required anti-affinity forbids this pod. */
  forbidden: Map<string, Set<string>>;
  /** No pod in the cluster matches the affinity terms yet (the first pod of a group may go anywhere). */
  noAffinityMatches: boolean;
  selfMatchesAffinity: boolean;
}

function namespacesOf(term: PodAffinityTerm, podNamespace: string): ReadonlySet<string> | 'all' {
  if (term.namespaceSelector && Object.keys(term.namespaceSelector).length === 0) return 'all';
  if (term.namespaceSelector) return 'all';
  return new Set(term.namespaces && term.namespaces.length > 0 ? term.namespaces : [podNamespace]);
}

function termMatches(term: PodAffinityTerm, termPodNamespace: string, pod: Pod): boolean {
  const namespaces = namespacesOf(term, termPodNamespace);
  if (namespaces !== 'all' && !namespaces.has(podInfo(pod).namespace)) return false;
  return matchesLabelSelector(term.labelSelector ?? {}, pod.metadata.labels ?? {});
}

function prepare(state: CycleState): Prepared {
  const pod = state.pod;
  const ns = podInfo(pod).namespace;
  const count = (term: PodAffinityTerm): TermCounts => ({ term, counts: state.snapshot.countByDomain(namespacesOf(term, ns), term.labelSelector ?? {}, term.topologyKey) });
  const affinity = (pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(count);
  const antiAffinity = (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(count);
  const forbidden = new Map<string, Set<string>>();
  for (const node of state.snapshot.nodesWithAntiAffinity) {
    for (const existing of node.podsWithRequiredAntiAffinity) {
      for (const term of existing.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const domain = node.labels[term.topologyKey];
        if (domain === undefined || !termMatches(term, podInfo(existing).namespace, pod)) continue;
        let set = forbidden.get(term.topologyKey);
        if (!set) forbidden.set(term.topologyKey, (set = new Set()));
        set.add(domain);
      }
    }
  }
  const noAffinityMatches = affinity.every((t) => [...t.counts.values()].every((n) => n === 0));
  const selfMatchesAffinity = affinity.every((t) => termMatches(t.term, ns, pod));
  return { affinity, antiAffinity, forbidden, noAffinityMatches, selfMatchesAffinity };
}

/**
 * pkg/scheduler/framework/plugins/interpodaffinity (filtering.go, scoring.go): required affinity needs a
 * matching pod in the node's domain (unless none exists yet and the pod matches its own terms), required
 * anti-affinity forbids domains with matching pods, and existing pods' anti-affinity is honoured too.
 * Preferred terms add (or subtract) their weight per matching pod in the domain.
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
  filter(_pod: Pod, node: NodeInfo, state: CycleState): readonly string[] {
    let p = state.data.get('InterPodAffinity') as Prepared | undefined;
    if (!p) {
      p = prepare(state);
      state.data.set('InterPodAffinity', p);
    }
    for (const [key, domains] of p.forbidden) {
      const domain = node.labels[key];
      if (domain !== undefined && domains.has(domain)) return ["node(s) didn't satisfy existing pods anti-affinity rules"];
    }
    if (p.affinity.length > 0 && !(p.noAffinityMatches && p.selfMatchesAffinity)) {
      for (const t of p.affinity) {
        const domain = node.labels[t.term.topologyKey];
        if (domain === undefined || (t.counts.get(domain) ?? 0) === 0) return ["node(s) didn't match pod affinity rules"];
      }
    }
    for (const t of p.antiAffinity) {
      const domain = node.labels[t.term.topologyKey];
      if (domain !== undefined && (t.counts.get(domain) ?? 0) > 0) return ["node(s) didn't match pod anti-affinity rules"];
    }
    return FITS;
  },
  score(pod: Pod, node: NodeInfo, state: CycleState): number {
    const ns = podInfo(pod).namespace;
    let score = 0;
    const add = (weight: number, term: PodAffinityTerm, sign: number) => {
      const domain = node.labels[term.topologyKey];
      if (domain === undefined) return;
      const counts = state.snapshot.countByDomain(namespacesOf(term, ns), term.labelSelector ?? {}, term.topologyKey);
      score += sign * weight * (counts.get(domain) ?? 0);
    };
    for (const w of pod.spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) add(w.weight, w.podAffinityTerm, 1);
    for (const w of pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) add(w.weight, w.podAffinityTerm, -1);
    return score;
  },
  normalize(scores: number[]): void {
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    const diff = max - min;
    for (let i = 0; i < scores.length; i += 1) scores[i] = diff === 0 ? 0 : Math.floor((MAX_NODE_SCORE * (scores[i] - min)) / diff);
  },
};

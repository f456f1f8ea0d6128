import type { LabelSelector, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../model/kubernetes';
import { podInfo } from '../../scheduler/pod-info';
import { matchesLabelSelector, selectorKey } from '../../scheduler/selectors';
import type { Requirements } from './requirements';

export const ZONE = 'topology.kubernetes.io/zone';
export const HOSTNAME = 'kubernetes.io/hostname';

export type Namespaces = ReadonlySet<string> | 'all';

/** An existing pod with required zone anti-affinity, and the zone it runs in. */
export interface ExistingAntiAffinity { readonly pod: Pod; readonly zone: string }

export interface TopologyInput {
  /** Every zone a pod could be counted in: the NodePools' zones and the zones of existing nodes. */
  readonly domains: readonly string[];
  /** Existing pods per zone matching a selector in these namespaces. */
  readonly zoneCounts: (namespaces: Namespaces, selector: LabelSelector) => ReadonlyMap<string, number>;
  /** Existing pods with required anti-affinity on the zone key. */
  readonly existingAntiAffinity?: readonly ExistingAntiAffinity[];
}

/** The namespaces a pod affinity term selects in (the pod's own when it names none). */
export function termNamespaces(term: PodAffinityTerm, pod: Pod): Namespaces {
  if (term.namespaceSelector && Object.keys(term.namespaceSelector).length === 0) return 'all';
  return new Set(term.namespaces && term.namespaces.length > 0 ? term.namespaces : [podInfo(pod).namespace]);
}

export function selects(namespaces: Namespaces, selector: LabelSelector | undefined, pod: Pod): boolean {
  const info = podInfo(pod);
  return (namespaces === 'all' || namespaces.has(info.namespace)) && matchesLabelSelector(selector ?? {}, info.labels);
}

const KEYS = new WeakMap<LabelSelector, string>();
/** A selector's key, computed once per selector object. */
export function keyOf(selector: LabelSelector): string {
  let key = KEYS.get(selector);
  if (key === undefined) { key = selectorKey(selector); KEYS.set(selector, key); }
  return key;
}

interface Planned { readonly pod: Pod; readonly zones: readonly string[] }

/**
 * Zone-level topology of one provisioning solve (kubernetes-sigs/karpenter pkg/controllers/provisioning/
 * scheduling/topology.go, topologygroup.go): existing pods per zone plus the pods planned onto new NodeClaims.
 */
export class ProvisioningTopology {
  private readonly planned: Planned[] = [];
  /** Planned pods with required zone anti-affinity (checked against every newcomer). */
  private readonly plannedAnti: Planned[] = [];
  private readonly counters = new Map<string, { namespaces: Namespaces; selector: LabelSelector; counts: Map<string, number> }>();

  constructor(private readonly input: TopologyInput) {}

  /** Existing plus planned pods per zone (planned ones only once pinned to one zone). */
  count(namespaces: Namespaces, selector: LabelSelector | undefined): ReadonlyMap<string, number> {
    const sel = selector ?? {};
    const key = `${namespaces === 'all' ? '*' : [...namespaces].sort().join(',')}|${keyOf(sel)}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { namespaces, selector: sel, counts: new Map(this.input.zoneCounts(namespaces, sel)) };
      for (const p of this.planned) if (p.zones.length === 1 && selects(namespaces, sel, p.pod)) counter.counts.set(p.zones[0], (counter.counts.get(p.zones[0]) ?? 0) + 1);
      this.counters.set(key, counter);
    }
    return counter.counts;
  }

  /**
   * The zones of `zones` (a NodeClaim's possible zones) the pod may take, narrowed by its zone spreads, pod
   * affinity and anti-affinity (own and inverse); a string says why none is left.
   */
  narrow(pod: Pod, requirements: Requirements, spreads: readonly TopologySpreadConstraint[], affinity: readonly PodAffinityTerm[], anti: readonly PodAffinityTerm[], zones: readonly string[]): string[] | string {
    let allowed = [...zones];
    const ns: Namespaces = new Set([podInfo(pod).namespace]);
    for (const spread of spreads) {
      if (spread.topologyKey !== ZONE) continue;
      const counts = this.count(ns, spread.labelSelector);
      const count = (z: string) => counts.get(z) ?? 0;
      // topologygroup.go domainMinCount: the minimum over every domain the pod may be counted in, 0 below minDomains.
      const podDomains = this.input.domains.filter((z) => spread.nodeAffinityPolicy === 'Ignore' || requirements.allows(ZONE, z));
      let min = podDomains.length > 0 ? Math.min(...podDomains.map(count)) : 0;
      if (spread.minDomains !== undefined && podDomains.length < spread.minDomains) min = 0;
      const self = selects(ns, spread.labelSelector, pod) ? 1 : 0;
      // nextDomainTopologySpread: the least-loaded of the NodeClaim's zones within maxSkew, so the claim is pinned to it.
      let best: string | undefined;
      for (const z of allowed) {
        if (count(z) + self - min > spread.maxSkew) continue;
        if (best === undefined || count(z) < count(best) || (count(z) === count(best) && z < best)) best = z;
      }
      if (best === undefined) return `topology spread on ${ZONE} (maxSkew ${spread.maxSkew}) allows none of ${zones.join(', ') || 'no zone'}`;
      allowed = [best];
    }
    for (const term of affinity) {
      if (term.topologyKey !== ZONE) continue;
      const namespaces = termNamespaces(term, pod);
      const counts = this.count(namespaces, term.labelSelector);
      const withPods = allowed.filter((z) => (counts.get(z) ?? 0) > 0);
      const anywhere = [...counts.values()].some((n) => n > 0);
      if (withPods.length > 0) allowed = [withPods[0]];
      // The first pod of a group that selects itself may go anywhere (upstream nextDomainAffinity); it pins the zone.
      else if (!anywhere && selects(namespaces, term.labelSelector, pod) && allowed.length > 0) allowed = [allowed[0]];
      else return `pod affinity on ${ZONE}: no matching pod in ${zones.join(', ') || 'any zone'}`;
    }
    for (const term of anti) {
      if (term.topologyKey !== ZONE) continue;
      const namespaces = termNamespaces(term, pod);
      const taken = new Set<string>();
      for (const [z, n] of this.count(namespaces, term.labelSelector)) if (n > 0) taken.add(z);
      for (const p of this.planned) if (p.zones.length > 1 && selects(namespaces, term.labelSelector, p.pod)) p.zones.forEach((z) => taken.add(z));
      allowed = allowed.filter((z) => !taken.has(z));
    }
    // Inverse anti-affinity: pods already running or planned whose zone anti-affinity selects this pod.
    for (const other of [...(this.input.existingAntiAffinity ?? []).map((e) => ({ pod: e.pod, zones: [e.zone] })), ...this.plannedAnti]) {
      for (const term of other.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        if (term.topologyKey === ZONE && selects(termNamespaces(term, other.pod), term.labelSelector, pod)) allowed = allowed.filter((z) => !other.zones.includes(z));
      }
    }
    if (allowed.length === 0) return `pod anti-affinity on ${ZONE} excludes ${zones.join(', ') || 'every zone'}`;
    return allowed;
  }

  /** Records a pod planned onto a NodeClaim that may launch in these zones. */
  record(pod: Pod, zones: readonly string[]): void {
    this.planned.push({ pod, zones: [...zones] });
    if ((pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some((t) => t.topologyKey === ZONE)) this.plannedAnti.push({ pod, zones: [...zones] });
    if (zones.length !== 1) return;
    for (const counter of this.counters.values()) {
      if (selects(counter.namespaces, counter.selector, pod)) counter.counts.set(zones[0], (counter.counts.get(zones[0]) ?? 0) + 1);
    }
  }
}

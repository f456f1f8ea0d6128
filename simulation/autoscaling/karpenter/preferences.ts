import type { NodeSelectorRequirement, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../model/kubernetes';
import { Requirements } from './requirements';

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';

/** What Karpenter holds a pod to at one step of relaxation: requirements, spreads and pod (anti-)affinity. */
export interface PodConstraints {
  readonly requirements: Requirements;
  /** Zone and hostname spreads: DoNotSchedule, and ScheduleAnyway until relaxed. */
  readonly spreads: readonly TopologySpreadConstraint[];
  readonly affinity: readonly PodAffinityTerm[];
  readonly antiAffinity: readonly PodAffinityTerm[];
}

const byWeight = <T extends { weight: number }>(terms: readonly T[] | undefined): T[] => [...(terms ?? [])].sort((a, b) => b.weight - a.weight);
const topologyKeyed = <T extends { topologyKey: string }>(terms: readonly T[]): T[] => terms.filter((t) => t.topologyKey === ZONE || t.topologyKey === HOSTNAME);

/**
 * Karpenter treats preferences as requirements first and relaxes them one at a time when a pod cannot be
 * placed (kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling/preferences.go Relax): the next
 * required node-affinity term (terms are ORed), then preferred pod affinity, preferred pod anti-affinity,
 * preferred node affinity (heaviest first), then ScheduleAnyway spreads. PreferNoSchedule taints never block a
 * NodeClaim here, so their relaxation step has nothing to do.
 */
export class PodPreferences {
  private requiredTerm = 0;
  private readonly requiredTerms: number;
  private preferredAffinity: PodAffinityTerm[];
  private preferredAnti: PodAffinityTerm[];
  private preferredNode: { weight: number; preference: { matchExpressions?: NodeSelectorRequirement[] } }[];
  private scheduleAnyway: TopologySpreadConstraint[];
  private cached?: PodConstraints;

  constructor(private readonly pod: Pod) {
    const affinity = pod.spec.affinity;
    this.requiredTerms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.length ?? 0;
    this.preferredAffinity = topologyKeyed(byWeight(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution).map((t) => t.podAffinityTerm));
    this.preferredAnti = topologyKeyed(byWeight(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution).map((t) => t.podAffinityTerm));
    this.preferredNode = byWeight(affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.scheduleAnyway = topologyKeyed((pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway'));
  }

  current(): PodConstraints {
    if (!this.cached) {
      const spec = this.pod.spec;
      // NewPodRequirements: nodeSelector, the current required term and the heaviest remaining preferred term.
      const requirements = Requirements.fromPod(this.pod, this.requiredTerm, this.preferredNode[0]?.preference.matchExpressions ?? []);
      this.cached = {
        requirements,
        spreads: [...topologyKeyed((spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable !== 'ScheduleAnyway')), ...this.scheduleAnyway],
        affinity: [...topologyKeyed(spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...this.preferredAffinity],
        antiAffinity: [...topologyKeyed(spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...this.preferredAnti],
      };
    }
    return this.cached;
  }

  /** Relaxes one preference; false when nothing is left to relax. */
  relax(): boolean {
    this.cached = undefined;
    if (this.requiredTerm + 1 < this.requiredTerms) { this.requiredTerm += 1; return true; }
    if (this.preferredAffinity.length > 0) { this.preferredAffinity = this.preferredAffinity.slice(1); return true; }
    if (this.preferredAnti.length > 0) { this.preferredAnti = this.preferredAnti.slice(1); return true; }
    if (this.preferredNode.length > 0) { this.preferredNode = this.preferredNode.slice(1); return true; }
    if (this.scheduleAnyway.length > 0) { this.scheduleAnyway = this.scheduleAnyway.slice(1); return true; }
    return false;
  }
}

import type { LabelSelector, Pod, TopologySpreadConstraint } from '../../model/kubernetes';
import { podInfo, tolerates } from '../../scheduler/pod-info';
import { VOLUME_ZONE_ANNOTATION } from '../../scheduler/plugins/volume-zone';
import { matchesLabelSelector } from '../../scheduler/selectors';
import type { CapacityType, SimPod } from '../types';
import { INSTANCE_TYPE_KEYS, type KarpenterInstanceType, type PreparedNodePool } from './instance-types';
import { Requirements } from './requirements';

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';

export interface Overhead { milliCpu: number; memoryBytes: number; pods: number }

export interface NodeClaimPlan {
  readonly pool: PreparedNodePool;
  requirements: Requirements;
  candidates: KarpenterInstanceType[];
  readonly pods: SimPod[];
  milliCpu: number;
  memoryBytes: number;
  podCount: number;
  gpus: number;
  zone?: string;
}

export interface ProvisioningInput {
  readonly pods: readonly SimPod[];
  readonly pools: readonly PreparedNodePool[];
  readonly daemonSetOverhead: (pool: PreparedNodePool) => Overhead;
  /** Zones a node may launch in now (AZ outages removed). */
  readonly zones: readonly string[];
  /** Zones of each pool's subnets (EC2NodeClass subnet selector). */
  readonly poolZones: (pool: PreparedNodePool) => readonly string[];
  /** Existing pods per zone matching a selector in a namespace. */
  readonly zoneCounts: (namespace: string, selector: LabelSelector) => ReadonlyMap<string, number>;
  /** Capacity already used by each pool (nodes and in-flight claims): vCPU millicores, memory bytes, nodes. */
  readonly poolUsage: (pool: PreparedNodePool) => { milliCpu: number; memoryBytes: number; nodes: number };
}

export interface ProvisioningResult {
  readonly claims: NodeClaimPlan[];
  /** Pods no NodePool can take, with the reason. */
  readonly unschedulable: Map<string, string>;
}

/** Pods sorted as Karpenter's scheduler queue does: by CPU then memory, largest first (queue.go byCPUAndMemoryDescending). */
export function sortPodsForProvisioning(pods: readonly SimPod[]): SimPod[] {
  return [...pods].sort((a, b) => b.requests.milliCpu - a.requests.milliCpu || b.requests.memoryBytes - a.requests.memoryBytes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function zoneConstraint(pod: Pod): TopologySpreadConstraint | undefined {
  return (pod.spec.topologySpreadConstraints ?? []).find((c) => c.topologyKey === ZONE);
}

/** How many pods matching the pod's own anti-affinity or hostname spread may share one new node. */
function perNodeLimit(pod: Pod): { selector: LabelSelector; max: number } | undefined {
  for (const term of pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (term.topologyKey === HOSTNAME && matchesLabelSelector(term.labelSelector ?? {}, pod.metadata.labels ?? {})) return { selector: term.labelSelector ?? {}, max: 1 };
  }
  const spread = (pod.spec.topologySpreadConstraints ?? []).find((c) => c.topologyKey === HOSTNAME && c.whenUnsatisfiable === 'DoNotSchedule');
  if (spread && matchesLabelSelector(spread.labelSelector ?? {}, pod.metadata.labels ?? {})) return { selector: spread.labelSelector ?? {}, max: spread.maxSkew };
  return undefined;
}

function fits(type: KarpenterInstanceType, claim: { milliCpu: number; memoryBytes: number; podCount: number; gpus: number }): boolean {
  return claim.milliCpu <= type.allocatableMilliCpu && claim.memoryBytes <= type.allocatableMemoryBytes && claim.podCount <= type.pods && claim.gpus <= type.gpus + type.neuron;
}

function podGpus(pod: SimPod): number {
  return (pod.requests.scalar['nvidia.com/gpu'] ?? 0) + (pod.requests.scalar['aws.amazon.com/neuron'] ?? 0);
}

/**
 * Karpenter's provisioning solve (kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling/scheduler.go):
 * each pod goes to the first open NodeClaim that can still hold it (requirements, taints, resources with
 * DaemonSet overhead, topology), else opens a NodeClaim on the highest-weight NodePool that fits; a NodeClaim
 * keeps every instance type that still fits all its pods, so the cheapest is chosen at launch. NodePool
 * limits remove types that would exceed them. Pure: the caller launches the claims.
 */
export function solveProvisioning(input: ProvisioningInput): ProvisioningResult {
  const claims: NodeClaimPlan[] = [];
  const unschedulable = new Map<string, string>();
  const pools = [...input.pools].sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
  const usage = new Map(pools.map((p) => [p.name, { ...input.poolUsage(p) }]));
  const overheads = new Map(pools.map((p) => [p.name, input.daemonSetOverhead(p)]));
  // Pods planned per zone this round, per topology selector, so a spread keeps balancing within one solve.
  const planned = new Map<string, Map<string, number>>();
  const plannedKey = (ns: string, selector: LabelSelector) => `${ns}|${JSON.stringify(selector)}`;

  for (const pod of sortPodsForProvisioning(input.pods)) {
    const podRequirements = Requirements.fromPod(pod.pod);
    const volumeZone = pod.pod.metadata.annotations?.[VOLUME_ZONE_ANNOTATION];
    const spread = zoneConstraint(pod.pod);
    const limit = perNodeLimit(pod.pod);
    const ns = podInfo(pod.pod).namespace;

    // Zones the pod may go to now, from its requirements, its volume and its zone spread.
    const zonesFor = (pool: PreparedNodePool): string[] => {
      let zones = input.poolZones(pool).filter((z) => input.zones.includes(z) && pool.requirements.allows(ZONE, z) && podRequirements.allows(ZONE, z));
      if (volumeZone) zones = zones.filter((z) => z === volumeZone);
      if (spread && zones.length > 1) {
        const selector = spread.labelSelector ?? {};
        const existing = input.zoneCounts(ns, selector);
        const extra = planned.get(plannedKey(ns, selector)) ?? new Map<string, number>();
        const count = (z: string) => (existing.get(z) ?? 0) + (extra.get(z) ?? 0);
        const min = Math.min(...zones.map(count));
        zones = zones.filter((z) => count(z) === min);
      }
      return zones;
    };

    let placed = false;
    for (const claim of claims) {
      if (!tolerated(pod.pod, claim.pool)) continue;
      const merged = claim.requirements.merge(podRequirements);
      if (!merged.satisfiable()) continue;
      const zones = zonesFor(claim.pool);
      if (claim.zone !== undefined ? !zones.includes(claim.zone) : zones.length === 0) continue;
      if (limit && claim.pods.filter((p) => matchesLabelSelector(limit.selector, p.pod.metadata.labels ?? {})).length >= limit.max) continue;
      const next = { milliCpu: claim.milliCpu + pod.requests.milliCpu, memoryBytes: claim.memoryBytes + pod.requests.memoryBytes, podCount: claim.podCount + 1, gpus: claim.gpus + podGpus(pod) };
      const candidates = claim.candidates.filter((t) => fits(t, next) && merged.matchesOn(t.labels, INSTANCE_TYPE_KEYS));
      if (candidates.length === 0) continue;
      Object.assign(claim, next);
      claim.candidates = candidates;
      claim.requirements = merged;
      if (claim.zone === undefined && (spread || volumeZone)) claim.zone = zones[0];
      claim.pods.push(pod);
      placed = true;
      break;
    }
    if (!placed) {
      const reasons: string[] = [];
      for (const pool of pools) {
        if (!tolerated(pod.pod, pool)) { reasons.push(`NodePool ${pool.name}: taints not tolerated`); continue; }
        const merged = pool.requirements.merge(podRequirements);
        if (!merged.satisfiable()) { reasons.push(`NodePool ${pool.name}: incompatible requirements`); continue; }
        const zones = zonesFor(pool);
        if (zones.length === 0) { reasons.push(`NodePool ${pool.name}: no available zone`); continue; }
        const overhead = overheads.get(pool.name) as Overhead;
        const need = { milliCpu: overhead.milliCpu + pod.requests.milliCpu, memoryBytes: overhead.memoryBytes + pod.requests.memoryBytes, podCount: overhead.pods + 1, gpus: podGpus(pod) };
        const used = usage.get(pool.name) as { milliCpu: number; memoryBytes: number; nodes: number };
        const withinLimits = (t: KarpenterInstanceType) =>
          (pool.limits.milliCpu === undefined || used.milliCpu + t.info.vcpu * 1000 <= pool.limits.milliCpu) &&
          (pool.limits.memoryBytes === undefined || used.memoryBytes + t.info.memoryMiB * 2 ** 20 <= pool.limits.memoryBytes) &&
          (pool.limits.nodes === undefined || used.nodes + 1 <= pool.limits.nodes);
        const fitting = pool.types.filter((t) => fits(t, need) && merged.matchesOn(t.labels, INSTANCE_TYPE_KEYS));
        if (fitting.length === 0) { reasons.push(`NodePool ${pool.name}: no instance type fits the pod with DaemonSet overhead`); continue; }
        const candidates = fitting.filter(withinLimits);
        if (candidates.length === 0) { reasons.push(`NodePool ${pool.name}: limits exceeded`); continue; }
        const claim: NodeClaimPlan = { pool, requirements: merged, candidates, pods: [pod], ...need, zone: spread || volumeZone ? zones[0] : undefined };
        claims.push(claim);
        // Count the smallest candidate against the limits until launch picks the real type.
        used.milliCpu += candidates[0].info.vcpu * 1000;
        used.memoryBytes += candidates[0].info.memoryMiB * 2 ** 20;
        used.nodes += 1;
        placed = true;
        break;
      }
      if (!placed) unschedulable.set(pod.key, reasons.length > 0 ? reasons.join('; ') : 'no NodePool');
    }
    if (placed && spread) {
      const claim = claims.find((c) => c.pods.includes(pod));
      if (claim?.zone) {
        const key = plannedKey(ns, spread.labelSelector ?? {});
        const map = planned.get(key) ?? new Map<string, number>();
        map.set(claim.zone, (map.get(claim.zone) ?? 0) + 1);
        planned.set(key, map);
      }
    }
  }
  return { claims, unschedulable };
}

function tolerated(pod: Pod, pool: PreparedNodePool): boolean {
  return pool.taints.every((t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerates(pod.spec.tolerations, t));
}

export interface Offering { type: KarpenterInstanceType; zone: string; capacityType: CapacityType; price: number }

/**
 * The offering a NodeClaim launches: spot when the pool allows it (Karpenter prefers spot), else on-demand;
 * the cheapest (type, zone) among the claim's candidates in its allowed zones that EC2 can serve
 * (price-capacity-optimized approximated by price, ties by name).
 */
export function chooseOffering(claim: NodeClaimPlan, zones: readonly string[], price: (type: string, zone: string, capacityType: CapacityType) => number, available: (type: string, zone: string, capacityType: CapacityType) => boolean): Offering | undefined {
  const capacityOrder: CapacityType[] = claim.pool.capacityTypes.includes('spot') && claim.requirements.allows('karpenter.sh/capacity-type', 'spot') ? ['spot', 'on-demand'] : ['on-demand'];
  for (const capacityType of capacityOrder) {
    if (!claim.pool.capacityTypes.includes(capacityType) || !claim.requirements.allows('karpenter.sh/capacity-type', capacityType)) continue;
    let best: Offering | undefined;
    for (const type of claim.candidates) {
      for (const zone of claim.zone ? [claim.zone] : zones) {
        if (!claim.requirements.allows(ZONE, zone) || !available(type.info.name, zone, capacityType)) continue;
        const p = price(type.info.name, zone, capacityType);
        if (!best || p < best.price - 1e-12 || (Math.abs(p - best.price) <= 1e-12 && (type.info.name < best.type.info.name || (type.info.name === best.type.info.name && zone < best.zone)))) {
          best = { type, zone, capacityType, price: p };
        }
      }
    }
    if (best) return best;
  }
  return undefined;
}

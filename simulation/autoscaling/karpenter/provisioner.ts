import type { LabelSelector, Pod } from '../../model/kubernetes';
import { podInfo, tolerates } from '../../scheduler/pod-info';
import { VOLUME_ZONE_ANNOTATION } from '../../scheduler/plugins/volume-zone';
import type { SimPod } from '../types';
import { daemonOverheadByType, NO_DAEMON_OVERHEAD, type DaemonOverhead } from './daemon-overhead';
import { INSTANCE_TYPE_KEYS, WELL_KNOWN_LABELS, type KarpenterInstanceType, type PreparedNodePool } from './instance-types';
import { PodPreferences, type PodConstraints } from './preferences';
import type { Requirements } from './requirements';
import { HOSTNAME, keyOf, ProvisioningTopology, selects, termNamespaces, ZONE, type ExistingAntiAffinity, type Namespaces } from './topology';

/** Per NodeClaim: pods matching each selector asked about so far, and the pods with hostname anti-affinity. */
interface ClaimIndex {
  readonly counts: Map<string, { namespaces: Namespaces; selector: LabelSelector | undefined; count: number }>;
  readonly antiAffinity: SimPod[];
  /** The most any remaining candidate can hold besides its DaemonSet pods: rules a pod out before any other check. */
  room?: { milliCpu: number; memoryBytes: number; pods: number };
}
const INDEX = new WeakMap<NodeClaimPlan, ClaimIndex>();

function indexOf(claim: NodeClaimPlan): ClaimIndex {
  let index = INDEX.get(claim);
  if (!index) { index = { counts: new Map(), antiAffinity: [] }; INDEX.set(claim, index); }
  return index;
}

/** Pods of the claim a selector matches, counted once per selector and kept up to date as pods are added. */
function matchingOnClaim(claim: NodeClaimPlan, namespaces: Namespaces, selector: LabelSelector | undefined): number {
  const index = indexOf(claim);
  const key = `${namespaces === 'all' ? '*' : [...namespaces].sort().join(',')}|${selector ? keyOf(selector) : '{}'}`;
  let entry = index.counts.get(key);
  if (!entry) {
    entry = { namespaces, selector, count: claim.pods.filter((p) => selects(namespaces, selector, p.pod)).length };
    index.counts.set(key, entry);
  }
  return entry.count;
}

function roomOf(claim: NodeClaimPlan): { milliCpu: number; memoryBytes: number; pods: number } {
  const index = indexOf(claim);
  if (!index.room) {
    const room = { milliCpu: 0, memoryBytes: 0, pods: 0 };
    for (const t of claim.candidates) {
      const overhead = claim.overheads.get(t.info.name) ?? NO_DAEMON_OVERHEAD;
      room.milliCpu = Math.max(room.milliCpu, t.allocatableMilliCpu - overhead.milliCpu);
      room.memoryBytes = Math.max(room.memoryBytes, t.allocatableMemoryBytes - overhead.memoryBytes);
      room.pods = Math.max(room.pods, t.pods - overhead.pods);
    }
    index.room = room;
  }
  return index.room;
}

function indexPod(claim: NodeClaimPlan, pod: SimPod): void {
  const index = indexOf(claim);
  index.room = undefined;
  for (const entry of index.counts.values()) if (selects(entry.namespaces, entry.selector, pod.pod)) entry.count += 1;
  if ((pod.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some((t) => t.topologyKey === HOSTNAME)) index.antiAffinity.push(pod);
}

export { chooseOffering, type Offering } from './offering';

export interface NodeClaimPlan {
  readonly pool: PreparedNodePool;
  requirements: Requirements;
  /** Instance types that still hold every pod with their DaemonSet overhead, cheapest first. */
  candidates: KarpenterInstanceType[];
  readonly pods: SimPod[];
  milliCpu: number;
  memoryBytes: number;
  podCount: number;
  gpus: number;
  /** Zones the NodeClaim may still launch in. */
  zones: string[];
  /** Set once the claim is pinned to one zone (topology spread, affinity, a volume). */
  zone?: string;
  /** DaemonSet overhead per instance type name. */
  readonly overheads: ReadonlyMap<string, DaemonOverhead>;
  readonly hostPorts: Set<string>;
}

export interface ProvisioningInput {
  readonly pods: readonly SimPod[];
  readonly pools: readonly PreparedNodePool[];
  /** One pod per DaemonSet: counted per instance type on every new node they are compatible with. */
  readonly daemonSetPods?: readonly Pod[];
  /** Zones a node may launch in now (AZ outages removed). */
  readonly zones: readonly string[];
  /** Zones of each pool's subnets (EC2NodeClass subnet selector). */
  readonly poolZones: (pool: PreparedNodePool) => readonly string[];
  /** Existing pods per zone matching a selector in these namespaces. */
  readonly zoneCounts: (namespaces: Namespaces, selector: LabelSelector) => ReadonlyMap<string, number>;
  /** Capacity already used by each pool (nodes and in-flight claims): vCPU millicores, memory bytes, nodes. */
  readonly poolUsage: (pool: PreparedNodePool) => { milliCpu: number; memoryBytes: number; nodes: number };
  /** Zones of existing nodes (topology domains beyond the NodePools' own zones). */
  readonly existingZones?: readonly string[];
  /** Existing pods with required zone anti-affinity. */
  readonly existingAntiAffinity?: readonly ExistingAntiAffinity[];
  /**
   * Verdicts kept from earlier solves of the same caller (provisioning passes, one per step): a pod class that no
   * NodePool could take while every pool was at its limits is not solved again while nothing it depends on changed.
   * @default none (every solve works out every verdict)
   */
  readonly memo?: ProvisioningMemo;
}

/**
 * What a caller keeps between solves so pods that failed on an unchanged cluster are not solved again (as the
 * upstream scheduling queue keeps unschedulable pods until a relevant cluster event, kubernetes/kubernetes
 * pkg/scheduler/backend/queue/scheduling_queue.go, and the Cluster Autoscaler checks one pod per equivalence group,
 * cluster-autoscaler core/scaleup/equivalence/groups.go). Only verdicts that cannot depend on the cluster's pods are
 * kept: see `solveProvisioning`.
 */
export class ProvisioningMemo {
  /** The inputs the kept verdicts were worked out with; another set of inputs starts over. */
  private pools?: readonly PreparedNodePool[];
  private daemonSetPods?: readonly Pod[];
  private zones?: string;
  private readonly verdicts = new Map<string, string>();
  /** Solves that used the memo, and pod classes solved in full for it (for tests). */
  solves = 0;
  solved = 0;

  /** The kept verdicts when they were made with these inputs; else an empty map that keeps verdicts from now on. */
  verdictsFor(pools: readonly PreparedNodePool[], daemonSetPods: readonly Pod[] | undefined, zones: string): Map<string, string> {
    this.solves += 1;
    if (this.pools !== pools || this.daemonSetPods !== daemonSetPods || this.zones !== zones) {
      this.pools = pools;
      this.daemonSetPods = daemonSetPods;
      this.zones = zones;
      this.verdicts.clear();
    }
    return this.verdicts;
  }
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

function podGpus(pod: SimPod): number {
  return (pod.requests.scalar['nvidia.com/gpu'] ?? 0) + (pod.requests.scalar['aws.amazon.com/neuron'] ?? 0);
}

function tolerated(pod: Pod, pool: PreparedNodePool): boolean {
  return pool.taints.every((t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerates(pod.spec.tolerations, t));
}

/** Requests plus the type's DaemonSet overhead fit its allocatable (nodeclaim.go filterInstanceTypesByRequirements). */
function fits(type: KarpenterInstanceType, overhead: DaemonOverhead, claim: { milliCpu: number; memoryBytes: number; podCount: number; gpus: number }): boolean {
  return claim.milliCpu + overhead.milliCpu <= type.allocatableMilliCpu && claim.memoryBytes + overhead.memoryBytes <= type.allocatableMemoryBytes
    && claim.podCount + overhead.pods <= type.pods && claim.gpus + overhead.gpus <= type.gpus + type.neuron;
}

/** `minValues`: the remaining types still offer at least that many distinct values per key (requirements.go, strict policy). */
function meetsMinValues(pool: PreparedNodePool, types: readonly KarpenterInstanceType[]): string | undefined {
  for (const [key, min] of pool.minValues) {
    const distinct = new Set(types.map((t) => t.labels[key]).filter((v) => v !== undefined)).size;
    if (distinct < min) return `minValues: ${key} needs ${min} distinct value(s), ${distinct} left`;
  }
  return undefined;
}

interface Addition { requirements: Requirements; candidates: KarpenterInstanceType[]; zones: string[]; next: { milliCpu: number; memoryBytes: number; podCount: number; gpus: number } }

/**
 * Karpenter's provisioning solve (kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling/scheduler.go,
 * nodeclaim.go, topology.go): each pod goes to the first open NodeClaim that can still hold it (taints,
 * requirements, zone and hostname topology, host ports, resources with each type's DaemonSet overhead), else
 * opens a NodeClaim on the highest-weight NodePool that can; when neither works its preferences are relaxed one
 * at a time (preferences.go) and it is tried again. A NodeClaim keeps every type that still fits all its pods,
 * so the cheapest is chosen at launch. NodePool limits remove types that would exceed them. Pure: the caller
 * launches the claims.
 *
 * Pods alike share their verdict. Until the first NodeClaim opens, the solve's state (pool usage, planned topology)
 * is the one it started with, so a pod that fits nowhere fails the same way for every pod with its signature. When
 * every NodePool is at its limits no NodeClaim can open, and only the last relaxation step's reasons are reported:
 * a pod whose last step has no pod-topology term (required spread, pod affinity or anti-affinity) and no existing
 * pod's zone anti-affinity to meet reads nothing of the cluster but the zones allowed now, so its verdict is kept in
 * `memo` for the next solves with the same NodePools, DaemonSets and zones.
 */
export function solveProvisioning(input: ProvisioningInput): ProvisioningResult {
  const claims: NodeClaimPlan[] = [];
  const unschedulable = new Map<string, string>();
  const pools = [...input.pools].sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
  const usage = new Map(pools.map((p) => [p.name, { ...input.poolUsage(p) }]));
  const overheads = new Map(pools.map((p) => [p.name, input.daemonSetPods && input.daemonSetPods.length > 0 ? daemonOverheadByType(p, input.daemonSetPods) : new Map<string, DaemonOverhead>()]));
  const domains = [...new Set([...pools.flatMap((p) => input.poolZones(p).filter((z) => p.requirements.allows(ZONE, z))), ...(input.existingZones ?? [])])].sort();
  const topology = new ProvisioningTopology({ domains, zoneCounts: input.zoneCounts, existingAntiAffinity: input.existingAntiAffinity });

  const canAdd = (claim: NodeClaimPlan, pod: SimPod, c: PodConstraints): Addition | string => {
    if (!tolerated(pod.pod, claim.pool)) return `NodePool ${claim.pool.name}: taints not tolerated`;
    const room = roomOf(claim);
    if (claim.milliCpu + pod.requests.milliCpu > room.milliCpu || claim.memoryBytes + pod.requests.memoryBytes > room.memoryBytes || claim.podCount + 1 > room.pods) {
      return `NodePool ${claim.pool.name}: no instance type fits the pod with DaemonSet overhead`;
    }
    const unconstrained = c.requirements.isEmpty();
    if (!unconstrained && !claim.requirements.compatible(c.requirements, WELL_KNOWN_LABELS)) return `NodePool ${claim.pool.name}: incompatible requirements`;
    const requirements = unconstrained ? claim.requirements : claim.requirements.merge(c.requirements);
    const volumeZone = pod.pod.metadata.annotations?.[VOLUME_ZONE_ANNOTATION];
    const zones = claim.zones.filter((z) => requirements.allows(ZONE, z) && (!volumeZone || z === volumeZone));
    if (zones.length === 0) return `NodePool ${claim.pool.name}: no available zone`;
    const hostname = hostnameConflict(claim, pod.pod, c, topology);
    if (hostname) return `NodePool ${claim.pool.name}: ${hostname}`;
    const narrowed = topology.narrow(pod.pod, c.requirements, c.spreads, c.affinity, c.antiAffinity, zones);
    if (typeof narrowed === 'string') return `NodePool ${claim.pool.name}: ${narrowed}`;
    const ports = podInfo(pod.pod).hostPorts;
    if (ports.some((p) => claim.hostPorts.has(p))) return `NodePool ${claim.pool.name}: host port conflict`;
    const next = { milliCpu: claim.milliCpu + pod.requests.milliCpu, memoryBytes: claim.memoryBytes + pod.requests.memoryBytes, podCount: claim.podCount + 1, gpus: claim.gpus + podGpus(pod) };
    const candidates = claim.candidates.filter((t) => {
      const overhead = claim.overheads.get(t.info.name) ?? NO_DAEMON_OVERHEAD;
      return fits(t, overhead, next) && (unconstrained || requirements.matchesOn(t.labels, INSTANCE_TYPE_KEYS)) && (ports.length === 0 || !ports.some((p) => overhead.hostPorts.includes(p)));
    });
    if (candidates.length === 0) return `NodePool ${claim.pool.name}: no instance type fits the pod with DaemonSet overhead`;
    const minValues = meetsMinValues(claim.pool, candidates);
    if (minValues) return `NodePool ${claim.pool.name}: ${minValues}`;
    return { requirements, candidates, zones: narrowed, next };
  };

  const add = (claim: NodeClaimPlan, pod: SimPod, addition: Addition) => {
    Object.assign(claim, addition.next);
    claim.candidates = addition.candidates;
    claim.requirements = addition.requirements;
    claim.zones = addition.zones;
    if (addition.zones.length === 1) claim.zone = addition.zones[0];
    claim.pods.push(pod);
    indexPod(claim, pod);
    for (const port of podInfo(pod.pod).hostPorts) claim.hostPorts.add(port);
    topology.record(pod.pod, claim.zones);
  };

  // A NodePool whose limits leave room for none of its types opens no NodeClaim (kubernetes-sigs/karpenter
  // pkg/controllers/provisioning/scheduling/scheduler.go remainingResources, filterByRemainingResources).
  const exhausted = pools.every((p) => {
    const used = usage.get(p.name) as { milliCpu: number; memoryBytes: number; nodes: number };
    return !p.types.some((t) => withinPoolLimits(p, used, t));
  });
  // Until a NodeClaim opens (none ever does when every pool is exhausted) usage and topology are as the solve
  // started: a pod's outcome depends on its own spec only, so pods alike (one Deployment's replicas) share it.
  const verdicts = new Map<string, string>();
  // Verdicts of earlier solves, for pods whose last relaxation step reads nothing of the cluster (see above).
  const kept = exhausted && input.memo && (input.existingAntiAffinity ?? []).length === 0
    ? input.memo.verdictsFor(input.pools, input.daemonSetPods, `${input.zones.join(',')}|${pools.map((p) => `${p.name}:${input.poolZones(p).join(',')}`).join(';')}`)
    : undefined;

  for (const pod of sortPodsForProvisioning(input.pods)) {
    const signature = claims.length === 0 ? podSignature(pod) : undefined;
    let known = signature === undefined ? undefined : verdicts.get(signature);
    if (known === undefined && signature !== undefined && kept && !readsTopologyWhenRelaxed(pod.pod)) {
      known = kept.get(signature);
      if (known !== undefined) verdicts.set(signature, known);
    }
    if (known !== undefined) { unschedulable.set(pod.key, known); continue; }
    const preferences = new PodPreferences(pod.pod);
    let reasons: string[] = [];
    for (;;) {
      const constraints = preferences.current();
      reasons = [];
      let placed = false;
      for (const claim of claims) {
        const addition = canAdd(claim, pod, constraints);
        if (typeof addition === 'string') continue;
        add(claim, pod, addition);
        placed = true;
        break;
      }
      for (let i = 0; !placed && i < pools.length; i += 1) {
        const pool = pools[i];
        const used = usage.get(pool.name) as { milliCpu: number; memoryBytes: number; nodes: number };
        const withinLimits = (t: KarpenterInstanceType) => withinPoolLimits(pool, used, t);
        const fresh: NodeClaimPlan = {
          pool, requirements: pool.requirements, candidates: pool.types, pods: [], milliCpu: 0, memoryBytes: 0, podCount: 0, gpus: 0,
          zones: input.poolZones(pool).filter((z) => input.zones.includes(z)), overheads: overheads.get(pool.name) as Map<string, DaemonOverhead>, hostPorts: new Set(),
        };
        const addition = canAdd(fresh, pod, constraints);
        if (typeof addition === 'string') { reasons.push(addition); continue; }
        const candidates = addition.candidates.filter(withinLimits);
        if (candidates.length === 0) { reasons.push(`NodePool ${pool.name}: limits exceeded`); continue; }
        add(fresh, pod, { ...addition, candidates });
        claims.push(fresh);
        // Count the smallest candidate against the limits until launch picks the real type.
        used.milliCpu += candidates[0].info.vcpu * 1000;
        used.memoryBytes += candidates[0].info.memoryMiB * 2 ** 20;
        used.nodes += 1;
        placed = true;
      }
      if (placed) break;
      if (!preferences.relax()) {
        const reason = reasons.length > 0 ? reasons.join('; ') : 'no NodePool';
        unschedulable.set(pod.key, reason);
        // A failing pod opens no NodeClaim: the state is still the one its signature's verdict holds for.
        if (signature !== undefined) {
          verdicts.set(signature, reason);
          if (kept && !readsTopologyWhenRelaxed(pod.pod)) { kept.set(signature, reason); if (input.memo) input.memo.solved += 1; }
        }
        break;
      }
    }
  }
  return { claims, unschedulable };
}

/**
 * Whether a pod's last relaxation step (preferences.ts: required terms only) has a pod-topology term: a
 * DoNotSchedule spread or required pod (anti-)affinity, whose check reads the cluster's pods per zone.
 */
function readsTopologyWhenRelaxed(pod: Pod): boolean {
  const affinity = pod.spec.affinity;
  return (pod.spec.topologySpreadConstraints ?? []).some((c) => c.whenUnsatisfiable !== 'ScheduleAnyway')
    || (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0
    || (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
}

/** One more node of the type stays within the NodePool's limits given what it already uses. */
function withinPoolLimits(pool: PreparedNodePool, used: { milliCpu: number; memoryBytes: number; nodes: number }, t: KarpenterInstanceType): boolean {
  return (pool.limits.milliCpu === undefined || used.milliCpu + t.info.vcpu * 1000 <= pool.limits.milliCpu) &&
    (pool.limits.memoryBytes === undefined || used.memoryBytes + t.info.memoryMiB * 2 ** 20 <= pool.limits.memoryBytes) &&
    (pool.limits.nodes === undefined || used.nodes + 1 <= pool.limits.nodes);
}

/**
 * Everything of a pod the solve reads but its name: equal for pods alike. A pending pod's spec, labels and requests
 * do not change while it waits, so each pod's signature is serialised once, not once per provisioning pass.
 */
const signatures = new WeakMap<SimPod, string>();
function podSignature(pod: SimPod): string {
  let signature = signatures.get(pod);
  if (signature === undefined) {
    const meta = pod.pod.metadata;
    signature = JSON.stringify([meta.namespace, meta.labels, meta.annotations, pod.pod.spec, pod.requests]);
    signatures.set(pod, signature);
  }
  return signature;
}

/** Hostname-level topology on one NodeClaim: spreads, anti-affinity (own and inverse), affinity. */
function hostnameConflict(claim: NodeClaimPlan, pod: Pod, c: PodConstraints, topology: ProvisioningTopology): string | undefined {
  const ns: Namespaces = new Set([podInfo(pod).namespace]);
  for (const spread of c.spreads) {
    if (spread.topologyKey !== HOSTNAME) continue;
    // Hostname domains always have a minimum of 0: a new node can be created (topologygroup.go domainMinCount).
    const here = matchingOnClaim(claim, ns, spread.labelSelector) + (selects(ns, spread.labelSelector, pod) ? 1 : 0);
    if (here > spread.maxSkew) return `topology spread on ${HOSTNAME} (maxSkew ${spread.maxSkew})`;
  }
  for (const term of c.antiAffinity) {
    if (term.topologyKey !== HOSTNAME) continue;
    const namespaces = termNamespaces(term, pod);
    if (matchingOnClaim(claim, namespaces, term.labelSelector) > 0) return `pod anti-affinity on ${HOSTNAME}`;
  }
  for (const other of indexOf(claim).antiAffinity) {
    for (const term of other.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (term.topologyKey === HOSTNAME && selects(termNamespaces(term, other.pod), term.labelSelector, pod)) return `anti-affinity of ${other.key} on ${HOSTNAME}`;
    }
  }
  for (const term of c.affinity) {
    if (term.topologyKey !== HOSTNAME) continue;
    const namespaces = termNamespaces(term, pod);
    if (matchingOnClaim(claim, namespaces, term.labelSelector) > 0) continue;
    const anywhere = [...topology.count(namespaces, term.labelSelector).values()].some((n) => n > 0);
    if (claim.pods.length === 0 && !anywhere && selects(namespaces, term.labelSelector, pod)) continue;
    return `pod affinity on ${HOSTNAME}: no matching pod on this NodeClaim`;
  }
  return undefined;
}

import { spotUsdPerHour, instanceType as catalogType } from '../../catalog';
import type { ClusterModel } from '../../model/cluster';
import { EksplanError } from '../../model/errors';
import type { KarpenterEc2NodeClass, KarpenterNodePool } from '../../model/kubernetes';
import type { NodeInfo } from '../../scheduler/node-info';
import { podInfo } from '../../scheduler/pod-info';
import { binPack, templateNode } from '../template';
import type { CapacityActions, CapacityController, CapacityType, ClusterView, SimNode, SimPod } from '../types';
import { prepareNodePool, type PreparedNodePool } from './instance-types';
import { chooseOffering, solveProvisioning, type NodeClaimPlan, type Overhead } from './provisioner';

export interface KarpenterSettings {
  /** NodeClaim launch to node Ready. @default 60 */
  readonly launchDelaySeconds: number;
  /** Batch window: idle time that closes a batch of pending pods. @default 1 */
  readonly batchIdleSeconds: number;
  /** Batch window: longest batch. @default 10 */
  readonly batchMaxSeconds: number;
}

// Offerings that failed with InsufficientInstanceCapacity are skipped for 3 minutes (karpenter-provider-aws
// pkg/cache: UnavailableOfferingsTTL).
const ICE_TTL_SECONDS = 180;
// The disruption controller polls every 10 seconds (pkg/controllers/disruption/controller.go).
const DISRUPTION_INTERVAL_SECONDS = 10;
// Multi-node consolidation considers at most this many candidates (multinodeconsolidation.go MaxCandidates... 100).
const MAX_MULTI_NODE_CANDIDATES = 100;

/**
 * Karpenter v1 for the NodePools of the assembly: provisioning (batched pending pods solved onto NodeClaims,
 * cheapest offering launched), interruption handling (cordon and drain at the spot notice), and disruption
 * (expiration, emptiness, multi- and single-node consolidation with replacement, under disruption budgets).
 */
/** Karpenter re-validates a 'consolidated' cluster after this long even when nothing changed. */
const CONSOLIDATION_STATE_TTL_SECONDS = 300;

export class KarpenterController implements CapacityController {
  readonly name = 'karpenter';
  readonly interval = 1;
  readonly pools: PreparedNodePool[];
  private readonly settings: KarpenterSettings;
  private readonly region: string;
  private readonly model: ClusterModel;
  private readonly iced = new Map<string, number>();
  private readonly overheadCache = new Map<string, Overhead>();
  private readonly replacements = new Map<string, string>();
  private readonly handledInterruptions = new Set<string>();
  private readonly limitEvents = new Map<string, number>();
  private lastDisruptionAt = Number.NEGATIVE_INFINITY;
  private readonly consolidatedStamps = new Map<string, { stamp: string; at: number }>();
  private readonly ownerKind: 'nodepool' | 'automode';

  constructor(model: ClusterModel, settings: KarpenterSettings, region: string) {
    this.model = model;
    this.settings = settings;
    this.region = region;
    this.ownerKind = model.cluster?.autoMode ? 'automode' : 'nodepool';
    const classes = new Map(model.objects.filter((o) => o.object.kind === 'EC2NodeClass').map((o) => [o.object.metadata.name, o.object as KarpenterEc2NodeClass]));
    this.pools = model.objects.filter((o) => o.object.kind === 'NodePool').map((o) => {
      const pool = o.object as KarpenterNodePool;
      const where = { input: `${o.source.file}: NodePool ${pool.metadata.name}` };
      let prepared: PreparedNodePool;
      try {
        prepared = prepareNodePool(pool, classes.get(pool.spec?.template?.spec?.nodeClassRef?.name), region);
      } catch (error) {
        throw new EksplanError(error instanceof Error ? error.message : String(error), { ...where, field: 'spec' });
      }
      if (prepared.types.length === 0) {
        throw new EksplanError('no instance type satisfies the requirements (Karpenter could never launch a node for this NodePool)', { ...where, field: 'spec.template.spec.requirements' });
      }
      return prepared;
    });
  }

  static hasNodePools(model: ClusterModel): boolean {
    return model.objects.some((o) => o.object.kind === 'NodePool');
  }

  reconcile(view: ClusterView, actions: CapacityActions): void {
    if (this.pools.length === 0) return;
    this.handleInterruptions(view, actions);
    this.finishReplacements(view, actions);
    this.provision(view, actions);
    if (view.now - this.lastDisruptionAt >= DISRUPTION_INTERVAL_SECONDS) {
      this.lastDisruptionAt = view.now;
      this.disrupt(view, actions);
    }
  }

  private isOwn(node: SimNode): boolean {
    return (node.owner.kind === 'nodepool' || node.owner.kind === 'automode') && this.pools.some((p) => p.name === node.owner.name);
  }

  // ------------------------------------------------------------ provisioning

  private poolZones(pool: PreparedNodePool): string[] {
    const terms = pool.nodeClass?.spec?.subnetSelectorTerms ?? [];
    const subnets = this.model.subnets.filter((s) => !s.public && (terms.length === 0 || terms.some((t) => t.id === s.id || (t.tags && Object.entries(t.tags).every(([k, v]) => k in s.tags && (v === '*' || s.tags[k] === v))))));
    const zones = [...new Set(subnets.map((s) => s.availabilityZone))].sort();
    return zones.length > 0 ? zones : [...this.model.availabilityZones];
  }

  private poolSubnets(pool: PreparedNodePool, zone: string): string[] | undefined {
    const terms = pool.nodeClass?.spec?.subnetSelectorTerms ?? [];
    const ids = this.model.subnets.filter((s) => !s.public && s.availabilityZone === zone && (terms.length === 0 || terms.some((t) => t.id === s.id || (t.tags && Object.entries(t.tags).every(([k, v]) => k in s.tags && (v === '*' || s.tags[k] === v)))))).map((s) => s.id);
    return ids.length > 0 ? ids : undefined;
  }

  private overhead(view: ClusterView, pool: PreparedNodePool): Overhead {
    let cached = this.overheadCache.get(pool.name);
    if (!cached) {
      cached = { milliCpu: 0, memoryBytes: 0, pods: 0 };
      const type = pool.types[0];
      if (type) {
        const node = templateNode(view, { instanceType: type.info.name, zone: this.poolZones(pool)[0] ?? 'zone', capacityType: 'on-demand', maxPods: type.pods, labels: { ...pool.labels, 'karpenter.sh/nodepool': pool.name }, taints: pool.taints, karpenter: true });
        cached = { milliCpu: node.requested.milliCpu, memoryBytes: node.requested.memoryBytes, pods: node.podCount() };
      }
      this.overheadCache.set(pool.name, cached);
    }
    return cached;
  }

  private available(view: ClusterView, type: string, zone: string, capacityType: CapacityType): boolean {
    if ((this.iced.get(`${type}|${zone}|${capacityType}`) ?? Number.NEGATIVE_INFINITY) > view.now) return false;
    return !view.unavailableZones().has(zone) && view.hasCapacity(type, zone, capacityType);
  }

  private price(type: string, zone: string, capacityType: CapacityType): number {
    return capacityType === 'spot' ? spotUsdPerHour(type, this.region, zone) : catalogType(type).onDemandUsdPerHour(this.region);
  }

  private provision(view: ClusterView, actions: CapacityActions): void {
    const pending = view.pendingPods().filter((p) => p.lastMessage !== undefined);
    if (pending.length === 0) return;
    // Pods that in-flight NodeClaims will take are not provisioned again.
    const inflight: NodeInfo[] = view.nodes().filter((n) => !n.ready && !n.deleting && this.isOwn(n)).map((n) => templateNode(view, {
      instanceType: n.instanceType.name, zone: n.zone, capacityType: n.capacityType, maxPods: n.maxPods, labels: { ...(n.node.metadata.labels ?? {}) }, taints: n.node.spec.taints ?? [], karpenter: true,
    }));
    const remaining = inflight.length > 0 ? binPack(view.scheduler, pending, inflight, undefined, 0).unplaced : pending;
    if (remaining.length === 0) return;
    const claims = this.solve(view, remaining);
    for (const claim of claims.claims) this.launchClaim(view, actions, claim, 'provisioning');
    for (const [podKey, reason] of claims.unschedulable) {
      if (!reason.includes('limits exceeded')) continue;
      const last = this.limitEvents.get(reason) ?? Number.NEGATIVE_INFINITY;
      if (view.now - last < 300) continue;
      this.limitEvents.set(reason, view.now);
      actions.emit({ type: 'limit', source: this.name, object: `Pod ${podKey}`, message: `cannot provision: ${reason}` });
    }
  }

  private solve(view: ClusterView, pods: readonly SimPod[], pools = this.pools) {
    const unavailable = view.unavailableZones();
    const zones = this.model.availabilityZones.filter((z) => !unavailable.has(z));
    return solveProvisioning({
      pods, pools,
      daemonSetOverhead: (pool) => this.overhead(view, pool),
      zones,
      poolZones: (pool) => this.poolZones(pool),
      zoneCounts: (namespace, selector) => view.snapshot.countByDomain(new Set([namespace]), selector, 'topology.kubernetes.io/zone'),
      poolUsage: (pool) => {
        const usage = { milliCpu: 0, memoryBytes: 0, nodes: 0 };
        for (const n of view.nodes()) {
          if (n.owner.name !== pool.name || !this.isOwn(n) || n.deleting) continue;
          usage.milliCpu += n.instanceType.vcpu * 1000;
          usage.memoryBytes += n.instanceType.memoryMiB * 2 ** 20;
          usage.nodes += 1;
        }
        return usage;
      },
    });
  }

  private launchClaim(view: ClusterView, actions: CapacityActions, claim: NodeClaimPlan, why: string): SimNode | undefined {
    const zones = this.poolZones(claim.pool).filter((z) => !view.unavailableZones().has(z));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const offering = chooseOffering(claim, zones, (t, z, c) => this.price(t, z, c), (t, z, c) => this.available(view, t, z, c));
      if (!offering) {
        actions.emit({ type: 'insufficient-capacity', source: this.name, object: `NodePool ${claim.pool.name}`, message: `no available offering for ${claim.pods.length} pod(s) among ${claim.candidates.length} instance type(s)` });
        return undefined;
      }
      const result = actions.launch({
        instanceType: offering.type.info.name, zone: offering.zone, capacityType: offering.capacityType, owner: { kind: this.ownerKind, name: claim.pool.name },
        labels: { ...claim.pool.labels }, taints: claim.pool.taints, maxPods: offering.type.pods,
        readyDelaySeconds: this.settings.launchDelaySeconds + this.settings.batchIdleSeconds, karpenter: true,
        subnetIds: this.poolSubnets(claim.pool, offering.zone), diskGiB: claim.pool.diskGiB,
      });
      if ('error' in result) {
        this.iced.set(`${offering.type.info.name}|${offering.zone}|${offering.capacityType}`, view.now + ICE_TTL_SECONDS);
        actions.emit({ type: 'insufficient-capacity', source: this.name, object: `NodePool ${claim.pool.name}`, message: `${offering.type.info.name} ${offering.capacityType} in ${offering.zone}: ${result.message}; trying the next offering` });
        continue;
      }
      actions.emit({ type: 'launch', source: this.name, object: `NodeClaim ${result.name}`,
        message: `${why}: ${offering.type.info.name} ${offering.capacityType} in ${offering.zone} ($${offering.price.toFixed(4)}/h) for ${claim.pods.length} pod(s), cheapest of ${claim.candidates.length} fitting type(s)` });
      return result;
    }
    return undefined;
  }

  // ------------------------------------------------------------ interruption

  private handleInterruptions(view: ClusterView, actions: CapacityActions): void {
    for (const node of view.nodes()) {
      if (node.interruptAt === undefined || this.handledInterruptions.has(node.name) || !this.isOwn(node)) continue;
      this.handledInterruptions.add(node.name);
      // interruption controller: on the 2-minute spot notice, cordon and drain now; pods go back to provisioning.
      actions.emit({ type: 'interruption', source: this.name, object: `Node ${node.name}`, message: `spot interruption notice: draining ${view.podsOn(node.name).filter((p) => !p.workload.daemonSet).length} pod(s) before reclaim at ${Math.round(node.interruptAt)}s` });
      actions.terminate(node.name, 'spot interruption');
    }
  }

  // ------------------------------------------------------------ disruption

  private finishReplacements(view: ClusterView, actions: CapacityActions): void {
    for (const [replacement, original] of [...this.replacements]) {
      const fresh = view.nodes().find((n) => n.name === replacement);
      if (!fresh) { this.replacements.delete(replacement); continue; }
      if (!fresh.ready) continue;
      this.replacements.delete(replacement);
      if (view.nodes().some((n) => n.name === original)) actions.terminate(original, 'consolidation: replaced by a cheaper node');
    }
  }

  private budget(view: ClusterView, pool: PreparedNodePool, reason: 'Empty' | 'Underutilized' | 'Drifted'): number {
    const nodes = view.nodes().filter((n) => n.owner.name === pool.name && this.isOwn(n));
    const disrupting = nodes.filter((n) => n.deleting).length + [...this.replacements.values()].filter((o) => nodes.some((n) => n.name === o)).length;
    let allowed = Number.POSITIVE_INFINITY;
    for (const budget of pool.budgets) {
      if (budget.reasons && !budget.reasons.includes(reason)) continue;
      const percent = /^(\d+)%$/.exec(budget.nodes);
      // Percentages round up (karpenter pkg/apis/v1/nodepool.go GetAllowedDisruptionsByReason).
      const value = percent ? Math.ceil((nodes.length * Number(percent[1])) / 100) : Number(budget.nodes);
      allowed = Math.min(allowed, value);
    }
    return Math.max(0, (Number.isFinite(allowed) ? allowed : nodes.length) - disrupting);
  }

  private disrupt(view: ClusterView, actions: CapacityActions): void {
    const now = view.now;
    const replacing = new Set(this.replacements.values());
    const all = view.nodes();
    const own = all.filter((n) => this.isOwn(n) && n.ready && !n.deleting && !replacing.has(n.name));
    // What a consolidation pass reads: every node and its pods (the generation moves on each bind or removal).
    // Pending pods are not part of it: the pass only moves the candidates' pods onto existing nodes.
    const clusterStamp = `${all.length}|${nodeStateHash(all)}|${[...view.unavailableZones()].join(',')}`;
    for (const pool of this.pools) {
      const nodes = own.filter((n) => n.owner.name === pool.name);
      // Expiration is forceful: budgets do not apply (Karpenter v1).
      for (const node of nodes) {
        if (now - node.launchedAt >= pool.expireAfterSeconds) {
          actions.emit({ type: 'expire', source: this.name, object: `Node ${node.name}`, message: `expired after ${Math.round((now - node.launchedAt) / 3600)}h (expireAfter)` });
          actions.terminate(node.name, 'expired');
        }
      }
      const alive = nodes.filter((n) => now - n.launchedAt < pool.expireAfterSeconds);
      const quiet = alive.filter((n) => now - n.lastPodChangeAt >= pool.consolidateAfterSeconds && !this.doNotDisrupt(view, n));
      // Emptiness.
      let emptyBudget = this.budget(view, pool, 'Empty');
      for (const node of quiet) {
        if (emptyBudget <= 0) break;
        if (view.podsOn(node.name).some((p) => !p.workload.daemonSet)) continue;
        emptyBudget -= 1;
        actions.emit({ type: 'consolidate', source: this.name, object: `Node ${node.name}`, message: `empty for ${Math.round(now - node.lastPodChangeAt)}s: deleting (${node.instanceType.name}, $${node.usdPerHour.toFixed(4)}/h)` });
        actions.terminate(node.name, 'consolidation: empty');
      }
      if (pool.consolidationPolicy !== 'WhenEmptyOrUnderutilized') continue;
      const candidates = quiet.filter((n) => !n.deleting && view.podsOn(n.name).some((p) => !p.workload.daemonSet));
      // Karpenter's consolidation state (pkg/controllers/state/cluster.go ConsolidationState): a pass that found
      // nothing is not repeated until the cluster changes, or 5 minutes pass.
      const stamp = `${candidates.map((n) => n.name).join(',')}|${clusterStamp}`;
      const last = this.consolidatedStamps.get(pool.name);
      if (last && last.stamp === stamp && now - last.at < CONSOLIDATION_STATE_TTL_SECONDS) continue;
      if (this.consolidate(view, actions, pool, candidates)) return;
      this.consolidatedStamps.set(pool.name, { stamp, at: last && last.stamp === stamp ? last.at : now });
    }
  }

  private doNotDisrupt(view: ClusterView, node: SimNode): boolean {
    return view.podsOn(node.name).some((p) => p.pod.metadata.annotations?.['karpenter.sh/do-not-disrupt'] === 'true');
  }

  /** One consolidation command per pass: multi-node deletion first, then single-node delete or replace. */
  private consolidate(view: ClusterView, actions: CapacityActions, pool: PreparedNodePool, candidates: SimNode[]): boolean {
    const budget = this.budget(view, pool, 'Underutilized');
    if (budget <= 0 || candidates.length === 0) return false;
    // Disruption cost: fewer pods and pricier nodes first (disruption/helpers.go orders by disruption cost).
    // Each candidate's pods, read once for the pass (the what-ifs below put every pod back where it was).
    const podsOf = new Map(candidates.map((n) => [n.name, view.podsOn(n.name)]));
    const podCount = (n: SimNode) => podsOf.get(n.name)?.length ?? 0;
    const ordered = candidates.filter((n) => (podsOf.get(n.name) ?? []).every((p) => p.workload.daemonSet || view.canEvict(p)))
      .sort((a, b) => podCount(a) - podCount(b) || b.usdPerHour - a.usdPerHour || a.name.localeCompare(b.name));
    if (ordered.length === 0) return false;

    // Multi-node: the largest prefix whose pods fit on the other nodes (binary search, multinodeconsolidation.go).
    const limit = Math.min(ordered.length, budget, MAX_MULTI_NODE_CANDIDATES);
    let lo = 2;
    let hi = limit;
    let best = 0;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.fitElsewhere(view, ordered.slice(0, mid))) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (best >= 2) {
      const removed = ordered.slice(0, best);
      const saving = removed.reduce((s, n) => s + n.usdPerHour, 0);
      actions.emit({ type: 'consolidate', source: this.name, object: `NodePool ${pool.name}`, message: `multi-node consolidation: deleting ${best} underutilized node(s), saving $${saving.toFixed(4)}/h; their pods fit on the remaining nodes` });
      for (const node of removed) actions.terminate(node.name, 'consolidation: underutilized');
      return true;
    }
    // Single node: delete when its pods fit elsewhere, else replace with one cheaper node (on-demand only:
    // spot-to-spot consolidation is behind a feature gate that is off by default).
    const room = freeRoom(view.snapshot.nodes);
    for (const node of ordered) {
      const pods = (podsOf.get(node.name) ?? []).filter((p) => !p.workload.daemonSet);
      if (room.couldHold(node.info, pods) && this.fitElsewhere(view, [node])) {
        actions.emit({ type: 'consolidate', source: this.name, object: `Node ${node.name}`, message: `underutilized: its ${pods.length} pod(s) fit elsewhere; deleting (${node.instanceType.name}, saves $${node.usdPerHour.toFixed(4)}/h)` });
        actions.terminate(node.name, 'consolidation: underutilized');
        return true;
      }
      if (node.capacityType === 'spot') continue;
      const cheaperPool: PreparedNodePool = { ...pool, capacityTypes: pool.capacityTypes.filter((c) => c === 'on-demand'), types: pool.types.filter((t) => t.info.onDemandUsdPerHour(this.region) < node.usdPerHour * 0.999) };
      if (cheaperPool.types.length === 0 || cheaperPool.capacityTypes.length === 0) continue;
      const plan = this.solve(view, pods, [cheaperPool]);
      if (plan.unschedulable.size > 0 || plan.claims.length !== 1) continue;
      const replacement = this.launchClaim(view, actions, plan.claims[0], `consolidation: replacing ${node.name} (${node.instanceType.name}, $${node.usdPerHour.toFixed(4)}/h)`);
      if (replacement) {
        this.replacements.set(replacement.name, node.name);
        actions.emit({ type: 'replace', source: this.name, object: `Node ${node.name}`, message: `replacing with cheaper ${replacement.instanceType.name} ($${replacement.usdPerHour.toFixed(4)}/h)` });
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every non-DaemonSet pod of these nodes fits on the other ready nodes. Works on the live snapshot
   * (the candidates taken out, the pods tried elsewhere, everything put back), so a check costs what
   * scheduling the candidates' pods costs, not a copy of the cluster.
   */
  private fitElsewhere(view: ClusterView, nodes: SimNode[]): boolean {
    return withoutNodes(view, nodes, (pods) => pods.every((pod) => {
      const node = view.scheduler.firstFit(pod.pod, view.snapshot);
      if (!node) return false;
      view.snapshot.addPod(pod.pod, node.name);
      return true;
    }));
  }
}

/**
 * Runs `check` with the nodes out of the snapshot, handing it their non-DaemonSet pods (the check may bind
 * them elsewhere); then undoes every binding and puts the nodes and their pods back.
 */
export function withoutNodes(view: ClusterView, nodes: readonly SimNode[], check: (pods: SimPod[]) => boolean): boolean {
  const snapshot = view.snapshot;
  const pods = nodes.flatMap((n) => view.podsOn(n.name).filter((p) => !p.workload.daemonSet));
  // Taken out and put back in their places: the snapshot's node order decides first-fit and the scheduler's
  // rotation, so a what-if must not reorder it.
  const present = nodes.filter((n) => snapshot.get(n.name) !== undefined)
    .map((n) => ({ node: n, index: snapshot.nodes.indexOf(n.info) }))
    .sort((a, b) => a.index - b.index);
  for (const { node } of present) snapshot.removeNode(node.name);
  try {
    return check(pods);
  } finally {
    for (const pod of pods) {
      const bound = snapshot.nodeOfPod(podInfo(pod.pod).key);
      if (bound && !present.some((n) => n.node.info === bound)) snapshot.removePod(podInfo(pod.pod).key);
    }
    for (const { node, index } of present) snapshot.addNode(node.info, index);
  }
}

/** An order-independent hash of each node's name and generation: equal when no node or pod binding changed. */
function nodeStateHash(nodes: readonly SimNode[]): number {
  let hash = 0;
  for (const node of nodes) {
    let h = node.info.generation + 0x9e3779b9;
    for (let i = 0; i < node.name.length; i++) h = Math.imul(h ^ node.name.charCodeAt(i), 0x01000193);
    hash = (hash + (h >>> 0)) >>> 0;
  }
  return hash;
}

/**
 * The free CPU and memory of the cluster's nodes, to rule out a single-node deletion cheaply: when one of the
 * node's pods requests more than any other node has free, or all of them more than all others have free,
 * NodeResourcesFit rejects the move whatever the order, so the scheduling simulation can be skipped.
 */
export function freeRoom(nodes: readonly NodeInfo[]): { couldHold(node: NodeInfo, pods: readonly SimPod[]): boolean } {
  const free = (n: NodeInfo) => ({ cpu: n.allocatable.milliCpu - n.requested.milliCpu, memory: n.allocatable.memoryBytes - n.requested.memoryBytes });
  let totalCpu = 0;
  let totalMemory = 0;
  // The two largest of each, so the largest among the *other* nodes is known for any node.
  const top = { cpu: [-Infinity, -Infinity], memory: [-Infinity, -Infinity] };
  const push = (pair: number[], value: number) => {
    if (value > pair[0]) { pair[1] = pair[0]; pair[0] = value; } else if (value > pair[1]) pair[1] = value;
  };
  for (const node of nodes) {
    const f = free(node);
    totalCpu += Math.max(0, f.cpu);
    totalMemory += Math.max(0, f.memory);
    push(top.cpu, f.cpu);
    push(top.memory, f.memory);
  }
  return {
    couldHold(node, pods) {
      const own = free(node);
      const otherCpu = own.cpu >= top.cpu[0] ? top.cpu[1] : top.cpu[0];
      const otherMemory = own.memory >= top.memory[0] ? top.memory[1] : top.memory[0];
      let cpu = 0;
      let memory = 0;
      for (const pod of pods) {
        if (pod.workload.daemonSet) continue;
        const requests = podInfo(pod.pod).requests;
        if (requests.milliCpu > otherCpu || requests.memoryBytes > otherMemory) return false;
        cpu += requests.milliCpu;
        memory += requests.memoryBytes;
      }
      return cpu <= totalCpu - Math.max(0, own.cpu) && memory <= totalMemory - Math.max(0, own.memory);
    },
  };
}

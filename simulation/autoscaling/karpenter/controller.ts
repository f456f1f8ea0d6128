import { spotUsdPerHour, instanceType as catalogType } from '../../catalog';
import type { ClusterModel } from '../../model/cluster';
import { EksplanError } from '../../model/errors';
import { typedObjects, type Ec2NodeClassModel, type NodePoolModel } from '../../model/typed-objects';
import type { NodeInfo } from '../../scheduler/node-info';
import { podInfo } from '../../scheduler/pod-info';
import { templateNode } from '../template';
import type { CapacityActions, CapacityController, CapacityType, ClusterView, SimNode, SimPod } from '../types';
import { withoutNodes } from '../what-if';
import { allowedDisruptions, DEFAULT_START_EPOCH_SECONDS, type DisruptionReason } from './budgets';
import { prepareNodePool, type PreparedNodePool } from './instance-types';
import { chooseOffering, solveProvisioning, type NodeClaimPlan } from './provisioner';
import type { ExistingAntiAffinity } from './topology';

export { withoutNodes } from '../what-if';

export interface KarpenterSettings {
  /** NodeClaim launch to node Ready. @default 60 */
  readonly launchDelaySeconds: number;
  /** Batch window: idle time that closes a batch of pending pods. @default 1 */
  readonly batchIdleSeconds: number;
  /** Batch window: longest batch. @default 10 */
  readonly batchMaxSeconds: number;
  /** Wall-clock time (UTC epoch seconds) of simulated t = 0, for scheduled disruption budgets. @default Monday 2024-01-01 00:00 UTC */
  readonly startEpochSeconds?: number;
  /** The SpotToSpotConsolidation feature gate (chart `settings.featureGates.spotToSpotConsolidation`). @default false */
  readonly spotToSpotConsolidation?: boolean;
}

// Offerings that failed with InsufficientInstanceCapacity are skipped for 3 minutes (karpenter-provider-aws
// pkg/cache: UnavailableOfferingsTTL).
const ICE_TTL_SECONDS = 180;
// The disruption controller polls every 10 seconds (pkg/controllers/disruption/controller.go).
const DISRUPTION_INTERVAL_SECONDS = 10;
// Multi-node consolidation considers at most this many candidates (multinodeconsolidation.go MaxCandidates... 100).
const MAX_MULTI_NODE_CANDIDATES = 100;
// Spot-to-spot consolidation needs at least this many cheaper spot types, so the replacement is not a type about to be
// reclaimed (pkg/controllers/disruption/consolidation.go MinInstanceTypesForSpotToSpotConsolidation).
export const MIN_SPOT_TO_SPOT_TYPES = 15;

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
  private readonly replacements = new Map<string, string>();
  private readonly handledInterruptions = new Set<string>();
  private readonly limitEvents = new Map<string, number>();
  private lastDisruptionAt = Number.NEGATIVE_INFINITY;
  private readonly consolidatedStamps = new Map<string, { stamp: string; at: number }>();
  private readonly ownerKind: 'nodepool' | 'automode';
  /** The SpotToSpotConsolidation feature gate: the scenario's override, else the chart values the assembly deploys. */
  private readonly spotToSpot: boolean;

  constructor(model: ClusterModel, settings: KarpenterSettings, region: string) {
    this.model = model;
    this.settings = settings;
    this.region = region;
    this.ownerKind = model.cluster?.autoMode ? 'automode' : 'nodepool';
    this.spotToSpot = settings.spotToSpotConsolidation ?? model.karpenterSettings?.featureGates.spotToSpotConsolidation ?? false;
    const typed = typedKarpenterObjects(model);
    this.pools = typed.nodePools.map((np) => {
      const where = { input: `${np.source.file}: NodePool ${np.name}` };
      const nodeClass = typed.nodeClasses.find((c) => c.name === np.nodeClassRef?.name);
      let prepared: PreparedNodePool;
      try {
        prepared = fromTypedNodePool(np, nodeClass, region, model.karpenterSettings?.reservedENIs);
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
    return typedKarpenterObjects(model).nodePools.length > 0;
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

  private available(view: ClusterView, type: string, zone: string, capacityType: CapacityType): boolean {
    if ((this.iced.get(`${type}|${zone}|${capacityType}`) ?? Number.NEGATIVE_INFINITY) > view.now) return false;
    return !view.unavailableZones().has(zone) && view.hasCapacity(type, zone, capacityType);
  }

  private readonly poolPrices = new Map<string, Map<string, Record<CapacityType, number>>>();

  /** Each type's cheapest price over the pool's zones, per capacity type (worked out once per pool). */
  private cheapestPrices(pool: PreparedNodePool): Map<string, Record<CapacityType, number>> {
    let prices = this.poolPrices.get(pool.name);
    if (!prices) {
      prices = new Map();
      const zones = this.poolZones(pool);
      for (const t of pool.types) {
        const of = (c: CapacityType) => Math.min(...zones.map((z) => this.price(t.info.name, z, c)));
        prices.set(t.info.name, { spot: of('spot'), 'on-demand': of('on-demand') });
      }
      this.poolPrices.set(pool.name, prices);
    }
    return prices;
  }

  /** Offering prices do not change during a run: each is looked up once. */
  private readonly prices = new Map<string, number>();

  private price(type: string, zone: string, capacityType: CapacityType): number {
    const key = `${type}|${zone}|${capacityType}`;
    let price = this.prices.get(key);
    if (price === undefined) {
      price = capacityType === 'spot' ? spotUsdPerHour(type, this.region, zone) : catalogType(type).onDemandUsdPerHour(this.region);
      this.prices.set(key, price);
    }
    return price;
  }

  private provision(view: ClusterView, actions: CapacityActions): void {
    const pending = view.pendingPods().filter((p) => p.lastMessage !== undefined);
    if (pending.length === 0) return;
    // In-flight NodeClaims join a fork of the cluster snapshot with their DaemonSet pods; pods they will take are
    // not provisioned again, and they count for topology (scheduler.go treats in-flight NodeClaims as existing nodes).
    const claims = view.snapshot.whatIf(() => {
      const inflight: NodeInfo[] = view.nodes().filter((n) => !n.ready && !n.deleting && this.isOwn(n)).map((n) => templateNode(view, {
        instanceType: n.instanceType.name, zone: n.zone, capacityType: n.capacityType, maxPods: n.maxPods, labels: { ...(n.node.metadata.labels ?? {}) }, taints: n.node.spec.taints ?? [], karpenter: true,
      }));
      for (const node of inflight) view.snapshot.addNode(node);
      const remaining = inflight.length === 0 ? pending : pending.filter((pod) => {
        const target = inflight.find((node) => view.scheduler.canSchedule(pod.pod, node, view.snapshot).fits);
        if (target) view.snapshot.addPod(pod.pod, target.name);
        return !target;
      });
      return remaining.length === 0 ? undefined : this.solve(view, remaining);
    });
    if (!claims) return;
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
    const existingZones = new Set<string>();
    for (const node of view.snapshot.nodes) if (node.labels['topology.kubernetes.io/zone']) existingZones.add(node.labels['topology.kubernetes.io/zone']);
    const existingAntiAffinity: ExistingAntiAffinity[] = [];
    for (const node of view.snapshot.nodesWithAntiAffinity) {
      const zone = node.labels['topology.kubernetes.io/zone'];
      if (zone) for (const pod of node.podsWithRequiredAntiAffinity) existingAntiAffinity.push({ pod, zone });
    }
    return solveProvisioning({
      pods, pools,
      daemonSetPods: view.daemonSetPods(),
      zones,
      poolZones: (pool) => this.poolZones(pool),
      zoneCounts: (namespaces, selector) => view.snapshot.countByDomain(namespaces, selector, 'topology.kubernetes.io/zone'),
      existingZones: [...existingZones],
      existingAntiAffinity,
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
      const offering = chooseOffering(claim, zones, (t, z, c) => this.price(t, z, c), (t, z, c) => this.available(view, t, z, c), () => view.random());
      if (!offering) {
        actions.emit({ type: 'insufficient-capacity', source: this.name, object: `NodePool ${claim.pool.name}`, message: `no available offering for ${claim.pods.length} pod(s) among ${claim.candidates.length} instance type(s)` });
        return undefined;
      }
      const result = actions.launch({
        instanceType: offering.type.info.name, zone: offering.zone, capacityType: offering.capacityType, owner: { kind: this.ownerKind, name: claim.pool.name },
        labels: { ...claim.pool.labels }, taints: claim.pool.taints, maxPods: offering.type.pods,
        readyDelaySeconds: this.settings.launchDelaySeconds + this.settings.batchIdleSeconds, karpenter: true,
        subnetIds: this.poolSubnets(claim.pool, offering.zone), diskGiB: claim.pool.diskGiB,
        allocatable: { milliCpu: offering.type.allocatableMilliCpu, memoryBytes: offering.type.allocatableMemoryBytes },
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
      actions.emit({ type: 'interruption', source: this.name, object: `Node ${node.name}`, message: `spot interruption notice: draining ${view.podsOn(node.name).filter((p) => !p.workload.daemonSet).length} pod(s) before EC2 reclaims it in ${Math.max(0, Math.round(node.interruptAt - view.now))}s` });
      actions.terminate(node.name, 'spot interruption');
    }
  }

  // ------------------------------------------------------------ disruption

  private finishReplacements(view: ClusterView, actions: CapacityActions): void {
    for (const [key, original] of [...this.replacements]) {
      const replacement = key.slice(0, key.indexOf('|'));
      const fresh = view.nodes().find((n) => n.name === replacement);
      if (!fresh) { this.replacements.delete(key); continue; }
      if (!fresh.ready) continue;
      this.replacements.delete(key);
      if (view.nodes().some((n) => n.name === original)) actions.terminate(original, 'consolidation: replaced by a cheaper node');
    }
  }

  private budget(view: ClusterView, pool: PreparedNodePool, reason: DisruptionReason): number {
    const nodes = view.nodes().filter((n) => n.owner.name === pool.name && this.isOwn(n));
    const disrupting = nodes.filter((n) => n.deleting).length + [...this.replacements.values()].filter((o) => nodes.some((n) => n.name === o)).length;
    return allowedDisruptions(pool.budgets, reason, nodes.length, disrupting, (this.settings.startEpochSeconds ?? DEFAULT_START_EPOCH_SECONDS) + view.now);
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

    // Multi-node (multinodeconsolidation.go): the largest prefix whose pods fit on the other nodes, or on the other
    // nodes plus exactly one new node cheaper than the prefix together (binary search over the prefix length).
    const limit = Math.min(ordered.length, budget, MAX_MULTI_NODE_CANDIDATES);
    let lo = 2;
    let hi = limit;
    let best: { count: number; replacement?: NodeClaimPlan } | undefined;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const plan = this.planWithout(view, pool, ordered.slice(0, mid));
      if (plan) { best = { count: mid, replacement: plan.replacement }; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (best) {
      const removed = ordered.slice(0, best.count);
      const saving = removed.reduce((s, n) => s + n.usdPerHour, 0);
      if (!best.replacement) {
        actions.emit({ type: 'consolidate', source: this.name, object: `NodePool ${pool.name}`, message: `multi-node consolidation: deleting ${best.count} underutilized node(s), saving $${saving.toFixed(4)}/h; their pods fit on the remaining nodes` });
        for (const node of removed) actions.terminate(node.name, 'consolidation: underutilized');
        return true;
      }
      const replacement = this.launchClaim(view, actions, best.replacement, `multi-node consolidation: replacing ${best.count} node(s) ($${saving.toFixed(4)}/h together)`);
      if (replacement) {
        // The first replaced node waits for the replacement; the others are terminated with it.
        for (const node of removed) this.replacements.set(`${replacement.name}|${node.name}`, node.name);
        actions.emit({ type: 'replace', source: this.name, object: `NodePool ${pool.name}`, message: `multi-node consolidation: replacing ${removed.map((n) => n.name).join(', ')} with one cheaper ${replacement.instanceType.name} ($${replacement.usdPerHour.toFixed(4)}/h)` });
        return true;
      }
    }
    // Single node (singlenodeconsolidation.go): delete when its pods fit elsewhere, else replace it with one cheaper node.
    const room = freeRoom(view.snapshot.nodes);
    for (const node of ordered) {
      const pods = (podsOf.get(node.name) ?? []).filter((p) => !p.workload.daemonSet);
      // The resource bound rules out a deletion cheaply; a replacement is then planned for all of the node's pods.
      const plan = this.planWithout(view, pool, [node], !room.couldHold(node.info, pods));
      if (plan && !plan.replacement) {
        actions.emit({ type: 'consolidate', source: this.name, object: `Node ${node.name}`, message: `underutilized: its ${pods.length} pod(s) fit elsewhere; deleting (${node.instanceType.name}, saves $${node.usdPerHour.toFixed(4)}/h)` });
        actions.terminate(node.name, 'consolidation: underutilized');
        return true;
      }
      if (!plan?.replacement) continue;
      const replacement = this.launchClaim(view, actions, plan.replacement, `consolidation: replacing ${node.name} (${node.instanceType.name}, $${node.usdPerHour.toFixed(4)}/h)`);
      if (replacement) {
        this.replacements.set(`${replacement.name}|${node.name}`, node.name);
        actions.emit({ type: 'replace', source: this.name, object: `Node ${node.name}`, message: `replacing with cheaper ${replacement.instanceType.name} ($${replacement.usdPerHour.toFixed(4)}/h)` });
        return true;
      }
    }
    return false;
  }

  /**
   * Simulates removing the nodes (consolidation.go computeConsolidation): in a fork of the snapshot without them
   * (so they no longer count for topology), their pods go first-fit onto the remaining nodes; the rest must fit
   * one new NodeClaim whose types are cheaper than the removed nodes together. Spot nodes are replaced by spot only
   * behind the SpotToSpotConsolidation gate, single-node only, with at least 15 cheaper types
   * (MinInstanceTypesForSpotToSpotConsolidation). Undefined when the command is invalid.
   */
  private planWithout(view: ClusterView, pool: PreparedNodePool, nodes: readonly SimNode[], skipExisting = false): { replacement?: NodeClaimPlan } | undefined {
    const price = nodes.reduce((s, n) => s + n.usdPerHour, 0);
    const anySpot = nodes.some((n) => n.capacityType === 'spot');
    return withoutNodes(view, nodes, (pods) => {
      const leftover = skipExisting ? pods : pods.filter((pod) => {
        const node = view.scheduler.firstFit(pod.pod, view.snapshot);
        if (node) view.snapshot.addPod(pod.pod, node.name);
        return !node;
      });
      if (leftover.length === 0) return {};
      if (anySpot && (!this.spotToSpot || nodes.length > 1)) return undefined;
      const capacityTypes = anySpot ? pool.capacityTypes.filter((c) => c === 'spot') : pool.capacityTypes.filter((c) => c === 'on-demand');
      const prices = this.cheapestPrices(pool);
      const cheapest = (t: PreparedNodePool['types'][number], c: CapacityType) => prices.get(t.info.name)?.[c] ?? Number.POSITIVE_INFINITY;
      // One node must hold every leftover pod: types smaller than their sum are out before any solve.
      let needCpu = 0;
      let needMemory = 0;
      for (const pod of leftover) { needCpu += pod.requests.milliCpu; needMemory += pod.requests.memoryBytes; }
      const cheaper: PreparedNodePool = {
        ...pool, capacityTypes,
        types: pool.types.filter((t) => t.allocatableMilliCpu >= needCpu && t.allocatableMemoryBytes >= needMemory && t.pods >= leftover.length && capacityTypes.some((c) => cheapest(t, c) < price * 0.999)),
      };
      if (cheaper.types.length === 0 || capacityTypes.length === 0) return undefined;
      const plan = this.solve(view, leftover, [cheaper]);
      if (plan.unschedulable.size > 0 || plan.claims.length !== 1) return undefined;
      const claim = plan.claims[0];
      if (anySpot) {
        if (claim.candidates.length < MIN_SPOT_TO_SPOT_TYPES) return undefined;
        // The replacement launches with the 15 cheapest types only, so a spot node is not replaced by a pricier one.
        claim.candidates = [...claim.candidates].sort((a, b) => cheapest(a, 'spot') - cheapest(b, 'spot')).slice(0, MIN_SPOT_TO_SPOT_TYPES);
      }
      return { replacement: claim };
    });
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

/**
 * The typed NodePools and EC2NodeClasses of the model. Models assembled after reading (EKS Auto Mode's built-in
 * pools, what-if variants) may carry only raw objects: those are typed here, once per controller.
 */
function typedKarpenterObjects(model: ClusterModel): { nodePools: readonly NodePoolModel[]; nodeClasses: readonly Ec2NodeClassModel[] } {
  const rawPools = model.objects.filter((o) => o.object.kind === 'NodePool' && o.object.apiVersion.startsWith('karpenter.sh/')).length;
  if ((model.nodePools ?? []).length === rawPools) return { nodePools: model.nodePools ?? [], nodeClasses: model.nodeClasses ?? [] };
  return typedObjects(model.objects, model.helmReleases);
}

/** A NodePool ready for scheduling from its typed entry: limits, disruption settings and the root volume come typed. */
function fromTypedNodePool(np: NodePoolModel, nodeClass: Ec2NodeClassModel | undefined, region: string, reservedEnis?: number): PreparedNodePool {
  const prepared = prepareNodePool(np.object, nodeClass?.object, region, undefined, { reservedEnis, amiFamily: nodeClass?.amiFamily });
  return {
    ...prepared, weight: np.weight, labels: { ...np.labels }, taints: [...np.taints],
    limits: { milliCpu: np.limits.milliCpu, memoryBytes: np.limits.memoryBytes, nodes: np.limits.nodes },
    consolidationPolicy: np.consolidationPolicy, consolidateAfterSeconds: np.consolidateAfterSeconds, expireAfterSeconds: np.expireAfterSeconds,
    budgets: np.budgets.map((b) => ({ nodes: b.nodes, reasons: b.reasons, schedule: b.schedule, durationSeconds: b.durationSeconds })),
    diskGiB: nodeClass?.rootVolume ? Math.ceil(nodeClass.rootVolume.sizeBytes / 2 ** 30) : prepared.diskGiB,
  };
}

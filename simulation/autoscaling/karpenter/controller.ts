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
import { driftReason, driftTemplate, type DriftReason as NodeDriftReason, type DriftTemplate } from './drift';
import { launchAnnotations, resolvedAmiFamily } from '../../model/karpenter-hash';
import { osLabels } from '../../catalog/windows';
import { prepareNodePool, typeLabels, type PreparedNodePool } from './instance-types';
import { chooseOffering, ProvisioningMemo, solveProvisioning, type NodeClaimPlan } from './provisioner';
import type { ExistingAntiAffinity } from './topology';
import { kubeletAllocatableMemoryBytes } from './overhead';
import { commandOutcome, DISRUPTED_TAINT, type CommandReason, type DisruptionCommand, type ReplacementState } from './orchestration';

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
  /**
   * Simulated time at which the NodePools and EC2NodeClasses the controller runs were deployed over nodes launched
   * from older ones (a what-if started from a baseline's nodes): drift is evaluated from then on. @default always
   */
  readonly changeDeployedAt?: number;
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
/**
 * A consolidation command is validated this long after it is computed, the disruption loop waiting meanwhile
 * (kubernetes-sigs/karpenter pkg/controllers/disruption/consolidation.go consolidationTTL).
 */
const CONSOLIDATION_VALIDATION_SECONDS = 15;
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
  /** The disruption commands in the orchestration queue (disruption/queue.go): tainted candidates waiting for replacements. */
  private commands: DisruptionCommand[] = [];
  private readonly handledInterruptions = new Set<string>();
  private readonly limitEvents = new Map<string, number>();
  private lastDisruptionAt = Number.NEGATIVE_INFINITY;
  private readonly consolidatedStamps = new Map<string, { stamp: string; at: number }>();
  private readonly ownerKind: 'nodepool' | 'automode';
  /** The SpotToSpotConsolidation feature gate: the scenario's override, else the chart values the assembly deploys. */
  private readonly spotToSpot: boolean;
  /** Per NodePool: what its NodeClaims are stamped with at launch, and what drift is checked against. */
  private readonly launchStamps = new Map<string, Record<string, string>>();
  private readonly driftTemplates = new Map<string, DriftTemplate>();
  /** When each drifted node was first seen drifted (the Drifted condition's lastTransitionTime). */
  private readonly driftedSince = new Map<string, number>();
  /** Each node's drift, checked once: a node's labels and annotations and its pool's template do not change in a run. */
  private readonly driftOf = new Map<string, NodeDriftReason | null>();
  private readonly driftBlocked = new Set<string>();
  /**
   * The emptiness or consolidation command waiting out its validation period (emptiness.go, singlenodeconsolidation.go
   * and multinodeconsolidation.go: Validate after consolidationTTL); the disruption loop waits for it.
   */
  private pendingCommand?: PendingCommand;
  /** Nominated nodes and until when (state/statenode.go nominatedUntil): no disruption method takes them. */
  private readonly nominatedUntil = new Map<string, number>();

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
    this.runCommands(view, actions);
    this.provision(view, actions);
    if (view.now - this.lastDisruptionAt >= DISRUPTION_INTERVAL_SECONDS || (this.pendingCommand !== undefined && view.now >= this.pendingCommand.validateAt)) {
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
    if (this.iced.size > 0 && (this.iced.get(`${type}|${zone}|${capacityType}`) ?? Number.NEGATIVE_INFINITY) > view.now) return false;
    return !this.unavailableZonesAt(view).has(zone) && view.hasCapacity(type, zone, capacityType);
  }

  private zonesAt?: { view: ClusterView; now: number; zones: ReadonlySet<string> };

  /** The zones out at this instant, read once per step (an outage starts and ends with simulated time only). */
  private unavailableZonesAt(view: ClusterView): ReadonlySet<string> {
    const at = this.zonesAt;
    if (at && at.view === view && at.now === view.now) return at.zones;
    const zones = view.unavailableZones();
    this.zonesAt = { view, now: view.now, zones };
    return zones;
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

  /** Offering prices do not change during a run: each is looked up once (per type, then per zone and capacity type). */
  private readonly prices = new Map<string, Map<string, number>>();

  private price(type: string, zone: string, capacityType: CapacityType): number {
    let ofType = this.prices.get(type);
    if (!ofType) { ofType = new Map(); this.prices.set(type, ofType); }
    const key = capacityType === 'spot' ? zone : `${zone}|${capacityType}`;
    let price = ofType.get(key);
    if (price === undefined) {
      price = capacityType === 'spot' ? spotUsdPerHour(type, this.region, zone) : catalogType(type).onDemandUsdPerHour(this.region);
      ofType.set(key, price);
    }
    return price;
  }

  private provision(view: ClusterView, actions: CapacityActions): void {
    const pending = view.pendingPods().filter((p) => p.lastMessage !== undefined);
    if (pending.length === 0) return;
    // In-flight NodeClaims join a fork of the cluster snapshot with their DaemonSet pods; pods they will take are
    // not provisioned again, and they count for topology (scheduler.go treats in-flight NodeClaims as existing nodes).
    // The nodes this pass counts pending pods onto are nominated (scheduling/results.go Record: NominateNodeForPod for
    // each existing node, in-flight NodeClaims included, that the results give pods).
    const nominated = new Set<string>();
    const claims = view.snapshot.whatIf(() => {
      const launching = view.nodes().filter((n) => !n.ready && !n.deleting && this.isOwn(n));
      const inflight: NodeInfo[] = launching.map((n) => templateNode(view, {
        instanceType: n.instanceType.name, zone: n.zone, capacityType: n.capacityType, maxPods: n.maxPods, labels: { ...(n.node.metadata.labels ?? {}) }, taints: n.node.spec.taints ?? [], karpenter: true,
      }));
      // Pods evicted in this very step (a drained node) have not been through the kube-scheduler yet: the provisioner's
      // scheduler places them on existing nodes with room first (scheduler.go: existing nodes before new NodeClaims).
      const unplaced = pending.filter((pod) => {
        if (pod.pendingSince !== view.now || pod.scheduledAt === undefined) return true;
        const target = view.scheduler.firstFit(pod.pod, view.snapshot);
        if (target) { view.snapshot.addPod(pod.pod, target.name); nominated.add(target.name); }
        return !target;
      });
      if (unplaced.length === 0) return undefined;
      for (const node of inflight) view.snapshot.addNode(node);
      const remaining = inflight.length === 0 ? unplaced : unplaced.filter((pod) => {
        const index = inflight.findIndex((node) => view.scheduler.canSchedule(pod.pod, node, view.snapshot).fits);
        if (index >= 0) { view.snapshot.addPod(pod.pod, inflight[index].name); nominated.add(launching[index].name); }
        return index < 0;
      });
      return remaining.length === 0 ? undefined : this.solve(view, remaining, this.pools, this.provisioningMemo);
    });
    for (const name of nominated) this.nominate(view, name);
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

  /**
   * state/statenode.go Nominate: the node is kept out of disruption candidates for the nomination window, twice the
   * batch max duration and at least 10 seconds (nominationWindow); a later nomination extends it.
   */
  private nominate(view: ClusterView, name: string): void {
    this.nominatedUntil.set(name, view.now + nominationWindowSeconds(this.settings.batchMaxSeconds));
  }

  /** state/statenode.go Nominated: a recent provisioning pass counted pending pods onto the node. */
  private nominatedAt(now: number, node: SimNode): boolean {
    if (this.nominatedUntil.size === 0) return false;
    const until = this.nominatedUntil.get(node.name);
    if (until === undefined) return false;
    if (until > now) return true;
    this.nominatedUntil.delete(node.name);
    return false;
  }

  private allowedZonesCache?: readonly string[];

  /** The zones some NodePool may launch in: its EC2NodeClass subnets' zones that its requirements allow. */
  private allowedZones(): readonly string[] {
    this.allowedZonesCache ??= [...new Set(this.pools.flatMap((p) => this.poolZones(p).filter((z) => p.requirements.allows('topology.kubernetes.io/zone', z))))].sort();
    return this.allowedZonesCache;
  }

  /** Pending pods' verdicts kept from one provisioning pass to the next (provisioner.ts ProvisioningMemo). */
  private readonly provisioningMemo = new ProvisioningMemo();

  private solve(view: ClusterView, pods: readonly SimPod[], pools = this.pools, memo?: ProvisioningMemo) {
    const unavailable = this.unavailableZonesAt(view);
    const zones = this.model.availabilityZones.filter((z) => !unavailable.has(z));
    const existingZones = new Set<string>();
    for (const node of view.snapshot.nodes) if (node.labels['topology.kubernetes.io/zone']) existingZones.add(node.labels['topology.kubernetes.io/zone']);
    // Topology domains come from every NodePool's requirements, not only the pools this solve may launch from
    // (kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling/topology.go buildDomainGroups).
    for (const zone of this.allowedZones()) existingZones.add(zone);
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
      memo,
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
    const zones = this.poolZones(claim.pool).filter((z) => !this.unavailableZonesAt(view).has(z));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const offering = chooseOffering(claim, zones, (t, z, c) => this.price(t, z, c), (t, z, c) => this.available(view, t, z, c), () => view.random());
      if (!offering) {
        actions.emit({ type: 'insufficient-capacity', source: this.name, object: `NodePool ${claim.pool.name}`, message: `no available offering for ${claim.pods.length} pod(s) among ${claim.candidates.length} instance type(s)` });
        return undefined;
      }
      const result = actions.launch({
        instanceType: offering.type.info.name, zone: offering.zone, capacityType: offering.capacityType, owner: { kind: this.ownerKind, name: claim.pool.name },
        labels: { ...osLabels(resolvedAmiFamily(claim.pool.nodeClass)), ...claim.pool.labels }, taints: claim.pool.taints, maxPods: offering.type.pods,
        readyDelaySeconds: this.settings.launchDelaySeconds + this.settings.batchIdleSeconds, karpenter: true,
        subnetIds: this.poolSubnets(claim.pool, offering.zone), diskGiB: claim.pool.diskGiB, annotations: this.launchStamp(claim.pool),
        // What the kubelet reports, which for Windows is not quite what Karpenter provisioned for (overhead.ts).
        allocatable: { milliCpu: offering.type.allocatableMilliCpu, memoryBytes: kubeletAllocatableMemoryBytes(offering.type.allocatableMemoryBytes, claim.pool.nodeClass) },
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

  /**
   * What a consolidation simulation (planWithout) reads of the cluster, exactly: every node with its generation
   * (moved by each bind and removal), whether it is Ready, deleting or being replaced, its taints and cordon; the
   * pending pods (a hash of their keys) and the zones out. Equal stamps mean the same simulation.
   */
  private simulationStamp(view: ClusterView): string {
    const replaced = this.disrupting();
    let stamp = '';
    for (const n of view.nodes()) {
      stamp += `${n.name}:${n.info.generation}:${n.ready ? 'r' : ''}${n.deleting ? 'd' : ''}${replaced.has(n.name) ? 'x' : ''}`;
      const spec = n.node.spec;
      if (spec.unschedulable || (spec.taints?.length ?? 0) > 0) stamp += `:${spec.unschedulable ? 'u' : ''}${JSON.stringify(spec.taints ?? [])}`;
      stamp += ',';
    }
    const pending = view.pendingPods();
    return `${stamp}|${pending.length}:${podKeysHash(pending)}|${[...this.unavailableZonesAt(view)].join(',')}`;
  }

  /** The candidates of the commands in the queue: nodes being replaced, tainted, not yet deleted. */
  private disrupting(): Set<string> {
    const names = new Set<string>();
    for (const command of this.commands) for (const name of command.candidates) names.add(name);
    return names;
  }

  /**
   * queue.go StartCommand: the candidates are tainted karpenter.sh/disrupted:NoSchedule first (markDisrupted), so no
   * new pod lands on them, then the replacements launch; the command waits in the queue until they are initialized
   * (runCommands). When no replacement could be launched the command does not start and the taint goes again (the
   * next disruption pass removes it from nodes not in the queue, controller.go Reconcile). Returns the replacements
   * launched, or undefined when the command did not start.
   */
  private startCommand(view: ClusterView, actions: CapacityActions, reason: CommandReason, candidates: readonly SimNode[], claims: readonly NodeClaimPlan[], why: string): SimNode[] | undefined {
    for (const node of candidates) actions.taint?.(node.name, DISRUPTED_TAINT, true);
    const launched = claims.map((claim) => this.launchClaim(view, actions, claim, why)).filter((n): n is SimNode => n !== undefined);
    if (launched.length === 0) {
      for (const node of candidates) actions.taint?.(node.name, DISRUPTED_TAINT, false);
      return undefined;
    }
    this.commands.push({ reason, candidates: candidates.map((n) => n.name), replacements: launched.map((n) => n.name), startedAt: view.now });
    return launched;
  }

  /**
   * queue.go Reconcile / waitOrTerminate for each command: once every replacement is initialized the candidates are
   * drained and deleted; when a replacement is gone before that, or the command is older than the queue's retry
   * duration (10 minutes), the command fails: the candidates are un-tainted and stay (RequireNoScheduleTaint false).
   */
  private runCommands(view: ClusterView, actions: CapacityActions): void {
    if (this.commands.length === 0) return;
    const byName = new Map(view.nodes().map((n) => [n.name, n]));
    const stateOf = (name: string): ReplacementState => {
      const node = byName.get(name);
      return !node || node.deleting ? 'gone' : node.ready ? 'ready' : 'launching';
    };
    const remaining: DisruptionCommand[] = [];
    for (const command of this.commands) {
      const outcome = commandOutcome(command, view.now, stateOf);
      if (outcome.kind === 'wait') { remaining.push(command); continue; }
      for (const name of command.candidates) {
        const node = byName.get(name);
        if (!node || node.deleting) continue;
        if (outcome.kind === 'succeeded') {
          actions.terminate(name, command.reason === 'drift' ? 'drift: replaced' : 'consolidation: replaced by a cheaper node');
          continue;
        }
        actions.taint?.(name, DISRUPTED_TAINT, false);
        actions.emit({ type: command.reason === 'drift' ? 'drift' : 'consolidate', source: this.name, object: `Node ${name}`, message: `${command.reason} command failed (${outcome.message}): un-tainted ${DISRUPTED_TAINT.key}, the node stays` });
      }
    }
    this.commands = remaining;
  }

  private budget(view: ClusterView, pool: PreparedNodePool, reason: DisruptionReason): number {
    const nodes = view.nodes().filter((n) => n.owner.name === pool.name && this.isOwn(n));
    const replaced = this.disrupting();
    const disrupting = nodes.filter((n) => n.deleting).length + nodes.filter((n) => !n.deleting && replaced.has(n.name)).length;
    return allowedDisruptions(pool.budgets, reason, nodes.length, disrupting, (this.settings.startEpochSeconds ?? DEFAULT_START_EPOCH_SECONDS) + view.now);
  }

  private disrupt(view: ClusterView, actions: CapacityActions): void {
    const now = view.now;
    // A command holds the disruption loop until its validation period is over (validation.go Validate).
    const validating = this.pendingCommand;
    // A multi-node command that failed validation hands over to single-node consolidation in the same pass
    // (consolidation_test.go: should continue to single nodeclaim consolidation when multi-nodeclaim consolidation
    // fails validation after the node ttl).
    let skipMultiNode: string | undefined;
    if (validating && now >= validating.validateAt) {
      this.pendingCommand = undefined;
      if (validating.kind === 'empty') this.validateEmptiness(view, actions, validating.candidates);
      else {
        // controller.go: one command a pass; an abandoned one lets the pass compute the next.
        if (this.validateConsolidation(view, actions, validating)) return;
        if (validating.multiNode) skipMultiNode = validating.pool;
      }
    }
    const blocked = this.pendingCommand !== undefined;
    const empty: SimNode[] = [];
    const replacing = this.disrupting();
    const all = view.nodes();
    const own = all.filter((n) => this.isOwn(n) && n.ready && !n.deleting && !replacing.has(n.name));
    // What a consolidation pass reads: every node and its pods (the generation moves on each bind or removal), and
    // the pending pods, which its simulations schedule too (helpers.go SimulateScheduling: GetPendingPods).
    const clusterStamp = `${all.length}|${nodeStateHash(all)}|${podKeysHash(view.pendingPods())}|${[...this.unavailableZonesAt(view)].join(',')}`;
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
      // A node nominated for pending pods is no candidate of any disruption method (disruption/types.go NewCandidate,
      // state/statenode.go ValidateNodeDisruptable "node is nominated for a pending pod"); expiration is no method.
      const quiet = alive.filter((n) => now - n.lastPodChangeAt >= pool.consolidateAfterSeconds && !this.nominatedAt(now, n) && !this.doNotDisrupt(view, n));
      if (blocked) continue;
      // Emptiness (emptiness.go ComputeCommands): the empty candidates under the pool's Empty budget, with no
      // scheduling simulation; they are deleted after the validation period, if still valid (validateEmptiness).
      let emptyBudget = this.budget(view, pool, 'Empty');
      for (const node of quiet) {
        if (emptyBudget <= 0) break;
        if (this.podsOf(view, node).workloadPods) continue;
        emptyBudget -= 1;
        empty.push(node);
      }
      // The emptiness command is the pass's command: drift and consolidation wait (controller.go: one command a pass).
      if (empty.length > 0) continue;
      // pkg/controllers/disruption/controller.go: drift comes after emptiness and before consolidation.
      if (this.drift(view, actions, pool, alive.filter((n) => !n.deleting))) return;
      if (pool.consolidationPolicy !== 'WhenEmptyOrUnderutilized') continue;
      const candidates = quiet.filter((n) => !n.deleting && this.podsOf(view, n).workloadPods);
      // Karpenter's consolidation state (pkg/controllers/state/cluster.go ConsolidationState): a pass that found
      // nothing is not repeated until the cluster changes, or 5 minutes pass.
      // A pass the budget blocks is not marked consolidated (singlenodeconsolidation.go constrainedByBudgets): a
      // scheduled budget's window may close while nothing else changes.
      if (candidates.length > 0 && this.budget(view, pool, 'Underutilized') <= 0) continue;
      const stamp = `${candidates.map((n) => n.name).join(',')}|${clusterStamp}`;
      const last = this.consolidatedStamps.get(pool.name);
      if (last && last.stamp === stamp && now - last.at < CONSOLIDATION_STATE_TTL_SECONDS) continue;
      if (this.consolidate(view, actions, pool, candidates, skipMultiNode === pool.name)) return;
      this.consolidatedStamps.set(pool.name, { stamp, at: last && last.stamp === stamp ? last.at : now });
    }
    if (empty.length > 0) this.pendingCommand = { kind: 'empty', candidates: empty.map((n) => n.name), validateAt: now + CONSOLIDATION_VALIDATION_SECONDS };
  }

  /**
   * emptiness.go ComputeCommands, after the validation period (validation.go EmptinessValidator): the candidates that
   * are still candidates (ready, not deleting or disrupted, not nominated, no do-not-disrupt), still empty and past
   * consolidateAfter, within their pool's Empty budget as it is now, are deleted; when none is left the command is
   * abandoned ("pod churn").
   */
  private validateEmptiness(view: ClusterView, actions: CapacityActions, names: readonly string[]): void {
    const now = view.now;
    const replacing = this.disrupting();
    const budgets = new Map<string, number>();
    for (const name of names) {
      const node = view.nodes().find((n) => n.name === name);
      if (!node || !node.ready || node.deleting || replacing.has(name) || !this.isOwn(node)) continue;
      const pool = this.pools.find((p) => p.name === node.owner.name);
      if (!pool || now - node.launchedAt >= pool.expireAfterSeconds || now - node.lastPodChangeAt < pool.consolidateAfterSeconds) continue;
      if (this.nominatedAt(now, node) || this.doNotDisrupt(view, node) || this.podsOf(view, node).workloadPods) continue;
      const budget = budgets.get(pool.name) ?? this.budget(view, pool, 'Empty');
      if (budget <= 0) continue;
      budgets.set(pool.name, budget - 1);
      actions.emit({ type: 'consolidate', source: this.name, object: `Node ${node.name}`, message: `empty for ${Math.round(now - node.lastPodChangeAt)}s: deleting (${node.instanceType.name}, $${node.usdPerHour.toFixed(4)}/h)` });
      actions.terminate(node.name, 'consolidation: empty');
    }
  }

  // ------------------------------------------------------------ drift

  /** The annotations a NodeClaim of the pool is launched with (model/karpenter-hash.ts launchAnnotations). */
  private launchStamp(pool: PreparedNodePool): Record<string, string> {
    let stamp = this.launchStamps.get(pool.name);
    if (!stamp) { stamp = launchAnnotations(pool.pool, pool.nodeClass); this.launchStamps.set(pool.name, stamp); }
    return stamp;
  }

  private driftTemplateOf(pool: PreparedNodePool): DriftTemplate {
    let template = this.driftTemplates.get(pool.name);
    if (!template) {
      const terms = pool.nodeClass?.spec?.subnetSelectorTerms ?? [];
      const subnets = this.model.subnets.filter((s) => !s.public && (terms.length === 0 || terms.some((t) => t.id === s.id || (t.tags && Object.entries(t.tags).every(([k, v]) => k in s.tags && (v === '*' || s.tags[k] === v))))));
      template = driftTemplate(pool, this.model.subnets.length > 0 ? new Set(subnets.map((s) => s.id)) : undefined);
      this.driftTemplates.set(pool.name, template);
    }
    return template;
  }

  /**
   * Drift (kubernetes-sigs/karpenter pkg/controllers/disruption/drift.go): nodes whose NodePool or EC2NodeClass
   * changed since launch (drift.ts) are marked Drifted, then replaced one command at a time under the pool's
   * `Drifted` budget, oldest drift first and empty nodes before the others. An empty node is deleted; otherwise its
   * pods are simulated onto the other nodes plus new NodeClaims from every NodePool (SimulateScheduling), the
   * replacements launch and the node is drained and deleted once they are Ready. A node whose pods could not all be
   * rescheduled is left alone (a Blocked event). Expiration and drift both use the pool's current template.
   */
  private drift(view: ClusterView, actions: CapacityActions, pool: PreparedNodePool, nodes: readonly SimNode[]): boolean {
    if (view.now < (this.settings.changeDeployedAt ?? Number.NEGATIVE_INFINITY)) return false;
    const template = this.driftTemplateOf(pool);
    const drifted: SimNode[] = [];
    for (const node of nodes) {
      // Labels the instance type defines count as NodeClaim labels even when the node object omits them.
      let reason = this.driftOf.get(node.name);
      if (reason === undefined) {
        reason = driftReason({ ...typeLabels(node.instanceType), ...(node.node.metadata.labels ?? {}) }, node.node.metadata.annotations ?? {}, template, node.subnetId) ?? null;
        this.driftOf.set(node.name, reason);
      }
      if (!reason) continue;
      if (!this.driftedSince.has(node.name)) {
        this.driftedSince.set(node.name, view.now);
        actions.emit({ type: 'drift', source: this.name, object: `Node ${node.name}`, message: `drifted (${reason}) from NodePool ${pool.name}: ${node.instanceType.name} ${node.capacityType} in ${node.zone}` });
      }
      drifted.push(node);
    }
    if (drifted.length === 0 || this.budget(view, pool, 'Drifted') <= 0) return false;
    const podsOf = new Map(drifted.map((n) => [n.name, view.podsOn(n.name).filter((p) => !p.workload.daemonSet)]));
    const since = (n: SimNode) => this.driftedSince.get(n.name) ?? view.now;
    const ordered = [...drifted].sort((a, b) => Number((podsOf.get(a.name) ?? []).length > 0) - Number((podsOf.get(b.name) ?? []).length > 0) || since(a) - since(b) || a.name.localeCompare(b.name));
    for (const node of ordered) {
      const pods = podsOf.get(node.name) ?? [];
      // Graceful disruption skips nodes with do-not-disrupt pods or pods a PDB keeps (disruption/types.go candidate validation),
      // and nodes nominated for pending pods (state/statenode.go ValidateNodeDisruptable): the node stays Drifted.
      if (this.nominatedAt(view.now, node) || this.doNotDisrupt(view, node) || !pods.every((p) => view.canEvict(p))) continue;
      if (pods.length === 0) {
        actions.emit({ type: 'drift', source: this.name, object: `Node ${node.name}`, message: `drifted and empty: deleting (${node.instanceType.name})` });
        actions.terminate(node.name, 'drift: empty');
        return true;
      }
      const plan = this.simulateWithout(view, node);
      if (!plan || 'uninitialized' in plan) {
        // One Blocked event per node and cause (drift.go: NonPendingPodSchedulingErrors).
        const cause = plan ? `would schedule against uninitialized node ${plan.uninitialized}` : `not all of its ${pods.length} pod(s) can be rescheduled`;
        const key = `${node.name}|${plan ? 'uninitialized' : 'unschedulable'}`;
        if (!this.driftBlocked.has(key)) {
          this.driftBlocked.add(key);
          actions.emit({ type: 'drift', source: this.name, object: `Node ${node.name}`, message: `drifted but blocked: ${cause}` });
        }
        continue;
      }
      if (plan.claims.length === 0) {
        actions.emit({ type: 'drift', source: this.name, object: `Node ${node.name}`, message: `drifted: its ${pods.length} pod(s) fit on other nodes; deleting (${node.instanceType.name})` });
        actions.terminate(node.name, 'drift: deleted');
        return true;
      }
      // The node is tainted and the replacements launch; it is drained and deleted once they are Ready (runCommands).
      const launched = this.startCommand(view, actions, 'drift', [node], plan.claims, `drift: replacing ${node.name}`);
      if (!launched) continue;
      actions.emit({ type: 'replace', source: this.name, object: `Node ${node.name}`, message: `drift: replacing ${node.instanceType.name} with ${launched.map((n) => n.instanceType.name).join(', ')}` });
      return true;
    }
    return false;
  }

  /**
   * disruption/helpers.go SimulateScheduling for one drifted node: in a fork of the snapshot, in-flight NodeClaims
   * count as nodes and nodes already being replaced are gone; the pods of those nodes, then the pending pods
   * (provisioner.GetPendingPods), are placed before the candidate's (they take that room first); the candidate's pods
   * then go onto the other nodes, and everything left over onto new NodeClaims from every NodePool. Undefined when
   * a pod that is not pending could not be placed (AllNonPendingPodsScheduled: a pending pod may stay pending). The
   * replacements are all the new NodeClaims, those holding only pending pods too (drift.go: Results.NewNodeClaims).
   * A candidate's pod that would land on a launching NodeClaim blocks the command (helpers.go SimulateScheduling:
   * UninitializedNodeError for the pods of an existing node that is not initialized, but those of deleting nodes;
   * pending pods' errors are tolerated): `uninitialized` names that node.
   */
  private simulateWithout(view: ClusterView, candidate: SimNode): { claims: NodeClaimPlan[] } | { uninitialized: string } | undefined {
    const leaving = this.disrupting();
    const doomed = view.nodes().filter((n) => leaving.has(n.name) && n.name !== candidate.name);
    return view.snapshot.whatIf(() => {
      // Each launching NodeClaim's stand-in in the fork, by the stand-in's name.
      const launching = new Map<string, string>();
      for (const n of view.nodes()) {
        if (n.ready || n.deleting || !this.isOwn(n)) continue;
        const standIn = templateNode(view, { instanceType: n.instanceType.name, zone: n.zone, capacityType: n.capacityType, maxPods: n.maxPods, labels: { ...(n.node.metadata.labels ?? {}) }, taints: n.node.spec.taints ?? [], karpenter: true });
        view.snapshot.addNode(standIn);
        launching.set(standIn.name, n.name);
      }
      const deletingPods = doomed.flatMap((n) => view.podsOn(n.name).filter((p) => !p.workload.daemonSet));
      const pending = view.pendingPods().filter((p) => !p.workload.daemonSet);
      return withoutNodes(view, [...doomed, candidate], (pods) => {
        const ownPods = new Set(view.podsOn(candidate.name).map((p) => p.key));
        let uninitialized: string | undefined;
        const place = (pod: SimPod, own = false) => {
          const target = view.scheduler.firstFit(pod.pod, view.snapshot);
          if (target) view.snapshot.addPod(pod.pod, target.name);
          if (own && target && uninitialized === undefined) uninitialized = launching.get(target.name);
          return !target;
        };
        const unplacedDeleting = deletingPods.filter((p) => place(p));
        const unplacedPending = pending.filter((p) => place(p));
        const leftover = pods.filter((p) => ownPods.has(p.key)).filter((p) => place(p, true));
        if (uninitialized !== undefined) return { uninitialized };
        const rest = [...unplacedDeleting, ...unplacedPending, ...leftover];
        if (rest.length === 0) return { claims: [] };
        const solved = this.solve(view, rest);
        // AllNonPendingPodsScheduled: the candidate's and the deleting nodes' pods must all be placed.
        if (leftover.some((p) => solved.unschedulable.has(p.key)) || unplacedDeleting.some((p) => solved.unschedulable.has(p.key))) return undefined;
        return { claims: solved.claims };
      });
    });
  }

  /** The node (state/statenode.go ValidateNodeDisruptable) or one of its pods (ValidatePodsDisruptable) carries karpenter.sh/do-not-disrupt. */
  private doNotDisrupt(view: ClusterView, node: SimNode): boolean {
    return node.node.metadata.annotations?.['karpenter.sh/do-not-disrupt'] === 'true' || this.podsOf(view, node).doNotDisrupt;
  }

  /**
   * One consolidation command per pass: multi-node deletion first, then single-node delete or replace. The command
   * is not run at once: it waits out the validation period (validateConsolidation).
   */
  private consolidate(view: ClusterView, actions: CapacityActions, pool: PreparedNodePool, candidates: SimNode[], skipMultiNode = false): boolean {
    const budget = this.budget(view, pool, 'Underutilized');
    if (budget <= 0 || candidates.length === 0) return false;
    // Disruption cost: fewer pods and pricier nodes first (disruption/helpers.go orders by disruption cost).
    // Each candidate's pods, read once for the pass (the what-ifs below put every pod back where it was).
    const podsOf = new Map(candidates.map((n) => [n.name, this.podsOf(view, n).pods]));
    const podCount = (n: SimNode) => podsOf.get(n.name)?.length ?? 0;
    // Candidates whose pods may all be evicted, in that order. The order does not depend on evictability, so the
    // eviction check (a PDB lookup per pod) runs only for the nodes a pass reaches: the multi-node prefix, and in
    // the single-node loop the nodes not ruled out first by what needs no check.
    const sorted = [...candidates].sort((a, b) => podCount(a) - podCount(b) || b.usdPerHour - a.usdPerHour || a.name.localeCompare(b.name));
    const evictable = new Map<SimNode, boolean>();
    const canEvictAll = (n: SimNode) => {
      let ok = evictable.get(n);
      if (ok === undefined) { ok = (podsOf.get(n.name) ?? []).every((p) => p.workload.daemonSet || view.canEvict(p)); evictable.set(n, ok); }
      return ok;
    };
    // The first evictable candidates, as many as multi-node consolidation may take (fewer when fewer are evictable).
    const prefix: SimNode[] = [];
    const most = Math.min(budget, MAX_MULTI_NODE_CANDIDATES);
    for (const node of sorted) {
      if (prefix.length >= most) break;
      if (canEvictAll(node)) prefix.push(node);
    }
    if (prefix.length === 0) return false;
    const context = this.simulationContext(view);

    // Multi-node (multinodeconsolidation.go): the largest prefix whose pods fit on the other nodes, or on the other
    // nodes plus exactly one new node cheaper than the prefix together (binary search over the prefix length).
    const ordered = prefix;
    const limit = Math.min(prefix.length, budget, MAX_MULTI_NODE_CANDIDATES);
    let lo = 2;
    let hi = skipMultiNode ? 1 : limit;
    let best: { count: number; replacement?: NodeClaimPlan } | undefined;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const plan = this.planWithout(view, pool, ordered.slice(0, mid), context);
      if (plan) { best = { count: mid, replacement: plan.replacement }; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (best) {
      // multinodeconsolidation.go ComputeCommands: the command waits out the validation period.
      this.pendingCommand = { kind: 'consolidation', multiNode: true, pool: pool.name, candidates: ordered.slice(0, best.count).map((n) => n.name), replacement: best.replacement, stamp: this.simulationStamp(view), validateAt: view.now + CONSOLIDATION_VALIDATION_SECONDS };
      return true;
    }
    // Single node (singlenodeconsolidation.go): delete when its pods fit elsewhere, else replace it with one cheaper node.
    // The bound leaves out the nodes being deleted: the simulation does not count their room.
    const room = freeRoom(context.deletingNames.size === 0 ? view.snapshot.nodes : view.snapshot.nodes.filter((n) => !context.deletingNames.has(n.name)));
    // With pending pods in the simulation, a NodeClaim for them may be the one new NodeClaim (from any NodePool): the
    // shortcuts below, which plan a replacement from the node's own pool for its own pods, hold only without them.
    const shortcuts = context.pending.length === 0;
    for (const node of sorted) {
      const pods = (podsOf.get(node.name) ?? []).filter((p) => !p.workload.daemonSet);
      // The resource bound rules out a deletion cheaply (pending pods only take more of the room); a replacement is
      // then planned for all of the node's pods.
      const noDeletion = shortcuts && !room.couldHold(node.info, pods);
      if (noDeletion) {
        // A replacement that failed on what does not change while the node's pods do not (types, prices, the spot
        // gate) is not tried again: the last pass proved it fruitless.
        if (this.noCheaperReplacement.get(node.name) === node.info.generation) continue;
      }
      if (!canEvictAll(node)) continue;
      if (noDeletion) {
        if (!this.cheaperPool(pool, [node], pods)) { this.noCheaperReplacement.set(node.name, node.info.generation); continue; }
      }
      // A pod that could land on a launching NodeClaim makes the command invalid: then the pass simulates.
      const skipExisting = noDeletion && !pods.some((p) => context.inflight.some((n) => hasRoomFor(n, p)));
      const plan = this.planWithout(view, pool, [node], context, skipExisting);
      if (!plan) continue;
      // singlenodeconsolidation.go ComputeCommands: the command waits out the validation period.
      this.pendingCommand = { kind: 'consolidation', multiNode: false, pool: pool.name, candidates: [node.name], replacement: plan.replacement, stamp: this.simulationStamp(view), validateAt: view.now + CONSOLIDATION_VALIDATION_SECONDS };
      return true;
    }
    return false;
  }

  /**
   * validation.go ConsolidationValidator, after the validation period: every candidate must still be one
   * (validateCandidates: ready, not deleting or disrupted, past consolidateAfter, not nominated, no do-not-disrupt,
   * every pod evictable) and the pool's Underutilized budget must still take them all; the scheduling simulation is
   * run again (validateCommand) and must give the same kind of result: a deletion still needs no new NodeClaim, a
   * replacement still exactly one, whose types include every type the command would launch
   * (instanceTypesAreSubset; here both sides are narrowed to cheaper types alike). Otherwise the command is
   * abandoned. Returns whether the command ran.
   */
  private validateConsolidation(view: ClusterView, actions: CapacityActions, command: ConsolidationCommand): boolean {
    const now = view.now;
    const pool = this.pools.find((p) => p.name === command.pool);
    if (!pool) return false;
    const replacing = this.disrupting();
    const byName = new Map(view.nodes().map((n) => [n.name, n]));
    const nodes: SimNode[] = [];
    const abandon = (why: string) => {
      actions.emit({ type: 'consolidate', source: this.name, object: `NodePool ${pool.name}`, message: `${command.multiNode ? 'multi-node' : 'single-node'} consolidation of ${command.candidates.join(', ')} abandoned after the ${CONSOLIDATION_VALIDATION_SECONDS}s validation: ${why}` });
      return false;
    };
    for (const name of command.candidates) {
      const node = byName.get(name);
      if (!node || !node.ready || node.deleting || replacing.has(name) || !this.isOwn(node)) return abandon(`${name} is no longer a candidate`);
      if (now - node.launchedAt >= pool.expireAfterSeconds || now - node.lastPodChangeAt < pool.consolidateAfterSeconds) return abandon(`${name} is no longer a candidate`);
      if (this.nominatedAt(now, node)) return abandon('a candidate was nominated during validation');
      if (this.doNotDisrupt(view, node) || !this.podsOf(view, node).pods.every((p) => p.workload.daemonSet || view.canEvict(p))) return abandon(`${name} is no longer a candidate`);
      nodes.push(node);
    }
    if (this.budget(view, pool, 'Underutilized') < nodes.length) return abandon('a candidate can no longer be disrupted without violating budgets');
    const expected = command.replacement;
    // The simulation reads nothing that has changed since the command was computed: a second run could only repeat
    // the first, so the command's own result stands (validation.go re-simulates because the cluster may have moved).
    const plan = command.stamp === this.simulationStamp(view) ? { replacement: expected } : this.planWithout(view, pool, nodes, this.simulationContext(view));
    if (!plan || (plan.replacement === undefined) !== (expected === undefined)) return abandon('scheduling simulation produced new results');
    if (expected && plan.replacement) {
      const types = new Set(plan.replacement.candidates.map((t) => t.info.name));
      if (!expected.candidates.every((t) => types.has(t.info.name))) return abandon('scheduling simulation produced new results');
    }
    const saving = nodes.reduce((s, n) => s + n.usdPerHour, 0);
    if (!expected) {
      if (command.multiNode) {
        actions.emit({ type: 'consolidate', source: this.name, object: `NodePool ${pool.name}`, message: `multi-node consolidation: deleting ${nodes.length} underutilized node(s), saving $${saving.toFixed(4)}/h; their pods fit on the remaining nodes` });
        for (const node of nodes) actions.terminate(node.name, 'consolidation: underutilized');
      } else {
        const [node] = nodes;
        const pods = this.podsOf(view, node).pods.filter((p) => !p.workload.daemonSet);
        actions.emit({ type: 'consolidate', source: this.name, object: `Node ${node.name}`, message: `underutilized: its ${pods.length} pod(s) fit elsewhere; deleting (${node.instanceType.name}, saves $${node.usdPerHour.toFixed(4)}/h)` });
        actions.terminate(node.name, 'consolidation: underutilized');
      }
      return true;
    }
    if (command.multiNode) {
      const [replacement] = this.startCommand(view, actions, 'consolidation', nodes, [expected], `multi-node consolidation: replacing ${nodes.length} node(s) ($${saving.toFixed(4)}/h together)`) ?? [];
      if (!replacement) return false;
      // The replaced nodes wait, tainted, for the replacement; they are terminated together once it is Ready.
      actions.emit({ type: 'replace', source: this.name, object: `NodePool ${pool.name}`, message: `multi-node consolidation: replacing ${nodes.map((n) => n.name).join(', ')} with one cheaper ${replacement.instanceType.name} ($${replacement.usdPerHour.toFixed(4)}/h)` });
      return true;
    }
    const [node] = nodes;
    const [replacement] = this.startCommand(view, actions, 'consolidation', [node], [expected], `consolidation: replacing ${node.name} (${node.instanceType.name}, $${node.usdPerHour.toFixed(4)}/h)`) ?? [];
    if (!replacement) return false;
    actions.emit({ type: 'replace', source: this.name, object: `Node ${node.name}`, message: `replacing with cheaper ${replacement.instanceType.name} ($${replacement.usdPerHour.toFixed(4)}/h)` });
    return true;
  }

  /** Per node: its generation when a replacement of all its pods failed for reasons the cluster does not change. */
  private readonly noCheaperReplacement = new Map<string, number>();

  /**
   * The checks of a replacement that depend only on the pods to move and the catalog (consolidation.go
   * computeConsolidation, filterByPrice): the pool narrowed to the types that could hold every pod on one node and
   * are cheaper than the removed nodes together, in the capacity type allowed (spot only for spot, behind the
   * SpotToSpotConsolidation gate and for one node); undefined when none is left.
   */
  private cheaperPool(pool: PreparedNodePool, nodes: readonly SimNode[], leftover: readonly SimPod[]): PreparedNodePool | undefined {
    const anySpot = nodes.some((n) => n.capacityType === 'spot');
    if (anySpot && (!this.spotToSpot || nodes.length > 1)) return undefined;
    const price = nodes.reduce((s, n) => s + n.usdPerHour, 0);
    const capacityTypes = replacementCapacityTypes(pool, anySpot);
    if (capacityTypes.length === 0) return undefined;
    let needCpu = 0;
    let needMemory = 0;
    for (const pod of leftover) { needCpu += pod.requests.milliCpu; needMemory += pod.requests.memoryBytes; }
    const types = this.cheaperTypes(pool, capacityTypes, price, needCpu, needMemory, leftover.length);
    return types.length === 0 ? undefined : { ...pool, capacityTypes, types };
  }

  /** The pool's types that hold the requests on one node and have an offering of the capacity types cheaper than `price`. */
  private cheaperTypes(pool: PreparedNodePool, capacityTypes: readonly CapacityType[], price: number, needCpu: number, needMemory: number, needPods: number): PreparedNodePool['types'] {
    const prices = this.cheapestPrices(pool);
    return pool.types.filter((t) => t.allocatableMilliCpu >= needCpu && t.allocatableMemoryBytes >= needMemory && t.pods >= needPods
      && capacityTypes.some((c) => (prices.get(t.info.name)?.[c] ?? Number.POSITIVE_INFINITY) < price * 0.999));
  }

  /**
   * Whether the simulation of removing `nodes` is sure to find no command, from the free room alone: NodeResourcesFit
   * places at most the free CPU, memory and pod slots of the nodes left (and of the launching NodeClaims), so the
   * pods left over for a replacement request at least the rest; when no type cheaper than the nodes holds that
   * much (cheaperPool), or when no replacement is allowed at all, the simulation could only end without a command
   * (kubernetes-sigs/karpenter pkg/controllers/disruption/consolidation.go computeConsolidation: the pods
   * SimulateScheduling leaves over need one new NodeClaim, and filterByPrice keeps only cheaper types). Skipping
   * such a simulation changes no answer: it has no side effect and its outcome is known.
   */
  private surelyNoCommand(view: ClusterView, pool: PreparedNodePool, nodes: readonly SimNode[], podsToMove: readonly SimPod[], context: SimulationContext): boolean {
    const room = context.room;
    if (!room) return false;
    let freeCpu = room.cpu;
    let freeMemory = room.memory;
    let freePods = room.pods;
    for (const node of nodes) {
      if (context.deletingNames.has(node.name)) continue;
      const info = view.snapshot.get(node.name);
      if (!info) return false;
      freeCpu -= Math.max(0, info.allocatable.milliCpu - info.requested.milliCpu);
      freeMemory -= Math.max(0, info.allocatable.memoryBytes - info.requested.memoryBytes);
      freePods -= Math.max(0, info.allocatable.pods - info.podCount());
    }
    // What the scheduler counts (the pod's requests) and what the replacement must hold (SimPod.requests) are the
    // same numbers; any excess of the former is taken off the bound so it holds whatever the two are.
    let needCpu = -freeCpu;
    let needMemory = -freeMemory;
    let needPods = podsToMove.length + context.pending.length - freePods;
    for (const pod of podsToMove) {
      const requests = podInfo(pod.pod).requests;
      needCpu += requests.milliCpu - Math.max(0, requests.milliCpu - pod.requests.milliCpu);
      needMemory += requests.memoryBytes - Math.max(0, requests.memoryBytes - pod.requests.memoryBytes);
    }
    // The pending pods the simulation schedules take room too; those left over need the one new NodeClaim.
    for (const pod of context.pending) {
      const requests = podInfo(pod.pod).requests;
      needCpu += requests.milliCpu - Math.max(0, requests.milliCpu - pod.requests.milliCpu);
      needMemory += requests.memoryBytes - Math.max(0, requests.memoryBytes - pod.requests.memoryBytes);
    }
    for (const pod of context.deletingPods) {
      // A deleting node's pods among the candidates' are already counted (planWithout moves them as the candidates').
      if (nodes.some((n) => n.name === pod.nodeName)) continue;
      const requests = podInfo(pod.pod).requests;
      needCpu += requests.milliCpu;
      needMemory += requests.memoryBytes;
      needPods += 1;
    }
    // Some pod is surely left over only when a sum exceeds the room.
    if (needCpu <= 0 && needMemory <= 0 && needPods <= 0) return false;
    const anySpot = nodes.some((n) => n.capacityType === 'spot');
    if (anySpot && (!this.spotToSpot || nodes.length > 1)) return true;
    const price = nodes.reduce((sum, n) => sum + n.usdPerHour, 0);
    // Without pending pods the replacement comes from the candidates' pool (planWithout); with them, from any pool.
    return (context.pending.length === 0 ? [pool] : this.pools).every((p) => {
      const capacityTypes = replacementCapacityTypes(p, anySpot);
      return capacityTypes.length === 0 || this.cheaperTypes(p, capacityTypes, price, Math.max(0, needCpu), Math.max(0, needMemory), Math.max(0, needPods)).length === 0;
    });
  }

  /**
   * What every simulation of one consolidation pass shares (disruption/helpers.go SimulateScheduling): the nodes
   * already being deleted (replaced nodes waiting for their replacement), left out of the existing nodes while
   * their pods are rescheduled too (deletingNodePods); the NodeClaims still launching, which count as existing
   * nodes after the initialized ones (scheduling/scheduler.go sortExistingNodes); and the pending pods
   * (provisioner.GetPendingPods), which every simulation schedules too (schedulablePending says which).
   */
  private simulationContext(view: ClusterView): SimulationContext {
    const deletingNames = new Set<string>();
    const deleting: SimNode[] = [];
    const inflight: NodeInfo[] = [];
    const replaced = this.disrupting();
    for (const n of view.nodes()) {
      if (replaced.has(n.name) && !n.deleting) { deleting.push(n); deletingNames.add(n.name); }
      if (!n.ready && !n.deleting && this.isOwn(n)) {
        inflight.push(templateNode(view, { instanceType: n.instanceType.name, zone: n.zone, capacityType: n.capacityType, maxPods: n.maxPods, labels: { ...(n.node.metadata.labels ?? {}) }, taints: n.node.spec.taints ?? [], karpenter: true }));
      }
    }
    const deletingPods = deleting.flatMap((n) => this.podsOf(view, n).pods.filter((p) => !p.workload.daemonSet));
    const pending = this.schedulablePending(view, deleting, deletingPods, inflight);
    // The free room of the nodes a simulation keeps, for surelyNoCommand: only NodeResourcesFit bounds a placement.
    let room: SimulationContext['room'];
    if (view.scheduler.filters.some((f) => f.name === 'NodeResourcesFit')) {
      room = { cpu: 0, memory: 0, pods: 0 };
      for (const info of [...view.snapshot.nodes.filter((n) => !deletingNames.has(n.name)), ...inflight]) {
        room.cpu += Math.max(0, info.allocatable.milliCpu - info.requested.milliCpu);
        room.memory += Math.max(0, info.allocatable.memoryBytes - info.requested.memoryBytes);
        room.pods += Math.max(0, info.allocatable.pods - info.podCount());
      }
    }
    return { deleting, deletingNames, deletingPods, inflight, inflightNames: new Set(inflight.map((n) => n.name)), pending, room };
  }

  /**
   * The pending pods a consolidation simulation schedules (provisioner.GetPendingPods: DaemonSet pods are not
   * provisionable). Before any candidate is removed (a fork without the deleting nodes, with the launching
   * NodeClaims, after the deleting nodes' pods), each goes first-fit onto a node and the rest to new NodeClaims (the
   * provisioner's solve). Left out are the pods that fit nowhere (they stay pending whatever the command, which
   * upstream tolerates: Results.AllNonPendingPodsScheduled, and take no room), and the pods that land on a launching
   * NodeClaim: capacity is already on its way for them. Upstream schedules those too, onto the NodeClaim (an
   * UninitializedNodeError it tolerates for a pending pod), where they count for topology spread; counted on a node
   * that does not run them yet, they let a command move a candidate's pod by a spread that does not hold when the
   * pod is evicted, and the kube-scheduler then gives the launching node to that pod instead: a launch per pass.
   * Left out, they only leave the launching NodeClaims' room to the candidates' pods, which invalidates the command.
   */
  private schedulablePending(view: ClusterView, deleting: readonly SimNode[], deletingPods: readonly SimPod[], inflight: readonly NodeInfo[]): SimPod[] {
    const all = view.pendingPods().filter((p) => !p.workload.daemonSet);
    if (all.length === 0) return all;
    return view.snapshot.whatIf(() => {
      for (const node of deleting) view.snapshot.removeNode(node.name);
      for (const node of inflight) view.snapshot.addNode(node);
      const inflightNames = new Set(inflight.map((n) => n.name));
      for (const pod of deletingPods) {
        const target = view.scheduler.firstFit(pod.pod, view.snapshot);
        if (target) view.snapshot.addPod(pod.pod, target.name);
      }
      const launching = new Set<SimPod>();
      const unplaced = all.filter((pod) => {
        const target = view.scheduler.firstFit(pod.pod, view.snapshot);
        if (!target) return true;
        view.snapshot.addPod(pod.pod, target.name);
        if (inflightNames.has(target.name)) launching.add(pod);
        return false;
      });
      const unschedulable = unplaced.length === 0 ? undefined : this.solve(view, unplaced).unschedulable;
      if (launching.size === 0 && !unschedulable?.size) return all;
      return all.filter((p) => !launching.has(p) && !unschedulable?.has(p.key));
    });
  }

  /**
   * Simulates removing the nodes (consolidation.go computeConsolidation, helpers.go SimulateScheduling): in a fork
   * of the snapshot without them and without the nodes already being deleted (so none of them counts for topology),
   * with the launching NodeClaims added last, the deleting nodes' pods are placed first-fit, then the pending pods,
   * then the candidates' pods go first-fit onto the remaining nodes; a candidate pod that would land on a launching
   * NodeClaim makes the command invalid (UninitializedNodeError). A pending pod takes its room first (it is in the
   * kube-scheduler's queue before the candidates are drained), so a command cannot count on the room a pending pod
   * needs; a pending pod left with no node may stay pending (AllNonPendingPodsScheduled). What is left over must fit
   * exactly one new NodeClaim whose types are cheaper than the removed nodes together: a NodeClaim that would hold
   * only pending pods counts too (len(Results.NewNodeClaims) != 1 is not filtered), so with pending pods left over
   * the leftovers are solved together over every NodePool, and a lone NodeClaim for pending pods is the
   * replacement. Spot nodes are replaced by spot only behind the SpotToSpotConsolidation gate, single-node only,
   * with at least 15 cheaper types (MinInstanceTypesForSpotToSpotConsolidation). Undefined when the command is
   * invalid. Upstream orders all these pods in one queue (largest first); here the deleting nodes' pods go first,
   * then the pending pods, and a deleting node's pod that fits nowhere invalidates the command (upstream would
   * need a second new NodeClaim for it).
   */
  private planWithout(view: ClusterView, pool: PreparedNodePool, nodes: readonly SimNode[], context: SimulationContext, skipExisting = false): { replacement?: NodeClaimPlan } | undefined {
    const podsToMove = nodes.flatMap((n) => this.podsOf(view, n).pods.filter((p) => !p.workload.daemonSet));
    // Skipping the existing nodes, every pod is left over: the static checks run before any simulation (only
    // without pending pods, which would need the existing nodes tried).
    if (skipExisting && context.pending.length > 0) skipExisting = false;
    const cheaperForAll = skipExisting ? this.cheaperPool(pool, nodes, podsToMove) : undefined;
    if (skipExisting && !cheaperForAll) return undefined;
    if (!skipExisting && this.surelyNoCommand(view, pool, nodes, podsToMove, context)) return undefined;
    const removed = context.deleting.length === 0 ? nodes : [...nodes, ...context.deleting.filter((n) => !nodes.includes(n))];
    // A fork of the snapshot, reverted afterwards (what-if.ts withoutNodes, with the pods read once per pass).
    return view.snapshot.whatIf(() => {
      for (const node of removed) view.snapshot.removeNode(node.name);
      for (const node of context.inflight) view.snapshot.addNode(node);
      for (const pod of context.deletingPods) {
        if (nodes.some((n) => n.name === pod.nodeName)) continue;
        const target = view.scheduler.firstFit(pod.pod, view.snapshot);
        if (!target) return undefined;
        view.snapshot.addPod(pod.pod, target.name);
      }
      const pendingLeftover: SimPod[] = [];
      for (const pod of context.pending) {
        const target = view.scheduler.firstFit(pod.pod, view.snapshot);
        if (target) view.snapshot.addPod(pod.pod, target.name);
        else pendingLeftover.push(pod);
      }
      const leftover: SimPod[] = [];
      let cheaper = cheaperForAll;
      if (skipExisting) leftover.push(...podsToMove);
      else {
        for (const pod of podsToMove) {
          const target = view.scheduler.firstFit(pod.pod, view.snapshot);
          if (!target) {
            leftover.push(pod);
            // More leftover pods only narrow the types that could hold them all: once none is cheaper, the
            // command is invalid whatever the remaining pods do, and they are not simulated.
            if (pendingLeftover.length === 0) {
              cheaper = this.cheaperPool(pool, nodes, leftover);
              if (!cheaper) return undefined;
            } else if (!this.cheaperAnywhere(nodes, leftover)) return undefined;
            continue;
          }
          if (context.inflightNames.has(target.name)) return undefined;
          view.snapshot.addPod(pod.pod, target.name);
        }
      }
      if (leftover.length === 0 && pendingLeftover.length === 0) return {};
      if (pendingLeftover.length === 0) {
        if (!cheaper) return undefined;
        const plan = this.solve(view, leftover, [cheaper]);
        if (plan.unschedulable.size > 0 || plan.claims.length !== 1) return undefined;
        return this.asReplacement(pool, nodes, plan.claims[0]);
      }
      // Pending pods left over join the solve over every NodePool (SimulateScheduling's one scheduler run): a pending
      // pod nothing holds stays pending, a candidate's pod that nothing holds invalidates the command.
      const plan = this.solve(view, [...pendingLeftover, ...leftover]);
      if (leftover.some((p) => plan.unschedulable.has(p.key))) return undefined;
      if (plan.claims.length === 0) return {};
      if (plan.claims.length !== 1) return undefined;
      const claim = this.cheaperClaim(nodes, plan.claims[0]);
      return claim ? this.asReplacement(claim.pool, nodes, claim) : undefined;
    });
  }

  /** The one new NodeClaim as a replacement; a spot one keeps the 15 cheapest types (consolidation.go computeSpotToSpotConsolidation). */
  private asReplacement(pool: PreparedNodePool, nodes: readonly SimNode[], claim: NodeClaimPlan): { replacement: NodeClaimPlan } | undefined {
    if (nodes.some((n) => n.capacityType === 'spot')) {
      if (claim.candidates.length < MIN_SPOT_TO_SPOT_TYPES) return undefined;
      // The replacement launches with the 15 cheapest types only, so a spot node is not replaced by a pricier one.
      const prices = this.cheapestPrices(pool);
      const spot = (t: PreparedNodePool['types'][number]) => prices.get(t.info.name)?.spot ?? Number.POSITIVE_INFINITY;
      claim.candidates = [...claim.candidates].sort((a, b) => spot(a) - spot(b)).slice(0, MIN_SPOT_TO_SPOT_TYPES);
    }
    return { replacement: claim };
  }

  /**
   * A NodeClaim the solve made, narrowed as a replacement of `nodes` (consolidation.go filterByPrice): its types
   * with an offering cheaper than the nodes together, in the capacity type allowed (spot only for spot, behind the
   * SpotToSpotConsolidation gate and for one node); undefined when none is left.
   */
  private cheaperClaim(nodes: readonly SimNode[], claim: NodeClaimPlan): NodeClaimPlan | undefined {
    const anySpot = nodes.some((n) => n.capacityType === 'spot');
    if (anySpot && (!this.spotToSpot || nodes.length > 1)) return undefined;
    const capacityTypes = replacementCapacityTypes(claim.pool, anySpot).filter((c) => claim.requirements.allows('karpenter.sh/capacity-type', c));
    if (capacityTypes.length === 0) return undefined;
    const price = nodes.reduce((s, n) => s + n.usdPerHour, 0);
    const prices = this.cheapestPrices(claim.pool);
    const candidates = claim.candidates.filter((t) => capacityTypes.some((c) => (prices.get(t.info.name)?.[c] ?? Number.POSITIVE_INFINITY) < price * 0.999));
    return candidates.length === 0 ? undefined : { ...claim, pool: { ...claim.pool, capacityTypes }, candidates };
  }

  /** Whether some NodePool has a type that holds the pods on one node and is cheaper than `nodes` together. */
  private cheaperAnywhere(nodes: readonly SimNode[], pods: readonly SimPod[]): boolean {
    return this.pools.some((p) => this.cheaperPool(p, nodes, pods) !== undefined);
  }

  /**
   * A node's pods, read once per change of the node (its generation moves on every bind and removal), with
   * whether any carries karpenter.sh/do-not-disrupt: the disruption passes read every node each time, and most
   * nodes have not changed since the last one.
   */
  private podsOf(view: ClusterView, node: SimNode): NodePods {
    const generation = node.info.generation;
    const cached = this.nodePods.get(node.name);
    if (cached && cached.generation === generation && cached.info === node.info && !view.snapshot.forked) return cached;
    const pods = view.podsOn(node.name);
    const entry: NodePods = {
      info: node.info, generation, pods,
      workloadPods: pods.some((p) => !p.workload.daemonSet),
      doNotDisrupt: pods.some((p) => p.pod.metadata.annotations?.['karpenter.sh/do-not-disrupt'] === 'true'),
    };
    if (!view.snapshot.forked) {
      // Entries of nodes that are gone go when the map outgrows the cluster.
      if (this.nodePods.size > 2 * view.snapshot.nodes.length + 64) this.nodePods.clear();
      this.nodePods.set(node.name, entry);
    }
    return entry;
  }

  private readonly nodePods = new Map<string, NodePods>();

}

/** A consolidation command computed at one pass, run after the validation period if still valid. */
interface ConsolidationCommand {
  readonly kind: 'consolidation';
  readonly multiNode: boolean;
  readonly pool: string;
  readonly candidates: readonly string[];
  /** The one new NodeClaim of a replacement; none for a deletion. */
  readonly replacement?: NodeClaimPlan;
  /** simulationStamp when the command was computed. */
  readonly stamp: string;
  readonly validateAt: number;
}

type PendingCommand = { readonly kind: 'empty'; readonly candidates: readonly string[]; readonly validateAt: number } | ConsolidationCommand;

interface NodePods {
  readonly info: NodeInfo;
  readonly generation: number;
  readonly pods: readonly SimPod[];
  /** Some pod is not a DaemonSet pod. */
  readonly workloadPods: boolean;
  readonly doNotDisrupt: boolean;
}

interface SimulationContext {
  readonly deleting: readonly SimNode[];
  readonly deletingNames: ReadonlySet<string>;
  readonly deletingPods: readonly SimPod[];
  readonly inflight: readonly NodeInfo[];
  readonly inflightNames: ReadonlySet<string>;
  /** The pending pods every simulation schedules (after the deleting nodes' pods, before the candidates'). */
  readonly pending: readonly SimPod[];
  /** The free CPU, memory and pod slots of the snapshot's nodes but the deleting ones, plus the launching NodeClaims'. */
  readonly room?: { cpu: number; memory: number; pods: number };
}

/**
 * The capacity types a consolidation replacement may take here: spot for spot candidates (consolidation.go
 * computeSpotToSpotConsolidation), else on-demand (the model does not replace an on-demand node by a spot one).
 */
function replacementCapacityTypes(pool: PreparedNodePool, anySpot: boolean): CapacityType[] {
  return pool.capacityTypes.filter((c) => c === (anySpot ? 'spot' : 'on-demand'));
}

/** How long a nomination lasts (state/statenode.go nominationWindow: 2 x BatchMaxDuration, at least 10 seconds). */
export function nominationWindowSeconds(batchMaxSeconds: number): number {
  return Math.max(2 * batchMaxSeconds, 10);
}

/** An order-independent hash of the pods' keys: equal when the same pods are pending. */
function podKeysHash(pods: readonly SimPod[]): number {
  let hash = pods.length;
  for (const pod of pods) {
    let h = 0x811c9dc5;
    for (let i = 0; i < pod.key.length; i++) h = Math.imul(h ^ pod.key.charCodeAt(i), 0x01000193);
    hash = (hash + (h >>> 0)) >>> 0;
  }
  return hash;
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

/** Whether the node has the free CPU, memory and pod slot the pod requests (NodeResourcesFit's necessary part). */
function hasRoomFor(node: NodeInfo, pod: SimPod): boolean {
  return node.podCount() < node.allocatable.pods && pod.requests.milliCpu <= node.allocatable.milliCpu - node.requested.milliCpu && pod.requests.memoryBytes <= node.allocatable.memoryBytes - node.requested.memoryBytes;
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

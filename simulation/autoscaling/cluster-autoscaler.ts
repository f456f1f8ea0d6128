import { nodeadmMaxPods } from '../catalog';
import type { NodeGroupModel } from '../model/cluster';
import type { NodeInfo } from '../scheduler/node-info';
import type { ControllerSettings } from '../engine/scenario';
import { withoutNodes } from './karpenter/controller';
import { binPack, sortLargestFirst, templateNode } from './template';
import type { CapacityActions, CapacityController, ClusterView, SimNode, SimPod } from './types';

type CaSettings = ControllerSettings['clusterAutoscaler'];

/** The AWS provider's template node assumes this many pods when a group has no node to copy (aws_manager.go). */
export const CA_TEMPLATE_PODS = 110;
/** Initial backoff after a failed scale-up (cluster-autoscaler --initial-node-group-backoff-duration). */
const SCALE_UP_BACKOFF_SECONDS = 300;
/** Empty nodes deleted at once (--max-empty-bulk-delete). */
const MAX_EMPTY_BULK_DELETE = 10;

interface Option { group: NodeGroupModel; count: number; nodes: NodeInfo[]; pods: SimPod[]; waste: number }

/**
 * Cluster Autoscaler for managed node groups (kubernetes/autoscaler cluster-autoscaler): every scan, pending
 * pods that no upcoming node will take are bin-packed onto each group's template node
 * (estimator/binpacking_estimator.go) and an expander picks the group (expander/{random,leastwaste,priority});
 * nodes below the utilization threshold for scale-down-unneeded-time, whose pods all fit elsewhere and may be
 * evicted, are removed (core/scaledown), never within scale-down-delay-after-add of a scale-up.
 */
export class ClusterAutoscaler implements CapacityController {
  readonly name = 'cluster-autoscaler';
  readonly interval: number;
  private readonly groups: NodeGroupModel[];
  private readonly settings: CaSettings;
  private readonly unneededSince = new Map<string, number>();
  private readonly backoffUntil = new Map<string, number>();
  private lastScaleUpAt = Number.NEGATIVE_INFINITY;

  constructor(groups: readonly NodeGroupModel[], settings: CaSettings) {
    this.groups = groups.filter((g) => g.maxSize > g.minSize || g.maxSize > g.desiredSize);
    this.settings = settings;
    this.interval = settings.scanIntervalSeconds;
  }

  reconcile(view: ClusterView, actions: CapacityActions): void {
    if (this.groups.length === 0) return;
    this.scaleUp(view, actions);
    this.scaleDown(view, actions);
  }

  private groupNodes(view: ClusterView, group: NodeGroupModel): SimNode[] {
    return view.nodes().filter((n) => n.owner.kind === 'nodegroup' && n.owner.name === group.name && !n.deleting);
  }

  private scaleUp(view: ClusterView, actions: CapacityActions): void {
    const unschedulable = view.pendingPods().filter((p) => p.lastMessage !== undefined);
    if (unschedulable.length === 0) return;
    // Pods that upcoming (launched, not yet Ready) nodes will take do not trigger another scale-up.
    const upcoming = view.nodes().filter((n) => !n.ready && !n.deleting).map((n) => this.imagine(view, n.owner.name, n.zone, n.instanceType.name, n.maxPods));
    const stillPending = upcoming.length > 0 ? binPack(view.scheduler, sortLargestFirst(unschedulable), upcoming, undefined, 0).unplaced : sortLargestFirst(unschedulable);
    if (stillPending.length === 0) return;

    const options: Option[] = [];
    for (const group of this.groups) {
      if ((this.backoffUntil.get(group.name) ?? Number.NEGATIVE_INFINITY) > view.now) continue;
      const current = this.groupNodes(view, group).length;
      const room = group.maxSize - current;
      if (room <= 0) continue;
      const zones = this.zonesOf(view, group);
      if (zones.length === 0) continue;
      const existing = this.groupNodes(view, group).find((n) => n.ready);
      // A running node is the template when there is one; from zero, the AWS provider's template (110 pods).
      const maxPods = existing ? existing.maxPods : CA_TEMPLATE_PODS;
      let zoneIndex = 0;
      const make = () => this.imagine(view, group.name, zones[zoneIndex++ % zones.length], group.instanceTypes[0], maxPods);
      const packed = binPack(view.scheduler, stillPending, [], make, room);
      if (packed.newNodes.length === 0) continue;
      const pods = stillPending.filter((p) => packed.placed.has(p.key));
      options.push({ group, count: packed.newNodes.length, nodes: packed.newNodes, pods, waste: waste(packed.newNodes) });
    }
    if (options.length === 0) return;
    const chosen = this.expand(options, view);
    let launched = 0;
    for (let i = 0; i < chosen.count; i += 1) {
      const result = this.launchInGroup(view, actions, chosen.group);
      if ('error' in result) {
        this.backoffUntil.set(chosen.group.name, view.now + SCALE_UP_BACKOFF_SECONDS);
        actions.emit({ type: 'insufficient-capacity', source: this.name, object: `NodeGroup ${short(chosen.group.name)}`, message: `${result.message}; backing off for ${SCALE_UP_BACKOFF_SECONDS}s` });
        break;
      }
      launched += 1;
    }
    if (launched > 0) {
      this.lastScaleUpAt = view.now;
      actions.emit({ type: 'scale-up', source: this.name, object: `NodeGroup ${short(chosen.group.name)}`,
        message: `+${launched} ${chosen.group.instanceTypes[0]} for ${chosen.pods.length} pending pod(s) (expander ${this.settings.expander}, ${options.length} option(s))` });
    }
  }

  private launchInGroup(view: ClusterView, actions: CapacityActions, group: NodeGroupModel) {
    const zones = this.zonesOf(view, group);
    const counts = new Map(zones.map((z) => [z, this.groupNodes(view, group).filter((n) => n.zone === z).length]));
    const zone = zones.reduce((a, b) => ((counts.get(b) ?? 0) < (counts.get(a) ?? 0) ? b : a));
    const type = group.instanceTypes.find((t) => view.hasCapacity(t, zone, group.capacityType === 'SPOT' ? 'spot' : 'on-demand')) ?? group.instanceTypes[0];
    if (!view.hasCapacity(type, zone, group.capacityType === 'SPOT' ? 'spot' : 'on-demand')) {
      return { error: 'InsufficientCapacity' as const, message: `InsufficientInstanceCapacity for ${group.instanceTypes.join(', ')} in ${zone}` };
    }
    return actions.launch({
      instanceType: type, zone, capacityType: group.capacityType === 'SPOT' ? 'spot' : 'on-demand', owner: { kind: 'nodegroup', name: group.name },
      labels: group.labels, taints: group.taints, maxPods: group.maxPods ?? nodeadmMaxPods(type, view.model.vpcCni.customNetworking), readyDelaySeconds: this.settings.provisioningDelaySeconds, karpenter: false,
      subnetIds: group.subnetIds.length > 0 ? group.subnetIds : undefined, diskGiB: group.diskSizeGiB,
    });
  }

  private zonesOf(view: ClusterView, group: NodeGroupModel): string[] {
    const zones = new Set(group.subnetIds.map((id) => view.model.subnets.find((s) => s.id === id)?.availabilityZone).filter((z): z is string => z !== undefined));
    const all = zones.size > 0 ? [...zones] : view.model.availabilityZones;
    return all.filter((z) => !view.unavailableZones().has(z)).sort();
  }

  private imagine(view: ClusterView, groupName: string, zone: string, type: string, maxPods: number): NodeInfo {
    const group = view.model.nodeGroups.find((g) => g.name === groupName);
    return templateNode(view, {
      instanceType: type, zone, capacityType: group?.capacityType === 'SPOT' ? 'spot' : 'on-demand', maxPods,
      labels: { ...(group?.labels ?? {}), 'eks.amazonaws.com/nodegroup': groupName }, taints: group?.taints ?? [], karpenter: false,
    });
  }

  private expand(options: Option[], view: ClusterView): Option {
    const sorted = [...options].sort((a, b) => a.group.name.localeCompare(b.group.name));
    switch (this.settings.expander) {
      case 'least-waste': {
        // expander/waste: least idle CPU and memory fraction; ties to the option that schedules more pods.
        return sorted.reduce((best, o) => (o.waste < best.waste - 1e-9 || (Math.abs(o.waste - best.waste) <= 1e-9 && o.pods.length > best.pods.length) ? o : best));
      }
      case 'priority': {
        // expander/priority: the highest priority whose regex matches the group name; ties at random.
        const priorityOf = (o: Option) => Math.max(Number.NEGATIVE_INFINITY, ...Object.entries(this.settings.priorities).filter(([pattern]) => safeRegex(pattern).test(o.group.name) || safeRegex(pattern).test(short(o.group.name))).map(([, p]) => p));
        const top = Math.max(...sorted.map(priorityOf));
        const best = sorted.filter((o) => priorityOf(o) === top);
        return best[Math.floor(view.random() * best.length)];
      }
      default:
        return sorted[Math.floor(view.random() * sorted.length)];
    }
  }

  private scaleDown(view: ClusterView, actions: CapacityActions): void {
    const now = view.now;
    const candidates: SimNode[] = [];
    for (const group of this.groups) {
      const nodes = this.groupNodes(view, group).filter((n) => n.ready);
      for (const node of nodes) {
        const utilization = Math.max(node.info.requested.milliCpu / Math.max(1, node.info.allocatable.milliCpu), node.info.requested.memoryBytes / Math.max(1, node.info.allocatable.memoryBytes));
        if (utilization < this.settings.scaleDownUtilizationThreshold) {
          if (!this.unneededSince.has(node.name)) this.unneededSince.set(node.name, now);
        } else {
          this.unneededSince.delete(node.name);
        }
      }
    }
    for (const name of [...this.unneededSince.keys()]) if (!view.nodes().some((n) => n.name === name)) this.unneededSince.delete(name);
    if (now - this.lastScaleUpAt < this.settings.scaleDownDelayAfterAddSeconds) return;
    for (const [name, since] of this.unneededSince) {
      if (now - since < this.settings.scaleDownUnneededSeconds) continue;
      const node = view.nodes().find((n) => n.name === name);
      if (node) candidates.push(node);
    }
    if (candidates.length === 0) return;
    const sizes = new Map(this.groups.map((g) => [g.name, this.groupNodes(view, g).length]));
    let emptyDeleted = 0;
    const removed = new Set<string>();
    for (const node of candidates.sort((a, b) => a.name.localeCompare(b.name))) {
      const group = this.groups.find((g) => g.name === node.owner.name);
      if (!group || (sizes.get(group.name) ?? 0) <= group.minSize) continue;
      const pods = view.podsOn(node.name).filter((p) => !p.workload.daemonSet);
      if (pods.length === 0) {
        if (emptyDeleted >= MAX_EMPTY_BULK_DELETE) continue;
        emptyDeleted += 1;
      } else {
        if (removed.size - emptyDeleted >= 1) continue;
        const blocker = pods.find((p) => blocksScaleDown(p) ?? (!view.canEvict(p) ? 'not enough pod disruption budget to evict it' : undefined));
        if (blocker) continue;
        if (!fitsElsewhere(view, node, pods, removed)) continue;
      }
      sizes.set(group.name, (sizes.get(group.name) ?? 1) - 1);
      removed.add(node.name);
      const unneededFor = Math.round(now - (this.unneededSince.get(node.name) ?? now));
      this.unneededSince.delete(node.name);
      actions.emit({ type: 'scale-down', source: this.name, object: `Node ${node.name}`, message: `${pods.length === 0 ? 'empty' : `${pods.length} pod(s) fit elsewhere`}; unneeded for ${unneededFor}s below ${this.settings.scaleDownUtilizationThreshold * 100}% utilization` });
      actions.terminate(node.name, 'cluster-autoscaler scale-down');
    }
  }
}

/** Why a pod keeps its node from being removed (cluster-autoscaler/utils/drain/drain.go), or undefined. */
function blocksScaleDown(pod: SimPod): string | undefined {
  const annotations = pod.pod.metadata.annotations ?? {};
  if (annotations['cluster-autoscaler.kubernetes.io/safe-to-evict'] === 'true') return undefined;
  if (annotations['cluster-autoscaler.kubernetes.io/safe-to-evict'] === 'false') return 'annotated safe-to-evict: false';
  if ((pod.pod.metadata.ownerReferences ?? []).length === 0) return 'not replicated by a controller';
  return undefined;
}

/** Every pod of the node fits on the other nodes (not being removed), tried on the live snapshot and undone. */
function fitsElsewhere(view: ClusterView, node: SimNode, _pods: SimPod[], removed: ReadonlySet<string>): boolean {
  const gone = view.nodes().filter((n) => n.name === node.name || removed.has(n.name));
  return withoutNodes(view, gone, (pods) => pods.filter((p) => p.nodeName === node.name).every((pod) => {
    const result = view.scheduler.schedule(pod.pod, view.snapshot);
    if (!result.node) return false;
    view.snapshot.addPod(pod.pod, result.node);
    return true;
  }));
}

/** expander/waste: the average unrequested CPU and memory fraction of the new nodes. */
function waste(nodes: NodeInfo[]): number {
  let cpu = 0;
  let memory = 0;
  let cpuAlloc = 0;
  let memoryAlloc = 0;
  for (const node of nodes) {
    cpu += node.requested.milliCpu;
    memory += node.requested.memoryBytes;
    cpuAlloc += node.allocatable.milliCpu;
    memoryAlloc += node.allocatable.memoryBytes;
  }
  return ((cpuAlloc - cpu) / Math.max(1, cpuAlloc) + (memoryAlloc - memory) / Math.max(1, memoryAlloc)) / 2;
}

function short(name: string): string {
  return name.replace(/[0-9A-F]{8}$/, '').replace(/^NodeGroup/, '') || name;
}

function safeRegex(pattern: string): RegExp {
  try { return new RegExp(pattern); } catch { return /$^/; }
}

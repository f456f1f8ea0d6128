import { nodeadmMaxPods } from '../catalog';
import { osLabels } from '../catalog/windows';
import type { NodeGroupModel } from '../model/cluster';
import type { NodeInfo } from '../scheduler/node-info';
import { EXPANDERS_ON_AWS } from '../model/cluster-autoscaler-settings';
import { EksplanError } from '../model/errors';
import type { ControllerSettings } from '../model/scenario';
import { expand, type ExpanderName, type ExpansionOption } from './expanders';
import { withoutNodes } from './what-if';
import { binPack, sortLargestFirst, templateNode } from './template';
import type { CapacityActions, CapacityController, ClusterView, SimNode, SimPod } from './types';

type CaSettings = Omit<ControllerSettings['clusterAutoscaler'], 'expander'> & {
  /** One expander or a comma-separated chain (`--expander=priority,least-waste`). */
  readonly expander: string;
  /** --balance-similar-node-groups. @default false */
  readonly balanceSimilarNodeGroups?: boolean;
};

/** The AWS provider's template node assumes this many pods when a group has no node to copy (aws_manager.go). */
export const CA_TEMPLATE_PODS = 110;
/** Initial backoff after a failed scale-up (cluster-autoscaler --initial-node-group-backoff-duration). */
const SCALE_UP_BACKOFF_SECONDS = 300;
/** Empty nodes deleted at once (--max-empty-bulk-delete). */
const MAX_EMPTY_BULK_DELETE = 10;

interface Option extends ExpansionOption { readonly model: NodeGroupModel; readonly nodes: NodeInfo[]; readonly pods: SimPod[] }

const EXPANDERS: readonly ExpanderName[] = [...(EXPANDERS_ON_AWS as readonly ExpanderName[]), 'price'];

/** The expander chain, checked as the Cluster Autoscaler checks it at start (expander/factory). */
export function expanderChain(value: string): ExpanderName[] {
  const chain = value.split(',').map((s) => s.trim()) as ExpanderName[];
  for (const name of chain) {
    if (!EXPANDERS.includes(name)) throw new EksplanError(`unknown expander '${name}': use ${EXPANDERS.filter((e) => e !== 'price').join(', ')}, or a comma-separated chain of them`, { input: 'controllers.clusterAutoscaler', field: 'expander' });
    // expander/factory: price needs the cloud provider's pricing model; the AWS provider's Pricing() returns
    // ErrNotImplemented, so the Cluster Autoscaler exits at start on EKS.
    if (name === 'price') throw new EksplanError("expander 'price' needs a pricing model, which the Cluster Autoscaler's AWS provider does not implement (it exits at start): use least-waste, most-pods, least-nodes, priority or random", { input: 'controllers.clusterAutoscaler', field: 'expander' });
  }
  return chain;
}

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
  private readonly chain: ExpanderName[];

  constructor(groups: readonly NodeGroupModel[], settings: CaSettings) {
    this.groups = groups.filter((g) => g.maxSize > g.minSize || g.maxSize > g.desiredSize);
    this.settings = settings;
    this.chain = expanderChain(settings.expander);
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
    // Upcoming (launched, not yet Ready) nodes join a fork of the cluster snapshot, as the Cluster Autoscaler adds
    // them to its snapshot (core/scaleup: upcoming nodes); pods they will take do not trigger another scale-up,
    // and every estimate below runs with them and every existing pod in place (binpacking_estimator.go forks the
    // full snapshot and only restricts placement to the nodes it adds).
    const options = view.snapshot.whatIf(() => {
      const upcoming = view.nodes().filter((n) => !n.ready && !n.deleting).map((n) => this.imagine(view, n.owner.name, n.zone, n.instanceType.name, n.maxPods));
      const stillPending = upcoming.length > 0 ? binPack(view.scheduler, sortLargestFirst(unschedulable), upcoming, undefined, 0, view.snapshot).unplaced : sortLargestFirst(unschedulable);
      for (const node of upcoming) view.snapshot.addNode(node);
      // Pods the upcoming nodes take stay bound in this fork, so they count for topology in the estimates.
      for (const pod of sortLargestFirst(unschedulable)) {
        if (stillPending.includes(pod)) continue;
        const target = upcoming.find((n) => view.scheduler.canSchedule(pod.pod, n, view.snapshot).fits);
        if (target) view.snapshot.addPod(pod.pod, target.name);
      }
      return stillPending.length === 0 ? [] : this.estimate(view, stillPending);
    });
    if (options.length === 0) return;
    const chosen = expand(this.chain, options, this.settings.priorities, () => view.random(), short);
    if (!chosen) return;
    const plan = this.settings.balanceSimilarNodeGroups ? balance(chosen, options, (g) => this.groupNodes(view, g).length) : [{ group: chosen.model, count: chosen.nodeCount }];
    for (const { group, count } of plan) this.scaleUpGroup(view, actions, group, count, chosen, options.length);
  }

  /** One option per node group: how many template nodes the pending pods need (binpacking_estimator.go). */
  private estimate(view: ClusterView, stillPending: SimPod[]): Option[] {
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
      const packed = binPack(view.scheduler, stillPending, [], make, room, view.snapshot);
      if (packed.newNodes.length === 0) continue;
      const pods = stillPending.filter((p) => packed.placed.has(p.key));
      const sum = (f: (n: NodeInfo) => number) => packed.newNodes.reduce((s, n) => s + f(n), 0);
      options.push({
        group: group.name, model: group, nodeCount: packed.newNodes.length, podCount: pods.length, nodes: packed.newNodes, pods,
        requestedMilliCpu: sum((n) => n.requested.milliCpu), allocatableMilliCpu: sum((n) => n.allocatable.milliCpu),
        requestedMemoryBytes: sum((n) => n.requested.memoryBytes), allocatableMemoryBytes: sum((n) => n.allocatable.memoryBytes),
      });
    }
    return options;
  }

  private scaleUpGroup(view: ClusterView, actions: CapacityActions, group: NodeGroupModel, count: number, chosen: Option, optionCount: number): void {
    let launched = 0;
    for (let i = 0; i < count; i += 1) {
      const result = this.launchInGroup(view, actions, group);
      if ('error' in result) {
        this.backoffUntil.set(group.name, view.now + SCALE_UP_BACKOFF_SECONDS);
        actions.emit({ type: 'insufficient-capacity', source: this.name, object: `NodeGroup ${short(group.name)}`, message: `${result.message}; backing off for ${SCALE_UP_BACKOFF_SECONDS}s` });
        break;
      }
      launched += 1;
    }
    if (launched > 0) {
      this.lastScaleUpAt = view.now;
      actions.emit({ type: 'scale-up', source: this.name, object: `NodeGroup ${short(group.name)}`,
        message: `+${launched} ${group.instanceTypes[0]} for ${chosen.pods.length} pending pod(s) (expander ${this.settings.expander}, ${optionCount} option(s))` });
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
      labels: { ...osLabels(group.amiType), ...group.labels }, taints: group.taints, maxPods: group.maxPods ?? nodeadmMaxPods(type, { customNetworking: view.model.vpcCni.customNetworking, maxPodsExpression: group.maxPodsExpression }), readyDelaySeconds: this.settings.provisioningDelaySeconds, karpenter: false,
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
      labels: { ...osLabels(group?.amiType), ...(group?.labels ?? {}), 'eks.amazonaws.com/nodegroup': groupName }, taints: group?.taints ?? [], karpenter: false,
    });
  }

  private scaleDown(view: ClusterView, actions: CapacityActions): void {
    // --scale-down-enabled=false: the Cluster Autoscaler only scales up (config/flags/flags.go).
    if (this.settings.scaleDownEnabled === false) return;
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

function short(name: string): string {
  return name.replace(/[0-9A-F]{8}$/, '').replace(/^NodeGroup/, '') || name;
}

/** Labels that differ between otherwise similar groups (processors/nodegroupset: ignored labels, and the AWS provider's). */
const IGNORED_LABELS = new Set(['topology.kubernetes.io/zone', 'topology.ebs.csi.aws.com/zone', 'kubernetes.io/hostname', 'eks.amazonaws.com/nodegroup', 'eks.amazonaws.com/nodegroup-image', 'eks.amazonaws.com/sourceLaunchTemplateId', 'eks.amazonaws.com/sourceLaunchTemplateVersion', 'k8s.amazonaws.com/eniConfig', 'alpha.eksctl.io/nodegroup-name', 'alpha.eksctl.io/instance-id']);

/** Same instance type and capacity type, same labels (apart from ignored ones) and taints (nodegroupset/compare_nodegroups.go). */
export function similarGroups(a: NodeGroupModel, b: NodeGroupModel): boolean {
  const labels = (g: NodeGroupModel) => JSON.stringify(Object.entries(g.labels).filter(([k]) => !IGNORED_LABELS.has(k)).sort());
  const taints = (g: NodeGroupModel) => JSON.stringify([...g.taints].map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort());
  return a.instanceTypes[0] === b.instanceTypes[0] && a.capacityType === b.capacityType && labels(a) === labels(b) && taints(a) === taints(b);
}

/**
 * --balance-similar-node-groups (processors/nodegroupset/balancing_processor.go BalanceScaleUpBetweenGroups): the
 * chosen option's nodes are spread over it and the similar groups that had an option too, each new node going to the
 * smallest group that still has room.
 */
function balance(chosen: Option, options: readonly Option[], size: (g: NodeGroupModel) => number): { group: NodeGroupModel; count: number }[] {
  const similar = options.filter((o) => o === chosen || similarGroups(o.model, chosen.model)).map((o) => o.model);
  const sizes = new Map(similar.map((g) => [g.name, size(g)]));
  const added = new Map<string, number>();
  for (let i = 0; i < chosen.nodeCount; i += 1) {
    const open = similar.filter((g) => (sizes.get(g.name) ?? 0) < g.maxSize).sort((a, b) => (sizes.get(a.name) ?? 0) - (sizes.get(b.name) ?? 0) || a.name.localeCompare(b.name));
    if (open.length === 0) break;
    const target = open[0];
    sizes.set(target.name, (sizes.get(target.name) ?? 0) + 1);
    added.set(target.name, (added.get(target.name) ?? 0) + 1);
  }
  return similar.filter((g) => added.has(g.name)).map((g) => ({ group: g, count: added.get(g.name) ?? 0 }));
}

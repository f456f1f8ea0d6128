import type { CapacityType, ClusterView, LaunchRequest, LaunchResult, SimNode, SimPod } from '../autoscaling/types';
import { buildNode, instanceType, nodeadmMaxPods, spotUsdPerHour } from '../catalog';
import { osLabels } from '../catalog/windows';
import type { ClusterModel, SubnetModel } from '../model/cluster';
import type { KubernetesObject, Node, Pod, Taint } from '../model/kubernetes';
import type { OwnerRef, SimEvent } from '../model/result';
import { NodeIpState, nodeEniLimitMessage, SubnetIpPool } from '../network';
import { Scheduler } from '../scheduler/framework';
import { NodeInfo } from '../scheduler/node-info';
import { podInfo, tolerates } from '../scheduler/pod-info';
import { VOLUME_ZONE_ANNOTATION } from '../scheduler/plugins/volume-zone';
import { podRequests } from '../scheduler/resources';
import { matchesLabelSelector, podMatchesNodeLabels } from '../scheduler/selectors';
import { ClusterSnapshot } from '../scheduler/snapshot';
import { objectList } from '../model/object-list';
import { newSimPod } from './sim-pod';
import { admissionOf, podForWorkload, releaseQuota, replicaName, sharedReplicaTemplate, workloadsOf, type Admission, type WorkloadSpec } from './workloads';

export const NO_IP_MESSAGE = 'failed to assign an IP address to container';
const NO_PODS: ReadonlySet<SimPod> = new Set();

export interface ClusterStateOptions {
  readonly region: string;
  readonly seed: number;
  /** Seconds from bind to Running (image pull, start, readiness). @default 0 */
  readonly podStartupSeconds?: number;
  readonly scheduler?: Scheduler;
  /** Feature gates turned on or off over the cluster version's defaults (a what-if). */
  readonly featureGates?: Readonly<Record<string, boolean>>;
  /**
   * Alike pods (replicas of one template) share their scheduling work and pending replicas may stay counted
   * (createReplicas). Off: every pod is its own object and goes through the scheduler (the reference the tests
   * compare with; the answers are the same). @default true
   */
  readonly podEquivalence?: boolean;
}

/**
 * Pending replicas of a workload that are counted, not materialised: ordinals `from`..`to - 1`, alike (one shared
 * template), created at `createdAt`, waiting since `pendingSince`, with the scheduler's message once tried.
 */
export interface CountedReplicas {
  readonly workload: WorkloadSpec;
  from: number;
  readonly to: number;
  readonly createdAt: number;
  pendingSince: number;
  readonly priority: number;
  message?: string;
}

/**
 * The simulated cluster: nodes (with their VPC CNI address state), pods, the scheduler's snapshot, subnets,
 * admission. Static placement and the time simulation both drive it; controllers see it through ClusterView.
 */
export class ClusterState {
  readonly model: ClusterModel;
  readonly region: string;
  readonly scheduler: Scheduler;
  readonly snapshot = new ClusterSnapshot();
  readonly nodes = new Map<string, SimNode>();
  readonly pods = new Map<string, SimPod>();
  /** The same pods by workload, in creation order (the HPA reads one workload's pods every sync). */
  private readonly podsByWorkload = new Map<WorkloadSpec, Set<SimPod>>();
  readonly workloads: WorkloadSpec[];
  /**
   * The workloads' keys sorted, once (a timeline point per step lists per-workload counts in key order): made with the
   * state, so no step meets a first-time branch that would deoptimise the optimised per-step code.
   */
  readonly workloadKeys: readonly string[];
  readonly admission: Admission;
  readonly subnetPools = new Map<string, SubnetIpPool>();
  readonly events = objectList<SimEvent>();
  /** Pods admission refused (quota, limit range), per workload. */
  readonly rejected = new Map<string, string>();
  readonly nodeHistory = objectList<SimNode>();
  /** Deleted pods that had waited, so their pending time still counts. */
  private readonly deletedWithPending = objectList<SimPod>();
  private readonly podStartupSeconds: number;
  private nodeCounter = 0;
  private readonly zoneSubnets = new Map<string, SubnetModel[]>();

  constructor(model: ClusterModel, options: ClusterStateOptions) {
    this.model = model;
    this.region = options.region;
    // The scheduler follows the cluster's Kubernetes version and the gates it enables (plus the scenario's overrides).
    // DeviceClasses and ResourceSlices back extended resources no node advertises (DRAExtendedResource).
    const dra = (model.deviceClasses ?? []).length > 0 ? { deviceClasses: model.deviceClasses, resourceSlices: model.resourceSlices } : undefined;
    this.scheduler = options.scheduler ?? new Scheduler({ seed: options.seed, kubernetesVersion: model.cluster?.version, featureGates: options.featureGates, dra });
    this.podStartupSeconds = options.podStartupSeconds ?? 0;
    this.podEquivalence = options.podEquivalence ?? true;
    // Affinity terms' namespaceSelector matches Namespace labels (interpodaffinity: namespace labels snapshot).
    for (const { object } of model.objects) if (object.kind === 'Namespace' && object.metadata.name) this.snapshot.setNamespaceLabels(object.metadata.name, object.metadata.labels ?? {});
    this.workloads = workloadsOf(model);
    this.workloadKeys = [...new Set(this.workloads.map((w) => w.key))].sort();
    this.admission = admissionOf(model);
    for (const subnet of model.subnets) {
      this.subnetPools.set(subnet.id, new SubnetIpPool(subnet));
      this.zoneSubnets.set(subnet.availabilityZone, [...(this.zoneSubnets.get(subnet.availabilityZone) ?? []), subnet]);
    }
  }

  /** Records an event; nothing before t=0 (the warm-up) is recorded. */
  emit(t: number, event: Omit<SimEvent, 't'>): void {
    if (t >= 0) this.events.push({ t, ...event });
  }

  // ---------------------------------------------------------------- nodes

  /** Launches a node; it joins the scheduler's snapshot once Ready. */
  launch(request: LaunchRequest, t: number): LaunchResult {
    const type = instanceType(request.instanceType);
    const subnet = this.chooseSubnet(request.zone, request.subnetIds);
    if (subnet === undefined && this.model.subnets.length > 0) return { error: 'SubnetFull', message: `no subnet with free addresses in ${request.zone}` };
    this.nodeCounter += 1;
    const name = `${shortName(request.owner.name).replace(/[^a-z0-9-]/gi, '').toLowerCase().slice(0, 24)}-${request.zone.slice(-2)}-${this.nodeCounter}`;
    const node = buildNode({
      name, instanceType: type.name, zone: request.zone, capacityType: request.capacityType, maxPods: request.maxPods, diskGiB: request.diskGiB,
      karpenter: request.karpenter, taints: request.taints,
      labels: { ...request.labels, ...(request.owner.kind === 'nodegroup' ? { 'eks.amazonaws.com/nodegroup': request.owner.name } : {}), ...(request.owner.kind === 'nodepool' || request.owner.kind === 'automode' ? { 'karpenter.sh/nodepool': request.owner.name } : {}) },
    });
    if (request.annotations) node.metadata.annotations = { ...request.annotations };
    if (request.allocatable && node.status?.allocatable) {
      // The launcher's kubelet settings (EC2NodeClass kubeReserved, systemReserved, evictionHard) decide allocatable.
      node.status.allocatable = { ...node.status.allocatable, cpu: `${request.allocatable.milliCpu}m`, memory: `${Math.floor(request.allocatable.memoryBytes / 1024)}Ki` };
    }
    let ip: NodeIpState | undefined;
    if (subnet) {
      const pool = this.subnetPools.get(subnet.id) as SubnetIpPool;
      const podSubnet = this.model.vpcCni.customNetworking ? this.model.subnets.find((s) => s.podSubnet && s.availabilityZone === request.zone) : undefined;
      ip = new NodeIpState({ nodeName: name, instanceType: type, config: this.model.vpcCni, nodeSubnet: pool, podSubnet: podSubnet ? this.subnetPools.get(podSubnet.id) : undefined });
      if (!ip.launched) {
        ip.release();
        return { error: 'SubnetFull', message: `subnet ${subnet.id} (${subnet.cidr}) has no free address for the node` };
      }
    }
    const usdPerHour = request.capacityType === 'spot' ? spotUsdPerHour(type.name, this.region, request.zone) : type.onDemandUsdPerHour(this.region);
    const info = new NodeInfo(node);
    // Fields set later (interruptAt; the record's readyAt and termination) are declared here, undefined, so every node
    // and record keeps one hidden class in V8. JSON drops undefined, and they come last as when they were added.
    const sim: SimNode = {
      name, node, info, instanceType: type, zone: request.zone, subnetId: subnet?.id, capacityType: request.capacityType, owner: request.owner,
      launchedAt: t, readyAt: t + request.readyDelaySeconds, ready: false, deleting: false, usdPerHour, maxPods: request.maxPods, ip, lastPodChangeAt: t,
      record: {
        name, instanceType: type.name, zone: request.zone, subnetId: subnet?.id, capacityType: request.capacityType, owner: request.owner,
        launchedAt: t, usdPerHour, allocatable: { milliCpu: info.allocatable.milliCpu, memoryBytes: info.allocatable.memoryBytes, pods: info.allocatable.pods }, maxPods: request.maxPods,
        readyAt: undefined, terminatedAt: undefined, terminationReason: undefined,
      },
      interruptAt: undefined,
    };
    this.nodes.set(name, sim);
    this.nodeHistory.push(sim);
    if (request.readyDelaySeconds <= 0) this.markReady(sim, t);
    return sim;
  }

  /** The subnet (of the candidates, in the zone) with the most free addresses, as Karpenter and the ASG pick. */
  private chooseSubnet(zone: string, candidates?: string[]): SubnetModel | undefined {
    const inZone = (this.zoneSubnets.get(zone) ?? []).filter((s) => !s.podSubnet && (candidates ? candidates.includes(s.id) : !s.public));
    let best: SubnetModel | undefined;
    let bestFree = 0;
    for (const subnet of inZone) {
      const free = (this.subnetPools.get(subnet.id) as SubnetIpPool).free();
      if (free > bestFree) { best = subnet; bestFree = free; }
    }
    return best;
  }

  markReady(node: SimNode, t: number): void {
    if (node.ready || node.deleting) return;
    node.ready = true;
    (node.record as { readyAt?: number }).readyAt = t;
    this.snapshot.addNode(node.info);
    this.clusterVersion += 1;
    this.emit(t, { type: 'ready', source: node.owner.kind === 'nodegroup' ? 'cluster-autoscaler' : 'karpenter', object: `Node ${node.name}`, message: `${node.instanceType.name} ${node.capacityType} in ${node.zone} is Ready` });
    this.placeDaemonSets(node, t);
  }

  /** Nodes whose launch delay has passed become Ready. */
  readyNodes(t: number): void {
    for (const node of this.nodes.values()) if (!node.ready && !node.deleting && node.readyAt <= t) this.markReady(node, t);
  }

  cordon(name: string): void {
    const node = this.nodes.get(name);
    if (node) node.node.spec.unschedulable = true;
    this.clusterVersion += 1;
  }

  /**
   * Adds (`present`) or removes a taint on the node, dropping any other taint with its key first (as Karpenter's
   * RequireNoScheduleTaint does). The Node object is the one the snapshot's node table holds, so it takes effect at once.
   */
  taint(name: string, taint: Taint, present: boolean): void {
    const node = this.nodes.get(name);
    if (!node) return;
    const others = taintsWithout(node.node.spec.taints, taint.key);
    node.node.spec.taints = present ? [...others, { ...taint }] : others;
    this.clusterVersion += 1;
  }

  /** Evicts every pod of the node (back to Pending, rescheduled elsewhere) and removes it. */
  terminate(name: string, reason: string, t: number): void {
    const node = this.nodes.get(name);
    if (!node) return;
    node.deleting = true;
    for (const pod of this.podsOn(name)) {
      if (pod.workload.daemonSet) this.deletePod(pod.key, t);
      else this.evict(pod, t, `node ${name} terminated (${reason})`);
    }
    this.snapshot.removeNode(name);
    this.clusterVersion += 1;
    node.ip?.release();
    node.record.terminatedAt = t;
    node.record.terminationReason = reason;
    this.nodes.delete(name);
  }

  // Lists of pods handed out are objectList()s: one elements kind, empty or not, for the code iterating them (V8).
  podsOn(nodeName: string): SimPod[] {
    const out = objectList<SimPod>();
    const node = this.nodes.get(nodeName);
    node?.info.forEachPod((pod) => {
      const sim = this.pods.get(podInfo(pod).key);
      if (sim) out.push(sim);
    });
    return out;
  }

  // ---------------------------------------------------------------- pods

  /** Creates one pod of a workload through admission; returns undefined when admission refuses it. */
  createPod(workload: WorkloadSpec, ordinal: number, t: number, podName?: string): SimPod | undefined {
    const admitted = podForWorkload(workload, ordinal, this.admission, podName);
    if ('rejected' in admitted) {
      if (!this.rejected.has(workload.key)) this.emit(t, { type: 'pending', source: 'api-server', object: workload.key, message: admitted.rejected });
      this.rejected.set(workload.key, admitted.rejected);
      return undefined;
    }
    const pod = admitted.pod;
    const sim = newSimPod({ key: podInfo(pod).key, pod, workload, requests: podRequests(pod), ordinal, createdAt: t, pendingSince: t, lastMessage: undefined });
    this.pods.set(sim.key, sim);
    let ofWorkload = this.podsByWorkload.get(workload);
    if (!ofWorkload) this.podsByWorkload.set(workload, (ofWorkload = new Set()));
    ofWorkload.add(sim);
    this.podsVersion += 1;
    return sim;
  }

  private readonly podEquivalence: boolean;
  /** Counted pending replicas (createReplicas), in the order they were created. */
  private counted: CountedReplicas[] = [];
  /** Counted ranges a scheduling pass has yet to reach. */
  private queuedRanges: CountedReplicas[] = [];
  /**
   * The scheduler's view of the cluster, versioned: bumped on every bind and unbind, node joining (Ready) or leaving,
   * and change of a node's taints or cordon (seen at the start of each scheduling pass). A class that found no node
   * stays unplaceable while it is unchanged. What-ifs (snapshot fork/revert) leave it alone: they undo what they do.
   */
  private clusterVersion = 0;
  /** Failed classes carried from one scheduling pass to the next, with the version they failed at. */
  private readonly unplaceableClasses = new Map<WorkloadSpec, { version: number; message: string }>();
  /** The taints and cordons of the nodes at the last scheduling pass (only nodes with either are listed). */
  private nodeSpecs = '';

  /**
   * Replicas `from`..`to - 1` of a workload, created at `t`. With `counted`, alike replicas (one shared template, no
   * ResourceQuota in the namespace) are counted, not materialised: they join the scheduling queue as a range, and a
   * pod object is made only for a replica the scheduler has to try (schedulePending); the rest stay a count.
   * Only for runs that read the pods through the result alone (the static run without capacity controllers):
   * `pendingPods()` materialises every counted replica, after the pods created since.
   */
  createReplicas(workload: WorkloadSpec, from: number, to: number, t: number, options: { counted?: boolean } = {}): void {
    const shared = options.counted && this.podEquivalence && to - from > 1 && (this.admission.quotas.get(workload.namespace)?.length ?? 0) === 0
      ? sharedReplicaTemplate(workload, this.admission) : undefined;
    if (!shared) {
      for (let ordinal = from; ordinal < to; ordinal += 1) this.createPod(workload, ordinal, t);
      return;
    }
    // message is declared from the start (one hidden class for every range, V8).
    this.counted.push({ workload, from, to, createdAt: t, pendingSince: t, priority: shared.spec.priority ?? 0, message: undefined });
    this.podsVersion += 1;
  }

  /** The counted pending replicas (createReplicas), for the result. */
  countedReplicas(): readonly CountedReplicas[] {
    return this.counted;
  }

  /** A pod object for the first replica of a counted range (its template is shared and its namespace has no quota: admission admits it). */
  private materialise(range: CountedReplicas): SimPod {
    const sim = this.createPod(range.workload, range.from, range.createdAt) as SimPod;
    range.from += 1;
    sim.pendingSince = range.pendingSince;
    sim.lastMessage = range.message;
    return sim;
  }

  private materialiseCounted(): void {
    for (const range of [...this.counted, ...this.queuedRanges]) while (range.from < range.to) this.materialise(range);
    this.counted = [];
    this.queuedRanges = [];
  }

  deletePod(key: string, t: number): void {
    const pod = this.pods.get(key);
    if (!pod) return;
    this.unbind(pod, t);
    this.closePending(pod, t);
    releaseQuota(pod.pod, this.admission);
    this.pods.delete(key);
    this.podsByWorkload.get(pod.workload)?.delete(pod);
    this.podsVersion += 1;
    if (pod.pendingSeconds > 0) this.deletedWithPending.push(pod);
  }

  /**
   * The controllers' view of this state (they never touch the engine): the clock, the faults in force and the
   * seeded generator come from the run, scenario or static settling.
   */
  viewAt(run: ViewSource): ClusterView {
    return new StateView(this, run);
  }

  /** A workload's pods that are not terminating, in creation order. */
  podsOfWorkload(workload: WorkloadSpec): SimPod[] {
    const out = objectList<SimPod>();
    for (const pod of this.podsByWorkload.get(workload) ?? []) if (pod.phase !== 'Terminating') out.push(pod);
    return out;
  }

  /** Every pod of a workload, terminating ones too, in creation order (the state's own index: do not change it). */
  allPodsOfWorkload(workload: WorkloadSpec): ReadonlySet<SimPod> {
    return this.podsByWorkload.get(workload) ?? NO_PODS;
  }

  deletedPods(): readonly SimPod[] {
    return this.deletedWithPending;
  }

  /** The pod leaves its node and waits to be scheduled again (its controller replaces it). */
  evict(pod: SimPod, t: number, reason: string): void {
    this.unbind(pod, t);
    pod.phase = 'Pending';
    this.podsVersion += 1;
    pod.pendingSince = t;
    pod.readyAt = undefined;
    pod.lastMessage = reason;
    this.emit(t, { type: 'evict', source: 'kubelet', object: `Pod ${pod.key}`, message: reason });
  }

  private unbind(pod: SimPod, t: number): void {
    if (!pod.nodeName) return;
    const node = this.nodes.get(pod.nodeName);
    this.snapshot.removePod(pod.key);
    this.clusterVersion += 1;
    node?.ip?.releasePod(pod.key);
    if (node) node.lastPodChangeAt = t;
    pod.nodeName = undefined;
  }

  private closePending(pod: SimPod, t: number): void {
    if (pod.pendingSince !== undefined) {
      if (t > pod.pendingSince && t > 0) (pod.pendingIntervals ??= []).push({ from: Math.max(0, pod.pendingSince), to: t, reason: pod.lastMessage });
      pod.pendingSeconds += t - pod.pendingSince;
      pod.pendingSince = undefined;
    }
  }

  bind(pod: SimPod, node: SimNode, t: number): void {
    this.snapshot.addPod(pod.pod, node.name);
    this.clusterVersion += 1;
    pod.nodeName = node.name;
    pod.scheduledAt = t;
    node.lastPodChangeAt = t;
    if (pod.workload.volumeClaims > 0 && !pod.volumeZone) {
      // WaitForFirstConsumer: the volume is created in the zone of the first node, and pins the pod there.
      pod.volumeZone = node.zone;
      pod.pod.metadata.annotations = { ...(pod.pod.metadata.annotations ?? {}), [VOLUME_ZONE_ANNOTATION]: node.zone };
    }
    this.assignAddress(pod, node, t);
  }

  private assignAddress(pod: SimPod, node: SimNode, t: number): void {
    if (pod.pod.spec.hostNetwork || !node.ip || node.ip.assignPod(pod.key)) {
      this.closePending(pod, t);
      pod.phase = this.podStartupSeconds > 0 ? 'ContainerCreating' : 'Running';
      this.podsVersion += 1;
      pod.readyAt = t + this.podStartupSeconds;
      pod.lastMessage = undefined;
    } else {
      pod.phase = 'ContainerCreating';
      this.podsVersion += 1;
      // A node at its ENI limit is not a full subnet: say which, so the finding and the fix differ.
      if (node.ip.lastFailure === 'node-eni-limit') {
        pod.lastMessage = nodeEniLimitMessage(NO_IP_MESSAGE, node.name, node.ip.podAddressLimit());
      } else {
        pod.lastMessage = NO_IP_MESSAGE;
        const pool = node.subnetId ? this.subnetPools.get(node.subnetId) : undefined;
        if (pool) pool.exhaustedPods += 1;
      }
    }
  }

  /** Pods waiting on an address retry (addresses may have been freed); started pods become Running. */
  progressPods(t: number): void {
    for (const pod of this.pods.values()) {
      if (pod.phase !== 'ContainerCreating' || !pod.nodeName) continue;
      const node = this.nodes.get(pod.nodeName);
      if (!node) continue;
      if (pod.lastMessage?.startsWith(NO_IP_MESSAGE)) {
        if (node.ip?.assignPod(pod.key)) {
          this.closePending(pod, t);
          pod.lastMessage = undefined;
          pod.readyAt = t + this.podStartupSeconds;
        }
      }
      if (pod.lastMessage === undefined && pod.readyAt !== undefined && pod.readyAt <= t) {
        pod.phase = 'Running';
        this.podsVersion += 1;
      }
    }
  }

  pendingPods(): SimPod[] {
    this.materialiseCounted();
    return this.materialisedPending();
  }

  private materialisedPending(): SimPod[] {
    const out = objectList<SimPod>();
    for (const pod of this.pods.values()) if (pod.phase === 'Pending') out.push(pod);
    return out;
  }

  // ---------------------------------------------------------------- DaemonSets

  private daemonSetFits(workload: WorkloadSpec, node: Node): boolean {
    const spec = workload.template.spec;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', labels: workload.template.metadata?.labels }, spec } as Pod;
    for (const taint of node.spec?.taints ?? []) {
      if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(spec.tolerations, taint)) return false;
    }
    return podMatchesNodeLabels(pod, node.metadata.labels ?? {}, node.metadata.name);
  }

  /** DaemonSet pods a node with these labels and taints would run (for autoscalers sizing new nodes). */
  daemonSetPodsFor(node: Node): Pod[] {
    const out: Pod[] = [];
    for (const workload of this.workloads) {
      if (!workload.daemonSet || !this.daemonSetFits(workload, node)) continue;
      const admitted = podForWorkload(workload, 0, { ...this.admission, quotas: new Map() }, `${workload.name}-template`);
      if ('pod' in admitted) out.push(admitted.pod);
    }
    return out;
  }

  private daemonSetTemplates?: Pod[];

  /** One pod per DaemonSet, for autoscalers that size new nodes per instance type (Karpenter's daemon overhead). */
  daemonSetPods(): readonly Pod[] {
    if (!this.daemonSetTemplates) {
      this.daemonSetTemplates = [];
      for (const workload of this.workloads) {
        if (!workload.daemonSet) continue;
        const admitted = podForWorkload(workload, 0, { ...this.admission, quotas: new Map() }, `${workload.name}-template`);
        if ('pod' in admitted) this.daemonSetTemplates.push(admitted.pod);
      }
    }
    return this.daemonSetTemplates;
  }

  /** The DaemonSet controller creates a pod for the node and binds it there (pkg/controller/daemon). */
  private placeDaemonSets(node: SimNode, t: number): void {
    for (const workload of this.workloads) {
      if (!workload.daemonSet || !this.daemonSetFits(workload, node.node)) continue;
      const pod = this.createPod(workload, 0, t, `${workload.name}-${node.name}`);
      if (!pod) continue;
      pod.pod.spec.nodeName = node.name;
      const fit = this.scheduler.canSchedule(pod.pod, node.info, this.snapshot);
      if (fit.fits) this.bind(pod, node, t);
      else pod.lastMessage = `0/1 nodes are available: 1 ${fit.reasons.join(', 1 ')}.`;
    }
  }

  // ---------------------------------------------------------------- scheduling

  /** Pending pods in scheduling-queue order: priority first (PrioritySort), then creation order (counted replicas not included). */
  schedulingQueue(): SimPod[] {
    const pending = this.materialisedPending();
    // Nothing to order (most passes): no sort. The lists are objectList()s, so every queue has one elements kind (V8).
    if (pending.length < 2) return pending;
    // Each pod's priority is read once, not once per comparison (thousands of pending pods are sorted every pass).
    const entries = objectList<{ pod: SimPod; priority: number }>();
    for (const pod of pending) entries.push({ pod, priority: podInfo(pod.pod).priority });
    entries.sort((a, b) => b.priority - a.priority || a.pod.createdAt - b.pod.createdAt || (a.pod.key < b.pod.key ? -1 : a.pod.key > b.pod.key ? 1 : 0));
    const queue = objectList<SimPod>();
    for (const entry of entries) queue.push(entry.pod);
    return queue;
  }

  /**
   * One scheduling pass over the queue (materialised pods and counted replica ranges merged in queue order);
   * preemption for pods that fit nowhere. Returns the number bound.
   *
   * Alike pods share their work: once a pod of a class (replicas of one shared template, no volume placed yet)
   * finds no node, and neither preemption nor anything else has bound or unbound a pod since its attempt, the
   * next pods of that class fail the same way and get its message without a pass over the nodes (a failed
   * Schedule is pure: it rotates the start index by a whole turn and draws no random number). Counted replicas
   * so skipped stay counted. The failure carries over to later passes while the cluster version (binds, nodes,
   * taints, cordons) has not moved: a class stuck on an unchanged cluster costs no pass over the nodes per step.
   */
  // kubernetes/autoscaler cluster-autoscaler core/scaleup/equivalence/groups.go (one check per pod equivalence group);
  // kubernetes/kubernetes pkg/scheduler/backend/queue: an unschedulable pod is not retried until the cluster changes.
  schedulePending(t: number, options: { preemption?: boolean } = {}): number {
    const preemption = options.preemption ?? true;
    let bound = 0;
    const unplaceable = new Map<WorkloadSpec, { version: number; message: string }>();
    this.noteNodeSpecs();
    const queue = this.schedulingQueue();
    const ranges = this.counted.filter((r) => r.from < r.to);
    const skipped: CountedReplicas[] = [];
    // During the pass the counted replicas are those still queued and those already skipped (PDBs count both).
    this.counted = skipped;
    this.queuedRanges = ranges;
    let next = 0;
    for (;;) {
      let range: CountedReplicas | undefined;
      for (const r of ranges) if (r.from < r.to && (!range || compareQueued(headOf(r), headOf(range)) < 0)) range = r;
      const queued = next < queue.length ? queue[next] : undefined;
      if (!range && !queued) break;
      let pod: SimPod;
      if (range && (!queued || compareQueued(headOf(range), queuedHead(queued)) < 0)) {
        const known = this.podEquivalence ? unplaceable.get(range.workload) : undefined;
        if (known && known.version === this.clusterVersion) {
          // Every replica of the range ahead of the next other pod in the queue fails the same way.
          let competitor = queued ? queuedHead(queued) : undefined;
          for (const r of ranges) if (r !== range && r.from < r.to && (!competitor || compareQueued(headOf(r), competitor) < 0)) competitor = headOf(r);
          const count = competitor ? replicasBefore(range, competitor) : range.to - range.from;
          skipped.push({ ...range, to: range.from + count, message: known.message });
          range.from += count;
          continue;
        }
        pod = this.materialise(range);
      } else {
        pod = queued as SimPod;
        next += 1;
      }
      if (pod.phase !== 'Pending') continue;
      const alike = this.podEquivalence && this.isAlike(pod);
      let known = alike ? unplaceable.get(pod.workload) : undefined;
      if (alike && !(known && known.version === this.clusterVersion)) {
        // A class that failed at an earlier pass on the cluster as it is now fails the same way (materialised pods
        // only: counted ranges are tried as before, so what stays counted does not change).
        const carried = this.unplaceableClasses.get(pod.workload);
        if (carried && carried.version === this.clusterVersion) { known = carried; unplaceable.set(pod.workload, carried); }
      }
      if (known && known.version === this.clusterVersion) {
        pod.lastMessage = known.message;
        continue;
      }
      const version = this.clusterVersion;
      const result = this.scheduler.schedule(pod.pod, this.snapshot);
      if (result.node) {
        this.bind(pod, this.nodes.get(result.node) as SimNode, t);
        bound += 1;
        continue;
      }
      pod.lastMessage = result.message;
      if (preemption && this.preempt(pod, t)) {
        const retry = this.scheduler.schedule(pod.pod, this.snapshot);
        if (retry.node) {
          this.bind(pod, this.nodes.get(retry.node) as SimNode, t);
          bound += 1;
        }
      }
      // Only an attempt that changed nothing (no victim evicted) stands for the rest of its class.
      if (alike && pod.phase === 'Pending' && this.clusterVersion === version) {
        const failed = { version, message: result.message };
        unplaceable.set(pod.workload, failed);
        this.unplaceableClasses.set(pod.workload, failed);
      }
    }
    this.counted = joinRanges(skipped);
    this.queuedRanges = [];
    return bound;
  }

  /**
   * Taints and cordons are set on the Node objects by whoever changes them (faults, controllers' actions): a pass
   * compares them with the last pass's, and a change moves the cluster version on.
   */
  private noteNodeSpecs(): void {
    let specs = '';
    for (const node of this.nodes.values()) {
      const spec = node.node.spec;
      if (spec.unschedulable || (spec.taints?.length ?? 0) > 0) specs += `${node.name}|${spec.unschedulable ? 1 : 0}|${JSON.stringify(spec.taints ?? [])}\n`;
    }
    if (specs !== this.nodeSpecs) {
      this.nodeSpecs = specs;
      this.clusterVersion += 1;
    }
  }

  /** Whether the pod is one of its class: it holds its workload's shared template and no volume pins it. */
  private isAlike(pod: SimPod): boolean {
    if (pod.volumeZone) return false;
    const shared = sharedReplicaTemplate(pod.workload, this.admission);
    return shared !== undefined && pod.pod.spec === shared.spec && pod.pod.metadata.labels === shared.labels;
  }

  /**
   * DefaultPreemption (pkg/scheduler/framework/plugins/defaultpreemption): on each node, remove every
   * lower-priority pod; if the pod then fits, add victims back highest priority first while it still fits;
   * pick the node with the fewest PDB violations, then the lowest highest-victim priority, then the fewest victims.
   */
  private preempt(pod: SimPod, t: number): boolean {
    const priority = podInfo(pod.pod).priority;
    if (pod.pod.spec.preemptionPolicy === 'Never' || priority <= 0) return false;
    let best: { node: SimNode; victims: SimPod[]; violations: number; top: number } | undefined;
    for (const node of this.nodes.values()) {
      if (!node.ready || node.deleting) continue;
      const lower = this.podsOn(node.name).filter((p) => podInfo(p.pod).priority < priority).sort((a, b) => podInfo(b.pod).priority - podInfo(a.pod).priority);
      if (lower.length === 0) continue;
      // nodesWherePreemptionMightHelp: a node whose filter status is UnschedulableAndUnresolvable is not tried.
      if (!this.scheduler.preemptionMightHelp(pod.pod, node.info, this.snapshot)) continue;
      for (const victim of lower) this.snapshot.removePod(victim.key);
      let fits = this.scheduler.canSchedule(pod.pod, node.info, this.snapshot).fits;
      const victims: SimPod[] = [];
      if (fits) {
        for (const candidate of lower) {
          this.snapshot.addPod(candidate.pod, node.name);
          if (!this.scheduler.canSchedule(pod.pod, node.info, this.snapshot).fits) {
            this.snapshot.removePod(candidate.key);
            victims.push(candidate);
          }
        }
      }
      for (const victim of lower) if (!victims.includes(victim)) this.snapshot.addPod(victim.pod, node.name);
      for (const victim of victims) this.snapshot.addPod(victim.pod, node.name);
      fits = fits && victims.length > 0;
      if (!fits) continue;
      const violations = victims.filter((v) => !this.canEvict(v)).length;
      const top = Math.max(...victims.map((v) => podInfo(v.pod).priority));
      if (!best || violations < best.violations || (violations === best.violations && (top < best.top || (top === best.top && victims.length < best.victims.length)))) {
        best = { node, victims, violations, top };
      }
    }
    if (!best) return false;
    for (const victim of best.victims) {
      this.evict(victim, t, `preempted by ${pod.key} (priority ${priority}) on ${best.node.name}`);
    }
    return true;
  }

  // ---------------------------------------------------------------- disruption rules

  // canEvict runs for every pod of every candidate node in every disruption pass: PDBs are indexed by
  // namespace and matchLabels pair once, each pod's PDBs are found once (its labels never change), and the
  // healthy/expected counts of every PDB are computed in one pass over the pods per change of the pods.
  private pdbIndex?: Map<string, { readonly generic: KubernetesObject[]; readonly byLabel: Map<string, KubernetesObject[]> }>;
  private readonly podPdbs = new WeakMap<SimPod, readonly KubernetesObject[]>();
  private podsVersion = 0;
  private pdbCounts?: { readonly version: number; readonly counts: Map<KubernetesObject, { healthy: number; expected: number }> };

  private pdbsOf(pod: SimPod): readonly KubernetesObject[] {
    const cached = this.podPdbs.get(pod);
    if (cached) return cached;
    const found = this.pdbsSelecting(pod.workload.namespace, pod.pod.metadata.labels ?? {});
    this.podPdbs.set(pod, found);
    return found;
  }

  /** The PDBs of a namespace whose selector matches these pod labels. */
  private pdbsSelecting(namespace: string, labels: Record<string, string>): readonly KubernetesObject[] {
    if (!this.pdbIndex) {
      this.pdbIndex = new Map();
      for (const { object } of this.model.objects) {
        if (object.kind !== 'PodDisruptionBudget') continue;
        const namespace = object.metadata.namespace ?? 'default';
        const entry = this.pdbIndex.get(namespace) ?? { generic: [], byLabel: new Map<string, KubernetesObject[]>() };
        this.pdbIndex.set(namespace, entry);
        const first = Object.entries((object.spec?.selector?.matchLabels ?? {}) as Record<string, string>)[0];
        if (first) entry.byLabel.set(`${first[0]}=${first[1]}`, [...(entry.byLabel.get(`${first[0]}=${first[1]}`) ?? []), object]);
        else entry.generic.push(object);
      }
    }
    const entry = this.pdbIndex.get(namespace);
    const candidates = entry ? [...entry.generic, ...Object.entries(labels).flatMap(([k, v]) => entry.byLabel.get(`${k}=${v}`) ?? [])] : [];
    return [...new Set(candidates)].filter((pdb) => matchesLabelSelector(pdb.spec?.selector, labels));
  }

  private pdbCountsNow(): Map<KubernetesObject, { healthy: number; expected: number }> {
    if (this.pdbCounts?.version === this.podsVersion) return this.pdbCounts.counts;
    const counts = new Map<KubernetesObject, { healthy: number; expected: number }>();
    for (const p of this.pods.values()) {
      for (const pdb of this.pdbsOf(p)) {
        const count = counts.get(pdb) ?? { healthy: 0, expected: 0 };
        count.expected += 1;
        if (p.phase === 'Running') count.healthy += 1;
        counts.set(pdb, count);
      }
    }
    // Counted replicas are pods the budget expects (pending, never healthy), with their shared template's labels.
    for (const range of [...this.counted, ...this.queuedRanges]) {
      for (const pdb of this.pdbsSelecting(range.workload.namespace, sharedReplicaTemplate(range.workload, this.admission)?.labels ?? {})) {
        const count = counts.get(pdb) ?? { healthy: 0, expected: 0 };
        count.expected += range.to - range.from;
        counts.set(pdb, count);
      }
    }
    this.pdbCounts = { version: this.podsVersion, counts };
    return counts;
  }

  /** PDBs (policy/v1) and the safe-to-evict annotation decide whether a voluntary eviction may happen now. */
  canEvict(pod: SimPod): boolean {
    if (pod.pod.metadata.annotations?.['cluster-autoscaler.kubernetes.io/safe-to-evict'] === 'false') return false;
    if (pod.pod.metadata.annotations?.['karpenter.sh/do-not-disrupt'] === 'true') return false;
    // A pod no PDB selects is not limited: no recount of every PDB's pods for it.
    const pdbs = this.pdbsOf(pod);
    if (pdbs.length === 0) return true;
    const counts = this.pdbCountsNow();
    for (const object of pdbs) {
      const { healthy, expected } = counts.get(object) ?? { healthy: 0, expected: 0 };
      const allowed = disruptionsAllowed(object.spec ?? {}, healthy, expected);
      // Evicting a pod that is not running does not lower the healthy count.
      if (pod.phase === 'Running' && allowed <= 0) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- node groups

  /** Nodes for every managed and self-managed node group at its desired size, spread over its subnets' AZs. */
  launchNodeGroups(t: number, readyDelaySeconds = 0): void {
    for (const group of this.model.nodeGroups) {
      for (let i = 0; i < group.desiredSize; i += 1) this.launchNodeGroupNode(group.name, t, readyDelaySeconds);
    }
  }

  /** One more node for a group, in the AZ with the fewest of its nodes (the ASG's AZ balancing). */
  launchNodeGroupNode(groupName: string, t: number, readyDelaySeconds: number, zoneFilter?: (zone: string) => boolean, typeOverride?: string): LaunchResult {
    const group = this.model.nodeGroups.find((g) => g.name === groupName);
    if (!group) return { error: 'ZoneUnavailable', message: `no node group ${groupName}` };
    const zones = this.groupZones(group.subnetIds).filter((z) => (zoneFilter ? zoneFilter(z) : true));
    if (zones.length === 0) return { error: 'ZoneUnavailable', message: `node group ${shortName(group.name)} has no usable zone` };
    const counts = new Map(zones.map((z) => [z, 0]));
    for (const node of this.nodes.values()) if (node.owner.kind === 'nodegroup' && node.owner.name === group.name && counts.has(node.zone)) counts.set(node.zone, (counts.get(node.zone) ?? 0) + 1);
    const zone = zones.reduce((a, b) => ((counts.get(b) ?? 0) < (counts.get(a) ?? 0) ? b : a));
    const type = typeOverride ?? group.instanceTypes[0];
    const capacityType: CapacityType = group.capacityType === 'SPOT' ? 'spot' : 'on-demand';
    return this.launch({
      instanceType: type, zone, capacityType, owner: { kind: group.kind === 'managed' ? 'nodegroup' : 'nodegroup', name: group.name }, labels: { ...osLabels(group.amiType), ...group.labels }, taints: group.taints,
      maxPods: group.maxPods ?? nodeadmMaxPods(type, { customNetworking: this.model.vpcCni.customNetworking, maxPodsExpression: group.maxPodsExpression }), readyDelaySeconds, karpenter: false,
      subnetIds: group.subnetIds.length > 0 ? group.subnetIds : undefined, diskGiB: group.diskSizeGiB,
    }, t);
  }

  groupZones(subnetIds: string[]): string[] {
    const zones = subnetIds.map((id) => this.model.subnets.find((s) => s.id === id)?.availabilityZone).filter((z): z is string => z !== undefined);
    const unique = [...new Set(zones)].sort();
    return unique.length > 0 ? unique : [...this.model.availabilityZones].sort();
  }
}

/** What a controllers' view reads from the run driving the state: the clock, the faults in force, the seeded generator. */
export interface ViewSource {
  readonly region: string;
  readonly model: ClusterModel;
  now(): number;
  unavailableZones(): ReadonlySet<string>;
  hasCapacity(instanceType: string, zone: string, capacityType: CapacityType): boolean;
  random(): number;
}

/**
 * ClusterView over a state. A class, not an object of closures made per run: its methods are the same functions in
 * every run, so controller code that V8 optimised with them inlined is not deoptimised ("wrong call target") by the next.
 */
class StateView implements ClusterView {
  readonly region: string;
  readonly model: ClusterModel;
  readonly scheduler: Scheduler;
  readonly snapshot: ClusterSnapshot;
  private readonly state: ClusterState;
  private readonly source: ViewSource;

  constructor(state: ClusterState, source: ViewSource) {
    this.region = source.region;
    this.model = source.model;
    this.scheduler = state.scheduler;
    this.snapshot = state.snapshot;
    this.state = state;
    this.source = source;
  }

  get now(): number { return this.source.now(); }
  nodes(): SimNode[] { return [...this.state.nodes.values()]; }
  pendingPods(): SimPod[] { return this.state.pendingPods(); }
  podsOn(name: string): SimPod[] { return this.state.podsOn(name); }
  daemonSetPodsFor(node: Node): Pod[] { return this.state.daemonSetPodsFor(node); }
  daemonSetPods(): readonly Pod[] { return this.state.daemonSetPods(); }
  canEvict(pod: SimPod): boolean { return this.state.canEvict(pod); }
  unavailableZones(): ReadonlySet<string> { return this.source.unavailableZones(); }
  hasCapacity(instanceType: string, zone: string, capacityType: CapacityType): boolean { return this.source.hasCapacity(instanceType, zone, capacityType); }
  random(): number { return this.source.random(); }
}

/** policy/v1 disruptions allowed (pkg/controller/disruption): minAvailable / maxUnavailable as counts or percentages. */
export function disruptionsAllowed(spec: { minAvailable?: number | string; maxUnavailable?: number | string }, healthy: number, expected: number): number {
  const resolve = (value: number | string, roundUp: boolean) => {
    if (typeof value === 'number') return value;
    const match = /^(\d+)%$/.exec(value);
    if (!match) return Number(value) || 0;
    const raw = (Number(match[1]) * expected) / 100;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  };
  if (spec.maxUnavailable !== undefined) {
    const maxUnavailable = resolve(spec.maxUnavailable, true);
    return Math.max(0, healthy - (expected - maxUnavailable));
  }
  if (spec.minAvailable !== undefined) return Math.max(0, healthy - resolve(spec.minAvailable, true));
  return healthy > 0 ? 1 : 0;
}

/** What orders the scheduling queue: priority (highest first), creation time, then pod key. */
interface QueueHead {
  readonly priority: number;
  readonly createdAt: number;
  readonly key: string;
}

function compareQueued(a: QueueHead, b: QueueHead): number {
  return b.priority - a.priority || a.createdAt - b.createdAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function queuedHead(pod: SimPod): QueueHead {
  return { priority: podInfo(pod.pod).priority, createdAt: pod.createdAt, key: pod.key };
}

function replicaKey(range: CountedReplicas, ordinal: number): string {
  return `${range.workload.namespace}/${replicaName(range.workload, ordinal)}`;
}

function headOf(range: CountedReplicas): QueueHead {
  return { priority: range.priority, createdAt: range.createdAt, key: replicaKey(range, range.from) };
}

/** How many replicas of the range, from its head, come before `other` in the queue (at least one: the head does). */
function replicasBefore(range: CountedReplicas, other: QueueHead): number {
  if (range.priority !== other.priority || range.createdAt !== other.createdAt) return range.to - range.from;
  // Replica names sort in ordinal order (fixed-width base 36): the first ordinal whose key is after `other`.
  let low = range.from + 1;
  let high = range.to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (replicaKey(range, mid) < other.key) low = mid + 1;
    else high = mid;
  }
  return low - range.from;
}

/** Adjacent ranges of one workload with one message and one history become one. */
function joinRanges(ranges: readonly CountedReplicas[]): CountedReplicas[] {
  const out: CountedReplicas[] = [];
  for (const range of ranges) {
    const last = out[out.length - 1];
    if (last && last.workload === range.workload && last.to === range.from && last.message === range.message && last.createdAt === range.createdAt && last.pendingSince === range.pendingSince) {
      out[out.length - 1] = { ...last, to: range.to };
    } else {
      out.push(range);
    }
  }
  return out;
}

/**
 * The taints without those with this key, as a new list. An objectList: a list left empty keeps the elements kind of
 * taint lists, so code reading `spec.taints.length` of every node is not deoptimised by a new kind (V8).
 */
export function taintsWithout(taints: readonly Taint[] | undefined, key: string): Taint[] {
  const out = objectList<Taint>();
  for (const taint of taints ?? []) if (taint.key !== key) out.push(taint);
  return out;
}

/** A logical id without its CDK hash suffix, for readable node names and reports. */
export function shortName(name: string): string {
  return name.replace(/[0-9A-F]{8}$/, '').replace(/^NodeGroup/, '') || name;
}

export type { OwnerRef };

import type { SimNode, SimPod } from '../autoscaling/types';
import type { ClusterModel } from '../model/cluster';
import { RESULT_SCHEMA_VERSION, type Finding, type NodeLoad, type PendingPod, type PodPendingRecord, type SimEvent, type SimulationResult, type SubnetUsage, type TimelinePoint, type WorkloadPlacement } from '../model/result';
import type { ClusterState } from './cluster-state';

/** Per-workload placement of the pods that exist now. */
export function placementsOf(state: ClusterState): WorkloadPlacement[] {
  const byWorkload = new Map<string, { desired: number; running: number; pending: number; nodes: Record<string, number>; zones: Record<string, number> }>();
  for (const workload of state.workloads) {
    if (workload.daemonSet) continue;
    byWorkload.set(workload.key, { desired: 0, running: 0, pending: 0, nodes: {}, zones: {} });
  }
  for (const pod of state.pods.values()) {
    const entry = byWorkload.get(pod.workload.key) ?? { desired: 0, running: 0, pending: 0, nodes: {}, zones: {} };
    byWorkload.set(pod.workload.key, entry);
    entry.desired += 1;
    if (pod.nodeName && pod.phase === 'Running') {
      entry.running += 1;
      const node = state.nodes.get(pod.nodeName) as SimNode;
      entry.nodes[pod.nodeName] = (entry.nodes[pod.nodeName] ?? 0) + 1;
      entry.zones[node.zone] = (entry.zones[node.zone] ?? 0) + 1;
    } else {
      entry.pending += 1;
    }
  }
  return [...byWorkload.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workload, e]) => ({
    workload, desired: e.desired, running: e.running, pending: e.pending, nodes: sortRecord(e.nodes), zones: sortRecord(e.zones),
  }));
}

export function pendingPodsOf(state: ClusterState): PendingPod[] {
  const out: PendingPod[] = [];
  for (const pod of [...state.pods.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    if (pod.phase === 'Pending' || (pod.phase === 'ContainerCreating' && pod.lastMessage)) {
      out.push({ pod: pod.key, workload: pod.workload.key, phase: pod.phase === 'Pending' ? 'Pending' : 'ContainerCreating', message: pod.lastMessage ?? 'waiting to be scheduled' });
    }
  }
  for (const [workload, reason] of [...state.rejected.entries()].sort()) {
    out.push({ pod: `${workload.split(' ')[1]} (not created)`, workload, phase: 'Pending', message: reason });
  }
  return out;
}

export function subnetUsageOf(state: ClusterState): SubnetUsage[] {
  return state.model.subnets.filter((s) => !s.public).map((subnet) => {
    const pool = state.subnetPools.get(subnet.id);
    const usable = pool?.usable ?? 0;
    const usedPeak = pool?.usedPeak() ?? 0;
    const freeMin = usable - usedPeak;
    return {
      id: subnet.id, cidr: subnet.cidr, availabilityZone: subnet.availabilityZone, usable, usedPeak, freeMin,
      freePercentMin: usable > 0 ? Math.round((1000 * freeMin) / usable) / 10 : 0, exhaustedPods: pool?.exhaustedPods ?? 0,
    };
  });
}

export function podPendingOf(pods: Iterable<SimPod>, t: number): PodPendingRecord[] {
  const out: PodPendingRecord[] = [];
  for (const pod of pods) {
    const open = pod.pendingSince !== undefined ? t - pod.pendingSince : 0;
    const total = pod.pendingSeconds + open;
    if (total <= 0) continue;
    const intervals = [...(pod.pendingIntervals ?? []), ...(open > 0 ? [{ from: pod.pendingSince as number, to: t, reason: pod.lastMessage }] : [])];
    out.push({ pod: pod.key, workload: pod.workload.key, pendingSeconds: total, reason: pod.pendingSince !== undefined ? pod.lastMessage : undefined, neverScheduled: pod.scheduledAt === undefined, intervals });
  }
  return out.sort((a, b) => b.pendingSeconds - a.pendingSeconds || a.pod.localeCompare(b.pod));
}

/** Each live node's requested CPU, memory and pod count now (the node view at the peak). */
export function nodeLoadsOf(state: ClusterState): NodeLoad[] {
  const loads = new Map<string, { requestedMilliCpu: number; requestedMemoryBytes: number; pods: number }>();
  for (const name of state.nodes.keys()) loads.set(name, { requestedMilliCpu: 0, requestedMemoryBytes: 0, pods: 0 });
  for (const pod of state.pods.values()) {
    const load = pod.nodeName ? loads.get(pod.nodeName) : undefined;
    if (!load) continue;
    load.requestedMilliCpu += pod.requests.milliCpu;
    load.requestedMemoryBytes += pod.requests.memoryBytes;
    load.pods += 1;
  }
  return [...loads.entries()].map(([name, load]) => ({ name, ...load }));
}

/** A point of the timeline for the cluster as it is now. */
export function timelinePoint(state: ClusterState, t: number, requestsPerSecond?: Record<string, number>, usage?: Map<string, { milliCpu: number; memoryBytes: number }>): TimelinePoint {
  const nodesByOwner: Record<string, number> = {};
  const nodesByInstanceType: Record<string, number> = {};
  let nodes = 0;
  let allocatableMilliCpu = 0;
  let allocatableMemoryBytes = 0;
  let requestedMilliCpu = 0;
  let requestedMemoryBytes = 0;
  let usdPerHour = 0;
  for (const node of state.nodes.values()) {
    nodes += 1;
    const owner = `${node.owner.kind}/${node.owner.name}`;
    nodesByOwner[owner] = (nodesByOwner[owner] ?? 0) + 1;
    nodesByInstanceType[node.instanceType.name] = (nodesByInstanceType[node.instanceType.name] ?? 0) + 1;
    usdPerHour += node.usdPerHour;
    if (!node.ready) continue;
    allocatableMilliCpu += node.info.allocatable.milliCpu;
    allocatableMemoryBytes += node.info.allocatable.memoryBytes;
    requestedMilliCpu += node.info.requested.milliCpu;
    requestedMemoryBytes += node.info.requested.memoryBytes;
  }
  let podsRunning = 0;
  let podsPending = 0;
  let usedMilliCpu = 0;
  let usedMemoryBytes = 0;
  const replicas: Record<string, number> = {};
  const pendingByWorkload: Record<string, number> = {};
  for (const pod of state.pods.values()) {
    if (pod.workload.daemonSet) continue;
    replicas[pod.workload.key] = (replicas[pod.workload.key] ?? 0) + 1;
    if (pod.phase === 'Running') {
      podsRunning += 1;
      const u = usage?.get(pod.workload.key);
      usedMilliCpu += u ? u.milliCpu : pod.requests.milliCpu;
      usedMemoryBytes += u ? u.memoryBytes : pod.requests.memoryBytes;
    } else if (pod.phase === 'Pending' || pod.lastMessage) {
      podsPending += 1;
      pendingByWorkload[pod.workload.key] = (pendingByWorkload[pod.workload.key] ?? 0) + 1;
    }
  }
  const freeIpsBySubnet: Record<string, number> = {};
  for (const subnet of state.model.subnets) if (!subnet.public) freeIpsBySubnet[subnet.id] = state.subnetPools.get(subnet.id)?.free() ?? 0;
  return {
    t, nodes, nodesByOwner: sortRecord(nodesByOwner), nodesByInstanceType: sortRecord(nodesByInstanceType), podsRunning, podsPending,
    replicas: sortRecord(replicas), pendingByWorkload: sortRecord(pendingByWorkload), requestedMilliCpu, usedMilliCpu: Math.round(usedMilliCpu), allocatableMilliCpu,
    requestedMemoryBytes, usedMemoryBytes: Math.round(usedMemoryBytes), allocatableMemoryBytes, freeIpsBySubnet, usdPerHour: Math.round(usdPerHour * 1e6) / 1e6,
    ...(requestsPerSecond ? { requestsPerSecond: sortRecord(requestsPerSecond) } : {}),
  };
}

export function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}

export interface ResultInputs {
  readonly state: ClusterState;
  readonly origin: string;
  readonly scenario: string;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly stepSeconds: number;
  readonly timeline: TimelinePoint[];
  readonly events: SimEvent[];
  readonly findings: Finding[];
  readonly peakNodes: number;
  readonly nodesByInstanceTypeAtPeak: Record<string, number>;
  readonly peakAt?: number;
  readonly nodeLoadAtPeak?: NodeLoad[];
  readonly peakPodsPending: number;
  readonly model: ClusterModel;
}

export function buildResult(inputs: ResultInputs): SimulationResult {
  const { state } = inputs;
  const podPending = podPendingOf([...state.pods.values(), ...state.deletedPods()], inputs.durationSeconds);
  const subnets = subnetUsageOf(state);
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    input: {
      origin: inputs.origin, scenario: inputs.scenario, seed: inputs.seed, region: state.region, durationSeconds: inputs.durationSeconds,
      stepSeconds: inputs.stepSeconds, kubernetesVersion: inputs.model.cluster?.version,
    },
    summary: {
      peakNodes: inputs.peakNodes,
      peakPodsPending: inputs.peakPodsPending,
      maxPendingSeconds: podPending.reduce((max, p) => Math.max(max, p.pendingSeconds), 0),
      pendingPodSeconds: podPending.reduce((sum, p) => sum + p.pendingSeconds, 0),
      minFreeSubnetIpsPercent: subnets.length > 0 ? Math.min(...subnets.map((s) => s.freePercentMin)) : 100,
      nodesByInstanceTypeAtPeak: sortRecord(inputs.nodesByInstanceTypeAtPeak),
      ...(inputs.peakAt !== undefined ? { peakAt: inputs.peakAt, nodeLoadAtPeak: inputs.nodeLoadAtPeak } : {}),
    },
    nodes: state.nodeHistory.map((n) => n.record),
    placements: placementsOf(state),
    pendingPods: pendingPodsOf(state),
    podPending,
    subnets,
    timeline: inputs.timeline,
    events: inputs.events,
    findings: inputs.findings,
  };
}

/** Measurements start at t = 0: what happened before (warm-up, settling) counts as having happened at 0. */
export function resetMeasurements(state: ClusterState): void {
  for (const pod of state.pods.values()) {
    pod.pendingSeconds = 0;
    pod.pendingIntervals = undefined;
    if (pod.pendingSince !== undefined) pod.pendingSince = 0;
  }
  for (const pool of state.subnetPools.values()) pool.exhaustedPods = 0;
  for (const node of state.nodeHistory) {
    const record = node.record as { launchedAt: number; readyAt?: number };
    if (record.launchedAt < 0) record.launchedAt = 0;
    if (record.readyAt !== undefined && record.readyAt < 0) record.readyAt = 0;
  }
}

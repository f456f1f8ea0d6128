import type { SimNode, SimPod } from '../autoscaling/types';
import type { ClusterModel } from '../model/cluster';
import { RESULT_SCHEMA_VERSION, type Finding, type NodeLoad, type PendingPod, type PodPendingRecord, type SimEvent, type SimulationResult, type SubnetUsage, type TimelinePoint, type WorkloadPlacement } from '../model/result';
import type { ClusterState, CountedReplicas } from './cluster-state';
import { newSimPod, type SimPodInit } from './sim-pod';
import { replicaName } from './workloads';

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
  for (const range of state.countedReplicas()) {
    const entry = byWorkload.get(range.workload.key) ?? { desired: 0, running: 0, pending: 0, nodes: {}, zones: {} };
    byWorkload.set(range.workload.key, entry);
    entry.desired += range.to - range.from;
    entry.pending += range.to - range.from;
  }
  return [...byWorkload.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workload, e]) => ({
    workload, desired: e.desired, running: e.running, pending: e.pending, nodes: sortRecord(e.nodes), zones: sortRecord(e.zones),
  }));
}

/** A run of more alike pending pods than this (one workload, one message, adjacent by name) is one entry with its count. */
export const MAX_LISTED_RUN = 100;

const byName = new Intl.Collator().compare;

/**
 * Pods pending at the end, by pod key. A run of more than MAX_LISTED_RUN pending pods of one workload with one
 * message, adjacent in name order, is one entry with its `count` (whether its pods were materialised or counted:
 * both give the same list).
 */
export function pendingPodsOf(state: ClusterState): PendingPod[] {
  const listed: PendingPod[] = [];
  for (const pod of state.pods.values()) {
    if (pod.phase === 'Pending' || (pod.phase === 'ContainerCreating' && pod.lastMessage)) {
      listed.push({ pod: pod.key, workload: pod.workload.key, phase: pod.phase === 'Pending' ? 'Pending' : 'ContainerCreating', message: pod.lastMessage ?? 'waiting to be scheduled' });
    }
  }
  listed.sort((a, b) => byName(a.pod, b.pod));
  // Merge the listed pods with the counted ranges in name order; a range is taken in chunks up to the next other pod.
  const keyOf = (range: CountedReplicas, ordinal: number) => `${range.workload.namespace}/${replicaName(range.workload, ordinal)}`;
  const ranges = state.countedReplicas().filter((r) => r.from < r.to).map((r) => ({ range: r, next: r.from }));
  type Chunk = { readonly workload: string; readonly phase: PendingPod['phase']; readonly message: string; readonly entry?: PendingPod; readonly range?: CountedReplicas; readonly from: number; readonly to: number };
  const chunks: Chunk[] = [];
  let index = 0;
  for (;;) {
    let head: (typeof ranges)[number] | undefined;
    for (const r of ranges) if (r.next < r.range.to && (!head || byName(keyOf(r.range, r.next), keyOf(head.range, head.next)) < 0)) head = r;
    const pod = listed[index];
    if (!head && !pod) break;
    if (!head || (pod && byName(pod.pod, keyOf(head.range, head.next)) < 0)) {
      chunks.push({ workload: pod.workload, phase: pod.phase, message: pod.message, entry: pod, from: 0, to: 1 });
      index += 1;
      continue;
    }
    let bound = pod?.pod;
    for (const r of ranges) if (r !== head && r.next < r.range.to && (bound === undefined || byName(keyOf(r.range, r.next), bound) < 0)) bound = keyOf(r.range, r.next);
    // Replica names sort in ordinal order: the first ordinal after `bound`.
    let low = head.next + 1;
    let high = head.range.to;
    while (bound !== undefined && low < high) {
      const mid = (low + high) >>> 1;
      if (byName(keyOf(head.range, mid), bound) < 0) low = mid + 1;
      else high = mid;
    }
    if (bound === undefined) low = head.range.to;
    chunks.push({ workload: head.range.workload.key, phase: 'Pending', message: head.range.message ?? 'waiting to be scheduled', range: head.range, from: head.next, to: low });
    head.next = low;
  }
  const out: PendingPod[] = [];
  for (let i = 0; i < chunks.length;) {
    let j = i;
    let count = 0;
    while (j < chunks.length && chunks[j].workload === chunks[i].workload && chunks[j].phase === chunks[i].phase && chunks[j].message === chunks[i].message) {
      count += chunks[j].to - chunks[j].from;
      j += 1;
    }
    const first = chunks[i];
    const last = chunks[j - 1];
    if (count > MAX_LISTED_RUN) {
      const pod = first.entry ? first.entry.pod : keyOf(first.range as CountedReplicas, first.from);
      const lastPod = last.entry ? last.entry.pod : keyOf(last.range as CountedReplicas, last.to - 1);
      out.push({ pod, workload: first.workload, phase: first.phase, message: first.message, count, lastPod });
    } else {
      for (let k = i; k < j; k += 1) {
        const chunk = chunks[k];
        if (chunk.entry) out.push(chunk.entry);
        else for (let ordinal = chunk.from; ordinal < chunk.to; ordinal += 1) out.push({ pod: keyOf(chunk.range as CountedReplicas, ordinal), workload: chunk.workload, phase: 'Pending', message: chunk.message });
      }
    }
    i = j;
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

/**
 * Counted replicas as pod records for the pending-time measures, only when they have waited by `t` (in a static
 * run they are created at t = 0 and have not, so none is made).
 */
function countedPods(state: ClusterState, t: number): SimPod[] {
  const out: SimPod[] = [];
  for (const range of state.countedReplicas()) {
    if (t - range.pendingSince <= 0) continue;
    for (let ordinal = range.from; ordinal < range.to; ordinal += 1) {
      // The pod object and its requests are not read for pending time (podPendingOf): none is made.
      out.push(newSimPod({
        key: `${range.workload.namespace}/${replicaName(range.workload, ordinal)}`, workload: range.workload, ordinal, createdAt: range.createdAt,
        pendingSince: range.pendingSince, lastMessage: range.message,
      } as SimPodInit));
    }
  }
  return out;
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

/**
 * A point of the timeline for the cluster as it is now. Without `detail` the per-workload records (replicas,
 * pending, requests per second) are left empty: the run measures peaks every step but keeps every k-th point.
 */
export function timelinePoint(state: ClusterState, t: number, requestsPerSecond?: ReadonlyMap<string, number>, usage?: Map<string, { milliCpu: number; memoryBytes: number }>, detail = true): TimelinePoint {
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
  const replicas = new Map<string, number>();
  const pendingByWorkload = new Map<string, number>();
  for (const pod of state.pods.values()) {
    if (pod.workload.daemonSet) continue;
    if (detail) replicas.set(pod.workload.key, (replicas.get(pod.workload.key) ?? 0) + 1);
    if (pod.phase === 'Running') {
      podsRunning += 1;
      const u = usage?.get(pod.workload.key);
      usedMilliCpu += u ? u.milliCpu : pod.requests.milliCpu;
      usedMemoryBytes += u ? u.memoryBytes : pod.requests.memoryBytes;
    } else if (pod.phase === 'Pending' || pod.lastMessage) {
      podsPending += 1;
      if (detail) pendingByWorkload.set(pod.workload.key, (pendingByWorkload.get(pod.workload.key) ?? 0) + 1);
    }
  }
  for (const range of state.countedReplicas()) {
    const count = range.to - range.from;
    podsPending += count;
    if (!detail) continue;
    replicas.set(range.workload.key, (replicas.get(range.workload.key) ?? 0) + count);
    pendingByWorkload.set(range.workload.key, (pendingByWorkload.get(range.workload.key) ?? 0) + count);
  }
  const freeIpsBySubnet: Record<string, number> = {};
  for (const subnet of state.model.subnets) if (!subnet.public) freeIpsBySubnet[subnet.id] = state.subnetPools.get(subnet.id)?.free() ?? 0;
  return {
    t, nodes, nodesByOwner: sortRecord(nodesByOwner), nodesByInstanceType: sortRecord(nodesByInstanceType), podsRunning, podsPending,
    replicas: inKeyOrder(state, replicas), pendingByWorkload: inKeyOrder(state, pendingByWorkload), requestedMilliCpu, usedMilliCpu: Math.round(usedMilliCpu), allocatableMilliCpu,
    requestedMemoryBytes, usedMemoryBytes: Math.round(usedMemoryBytes), allocatableMemoryBytes, freeIpsBySubnet, usdPerHour: Math.round(usdPerHour * 1e6) / 1e6,
    ...(requestsPerSecond ? { requestsPerSecond: detail ? inKeyOrder(state, requestsPerSecond) : {} } : {}),
  };
}

/**
 * Counts per workload key as a record in key order (what sortRecord gives), walking the keys the state sorted once (a
 * point per step over thousands of workloads must not sort them each time).
 */
function inKeyOrder(state: ClusterState, counts: ReadonlyMap<string, number>): Record<string, number> {
  const keys = state.workloadKeys;
  const out: Record<string, number> = {};
  if (counts.size === 0) return out;
  let emitted = 0;
  for (const key of keys) {
    const count = counts.get(key);
    if (count === undefined) continue;
    out[key] = count;
    emitted += 1;
  }
  // A key of a workload the state does not list (none today) falls back to sorting.
  return emitted === counts.size ? out : sortRecord(Object.fromEntries(counts));
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
  const podPending = podPendingOf([...state.pods.values(), ...state.deletedPods(), ...countedPods(state, inputs.durationSeconds)], inputs.durationSeconds);
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
  for (const range of state.countedReplicas()) range.pendingSince = 0;
  for (const pool of state.subnetPools.values()) pool.exhaustedPods = 0;
  for (const node of state.nodeHistory) {
    const record = node.record as { launchedAt: number; readyAt?: number };
    if (record.launchedAt < 0) record.launchedAt = 0;
    if (record.readyAt !== undefined && record.readyAt < 0) record.readyAt = 0;
  }
}

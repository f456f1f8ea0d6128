import { buildNode } from '../catalog';
import type { Node, Pod, Taint } from '../model/kubernetes';
import type { Scheduler } from '../scheduler/framework';
import { NodeInfo } from '../scheduler/node-info';
import { ClusterSnapshot } from '../scheduler/snapshot';
import type { CapacityType, ClusterView, SimPod } from './types';

let templateCounter = 0;

/** A node that does not exist yet, as an autoscaler imagines it: the type's allocatable, labels, taints, DaemonSet pods. */
export function templateNode(view: ClusterView, spec: { instanceType: string; zone: string; capacityType: CapacityType; maxPods: number; labels: Record<string, string>; taints: Taint[]; karpenter: boolean }): NodeInfo {
  templateCounter += 1;
  const node: Node = buildNode({ name: `template-${templateCounter}`, instanceType: spec.instanceType, zone: spec.zone, capacityType: spec.capacityType, maxPods: spec.maxPods, labels: spec.labels, taints: spec.taints, karpenter: spec.karpenter });
  const info = new NodeInfo(node);
  for (const pod of view.daemonSetPodsFor(node)) {
    const copy: Pod = { ...pod, metadata: { ...pod.metadata, name: `${pod.metadata.name}-${templateCounter}` } };
    if (view.scheduler.canSchedule(copy, info).fits) info.addPod(copy);
  }
  return info;
}

/**
 * First-fit over a list of (imagined) nodes, adding new ones from `makeNode` when a pod fits none
 * (cluster-autoscaler/estimator/binpacking_estimator.go). Pods are taken in the order given; callers sort them
 * largest first for first-fit-decreasing. With `cluster`, the estimate runs in a fork of the cluster snapshot
 * (reverted afterwards): existing pods count for topology spread and (anti-)affinity, but pods are only placed on
 * `existing` and the new nodes, as upstream restricts placement to the nodes it adds. Returns the nodes used and
 * the pods that fit none even when new.
 */
export function binPack(scheduler: Scheduler, pods: readonly SimPod[], existing: NodeInfo[], makeNode: (() => NodeInfo) | undefined, maxNew: number, cluster?: ClusterSnapshot): { newNodes: NodeInfo[]; placed: Map<string, NodeInfo>; unplaced: SimPod[] } {
  if (cluster) {
    return cluster.whatIf(() => {
      for (const node of existing) cluster.addNode(node);
      return pack(scheduler, pods, [...existing], cluster, makeNode, maxNew);
    });
  }
  return pack(scheduler, pods, [...existing], new ClusterSnapshot(existing), makeNode, maxNew);
}

/**
 * binpacking_estimator.go Estimate: per group of equivalent pods (one workload), each pod first tries every node it
 * may use (tryToScheduleOnExistingNodes); from the first that fits none, the group's remaining pods only try the
 * last node added, and a new node is added when they do not fit it (tryToScheduleOnNewNodes). A pod that does not
 * fit a fresh node stops nothing else but stays unplaced.
 */
function pack(scheduler: Scheduler, pods: readonly SimPod[], targets: NodeInfo[], snapshot: ClusterSnapshot, makeNode: (() => NodeInfo) | undefined, maxNew: number): { newNodes: NodeInfo[]; placed: Map<string, NodeInfo>; unplaced: SimPod[] } {
  const newNodes: NodeInfo[] = [];
  const placed = new Map<string, NodeInfo>();
  const unplaced: SimPod[] = [];
  let group: unknown;
  let onNewNodes = false;
  for (const pod of pods) {
    if (pod.workload !== group) { group = pod.workload; onNewNodes = false; }
    let target: NodeInfo | undefined;
    const newest = newNodes[newNodes.length - 1];
    if (newest && scheduler.canSchedule(pod.pod, newest, snapshot).fits) target = newest;
    for (let i = 0; !target && !onNewNodes && i < targets.length; i += 1) {
      const node = targets[i];
      if (node !== newest && scheduler.canSchedule(pod.pod, node, snapshot).fits) target = node;
    }
    if (!target && makeNode && newNodes.length < maxNew) {
      onNewNodes = true;
      const fresh = makeNode();
      if (scheduler.canSchedule(pod.pod, fresh, snapshot).fits) {
        snapshot.addNode(fresh);
        targets.push(fresh);
        newNodes.push(fresh);
        target = fresh;
      }
    }
    if (target) {
      snapshot.addPod(pod.pod, target.name);
      placed.set(pod.key, target);
    } else {
      unplaced.push(pod);
    }
  }
  return { newNodes, placed, unplaced };
}

/** Largest first by the sum of CPU and memory fractions of a reference node (first-fit-decreasing order). */
export function sortLargestFirst(pods: readonly SimPod[]): SimPod[] {
  return [...pods].sort((a, b) => (b.requests.milliCpu / 1000 + b.requests.memoryBytes / 2 ** 32) - (a.requests.milliCpu / 1000 + a.requests.memoryBytes / 2 ** 32) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

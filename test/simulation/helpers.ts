import type { Node, Pod, PodSpec, Taint } from '../../simulation/model/kubernetes';
import { NodeInfo } from '../../simulation/scheduler/node-info';

let counter = 0;

/** A v1.Pod with one container requesting cpu/memory (quantities) and extra spec fields. */
export function makePod(name: string, requests: Record<string, string> = {}, spec: Partial<PodSpec> = {}, labels: Record<string, string> = {}, namespace = 'default'): Pod {
  counter += 1;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: name || `pod-${counter}`, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'i', resources: Object.keys(requests).length > 0 ? { requests } : undefined }], ...spec },
  };
}

/** A v1.Node with allocatable resources, labels and taints. */
export function makeNode(name: string, allocatable: Record<string, string>, labels: Record<string, string> = {}, taints: Taint[] = [], unschedulable = false): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: { taints, unschedulable },
    status: { capacity: allocatable, allocatable },
  };
}

export function nodeInfo(name: string, allocatable: Record<string, string>, pods: Pod[] = [], labels: Record<string, string> = {}, taints: Taint[] = []): NodeInfo {
  const info = new NodeInfo(makeNode(name, allocatable, labels, taints));
  for (const pod of pods) info.addPod(pod);
  return info;
}

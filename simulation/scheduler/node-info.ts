import type { Node, Pod, Taint } from '../model/kubernetes';
import { podInfo } from './pod-info';
import { addInto, emptyResources, resourcesOf, type Resources } from './resources';

const NO_TAINTS: readonly Taint[] = Object.freeze([]);

let changes = 0;

/** How many pod additions and removals any NodeInfo has had: a snapshot's node table is current while this is unchanged. */
export function nodeInfoChanges(): number {
  return changes;
}

/**
 * A node with the pods on it and incremental aggregates (pkg/scheduler/framework/types.go NodeInfo):
 * requested resources, non-zero requests for scoring, host ports, and pods with required anti-affinity.
 */
export class NodeInfo {
  readonly node: Node;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly allocatable: Resources;
  readonly requested: Resources = emptyResources();
  readonly nonZeroRequested = { milliCpu: 0, memoryBytes: 0 };
  private readonly podMap = new Map<string, Pod>();
  readonly usedPorts = new Map<string, number>();
  /** Pods here whose required anti-affinity must be honoured by newcomers. */
  readonly podsWithRequiredAntiAffinity: Pod[] = [];
  /** Pods here with any pod (anti-)affinity term, whose terms score newcomers (upstream PodsWithAffinity). */
  readonly podsWithAffinity: Pod[] = [];
  /** Bumped on every change, for caches keyed on node state. */
  generation = 0;
  /** How many pods are bound here, as a plain field: the framework's resource check reads it for every node. */
  private numPods = 0;
  /**
   * NodeResourcesBalancedAllocation's cpu/memory balance of the node without the incoming pod (1.36 formula),
   * cached with the requests it was computed from: it depends on the node alone, and Score runs for every pod
   * and node. (Keyed on the requests, not the generation, which a snapshot revert restores.)
   */
  balanceWithoutPod = -1;
  balanceRequestedMilliCpu = -1;
  balanceRequestedMemoryBytes = -1;

  constructor(node: Node) {
    this.node = node;
    this.name = node.metadata.name ?? '';
    this.labels = node.metadata.labels ?? {};
    this.allocatable = resourcesOf(node.status?.allocatable, { input: `Node ${this.name}`, field: 'status.allocatable' });
  }

  /** Read live from the node, so taints added later (unreachable, cordon) take effect. */
  get taints(): readonly Taint[] {
    return this.node.spec?.taints ?? NO_TAINTS;
  }

  get pods(): readonly Pod[] {
    return [...this.podMap.values()];
  }

  podCount(): number {
    return this.numPods;
  }

  hasPod(key: string): boolean {
    return this.podMap.has(key);
  }

  forEachPod(fn: (pod: Pod) => void): void {
    for (const pod of this.podMap.values()) fn(pod);
  }

  addPod(pod: Pod): void {
    const info = podInfo(pod);
    if (this.podMap.has(info.key)) return;
    this.podMap.set(info.key, pod);
    this.numPods = this.podMap.size;
    changes += 1;
    addInto(this.requested, info.requests);
    this.nonZeroRequested.milliCpu += info.nonZero.milliCpu;
    this.nonZeroRequested.memoryBytes += info.nonZero.memoryBytes;
    for (const port of info.hostPorts) this.usedPorts.set(port, (this.usedPorts.get(port) ?? 0) + 1);
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(pod);
    if (info.hasAffinityTerms) this.podsWithAffinity.push(pod);
    this.generation += 1;
  }

  removePod(key: string): Pod | undefined {
    const pod = this.podMap.get(key);
    if (!pod) return undefined;
    const info = podInfo(pod);
    this.podMap.delete(key);
    this.numPods = this.podMap.size;
    changes += 1;
    addInto(this.requested, info.requests, -1);
    this.nonZeroRequested.milliCpu -= info.nonZero.milliCpu;
    this.nonZeroRequested.memoryBytes -= info.nonZero.memoryBytes;
    for (const port of info.hostPorts) {
      const n = (this.usedPorts.get(port) ?? 1) - 1;
      if (n <= 0) this.usedPorts.delete(port); else this.usedPorts.set(port, n);
    }
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.splice(this.podsWithRequiredAntiAffinity.indexOf(pod), 1);
    if (info.hasAffinityTerms) this.podsWithAffinity.splice(this.podsWithAffinity.indexOf(pod), 1);
    this.generation += 1;
    return pod;
  }
}

import type { LabelSelector, Pod } from '../model/kubernetes';
import { NodeInfo } from './node-info';
import { podInfo } from './pod-info';
import { matchesLabelSelector, selectorKey } from './selectors';

interface Counter {
  readonly namespaces: ReadonlySet<string> | 'all';
  readonly selector: LabelSelector;
  readonly topologyKey: string;
  readonly counts: Map<string, number>;
}

/**
 * The scheduler's view of the cluster: NodeInfos plus incremental counts of pods per topology domain for the
 * selectors that PodTopologySpread and InterPodAffinity ask about, so a scheduling cycle does not rescan
 * every pod (upstream rebuilds these per cycle in PreFilter; we keep them up to date as pods come and go).
 */
export class ClusterSnapshot {
  readonly nodes: NodeInfo[] = [];
  private readonly byName = new Map<string, NodeInfo>();
  private readonly counters = new Map<string, Counter>();
  /** Where each pod is bound. */
  private readonly podNode = new Map<string, NodeInfo>();
  /** The counters each pod matches, recomputed only when a counter is added (selectors are evaluated once per pod). */
  private readonly matchCache = new WeakMap<Pod, { version: number; counters: Counter[] }>();
  private counterVersion = 0;
  /** Nodes running pods with required anti-affinity, so InterPodAffinity need not scan every node. */
  readonly nodesWithAntiAffinity = new Set<NodeInfo>();

  constructor(nodes: readonly NodeInfo[] = []) {
    for (const node of nodes) this.addNode(node);
  }

  static fromNodes(nodes: readonly NodeInfo[]): ClusterSnapshot {
    return new ClusterSnapshot(nodes);
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  /** Adds a node at the end, or at `index` (to put back a node taken out for a what-if, in its old place). */
  addNode(node: NodeInfo, index?: number): void {
    if (this.byName.has(node.name)) return;
    if (index === undefined || index >= this.nodes.length) this.nodes.push(node);
    else this.nodes.splice(index, 0, node);
    this.byName.set(node.name, node);
    node.forEachPod((pod) => this.track(pod, node, 1));
  }

  removeNode(name: string): NodeInfo | undefined {
    const node = this.byName.get(name);
    if (!node) return undefined;
    node.forEachPod((pod) => this.track(pod, node, -1));
    this.nodesWithAntiAffinity.delete(node);
    this.byName.delete(name);
    this.nodes.splice(this.nodes.indexOf(node), 1);
    return node;
  }

  nodeOfPod(key: string): NodeInfo | undefined {
    return this.podNode.get(key);
  }

  /** Binds a pod to a node (assume + bind). */
  addPod(pod: Pod, nodeName: string): void {
    const node = this.byName.get(nodeName);
    if (!node) throw new Error(`snapshot has no node ${nodeName}`);
    if (node.hasPod(podInfo(pod).key)) return;
    node.addPod(pod);
    this.track(pod, node, 1);
  }

  removePod(key: string): Pod | undefined {
    const node = this.podNode.get(key);
    if (!node) return undefined;
    const pod = node.removePod(key);
    if (pod) this.track(pod, node, -1);
    return pod;
  }

  /** Pods matching a selector, per value of the topology key (nodes without the key are not counted). */
  countByDomain(namespaces: ReadonlySet<string> | 'all', selector: LabelSelector, topologyKey: string): ReadonlyMap<string, number> {
    const key = `${namespaces === 'all' ? '*' : [...namespaces].sort().join(',')}|${selectorKey(selector)}|${topologyKey}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { namespaces, selector, topologyKey, counts: new Map() };
      for (const node of this.nodes) {
        const domain = node.labels[topologyKey];
        if (domain === undefined) continue;
        node.forEachPod((pod) => {
          if (matches(counter as Counter, pod)) counter?.counts.set(domain, (counter.counts.get(domain) ?? 0) + 1);
        });
      }
      this.counters.set(key, counter);
      this.counterVersion += 1;
    }
    return counter.counts;
  }

  private countersFor(pod: Pod): Counter[] {
    let cached = this.matchCache.get(pod);
    if (!cached || cached.version !== this.counterVersion) {
      cached = { version: this.counterVersion, counters: [...this.counters.values()].filter((c) => matches(c, pod)) };
      this.matchCache.set(pod, cached);
    }
    return cached.counters;
  }

  private track(pod: Pod, node: NodeInfo, sign: 1 | -1): void {
    const info = podInfo(pod);
    const key = info.key;
    if (sign > 0) this.podNode.set(key, node); else this.podNode.delete(key);
    if (info.hasRequiredAntiAffinity) {
      if (node.podsWithRequiredAntiAffinity.length > 0 && this.byName.has(node.name)) this.nodesWithAntiAffinity.add(node);
      else this.nodesWithAntiAffinity.delete(node);
    }
    for (const counter of this.countersFor(pod)) {
      const domain = node.labels[counter.topologyKey];
      if (domain === undefined) continue;
      const next = (counter.counts.get(domain) ?? 0) + sign;
      if (next <= 0) counter.counts.delete(domain); else counter.counts.set(domain, next);
    }
  }
}

function matches(counter: Counter, pod: Pod): boolean {
  const info = podInfo(pod);
  if (counter.namespaces !== 'all' && !counter.namespaces.has(info.namespace)) return false;
  return matchesLabelSelector(counter.selector, info.labels);
}

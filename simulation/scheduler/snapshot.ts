import type { LabelSelector, Pod } from '../model/kubernetes';
import { NodeInfo } from './node-info';
import { podInfo } from './pod-info';
import { matchesLabelSelector, selectorKey } from './selectors';

/**
 * Which namespaces a count covers: a set of names, all, or names plus a namespace label selector (an affinity
 * term's `namespaces` and `namespaceSelector`, matched against the labels given by `setNamespaceLabels`).
 */
export type NamespaceFilter = ReadonlySet<string> | 'all' | { readonly names: ReadonlySet<string>; readonly selector: LabelSelector };

interface Counter {
  readonly namespaces: NamespaceFilter;
  readonly selector: LabelSelector;
  /** Counts per value of this node label; undefined counts per node name. */
  readonly topologyKey: string | undefined;
  /** PodTopologySpread's countPodsMatchSelector leaves out terminating pods (deletionTimestamp set). */
  readonly skipTerminating: boolean;
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
  /**
   * The counters each bound pod (by key) was counted in, so removing it undoes exactly what adding it did; pods
   * counted nowhere have no entry (the common case costs no map operation).
   */
  private readonly counted = new Map<string, Counter[]>();
  /** Namespace labels, for affinity terms with a namespaceSelector. */
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  /** Nodes running pods with required anti-affinity, so InterPodAffinity need not scan every node. */
  readonly nodesWithAntiAffinity = new Set<NodeInfo>();
  /**
   * Undo journals of open forks, innermost last (kubernetes/autoscaler cluster-autoscaler/simulator/clustersnapshot:
   * Fork() / Revert() / Commit()). Each entry undoes one change; a revert replays them backwards.
   */
  private forks: (() => void)[][] = [];

  constructor(nodes: readonly NodeInfo[] = []) {
    for (const node of nodes) this.addNode(node);
  }

  static fromNodes(nodes: readonly NodeInfo[]): ClusterSnapshot {
    return new ClusterSnapshot(nodes);
  }

  /**
   * Starts a what-if: every change after this (nodes and pods added or removed) is undone by `revert()` or
   * kept by `commit()`. Forks nest. Cheap: it records the inverse of each change, it copies nothing.
   */
  fork(): void {
    this.forks.push([]);
  }

  /** Undoes every change since the matching `fork()`, restoring node order and node generations. */
  revert(): void {
    const journal = this.forks.pop();
    if (!journal) throw new Error('ClusterSnapshot.revert() without fork()');
    const outer = this.forks;
    // Replaying the inverses must not journal them again.
    this.forks = [];
    try {
      for (let i = journal.length - 1; i >= 0; i -= 1) journal[i]();
    } finally {
      this.forks = outer;
    }
  }

  /** Keeps the changes since the matching `fork()` (into the enclosing fork, if any). */
  commit(): void {
    const journal = this.forks.pop();
    if (!journal) throw new Error('ClusterSnapshot.commit() without fork()');
    this.forks[this.forks.length - 1]?.push(...journal);
  }

  /** Runs `fn` in a fork and reverts, whatever it returns or throws. */
  whatIf<T>(fn: () => T): T {
    this.fork();
    try {
      return fn();
    } finally {
      this.revert();
    }
  }

  /** Whether a fork is open. */
  get forked(): boolean {
    return this.forks.length > 0;
  }

  private journal(undo: () => void): void {
    this.forks[this.forks.length - 1]?.push(undo);
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
    if (this.forks.length > 0) this.journal(() => this.removeNode(node.name));
  }

  removeNode(name: string): NodeInfo | undefined {
    const node = this.byName.get(name);
    if (!node) return undefined;
    node.forEachPod((pod) => this.track(pod, node, -1));
    this.nodesWithAntiAffinity.delete(node);
    this.byName.delete(name);
    const index = this.nodes.indexOf(node);
    this.nodes.splice(index, 1);
    if (this.forks.length > 0) this.journal(() => this.addNode(node, index));
    return node;
  }

  nodeOfPod(key: string): NodeInfo | undefined {
    return this.podNode.get(key);
  }

  /** Binds a pod to a node (assume + bind). */
  addPod(pod: Pod, nodeName: string): void {
    const node = this.byName.get(nodeName);
    if (!node) throw new Error(`snapshot has no node ${nodeName}`);
    const key = podInfo(pod).key;
    if (node.hasPod(key)) return;
    const generation = node.generation;
    node.addPod(pod);
    this.track(pod, node, 1);
    if (this.forks.length > 0) this.journal(() => { this.removePod(key); node.generation = generation; });
  }

  removePod(key: string): Pod | undefined {
    const node = this.podNode.get(key);
    if (!node) return undefined;
    const generation = node.generation;
    const pod = node.removePod(key);
    if (pod) this.track(pod, node, -1);
    if (pod && this.forks.length > 0) this.journal(() => { this.addPod(pod, node.name); node.generation = generation; });
    return pod;
  }

  /** Sets a namespace's labels (from its Namespace object); counts with a namespaceSelector are rebuilt. */
  setNamespaceLabels(namespace: string, labels: Record<string, string>): void {
    this.namespaceLabels.set(namespace, labels);
    for (const [key, counter] of this.counters) if (typeof counter.namespaces === 'object' && 'selector' in counter.namespaces) this.counters.delete(key);
    this.counterVersion += 1;
  }

  /** A namespace's labels as last set (empty when unknown, as for a namespace without labels). */
  labelsOfNamespace(namespace: string): Record<string, string> {
    return this.namespaceLabels.get(namespace) ?? {};
  }

  /** Whether a namespace is in a filter. */
  namespaceMatches(filter: NamespaceFilter, namespace: string): boolean {
    if (filter === 'all') return true;
    if ('selector' in filter) return filter.names.has(namespace) || matchesLabelSelector(filter.selector, this.labelsOfNamespace(namespace));
    return filter.has(namespace);
  }

  /**
   * Pods matching a selector, per value of the topology key (nodes without the key are not counted);
   * `skipTerminating` leaves out pods with a deletionTimestamp, as PodTopologySpread counts.
   */
  countByDomain(namespaces: NamespaceFilter, selector: LabelSelector, topologyKey: string, skipTerminating = false): ReadonlyMap<string, number> {
    return this.counter(namespaces, selector, topologyKey, skipTerminating).counts;
  }

  /** Pods matching a selector per node name, terminating pods left out (podtopologyspread countPodsMatchSelector). */
  countByNode(namespaces: NamespaceFilter, selector: LabelSelector): ReadonlyMap<string, number> {
    return this.counter(namespaces, selector, undefined, true).counts;
  }

  private counter(namespaces: NamespaceFilter, selector: LabelSelector, topologyKey: string | undefined, skipTerminating: boolean): Counter {
    const key = `${namespaceKey(namespaces)}|${selectorKey(selector)}|${topologyKey ?? ''}|${skipTerminating ? 't' : ''}`;
    let counter = this.counters.get(key);
    if (!counter) {
      const created: Counter = { namespaces, selector, topologyKey, skipTerminating, counts: new Map() };
      for (const node of this.nodes) {
        const domain = topologyKey === undefined ? node.name : node.labels[topologyKey];
        if (domain === undefined) continue;
        node.forEachPod((pod) => {
          if (!this.matches(created, pod)) return;
          created.counts.set(domain, (created.counts.get(domain) ?? 0) + 1);
          // Copy on write: the pod's list may be the shared match cache.
          const key = podInfo(pod).key;
          const list = this.counted.get(key);
          this.counted.set(key, list ? [...list, created] : [created]);
        });
      }
      this.counters.set(key, created);
      this.counterVersion += 1;
      counter = created;
    }
    return counter;
  }

  private countersFor(pod: Pod): Counter[] {
    let cached = this.matchCache.get(pod);
    if (!cached || cached.version !== this.counterVersion) {
      cached = { version: this.counterVersion, counters: [...this.counters.values()].filter((c) => this.matches(c, pod)) };
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
    let counters: Counter[];
    if (sign > 0) {
      counters = this.countersFor(pod);
      if (counters.length > 0) this.counted.set(key, counters);
    } else {
      counters = this.counted.get(key) ?? NO_COUNTERS;
      if (counters.length > 0) this.counted.delete(key);
    }
    for (const counter of counters) {
      const domain = counter.topologyKey === undefined ? node.name : node.labels[counter.topologyKey];
      if (domain === undefined) continue;
      const next = (counter.counts.get(domain) ?? 0) + sign;
      if (next <= 0) counter.counts.delete(domain); else counter.counts.set(domain, next);
    }
  }

  private matches(counter: Counter, pod: Pod): boolean {
    const info = podInfo(pod);
    if (counter.skipTerminating && pod.metadata.deletionTimestamp) return false;
    if (!this.namespaceMatches(counter.namespaces, info.namespace)) return false;
    return matchesLabelSelector(counter.selector, info.labels);
  }
}

const NO_COUNTERS: Counter[] = [];

function namespaceKey(filter: NamespaceFilter): string {
  if (filter === 'all') return '*';
  if ('selector' in filter) return `${[...filter.names].sort().join(',')}+${selectorKey(filter.selector)}`;
  return [...filter].sort().join(',');
}

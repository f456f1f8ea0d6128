import type { LabelSelector, Pod } from '../model/kubernetes';
import { NodeInfo, nodeInfoChanges } from './node-info';
import { NodeTable } from './node-table';
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
  /** The counters of frozen selectors, by selector object and then namespaces, topology key and terminating flag. */
  private countersBySelector = new WeakMap<LabelSelector, Map<string, Counter>>();
  /**
   * Where each pod is bound (null: unbound inside a what-if). What-ifs unbind and bind the same pods again and
   * again: they overwrite entries, and only changes outside any what-if delete them (a map that keeps losing and
   * gaining keys keeps rehashing).
   */
  private readonly podNode = new Map<string, NodeInfo | null>();
  /** How many pods are bound to this snapshot's nodes. */
  private boundPods = 0;
  /** The counters each pod matches, recomputed only when a counter is added (selectors are evaluated once per pod). */
  private readonly matchCache = new WeakMap<Pod, { version: number; counters: Counter[] }>();
  private counterVersion = 0;
  /**
   * Counters by one `key=value` pair their selector's matchLabels require, and those with no matchLabels: a pod is
   * tested only against counters it can match, and a new counter counts only the bound pods with that pair
   * (thousands of workloads, each with its own spread selector, would otherwise cost workloads × pods).
   */
  private readonly countersByPair = new Map<string, Counter[]>();
  private readonly unpairedCounters: Counter[] = [];
  /**
   * Bound pods by label pair (see countersByPair), kept from the first counter that has a pair (plain pods pay
   * nothing). It indexes the snapshot outside any fork: what-ifs (which add and take away the same pods again and
   * again) leave it alone, and a counter made inside one counts by a full scan instead.
   */
  private readonly podsByPair = new Map<string, Map<Pod, NodeInfo>>();
  private podsIndexed = false;
  /** Inside what-ifs: the pods they bound (a node) and unbound (null), in order, over the pod index. Emptied when the last fork ends. */
  private readonly forkMoves: { pod: Pod; node: NodeInfo | null }[] = [];
  /** A revert is replaying its journal: its changes undo ones the pod index never saw. */
  private replaying = false;
  private readonly podPairs = new WeakMap<Pod, readonly string[]>();
  /**
   * The counters each bound pod (by key) was counted in, so removing it undoes exactly what adding it did; pods
   * counted nowhere have no entry (the common case costs no map operation).
   */
  private readonly counted = new Map<string, Counter[]>();
  /** Namespace labels, for affinity terms with a namespaceSelector. */
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  /** Nodes running pods with required anti-affinity, so InterPodAffinity need not scan every node. */
  readonly nodesWithAntiAffinity = new Set<NodeInfo>();
  /** Nodes running pods with any affinity term (upstream HavePodsWithAffinityList), for InterPodAffinity scoring. */
  readonly nodesWithAffinity = new Set<NodeInfo>();
  /** Told of every pod with affinity terms bound here (1) or unbound (-1): InterPodAffinity's term index (affinity-index.ts). */
  private readonly affinityWatchers: ((pod: Pod, node: NodeInfo, sign: 1 | -1) => void)[] = [];
  /**
   * Undo journals of open forks, innermost last (kubernetes/autoscaler cluster-autoscaler/simulator/clustersnapshot:
   * Fork() / Revert() / Commit()). Each entry undoes one change; a revert replays them backwards.
   */
  private forks: (() => void)[][] = [];
  /** The nodes' Filter/Score numbers in flat arrays (see nodeTable), built at the first schedule() on this snapshot. */
  private table: NodeTable | undefined;
  /** nodeInfoChanges() when the table was last known current. */
  private tableChanges = nodeInfoChanges();

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
    const replaying = this.replaying;
    this.replaying = true;
    try {
      for (let i = journal.length - 1; i >= 0; i -= 1) journal[i]();
    } finally {
      this.forks = outer;
      this.replaying = replaying;
    }
    if (this.settled()) {
      this.forkMoves.length = 0;
      // Pods a what-if bound and its revert unbound (pending pods it tried) leave null entries: dropped now and then.
      if (this.podNode.size > 2 * this.boundPods + 1024) this.compact();
    }
  }

  /** Keeps the changes since the matching `fork()` (into the enclosing fork, if any). */
  commit(): void {
    const journal = this.forks.pop();
    if (!journal) throw new Error('ClusterSnapshot.commit() without fork()');
    this.forks[this.forks.length - 1]?.push(...journal);
    // The fork's changes are kept outside any fork now, and the pod index never saw them: it is rebuilt when next needed.
    if (this.forks.length === 0 && this.forkMoves.length > 0) {
      this.podsIndexed = false;
      this.podsByPair.clear();
      this.forkMoves.length = 0;
    }
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

  /** No what-if is open or being undone: changes now are the snapshot's own, which the pod index follows. */
  private settled(): boolean {
    return this.forks.length === 0 && !this.replaying;
  }

  /** Drops the entries of pods bound nowhere (see podNode). */
  private compact(): void {
    for (const [key, node] of this.podNode) if (node === null) this.podNode.delete(key);
    for (const [key, counters] of this.counted) if (counters.length === 0) this.counted.delete(key);
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
    const at = index === undefined || index >= this.nodes.length ? this.nodes.length : index;
    if (at === this.nodes.length) this.nodes.push(node);
    else this.nodes.splice(at, 0, node);
    this.table?.insert(node, at);
    this.byName.set(node.name, node);
    node.forEachPod((pod) => this.track(pod, node, 1));
    if (this.forks.length > 0) this.journal(() => this.removeNode(node.name));
  }

  removeNode(name: string): NodeInfo | undefined {
    const node = this.byName.get(name);
    if (!node) return undefined;
    node.forEachPod((pod) => this.track(pod, node, -1));
    this.nodesWithAntiAffinity.delete(node);
    this.nodesWithAffinity.delete(node);
    this.byName.delete(name);
    const index = this.nodes.indexOf(node);
    this.nodes.splice(index, 1);
    this.table?.delete(node, index);
    if (this.forks.length > 0) this.journal(() => this.addNode(node, index));
    return node;
  }

  nodeOfPod(key: string): NodeInfo | undefined {
    return this.podNode.get(key) ?? undefined;
  }

  /** Binds a pod to a node (assume + bind). */
  addPod(pod: Pod, nodeName: string): void {
    const node = this.byName.get(nodeName);
    if (!node) throw new Error(`snapshot has no node ${nodeName}`);
    const key = podInfo(pod).key;
    if (node.hasPod(key)) return;
    const generation = node.generation;
    const current = this.tableChanges === nodeInfoChanges();
    node.addPod(pod);
    this.keepTable(node, current);
    this.track(pod, node, 1);
    if (this.forks.length > 0) this.journal(() => { this.removePod(key); node.generation = generation; });
  }

  removePod(key: string): Pod | undefined {
    const node = this.podNode.get(key);
    if (!node) return undefined;
    const generation = node.generation;
    const current = this.tableChanges === nodeInfoChanges();
    const pod = node.removePod(key);
    this.keepTable(node, current);
    if (pod) this.track(pod, node, -1);
    if (pod && this.forks.length > 0) this.journal(() => { this.addPod(pod, node.name); node.generation = generation; });
    return pod;
  }

  /**
   * The nodes' Filter/Score numbers (allocatable, requested, non-zero requested, pod count, spec) in flat arrays
   * in snapshot order, for the framework's loop over every node. NodeInfo stays the source of truth: pods bound
   * through this snapshot update their node's row; a change to any NodeInfo made elsewhere (another snapshot
   * sharing the node, an autoscaler's template node) is seen through the global change count, and the table is
   * then re-read whole before it is handed out.
   */
  nodeTable(): NodeTable {
    const changes = nodeInfoChanges();
    if (!this.table) {
      // Snapshots made for one check (canSchedule on a template node) never build one.
      const table = new NodeTable();
      this.nodes.forEach((node, i) => table.insert(node, i));
      this.table = table;
      this.tableChanges = changes;
    } else if (this.tableChanges !== changes) {
      this.table.refresh(this.nodes);
      this.tableChanges = changes;
    }
    return this.table;
  }

  /** After a pod change on `node`: its row is updated, and the table stays current if it was before. */
  private keepTable(node: NodeInfo, wasCurrent: boolean): void {
    if (!wasCurrent || !this.table) return;
    this.table.update(node);
    this.tableChanges = nodeInfoChanges();
  }

  /** Calls `watcher` for every pod with an affinity term bound to (1) or unbound from (-1) this snapshot's nodes from now on. */
  watchAffinityPods(watcher: (pod: Pod, node: NodeInfo, sign: 1 | -1) => void): void {
    this.affinityWatchers.push(watcher);
  }

  /** Sets a namespace's labels (from its Namespace object); counts with a namespaceSelector are rebuilt. */
  setNamespaceLabels(namespace: string, labels: Record<string, string>): void {
    this.namespaceLabels.set(namespace, labels);
    for (const [key, counter] of this.counters) if (typeof counter.namespaces === 'object' && 'selector' in counter.namespaces) this.counters.delete(key);
    this.countersBySelector = new WeakMap();
    this.countersByPair.clear();
    this.unpairedCounters.length = 0;
    for (const counter of this.counters.values()) this.indexCounter(counter);
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
    // A frozen selector (a shared pod spec's) finds its counters by identity, without its canonical key being built.
    const frozen = Object.isFrozen(selector);
    const local = `${namespaceKey(namespaces)}|${topologyKey ?? ''}|${skipTerminating ? 't' : ''}`;
    const memo = frozen ? this.countersBySelector.get(selector) : undefined;
    const known = memo?.get(local);
    if (known) return known;
    const key = `${local}|${selectorKey(selector)}`;
    let counter = this.counters.get(key);
    if (!counter) {
      const created: Counter = { namespaces, selector, topologyKey, skipTerminating, counts: new Map() };
      const countPod = (pod: Pod, domain: string) => {
        created.counts.set(domain, (created.counts.get(domain) ?? 0) + 1);
        // Copy on write: the pod's list may be the shared match cache.
        const key = podInfo(pod).key;
        const list = this.counted.get(key);
        this.counted.set(key, list ? [...list, created] : [created]);
      };
      // The pod index is built outside what-ifs only (inside one, a first counter with a pair counts by a full scan).
      const pair = !this.settled() && !this.podsIndexed ? undefined : requiredPair(selector);
      if (pair === undefined) {
        for (const node of this.nodes) {
          const domain = topologyKey === undefined ? node.name : node.labels[topologyKey];
          if (domain === undefined) continue;
          node.forEachPod((pod) => { if (this.matches(created, pod)) countPod(pod, domain); });
        }
      } else {
        // Only pods carrying the pair can match; their domains enter the counts in node order, as a full scan's would.
        if (!this.podsIndexed) {
          this.podsIndexed = true;
          for (const node of this.nodes) node.forEachPod((pod) => this.indexPod(pod, node, 1));
        }
        const matched = new Map<NodeInfo, Pod[]>();
        const add = (pod: Pod, node: NodeInfo) => {
          if (!this.matches(created, pod)) return;
          const list = matched.get(node);
          if (list) list.push(pod); else matched.set(node, [pod]);
        };
        // Inside a what-if: the index as it was before, with the pods the what-ifs moved where they are now.
        const moves = new Map<Pod, NodeInfo | null>();
        for (const move of this.forkMoves) moves.set(move.pod, move.node);
        for (const [pod, node] of this.podsByPair.get(pair) ?? []) if (!moves.has(pod)) add(pod, node);
        for (const [pod, node] of moves) if (node && this.pairsOf(pod).includes(pair)) add(pod, node);
        if (matched.size > 0) {
          for (const node of this.nodes) {
            const pods = matched.get(node);
            if (!pods) continue;
            const domain = topologyKey === undefined ? node.name : node.labels[topologyKey];
            if (domain === undefined) continue;
            for (const pod of pods) countPod(pod, domain);
          }
        }
      }
      this.counters.set(key, created);
      this.indexCounter(created);
      this.counterVersion += 1;
      counter = created;
    }
    if (memo) memo.set(local, counter);
    else if (frozen) this.countersBySelector.set(selector, new Map([[local, counter]]));
    return counter;
  }

  private countersFor(pod: Pod): Counter[] {
    // No selector asked about yet (plain pods only): nothing to match, and no cache entry per pod.
    if (this.counters.size === 0) return NO_COUNTERS;
    let cached = this.matchCache.get(pod);
    if (!cached || cached.version !== this.counterVersion) {
      const counters: Counter[] = [];
      for (const c of this.unpairedCounters) if (this.matches(c, pod)) counters.push(c);
      for (const pair of this.pairsOf(pod)) for (const c of this.countersByPair.get(pair) ?? NO_COUNTERS) if (this.matches(c, pod)) counters.push(c);
      cached = { version: this.counterVersion, counters };
      this.matchCache.set(pod, cached);
    }
    return cached.counters;
  }

  private indexPod(pod: Pod, node: NodeInfo, sign: 1 | -1): void {
    for (const pair of this.pairsOf(pod)) {
      let pods = this.podsByPair.get(pair);
      if (sign > 0) {
        if (!pods) this.podsByPair.set(pair, (pods = new Map()));
        pods.set(pod, node);
      } else if (pods) {
        pods.delete(pod);
        if (pods.size === 0) this.podsByPair.delete(pair);
      }
    }
  }

  private indexCounter(counter: Counter): void {
    const pair = requiredPair(counter.selector);
    if (pair === undefined) { this.unpairedCounters.push(counter); return; }
    const list = this.countersByPair.get(pair);
    if (list) list.push(counter); else this.countersByPair.set(pair, [counter]);
  }

  private pairsOf(pod: Pod): readonly string[] {
    let pairs = this.podPairs.get(pod);
    if (!pairs) {
      const labels = podInfo(pod).labels;
      pairs = Object.keys(labels).map((k) => labelPair(k, labels[k]));
      this.podPairs.set(pod, pairs);
    }
    return pairs;
  }

  private track(pod: Pod, node: NodeInfo, sign: 1 | -1): void {
    const info = podInfo(pod);
    const key = info.key;
    const settled = this.settled();
    this.boundPods += sign;
    if (sign > 0) this.podNode.set(key, node); else if (settled) this.podNode.delete(key); else this.podNode.set(key, null);
    if (this.podsIndexed) {
      if (settled) this.indexPod(pod, node, sign);
      else this.forkMoves.push({ pod, node: sign > 0 ? node : null });
    }
    if (info.hasRequiredAntiAffinity) {
      if (node.podsWithRequiredAntiAffinity.length > 0 && this.byName.has(node.name)) this.nodesWithAntiAffinity.add(node);
      else this.nodesWithAntiAffinity.delete(node);
    }
    if (info.hasAffinityTerms) {
      if (node.podsWithAffinity.length > 0 && this.byName.has(node.name)) this.nodesWithAffinity.add(node);
      else this.nodesWithAffinity.delete(node);
      for (const watcher of this.affinityWatchers) watcher(pod, node, sign);
    }
    let counters: Counter[];
    if (sign > 0) {
      counters = this.countersFor(pod);
      if (counters.length > 0) this.counted.set(key, counters);
    } else {
      counters = this.counted.get(key) ?? NO_COUNTERS;
      if (counters.length > 0) {
        if (settled) this.counted.delete(key); else this.counted.set(key, NO_COUNTERS);
      }
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

function labelPair(key: string, value: unknown): string {
  return `${key}\u0000${String(value)}`;
}

/** One `key=value` pair a selector requires (its first matchLabels entry), or undefined when it has none. */
function requiredPair(selector: LabelSelector): string | undefined {
  for (const key of Object.keys(selector.matchLabels ?? {})) return labelPair(key, (selector.matchLabels as Record<string, string>)[key]);
  return undefined;
}

function namespaceKey(filter: NamespaceFilter): string {
  if (filter === 'all') return '*';
  if ('selector' in filter) return `${[...filter.names].sort().join(',')}+${selectorKey(filter.selector)}`;
  if (filter.size === 1) for (const name of filter) return name;
  return [...filter].sort().join(',');
}

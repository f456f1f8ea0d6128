import type { Pod } from '../model/kubernetes';
import { DraExtendedResources, type DraObjects } from './dra';
import { resolveFeatures, type Features, type FeatureOptions } from './features';
import type { NodeInfo } from './node-info';
import { podInfo, requiredNodeSelectorId } from './pod-info';
import { FITS, isErrorStatus, SKIP, statusCode, type CycleState, type FilterPlugin, type FilterStatus, type ScorePlugin, type StatusCode } from './plugin';
import { NodeAffinity, NODE_AFFINITY_MISMATCH } from './plugins/node-affinity';
import type { ScoringStrategyType } from './plugins/node-resources-fit';
import { resolveProfile, type KubeSchedulerProfile } from './profile';
import { createRng } from './rng';
import type { NodeTable } from './node-table';
import { podMatchesNodeLabels } from './selectors';
import { ClusterSnapshot } from './snapshot';

export interface SchedulerOptions extends FeatureOptions {
  /** Seed of the tie-break between equally scored nodes. @default 1 */
  readonly seed?: number;
  /** Percentage of nodes to find feasible before scoring; 0 for upstream's adaptive default, 100 to score every feasible node. @default the profile's, else 0 */
  readonly percentageOfNodesToScore?: number;
  /** NodeResourcesFit scoring type, over the profile's. @default the profile's (LeastAllocated) */
  readonly scoringStrategy?: ScoringStrategyType;
  /** Score plugin weights by name, over the profile's; 0 leaves a plugin out of scoring. */
  readonly weights?: Record<string, number>;
  /**
   * The scheduler profile as data: plugin set, weights and plugin args, shaped like a KubeSchedulerConfiguration
   * `profiles[]` entry (see `profileFromConfiguration`). @default upstream's default profile
   */
  readonly profile?: KubeSchedulerProfile;
  /**
   * The cluster's DeviceClasses, ResourceSlices and claimed devices: with DRAExtendedResource on, an extended resource
   * no node advertises is satisfied by a DeviceClass naming it, from the node's devices. @default none
   */
  readonly dra?: DraObjects;
}

export interface ScheduleResult {
  /** The chosen node, when the pod fits somewhere. */
  readonly node?: string;
  /** Why nodes were rejected: reason → number of nodes. */
  readonly reasons: Record<string, number>;
  /** Upstream-style message: `0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {CriticalAddonsOnly: true}.` */
  readonly message: string;
  readonly feasibleNodes: number;
  readonly evaluatedNodes: number;
  /** Rejected nodes whose status was UnschedulableAndUnresolvable (preemption skips them). */
  readonly unresolvableNodes: number;
  /** Set when a plugin returned an Error status: the cycle failed without judging the nodes (upstream retries the pod). */
  readonly error?: string;
}

/** One node's filter answer. */
export interface FitResult {
  readonly fits: boolean;
  readonly reasons: readonly string[];
  /** The status code when it does not fit. */
  readonly code?: StatusCode;
}

/**
 * The filters PreFilter kept for a pod, and the inline checks (FilterPlugin.fastPass) that stand in for some of
 * them on the common path. Shared by every pod with the same PreFilter outcome (built once per outcome).
 */
interface FilterPlan {
  /** Every filter PreFilter kept, in profile order: the whole chain, run when an inline check does not hold. */
  readonly filters: readonly FilterPlugin[];
  /** The kept filters without an inline check for this pod, in profile order: called for nodes that pass the checks. */
  readonly called: readonly FilterPlugin[];
  readonly checkSchedulable: boolean;
  readonly checkUntainted: boolean;
  readonly checkResources: boolean;
  /** NodeAffinity was kept: its Filter (the pod's required node selector against the node's labels) is checked inline, from the node table's selector memo. */
  readonly checkAffinity: boolean;
  /**
   * Every filter before NodeAffinity in `filters` is one the spec checks stand in for: a node passing those checks
   * whose labels do not match is rejected by NodeAffinity first, so its status is NodeAffinity's without running the chain.
   */
  readonly affinityDecides: boolean;
}

const EMPTY_STAMPS = new Float64Array(0);
const EMPTY_MATCHES = new Uint8Array(0);

/** What one Filter pass over the nodes found (see Scheduler.findFeasible). */
interface FilterPass {
  found: number;
  processed: number;
  unresolvable: number;
  untainted: boolean;
}

/** One pod's Filter work: its plan and the requests the inline resource check compares. Nothing is allocated per node. */
interface FilterCycle extends FilterPlan {
  readonly pod: Pod;
  readonly state: CycleState;
  readonly milliCpu: number;
  readonly memoryBytes: number;
  readonly ephemeralStorageBytes: number;
  /** The pod's required node selector id (requiredNodeSelectorId) when `checkAffinity`, else 0. */
  readonly selectorId: number;
}

// pkg/scheduler/schedule_one.go: minFeasibleNodesToFind and the adaptive percentage (50 − nodes/125, at least 5).
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

export function numFeasibleNodesToFind(numAllNodes: number, percentage: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
  let adaptive = percentage;
  if (adaptive <= 0) {
    adaptive = 50 - Math.floor(numAllNodes / 125);
    if (adaptive < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) adaptive = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const num = Math.floor((numAllNodes * adaptive) / 100);
  return num < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : num;
}

/** `0/N nodes are available: <count reason, sorted>.` as upstream FitError.Error() formats it. */
export function unschedulableMessage(numAllNodes: number, reasons: Record<string, number>): string {
  const parts = Object.entries(reasons).map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${numAllNodes} nodes are available${parts.length > 0 ? `: ${parts.join(', ')}.` : '.'}`;
}

/**
 * The kube-scheduler framework (pkg/scheduler/schedule_one.go): PreFilter → Filter over nodes (stopping once
 * enough feasible nodes are found) → PreScore/Score → NormalizeScore × weight → the highest total, ties broken
 * by a seeded random choice. Does not bind: callers bind with `ClusterSnapshot.addPod`.
 */
export class Scheduler {
  readonly filters: FilterPlugin[];
  readonly scorers: ScorePlugin[];
  /** The Kubernetes version and feature gates the plugins follow. */
  readonly features: Features;
  /** Score weight per scorer, aligned with `scorers` (read once per pod, not looked up by name). */
  private readonly scorerWeights: number[];
  private readonly percentage: number;
  private readonly random: () => number;
  private nextStartNodeIndex = 0;
  // Scratch reused by every schedule() (Filter and Score run per pod and node; a fresh array per pod is
  // garbage the collector then spends a tenth of the run on). Never handed out: results carry names only.
  // feasibleScratch keeps the last cycle's nodes until the next one overwrites them (clearing it would drop its
  // backing store, regrown by every pod).
  private feasibleScratch: NodeInfo[] = [];
  private totalsScratch = new Float64Array(0);
  private scoresScratch: number[] = [];
  private rawScratch = new Float64Array(0);
  private rowsScratch = new Int32Array(0);
  private readonly passScratch: FilterPass = { found: 0, processed: 0, unresolvable: 0, untainted: false };
  /** Filter plans by PreFilter outcome: bit i set when filter i was kept, bit `filters.length` when resources are checked inline. */
  private readonly plans = new Map<number, FilterPlan>();

  constructor(options: SchedulerOptions = {}) {
    this.features = resolveFeatures(options);
    const dra = options.dra ? new DraExtendedResources(options.dra) : undefined;
    const profile = resolveProfile(options.profile ?? {}, this.features, { scoringStrategy: options.scoringStrategy, dra });
    this.filters = profile.filters;
    this.scorers = profile.scorers;
    this.scorerWeights = this.scorers.map((s, i) => options.weights?.[s.name] ?? profile.weights[i]);
    this.percentage = options.percentageOfNodesToScore ?? profile.percentageOfNodesToScore ?? 0;
    this.random = createRng(options.seed ?? 1);
  }

  /** The score weight of a plugin in this scheduler (0 when it does not score). */
  weightOf(name: string): number {
    const index = this.scorers.findIndex((s) => s.name === name);
    return index < 0 ? 0 : this.scorerWeights[index];
  }

  private state(pod: Pod, snapshot: ClusterSnapshot): CycleState {
    return { pod, info: podInfo(pod), snapshot, data: new Map() };
  }

  /** The status of the first filter plugin that rejects the node (FITS when the pod fits), as RunFilterPlugins. */
  private filterNode(pod: Pod, node: NodeInfo, state: CycleState, filters: readonly FilterPlugin[]): FilterStatus {
    for (let i = 0; i < filters.length; i += 1) {
      const reasons = filters[i].filter(pod, node, state);
      if (reasons.length > 0) return reasons;
    }
    return FITS;
  }

  /**
   * PreFilter: the filters that apply to this pod (those not returning Skip), and which of them the framework
   * checks inline. The resource check stands in for NodeResourcesFit only for pods without extended resources
   * (their names, ignore lists and DRA backing stay with the plugin).
   */
  private preFilter(state: CycleState): FilterCycle {
    const requests = state.info.requests;
    const resourcesInline = state.info.scalarRequestNames.length === 0;
    // Every plugin's PreFilter runs for every pod (it prepares the cycle's data); the outcome picks the plan.
    let key = resourcesInline ? 2 ** this.filters.length : 0;
    for (let i = 0; i < this.filters.length; i += 1) if (this.filters[i].preFilter?.(state) !== SKIP) key += 2 ** i;
    let plan = this.plans.get(key);
    if (!plan) {
      const filters = this.filters.filter((_, i) => Math.floor(key / 2 ** i) % 2 === 1);
      const called: FilterPlugin[] = [];
      let checkSchedulable = false;
      let checkUntainted = false;
      let checkResources = false;
      let checkAffinity = false;
      let affinityDecides = false;
      let specOnlyBefore = true;
      for (const plugin of filters) {
        if (plugin === NodeAffinity) {
          // nodeaffinity/node_affinity.go Filter: depends only on the pod's required selector and the node's labels and name.
          checkAffinity = true;
          affinityDecides = specOnlyBefore;
          continue;
        }
        if (plugin.fastPass !== 'schedulable' && plugin.fastPass !== 'untainted') specOnlyBefore = false;
        switch (plugin.fastPass) {
          case 'schedulable': checkSchedulable = true; break;
          case 'untainted': checkUntainted = true; break;
          case 'resourcesFit': if (resourcesInline) checkResources = true; else called.push(plugin); break;
          default: called.push(plugin);
        }
      }
      this.plans.set(key, (plan = { filters, called, checkSchedulable, checkUntainted, checkResources, checkAffinity, affinityDecides }));
    }
    return {
      pod: state.pod, state, filters: plan.filters, called: plan.called, checkSchedulable: plan.checkSchedulable, checkUntainted: plan.checkUntainted,
      checkResources: plan.checkResources, checkAffinity: plan.checkAffinity, affinityDecides: plan.affinityDecides,
      selectorId: plan.checkAffinity ? requiredNodeSelectorId(state.pod) : 0, milliCpu: requests.milliCpu, memoryBytes: requests.memoryBytes, ephemeralStorageBytes: requests.ephemeralStorageBytes,
    };
  }

  /**
   * RunFilterPlugins for one node with the cycle's inline checks: when they hold, the plugins they stand in for
   * would return FITS, so only the others are called, in order; when one does not hold, the whole chain runs, so
   * the status (first rejecting plugin, its reasons and code) is exactly the chain's.
   */
  private runFilters(node: NodeInfo, cycle: FilterCycle): FilterStatus {
    let inline = true;
    if (cycle.checkSchedulable && node.node.spec?.unschedulable) inline = false;
    else if (cycle.checkUntainted && node.taints.length > 0) inline = false;
    else if (cycle.checkAffinity && !podMatchesNodeLabels(cycle.pod, node.labels, node.name)) inline = false;
    else if (cycle.checkResources) {
      // The comparisons of fitReasons (noderesources/fit.go fitsRequest), on the node's aggregates.
      const allocatable = node.allocatable;
      const requested = node.requested;
      if (node.podCount() + 1 > allocatable.pods
        || (cycle.milliCpu > 0 && cycle.milliCpu > allocatable.milliCpu - requested.milliCpu)
        || (cycle.memoryBytes > 0 && cycle.memoryBytes > allocatable.memoryBytes - requested.memoryBytes)
        || (cycle.ephemeralStorageBytes > 0 && cycle.ephemeralStorageBytes > allocatable.ephemeralStorageBytes - requested.ephemeralStorageBytes)) inline = false;
    }
    return this.filterNode(cycle.pod, node, cycle.state, inline ? cycle.called : cycle.filters);
  }

  /**
   * Filter over the nodes in snapshot order from `start`, wrapping around, until `toFind` fit or every node was
   * tried (schedule_one.go findNodesThatPassFilters, one node at a time): the fitting nodes go to feasibleScratch
   * and their rows to rowsScratch, in that order; each rejection's reasons are counted into `reasons`. Per node
   * as runFilters, with the inline checks read from the snapshot's node table (the same numbers, in flat arrays,
   * the cycle's in locals: this loop runs for every pod and node), so no NodeInfo is touched for a node that
   * passes them.
   */
  private findFeasible(all: readonly NodeInfo[], table: NodeTable, cycle: FilterCycle, start: number, toFind: number, reasons: Record<string, number>): FilterPass {
    const n = all.length;
    const feasible = this.feasibleScratch;
    const rows = this.rowsScratch;
    const { order, specs, podCount, allocatablePods, allocatableMilliCpu, requestedMilliCpu, allocatableMemoryBytes, requestedMemoryBytes, allocatableEphemeralStorageBytes, requestedEphemeralStorageBytes } = table;
    const { pod, state, called, filters, checkSchedulable, checkUntainted, checkResources, checkAffinity, affinityDecides, milliCpu, memoryBytes, ephemeralStorageBytes } = cycle;
    // The required node selector's match per row, computed at a row's first visit by this selector (see NodeTable.selectorMemo).
    // Selector 0 (matchFields) is checked on every visit: the zero-length arrays never match a row's stamp.
    const memo = checkAffinity && cycle.selectorId !== 0 ? table.selectorMemo(cycle.selectorId) : undefined;
    const memoStamps = memo?.stamp ?? EMPTY_STAMPS;
    const memoMatches = memo?.matches ?? EMPTY_MATCHES;
    const { rowStamp } = table;
    // NodeAffinity rejections after the first (which puts the reason into `reasons`, in chain order), added at the end.
    const mismatchReason = NODE_AFFINITY_MISMATCH[0];
    const mismatchUnresolvable = NODE_AFFINITY_MISMATCH.code === 'UnschedulableAndUnresolvable';
    let mismatches = 0;
    const checkSpec = checkSchedulable || checkUntainted;
    const noneCalled = called.length === 0;
    let found = 0;
    let processed = 0;
    let unresolvable = 0;
    // Whether every fitting node passed the inline untainted check (none carries a taint).
    let untainted = checkUntainted;
    for (let i = 0; i < n && found < toFind; i += 1) {
      let index = start + i;
      if (index >= n) index -= n;
      const row = order[index];
      processed += 1;
      let inline = true;
      if (checkSpec) {
        const spec = specs[row];
        if (spec !== undefined) {
          if (checkSchedulable && spec.unschedulable) inline = false;
          else if (checkUntainted && spec.taints !== undefined && spec.taints.length > 0) inline = false;
        }
      }
      if (inline && checkAffinity) {
        let matches: number;
        if (memoStamps[row] === rowStamp[row]) matches = memoMatches[row];
        else {
          const node = all[index];
          matches = podMatchesNodeLabels(pod, node.labels, node.name) ? 1 : 0;
          memoStamps[row] = rowStamp[row];
          memoMatches[row] = matches;
        }
        if (matches === 0) {
          if (affinityDecides) {
            // The chain's first rejection is NodeAffinity's: count its status as the chain would.
            if (mismatchUnresolvable) unresolvable += 1;
            if (reasons[mismatchReason] === undefined) reasons[mismatchReason] = 1;
            else mismatches += 1;
            continue;
          }
          inline = false;
        }
      }
      // The comparisons of fitReasons (noderesources/fit.go fitsRequest), on the node's row.
      if (inline && checkResources && (podCount[row] + 1 > allocatablePods[row]
        || (milliCpu > 0 && milliCpu > allocatableMilliCpu[row] - requestedMilliCpu[row])
        || (memoryBytes > 0 && memoryBytes > allocatableMemoryBytes[row] - requestedMemoryBytes[row])
        || (ephemeralStorageBytes > 0 && ephemeralStorageBytes > allocatableEphemeralStorageBytes[row] - requestedEphemeralStorageBytes[row]))) inline = false;
      if (!inline || !noneCalled) {
        const failed = this.filterNode(pod, all[index], state, inline ? called : filters);
        if (failed.length > 0) {
          if (failed.code === 'UnschedulableAndUnresolvable') unresolvable += 1;
          for (const reason of failed) reasons[reason] = (reasons[reason] ?? 0) + 1;
          continue;
        }
        if (!inline) untainted = false;
      }
      rows[found] = row;
      // Written in place, not pushed after a reset: the array keeps its backing store from pod to pod.
      feasible[found] = all[index];
      found += 1;
    }
    if (mismatches > 0) reasons[mismatchReason] += mismatches;
    if (feasible.length !== found) feasible.length = found;
    const pass = this.passScratch;
    pass.found = found;
    pass.processed = processed;
    pass.unresolvable = unresolvable;
    pass.untainted = untainted;
    return pass;
  }

  /** Filters only: whether the pod fits one node (for autoscalers simulating a template node). */
  canSchedule(pod: Pod, node: NodeInfo, snapshot?: ClusterSnapshot): FitResult {
    const snap = snapshot ?? ClusterSnapshot.fromNodes([node]);
    const reasons = this.runFilters(node, this.preFilter(this.state(pod, snap)));
    return reasons.length === 0 ? { fits: true, reasons } : { fits: false, reasons, code: statusCode(reasons) };
  }

  /**
   * Whether removing pods from the node could make the pod fit: false when the node's filter status is
   * UnschedulableAndUnresolvable (defaultpreemption / preemption.go nodesWherePreemptionMightHelp).
   */
  preemptionMightHelp(pod: Pod, node: NodeInfo, snapshot: ClusterSnapshot): boolean {
    return this.canSchedule(pod, node, snapshot).code !== 'UnschedulableAndUnresolvable';
  }

  /** The nodes preemption should try for the pod, in snapshot order (every node whose status is not unresolvable). */
  nodesWherePreemptionMightHelp(pod: Pod, snapshot: ClusterSnapshot): NodeInfo[] {
    const cycle = this.preFilter(this.state(pod, snapshot));
    return snapshot.nodes.filter((node) => statusCode(this.runFilters(node, cycle)) !== 'UnschedulableAndUnresolvable');
  }

  /**
   * Filters only, first fit: the first node in snapshot order the pod fits, without scoring (how Karpenter's
   * scheduler tries existing nodes when it simulates a disruption: pkg/controllers/provisioning/scheduling/
   * scheduler.go adds a pod to the first existing node that accepts it). Does not change the snapshot, the
   * rotation of the start index or the random sequence of schedule().
   */
  firstFit(pod: Pod, snapshot: ClusterSnapshot): NodeInfo | undefined {
    // Per NodeInfo, not from the node table: a first fit often stops at the first nodes, and the table may need a
    // whole re-read first (after a change made outside the snapshot).
    const cycle = this.preFilter(this.state(pod, snapshot));
    for (const node of snapshot.nodes) {
      // Only whether the node fits matters here: a node the inline resource check rejects is one NodeResourcesFit
      // rejects, so the chain that would name the status is not run.
      if (cycle.checkResources) {
        const allocatable = node.allocatable;
        const requested = node.requested;
        if (node.podCount() + 1 > allocatable.pods
          || (cycle.milliCpu > 0 && cycle.milliCpu > allocatable.milliCpu - requested.milliCpu)
          || (cycle.memoryBytes > 0 && cycle.memoryBytes > allocatable.memoryBytes - requested.memoryBytes)
          || (cycle.ephemeralStorageBytes > 0 && cycle.ephemeralStorageBytes > allocatable.ephemeralStorageBytes - requested.ephemeralStorageBytes)) continue;
      }
      if (this.runFilters(node, cycle).length === 0) return node;
    }
    return undefined;
  }

  /** Picks a node for the pod; does not change the snapshot. */
  schedule(pod: Pod, nodes: readonly NodeInfo[] | ClusterSnapshot): ScheduleResult {
    const snapshot = nodes instanceof ClusterSnapshot ? nodes : ClusterSnapshot.fromNodes(nodes);
    const all = snapshot.nodes;
    const n = all.length;
    const reasons: Record<string, number> = {};
    if (n === 0) return { reasons, message: unschedulableMessage(0, reasons), feasibleNodes: 0, evaluatedNodes: 0, unresolvableNodes: 0 };
    const state = this.state(pod, snapshot);
    const cycle = this.preFilter(state);

    const toFind = numFeasibleNodesToFind(n, this.percentage);
    if (this.rowsScratch.length < Math.min(n, toFind)) this.rowsScratch = new Int32Array(Math.max(Math.min(n, toFind), 2 * this.rowsScratch.length));
    const rows = this.rowsScratch;
    const start = this.nextStartNodeIndex % n;
    const pass = this.findFeasible(all, snapshot.nodeTable(), cycle, start, toFind, reasons);
    const { processed, unresolvable } = pass;
    const feasible = this.feasibleScratch;
    this.nextStartNodeIndex = (start + processed) % n;
    if (pass.found === 0) {
      return { reasons, message: unschedulableMessage(n, reasons), feasibleNodes: 0, evaluatedNodes: processed, unresolvableNodes: unresolvable };
    }
    if (pass.found === 1) {
      return { node: feasible[0].name, reasons, message: '', feasibleNodes: 1, evaluatedNodes: processed, unresolvableNodes: unresolvable };
    }
    state.feasibleUntainted = pass.untainted;

    const count = feasible.length;
    if (this.totalsScratch.length < count) {
      const size = Math.max(count, 2 * this.totalsScratch.length);
      this.totalsScratch = new Float64Array(size);
      this.rawScratch = new Float64Array(size);
    }
    const totals = this.totalsScratch;
    const raw = this.rawScratch;
    totals.fill(0, 0, count);
    state.rows = rows;
    for (let p = 0; p < this.scorers.length; p += 1) {
      const plugin = this.scorers[p];
      const weight = this.scorerWeights[p];
      if (weight === 0) continue;
      // PreScore Skip (framework.go RunPreScorePlugins): the plugin scores no node in this cycle; an Error fails the cycle.
      const preScore = plugin.preScore?.(state, feasible);
      if (preScore === SKIP) continue;
      if (isErrorStatus(preScore)) {
        state.rows = undefined;
        const error = `running PreScore plugin "${plugin.name}": ${preScore.message}`;
        return { reasons, message: error, error, feasibleNodes: count, evaluatedNodes: processed, unresolvableNodes: unresolvable };
      }
      if (plugin.addWeightedScores && !plugin.normalize) {
        plugin.addWeightedScores(pod, feasible, count, state, totals, weight);
        continue;
      }
      if (plugin.scoreAll) plugin.scoreAll(pod, feasible, count, state, raw);
      else for (let i = 0; i < count; i += 1) raw[i] = plugin.score(pod, feasible[i], state);
      if (!plugin.normalize) {
        // Already on 0..100: accumulate directly.
        for (let i = 0; i < count; i += 1) totals[i] += raw[i] * weight;
        continue;
      }
      const scores = this.scoresScratch;
      scores.length = count;
      for (let i = 0; i < count; i += 1) scores[i] = raw[i];
      plugin.normalize(scores, state);
      for (let i = 0; i < count; i += 1) totals[i] += scores[i] * weight;
    }
    state.rows = undefined;
    // selectHost: the highest score; ties by reservoir sampling with the seeded generator.
    let best = 0;
    let ties = 1;
    for (let i = 1; i < count; i += 1) {
      if (totals[i] > totals[best]) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties += 1;
        if (this.random() * ties < 1) best = i;
      }
    }
    const chosen = feasible[best].name;
    return { node: chosen, reasons, message: '', feasibleNodes: count, evaluatedNodes: processed, unresolvableNodes: unresolvable };
  }
}

import type { Pod } from '../model/kubernetes';
import { resolveFeatures, type Features, type FeatureOptions } from './features';
import type { NodeInfo } from './node-info';
import { podInfo } from './pod-info';
import { FITS, SKIP, statusCode, type CycleState, type FilterPlugin, type FilterStatus, type ScorePlugin, type StatusCode } from './plugin';
import type { ScoringStrategyType } from './plugins/node-resources-fit';
import { resolveProfile, type KubeSchedulerProfile } from './profile';
import { createRng } from './rng';
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
}

/** One node's filter answer. */
export interface FitResult {
  readonly fits: boolean;
  readonly reasons: readonly string[];
  /** The status code when it does not fit. */
  readonly code?: StatusCode;
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
  private feasibleScratch: NodeInfo[] = [];
  private totalsScratch = new Float64Array(0);
  private scoresScratch: number[] = [];

  constructor(options: SchedulerOptions = {}) {
    this.features = resolveFeatures(options);
    const profile = resolveProfile(options.profile ?? {}, this.features, { scoringStrategy: options.scoringStrategy });
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
  private filterNode(pod: Pod, node: NodeInfo, state: CycleState, filters: readonly FilterPlugin[] = this.filters): FilterStatus {
    for (const plugin of filters) {
      const reasons = plugin.filter(pod, node, state);
      if (reasons.length > 0) return reasons;
    }
    return FITS;
  }

  /** The filters that apply to this pod (PreFilter without Skip). */
  private preFilter(state: CycleState): FilterPlugin[] {
    return this.filters.filter((plugin) => plugin.preFilter?.(state) !== SKIP);
  }

  /** Filters only: whether the pod fits one node (for autoscalers simulating a template node). */
  canSchedule(pod: Pod, node: NodeInfo, snapshot?: ClusterSnapshot): FitResult {
    const snap = snapshot ?? ClusterSnapshot.fromNodes([node]);
    const state = this.state(pod, snap);
    const reasons = this.filterNode(pod, node, state, this.preFilter(state));
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
    const state = this.state(pod, snapshot);
    const filters = this.preFilter(state);
    return snapshot.nodes.filter((node) => statusCode(this.filterNode(pod, node, state, filters)) !== 'UnschedulableAndUnresolvable');
  }

  /**
   * Filters only, first fit: the first node in snapshot order the pod fits, without scoring (how Karpenter's
   * scheduler tries existing nodes when it simulates a disruption: pkg/controllers/provisioning/scheduling/
   * scheduler.go adds a pod to the first existing node that accepts it). Does not change the snapshot, the
   * rotation of the start index or the random sequence of schedule().
   */
  firstFit(pod: Pod, snapshot: ClusterSnapshot): NodeInfo | undefined {
    const state = this.state(pod, snapshot);
    const filters = this.preFilter(state);
    for (const node of snapshot.nodes) {
      if (this.filterNode(pod, node, state, filters).length === 0) return node;
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
    const filters = this.preFilter(state);

    const toFind = numFeasibleNodesToFind(n, this.percentage);
    const feasible = this.feasibleScratch;
    feasible.length = 0;
    let processed = 0;
    let unresolvable = 0;
    const start = this.nextStartNodeIndex % n;
    for (let i = 0; i < n && feasible.length < toFind; i += 1) {
      const node = all[(start + i) % n];
      processed += 1;
      const failed = this.filterNode(pod, node, state, filters);
      if (failed.length === 0) {
        feasible.push(node);
        continue;
      }
      if (failed.code === 'UnschedulableAndUnresolvable') unresolvable += 1;
      for (const reason of failed) reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    this.nextStartNodeIndex = (start + processed) % n;
    if (feasible.length === 0) {
      return { reasons, message: unschedulableMessage(n, reasons), feasibleNodes: 0, evaluatedNodes: processed, unresolvableNodes: unresolvable };
    }
    if (feasible.length === 1) {
      const only = feasible[0].name;
      feasible.length = 0;
      return { node: only, reasons, message: '', feasibleNodes: 1, evaluatedNodes: processed, unresolvableNodes: unresolvable };
    }

    const count = feasible.length;
    if (this.totalsScratch.length < count) this.totalsScratch = new Float64Array(Math.max(count, 2 * this.totalsScratch.length));
    const totals = this.totalsScratch;
    totals.fill(0, 0, count);
    for (let p = 0; p < this.scorers.length; p += 1) {
      const plugin = this.scorers[p];
      const weight = this.scorerWeights[p];
      if (weight === 0) continue;
      if (plugin.preScore?.(state, feasible) === SKIP) continue;
      if (!plugin.normalize) {
        // Already on 0..100: accumulate directly, no intermediate array.
        for (let i = 0; i < count; i += 1) totals[i] += plugin.score(pod, feasible[i], state) * weight;
        continue;
      }
      const scores = this.scoresScratch;
      scores.length = count;
      for (let i = 0; i < count; i += 1) scores[i] = plugin.score(pod, feasible[i], state);
      plugin.normalize(scores, state);
      for (let i = 0; i < count; i += 1) totals[i] += scores[i] * weight;
    }
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
    feasible.length = 0;
    return { node: chosen, reasons, message: '', feasibleNodes: count, evaluatedNodes: processed, unresolvableNodes: unresolvable };
  }
}

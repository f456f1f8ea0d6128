import type { Pod } from '../model/kubernetes';
import type { NodeInfo } from './node-info';
import { podInfo } from './pod-info';
import { FITS, SKIP, type CycleState, type FilterPlugin, type ScorePlugin } from './plugin';
import { InterPodAffinity } from './plugins/inter-pod-affinity';
import { NodeAffinity } from './plugins/node-affinity';
import { NodeName } from './plugins/node-name';
import { NodePorts } from './plugins/node-ports';
import { makeNodeResourcesFit, type ScoringStrategy } from './plugins/node-resources-fit';
import { NodeResourcesBalancedAllocation } from './plugins/node-resources-balanced-allocation';
import { NodeUnschedulable } from './plugins/node-unschedulable';
import { PodTopologySpread } from './plugins/pod-topology-spread';
import { TaintToleration } from './plugins/taint-toleration';
import { VolumeZone } from './plugins/volume-zone';
import { createRng } from './rng';
import { ClusterSnapshot } from './snapshot';

export interface SchedulerOptions {
  /** Seed of the tie-break between equally scored nodes. @default 1 */
  readonly seed?: number;
  /** Percentage of nodes to find feasible before scoring; 0 for upstream's adaptive default, 100 to score every feasible node. @default 0 */
  readonly percentageOfNodesToScore?: number;
  readonly scoringStrategy?: ScoringStrategy;
  /** Score plugin weights by name, over the upstream defaults. */
  readonly weights?: Record<string, number>;
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
  private readonly weights: Record<string, number>;
  private readonly percentage: number;
  private readonly random: () => number;
  private nextStartNodeIndex = 0;

  constructor(options: SchedulerOptions = {}) {
    const fit = makeNodeResourcesFit(options.scoringStrategy ?? 'LeastAllocated');
    this.filters = [NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, fit, VolumeZone, PodTopologySpread, InterPodAffinity];
    this.scorers = [TaintToleration, NodeAffinity, fit, NodeResourcesBalancedAllocation, PodTopologySpread, InterPodAffinity];
    this.weights = { ...Object.fromEntries(this.scorers.map((s) => [s.name, s.weight])), ...(options.weights ?? {}) };
    this.percentage = options.percentageOfNodesToScore ?? 0;
    this.random = createRng(options.seed ?? 1);
  }

  private state(pod: Pod, snapshot: ClusterSnapshot): CycleState {
    return { pod, info: podInfo(pod), snapshot, data: new Map() };
  }

  /** The reasons of the first filter plugin that rejects the node (empty when the pod fits). */
  private filterNode(pod: Pod, node: NodeInfo, state: CycleState, filters: readonly FilterPlugin[] = this.filters): readonly string[] {
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
  canSchedule(pod: Pod, node: NodeInfo, snapshot?: ClusterSnapshot): { fits: boolean; reasons: readonly string[] } {
    const snap = snapshot ?? ClusterSnapshot.fromNodes([node]);
    const state = this.state(pod, snap);
    const reasons = this.filterNode(pod, node, state, this.preFilter(state));
    return { fits: reasons.length === 0, reasons };
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
    if (n === 0) return { reasons, message: unschedulableMessage(0, reasons), feasibleNodes: 0, evaluatedNodes: 0 };
    const state = this.state(pod, snapshot);
    const filters = this.preFilter(state);

    const toFind = numFeasibleNodesToFind(n, this.percentage);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    const start = this.nextStartNodeIndex % n;
    for (let i = 0; i < n && feasible.length < toFind; i += 1) {
      const node = all[(start + i) % n];
      processed += 1;
      const failed = this.filterNode(pod, node, state, filters);
      if (failed.length === 0) feasible.push(node);
      else for (const reason of failed) reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    this.nextStartNodeIndex = (start + processed) % n;
    if (feasible.length === 0) {
      return { reasons, message: unschedulableMessage(n, reasons), feasibleNodes: 0, evaluatedNodes: processed };
    }
    if (feasible.length === 1) return { node: feasible[0].name, reasons, message: '', feasibleNodes: 1, evaluatedNodes: processed };

    const totals = new Array<number>(feasible.length).fill(0);
    for (const plugin of this.scorers) {
      const weight = this.weights[plugin.name] ?? plugin.weight;
      if (weight === 0) continue;
      if (plugin.preScore?.(state, feasible) === SKIP) continue;
      if (!plugin.normalize) {
        // Already on 0..100: accumulate directly, no intermediate array.
        for (let i = 0; i < feasible.length; i += 1) totals[i] += plugin.score(pod, feasible[i], state) * weight;
        continue;
      }
      const scores = feasible.map((node) => plugin.score(pod, node, state));
      plugin.normalize(scores, state);
      for (let i = 0; i < scores.length; i += 1) totals[i] += scores[i] * weight;
    }
    // selectHost: the highest score; ties by reservoir sampling with the seeded generator.
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i += 1) {
      if (totals[i] > totals[best]) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties += 1;
        if (this.random() * ties < 1) best = i;
      }
    }
    return { node: feasible[best].name, reasons, message: '', feasibleNodes: feasible.length, evaluatedNodes: processed };
  }
}

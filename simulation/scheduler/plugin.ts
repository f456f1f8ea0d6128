import type { Pod } from '../model/kubernetes';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import type { ClusterSnapshot } from './snapshot';

/** Per scheduling cycle state, shared by the plugins (upstream framework.CycleState). */
export interface CycleState {
  readonly pod: Pod;
  readonly info: PodInfo;
  readonly snapshot: ClusterSnapshot;
  /** Plugin-private data computed in PreFilter/PreScore. */
  readonly data: Map<string, unknown>;
  /**
   * The rows in `snapshot.nodeTable()` of the nodes being scored, aligned with the nodes PreScore and scoreAll
   * receive; set by the framework while it scores from the snapshot's table, else undefined. Scratch: never kept.
   */
  rows?: Int32Array;
  /**
   * True while the framework scores nodes that all passed its inline "no taints" check (FilterPlugin.fastPass
   * `untainted`): no node being scored carries a taint. Undefined or false when unknown. Scratch: never kept.
   */
  feasibleUntainted?: boolean;
}

export const MAX_NODE_SCORE = 100;

/** Upstream's PreFilter/PreScore "Skip" status: the plugin has nothing to check for this pod. */
export const SKIP = 'skip';

/**
 * Upstream's filter status codes (pkg/scheduler/framework/interface.go): `Unschedulable` may be fixed by
 * preempting pods on the node; `UnschedulableAndUnresolvable` cannot (a taint, a label, a node name), so
 * preemption skips the node.
 */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A filter's answer: the failing reasons, with the status code beside them (absent when the node fits). */
export type FilterStatus = readonly string[] & { readonly code?: StatusCode };

/** A filter's answer when the node fits: one shared, frozen empty list (Filter runs for every pod and node). */
export const FITS: FilterStatus = Object.freeze([]);

/**
 * A rejection with its code. Plugins build the fixed ones once at load, so the reject path allocates
 * nothing either.
 */
export function filterStatus(code: StatusCode, ...reasons: string[]): FilterStatus {
  // Not enumerable: the answer still compares equal to a plain list of reasons.
  return Object.freeze(Object.defineProperty(reasons, 'code', { value: code, enumerable: false }));
}

/** The code of a filter answer: undefined when it fits, `Unschedulable` when a plugin gave reasons without one. */
export function statusCode(status: readonly string[]): StatusCode | undefined {
  if (status.length === 0) return undefined;
  return (status as FilterStatus).code ?? 'Unschedulable';
}

/**
 * Upstream's `Error` status (framework.AsStatus): a plugin could not evaluate the pod (a Score with no resources,
 * an unparsable selector in PreScore). Upstream fails the pod's scheduling cycle with it; it says nothing about a node.
 */
export interface ErrorStatus {
  readonly code: 'Error';
  readonly message: string;
}

export function errorStatus(message: string): ErrorStatus {
  return Object.freeze({ code: 'Error', message });
}

export function isErrorStatus(value: unknown): value is ErrorStatus {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as ErrorStatus).code === 'Error';
}

export interface FilterPlugin {
  readonly name: string;
  /**
   * Prepares the cycle; returns SKIP when the plugin's Filter cannot reject any node for this pod, or a rejection
   * that holds for every node (upstream PreFilter returning UnschedulableAndUnresolvable), which Filter then repeats.
   */
  preFilter?(state: CycleState): void | typeof SKIP | FilterStatus;
  /** Every reason the node is unfit for the pod, with the status code; FITS (empty) when it fits. */
  filter(pod: Pod, node: NodeInfo, state: CycleState): FilterStatus;
  /**
   * A condition on the node's own fields under which `filter` returns FITS, which the framework checks inline
   * instead of calling the plugin (Filter runs for every pod and node). Only a shortcut: when it does not hold,
   * `filter` is called and decides. A plugin declaring one must keep its filter FITS whenever the condition holds.
   */
  readonly fastPass?: FastPass;
}

/**
 * The node conditions the framework can check inline (see FilterPlugin.fastPass):
 * - `schedulable`: the node is not cordoned (`spec.unschedulable` unset);
 * - `untainted`: the node has no taints;
 * - `resourcesFit`: one more pod and the pod's cpu, memory and ephemeral-storage requests fit the node's free
 *   allocatable, and the pod requests no extended resource (else the plugin is called).
 */
export type FastPass = 'schedulable' | 'untainted' | 'resourcesFit';

export interface ScorePlugin {
  readonly name: string;
  /** Upstream default weight (pkg/scheduler/apis/config/v1/default_plugins.go). */
  readonly weight: number;
  /** Prepares scoring; returns SKIP when every node would get the same score, or an ErrorStatus (the scores are then 0). */
  preScore?(state: CycleState, nodes: readonly NodeInfo[]): void | typeof SKIP | ErrorStatus;
  score(pod: Pod, node: NodeInfo, state: CycleState): number;
  /**
   * Optional batch form of `score`: the raw scores of `nodes[0..count)` into `out`, the same numbers `score` gives.
   * The framework prefers it: one call per plugin and cycle instead of one per node, so the loop inside stays
   * monomorphic and allocates nothing.
   */
  scoreAll?(pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, out: Float64Array): void;
  /**
   * Optional, for a plugin without `normalize`: adds `weight` × the raw score of `nodes[0..count)` to `totals`, the
   * same sums the framework makes from scoreAll. Preferred over scoreAll: the scores are summed in the plugin's own
   * loop instead of a second pass over the nodes.
   */
  addWeightedScores?(pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, totals: Float64Array, weight: number): void;
  /** Normalizes raw scores in place to 0..100 (upstream ScoreExtensions.NormalizeScore). */
  normalize?(scores: number[], state: CycleState): void;
}

/** helper.DefaultNormalizeScore: scale to 0..100 by the maximum, optionally reversed. */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  const max = Math.max(0, ...scores);
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i += 1) {
    let score = Math.floor((MAX_NODE_SCORE * scores[i]) / max);
    if (reverse) score = MAX_NODE_SCORE - score;
    scores[i] = score;
  }
}

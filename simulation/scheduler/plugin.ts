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

export interface FilterPlugin {
  readonly name: string;
  /** Prepares the cycle; returns SKIP when the plugin's Filter cannot reject any node for this pod. */
  preFilter?(state: CycleState): void | typeof SKIP;
  /** Every reason the node is unfit for the pod, with the status code; FITS (empty) when it fits. */
  filter(pod: Pod, node: NodeInfo, state: CycleState): FilterStatus;
}

export interface ScorePlugin {
  readonly name: string;
  /** Upstream default weight (pkg/scheduler/apis/config/v1/default_plugins.go). */
  readonly weight: number;
  /** Prepares scoring; returns SKIP when every node would get the same score. */
  preScore?(state: CycleState, nodes: readonly NodeInfo[]): void | typeof SKIP;
  score(pod: Pod, node: NodeInfo, state: CycleState): number;
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

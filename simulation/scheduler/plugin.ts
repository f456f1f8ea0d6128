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

/** A filter's answer when the node fits: one shared, frozen empty list (Filter runs for every pod and node). */
export const FITS: readonly string[] = Object.freeze([]);

export interface FilterPlugin {
  readonly name: string;
  /** Prepares the cycle; returns SKIP when the plugin's Filter cannot reject any node for this pod. */
  preFilter?(state: CycleState): void | typeof SKIP;
  /** Every reason the node is unfit for the pod; FITS (empty) when it fits. */
  filter(pod: Pod, node: NodeInfo, state: CycleState): readonly string[];
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

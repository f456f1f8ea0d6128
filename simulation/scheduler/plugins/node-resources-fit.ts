import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import { FITS, MAX_NODE_SCORE, type CycleState, type FilterPlugin, type ScorePlugin } from '../plugin';

export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

/**
 * pkg/scheduler/framework/plugins/noderesources/fit.go: the pod's requests must fit in allocatable minus
 * what is requested, for pods, cpu, memory, ephemeral-storage and every extended resource; all failing
 * reasons are reported. Scoring (least_allocated.go / most_allocated.go) on cpu and memory, weight 1 each,
 * with non-zero requests.
 */
export function fitReasons(pod: Pod, node: NodeInfo, state?: CycleState): readonly string[] {
  const requests = (state?.info ?? podInfo(pod)).requests;
  const { allocatable, requested } = node;
  // The common case, a fit, allocates nothing: the list is made at the first shortage.
  let reasons: string[] | undefined;
  if (node.podCount() + 1 > allocatable.pods) (reasons ??= []).push('Too many pods');
  if (requests.milliCpu > 0 && requests.milliCpu > allocatable.milliCpu - requested.milliCpu) (reasons ??= []).push('Insufficient cpu');
  if (requests.memoryBytes > 0 && requests.memoryBytes > allocatable.memoryBytes - requested.memoryBytes) (reasons ??= []).push('Insufficient memory');
  if (requests.ephemeralStorageBytes > 0 && requests.ephemeralStorageBytes > allocatable.ephemeralStorageBytes - requested.ephemeralStorageBytes) (reasons ??= []).push('Insufficient ephemeral-storage');
  for (const name in requests.scalar) {
    const amount = requests.scalar[name];
    if (amount > 0 && amount > (allocatable.scalar[name] ?? 0) - (requested.scalar[name] ?? 0)) (reasons ??= []).push(`Insufficient ${name}`);
  }
  return reasons ?? FITS;
}

export function makeNodeResourcesFit(strategy: ScoringStrategy = 'LeastAllocated'): FilterPlugin & ScorePlugin {
  const resource = strategy === 'LeastAllocated' ? leastAllocated : mostAllocated;
  return {
    name: 'NodeResourcesFit',
    weight: 1,
    filter: fitReasons,
    score(pod: Pod, node: NodeInfo, state: CycleState): number {
      const request = (state?.info ?? podInfo(pod)).nonZero;
      const cpu = resource(node.nonZeroRequested.milliCpu + request.milliCpu, node.allocatable.milliCpu);
      const memory = resource(node.nonZeroRequested.memoryBytes + request.memoryBytes, node.allocatable.memoryBytes);
      return Math.floor((cpu + memory) / 2);
    },
  };
}

export const NodeResourcesFit = makeNodeResourcesFit('LeastAllocated');

function leastAllocated(requested: number, capacity: number): number {
  return capacity <= 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function mostAllocated(requested: number, capacity: number): number {
  return capacity <= 0 || requested > capacity ? 0 : Math.floor((requested * MAX_NODE_SCORE) / capacity);
}

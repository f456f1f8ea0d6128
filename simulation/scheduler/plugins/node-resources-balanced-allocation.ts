import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import { MAX_NODE_SCORE, type CycleState, type ScorePlugin } from '../plugin';

// pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go: favours nodes whose cpu and memory
// would be used in equal fractions: score = (1 - standard deviation of the fractions) × 100; with two
// resources the deviation is |cpu − memory| / 2. Fractions are capped at 1.
export const NodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod: Pod, node: NodeInfo, state?: CycleState): number {
    const request = (state?.info ?? podInfo(pod)).nonZero;
    const cpu = node.allocatable.milliCpu > 0 ? Math.min(1, (node.nonZeroRequested.milliCpu + request.milliCpu) / node.allocatable.milliCpu) : 1;
    const memory = node.allocatable.memoryBytes > 0 ? Math.min(1, (node.nonZeroRequested.memoryBytes + request.memoryBytes) / node.allocatable.memoryBytes) : 1;
    const std = Math.abs(cpu - memory) / 2;
    return Math.floor((1 - std) * MAX_NODE_SCORE);
  },
};

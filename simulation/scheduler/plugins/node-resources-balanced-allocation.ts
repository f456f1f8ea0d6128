import type { Pod } from '../../model/kubernetes';
import { resolveFeatures, type Features } from '../features';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import { MAX_NODE_SCORE, SKIP, type CycleState, type ScorePlugin } from '../plugin';
import { allocatableFor, compileResources, DEFAULT_RESOURCES, invalidArg, isDefaultResources, podRequestFor, requestedOn, type CompiledResource, type ResourceSpec } from './resource-allocation';

/** `NodeResourcesBalancedAllocationArgs` (kubescheduler.config.k8s.io/v1). */
export interface NodeResourcesBalancedAllocationArgs {
  /** Resources whose usage fractions are balanced; every weight must be 1. @default cpu and memory */
  readonly resources?: readonly ResourceSpec[];
}

/**
 * validation_pluginargs.go ValidateNodeResourcesBalancedAllocationArgs: no resource named twice, every weight 1.
 * Throws an EksplanError naming the field (`resources[1].weight`).
 */
export function validateNodeResourcesBalancedAllocationArgs(args: NodeResourcesBalancedAllocationArgs, path = ''): void {
  const seen = new Set<string>();
  for (const [i, resource] of (args.resources ?? []).entries()) {
    if (seen.has(resource.name)) throw invalidArg('NodeResourcesBalancedAllocation', `${path}resources[${i}].name`, resource.name, 'duplicate value');
    seen.add(resource.name);
    if ((resource.weight ?? 1) !== 1) throw invalidArg('NodeResourcesBalancedAllocation', `${path}resources[${i}].weight`, resource.weight, 'must be 1');
  }
}

/**
 * balanced_allocation.go balancedResourceScorer: (1 − standard deviation of the used fractions) × 100, with
 * fractions capped at 1 and resources the node lacks skipped; with two resources the deviation is |a − b| / 2.
 * Two passes (mean, then deviation) so nothing is allocated per node.
 */
function balanceScore(pod: PodShape, node: NodeInfo, resources: readonly CompiledResource[], withPod: boolean): number {
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (const resource of resources) {
    const podRequest = podRequestFor(pod, resource, true);
    const capacity = allocatableFor(node, resource, podRequest);
    if (capacity === 0) continue;
    const fraction = Math.min(1, (requestedOn(node, resource, true) + (withPod ? podRequest : 0)) / capacity);
    if (count === 0) first = fraction; else if (count === 1) second = fraction;
    total += fraction;
    count += 1;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (const resource of resources) {
      const podRequest = podRequestFor(pod, resource, true);
      const capacity = allocatableFor(node, resource, podRequest);
      if (capacity === 0) continue;
      const fraction = Math.min(1, (requestedOn(node, resource, true) + (withPod ? podRequest : 0)) / capacity);
      sum += (fraction - mean) * (fraction - mean);
    }
    std = Math.sqrt(sum / count);
  }
  // Go converts with int64(), truncating toward zero.
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

type PodShape = ReturnType<typeof podInfo>;

/** balancedResourceScorer for cpu and memory when the node has both: |cpu − memory| / 2, no loop. */
function cpuMemoryScore(cpuRequested: number, cpuCapacity: number, memoryRequested: number, memoryCapacity: number): number {
  const cpu = Math.min(1, cpuRequested / cpuCapacity);
  const memory = Math.min(1, memoryRequested / memoryCapacity);
  return Math.trunc((1 - Math.abs((cpu - memory) / 2)) * MAX_NODE_SCORE);
}

/**
 * pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go: favours nodes whose resources would be
 * used in equal fractions, on the pods' actual requests (`useRequested: true`); PreScore skips best-effort pods
 * (nothing requested of the scored resources, kubernetes/kubernetes#129138). From Kubernetes 1.36 the score
 * reflects the change of the node's balance (PR #135573, CHANGELOG-1.36):
 * 50 + (50 + withPod − withoutPod) / 2, integer division; 1.35 and older score the balance with the pod.
 */
export function makeNodeResourcesBalancedAllocation(args: NodeResourcesBalancedAllocationArgs = {}, features: Features = resolveFeatures()): ScorePlugin {
  validateNodeResourcesBalancedAllocationArgs(args);
  const resources = compileResources(args.resources && args.resources.length > 0 ? args.resources : DEFAULT_RESOURCES);
  const changeOfBalance = features.minor >= 36;
  const fast = isDefaultResources(resources);
  const bestEffort = (info: PodShape): boolean => {
    if (fast) return info.requests.milliCpu === 0 && info.requests.memoryBytes === 0;
    for (const resource of resources) if (podRequestFor(info, resource, true) !== 0) return false;
    return true;
  };
  // The default resources on a node that has both: the common case, without a loop.
  const cpuMemory = (milliCpu: number, memoryBytes: number, node: NodeInfo): number => {
    const { allocatable, requested } = node;
    const withPod = cpuMemoryScore(requested.milliCpu + milliCpu, allocatable.milliCpu, requested.memoryBytes + memoryBytes, allocatable.memoryBytes);
    if (!changeOfBalance) return withPod;
    if (node.balanceRequestedMilliCpu !== requested.milliCpu || node.balanceRequestedMemoryBytes !== requested.memoryBytes) {
      node.balanceWithoutPod = cpuMemoryScore(requested.milliCpu, allocatable.milliCpu, requested.memoryBytes, allocatable.memoryBytes);
      node.balanceRequestedMilliCpu = requested.milliCpu;
      node.balanceRequestedMemoryBytes = requested.memoryBytes;
    }
    return MAX_NODE_SCORE / 2 + Math.trunc((MAX_NODE_SCORE / 2 + withPod - node.balanceWithoutPod) / 2);
  };
  // The scores of nodes[0..count) into `out`, or, with `add`, `weight` × each added to it: from the snapshot's node
  // table when the framework gives the rows, with the balance without the pod cached per row.
  // This instance's score memo in node tables (its args and version fix the formula).
  const memoOwner = {};
  const scoreRows = (pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, out: Float64Array, weight: number, add: boolean): void => {
    const { milliCpu, memoryBytes } = state.info.requests;
    const inline = fast && (milliCpu !== 0 || memoryBytes !== 0);
    const rows = state.rows;
    if (!inline || !rows) {
      for (let i = 0; i < count; i += 1) {
        const score = plugin.score(pod, nodes[i], state);
        if (add) out[i] += score * weight; else out[i] = score;
      }
      return;
    }
    const table = state.snapshot.nodeTable();
    const { allocatableMilliCpu, allocatableMemoryBytes, requestedMilliCpu, requestedMemoryBytes, balanceWithoutPod } = table;
    // The score depends on the row's numbers and the pod's cpu and memory requests only: memoized per row.
    const { score: memoScore, firstKey, secondKey } = table.scoreMemo(memoOwner);
    for (let i = 0; i < count; i += 1) {
      const row = rows[i];
      let score: number;
      if (firstKey[row] === milliCpu && secondKey[row] === memoryBytes) {
        score = memoScore[row];
        if (add) out[i] += score * weight; else out[i] = score;
        continue;
      }
      const cpuCapacity = allocatableMilliCpu[row];
      const memoryCapacity = allocatableMemoryBytes[row];
      if (cpuCapacity === 0 || memoryCapacity === 0) {
        score = plugin.score(pod, nodes[i], state);
      } else {
        const cpuRequested = requestedMilliCpu[row];
        const memoryRequested = requestedMemoryBytes[row];
        const withPod = cpuMemoryScore(cpuRequested + milliCpu, cpuCapacity, memoryRequested + memoryBytes, memoryCapacity);
        if (changeOfBalance) {
          let withoutPod = balanceWithoutPod[row];
          if (Number.isNaN(withoutPod)) balanceWithoutPod[row] = withoutPod = cpuMemoryScore(cpuRequested, cpuCapacity, memoryRequested, memoryCapacity);
          score = MAX_NODE_SCORE / 2 + Math.trunc((MAX_NODE_SCORE / 2 + withPod - withoutPod) / 2);
        } else {
          score = withPod;
        }
        memoScore[row] = score;
        firstKey[row] = milliCpu;
        secondKey[row] = memoryBytes;
      }
      if (add) out[i] += score * weight; else out[i] = score;
    }
  };
  const plugin: ScorePlugin = {
    name: 'NodeResourcesBalancedAllocation',
    weight: 1,
    preScore: (state: CycleState) => (bestEffort(state.info) ? SKIP : undefined),
    score(pod: Pod, node: NodeInfo, state?: CycleState): number {
      const info = state?.info ?? podInfo(pod);
      // Scored without PreScore, a best-effort pod gets 0, as upstream's fallback does.
      const { allocatable } = node;
      if (fast && allocatable.milliCpu !== 0 && allocatable.memoryBytes !== 0) {
        const { milliCpu, memoryBytes } = info.requests;
        if (milliCpu === 0 && memoryBytes === 0) return 0;
        return cpuMemory(milliCpu, memoryBytes, node);
      }
      if (bestEffort(info)) return 0;
      const withPod = balanceScore(info, node, resources, true);
      if (!changeOfBalance) return withPod;
      const withoutPod = balanceScore(info, node, resources, false);
      return MAX_NODE_SCORE / 2 + Math.trunc((MAX_NODE_SCORE / 2 + withPod - withoutPod) / 2);
    },
    // The same scores over the feasible nodes in one call (Score runs for every pod and node).
    scoreAll(pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, out: Float64Array): void {
      scoreRows(pod, nodes, count, state, out, 1, false);
    },
    addWeightedScores(pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, totals: Float64Array, weight: number): void {
      scoreRows(pod, nodes, count, state, totals, weight, true);
    },
  };
  return plugin;
}

/** The plugin with default args for the default Kubernetes version. */
export const NodeResourcesBalancedAllocation = makeNodeResourcesBalancedAllocation();

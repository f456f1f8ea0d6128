import type { Pod } from '../../model/kubernetes';
import type { DraExtendedResources } from '../dra';
import { resolveFeatures, type Features } from '../features';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import {
  errorStatus, filterStatus, FITS, MAX_NODE_SCORE, type CycleState, type ErrorStatus, type FilterPlugin, type FilterStatus, type ScorePlugin, type StatusCode,
} from '../plugin';
import {
  allocatableFor, compileResources, DEFAULT_RESOURCES, invalidArg, isDefaultResources, isScalarResourceName, podRequestFor, requestedOn,
  type CompiledResource, type ResourceSpec,
} from './resource-allocation';

/** NodeResourcesFit scoring strategies (pkg/scheduler/apis/config/types_pluginargs.go ScoringStrategyType). */
export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
/** The strategy's type alone (kept for callers that pass a name). */
export type ScoringStrategy = ScoringStrategyType;

/** A point of the RequestedToCapacityRatio shape: utilization 0..100 → score 0..10. */
export interface UtilizationShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/** `NodeResourcesFitArgs.scoringStrategy` as in KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1). */
export interface ScoringStrategyConfig {
  /** @default 'LeastAllocated' */
  readonly type?: ScoringStrategyType;
  /** Scored resources and their weights (1..100). @default cpu and memory, weight 1 each */
  readonly resources?: readonly ResourceSpec[];
  /** Required for RequestedToCapacityRatio. */
  readonly requestedToCapacityRatio?: { readonly shape: readonly UtilizationShapePoint[] };
}

/** `NodeResourcesFitArgs` (kubescheduler.config.k8s.io/v1). */
export interface NodeResourcesFitArgs {
  /** Extended resources the filter ignores. */
  readonly ignoredResources?: readonly string[];
  /** Extended resource groups (the part before `/`) the filter ignores. */
  readonly ignoredResourceGroups?: readonly string[];
  /** @default LeastAllocated on cpu and memory */
  readonly scoringStrategy?: ScoringStrategyConfig;
}

// pkg/scheduler/apis/config/types.go MaxCustomPriorityScore, and requested_to_capacity_ratio.go maxUtilization.
const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;
const STRATEGY_TYPES: readonly ScoringStrategyType[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

/**
 * pkg/scheduler/apis/config/validation/validation_pluginargs.go ValidateNodeResourcesFitArgs: a supported
 * type, resource weights in [1, 100], a shape of increasing utilizations in [0, 100] with scores in [0, 10].
 * Throws an EksplanError naming the field (`scoringStrategy.resources[0].weight`).
 */
export function validateNodeResourcesFitArgs(args: NodeResourcesFitArgs, path = ''): void {
  const strategy = args.scoringStrategy;
  for (const [i, name] of (args.ignoredResourceGroups ?? []).entries()) {
    if (name.includes('/')) throw invalidArg('NodeResourcesFit', `${path}ignoredResourceGroups[${i}]`, name, "resource group name can't contain '/'");
  }
  if (!strategy) return;
  const at = `${path}scoringStrategy`;
  if (strategy.type !== undefined && !STRATEGY_TYPES.includes(strategy.type)) {
    throw invalidArg('NodeResourcesFit', `${at}.type`, strategy.type, `supported values: ${STRATEGY_TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
  for (const [i, resource] of (strategy.resources ?? []).entries()) {
    const weight = resource.weight ?? 1;
    if (!Number.isInteger(weight) || weight <= 0 || weight > 100) {
      throw invalidArg('NodeResourcesFit', `${at}.resources[${i}].weight`, resource.weight, `resource weight of ${resource.name} not in valid range [1, 100]`);
    }
  }
  if (strategy.type === 'RequestedToCapacityRatio' && !strategy.requestedToCapacityRatio) {
    throw invalidArg('NodeResourcesFit', `${at}.requestedToCapacityRatio`, undefined, 'required for type RequestedToCapacityRatio');
  }
  const shape = strategy.requestedToCapacityRatio?.shape;
  if (strategy.requestedToCapacityRatio) {
    if (!shape || shape.length === 0) throw invalidArg('NodeResourcesFit', `${at}.requestedToCapacityRatio.shape`, shape, 'at least one point must be specified');
    for (let i = 1; i < shape.length; i += 1) {
      if (shape[i - 1].utilization >= shape[i].utilization) {
        throw invalidArg('NodeResourcesFit', `${at}.requestedToCapacityRatio.shape[${i}].utilization`, shape[i].utilization, 'utilization values must be sorted in increasing order');
      }
    }
    for (const [i, point] of shape.entries()) {
      if (!Number.isInteger(point.utilization) || point.utilization < 0 || point.utilization > MAX_UTILIZATION) {
        throw invalidArg('NodeResourcesFit', `${at}.requestedToCapacityRatio.shape[${i}].utilization`, point.utilization, `not in valid range [0, ${MAX_UTILIZATION}]`);
      }
      if (!Number.isInteger(point.score) || point.score < 0 || point.score > MAX_CUSTOM_PRIORITY_SCORE) {
        throw invalidArg('NodeResourcesFit', `${at}.requestedToCapacityRatio.shape[${i}].score`, point.score, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`);
      }
    }
  }
}

/**
 * pkg/scheduler/framework/plugins/noderesources/fit.go fitsRequest: the pod's requests must fit in allocatable
 * minus what is requested, for pods, cpu, memory, ephemeral-storage and every extended resource; all failing
 * reasons are reported. The status is UnschedulableAndUnresolvable when a request exceeds the node's whole
 * allocatable (no preemption frees that much), else Unschedulable.
 */
export function fitReasons(pod: Pod, node: NodeInfo, state?: CycleState, ignored?: IgnoredResources, dra?: DraExtendedResources): FilterStatus {
  const info = state?.info ?? podInfo(pod);
  const requests = info.requests;
  const { allocatable, requested } = node;
  // The common case, a fit, allocates nothing; a shortage of pods, cpu, memory or ephemeral-storage only (a bit
  // each in `mask`) answers with a shared status; the list is made only for an extended resource's shortage.
  let mask = 0;
  let reasons: string[] | undefined;
  let code: StatusCode = 'Unschedulable';
  if (node.podCount() + 1 > allocatable.pods) mask |= 1;
  if (requests.milliCpu > 0 && requests.milliCpu > allocatable.milliCpu - requested.milliCpu) {
    mask |= 2;
    if (requests.milliCpu > allocatable.milliCpu) code = 'UnschedulableAndUnresolvable';
  }
  if (requests.memoryBytes > 0 && requests.memoryBytes > allocatable.memoryBytes - requested.memoryBytes) {
    mask |= 4;
    if (requests.memoryBytes > allocatable.memoryBytes) code = 'UnschedulableAndUnresolvable';
  }
  if (requests.ephemeralStorageBytes > 0 && requests.ephemeralStorageBytes > allocatable.ephemeralStorageBytes - requested.ephemeralStorageBytes) {
    mask |= 8;
    if (requests.ephemeralStorageBytes > allocatable.ephemeralStorageBytes) code = 'UnschedulableAndUnresolvable';
  }
  const scalarNames = info.scalarRequestNames;
  for (let i = 0; i < scalarNames.length; i += 1) {
    const name = scalarNames[i];
    const amount = requests.scalar[name];
    if (ignored && ignored.ignores(name)) continue;
    // fit.go shouldDelegateResourceToDRA (DRAExtendedResource): DynamicResources checks the class's devices instead.
    if (dra && amount > 0 && dra.delegates(name, node)) continue;
    const capacity = allocatable.scalar[name] ?? 0;
    if (amount > 0 && amount > capacity - (requested.scalar[name] ?? 0)) {
      (reasons ??= fixedReasons(mask)).push(`Insufficient ${name}`);
      if (amount > capacity) code = 'UnschedulableAndUnresolvable';
    }
  }
  if (reasons) return filterStatus(code, ...reasons);
  if (mask === 0) return FITS;
  const index = mask * 2 + (code === 'UnschedulableAndUnresolvable' ? 1 : 0);
  return (COMMON_STATUSES[index] ??= filterStatus(code, ...fixedReasons(mask)));
}

const FIXED_REASONS = ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage'];

/** The reasons of the fixed resources whose bits are set in `mask`, in fit.go's order. */
function fixedReasons(mask: number): string[] {
  return FIXED_REASONS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** The frozen statuses of shortages of the fixed resources only, by mask and code, made once each. */
const COMMON_STATUSES: (FilterStatus | undefined)[] = [];

/** fit.go: ignoredResources by name and ignoredResourceGroups by prefix apply to extended resources only. */
class IgnoredResources {
  private readonly names: ReadonlySet<string>;
  private readonly groups: ReadonlySet<string>;
  constructor(args: NodeResourcesFitArgs) {
    this.names = new Set(args.ignoredResources ?? []);
    this.groups = new Set(args.ignoredResourceGroups ?? []);
  }
  ignores(name: string): boolean {
    if (!isScalarResourceName(name) || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return false;
    return this.names.has(name) || this.groups.has(name.split('/')[0]);
  }
}

/** least_allocated.go leastRequestedScore: the free fraction; a request over capacity scores 0. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** most_allocated.go mostRequestedScore: the used fraction; a request over capacity (non-zero defaults) is clamped to capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.floor((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
}

/** pkg/scheduler/framework/plugins/helper/shape_score.go BuildBrokenLinearFunction over points already scaled to 0..100. */
function brokenLinear(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i += 1) {
      if (p <= shape[i].utilization) {
        if (i === 0) return shape[0].score;
        // Go integer division truncates toward zero.
        return shape[i - 1].score + Math.trunc(((shape[i].score - shape[i - 1].score) * (p - shape[i - 1].utilization)) / (shape[i].utilization - shape[i - 1].utilization));
      }
    }
    return shape[shape.length - 1].score;
  };
}

type NodeScorer = (pod: Pod, node: NodeInfo, state: CycleState | undefined) => number;
type BatchScorer = (pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, out: Float64Array) => void;

/**
 * resource_allocation.go calculateResourceAllocatableRequest with DRAExtendedResource: an extended resource the
 * node does not advertise is scored on the devices of the DeviceClass backing it (capacity, devices taken).
 */
function draAdjusted(dra: DraExtendedResources, node: NodeInfo, resource: CompiledResource, podRequest: number, out: { capacity: number; requested: number }): void {
  if (out.capacity !== 0 || podRequest === 0) return;
  const totals = dra.scoredAllocation(node, resource.name);
  if (!totals) return;
  out.capacity = totals.capacity;
  out.requested = totals.allocated + podRequest;
}

function makeScorer(strategy: ScoringStrategyConfig, applyDefaults: boolean, dra?: DraExtendedResources): NodeScorer {
  const type = strategy.type ?? 'LeastAllocated';
  const given = strategy.resources ?? [];
  const resources: CompiledResource[] = compileResources(given.length > 0 || !applyDefaults ? given : DEFAULT_RESOURCES);
  // resource_allocation.go score: with no resources to score, every node gets MinNodeScore (and an Error status).
  if (resources.length === 0) return () => 0;
  // Only a profile scoring a DRA-backed resource pays for the lookup (getDRAPreScoredParams: anyBackedByDRA).
  const draScored = dra && dra.backsAny(resources.map((r) => r.name)) ? dra : undefined;
  const slot = { capacity: 0, requested: 0 };
  if (type === 'RequestedToCapacityRatio') {
    // requested_to_capacity_ratio.go: shape scores (0..10) scaled to 0..100; resources scoring 0 do not count.
    const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
    const raw = brokenLinear((strategy.requestedToCapacityRatio?.shape ?? []).map((p) => ({ utilization: p.utilization, score: p.score * scale })));
    return (pod, node, state) => {
      const info = state?.info ?? podInfo(pod);
      let nodeScore = 0;
      let weightSum = 0;
      for (const resource of resources) {
        const podRequest = podRequestFor(info, resource, false);
        slot.capacity = allocatableFor(node, resource, podRequest);
        slot.requested = requestedOn(node, resource, false) + podRequest;
        if (draScored) draAdjusted(draScored, node, resource, podRequest, slot);
        const { capacity, requested } = slot;
        if (capacity === 0) continue;
        const score = requested > capacity ? raw(MAX_UTILIZATION) : raw(Math.trunc((requested * MAX_UTILIZATION) / capacity));
        if (score > 0) {
          nodeScore += score * resource.weight;
          weightSum += resource.weight;
        }
      }
      return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
    };
  }
  const resourceScore = type === 'MostAllocated' ? mostRequestedScore : leastRequestedScore;
  if (isDefaultResources(resources) && type === 'LeastAllocated') return defaultLeastAllocated;
  if (isDefaultResources(resources)) {
    // The default profile (cpu and memory, weight 1 each), scored without a loop: Score runs for every pod and node.
    return (pod, node, state) => {
      const request = (state?.info ?? podInfo(pod)).nonZero;
      const { allocatable, nonZeroRequested } = node;
      let nodeScore = 0;
      let weightSum = 0;
      if (allocatable.milliCpu !== 0) {
        nodeScore += resourceScore(nonZeroRequested.milliCpu + request.milliCpu, allocatable.milliCpu);
        weightSum += 1;
      }
      if (allocatable.memoryBytes !== 0) {
        nodeScore += resourceScore(nonZeroRequested.memoryBytes + request.memoryBytes, allocatable.memoryBytes);
        weightSum += 1;
      }
      return weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
    };
  }
  // least_allocated.go / most_allocated.go: the weighted mean over resources the node has (allocatable 0 is skipped).
  return (pod, node, state) => {
    const info = state?.info ?? podInfo(pod);
    let nodeScore = 0;
    let weightSum = 0;
    for (const resource of resources) {
      const podRequest = podRequestFor(info, resource, false);
      slot.capacity = allocatableFor(node, resource, podRequest);
      slot.requested = requestedOn(node, resource, false) + podRequest;
      if (draScored) draAdjusted(draScored, node, resource, podRequest, slot);
      if (slot.capacity === 0) continue;
      nodeScore += resourceScore(slot.requested, slot.capacity) * resource.weight;
      weightSum += resource.weight;
    }
    return weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
  };
}

/**
 * The default profile's scorer (LeastAllocated on cpu and memory, weight 1 each) on the non-zero requests:
 * least_allocated.go leastResourceScorer with leastRequestedScore inlined, per node and over a batch of nodes
 * (Score runs for every pod and feasible node; the batch form keeps the loop in one monomorphic function).
 */
function leastAllocatedCpuMemory(milliCpu: number, memoryBytes: number, allocatableMilliCpu: number, requestedMilliCpu: number, allocatableMemoryBytes: number, requestedMemoryBytes: number): number {
  let nodeScore = 0;
  let weightSum = 0;
  if (allocatableMilliCpu !== 0) {
    const requested = requestedMilliCpu + milliCpu;
    if (requested <= allocatableMilliCpu) nodeScore += Math.floor(((allocatableMilliCpu - requested) * MAX_NODE_SCORE) / allocatableMilliCpu);
    weightSum += 1;
  }
  if (allocatableMemoryBytes !== 0) {
    const requested = requestedMemoryBytes + memoryBytes;
    if (requested <= allocatableMemoryBytes) nodeScore += Math.floor(((allocatableMemoryBytes - requested) * MAX_NODE_SCORE) / allocatableMemoryBytes);
    weightSum += 1;
  }
  return weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
}

const defaultLeastAllocated: NodeScorer = (pod, node, state) => {
  const request = (state?.info ?? podInfo(pod)).nonZero;
  const { allocatable, nonZeroRequested } = node;
  return leastAllocatedCpuMemory(request.milliCpu, request.memoryBytes, allocatable.milliCpu, nonZeroRequested.milliCpu, allocatable.memoryBytes, nonZeroRequested.memoryBytes);
};

/**
 * defaultLeastAllocated over nodes[0..count): into `out`, or, with `add`, `weight` × the score added to it. From the
 * snapshot's node table when the framework gives the rows (the same numbers, in flat arrays).
 */
function defaultLeastAllocatedRows(pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, out: Float64Array, weight: number, add: boolean): void {
  const { milliCpu, memoryBytes } = state.info.nonZero;
  const rows = state.rows;
  if (!rows) {
    for (let i = 0; i < count; i += 1) {
      const score = defaultLeastAllocated(pod, nodes[i], state);
      if (add) out[i] += score * weight; else out[i] = score;
    }
    return;
  }
  const table = state.snapshot.nodeTable();
  const { allocatableMilliCpu, nonZeroMilliCpu, allocatableMemoryBytes, nonZeroMemoryBytes } = table;
  // The score depends on the row's numbers and the pod's non-zero cpu and memory only: memoized per row.
  const memo = table.scoreMemo(LEAST_ALLOCATED_MEMO);
  const { score: memoScore, firstKey, secondKey } = memo;
  for (let i = 0; i < count; i += 1) {
    const row = rows[i];
    let score: number;
    if (firstKey[row] === milliCpu && secondKey[row] === memoryBytes) {
      score = memoScore[row];
    } else {
      score = leastAllocatedCpuMemory(milliCpu, memoryBytes, allocatableMilliCpu[row], nonZeroMilliCpu[row], allocatableMemoryBytes[row], nonZeroMemoryBytes[row]);
      memoScore[row] = score;
      firstKey[row] = milliCpu;
      secondKey[row] = memoryBytes;
    }
    if (add) out[i] += score * weight; else out[i] = score;
  }
}

/** The owner of defaultLeastAllocated's score memo in node tables (the scorer is the same for every instance). */
const LEAST_ALLOCATED_MEMO = {};

const defaultLeastAllocatedBatch: BatchScorer = (pod, nodes, count, state, out) => defaultLeastAllocatedRows(pod, nodes, count, state, out, 1, false);

const defaultLeastAllocatedWeighted = (pod: Pod, nodes: readonly NodeInfo[], count: number, state: CycleState, totals: Float64Array, weight: number): void =>
  defaultLeastAllocatedRows(pod, nodes, count, state, totals, weight, true);

/** How the args were given. */
export interface NodeResourcesFitOptions {
  /**
   * Apply v1 defaulting (pkg/scheduler/apis/config/v1/defaults.go): an empty `scoringStrategy.resources` becomes
   * cpu and memory. False takes the args as the internal config, as upstream's plugin tests build them: no
   * resources then scores every node 0 with an Error status ("resources not found").
   * @default true
   */
  readonly applyDefaults?: boolean;
  /** The cluster's version and gates (DRAExtendedResource). @default the newest version's defaults */
  readonly features?: Features;
  /**
   * The cluster's DeviceClasses and ResourceSlices (upstream's shared DRA manager): with DRAExtendedResource on, an
   * extended resource a node does not advertise but a DeviceClass backs is left to DynamicResources by the filter
   * and scored on the node's devices. @default none: such a request is unsatisfiable, as with the gate off
   */
  readonly dra?: DraExtendedResources;
}

const RESOURCES_NOT_FOUND: ErrorStatus = errorStatus('resources not found');

/**
 * NodeResourcesFit with its args (a strategy name, or NodeResourcesFitArgs as in a scheduler profile). Scoring
 * uses the non-zero requests for cpu and memory (`useRequested: false`), the actual ones for other resources.
 */
export function makeNodeResourcesFit(args: ScoringStrategyType | NodeResourcesFitArgs = 'LeastAllocated', options: NodeResourcesFitOptions = {}): FilterPlugin & ScorePlugin {
  const fitArgs: NodeResourcesFitArgs = typeof args === 'string' ? { scoringStrategy: { type: args } } : args;
  validateNodeResourcesFitArgs(fitArgs);
  const ignored = (fitArgs.ignoredResources ?? []).length + (fitArgs.ignoredResourceGroups ?? []).length > 0 ? new IgnoredResources(fitArgs) : undefined;
  const applyDefaults = options.applyDefaults ?? true;
  const dra = options.dra && (options.features ?? resolveFeatures()).gates.DRAExtendedResource ? options.dra : undefined;
  const scorer = makeScorer(fitArgs.scoringStrategy ?? {}, applyDefaults, dra);
  // resource_allocation.go score: "resources not found" when nothing is scored; only the undefaulted config can
  // get here, so the scheduler's own profile has no PreScore to pay for.
  const noResources = !applyDefaults && (fitArgs.scoringStrategy?.resources ?? []).length === 0;
  return {
    name: 'NodeResourcesFit',
    weight: 1,
    ...(noResources ? { preScore: () => RESOURCES_NOT_FOUND } : {}),
    filter: ignored || dra ? (pod, node, state) => fitReasons(pod, node, state, ignored, dra) : fitReasons,
    // The framework checks pods, cpu, memory and ephemeral-storage inline for pods without extended resources.
    fastPass: 'resourcesFit',
    score: scorer,
    ...(scorer === defaultLeastAllocated ? { scoreAll: defaultLeastAllocatedBatch, addWeightedScores: defaultLeastAllocatedWeighted } : {}),
  };
}

export const NodeResourcesFit = makeNodeResourcesFit('LeastAllocated');


// The results: `SimulationResult` is what the engine alone returns (`simulate()`: timeline, per-pod history,
// no verdict); `PlanResult` is what the pipeline (`plan()`) returns and every plan report renders: the
// simulation plus its cost, the checks' findings and the verdict, computed once. Plain JSON-safe data, stable
// key order (objects are built in a fixed order) so the same inputs and seed give identical JSON.

export const RESULT_SCHEMA_VERSION = 1;

/** Hours in a month, as AWS prices monthly rates (the cost model and the reports project months with it). */
export const HOURS_PER_MONTH = 730;

export type Severity = 'error' | 'warning' | 'info';

/** A check or lint finding (max-pods mismatch, missing PDB, ...). Errors fail the gate, warnings do not. */
export interface Finding {
  readonly severity: Severity;
  /** Stable identifier, e.g. `max-pods-mismatch`, `no-requests`. */
  readonly code: string;
  /** The object the finding is about: `Deployment default/web`, `NodeGroup system`, a logical id. */
  readonly object: string;
  readonly message: string;
  /** What to change to fix it. */
  readonly fix?: string;
}

export interface OwnerRef {
  readonly kind: 'nodegroup' | 'nodepool' | 'fargate' | 'automode' | 'static';
  readonly name: string;
}

/** Every node that existed during the run. */
export interface NodeRecord {
  readonly name: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly subnetId?: string;
  readonly capacityType: 'on-demand' | 'spot';
  readonly owner: OwnerRef;
  readonly launchedAt: number;
  readonly readyAt?: number;
  terminatedAt?: number;
  terminationReason?: string;
  readonly usdPerHour: number;
  readonly allocatable: { milliCpu: number; memoryBytes: number; pods: number };
  readonly maxPods: number;
}

export interface PodPendingRecord {
  /** `namespace/name` of the pod. */
  readonly pod: string;
  /** `Kind namespace/name` of the owning workload. */
  readonly workload: string;
  readonly pendingSeconds: number;
  /** Why it could not run, in kube-scheduler's words, when it was still pending at the end (or longest). */
  readonly reason?: string;
  /** True when it never started. */
  readonly neverScheduled: boolean;
  /** Each stretch it waited (simulated seconds; the last ends at the end of the run when still pending) and the scheduler's or CNI's last reason in it. */
  readonly intervals: readonly PendingInterval[];
}

export interface PendingInterval {
  readonly from: number;
  readonly to: number;
  readonly reason?: string;
}

/** What the pods on one node requested at the time of the node peak (as eks-node-viewer shows a node). */
export interface NodeLoad {
  readonly name: string;
  readonly requestedMilliCpu: number;
  readonly requestedMemoryBytes: number;
  readonly pods: number;
}

export interface WorkloadPlacement {
  readonly workload: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  /** Pods per node name. */
  readonly nodes: Record<string, number>;
  /** Pods per zone. */
  readonly zones: Record<string, number>;
}

export interface PendingPod {
  readonly pod: string;
  readonly workload: string;
  /** `Pending` (unschedulable) or `ContainerCreating` (scheduled, no IP). */
  readonly phase: 'Pending' | 'ContainerCreating';
  /** Upstream-style message: `0/6 nodes are available: 3 Insufficient cpu, ...`. */
  readonly message: string;
  /**
   * How many alike pods the entry stands for, when more than one: replicas of one workload named in ordinal order from
   * `pod` to `lastPod`, all with this message (a static run counts such replicas instead of listing each). Schema 1
   * adds it as an optional key: an entry without it is one pod. Count pods with `pendingPodCount`.
   */
  readonly count?: number;
  /** The last pod of an entry that stands for `count` pods. */
  readonly lastPod?: string;
}

/** The number of pods a list of pending-pod entries stands for (entries with a `count` stand for that many). */
export function pendingPodCount(pods: readonly PendingPod[]): number {
  let total = 0;
  for (const pod of pods) total += pod.count ?? 1;
  return total;
}

export interface SubnetUsage {
  readonly id: string;
  readonly cidr: string;
  readonly availabilityZone: string;
  /** Usable addresses: size minus the 5 AWS reserves. */
  readonly usable: number;
  /** Addresses held by node ENIs, warm pools and pods at the peak. */
  readonly usedPeak: number;
  readonly freeMin: number;
  readonly freePercentMin: number;
  /** Pods that could not get an address from this subnet. */
  readonly exhaustedPods: number;
}

export interface TimelinePoint {
  readonly t: number;
  readonly nodes: number;
  readonly nodesByOwner: Record<string, number>;
  readonly nodesByInstanceType: Record<string, number>;
  readonly podsRunning: number;
  readonly podsPending: number;
  readonly replicas: Record<string, number>;
  readonly pendingByWorkload: Record<string, number>;
  readonly requestedMilliCpu: number;
  readonly usedMilliCpu: number;
  readonly allocatableMilliCpu: number;
  readonly requestedMemoryBytes: number;
  readonly usedMemoryBytes: number;
  readonly allocatableMemoryBytes: number;
  readonly freeIpsBySubnet: Record<string, number>;
  readonly usdPerHour: number;
  /** Offered load per workload (requests/second) from the scenario, when the scenario gives one. */
  readonly requestsPerSecond?: Record<string, number>;
}

export type SimEventType =
  | 'scale-up' | 'scale-down' | 'launch' | 'ready' | 'terminate' | 'consolidate' | 'replace' | 'evict'
  | 'interruption' | 'hpa' | 'pending' | 'scheduled' | 'fault' | 'insufficient-capacity' | 'limit' | 'expire'
  /** Karpenter found a node drifted from its NodePool or EC2NodeClass, or acted on one. */
  | 'drift'
  /** What the warm-up before t = 0 (simulate) or the static settling pass changed, summarised at t = 0. */
  | 'warm-up';

export interface SimEvent {
  readonly t: number;
  readonly type: SimEventType;
  /** The controller that acted: `hpa`, `cluster-autoscaler`, `karpenter`, `scheduler`, `scenario`. */
  readonly source: string;
  readonly object: string;
  readonly message: string;
}

export interface CostLine {
  readonly category: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** Cost over the simulated window. */
  readonly windowUsd: number;
  /** Projected per month (730 hours) at the window's average rate. */
  readonly monthlyUsd: number;
  /** Where the price comes from (catalog source and date). */
  readonly priceSource: string;
}

export interface CostBreakdown {
  readonly region: string;
  readonly currency: 'USD';
  readonly windowHours: number;
  readonly windowUsd: number;
  readonly monthlyUsd: number;
  readonly byCategory: Record<string, number>;
  /** Monthly node cost allocated to workloads by requested CPU/memory share, as OpenCost does. */
  readonly byWorkload: Record<string, number>;
  /** Share of node cost not requested by any pod (0..1). */
  readonly idleShare: number;
  readonly lines: CostLine[];
}

export interface ThresholdResult {
  /** One of maxPendingSeconds, maxPendingPods, maxMonthlyCostUsd, minFreeSubnetIpsPercent, maxNodes. */
  readonly name: string;
  readonly limit: number;
  readonly measured: number;
  readonly passed: boolean;
  readonly unit: string;
}

export interface Verdict {
  readonly passed: boolean;
  readonly thresholds: ThresholdResult[];
  /** Error findings also fail the verdict. */
  readonly errorFindings: number;
  /**
   * Static plans (no scenario): the pods that still cannot run once the deployed controllers have settled, each
   * with its reason; any one fails the verdict (the `maxPendingPods` criterion with limit 0).
   */
  readonly pendingPods?: PendingPod[];
}

/** What the engine returns: the run, without cost or verdict (those are the pipeline's). */
export interface SimulationResult {
  readonly schemaVersion: number;
  readonly input: {
    readonly origin: string;
    readonly scenario: string;
    readonly seed: number;
    readonly region: string;
    readonly durationSeconds: number;
    readonly stepSeconds: number;
    readonly kubernetesVersion?: string;
  };
  readonly summary: {
    readonly peakNodes: number;
    readonly peakPodsPending: number;
    readonly maxPendingSeconds: number;
    readonly pendingPodSeconds: number;
    readonly minFreeSubnetIpsPercent: number;
    readonly nodesByInstanceTypeAtPeak: Record<string, number>;
    /** When the node count first reached its peak, and each node's requests then. */
    readonly peakAt?: number;
    readonly nodeLoadAtPeak?: NodeLoad[];
  };
  readonly nodes: NodeRecord[];
  readonly placements: WorkloadPlacement[];
  readonly pendingPods: PendingPod[];
  readonly podPending: PodPendingRecord[];
  readonly subnets: SubnetUsage[];
  readonly timeline: TimelinePoint[];
  readonly events: SimEvent[];
  /** What the engine itself notes about the run (e.g. a static placement that ignores NodePools). */
  readonly findings: Finding[];
}

/** What `plan()` returns: the simulation, its full cost, every finding, and the one verdict over them. */
export interface PlanResult extends SimulationResult {
  readonly verdict: Verdict;
  readonly cost: CostBreakdown;
  /**
   * A plan over many seeds (`planSeeds`, `--seeds N`): the spread of every measure over the seeds and the quantile the
   * verdict used. The rest of the result is the run of the first seed. Absent for a single-seed plan (schema 1 adds it
   * as an optional key: readers of single-seed reports see no change).
   */
  readonly seeds?: SeedsSummary;
}

/** Which seed quantile the verdict of a many-seed plan measures each threshold on (nearest rank, worse direction). */
export type SeedQuantile = 'p50' | 'p95' | 'max';
export const SEED_QUANTILES: readonly SeedQuantile[] = ['p50', 'p95', 'max'];

/**
 * One measure (the quantity a threshold limits) over the seeds. Quantiles are nearest-rank and taken in the worse
 * direction: for a `max…` threshold the p95 is the value 95% of seeds stay at or under; for `minFreeSubnetIpsPercent`
 * it is the value 95% of seeds stay at or above, and `max` is the worst seed (its minimum).
 */
export interface SeedMeasure {
  /** The threshold name (maxPendingSeconds, maxPendingPods, maxMonthlyCostUsd, minFreeSubnetIpsPercent, maxNodes). */
  readonly name: string;
  readonly unit: string;
  /** The scenario's limit, when it sets this threshold. */
  readonly limit?: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  /** The seed with the worst value (the first such seed in seed order). */
  readonly worstSeed: number;
}

/** One seed's run, reduced to its measures and its own verdict. */
export interface SeedRun {
  readonly seed: number;
  /** The run's own verdict (every threshold met at this seed, no error finding). */
  readonly passed: boolean;
  /** Each measure of the run, rounded as the verdict rounds it, by threshold name. */
  readonly measures: Record<string, number>;
}

export interface SeedsSummary {
  /** How many seeds ran: `seed`, `seed + 1`, ... (modulo 2^32), the first the plan's own seed. */
  readonly count: number;
  /** The quantile of each measure the verdict compared with its limit. */
  readonly quantile: SeedQuantile;
  readonly measures: SeedMeasure[];
  /** Seeds whose own run failed its verdict. */
  readonly failedSeeds: number;
  /** Every seed in seed order. */
  readonly runs: SeedRun[];
}

/** What `eksplan check` reports: the findings the assembly alone shows. */
export interface CheckResult {
  readonly kind: 'check';
  readonly origin: string;
  readonly findings: Finding[];
  /** Error findings fail the check. */
  readonly passed: boolean;
}

/** One what-if variant of a comparison, run through the pipeline. */
export interface ComparisonRow {
  readonly variant: string;
  readonly peakNodes: number;
  readonly pendingPodSeconds: number;
  readonly minFreeSubnetIpsPercent: number;
  readonly monthlyUsd: number;
  /** Monthly cost minus the first (as-is) variant's. */
  readonly deltaUsd: number;
  readonly passed: boolean;
  readonly result: PlanResult;
}

/** What `eksplan compare` reports: the same scenario on each variant. */
export interface ComparisonResult {
  readonly kind: 'comparison';
  readonly scenario: string;
  readonly rows: ComparisonRow[];
}

/** Every result a report can render. */
export type ReportableResult = PlanResult | CheckResult | ComparisonResult;

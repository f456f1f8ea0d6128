// A load scenario as plain data: duration and step, load per workload, faults, controller settings, cost
// traffic assumptions, and the thresholds the verdict checks. simulation/engine/scenario.ts reads and
// validates it from YAML or JSON; the controllers read their settings from here, below all of them.

export type LoadProfile =
  | { readonly type: 'constant'; readonly rps: number }
  | { readonly type: 'step'; readonly steps: readonly { readonly at: number; readonly rps: number }[] }
  | { readonly type: 'ramp'; readonly from: number; readonly to: number; readonly start: number; readonly end: number }
  | { readonly type: 'diurnal'; readonly min: number; readonly max: number; readonly peakHour: number }
  | { readonly type: 'spike'; readonly base: number; readonly multiplier: number; readonly at: number; readonly duration: number }
  | { readonly type: 'series'; readonly points: readonly { readonly t: number; readonly rps: number }[] };

export interface WorkloadLoad {
  /** `Kind namespace/name` or `namespace/name`. */
  readonly workload: string;
  readonly profile: LoadProfile;
  /** Resource use per request per second. */
  readonly perRequest: { readonly cpuMillicores: number; readonly memoryMiB: number };
  /** Resource use of an idle pod. */
  readonly baseline: { readonly cpuMillicores: number; readonly memoryMiB: number };
}

export type Fault =
  | { readonly type: 'az-outage'; readonly zone: string; readonly from: number; readonly to: number }
  | { readonly type: 'spot-interruption'; readonly at?: number; readonly fraction?: number; readonly ratePerHour?: number }
  | { readonly type: 'node-failure'; readonly at: number; readonly count: number; readonly nodeGroup?: string }
  | { readonly type: 'insufficient-capacity'; readonly instanceTypes: readonly string[]; readonly from: number; readonly to: number; readonly zones?: readonly string[] };

export interface Thresholds {
  readonly maxPendingSeconds?: number;
  readonly maxPendingPods?: number;
  readonly maxMonthlyCostUsd?: number;
  readonly minFreeSubnetIpsPercent?: number;
  readonly maxNodes?: number;
}

export interface ControllerSettings {
  readonly clusterAutoscaler: {
    /** cluster-autoscaler --expander: one of random, least-waste, most-pods, least-nodes, priority, or a comma-separated chain. */
    readonly expander: string;
    /** --balance-similar-node-groups. */
    readonly balanceSimilarNodeGroups?: boolean;
    readonly priorities: Readonly<Record<string, number>>;
    readonly provisioningDelaySeconds: number;
    readonly scanIntervalSeconds: number;
    readonly scaleDownUtilizationThreshold: number;
    readonly scaleDownUnneededSeconds: number;
    readonly scaleDownDelayAfterAddSeconds: number;
    /** --scale-down-enabled (default true). */
    readonly scaleDownEnabled?: boolean;
    /** The settings the scenario gives (`expander`, `scanInterval`, ...): they win over the deployed flags. */
    readonly explicit?: readonly string[];
  };
  /**
   * NodeClaim launch to node Ready. Karpenter's batch windows are not scenario settings: they are the chart
   * values the assembly deploys (`settings.batchIdleDuration` / `batchMaxDuration`, model.karpenterSettings).
   */
  readonly karpenter: { readonly launchDelaySeconds: number };
  readonly hpa: { readonly syncPeriodSeconds: number };
  readonly pods: { readonly startupSeconds: number };
}

/** A capacity or metrics component the scenario says runs in the cluster though the assembly does not deploy it. */
export type AssumedController = 'cluster-autoscaler' | 'karpenter' | 'metrics-server';
export const ASSUMABLE_CONTROLLERS: readonly AssumedController[] = ['cluster-autoscaler', 'karpenter', 'metrics-server'];

export interface Scenario {
  readonly name: string;
  readonly file?: string;
  readonly durationSeconds: number;
  readonly stepSeconds: number;
  readonly seed: number;
  readonly region?: string;
  readonly startDate?: string;
  readonly loads: readonly WorkloadLoad[];
  readonly faults: readonly Fault[];
  readonly thresholds: Thresholds;
  readonly controllers: ControllerSettings;
  /** Utilization of requests for workloads without a load (0..1). */
  readonly defaultUtilization: number;
  /** Traffic assumptions for the cost model; each field left out takes the cost model's default. */
  readonly traffic?: ScenarioTraffic;
  /** Controllers deployed outside the assembly (another stack, GitOps); the engine runs them as if deployed. @default none */
  readonly assume?: readonly AssumedController[];
  /**
   * Feature gates turned on or off over the cluster version's defaults, for what-ifs (`TaintTolerationComparisonOperators:
   * true`); only gates the simulation reads (scheduler/features.ts) are accepted. @default the version's defaults
   */
  readonly featureGates?: Readonly<Record<string, boolean>>;
}

/** One call edge between workloads, for the cross-AZ data-transfer estimate. */
export interface TrafficCall {
  /** The calling workload (`Kind namespace/name`, `namespace/name` or `name`). */
  readonly from: string;
  readonly to: string;
  /** Bytes per call. @default the section's bytesPerRequest */
  readonly bytesPerRequest?: number;
  /** A fixed call rate. @default the caller's offered load × ratio */
  readonly requestsPerSecond?: number;
  /** Calls per request the caller receives. @default 1 */
  readonly ratio?: number;
}

/** The scenario's `traffic:` section: every field optional, each validated (non-negative, finite). */
export interface ScenarioTraffic {
  readonly bytesPerRequest?: number;
  readonly requestsPerConnection?: number;
  readonly connectionSeconds?: number;
  readonly ruleEvaluationsPerRequest?: number;
  readonly natProcessedGbPerMonth?: number;
  readonly controlPlaneLogGbPerTypeMonth?: number;
  readonly auditLogGbPerNodeMonth?: number;
  readonly calls?: readonly TrafficCall[];
}

import type { HorizontalPodAutoscaler, HpaScalingPolicy, HpaScalingRules } from '../model/kubernetes';
import { parseQuantity } from '../model/quantity';
import { resolveFeatures, type FeatureOptions } from '../scheduler/features';
import { objectList } from '../model/object-list';

// The HorizontalPodAutoscaler (autoscaling/v2) as pkg/controller/podautoscaler implements it:
// replica_calculator.go for the proposal per metric, horizontal.go for stabilization and scaling policies.

/** The controller's --horizontal-pod-autoscaler-tolerance default. */
export const DEFAULT_TOLERANCE = 0.1;

export interface HpaPodSample {
  /** Ready, and past the CPU initialization period for CPU metrics (upstream judges readiness for cpu only). */
  readonly ready: boolean;
  /** The pod's metric value (usage in the request's unit, or the per-pod metric); undefined when missing. */
  readonly value?: number;
  /** The pod's request (sum over its containers, or the named container) for Utilization targets; undefined when a container has none. */
  readonly request?: number;
  /** A Pending pod: unready whatever its metrics (groupPods). */
  readonly pending?: boolean;
  /** A deleted or Failed pod: left out entirely. */
  readonly ignored?: boolean;
  /**
   * A metric the metrics API returned for a pod the selector does not list (an older pod's name): it counts as a
   * received metric, matches no request (Utilization skips it) but enters a plain average (replica_calculator.go
   * keeps it in the metrics map; metrics_client GetMetricUsageRatio averages every entry).
   */
  readonly unlisted?: boolean;
}

/** Which spec.metrics[] entry a metric input comes from (for messages). */
export type HpaMetricSource = 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';

export type HpaMetricInput =
  /** Resource or ContainerResource Utilization: target percent of requests. */
  | { readonly kind: 'Utilization'; readonly targetPercent: number; readonly pods: readonly HpaPodSample[]; readonly source?: HpaMetricSource; readonly name?: string }
  /**
   * Resource / ContainerResource AverageValue or a Pods metric: target per pod. Values are averaged as integers
   * in milli-units (upstream's MilliValue); `milliScale` turns the given unit into milli-units. @default 1000
   */
  | { readonly kind: 'AverageValue'; readonly target: number; readonly pods: readonly HpaPodSample[]; readonly milliScale?: number; readonly source?: HpaMetricSource; readonly name?: string }
  /** Object Value: one value for the object, target value; the proposal scales the ready pods. */
  | { readonly kind: 'ObjectValue'; readonly value: number; readonly target: number; readonly readyPods: number; readonly source?: HpaMetricSource; readonly name?: string }
  /** Object / External AverageValue: the total divided by the target gives replicas. */
  | { readonly kind: 'ObjectAverageValue'; readonly value: number; readonly target: number; readonly source?: HpaMetricSource; readonly name?: string }
  /** External Value: the sum of the series against the target; the proposal scales the ready pods. */
  | { readonly kind: 'ExternalValue'; readonly values: readonly number[]; readonly target: number; readonly readyPods: number; readonly source?: HpaMetricSource; readonly name?: string }
  /** A metric the controller could not read (no metrics, unknown metric): an error result. */
  | { readonly kind: 'Invalid'; readonly message: string; readonly source?: HpaMetricSource; readonly name?: string };

/** The two-sided tolerance (replica_calculator.go Tolerances). */
export interface HpaTolerances {
  readonly scaleUp: number;
  readonly scaleDown: number;
}

export interface HpaInput extends FeatureOptions {
  readonly currentReplicas: number;
  readonly metrics: readonly HpaMetricInput[];
  /** The controller-wide tolerance, both sides. @default 0.1 */
  readonly tolerance?: number;
  /**
   * The HPA's behavior: `scaleUp.tolerance` / `scaleDown.tolerance` override the controller's tolerance when the
   * HPAConfigurableTolerance gate is on (beta and on by default from 1.35).
   */
  readonly behavior?: HorizontalPodAutoscaler['spec']['behavior'];
}

/** What upstream's calculator returns for one metric: the proposal with the measured usage, or the error. */
export interface HpaMetricResult {
  readonly replicas?: number;
  /** Resource / ContainerResource Utilization: the integer percent of requests. */
  readonly utilization?: number;
  /** The raw average per pod (milli-units for pod metrics, the metric's unit for Object/External). */
  readonly rawAverageValue?: number;
  readonly error?: string;
}

export interface HpaCalculation {
  /** The proposal (the largest over valid metrics), or the current count when the HPA refuses to scale. */
  readonly replicas: number;
  readonly metrics: readonly HpaMetricResult[];
  /** horizontal.go: every metric invalid, or some invalid while the valid ones would scale down. */
  readonly error?: string;
}

/** horizontal.go getTolerances: the controller's, replaced per direction by the HPA's own with the gate on. */
export function hpaTolerances(input: Pick<HpaInput, 'tolerance' | 'behavior' | 'kubernetesVersion' | 'featureGates'>): HpaTolerances {
  const base = input.tolerance ?? DEFAULT_TOLERANCE;
  const tolerances = { scaleUp: base, scaleDown: base };
  if (!resolveFeatures(input).gates.HPAConfigurableTolerance) return tolerances;
  const up = input.behavior?.scaleUp?.tolerance;
  const down = input.behavior?.scaleDown?.tolerance;
  if (up !== undefined) tolerances.scaleUp = parseQuantity(up, { field: 'spec.behavior.scaleUp.tolerance' });
  if (down !== undefined) tolerances.scaleDown = parseQuantity(down, { field: 'spec.behavior.scaleDown.tolerance' });
  return tolerances;
}

/** replica_calculator.go Tolerances.isWithin: 1 − scaleDown ≤ ratio ≤ 1 + scaleUp, both ends included. */
export function withinTolerance(ratio: number, tolerances: HpaTolerances): boolean {
  return 1.0 - tolerances.scaleDown <= ratio && ratio <= 1.0 + tolerances.scaleUp;
}

/**
 * horizontal.go computeReplicasForMetrics over replica_calculator.go: each metric proposes a count, the largest
 * wins. If every metric is invalid, or some are and the valid ones would scale down, the HPA refuses to scale
 * (the current count stays). Min/max and behaviour are applied by `HpaController`.
 */
export function hpaReplicaCalculation(input: HpaInput): HpaCalculation {
  const tolerances = hpaTolerances(input);
  const results: HpaMetricResult[] = [];
  let replicas = 0;
  let invalid = 0;
  let firstError: string | undefined;
  for (const metric of input.metrics) {
    const result = metricReplicas(metric, input.currentReplicas, tolerances);
    results.push(result);
    if (result.error !== undefined || result.replicas === undefined) {
      invalid += 1;
      firstError ??= result.error;
      continue;
    }
    if (replicas === 0 || result.replicas > replicas) replicas = result.replicas;
  }
  if (invalid >= input.metrics.length || (invalid > 0 && replicas < input.currentReplicas)) {
    return { replicas: input.currentReplicas, metrics: results, error: `invalid metrics (${invalid} invalid out of ${input.metrics.length}), first error is: ${firstError ?? 'no metrics'}` };
  }
  // error is declared either way: one hidden class for the engine's per-sync read of it (V8).
  return { replicas, metrics: results, error: undefined };
}

/** The proposal of the HPA's metrics (the current count when it refuses to scale); see `hpaReplicaCalculation`. */
export function hpaDesiredReplicas(input: HpaInput): number {
  return hpaReplicaCalculation(input).replicas;
}

function metricReplicas(metric: HpaMetricInput, current: number, tolerances: HpaTolerances): HpaMetricResult {
  switch (metric.kind) {
    case 'Utilization': return resourceReplicas(metric.pods, metric.targetPercent, current, tolerances, metric.name ?? 'resource', readinessCounts(metric));
    case 'AverageValue': return plainMetricReplicas(metric.pods, metric.target, metric.milliScale ?? 1000, current, tolerances, readinessCounts(metric));
    case 'ObjectValue': {
      if (metric.target <= 0) return { error: 'target value must be positive' };
      const result = usageRatioReplicas(current, metric.value / metric.target, metric.readyPods, tolerances);
      return { ...result, rawAverageValue: metric.value };
    }
    case 'ExternalValue': {
      if (metric.target <= 0) return { error: 'target value must be positive' };
      const usage = metric.values.reduce((sum, v) => sum + v, 0);
      return { ...usageRatioReplicas(current, usage / metric.target, metric.readyPods, tolerances), rawAverageValue: usage };
    }
    case 'ObjectAverageValue': {
      // GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas: scale by the status replicas.
      if (metric.target <= 0) return { error: 'target average value must be positive' };
      let replicas = current;
      if (!withinTolerance(metric.value / (metric.target * current), tolerances)) replicas = Math.ceil(metric.value / metric.target);
      return { replicas, rawAverageValue: current > 0 ? Math.ceil(metric.value / current) : metric.value };
    }
    case 'Invalid':
      return { error: metric.message };
  }
}

/** groupPods judges readiness for the cpu resource only; Pods metrics and memory count every pod with a metric. */
function readinessCounts(metric: { readonly source?: HpaMetricSource; readonly name?: string }): boolean {
  if (metric.source === 'Pods' || metric.source === 'Object' || metric.source === 'External') return false;
  return metric.name === undefined || metric.name === 'cpu';
}

/** replica_calculator.go getUsageRatioReplicaCount: within tolerance keeps the count; from or to zero uses the ratio alone. */
function usageRatioReplicas(current: number, ratio: number, readyPods: number, tolerances: HpaTolerances): HpaMetricResult {
  if (current === 0) return { replicas: Math.ceil(ratio) };
  if (withinTolerance(ratio, tolerances)) return { replicas: current };
  return { replicas: Math.ceil(ratio * readyPods) };
}

interface Grouped {
  readyCount: number;
  /** Pods the selector lists (unlisted metrics left out). */
  listed: number;
  /** Values of pods with metrics that count (ready ones), by index. */
  readonly metrics: Map<number, number>;
  readonly unready: number[];
  readonly missing: number[];
}

/**
 * replica_calculator.go groupPods: ignored (deleted/failed), unready (pending, or not ready where readiness
 * counts: cpu resource metrics only), missing (no metric), ready.
 */
function groupPods(pods: readonly HpaPodSample[], scale: number, honourReadiness: boolean): Grouped {
  const grouped: Grouped = { readyCount: 0, listed: 0, metrics: new Map(), unready: [], missing: [] };
  pods.forEach((pod, i) => {
    if (pod.unlisted) {
      // groupPods walks the listed pods only: another pod's metric stays in the map untouched.
      if (pod.value !== undefined) grouped.metrics.set(i, Math.round(pod.value * scale));
      return;
    }
    grouped.listed += 1;
    if (pod.ignored) return;
    if (pod.pending) {
      grouped.unready.push(i);
      return;
    }
    if (pod.value === undefined) {
      grouped.missing.push(i);
      return;
    }
    if (honourReadiness && !pod.ready) {
      grouped.unready.push(i);
      return;
    }
    grouped.metrics.set(i, Math.round(pod.value * scale));
    grouped.readyCount += 1;
  });
  return grouped;
}

/**
 * metrics_client GetResourceUtilizationRatio: trunc(Σusage × 100 / Σrequests) over the metrics of pods with a
 * request (a metric for an unlisted pod is skipped), as an integer, exact for large byte counts.
 */
function utilizationOf(metrics: ReadonlyMap<number, number>, requests: readonly (number | undefined)[]): { utilization: number; rawAverage: number } | undefined {
  let usage = 0n;
  let requested = 0n;
  let entities = 0n;
  for (const [i, value] of metrics) {
    const request = requests[i];
    if (request === undefined) continue;
    usage += BigInt(value);
    requested += BigInt(request);
    entities += 1n;
  }
  if (requested === 0n) return undefined;
  return { utilization: Number((usage * 100n) / requested), rawAverage: Number(usage / entities) };
}

/** replica_calculator.go GetResourceReplicas (Resource and ContainerResource Utilization targets). */
function resourceReplicas(pods: readonly HpaPodSample[], targetPercent: number, current: number, tolerances: HpaTolerances, name: string, honourReadiness: boolean): HpaMetricResult {
  const grouped = groupPods(pods, 1, honourReadiness);
  if (grouped.listed === 0) return { error: 'no pods returned by selector while calculating replica count' };
  if (grouped.metrics.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  // calculatePodRequests: every pod the selector lists needs a request for the resource.
  if (pods.some((p) => !p.unlisted && p.request === undefined)) return { error: `missing request for ${name}` };
  // One elements kind whether the requests are small integers, byte counts (doubles) or missing (utilizationOf reads them).
  const requests = objectList<number | undefined>();
  for (const p of pods) requests.push(p.unlisted ? undefined : Math.round(p.request ?? 0));
  const measured = utilizationOf(grouped.metrics, requests);
  if (!measured) return { error: 'no metrics returned matched known pods' };
  const { utilization, rawAverage } = measured;
  const ratio = utilization / targetPercent;
  const scaleUpWithUnready = grouped.unready.length > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && grouped.missing.length === 0) {
    if (withinTolerance(ratio, tolerances)) return { replicas: current, utilization, rawAverageValue: rawAverage };
    return { replicas: Math.ceil(ratio * grouped.readyCount), utilization, rawAverageValue: rawAverage };
  }
  const filled = new Map(grouped.metrics);
  if (grouped.missing.length > 0) {
    // On a scale-down a missing pod uses max(100%, target) of its request; on a scale-up, nothing; at exactly 1.0, neither.
    if (ratio < 1.0) for (const i of grouped.missing) filled.set(i, Math.trunc(((requests[i] ?? 0) * Math.max(100, targetPercent)) / 100));
    else if (ratio > 1.0) for (const i of grouped.missing) filled.set(i, 0);
  }
  if (scaleUpWithUnready) for (const i of grouped.unready) filled.set(i, 0);
  const recomputed = utilizationOf(filled, requests);
  if (!recomputed) return { error: 'no metrics returned matched known pods', utilization, rawAverageValue: rawAverage };
  const newRatio = recomputed.utilization / targetPercent;
  if (withinTolerance(newRatio, tolerances) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
    return { replicas: current, utilization, rawAverageValue: rawAverage };
  }
  const proposal = Math.ceil(newRatio * filled.size);
  if ((newRatio < 1.0 && proposal > current) || (newRatio > 1.0 && proposal < current)) return { replicas: current, utilization, rawAverageValue: rawAverage };
  return { replicas: proposal, utilization, rawAverageValue: rawAverage };
}

/** metrics_client GetMetricUsageRatio: the integer average (milli-units) over the target. */
function usageRatio(metrics: ReadonlyMap<number, number>, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const value of metrics.values()) total += value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

/** replica_calculator.go calcPlainMetricReplicas (Pods metrics and Resource AverageValue targets). */
function plainMetricReplicas(pods: readonly HpaPodSample[], target: number, scale: number, current: number, tolerances: HpaTolerances, honourReadiness: boolean): HpaMetricResult {
  const grouped = groupPods(pods, scale, honourReadiness);
  if (grouped.listed === 0) return { error: 'no pods returned by selector while calculating replica count' };
  const targetMilli = Math.round(target * scale);
  if (targetMilli <= 0) return { error: 'target average value must be positive' };
  if (grouped.metrics.size === 0) return { error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const { ratio, usage } = usageRatio(grouped.metrics, targetMilli);
  const scaleUpWithUnready = grouped.unready.length > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && grouped.missing.length === 0) {
    if (withinTolerance(ratio, tolerances)) return { replicas: current, rawAverageValue: usage };
    return { replicas: Math.ceil(ratio * grouped.readyCount), rawAverageValue: usage };
  }
  const filled = new Map(grouped.metrics);
  // A missing pod uses exactly the target on a scale-down, nothing otherwise.
  for (const i of grouped.missing) filled.set(i, ratio < 1.0 ? targetMilli : 0);
  if (scaleUpWithUnready) for (const i of grouped.unready) filled.set(i, 0);
  const newRatio = usageRatio(filled, targetMilli).ratio;
  if (withinTolerance(newRatio, tolerances) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) return { replicas: current, rawAverageValue: usage };
  const proposal = Math.ceil(newRatio * filled.size);
  if ((newRatio < 1.0 && proposal > current) || (newRatio > 1.0 && proposal < current)) return { replicas: current, rawAverageValue: usage };
  return { replicas: proposal, rawAverageValue: usage };
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly HpaScalingPolicy[];
  readonly tolerance?: number;
}

// The default behaviour (pkg/apis/autoscaling/v2/defaults.go).
export const DEFAULT_SCALE_UP: ScalingRules = {
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
export const DEFAULT_SCALE_DOWN: ScalingRules = {
  stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

export function scalingRules(rules: HpaScalingRules | undefined, defaults: ScalingRules): ScalingRules {
  if (!rules) return defaults;
  return {
    stabilizationWindowSeconds: rules.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules.selectPolicy ?? 'Max',
    policies: rules.policies && rules.policies.length > 0 ? rules.policies : defaults.policies,
    tolerance: rules.tolerance !== undefined ? parseQuantity(rules.tolerance) : undefined,
  };
}

interface TimedValue { readonly t: number; readonly value: number }

/**
 * One HPA's state over time: recommendation history for the stabilization windows and scale events for the
 * rate policies (horizontal.go stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate).
 */
export class HpaController {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly up: ScalingRules;
  readonly down: ScalingRules;
  private readonly recommendations = objectList<TimedValue>();
  private readonly upEvents = objectList<TimedValue>();
  private readonly downEvents = objectList<TimedValue>();
  /** The longest period of any scaling policy, both directions (both read both event lists). */
  private readonly longestPeriod: number;

  constructor(spec: Pick<HorizontalPodAutoscaler['spec'], 'minReplicas' | 'maxReplicas' | 'behavior'>) {
    this.minReplicas = spec.minReplicas ?? 1;
    this.maxReplicas = spec.maxReplicas;
    this.up = scalingRules(spec.behavior?.scaleUp, DEFAULT_SCALE_UP);
    this.down = scalingRules(spec.behavior?.scaleDown, DEFAULT_SCALE_DOWN);
    this.longestPeriod = Math.max(1, ...[...this.up.policies, ...this.down.policies].map((p) => p.periodSeconds));
  }

  /** The replicas to set at time t given the metric proposal (already computed by hpaDesiredReplicas). */
  decide(t: number, currentReplicas: number, proposal: number): number {
    // Scaling is disabled for a target at zero replicas (horizontal.go: "scaling is disabled since the replica count of the target is zero").
    if (currentReplicas === 0) return 0;
    const desired = Math.max(this.minReplicas, Math.min(this.maxReplicas, proposal));
    let upRecommendation = desired;
    let downRecommendation = desired;
    const upFrom = t - this.up.stabilizationWindowSeconds;
    const downFrom = t - this.down.stabilizationWindowSeconds;
    for (const rec of this.recommendations) {
      if (rec.t > upFrom && rec.value < upRecommendation) upRecommendation = rec.value;
      if (rec.t > downFrom && rec.value > downRecommendation) downRecommendation = rec.value;
    }
    this.recommendations.push({ t, value: desired });
    const horizon = t - Math.max(this.up.stabilizationWindowSeconds, this.down.stabilizationWindowSeconds, 1);
    while (this.recommendations.length > 0 && this.recommendations[0].t <= horizon) this.recommendations.shift();

    let recommendation = currentReplicas;
    if (recommendation < upRecommendation) recommendation = upRecommendation;
    if (recommendation > downRecommendation) recommendation = downRecommendation;

    let result = recommendation;
    if (recommendation > currentReplicas) {
      const limit = Math.max(currentReplicas, this.upLimit(t, currentReplicas));
      result = Math.min(recommendation, limit, this.maxReplicas);
    } else if (recommendation < currentReplicas) {
      const limit = Math.min(currentReplicas, this.downLimit(t, currentReplicas));
      result = Math.max(recommendation, limit, this.minReplicas);
    }
    if (result > currentReplicas) this.upEvents.push({ t, value: result - currentReplicas });
    if (result < currentReplicas) this.downEvents.push({ t, value: currentReplicas - result });
    // horizontal.go storeScaleEvent marks events older than the longest policy period outdated: they never count
    // again (time only moves on), so a long run does not rescan every scale event it ever made.
    const oldest = t - this.longestPeriod;
    while (this.upEvents.length > 0 && this.upEvents[0].t <= oldest) this.upEvents.shift();
    while (this.downEvents.length > 0 && this.downEvents[0].t <= oldest) this.downEvents.shift();
    return result;
  }

  private changed(events: TimedValue[], t: number, period: number): number {
    let sum = 0;
    for (const e of events) if (e.t > t - period) sum += e.value;
    return sum;
  }

  private upLimit(t: number, current: number): number {
    if (this.up.selectPolicy === 'Disabled') return current;
    let result = this.up.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (const policy of this.up.policies) {
      const start = current - this.changed(this.upEvents, t, policy.periodSeconds) + this.changed(this.downEvents, t, policy.periodSeconds);
      const proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
      result = this.up.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  private downLimit(t: number, current: number): number {
    if (this.down.selectPolicy === 'Disabled') return current;
    let result = this.down.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    for (const policy of this.down.policies) {
      const start = current - this.changed(this.upEvents, t, policy.periodSeconds) + this.changed(this.downEvents, t, policy.periodSeconds);
      const proposed = policy.type === 'Pods' ? start - policy.value : Math.floor(start * (1 - policy.value / 100));
      result = this.down.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }
}

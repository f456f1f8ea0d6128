import type { HorizontalPodAutoscaler, HpaScalingPolicy, HpaScalingRules } from '../model/kubernetes';
import { parseQuantity } from '../model/quantity';

// The HorizontalPodAutoscaler (autoscaling/v2) as pkg/controller/podautoscaler implements it:
// replica_calculator.go for the proposal per metric, horizontal.go for stabilization and scaling policies.

export const DEFAULT_TOLERANCE = 0.1;

export interface HpaPodSample {
  /** Ready, and past the CPU initialization period for CPU metrics. */
  readonly ready: boolean;
  /** The pod's metric value (usage in the request's unit, or the per-pod metric); undefined when missing. */
  readonly value?: number;
  /** The pod's request for Utilization targets. */
  readonly request?: number;
}

export type HpaMetricInput =
  /** Resource Utilization: target percent of requests. */
  | { readonly kind: 'Utilization'; readonly targetPercent: number; readonly pods: readonly HpaPodSample[] }
  /** Resource or Pods AverageValue: target per pod. */
  | { readonly kind: 'AverageValue'; readonly target: number; readonly pods: readonly HpaPodSample[] }
  /** Object Value: one value for the object, target value. */
  | { readonly kind: 'ObjectValue'; readonly value: number; readonly target: number; readonly readyPods: number }
  /** Object / External AverageValue: the total divided by the target gives replicas. */
  | { readonly kind: 'ObjectAverageValue'; readonly value: number; readonly target: number };

export interface HpaInput {
  readonly currentReplicas: number;
  readonly metrics: readonly HpaMetricInput[];
  readonly tolerance?: number;
}

/**
 * The replica count each metric proposes, the largest winning (horizontal.go computeReplicasForMetrics).
 * Unready pods and pods without metrics are handled as the replica calculator does: on scale up they count as
 * using nothing, on scale down missing pods count as at target; if that flips the direction or lands within
 * tolerance the current count stays. Min/max and behaviour are applied by `HpaController`.
 */
export function hpaDesiredReplicas(input: HpaInput): number {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  let best = 0;
  let any = false;
  for (const metric of input.metrics) {
    const proposal = proposalFor(metric, input.currentReplicas, tolerance);
    if (proposal === undefined) continue;
    any = true;
    best = Math.max(best, proposal);
  }
  return any ? best : input.currentReplicas;
}

function proposalFor(metric: HpaMetricInput, current: number, tolerance: number): number | undefined {
  switch (metric.kind) {
    case 'ObjectValue': {
      const ratio = metric.value / metric.target;
      if (Math.abs(1 - ratio) <= tolerance) return current;
      return Math.ceil(ratio * metric.readyPods);
    }
    case 'ObjectAverageValue': {
      const ratio = metric.value / (metric.target * current);
      if (Math.abs(1 - ratio) <= tolerance) return current;
      return Math.ceil(metric.value / metric.target);
    }
    default:
      return podsProposal(metric, current, tolerance);
  }
}

function podsProposal(metric: Extract<HpaMetricInput, { pods: readonly HpaPodSample[] }>, current: number, tolerance: number): number | undefined {
  const target = metric.kind === 'Utilization' ? metric.targetPercent : metric.target;
  const ready = metric.pods.filter((p) => p.ready && p.value !== undefined);
  const missing = metric.pods.filter((p) => p.value === undefined);
  const unready = metric.pods.filter((p) => !p.ready && p.value !== undefined);
  if (ready.length === 0 && missing.length === 0 && unready.length === 0) return undefined;
  const ratioOf = (samples: readonly { value: number; request?: number }[]): number => {
    if (metric.kind === 'Utilization') {
      const usage = samples.reduce((s, p) => s + p.value, 0);
      const requests = samples.reduce((s, p) => s + (p.request ?? 0), 0);
      if (requests === 0) return NaN;
      return (usage * 100) / requests / target;
    }
    return samples.reduce((s, p) => s + p.value, 0) / samples.length / target;
  };
  const measured = ready.map((p) => ({ value: p.value as number, request: p.request }));
  if (measured.length === 0) return current;
  const ratio = ratioOf(measured);
  if (!Number.isFinite(ratio)) return undefined;
  const rebalanceIgnored = ratio > 1 && unready.length > 0;
  if (!rebalanceIgnored && missing.length === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return current;
    return Math.ceil(ratio * measured.length);
  }
  // replica_calculator.go: fill in missing pods (100% of target on scale down, 0 on scale up) and, on
  // scale up, unready pods at 0; recompute; keep the current count if that flips direction or is within tolerance.
  const filled = [...measured];
  // On scale down a missing pod counts as using max(100%, target) of its request (or the target value).
  const atTarget = (p: HpaPodSample) => (metric.kind === 'Utilization' ? ((p.request ?? 0) * Math.max(100, target)) / 100 : target);
  for (const p of missing) filled.push({ value: ratio < 1 ? atTarget(p) : 0, request: p.request });
  if (rebalanceIgnored) for (const p of unready) filled.push({ value: 0, request: p.request });
  const newRatio = ratioOf(filled);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return current;
  const proposal = Math.ceil(newRatio * filled.length);
  // Never scale in the opposite direction of the measured ratio.
  if ((newRatio > 1 && proposal < current) || (newRatio < 1 && proposal > current)) return current;
  return proposal;
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
  private readonly recommendations: TimedValue[] = [];
  private readonly upEvents: TimedValue[] = [];
  private readonly downEvents: TimedValue[] = [];

  constructor(spec: Pick<HorizontalPodAutoscaler['spec'], 'minReplicas' | 'maxReplicas' | 'behavior'>) {
    this.minReplicas = spec.minReplicas ?? 1;
    this.maxReplicas = spec.maxReplicas;
    this.up = scalingRules(spec.behavior?.scaleUp, DEFAULT_SCALE_UP);
    this.down = scalingRules(spec.behavior?.scaleDown, DEFAULT_SCALE_DOWN);
  }

  /** The replicas to set at time t given the metric proposal (already computed by hpaDesiredReplicas). */
  decide(t: number, currentReplicas: number, proposal: number): number {
    // Scaling is disabled for a target at zero replicas (horizontal.go: "scaling is disabled since the replica count of the target is zero").
    if (currentReplicas === 0) return 0;
    const desired = Math.max(this.minReplicas, Math.min(this.maxReplicas, proposal));
    let upRecommendation = desired;
    let downRecommendation = desired;
    for (const rec of this.recommendations) {
      if (rec.t > t - this.up.stabilizationWindowSeconds) upRecommendation = Math.min(upRecommendation, rec.value);
      if (rec.t > t - this.down.stabilizationWindowSeconds) downRecommendation = Math.max(downRecommendation, rec.value);
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

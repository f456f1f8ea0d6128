import type { ClusterModel } from '../model/cluster';
import type { CostBreakdown, SimulationResult, ThresholdResult } from '../model/result';
import { computeCost, type WorkloadRequests } from './compute';
import { priceBook } from './catalog-prices';
import { trafficFrom } from './traffic';

export { computeCost, HOURS_PER_MONTH, backendWorkloads } from './compute';
export type { CostInputs, WorkloadRequests } from './compute';
export type { PriceBook, UnitPrice } from './price-book';
export { priceBook } from './catalog-prices';
export { DEFAULT_TRAFFIC, trafficFrom, type TrafficAssumptions } from './traffic';

export interface ApplyCostOptions {
  /** Requests of one pod per workload, for the allocation by workload. */
  readonly workloadRequests?: ReadonlyMap<string, WorkloadRequests>;
  /** Date for the EKS support status (yyyy-mm-dd). */
  readonly date?: string;
}

/**
 * Prices a result and re-evaluates the `maxMonthlyCostUsd` threshold against the full monthly cost
 * (EC2, EBS, control plane, NAT, load balancers, IPv4, data transfer, logs), not the EC2 share alone.
 */
export function applyCost(model: ClusterModel, result: SimulationResult, scenario: unknown, options: ApplyCostOptions = {}): SimulationResult {
  const cost: CostBreakdown = computeCost({
    model, result, prices: priceBook(result.input.region), traffic: trafficFrom(scenario),
    workloadRequests: options.workloadRequests ?? new Map(), date: options.date ?? scenarioDate(scenario),
  });
  const thresholds: ThresholdResult[] = result.verdict.thresholds.map((th) => th.name === 'maxMonthlyCostUsd'
    ? { ...th, measured: cost.monthlyUsd, passed: cost.monthlyUsd <= th.limit }
    : th);
  const passed = thresholds.every((th) => th.passed) && result.verdict.errorFindings === 0;
  return { ...result, cost, verdict: { ...result.verdict, thresholds, passed } };
}

function scenarioDate(scenario: unknown): string | undefined {
  const value = scenario !== null && typeof scenario === 'object' ? (scenario as Record<string, unknown>).startDate : undefined;
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

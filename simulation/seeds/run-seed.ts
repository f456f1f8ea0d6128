import type { ClusterModel } from '../model/cluster';
import type { PlanResult } from '../model/result';
import type { Scenario } from '../model/scenario';
import { plan, thresholdMeasures, verdictOf, type PlanOptions } from '../pipeline';
import { aggregateSeeds, type SeedOutcome } from './aggregate';
import type { SeedQuantile } from '../model/result';

// One seed of a sweep, and the sweep's result: both in whichever thread runs them (this one or a worker), both
// through the pipeline, so a seed's run is exactly `plan(model, scenario, { seed })`.

/** Plans one seed: the whole pipeline, reduced to its measures and its own verdict (and the full result when asked). */
export function runSeed(model: ClusterModel, scenario: Scenario, options: PlanOptions, seed: number): { outcome: SeedOutcome; result: PlanResult } {
  const result = plan(model, scenario, { ...options, seed });
  return { outcome: { seed, passed: result.verdict.passed, measures: thresholdMeasures(result, result.cost) }, result };
}

/**
 * The plan of a sweep: the first seed's run, with the verdict over every seed (the one verdict, pipeline.ts verdictOf,
 * fed the chosen quantile of each measure) and the spread of each measure. `outcomes` are in seed order.
 */
export function combineSeeds(first: PlanResult, outcomes: readonly SeedOutcome[], scenario: Scenario, quantile: SeedQuantile): PlanResult {
  const { summary: seeds, measured } = aggregateSeeds(outcomes, scenario.thresholds, quantile);
  // The first seed's findings: the checks read the model and its run, and the per-seed verdicts count any seed's errors.
  const verdict = verdictOf(scenario.thresholds, first, first.cost, first.findings, { measured });
  const { schemaVersion, input, summary, nodes, placements, pendingPods, podPending, subnets, timeline, events, cost, findings } = first;
  return { schemaVersion, input, verdict, seeds, summary, nodes, placements, pendingPods, podPending, subnets, timeline, events, cost, findings };
}

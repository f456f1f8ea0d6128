import * as os from 'os';
import { REGIONS, refreshedPrices, type RefreshedPrices } from '../catalog';
import type { ClusterModel } from '../model/cluster';
import { EksplanError } from '../model/errors';
import type { PlanResult, SeedQuantile } from '../model/result';
import type { Scenario } from '../model/scenario';
import type { PlanOptions } from '../pipeline';
import { checkSeedCount, checkSeedQuantile, DEFAULT_SEED_QUANTILE, seedsFrom, type SeedOutcome } from './aggregate';
import { runInWorkers } from './pool';
import { combineSeeds, runSeed } from './run-seed';

export { aggregateSeeds, checkSeedCount, checkSeedQuantile, DEFAULT_SEED_QUANTILE, MAX_SEEDS, measureOverSeeds, nearestRank, seedsFrom } from './aggregate';
export type { SeedOutcome, SeedMeasureValue } from './aggregate';

// A verdict over many seeds (`--seeds N`): the scenario under seeds `seed`, `seed + 1`, ..., each through the pipeline,
// then the one verdict on the chosen quantile of each measure. The same seeds give the same result, byte for byte,
// on one thread or many.

export interface SeedsOptions extends PlanOptions {
  /** How many seeds to run, 1..1000; the first is `seed` (the option, else the scenario's). */
  readonly seeds: number;
  /** The quantile of each measure over the seeds the verdict compares with its limit. @default 'p95' */
  readonly quantile?: SeedQuantile;
  /**
   * Threads that plan seeds, this one included (2: this thread and one worker); 1 plans the seeds one after another
   * in this thread. @default min(seeds, the machine's available parallelism)
   */
  readonly workers?: number;
}

/** Plans a scenario under many seeds, in worker threads: see SeedsOptions. Resolves with the first seed's run and the verdict over all. */
export async function planSeeds(model: ClusterModel, scenario: Scenario | undefined, options: SeedsOptions): Promise<PlanResult> {
  const sweep = prepare(scenario, options);
  const workers = options.workers ?? Math.min(sweep.seeds.length, os.availableParallelism?.() ?? os.cpus().length);
  if (!Number.isInteger(workers) || workers < 1) throw new EksplanError(`must be a positive integer, got '${String(workers)}'`, { field: 'workers' });
  if (workers === 1 || sweep.seeds.length === 1) return planSeedsSync(model, sweep.scenario, options);
  const { onProgress, seed: _seed, seeds: _count, quantile: _quantile, workers: _workers, ...planOptions } = options;
  const refreshed = REGIONS.map((region) => refreshedPrices(region)).filter((prices): prices is RefreshedPrices => prices !== undefined);
  const { outcomes, first } = await runInWorkers({ model, scenario: sweep.scenario, options: planOptions, refreshed, seeds: sweep.seeds }, workers, (done) => onProgress?.(done / sweep.seeds.length));
  return combineSeeds(first, outcomes, sweep.scenario, sweep.quantile);
}

/** planSeeds in this thread, one seed after another (synchronous, for callers that cannot wait, like the CDK plugin). */
export function planSeedsSync(model: ClusterModel, scenario: Scenario | undefined, options: SeedsOptions): PlanResult {
  const sweep = prepare(scenario, options);
  const { onProgress, seeds: _count, quantile: _quantile, workers: _workers, ...planOptions } = options;
  const outcomes: SeedOutcome[] = [];
  let first: PlanResult | undefined;
  sweep.seeds.forEach((seed, i) => {
    const run = runSeed(model, sweep.scenario, { ...planOptions, onProgress: onProgress && ((f) => onProgress((i + f) / sweep.seeds.length)) }, seed);
    outcomes.push(run.outcome);
    first ??= run.result;
  });
  return combineSeeds(first as PlanResult, outcomes, sweep.scenario, sweep.quantile);
}

function prepare(scenario: Scenario | undefined, options: SeedsOptions): { scenario: Scenario; seeds: number[]; quantile: SeedQuantile } {
  const count = checkSeedCount(options.seeds);
  const quantile = options.quantile === undefined ? DEFAULT_SEED_QUANTILE : checkSeedQuantile(options.quantile);
  // The static steady state has one answer (every pod placed once): there is no run for a seed to vary.
  if (!scenario) throw new EksplanError('a plan over many seeds replays a scenario; a static plan (no scenario) has one answer, so give a scenario or leave seeds out', { field: 'seeds' });
  return { scenario, seeds: seedsFrom(options.seed ?? scenario.seed, count), quantile };
}

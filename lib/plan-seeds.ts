import { loadInput, planSeeds, type SeedQuantile } from '../simulation';
import { scenarioFor, type PlanAssemblyOptions, type PlanOutcome } from './plan';

// `plan` / `simulate` with `--seeds N`: the same input and scenario as planAssembly, planned under N seeds on worker
// threads (simulation/seeds), with the verdict on the chosen quantile. Asynchronous: the workers report back.

export interface PlanSeedsOptions extends PlanAssemblyOptions {
  /** How many seeds, 1..1000, from `seed` (else the scenario's) up. */
  readonly seeds: number;
  /** The quantile of each measure the verdict uses. @default 'p95' */
  readonly quantile?: SeedQuantile;
  /** Worker threads. @default min(seeds, the machine's available parallelism) */
  readonly workers?: number;
}

/** Reads the input and the scenario as planAssembly does, then plans every seed (a static plan is refused: one answer). */
export async function planAssemblySeeds(options: PlanSeedsOptions): Promise<PlanOutcome> {
  const loaded = loadInput(options.assemblyDir, { stack: options.stack, clusterShape: options.clusterShape, manifests: options.manifests });
  const model = options.origin ? { ...loaded, origin: options.origin } : loaded;
  const scenario = scenarioFor(model, options.scenario);
  const result = await planSeeds(model, scenario, {
    seeds: options.seeds, quantile: options.quantile, workers: options.workers, seed: options.seed, region: options.region, onProgress: options.onProgress,
  });
  return { model, scenario, result, written: [] };
}

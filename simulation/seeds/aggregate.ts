import { EksplanError } from '../model/errors';
import { SEED_QUANTILES, type SeedMeasure, type SeedQuantile, type SeedRun, type SeedsSummary } from '../model/result';
import type { Thresholds } from '../model/scenario';

// A verdict over many seeds, the pure part: the seeds a sweep runs, the quantile of each measure over them, and the
// measured values the one verdict (pipeline.ts verdictOf) compares with the limits. No I/O, no workers: seeds/index.ts
// runs the seeds and hands their outcomes here in seed order, so the summary never depends on which worker ran what.

/** The most seeds one plan runs: each seed is a whole run of the scenario. */
export const MAX_SEEDS = 1000;

/** The quantile a many-seed verdict uses unless told: 19 seeds in 20 meet each limit. */
export const DEFAULT_SEED_QUANTILE: SeedQuantile = 'p95';

/** One measure of one seed's run, as the verdict reads it (pipeline.ts thresholdMeasures). */
export interface SeedMeasureValue {
  readonly name: keyof Thresholds;
  readonly value: number;
  readonly unit: string;
  readonly atMost: boolean;
}

/** What one seed's run contributes to the summary. */
export interface SeedOutcome {
  readonly seed: number;
  readonly passed: boolean;
  readonly measures: readonly SeedMeasureValue[];
}

/** Checks a seed count: an integer 1..MAX_SEEDS. `field` names the input (`--seeds`, `seeds`). */
export function checkSeedCount(count: unknown, field = 'seeds'): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_SEEDS) {
    throw new EksplanError(`must be an integer 1..${MAX_SEEDS} (each seed is a whole run of the scenario), got '${String(count)}'`, { field });
  }
  return count;
}

/** Checks a quantile name: one of p50, p95, max. */
export function checkSeedQuantile(quantile: unknown, field = 'quantile'): SeedQuantile {
  if (typeof quantile !== 'string' || !(SEED_QUANTILES as readonly string[]).includes(quantile)) {
    throw new EksplanError(`must be one of ${SEED_QUANTILES.join(', ')}, got '${String(quantile)}'`, { field });
  }
  return quantile as SeedQuantile;
}

/** The seeds of a sweep: `base`, `base + 1`, ... wrapping at 2^32 (a scenario seed is an unsigned 32-bit integer). */
export function seedsFrom(base: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (base + i) % 2 ** 32);
}

/**
 * The nearest-rank quantile of ascending values: the smallest value with at least `q` of the values at or under it,
 * index ceil(q·n) − 1. Always one of the values (a seed that happened), never an interpolation between two.
 * numpy/numpy numpy/lib/_function_base_impl.py: `method='inverted_cdf'` (Hyndman & Fan definition 1).
 */
export function nearestRank(ascending: readonly number[], q: number): number {
  if (ascending.length === 0) throw new RangeError('nearestRank: no values');
  const index = Math.min(ascending.length - 1, Math.max(0, Math.ceil(q * ascending.length) - 1));
  return ascending[index];
}

const QUANTILE_FRACTION: Record<SeedQuantile, number> = { p50: 0.5, p95: 0.95, max: 1 };

/**
 * One measure over the seeds. Taken in the worse direction: a `max…` measure is sorted ascending (the p95 is the value
 * 95% of seeds stay at or under), a `min…` measure descending (95% of seeds stay at or above it; `max` is its minimum).
 */
export function measureOverSeeds(name: string, unit: string, atMost: boolean, values: readonly { seed: number; value: number }[], limit?: number): SeedMeasure {
  const worseFirst = [...values].sort((a, b) => (atMost ? a.value - b.value : b.value - a.value) || a.seed - b.seed);
  const ordered = worseFirst.map((v) => v.value);
  const worst = ordered[ordered.length - 1];
  const worstSeed = values.find((v) => v.value === worst)?.seed ?? values[0].seed;
  return {
    name, unit, ...(limit !== undefined ? { limit } : {}),
    p50: nearestRank(ordered, QUANTILE_FRACTION.p50), p95: nearestRank(ordered, QUANTILE_FRACTION.p95), max: nearestRank(ordered, QUANTILE_FRACTION.max), worstSeed,
  };
}

/**
 * The summary of a sweep, and the measured value per threshold the verdict compares: the chosen quantile of each
 * measure. `outcomes` must be in seed order (the order of seedsFrom), whoever ran them.
 */
export function aggregateSeeds(outcomes: readonly SeedOutcome[], thresholds: Thresholds, quantile: SeedQuantile): { summary: SeedsSummary; measured: Partial<Record<keyof Thresholds, number>> } {
  if (outcomes.length === 0) throw new RangeError('aggregateSeeds: no seeds');
  const measures: SeedMeasure[] = [];
  const measured: Partial<Record<keyof Thresholds, number>> = {};
  for (const first of outcomes[0].measures) {
    const values = outcomes.map((o) => ({ seed: o.seed, value: valueOf(o, first.name) }));
    const measure = measureOverSeeds(first.name, first.unit, first.atMost, values, thresholds[first.name]);
    measures.push(measure);
    measured[first.name] = measure[quantile];
  }
  const runs: SeedRun[] = outcomes.map((o) => ({ seed: o.seed, passed: o.passed, measures: Object.fromEntries(o.measures.map((m) => [m.name, m.value])) }));
  return { summary: { count: outcomes.length, quantile, measures, failedSeeds: outcomes.filter((o) => !o.passed).length, runs }, measured };
}

function valueOf(outcome: SeedOutcome, name: keyof Thresholds): number {
  const found = outcome.measures.find((m) => m.name === name);
  if (!found) throw new RangeError(`aggregateSeeds: seed ${outcome.seed} has no ${name}`);
  return found.value;
}

import type { PlanResult, SeedMeasure } from '../model/result';
import { thresholdComparator, thresholdValue } from './format';

// The "over N seeds" part of a plan report, one wording for text, Markdown and HTML: what the verdict measured
// (the chosen quantile of each measure) and the spread of every measure, with the seed that did worst.

/** One row per measure: name, limit, p50, p95, max (worst), the worst seed; the verdict's quantile is named in the heading. */
export interface SeedsRow {
  readonly name: string;
  readonly limit: string;
  readonly p50: string;
  readonly p95: string;
  readonly max: string;
  readonly worstSeed: string;
  /** True when the scenario sets this threshold (the verdict compared its quantile with the limit). */
  readonly limited: boolean;
}

/** The heading of the seeds section, or undefined for a single-seed plan. */
export function seedsHeading(result: PlanResult): string | undefined {
  const seeds = result.seeds;
  if (!seeds) return undefined;
  const last = (result.input.seed + seeds.count - 1) % 2 ** 32;
  return `Over ${seeds.count} seeds (${result.input.seed}..${last}): the verdict measures each threshold at its ${seeds.quantile} over the seeds; ` +
    `${seeds.failedSeeds} of ${seeds.count} seeds fail on their own. Quantiles are nearest rank, in the worse direction (for a min… threshold the lowest values); ` +
    `the rest of the report is seed ${result.input.seed}'s run.`;
}

export function seedsRows(result: PlanResult): SeedsRow[] {
  return (result.seeds?.measures ?? []).map((m) => ({
    name: m.name, limit: m.limit === undefined ? '-' : `${thresholdComparator(asThreshold(m, m.limit))} ${format(m, m.limit)}`,
    p50: format(m, m.p50), p95: format(m, m.p95), max: format(m, m.max), worstSeed: String(m.worstSeed), limited: m.limit !== undefined,
  }));
}

function format(measure: SeedMeasure, value: number): string {
  return thresholdValue(asThreshold(measure, value), 'measured');
}

function asThreshold(measure: SeedMeasure, value: number) {
  return { name: measure.name, unit: measure.unit, limit: measure.limit ?? value, measured: value, passed: true };
}

import { DEFAULT_SEED_QUANTILE, EksplanError, MAX_SEEDS, plan, planSeeds, planSeedsSync, render, type PlanResult } from '../../../simulation';
import { aggregateSeeds, checkSeedCount, checkSeedQuantile, measureOverSeeds, nearestRank, seedsFrom, type SeedOutcome } from '../../../simulation/seeds';
import { runInWorkers } from '../../../simulation/seeds/pool';
import { combineSeeds } from '../../../simulation/seeds/run-seed';
import { spotModel, spotScenario } from './fixture';

// Issue 21: a verdict over many seeds. Quantiles are nearest rank (numpy's method='inverted_cdf', Hyndman & Fan
// definition 1): the value at index ceil(q·n) − 1 of the sorted values, always a value some seed produced.

describe('nearest-rank quantiles', () => {
  // The worked examples of the nearest-rank method in Wikipedia's "Percentile" article.
  it.each([
    ['5 values, 5th percentile', [15, 20, 35, 40, 50], 0.05, 15],
    ['5 values, 30th percentile', [15, 20, 35, 40, 50], 0.3, 20],
    ['5 values, 40th percentile', [15, 20, 35, 40, 50], 0.4, 20],
    ['5 values, 50th percentile', [15, 20, 35, 40, 50], 0.5, 35],
    ['5 values, 100th percentile', [15, 20, 35, 40, 50], 1, 50],
    ['10 values, 25th percentile', [3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 0.25, 7],
    ['10 values, 50th percentile', [3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 0.5, 8],
    ['10 values, 75th percentile', [3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 0.75, 15],
    ['10 values, 100th percentile', [3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 1, 20],
    ['11 values, 25th percentile', [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20], 0.25, 7],
    ['11 values, 50th percentile', [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20], 0.5, 9],
    ['11 values, 75th percentile', [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20], 0.75, 15],
    ['11 values, 100th percentile', [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20], 1, 20],
    // Ours: a p95 over 20 seeds is the 19th value, over 10 seeds the 10th (the worst), over one seed that seed.
    ['20 values, p95 is the 19th', Array.from({ length: 20 }, (_, i) => i + 1), 0.95, 19],
    ['10 values, p95 is the worst', Array.from({ length: 10 }, (_, i) => i + 1), 0.95, 10],
    ['1 value, p50', [42], 0.5, 42],
  ])('%s', (_name, values, q, expected) => {
    expect(nearestRank(values, q)).toBe(expected);
  });

  it('takes a minimum measure in the worse direction: its p95 is what 95% of seeds stay at or above, its max the lowest', () => {
    const values = [40, 10, 30, 20].map((value, i) => ({ seed: 100 + i, value }));
    expect(measureOverSeeds('minFreeSubnetIpsPercent', 'percent', false, values, 15)).toEqual({ name: 'minFreeSubnetIpsPercent', unit: 'percent', limit: 15, p50: 30, p95: 10, max: 10, worstSeed: 101 });
    expect(measureOverSeeds('maxNodes', 'nodes', true, values)).toEqual({ name: 'maxNodes', unit: 'nodes', p50: 20, p95: 40, max: 40, worstSeed: 100 });
  });

  it('names the first seed (in seed order) with the worst value', () => {
    expect(measureOverSeeds('maxNodes', 'nodes', true, [{ seed: 7, value: 5 }, { seed: 8, value: 9 }, { seed: 9, value: 9 }]).worstSeed).toBe(8);
  });
});

describe('aggregateSeeds', () => {
  const outcome = (seed: number, pending: number, nodes: number): SeedOutcome => ({
    seed, passed: pending <= 60,
    measures: [{ name: 'maxPendingSeconds', value: pending, unit: 'seconds', atMost: true }, { name: 'maxNodes', value: nodes, unit: 'nodes', atMost: true }],
  });
  const outcomes = [outcome(1, 0, 3), outcome(2, 120, 4), outcome(3, 0, 3), outcome(4, 30, 3)];

  it.each([
    ['p50', { maxPendingSeconds: 0, maxNodes: 3 }],
    ['p95', { maxPendingSeconds: 120, maxNodes: 4 }],
    ['max', { maxPendingSeconds: 120, maxNodes: 4 }],
  ] as const)('gives the verdict the %s of each measure', (quantile, measured) => {
    const { summary, measured: values } = aggregateSeeds(outcomes, { maxPendingSeconds: 60 }, quantile);
    expect(values).toEqual(measured);
    expect(summary.quantile).toBe(quantile);
    expect(summary.failedSeeds).toBe(1);
    expect(summary.measures[0]).toEqual({ name: 'maxPendingSeconds', unit: 'seconds', limit: 60, p50: 0, p95: 120, max: 120, worstSeed: 2 });
    expect(summary.runs.map((r) => r.seed)).toEqual([1, 2, 3, 4]);
    expect(summary.runs[1]).toEqual({ seed: 2, passed: false, measures: { maxPendingSeconds: 120, maxNodes: 4 } });
  });

  it('runs seeds from the plan seed up, wrapping at 2^32', () => {
    expect(seedsFrom(7, 3)).toEqual([7, 8, 9]);
    expect(seedsFrom(2 ** 32 - 2, 3)).toEqual([2 ** 32 - 2, 2 ** 32 - 1, 0]);
  });

  it.each([[0], [-1], [1.5], [MAX_SEEDS + 1], [Number.NaN], ['8']])('fails when the seed count is %p', (count) => {
    expect(() => checkSeedCount(count, '--seeds')).toThrow(new EksplanError(`must be an integer 1..${MAX_SEEDS} (each seed is a whole run of the scenario), got '${String(count)}'`, { field: '--seeds' }));
  });

  it.each([['p99'], ['P95'], [''], [95]])('fails when the quantile is %p', (quantile) => {
    expect(() => checkSeedQuantile(quantile)).toThrow('quantile: must be one of p50, p95, max');
  });
});

describe('planSeeds', () => {
  const thresholds = { maxPendingSeconds: 60 };
  let sequential: PlanResult;
  beforeAll(() => {
    sequential = planSeedsSync(spotModel, spotScenario(thresholds), { seeds: 10 });
  });

  it('fails the verdict when the chosen quantile does (p95: seed 10 waits 120 s) and passes it under a looser one (p50: 0 s)', () => {
    expect(DEFAULT_SEED_QUANTILE).toBe('p95');
    expect(sequential.seeds?.quantile).toBe('p95');
    expect(sequential.verdict.thresholds).toEqual([{ name: 'maxPendingSeconds', limit: 60, measured: 120, passed: false, unit: 'seconds' }]);
    expect(sequential.verdict.passed).toBe(false);
    const pending = sequential.seeds?.measures.find((m) => m.name === 'maxPendingSeconds');
    expect(pending).toEqual({ name: 'maxPendingSeconds', unit: 'seconds', limit: 60, p50: 0, p95: 120, max: 120, worstSeed: 10 });
    expect(sequential.seeds?.failedSeeds).toBe(1);

    const median = planSeedsSync(spotModel, spotScenario(thresholds), { seeds: 10, quantile: 'p50' });
    expect(median.verdict.thresholds).toEqual([{ name: 'maxPendingSeconds', limit: 60, measured: 0, passed: true, unit: 'seconds' }]);
    expect(median.verdict.passed).toBe(true);
  });

  it('reports the first seed\'s run: the same run plan() gives for that seed, with the verdict over every seed', () => {
    const single = plan(spotModel, spotScenario(thresholds));
    const { verdict: _many, seeds, ...rest } = sequential;
    const { verdict: _one, ...alone } = single;
    expect(rest).toEqual(alone);
    expect(seeds?.runs.map((r) => r.seed)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Each seed's measures are those plan() measures for that seed.
    const tenth = plan(spotModel, spotScenario(thresholds), { seed: 10 });
    expect(seeds?.runs[8]).toEqual({ seed: 10, passed: tenth.verdict.passed, measures: Object.fromEntries(tenth.verdict.thresholds.map((t) => [t.name, t.measured]).concat([['maxPendingPods', tenth.summary.peakPodsPending], ['maxMonthlyCostUsd', Math.round(tenth.cost.monthlyUsd * 100) / 100], ['minFreeSubnetIpsPercent', Math.round(tenth.summary.minFreeSubnetIpsPercent * 100) / 100], ['maxNodes', tenth.summary.peakNodes]])) });
  });

  it('shows each measure\'s p50, p95 and max, and the quantile the verdict used, in every report', () => {
    const text = render(sequential, 'text');
    expect(text).toContain('\nThresholds (each measured at its p95 over 10 seeds)\n');
    expect(text).toContain('Over 10 seeds (2..11): the verdict measures each threshold at its p95 over the seeds; 1 of 10 seeds fail on their own.');
    expect(text).toMatch(/maxPendingSeconds\s+≤ 1m\s+0s\s+2m\s+2m\s+10/);
    const markdown = render(sequential, 'markdown');
    expect(markdown).toContain('| measure | limit | p50 | p95 | max | worst seed |');
    expect(markdown).toContain('| maxPendingSeconds | ≤ 1m | 0s | 2m | 2m | 10 |');
    const html = render(sequential, 'html');
    expect(html).toContain('<div id="seeds"><p>Over 10 seeds (2..11)');
    const json = JSON.parse(render(sequential, 'json')) as PlanResult;
    expect(json.schemaVersion).toBe(1);
    expect(json.seeds?.quantile).toBe('p95');
    expect(json.seeds?.measures.map((m) => m.name)).toEqual(['maxPendingSeconds', 'maxPendingPods', 'maxMonthlyCostUsd', 'minFreeSubnetIpsPercent', 'maxNodes']);
    expect(json.seeds?.runs).toHaveLength(10);
    // A single-seed plan's reports have no seeds section, and its JSON no seeds key: schema 1 unchanged for it.
    const single = plan(spotModel, spotScenario(thresholds));
    expect(render(single, 'text')).not.toContain('Over ');
    expect(JSON.parse(render(single, 'json'))).not.toHaveProperty('seeds');
  });

  it('one seed is plan() itself, verdict included', () => {
    const one = planSeedsSync(spotModel, spotScenario(thresholds), { seeds: 1, seed: 10 });
    const { seeds: _seeds, ...rest } = one;
    expect(rest).toEqual(plan(spotModel, spotScenario(thresholds), { seed: 10 }));
  });

  it('gives the same result, byte for byte, on worker threads as in this thread', async () => {
    // The model and the scenario cross to the workers by structured clone: both are plain data.
    expect(structuredClone(spotModel)).toEqual(spotModel);
    expect(structuredClone(spotScenario(thresholds))).toEqual(spotScenario(thresholds));
    const progress: number[] = [];
    const threaded = await planSeeds(spotModel, spotScenario(thresholds), { seeds: 10, workers: 2, onProgress: (f) => progress.push(f) });
    expect(render(threaded, 'json')).toBe(render(sequential, 'json'));
    expect(progress).toHaveLength(10);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('gives the same result when worker threads plan every seed (this thread only waits)', async () => {
    const scenario = spotScenario(thresholds);
    const swept = await runInWorkers({ model: spotModel, scenario, options: {}, refreshed: [], seeds: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, 2, undefined, { callerPlans: false });
    expect(swept.plannedByWorkers).toBe(10);
    expect(render(combineSeeds(swept.first, swept.outcomes, scenario, 'p95'), 'json')).toBe(render(sequential, 'json'));
  });

  it('passes a user error from a worker on as one line', async () => {
    const invalid = { ...spotModel, nodeGroups: [{ ...spotModel.nodeGroups[0], instanceTypes: ['m5.nonexistent'] }] };
    await expect(runInWorkers({ model: invalid, scenario: spotScenario(thresholds), options: {}, refreshed: [], seeds: [1, 2] }, 1, undefined, { callerPlans: false })).rejects.toThrow(EksplanError);
    await expect(planSeeds(invalid, spotScenario(thresholds), { seeds: 2, workers: 2 })).rejects.toThrow(EksplanError);
  });

  it.each([
    ['no scenario (a static plan)', undefined, { seeds: 4 }, 'seeds: a plan over many seeds replays a scenario'],
    ['zero seeds', spotScenario(), { seeds: 0 }, "seeds: must be an integer 1..1000 (each seed is a whole run of the scenario), got '0'"],
    ['an unknown quantile', spotScenario(), { seeds: 2, quantile: 'p99' as 'p95' }, "quantile: must be one of p50, p95, max, got 'p99'"],
    ['zero workers', spotScenario(), { seeds: 2, workers: 0 }, "workers: must be a positive integer, got '0'"],
  ])('fails when given %s', async (_name, scenario, options, message) => {
    await expect(planSeeds(spotModel, scenario, options)).rejects.toThrow(message);
  });
});

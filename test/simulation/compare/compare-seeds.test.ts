import { compareVariants } from '../../../simulation/compare';
import type { SeedQuantile } from '../../../simulation/model/result';
import { render } from '../../../simulation/report';
import { comparisonSummary } from '../../../simulation/report/comparison';
import { planSeedsSync } from '../../../simulation/seeds';
import { spotModel, spotScenario } from '../seeds/fixture';

// compare over seeds (`eksplan compare --seeds N`): each row planned by the seeds sweep, so its figures are the chosen
// quantile of each threshold measure and its verdict the sweep's (pipeline.ts verdictOf on those quantiles).
// The fixture (test/simulation/seeds/fixture.ts): over seeds 2..11 the longest pending time is 0 s for every seed
// but seed 10 (120 s). Nearest rank over 10 seeds: p50 = 5th value = 0 s, p95 = 10th = 120 s, max = 120 s.

const scenario = spotScenario({ maxPendingSeconds: 60 });

function overSeeds(quantile: SeedQuantile) {
  return compareVariants(spotModel, scenario, [], { planVariant: (m, s, o) => planSeedsSync(m, s, { ...o, seeds: 10, quantile }) });
}

describe('compareVariants over seeds', () => {
  it.each<[SeedQuantile, number, boolean]>([
    ['p50', 0, true],
    ['p95', 120, false],
    ['max', 120, false],
  ])('at the %s the longest wait is %is and the row passes: %s', (quantile, longestWait, passed) => {
    const comparison = overSeeds(quantile);
    const [row] = comparison.rows;
    expect(row.passed).toBe(passed);
    expect(row.result.verdict.thresholds).toEqual([{ name: 'maxPendingSeconds', limit: 60, measured: longestWait, passed, unit: 'seconds' }]);
    const summary = comparisonSummary(comparison).rows[0];
    expect(summary.maxPendingSeconds).toBe(longestWait);
    expect(summary.seeds?.seeds).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(summary.seeds?.quantile).toBe(quantile);
  });

  it('one seed gives the plain comparison (the fixture\'s seed 2 waits 0 s)', () => {
    const plain = compareVariants(spotModel, scenario, []);
    const one = compareVariants(spotModel, scenario, [], { planVariant: (m, s, o) => planSeedsSync(m, s, { ...o, seeds: 1 }) });
    const strip = ({ result: _result, ...row }: (typeof plain.rows)[number]) => row;
    expect(one.rows.map(strip)).toEqual(plain.rows.map(strip));
    expect(one.rows[0].result.verdict).toEqual(plain.rows[0].result.verdict);
    expect(plain.rows[0].result.summary.maxPendingSeconds).toBe(0);
  });

  it('the text report names the seeds and the quantile, and the failed threshold at it', () => {
    const text = render(overSeeds('p95'), 'text');
    expect(text).toContain('Over 10 seed(s) (2..11): peak nodes, longest wait, min free IPs, per month and each verdict are the p95 over the seeds');
    expect(text).toMatch(/as-is .* 2m .* FAIL +maxPendingSeconds 2m \(limit ≤ 1m\)/);
  });
});

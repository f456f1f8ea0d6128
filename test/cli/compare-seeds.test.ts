import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ComparisonSummaryRow } from '../../simulation/report/comparison';
import { runCli } from '../support/cli';

// `eksplan compare --seeds N [--quantile q]`: the baseline and each variant planned under N seeds (simulation/seeds),
// each row's threshold measures at the quantile and its verdict on them (pipeline.ts verdictOf, via the seeds sweep).

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'manifests', 'app');

interface ComparisonJson { kind: 'comparison'; scenario: string; rows: ComparisonSummaryRow[] }

describe('eksplan compare --seeds', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-compare-seeds-'));
  const scenario = path.join(dir, 'short.json');
  fs.writeFileSync(scenario, JSON.stringify({ name: 'short', duration: '1h', step: '60s', seed: 5, thresholds: { maxNodes: 50, maxPendingSeconds: 3600 } }));
  const compare = (...extra: string[]) => runCli(['compare', '--assembly', FIXTURE, '--scenario', scenario, '--variant', 'prefix-delegation=on', ...extra]);

  it('with --seeds 1 the rows are plain compare\'s, plus the one seed listed', async () => {
    const plain = await compare('--format', 'json');
    const one = await compare('--seeds', '1', '--format', 'json');
    expect(plain.stderr).toBe('');
    expect(one.stderr).toBe('');
    expect(one.code).toBe(plain.code);
    const plainRows = (JSON.parse(plain.stdout) as ComparisonJson).rows;
    const oneRows = (JSON.parse(one.stdout) as ComparisonJson).rows;
    expect(oneRows.map((r) => r.seeds?.seeds)).toEqual([[5], [5]]);
    expect(oneRows.map(({ seeds: _seeds, ...row }) => row)).toEqual(plainRows);
  });

  it('with --seeds 3 --quantile max every row lists seeds 5..7 and shows the worst seed of each threshold measure', async () => {
    const run = await compare('--seeds', '3', '--quantile', 'max', '--format', 'json');
    expect(run.stderr).toBe('');
    const rows = (JSON.parse(run.stdout) as ComparisonJson).rows;
    expect(rows.map((r) => r.variant)).toEqual(['as-is', 'prefix-delegation=on']);
    for (const row of rows) {
      expect(row.seeds?.seeds).toEqual([5, 6, 7]);
      expect(row.seeds?.quantile).toBe('max');
      const max = (name: string) => row.seeds?.measures.find((m) => m.name === name)?.max;
      expect(row.peakNodes).toBe(max('maxNodes'));
      expect(row.monthlyUsd).toBe(max('maxMonthlyCostUsd'));
      expect(row.maxPendingSeconds).toBe(max('maxPendingSeconds'));
      // A min… measure's max is its lowest value over the seeds.
      expect(row.minFreeSubnetIpsPercent).toBe(max('minFreeSubnetIpsPercent'));
      // The verdict is the seeds sweep's, on those values: both limits generous, so every row passes.
      expect(row.passed).toBe((max('maxNodes') ?? Infinity) <= 50 && (max('maxPendingSeconds') ?? Infinity) <= 3600);
    }
    expect(run.code).toBe(rows.every((r) => r.passed) ? 0 : 1);
  });

  it('says in the text report which seeds and which quantile the figures are', async () => {
    const run = await compare('--seeds', '3', '--format', 'text');
    expect(run.stdout).toContain('Over 3 seed(s) (5..7): peak nodes, longest wait, min free IPs, per month and each verdict are the p95 over the seeds');
  });

  it.each([
    [['--quantile', 'max'], '--quantile'],
    [['--seeds', '0'], 'seeds must be an integer 1..1000'],
    [['--seeds', 'many'], 'seeds must be an integer 1..1000'],
    [['--seeds', '2', '--quantile', 'p99'], 'quantile must be one of p50, p95, max'],
  ])('fails when given %j, naming the flag', async (args, message) => {
    const run = await compare(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });
});

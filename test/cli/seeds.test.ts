import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PlanResult } from '../../simulation';
import { runCli } from '../support/cli';

// `--seeds N` and `--quantile` on simulate (and plan, same options): the scenario under N seeds on worker threads,
// the verdict on the chosen quantile, the seeds section in the report.

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'manifests', 'app');

describe('eksplan simulate --seeds', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-seeds-cli-'));
  const scenario = path.join(dir, 'short.json');
  fs.writeFileSync(scenario, JSON.stringify({ name: 'short', duration: '1h', step: '60s', seed: 5, thresholds: { maxNodes: 50 } }));

  it('runs seeds --seed and up, and reports the quantile the verdict used', async () => {
    const run = await runCli(['simulate', FIXTURE, '--scenario', scenario, '--seeds', '3', '--seed', '40', '--quantile', 'max', '--format', 'json']);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as PlanResult;
    expect(result.input.seed).toBe(40);
    expect(result.seeds?.count).toBe(3);
    expect(result.seeds?.quantile).toBe('max');
    expect(result.seeds?.runs.map((r) => r.seed)).toEqual([40, 41, 42]);
    // The verdict's maxNodes is the worst seed's peak.
    const nodes = result.seeds?.measures.find((m) => m.name === 'maxNodes');
    expect(result.verdict.thresholds).toEqual([{ name: 'maxNodes', limit: 50, measured: nodes?.max, passed: (nodes?.max ?? Infinity) <= 50, unit: 'nodes' }]);
    expect(run.code).toBe(result.verdict.passed ? 0 : 1);
  });

  it('defaults to the p95 and the scenario\'s seed, and prints the seeds table in the text report', async () => {
    const run = await runCli(['simulate', FIXTURE, '--scenario', scenario, '--seeds', '2', '--format', 'text']);
    expect(run.stdout).toContain('Over 2 seeds (5..6): the verdict measures each threshold at its p95 over the seeds;');
    expect(run.stdout).toMatch(/measure\s+limit\s+p50\s+p95\s+max\s+worst seed/);
  });
});

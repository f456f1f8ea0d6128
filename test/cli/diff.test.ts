import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { diffPlans, renderPlanDiff, type PlanResult } from '../../simulation';
import { sampleResult } from '../simulation/report/fixture';

// PR diffs: a base plan (the target branch) against a head plan (the pull request), as `eksplan diff` and
// `eksplan plan --baseline` report them.

/** The sample plan with one more workload (`shop/checkout`): one more spot node at peak, its cost, a new finding. */
function withCheckout(base: PlanResult): PlanResult {
  return {
    ...base,
    verdict: { ...base.verdict, thresholds: base.verdict.thresholds.map((t) => (t.name === 'maxMonthlyCostUsd' ? { ...t, measured: 497.5 } : t)) },
    summary: { ...base.summary, peakNodes: 5, nodesByInstanceTypeAtPeak: { ...base.summary.nodesByInstanceTypeAtPeak, 'c7g.xlarge': 3 } },
    placements: [...base.placements, { workload: 'Deployment shop/checkout', desired: 3, running: 3, pending: 0, nodes: { 'general-x7': 3 }, zones: { 'us-east-1c': 3 } }],
    cost: {
      ...base.cost, monthlyUsd: 497.5,
      byCategory: { ...base.cost.byCategory, 'EC2 spot': 284.34 },
      byWorkload: { ...base.cost.byWorkload, 'Deployment shop/checkout': 85 },
    },
    findings: [...base.findings, { severity: 'warning', code: 'no-pdb', object: 'Deployment shop/checkout', message: '3 replicas without a PodDisruptionBudget' }],
  };
}

const run = runCli;

describe('diffPlans', () => {
  const base = sampleResult();
  const head = withCheckout(base);
  const diff = diffPlans(base, head);

  it('reports the cost change in total and per workload, with the added workload marked new', () => {
    expect(diff.monthlyUsd).toEqual({ base: 412.5, head: 497.5, delta: 85, percent: 20.61 });
    expect(diff.costByWorkload[0]).toEqual({ name: 'Deployment shop/checkout', base: 0, head: 85, delta: 85, status: 'added' });
    expect(diff.costByWorkload.find((c) => c.name === 'Deployment web/api')?.status).toBe('unchanged');
    expect(diff.costByCategory[0]).toMatchObject({ name: 'EC2 spot', delta: 85, status: 'changed' });
  });

  it('reports peak nodes, instance types, added workloads and new findings', () => {
    expect(diff.peakNodes).toEqual({ base: 4, head: 5, delta: 1 });
    expect(diff.nodesByInstanceTypeAtPeak[0]).toMatchObject({ name: 'c7g.xlarge', base: 2, head: 3, delta: 1 });
    expect(diff.workloadsAdded).toEqual(['Deployment shop/checkout']);
    expect(diff.newFindings.map((f) => f.object)).toEqual(['Deployment shop/checkout']);
    expect(diff.resolvedFindings).toEqual([]);
    expect(diff.unchanged).toBe(false);
  });

  it('reports a verdict that flips', () => {
    const passing = { ...base, verdict: { ...base.verdict, passed: true } };
    expect(diffPlans(passing, base).verdict).toEqual({ base: true, head: false, changed: true });
  });

  it('says when nothing changed', () => {
    const same = diffPlans(base, sampleResult());
    expect(same.unchanged).toBe(true);
    expect(renderPlanDiff(same, 'markdown')).toContain('No change in capacity or cost');
  });

  it('renders Markdown for a pull-request comment: headline, figures, the workload table', () => {
    const markdown = renderPlanDiff(diff, 'markdown');
    expect(markdown).toContain('## eksplan diff: ❌ FAIL');
    expect(markdown).toContain('Monthly cost **$413 → $498 (+$85, +20.6%)**');
    expect(markdown).toContain('| peak nodes | 4 | 5 | +1 |');
    expect(markdown).toContain('| Deployment shop/checkout (new) | — | $85.00 | +$85.00 |');
    expect(markdown).toContain('| maxMonthlyCostUsd | ≤ $2,000 | $413 ✅ | $498 ✅ |');
    expect(markdown).toContain('Workloads added: `Deployment shop/checkout`.');
    expect(markdown).toContain('- new warning `no-pdb` Deployment shop/checkout');
  });
});

describe('eksplan diff', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-diff-'));
  const baseFile = path.join(dir, 'base.json');
  const headFile = path.join(dir, 'head.json');
  fs.writeFileSync(baseFile, JSON.stringify({ ...sampleResult(), verdict: { ...sampleResult().verdict, passed: true } }));
  fs.writeFileSync(headFile, JSON.stringify(withCheckout({ ...sampleResult(), verdict: { ...sampleResult().verdict, passed: true } })));

  it('prints the Markdown diff and exits 0 when the head passes', async () => {
    const result = await run(['diff', baseFile, headFile, '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('## eksplan diff: ✅ PASS');
    expect(result.stdout).toContain('Deployment shop/checkout (new)');
  });

  it('writes the diff files under --out', async () => {
    const out = path.join(dir, 'out');
    const result = await run(['diff', baseFile, headFile, '--out', out]);
    expect(result.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['eksplan-diff.json', 'eksplan-diff.md', 'eksplan-diff.txt']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'eksplan-diff.json'), 'utf8'))).toMatchObject({ kind: 'plan-diff', peakNodes: { delta: 1 } });
  });

  it('exits 1 when the head plan fails its verdict', async () => {
    fs.writeFileSync(path.join(dir, 'failing.json'), JSON.stringify(sampleResult()));
    expect((await run(['diff', baseFile, path.join(dir, 'failing.json')])).code).toBe(1);
  });

  it.each([
    ['a missing file', ['diff', path.join(dir, 'nope.json'), headFile], 'nope.json: cannot read the plan report'],
    ['a file that is not a plan', ['diff', path.join(dir, 'not-a-plan.json'), headFile], "not-a-plan.json: verdict: not an eksplan plan report: no 'verdict'"],
    ['an unknown format', ['diff', baseFile, headFile, '--format', 'html'], "unknown format 'html': expected text, markdown, json"],
  ])('fails with exit 2 on %s', async (_name, args, message) => {
    fs.writeFileSync(path.join(dir, 'not-a-plan.json'), JSON.stringify({ input: {} }));
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';

// `eksplan plan --baseline base.json`: the plan of the pull request against the base branch's saved plan.

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'manifests', 'app');

const run = runCli;

describe('eksplan plan --baseline', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-baseline-'));

  it('prints what changed against the base plan instead of the report, and writes the diff files under --out', async () => {
    const base = await run(['plan', '--assembly', FIXTURE, '--scenario', 'static', '--format', 'json']);
    expect(base.stdout.startsWith('{')).toBe(true);
    // The base had a cheaper bill: the head's plan shows the difference.
    const saved = JSON.parse(base.stdout) as { cost: { monthlyUsd: number; byCategory: Record<string, number> } };
    const category = Object.keys(saved.cost.byCategory)[0];
    saved.cost.byCategory[category] -= 100;
    saved.cost.monthlyUsd -= 100;
    fs.writeFileSync(path.join(dir, 'base.json'), JSON.stringify(saved));

    const head = await run(['plan', '--assembly', FIXTURE, '--scenario', 'static', '--baseline', path.join(dir, 'base.json'), '--diff-format', 'markdown', '--out', path.join(dir, 'out')]);
    expect(head.code).toBe(base.code);
    expect(head.stdout).toMatch(/^## eksplan diff: /);
    expect(head.stdout).toContain(`| ${category} |`);
    expect(head.stdout).toMatch(/\| monthly cost \| .* \| \+\$100/);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(expect.arrayContaining(['eksplan-diff.md', 'eksplan-diff.json', 'eksplan-report.json', 'eksplan-report.md']));
  });
});

import type { IPolicyValidationContext } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { main } from '../../bin/eksplan';
import { EksplanValidationPlugin } from '../../lib/validation-plugin';
import { defaultScenarioPath, loadAssembly, loadScenario, plan, render, simulate, type PlanResult } from '../../simulation';
import { synthesizeToDir } from '../support/reference-stack';

// Issue 13: the verdict is computed once, by the pipeline, so the public API, the CLI and the CDK plugin agree.
// The limit sits between the EC2 share of the month (~$289 on the reference platform with the bundled
// scenario) and the full monthly cost (~$878): measured on EC2 alone it would pass, measured in full it fails.
const LIMIT = 583.87;

describe('one verdict for every caller', () => {
  let dir: string;
  let tmp: string;
  let scenarioFile: string;
  beforeAll(() => {
    dir = synthesizeToDir();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-verdict-'));
    const raw = parseYaml(fs.readFileSync(defaultScenarioPath(), 'utf8')) as { thresholds: Record<string, number> };
    raw.thresholds = { ...raw.thresholds, maxMonthlyCostUsd: LIMIT };
    scenarioFile = path.join(tmp, 'tight-budget.json');
    fs.writeFileSync(scenarioFile, JSON.stringify(raw));
  });

  const budget = (result: PlanResult) => result.verdict.thresholds.find((t) => t.name === 'maxMonthlyCostUsd');

  it('plan (public API), eksplan plan (CLI) and the CDK plugin fail maxMonthlyCostUsd on the same full cost', async () => {
    // GIVEN the same assembly and scenario
    const model = loadAssembly(dir);
    const scenario = loadScenario(scenarioFile);

    // WHEN planned through the public API
    const api = plan(model, scenario);

    // ... through the CLI, in-process
    const cliOut = path.join(tmp, 'cli');
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await main(['plan', '--assembly', dir, '--scenario', scenarioFile, '--format', 'json', '--out', cliOut]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }

    // ... and through the CDK policy-validation plugin
    const pluginOut = path.join(tmp, 'plugin');
    const report = new EksplanValidationPlugin({ scenario: scenarioFile, outDir: pluginOut }).validate({
      stackTemplates: [{ templatePath: path.join(dir, 'ReferencePlatform.template.json'), stackConstructPath: 'ReferencePlatform' }], templatePaths: [],
    } as unknown as IPolicyValidationContext);

    // THEN the budget is measured on the full monthly cost, which is over the limit while the EC2 share is under it
    const ec2 = (api.cost.byCategory['EC2 on-demand'] ?? 0) + (api.cost.byCategory['EC2 spot'] ?? 0);
    expect(ec2).toBeLessThan(LIMIT);
    expect(api.cost.monthlyUsd).toBeGreaterThan(LIMIT);
    expect(budget(api)).toEqual({ name: 'maxMonthlyCostUsd', limit: LIMIT, measured: Math.round(api.cost.monthlyUsd * 100) / 100, passed: false, unit: 'USD/month' });
    expect(api.verdict.passed).toBe(false);

    // ... the CLI exits 1 and writes the very same JSON report
    expect(code).toBe(1);
    const expected = render(api, 'json');
    expect(fs.readFileSync(path.join(cliOut, 'eksplan-report.json'), 'utf8')).toBe(expected);

    // ... and the plugin reports the one failed threshold, with the same measured cost, and the same report
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual(['maxMonthlyCostUsd']);
    expect(report.violations[0].description).toContain(`maxMonthlyCostUsd measured ${(budget(api)?.measured ?? 0).toFixed(2)} USD/month, limit <= ${LIMIT} USD/month`);
    const viaPlugin = JSON.parse(fs.readFileSync(path.join(pluginOut, 'eksplan-report.json'), 'utf8')) as PlanResult;
    expect(viaPlugin.verdict).toEqual(JSON.parse(expected).verdict);
    expect(viaPlugin.cost).toEqual(JSON.parse(expected).cost);
  });

  it('simulate is the engine alone: the same run, with no verdict and no cost', () => {
    const model = loadAssembly(dir);
    const scenario = loadScenario(scenarioFile);
    const simulated = simulate(model, scenario);
    expect(simulated).not.toHaveProperty('verdict');
    expect(simulated).not.toHaveProperty('cost');
    expect(simulated.summary).toEqual(plan(model, scenario).summary);
  });

  it('a static plan (no scenario) is priced with the per-workload allocation and passes on its findings alone', () => {
    const result = plan(loadAssembly(dir));
    expect(result.input.scenario).toBe('static');
    // A static plan's one criterion: every pod runs once the deployed controllers have settled.
    expect(result.verdict.thresholds).toEqual([{ name: 'maxPendingPods', limit: 0, measured: 0, passed: true, unit: 'pods' }]);
    expect(result.verdict.passed).toBe(result.findings.every((f) => f.severity !== 'error'));
    // The add-ons on the system nodes request part of them: the idle share is below 100%.
    expect(result.cost.idleShare).toBeLessThan(1);
    expect(Object.keys(result.cost.byWorkload).length).toBeGreaterThan(0);
  });
});

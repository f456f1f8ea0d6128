import * as path from 'path';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { explainFailures, isEksplanError, type PlanResult } from '../simulation';
import { planAssembly } from './plan';

export interface EksplanValidationPluginProps {
  /** Path of the scenario (YAML or JSON); `default` for the bundled reference scenario. */
  readonly scenario: string;
  /** Write the reports here as well, in every format of the report registry. @default - no files */
  readonly outDir?: string;
  /** Seed override. @default - the scenario's seed */
  readonly seed?: number;
}

/**
 * The pre-deploy gate: a CDK policy-validation plugin that plans the synthesized assembly (the pipeline
 * through simulation/index.ts, the same verdict as `eksplan plan`) and reports
 * each failed threshold and each error finding as a violation, so `cdk synth` fails before any deploy.
 * Enable it with `-c eksplan:scenario=default` (or a scenario path) on `cdk synth`.
 */
export class EksplanValidationPlugin implements IPolicyValidationPlugin {
  public readonly name = 'eksplan';
  public readonly version = '0.1.0';
  public readonly ruleIds = ['maxPendingSeconds', 'maxPendingPods', 'maxMonthlyCostUsd', 'minFreeSubnetIpsPercent', 'maxNodes'];

  constructor(private readonly props: EksplanValidationPluginProps) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = context.stackTemplates.length > 0 ? context.stackTemplates : context.templatePaths.map((templatePath) => ({ templatePath, stackConstructPath: '' }));
    const violations: PolicyViolation[] = [];
    for (const stack of stacks) {
      const assemblyDir = path.dirname(stack.templatePath);
      let result: PlanResult;
      try {
        result = planAssembly({ assemblyDir, stack: path.basename(stack.templatePath).replace(/\.template\.json$/, ''), scenario: this.props.scenario, seed: this.props.seed, outDir: this.props.outDir }).result;
      } catch (error) {
        if (isEksplanError(error) && /no AWS::EKS::Cluster/i.test(error.message)) continue;
        violations.push({
          ruleName: 'eksplan-input',
          description: isEksplanError(error) ? error.message : `eksplan failed: ${String(error)}`,
          violatingResources: [{ resourceLogicalId: '-', templatePath: stack.templatePath, locations: [] }],
        });
        continue;
      }
      violations.push(...violationsOf(result, stack.templatePath));
    }
    return { success: violations.length === 0, violations };
  }
}

export function violationsOf(result: PlanResult, templatePath: string): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  // Why each threshold failed and the fix that moves it (the reports' failure section), not one generic fix.
  const explained = new Map(explainFailures(result).failures.map((f) => [f.threshold.name, f]));
  for (const threshold of result.verdict.thresholds) {
    if (threshold.passed) continue;
    const comparator = threshold.name.startsWith('min') ? '>=' : '<=';
    const failure = explained.get(threshold.name);
    violations.push({
      ruleName: threshold.name,
      description: `eksplan scenario '${result.input.scenario}': ${threshold.name} measured ${round(threshold.measured)} ${threshold.unit}, ` +
        `limit ${comparator} ${round(threshold.limit)} ${threshold.unit}${failure ? `. ${failure.summary}` : ''}`,
      fix: failure ? failure.fixes.join(' ') : `Change what drives ${threshold.name}, or its limit in the scenario.`,
      violatingResources: [{ resourceLogicalId: 'Cluster', templatePath, locations: [] }],
      severity: 'error',
    });
  }
  for (const finding of result.findings) {
    if (finding.severity !== 'error') continue;
    violations.push({
      ruleName: finding.code,
      description: `${finding.object}: ${finding.message}`,
      fix: finding.fix,
      violatingResources: [{ resourceLogicalId: finding.object, templatePath, locations: [] }],
      severity: 'error',
    });
  }
  return violations;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

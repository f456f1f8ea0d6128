import * as fs from 'fs';
import * as path from 'path';
import { App, CloudFormationValidatePlugin, type PolicyViolation } from 'aws-cdk-lib';
import { EksplanError, listStacks, readJson, realPathInside } from '../simulation';
import { checkTemplateAgainstSpec } from './service-spec-check';

export interface TemplateViolation {
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly resources: string[];
  readonly template: string;
}

/**
 * Validates every stack template of an assembly (nested ones included) against the CloudFormation registry
 * schemas and rules bundled with aws-cdk-lib (its CloudFormationValidatePlugin, an offline engine: required
 * properties, types, enums, patterns, unknown properties), and against @aws-cdk/aws-service-spec for what that
 * engine leaves out (read-only properties set as inputs, unknown resource types). Acknowledged rules (Validations.acknowledge
 * in the constructs) are not in the templates, so they are passed here by id.
 */
export function validateTemplates(assemblyDir: string, acknowledged: readonly string[] = ACKNOWLEDGED, options: { stack?: string } = {}): TemplateViolation[] {
  const templates = assemblyTemplates(assemblyDir, options);
  // Read each template once through the assembly reader first: a truncated, non-UTF-8, oversized or absurdly
  // nested template is bad input with a one-line error naming the file, before the engine sees it.
  const parsed = new Map(templates.map((t) => [t.templatePath, readJson(t.templatePath)]));
  const plugin = new CloudFormationValidatePlugin();
  const report = plugin.validate({
    templatePaths: templates.map((t) => t.templatePath),
    stackTemplates: templates,
    appConstruct: new App(),
  });
  const engineViolations = report.violations
    .filter((v: PolicyViolation) => !acknowledged.some((id) => v.ruleName === id || `CloudFormation-Validate::${v.ruleName}` === id || v.ruleName.endsWith(id.replace(/^CloudFormation-Validate::/, ''))))
    .map((v: PolicyViolation) => ({
      rule: v.ruleName,
      severity: v.severity ?? 'error',
      description: v.description,
      resources: v.violatingResources.map((r) => r.resourceLogicalId ?? '(template)'),
      template: path.basename(v.violatingResources[0]?.templatePath ?? ''),
    }));
  const specViolations = templates.flatMap((t) => checkTemplateAgainstSpec(parsed.get(t.templatePath))
    .map((v) => ({ rule: `ServiceSpec::${v.rule}`, severity: 'error', description: v.description, resources: [v.logicalId], template: path.basename(t.templatePath) })));
  return [...engineViolations, ...specViolations];
}

/**
 * Every stack template of the assembly (or of the one stack named as `--stack` names it: its id or the end of
 * its path) and the nested stack templates next to them.
 */
export function assemblyTemplates(assemblyDir: string, options: { stack?: string } = {}): { stackConstructPath: string; templatePath: string; accountId: string | undefined; region: string | undefined }[] {
  const all = listStacks(assemblyDir);
  const chosen = options.stack === undefined ? all : all.filter((s) => s.name === options.stack || s.name.endsWith(`/${options.stack}`));
  if (chosen.length === 0) throw new EksplanError(`has no stack '${options.stack}'; stacks: ${all.map((s) => s.name).join(', ')}`, { input: assemblyDir, field: '--stack' });
  const stacks = chosen.map((s) => ({ stackConstructPath: s.name, templatePath: path.resolve(s.templateFile), accountId: s.account, region: s.region }));
  const nested = stacks.flatMap((stack) => {
    const dir = path.dirname(stack.templatePath);
    // Only nested templates that really are inside the assembly: a link to a file elsewhere is not read.
    // With --stack, only the chosen stack's nested templates: CDK names each after its path, which starts with
    // the parent stack's artifact id (`ReadmeV1awscdkawseksKubectlProvider….nested.template.json`).
    const parent = path.basename(stack.templatePath).replace(/\.template\.json$/, '');
    return fs.readdirSync(dir).filter((file) => file.endsWith('.nested.template.json') && realPathInside(assemblyDir, path.join(dir, file)) !== undefined)
      .filter((file) => options.stack === undefined || file.startsWith(parent))
      .map((file) => ({ ...stack, stackConstructPath: `${stack.stackConstructPath}/${file.replace(/\.nested\.template\.json$/, '')}`, templatePath: path.join(dir, file) }));
  });
  const seen = new Set<string>();
  return [...stacks, ...nested].filter((t) => !seen.has(t.templatePath) && seen.add(t.templatePath));
}

/** Rules the constructs acknowledge on purpose (see the reasons next to each Validations.acknowledge call). */
export const ACKNOWLEDGED = ['CloudFormation-Validate::W3010', 'CloudFormation-Validate::W9009'];

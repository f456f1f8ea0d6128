import * as path from 'path';
import { App, CloudFormationValidatePlugin, type PolicyViolation } from 'aws-cdk-lib';
import { listStacks } from '../simulation/assembly/cloud-assembly';

export interface TemplateViolation {
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly resources: string[];
  readonly template: string;
}

/**
 * Validates every stack template of an assembly against the CloudFormation registry schemas (required
 * properties, types, enums, patterns, read-only properties) and the CloudFormation rules bundled with
 * aws-cdk-lib (its CloudFormationValidatePlugin, an offline engine). Acknowledged rules (Validations.acknowledge
 * in the constructs) are not in the templates, so they are passed here by id.
 */
export function validateTemplates(assemblyDir: string, acknowledged: readonly string[] = ACKNOWLEDGED): TemplateViolation[] {
  const stacks = listStacks(assemblyDir);
  const plugin = new CloudFormationValidatePlugin();
  const report = plugin.validate({
    templatePaths: stacks.map((s) => path.resolve(s.templateFile)),
    stackTemplates: stacks.map((s) => ({ stackConstructPath: s.name, templatePath: path.resolve(s.templateFile), accountId: s.account, region: s.region })),
    appConstruct: new App(),
  });
  return report.violations
    .filter((v: PolicyViolation) => !acknowledged.some((id) => v.ruleName === id || `CloudFormation-Validate::${v.ruleName}` === id || v.ruleName.endsWith(id.replace(/^CloudFormation-Validate::/, ''))))
    .map((v: PolicyViolation) => ({
      rule: v.ruleName,
      severity: v.severity ?? 'error',
      description: v.description,
      resources: v.violatingResources.map((r) => r.resourceLogicalId ?? '(template)'),
      template: path.basename(v.violatingResources[0]?.templatePath ?? ''),
    }));
}

/** Rules the constructs acknowledge on purpose (see the reasons next to each Validations.acknowledge call). */
export const ACKNOWLEDGED = ['CloudFormation-Validate::W3010', 'CloudFormation-Validate::W9009'];

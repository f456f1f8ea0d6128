import * as fs from 'fs';
import type { Command } from 'commander';
import { assemblyTemplates, validateTemplates } from '../../lib/validate';
import { loadAssembly } from '../../simulation/assembly';
import { checkKubernetesSchemas } from '../../simulation/checks';
import { requestExit } from './exit';

export function registerValidateCommand(program: Command): void {
  program.command('validate')
    .description('Check every resource of every template against the CloudFormation registry schemas, rules and resource spec, and every Kubernetes manifest (Karpenter CRDs included) against its schema (offline). Exit 1 on an error.')
    .argument('[assembly]', 'cloud assembly directory', 'cdk.out')
    .option('--json', 'print the violations as JSON')
    .action((assembly: string, options: { json?: boolean }) => {
      const violations = validateTemplates(assembly);
      const model = loadAssembly(assembly);
      const manifestErrors = checkKubernetesSchemas(model);
      const templates = assemblyTemplates(assembly);
      const resources = templates.reduce((sum, t) => sum + Object.keys((JSON.parse(fs.readFileSync(t.templatePath, 'utf8')) as { Resources?: object }).Resources ?? {}).length, 0);
      const errors = violations.filter((v) => v.severity === 'error').length + manifestErrors.length;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ templates: violations, manifests: manifestErrors }, null, 2)}\n`);
      } else {
        for (const v of violations) process.stdout.write(`${v.severity.toUpperCase()} ${v.rule} ${v.template} ${v.resources.join(', ')}: ${v.description}\n`);
        for (const f of manifestErrors) process.stdout.write(`ERROR kubernetes-schema ${f.object}: ${f.message}\n`);
        process.stdout.write(`eksplan validate: ${resources} resources in ${templates.length} template(s), ${violations.length} finding(s); ${model.objects.length} Kubernetes objects, ${manifestErrors.length} error(s)\n`);
      }
      if (errors > 0) requestExit(1);
    });
}

import type { Command } from 'commander';
import { withDefaultAssembly } from '../../lib/synth';
import { assemblyTemplates, validateTemplates } from '../../lib/validate';
import * as fs from 'fs';
import * as path from 'path';
import { checkKubernetesSchemas, EksplanError, loadInput, readJson } from '../../simulation';
import { requestExit } from './exit';

export function registerValidateCommand(program: Command): void {
  program.command('validate')
    .description('Check every resource of every template against the CloudFormation registry schemas, rules and resource spec, and every Kubernetes manifest (Karpenter CRDs included) against its schema (offline). Exit 1 on an error.')
    .argument('[assembly]', 'cloud assembly directory, or Kubernetes manifest files / directories (default: ./cdk.out when cdk synth wrote one, else a fresh synth of the app, as plan does)')
    .option('--stack <name>', 'validate one stack of the assembly (its id or path)')
    .option('--json', 'print the violations as JSON')
    .action((given: string | undefined, options: { json?: boolean; stack?: string }) => withDefaultAssembly(given, (input) => {
      // The reader first: bad input fails in a second, before the registry schemas are loaded. Manifests
      // (no manifest.json, no templates) have only their Kubernetes objects checked.
      const isAssembly = fs.existsSync(input) && fs.statSync(input).isDirectory()
        && (fs.existsSync(path.join(input, 'manifest.json')) || fs.readdirSync(input).some((f) => f.endsWith('.template.json')));
      if (!isAssembly && options.stack !== undefined) throw new EksplanError('is not a cloud assembly (no manifest.json): --stack applies to assemblies only', { input, field: '--stack' });
      const model = loadInput(input, { stack: options.stack });
      const violations = isAssembly ? validateTemplates(input, undefined, { stack: options.stack }) : [];
      const manifestErrors = checkKubernetesSchemas(model);
      const templates = isAssembly ? assemblyTemplates(input, { stack: options.stack }) : [];
      const resources = templates.reduce((sum, t) => sum + Object.keys((readJson(t.templatePath) as { Resources?: object } | null)?.Resources ?? {}).length, 0);
      const errors = violations.filter((v) => v.severity === 'error').length + manifestErrors.length;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ templates: violations, manifests: manifestErrors }, null, 2)}\n`);
      } else {
        for (const v of violations) process.stdout.write(`${v.severity.toUpperCase()} ${v.rule} ${v.template} ${v.resources.join(', ')}: ${v.description}\n`);
        for (const f of manifestErrors) process.stdout.write(`ERROR kubernetes-schema ${f.object}: ${f.message}\n`);
        process.stdout.write(`eksplan validate: ${resources} resources in ${templates.length} template(s), ${violations.length} finding(s); ${model.objects.length} Kubernetes objects, ${manifestErrors.length} error(s)\n`);
      }
      if (errors > 0) requestExit(1);
    }));
}

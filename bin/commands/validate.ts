import type { Command } from 'commander';
import { validateTemplates } from '../../lib/validate';
import { requestExit } from './exit';

export function registerValidateCommand(program: Command): void {
  program.command('validate')
    .description('Check every resource of every template against the CloudFormation registry schemas and rules (offline). Exit 1 on an error.')
    .argument('[assembly]', 'cloud assembly directory', 'cdk.out')
    .option('--json', 'print the violations as JSON')
    .action((assembly: string, options: { json?: boolean }) => {
      const violations = validateTemplates(assembly);
      const errors = violations.filter((v) => v.severity === 'error');
      if (options.json) process.stdout.write(`${JSON.stringify(violations, null, 2)}\n`);
      else if (violations.length === 0) process.stdout.write('eksplan validate: every template matches the CloudFormation schemas\n');
      else process.stdout.write(`${violations.map((v) => `${v.severity.toUpperCase()} ${v.rule} ${v.template} ${v.resources.join(', ')}: ${v.description}`).join('\n')}\n`);
      if (errors.length > 0) requestExit(1);
    });
}

import { requestExit } from './exit';
import type { Command } from 'commander';
import { loadInput } from '../../simulation/assembly';
import { checkAssembly } from '../../simulation/checks';
import type { Finding } from '../../simulation/model/result';

export function registerCheckCommand(program: Command): void {
  program.command('check')
    .description('Check a synthesized assembly for mistakes that only show up after deploy (max pods, Karpenter wiring, IRSA, ALB subnets, ' +
      'workload checklist). Exit 1 when there is an error finding.')
    .argument('[input]', 'cloud assembly directory or manifests', 'cdk.out')
    .option('--stack <name>', 'the stack when the assembly has several')
    .option('--json', 'print the findings as JSON')
    .action((input: string, options: { stack?: string; json?: boolean }) => {
      const findings = checkAssembly(loadInput(input, { stack: options.stack }));
      process.stdout.write(options.json ? `${JSON.stringify(findings, null, 2)}\n` : renderFindings(findings));
      if (findings.some((f) => f.severity === 'error')) requestExit(1);
    });
}

export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'eksplan check: no findings\n';
  const errors = findings.filter((f) => f.severity === 'error').length;
  const lines = findings.map((f) => `${f.severity.toUpperCase().padEnd(7)} ${f.code} ${f.object}: ${f.message}${f.fix ? `\n        fix: ${f.fix}` : ''}`);
  return `eksplan check: ${errors} error(s), ${findings.length - errors} warning(s)\n${lines.join('\n')}\n`;
}

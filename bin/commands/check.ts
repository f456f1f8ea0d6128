import { requestExit } from './exit';
import type { Command } from 'commander';
import { withDefaultAssembly } from '../../lib/synth';
import { check, loadInput } from '../../simulation';
import { prepareOutputDirectory } from './output';
import { emitReport, withReportOptions, type ReportOptions } from './options';

export function registerCheckCommand(program: Command): void {
  const command = program.command('check')
    .description('Check a synthesized assembly for mistakes that only show up after deploy (max pods, Karpenter wiring, IRSA, ALB subnets, ' +
      'workload checklist). Exit 1 when there is an error finding.')
    .argument('[input]', 'cloud assembly directory or manifests (default: ./cdk.out when cdk synth wrote one, else a fresh synth of the app, as plan does)')
    .option('--stack <name>', 'the stack when the assembly has several')
    .option('--json', 'print the findings as JSON (same as --format json)')
    .option('--cluster-shape <file>', 'YAML/JSON cluster shape for plain manifests; see README "Cluster shape"')
    .option('--manifests <dir...>', 'rendered manifests (helm template output) added to the model');
  withReportOptions(command, 'the findings (eksplan-check.<ext>)')
    .action((given: string | undefined, options: ReportOptions & { stack?: string; json?: boolean; clusterShape?: string; manifests?: string[] }) => withDefaultAssembly(given, (input, origin) => {
      if (options.out) prepareOutputDirectory(options.out, [input]);
      const loaded = loadInput(input, { stack: options.stack, clusterShape: options.clusterShape, manifests: options.manifests });
      const result = check(origin ? { ...loaded, origin } : loaded);
      emitReport(result, options.json && !options.format ? { ...options, format: ['json'] } : options, 'eksplan-check');
      if (!result.passed) requestExit(1);
    }));
}

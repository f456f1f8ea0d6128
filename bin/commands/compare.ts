import type { Command } from 'commander';
import { withDefaultAssembly } from '../../lib/synth';
import { compareVariants, defaultScenarioPath, loadInput, loadScenario } from '../../simulation';
import { scenarioFor } from '../../lib/plan';
import { prepareOutputDirectory } from './output';
import { emitReport, parseSeed, withReportOptions, type ReportOptions } from './options';

export function registerCompareCommand(program: Command): void {
  const command = program.command('compare')
    .description('Run the same scenario on what-if variants of the assembly and print one table (peak nodes, pending pod-seconds, free IPs, monthly cost, verdict).')
    .option('--assembly <dir>', 'the synthesized cloud assembly (default: ./cdk.out when cdk synth wrote one, else a fresh synth of the app, as plan does)')
    .option('--stack <name>', 'the stack when the assembly has several')
    .option('--scenario <file>', 'scenario (default: the bundled reference scenario)')
    .option('--variant <variant>', 'karpenter | cluster-autoscaler | auto-mode | prefix-delegation=on|off | spot=N% | families=a,b | categories=a,b | ami=family@version (repeat)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--seed <n>', 'random seed override', parseSeed)
    .option('--region <region>', 'region override for prices');
  withReportOptions(command, 'the comparison (comparison.<ext>)')
    .action((options: ReportOptions & { assembly?: string; stack?: string; scenario?: string; variant?: string[]; seed?: number; region?: string }) => withDefaultAssembly(options.assembly, (assembly, origin) => {
      if (options.out) prepareOutputDirectory(options.out, [assembly]);
      const loaded = loadInput(assembly, { stack: options.stack });
      const model = origin ? { ...loaded, origin } : loaded;
      // The bundled scenario names the reference platform's workloads; other platforms get one derived from theirs (lib/plan.ts).
      const scenario = scenarioFor(model, options.scenario) ?? loadScenario(options.scenario ?? defaultScenarioPath());
      const comparison = compareVariants(model, scenario, options.variant ?? [], { seed: options.seed, region: options.region });
      emitReport(comparison, options, 'comparison');
    }));
}

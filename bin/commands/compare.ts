import type { Command } from 'commander';
import { withDefaultAssembly } from '../../lib/synth';
import { compareVariants, defaultScenarioPath, EksplanError, loadInput, loadScenario, MAX_SEEDS, planSeedsSync, SEED_QUANTILES, type CompareOptions, type SeedQuantile } from '../../simulation';
import { scenarioFor } from '../../lib/plan';
import { prepareOutputDirectory } from './output';
import { emitReport, parseQuantile, parseSeed, parseSeedCount, withReportOptions, type ReportOptions } from './options';

export function registerCompareCommand(program: Command): void {
  const command = program.command('compare')
    .description('Run the same scenario on what-if variants of the assembly and print one table (peak nodes, pending pod-seconds, free IPs, monthly cost, verdict).')
    .option('--assembly <dir>', 'the synthesized cloud assembly (default: ./cdk.out when cdk synth wrote one, else a fresh synth of the app, as plan does)')
    .option('--stack <name>', 'the stack when the assembly has several')
    .option('--scenario <file>', 'scenario (default: the bundled reference scenario)')
    .option('--variant <variant>', 'karpenter | cluster-autoscaler | auto-mode | prefix-delegation=on|off | spot=N% | families=a,b | categories=a,b | ami=family@version (repeat)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--seed <n>', 'random seed override', parseSeed)
    .option('--seeds <n>', `plan the baseline and each variant under n seeds (--seed and up, 1..${MAX_SEEDS}); each row shows --quantile of every threshold measure and its verdict on it`, parseSeedCount)
    .option('--quantile <q>', `with --seeds: the quantile over the seeds of each row's figures and verdict: ${SEED_QUANTILES.join(', ')} (default p95)`, parseQuantile)
    .option('--region <region>', 'region override for prices');
  withReportOptions(command, 'the comparison (comparison.<ext>)')
    .action((options: ReportOptions & { assembly?: string; stack?: string; scenario?: string; variant?: string[]; seed?: number; seeds?: number; quantile?: SeedQuantile; region?: string }) => {
      // Refused before any synth or simulation, as plan refuses it.
      if (options.quantile !== undefined && options.seeds === undefined) throw new EksplanError('chooses the quantile over --seeds N: give --seeds too', { field: '--quantile' });
      return withDefaultAssembly(options.assembly, (assembly, origin) => {
        if (options.out) prepareOutputDirectory(options.out, [assembly]);
        const loaded = loadInput(assembly, { stack: options.stack });
        const model = origin ? { ...loaded, origin } : loaded;
        // The bundled scenario names the reference platform's workloads; other platforms get one derived from theirs (lib/plan.ts).
        const scenario = scenarioFor(model, options.scenario) ?? loadScenario(options.scenario ?? defaultScenarioPath());
        // Over seeds, each variant is planned by the seeds sweep (its verdict on the quantile), one seed after another.
        const seeds = options.seeds;
        const planVariant: CompareOptions['planVariant'] = seeds === undefined ? undefined : (m, s, o) => planSeedsSync(m, s, { ...o, seeds, quantile: options.quantile });
        const comparison = compareVariants(model, scenario, options.variant ?? [], { seed: options.seed, region: options.region, ...(planVariant ? { planVariant } : {}) });
        emitReport(comparison, options, 'comparison');
      });
    });
}

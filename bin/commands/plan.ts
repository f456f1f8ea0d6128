import { requestExit } from './exit';
import * as fs from 'fs';
import type { Command } from 'commander';
import { planAssembly, writeReports } from '../../lib/plan';
import { planAssemblySeeds } from '../../lib/plan-seeds';
import { platformLabel, removeSynthDir, synthesizeToTemp } from '../../lib/synth';
import { EksplanError, type PlanResult } from '../../simulation';
import { emitDiff, parseDiffFormat, readPlanReport } from './diff';
import { emitReport, withSimulationOptions, type SimulationOptions } from './options';
import { prepareOutputDirectory } from './output';
import { terminalProgress } from './progress';

export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan')
    .description('Synthesize the platform (cdk synth into a temp dir, or --assembly), simulate the scenario, render the report.\n' +
      'Exit 0 when every threshold passes, 1 when one fails, 2 on bad input.')
    .option('--app <command>', 'the CDK app command to synthesize (default: this project\'s cdk.json app, the reference platform)')
    .option('--assembly <dir>', 'use an existing cloud assembly instead of synthesizing')
    .option('-c, --context <key=value...>', 'CDK context passed to cdk synth')
    .option('--scenario <file>', 'scenario YAML/JSON; "default": the bundled reference scenario when it fits the platform, else one derived ' +
      'from its workloads; "derived": always the derived one; "static": the settled steady state')
    .option('--baseline <file>', 'a base plan report (eksplan plan --format json, e.g. of the target branch): stdout gets what changed ' +
      '(verdict, peak nodes, pending, cost per category and workload) instead of the report; --out also writes eksplan-diff.md/.json/.txt')
    .option('--diff-format <format>', 'with --baseline: text, markdown (for a pull-request comment) or json', parseDiffFormat);
  withSimulationOptions(plan)
    .action(async (options: SimulationOptions & { app?: string; assembly?: string; context?: string[]; scenario?: string; baseline?: string; diffFormat?: 'text' | 'markdown' | 'json' }) => {
      checkSeedsOptions(options, options.scenario === 'static');
      // Inputs that are files are checked before the synth (seconds), not after it.
      if (options.scenario !== undefined && !['default', 'static', 'derived'].includes(options.scenario) && !fs.existsSync(options.scenario)) {
        throw new EksplanError('no such scenario file (give a YAML/JSON scenario, default for the bundled one, derived, or static)', { input: options.scenario, field: '--scenario' });
      }
      if (options.assembly !== undefined && !fs.existsSync(options.assembly)) throw new EksplanError('no such directory', { input: options.assembly, field: '--assembly' });
      const baseline = options.baseline === undefined ? undefined : readPlanReport(options.baseline);
      if (options.assembly) {
        await runPlan({ ...options, assemblyDir: options.assembly }, baseline);
        return;
      }
      const synth = synthesizeToTemp(options.app, options.context ?? []);
      try {
        await runPlan({ ...options, assemblyDir: synth.dir, origin: platformLabel(synth.dir, synth.label, options.stack) }, baseline);
      } finally {
        // The synthesized assembly (tens of MB with assets) is plan's own scratch space.
        removeSynthDir(synth.dir);
      }
    });

  const simulate = program.command('simulate')
    .description('Simulate a synthesized assembly (cdk.out) or a directory of Kubernetes manifests. Without --scenario, ' +
      'the settled steady state: node groups at their desired size, every pod placed as kube-scheduler and the VPC CNI would, ' +
      'then one provisioning pass of the deployed Karpenter / Cluster Autoscaler; exit 1 when a pod still cannot run.')
    .argument('<input>', 'cloud assembly directory, manifests directory or manifest file')
    .option('--scenario <file>', 'replay this load scenario over time (YAML/JSON); "default" for the bundled one')
    .option('--static', 'static placement only, even when a scenario is given');
  withSimulationOptions(simulate)
    .action((input: string, options: SimulationOptions & { scenario?: string; static?: boolean }) => {
      if (!fs.existsSync(input)) throw new EksplanError(`no such file or directory`, { input });
      checkSeedsOptions(options, options.scenario === undefined || options.static === true || options.scenario === 'static');
      return runPlan({ ...options, assemblyDir: input, scenario: options.scenario === undefined || options.static ? 'static' : options.scenario });
    });
}

/** --seeds and --quantile make sense together and with a scenario only: refused before any synth or simulation. */
function checkSeedsOptions(options: SimulationOptions, staticRun: boolean): void {
  if (options.quantile !== undefined && options.seeds === undefined) throw new EksplanError('chooses the quantile over --seeds N: give --seeds too', { field: '--quantile' });
  if (options.seeds !== undefined && staticRun) {
    throw new EksplanError('replays a scenario under several seeds; the static steady state has one answer: give --scenario (not static, no --static) or leave --seeds out', { field: '--seeds' });
  }
}

async function runPlan(options: SimulationOptions & { assemblyDir: string; scenario?: string; origin?: string; diffFormat?: 'text' | 'markdown' | 'json' }, baseline?: PlanResult): Promise<void> {
  // A bad --out fails now, in a second, not after the simulation; and never inside the input.
  if (options.out) prepareOutputDirectory(options.out, [options.assemblyDir]);
  const progress = terminalProgress('simulating');
  try {
    const planOptions = {
      assemblyDir: options.assemblyDir, stack: options.stack, clusterShape: options.clusterShape, manifests: options.manifests, scenario: options.scenario, seed: options.seed, region: options.region,
      onProgress: options.scenario === 'static' ? undefined : progress.update, origin: options.origin,
    };
    const outcome = options.seeds === undefined ? planAssembly(planOptions) : await planAssemblySeeds({ ...planOptions, seeds: options.seeds, quantile: options.quantile });
    progress.stop();
    if (baseline) {
      emitDiff(baseline, outcome.result, { diffFormat: options.diffFormat, diffOut: options.out });
      if (options.out) process.stderr.write(`eksplan: wrote ${writeReports(outcome.result, options.out, options.format?.length ? options.format : undefined).join(', ')}\n`);
    } else {
      emitReport(outcome.result, options);
    }
    if (!outcome.result.verdict.passed) requestExit(1);
  } finally {
    progress.stop();
  }
}

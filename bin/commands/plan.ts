import { requestExit } from './exit';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from 'commander';
import { planAssembly, planStatic, writeReports } from '../../lib/plan';
import { EksplanError } from '../../simulation/model/errors';
import { render } from '../../simulation/report';
import { withSimulationOptions, type SimulationOptions } from './options';
import { terminalProgress } from './progress';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan')
    .description('Synthesize the platform (cdk synth into a temp dir, or --assembly), simulate the scenario, render the report.\n' +
      'Exit 0 when every threshold passes, 1 when one fails, 2 on bad input.')
    .option('--app <command>', 'the CDK app command to synthesize (default: this project\'s cdk.json app, the reference platform)')
    .option('--assembly <dir>', 'use an existing cloud assembly instead of synthesizing')
    .option('-c, --context <key=value...>', 'CDK context passed to cdk synth')
    .option('--scenario <file>', 'scenario YAML/JSON (default: the bundled reference scenario)');
  withSimulationOptions(plan)
    .action((options: SimulationOptions & { app?: string; assembly?: string; context?: string[]; scenario?: string }) => {
      const assemblyDir = options.assembly ?? synthesize(options.app, options.context ?? []);
      runPlan({ ...options, assemblyDir });
    });

  const simulate = program.command('simulate')
    .description('Simulate a synthesized assembly (cdk.out) or a directory of Kubernetes manifests. Without --scenario, ' +
      'a static placement: node groups at their desired size, every pod placed as kube-scheduler and the VPC CNI would.')
    .argument('<input>', 'cloud assembly directory, manifests directory or manifest file')
    .option('--scenario <file>', 'replay this load scenario over time (YAML/JSON); "default" for the bundled one')
    .option('--static', 'static placement only, even when a scenario is given');
  withSimulationOptions(simulate)
    .action((input: string, options: SimulationOptions & { scenario?: string; static?: boolean }) => {
      if (!fs.existsSync(input)) throw new EksplanError(`no such file or directory`, { input });
      if (options.scenario === undefined || options.static) {
        const result = planStatic({ assemblyDir: input, stack: options.stack, seed: options.seed, region: options.region });
        emit(result.result, options);
        return;
      }
      runPlan({ ...options, assemblyDir: input });
    });
}

function runPlan(options: SimulationOptions & { assemblyDir: string; scenario?: string }): void {
  const progress = terminalProgress('simulating');
  try {
    const outcome = planAssembly({
      assemblyDir: options.assemblyDir, stack: options.stack, scenario: options.scenario, seed: options.seed, region: options.region,
      onProgress: progress.update,
    });
    progress.stop();
    emit(outcome.result, options);
  } finally {
    progress.stop();
  }
}

function emit(result: Parameters<typeof render>[0], options: Pick<SimulationOptions, 'out' | 'format'>): void {
  const formats = options.format ?? [];
  process.stdout.write(render(result, formats[0] ?? 'text'));
  if (options.out) {
    const written = writeReports(result, options.out, formats.length > 0 ? formats : undefined);
    process.stderr.write(`eksplan: wrote ${written.join(', ')}\n`);
  }
  if (!result.verdict.passed) requestExit(1);
}

/** Runs `cdk synth` into a fresh temporary directory and returns it. */
function synthesize(app: string | undefined, context: string[]): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-synth-'));
  const cdk = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk');
  const args = ['synth', '--quiet', '--output', outdir, ...(app ? ['--app', app] : []), ...context.flatMap((c) => ['--context', c])];
  process.stderr.write(`eksplan: cdk ${args.join(' ')}\n`);
  const run = spawnSync(fs.existsSync(cdk) ? cdk : 'cdk', args, {
    cwd: app || fs.existsSync('cdk.json') ? process.cwd() : PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'],
    // plan is about capacity and cost: aws-cdk-lib's template validation (half the synth time) is left to
    // `cdk synth` and `eksplan validate`, unless CDK_VALIDATION is set.
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false' },
  });
  if (run.error) throw new EksplanError(`could not run cdk synth: ${run.error.message}`, { input: '--app' });
  if (run.status !== 0) throw new EksplanError(`cdk synth failed with exit status ${run.status}; see its output above`, { input: app ?? 'cdk.json app' });
  return outdir;
}

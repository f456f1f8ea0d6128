#!/usr/bin/env node
// The eksplan CLI. Reports go to stdout (or files under --out), progress to stderr.
// Exit status: 0 pass, 1 a threshold or check failed, 2 bad input (EksplanError), 3 internal error (a bug).
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { redactSecrets } from '../lib/live/aws-errors';
import { isEksplanError } from '../simulation/model/errors';
import { takeExitCode } from './commands/exit';

export const EXIT_PASS = 0;
export const EXIT_BAD_INPUT = 2;
export const EXIT_BUG = 3;

type Register = (program: Command) => void;

const loadPlanCommands = async (): Promise<Register> => (await import('./commands/plan')).registerPlanCommands;

/**
 * Every command, with the one-line summary the root `--help` lists. A command's module (and what it imports:
 * the simulation, aws-cdk-lib's validator, the AWS SDK) is loaded only when that command runs, so `--help`
 * and `--version` start without them.
 */
const COMMANDS: readonly { readonly name: string; readonly summary: string; readonly load: () => Promise<Register> }[] = [
  { name: 'plan', summary: 'synthesize the platform, simulate the scenario, render the report', load: loadPlanCommands },
  { name: 'simulate', summary: 'simulate a synthesized assembly or Kubernetes manifests (static placement, or a scenario)', load: loadPlanCommands },
  { name: 'diff', summary: 'what changed between two plan results (base.json head.json): verdict, nodes, pending, cost', load: async () => (await import('./commands/diff')).registerDiffCommand },
  { name: 'check', summary: 'mistakes the synthesized assembly already shows (max pods, Karpenter wiring, IRSA, ...)', load: async () => (await import('./commands/check')).registerCheckCommand },
  { name: 'validate', summary: 'every template against the CloudFormation schemas, every manifest against its schema', load: async () => (await import('./commands/validate')).registerValidateCommand },
  { name: 'compare', summary: 'the same scenario on what-if variants, side by side', load: async () => (await import('./commands/compare')).registerCompareCommand },
  { name: 'spec', summary: 'validate a PlatformSpec and print it fully defaulted (--resolved)', load: async () => (await import('./commands/spec')).registerSpecCommand },
  { name: 'max-pods', summary: 'max pods of an instance type as the VPC CNI and the EKS AMI compute it', load: async () => (await import('./commands/max-pods')).registerMaxPodsCommand },
  { name: 'catalog', summary: 'the instance-type and price catalog', load: async () => (await import('./commands/catalog')).registerCatalogCommands },
  { name: 'live', summary: 'drift between a live EKS cluster and the plan (AWS credentials)', load: async () => (await import('./commands/live')).registerLiveCommands },
  { name: 'addons', summary: 'pin the default managed add-on versions from EKS (AWS credentials)', load: async () => (await import('./commands/addons')).registerAddonsCommands },
];

/** The package version, read from package.json next to bin/ (sources) or dist/bin/ (compiled). */
function packageVersion(): string {
  for (const dir of [path.join(__dirname, '..'), path.join(__dirname, '..', '..')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'eksplan' && pkg.version) return pkg.version;
    } catch {
      // not this directory
    }
  }
  return '0.0.0';
}

/** The command argv asks for (`eksplan plan ...`, `eksplan help plan`), if any. */
function requestedCommand(argv: readonly string[]): string | undefined {
  const positional = argv.filter((arg) => !arg.startsWith('-'));
  return positional[0] === 'help' ? positional[1] : positional[0];
}

/**
 * The program with the requested command fully registered and every other one as a name and summary only
 * (enough for the root help and commander's "did you mean" on a mistyped command).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('eksplan')
    .description('Synthesize an EKS platform and prove before deploy that it fits its workloads, and what it costs.')
    .version(packageVersion())
    // Root options only before the command: `eksplan addons pin --version 1.34` is pin's --version, not the root's.
    .enablePositionalOptions()
    // A usage error is one line and a pointer to the help, not the whole help text.
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    // Throw instead of process.exit, in every subcommand, so main() decides the exit status.
    .exitOverride();
  const requested = COMMANDS.find((c) => c.name === requestedCommand(argv));
  const full = requested ? await requested.load() : undefined;
  for (const { name, summary, load } of COMMANDS) {
    if (program.commands.some((c) => c.name() === name)) continue;
    // In help order: the loaded module registers its commands (plan registers plan and simulate) in its turn.
    if (full && requested && load === requested.load) full(program);
    else program.command(name).summary(summary).description(summary).allowUnknownOption().allowExcessArguments();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    takeExitCode();
    // Prices refreshed by `eksplan catalog refresh` replace the catalog's estimates in every priced command.
    if (['plan', 'simulate', 'compare', 'catalog', 'live'].includes(requestedCommand(argv) ?? '')) (await import('../lib/aws/catalog-refresh')).loadRefreshedCatalogs();
    await program.parseAsync(argv, { from: 'user' });
    return takeExitCode();
  } catch (error) {
    takeExitCode();
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_PASS;
      return EXIT_BAD_INPUT;
    }
    if (isEksplanError(error)) {
      // One line, no terminal control sequences from the input, no credential of the environment.
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      process.stderr.write(`eksplan: ${redactSecrets(error.message).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`eksplan: internal error (please report it): ${redactSecrets(error instanceof Error ? error.stack ?? error.message : String(error))}\n`);
    return EXIT_BUG;
  }
}

export { Option };

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, () => { process.exitCode = EXIT_BUG; });
}

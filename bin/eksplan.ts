#!/usr/bin/env node
// The eksplan CLI. Reports go to stdout (or files under --out), progress to stderr.
// Exit status: 0 pass, 1 a threshold or check failed, 2 bad input (EksplanError), 3 internal error (a bug).
import { Command, CommanderError, Option } from 'commander';
import { isEksplanError } from '../simulation/model/errors';
import { registerCatalogCommands } from './commands/catalog';
import { takeExitCode } from './commands/exit';
import { registerCheckCommand } from './commands/check';
import { registerCompareCommand } from './commands/compare';
import { registerLiveCommands } from './commands/live';
import { registerMaxPodsCommand } from './commands/max-pods';
import { registerPlanCommands } from './commands/plan';
import { registerValidateCommand } from './commands/validate';

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_BUG = 3;

export function buildProgram(): Command {
  const program = new Command('eksplan')
    .description('Synthesize an EKS platform and prove before deploy that it fits its workloads, and what it costs.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    // Throw instead of process.exit, in every subcommand, so main() decides the exit status.
    .exitOverride();
  registerPlanCommands(program);
  registerCheckCommand(program);
  registerCompareCommand(program);
  registerMaxPodsCommand(program);
  registerCatalogCommands(program);
  registerLiveCommands(program);
  registerValidateCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    takeExitCode();
    await program.parseAsync(argv, { from: 'user' });
    return takeExitCode();
  } catch (error) {
    takeExitCode();
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_PASS;
      return EXIT_BAD_INPUT;
    }
    if (isEksplanError(error)) {
      process.stderr.write(`eksplan: ${error.message.split('\n').join(' ')}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`eksplan: internal error (please report it): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return EXIT_BUG;
  }
}

export { Option };

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, () => { process.exitCode = EXIT_BUG; });
}

import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { loadInput } from '../../simulation/assembly';
import { compareVariants, renderComparison, renderComparisonHtml } from '../../simulation/compare';
import { defaultScenarioPath, loadScenario } from '../../simulation/engine';
import { parseSeed } from './options';

export function registerCompareCommand(program: Command): void {
  program.command('compare')
    .description('Run the same scenario on what-if variants of the assembly and print one table (peak nodes, pending pod-seconds, free IPs, monthly cost).')
    .option('--assembly <dir>', 'the synthesized cloud assembly', 'cdk.out')
    .option('--stack <name>', 'the stack when the assembly has several')
    .option('--scenario <file>', 'scenario (default: the bundled reference scenario)')
    .option('--variant <variant>', 'karpenter | cluster-autoscaler | auto-mode | prefix-delegation=on|off | spot=N% | families=a,b (repeat)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--seed <n>', 'random seed override', parseSeed)
    .option('--out <dir>', 'write comparison.html (variants side by side) and comparison.json here')
    .action((options: { assembly: string; stack?: string; scenario?: string; variant?: string[]; seed?: number; out?: string }) => {
      const model = loadInput(options.assembly, { stack: options.stack });
      const scenario = loadScenario(options.scenario ?? defaultScenarioPath());
      const rows = compareVariants(model, scenario, options.variant ?? [], { seed: options.seed });
      process.stdout.write(renderComparison(rows));
      if (options.out) {
        fs.mkdirSync(options.out, { recursive: true });
        fs.writeFileSync(path.join(options.out, 'comparison.html'), renderComparisonHtml(rows));
        fs.writeFileSync(path.join(options.out, 'comparison.json'), `${JSON.stringify(rows.map(({ result: _result, ...row }) => row), null, 2)}\n`);
        process.stderr.write(`eksplan: wrote ${path.join(options.out, 'comparison.html')}\n`);
      }
    });
}

import * as fs from 'fs';
import * as path from 'path';
import { InvalidArgumentError, type Command } from 'commander';
import { requestExit } from './exit';
import { DIFF_FORMATS, diffPlans, EksplanError, renderPlanDiff, type DiffFormat, type PlanResult } from '../../simulation';

// `eksplan diff base.json head.json` (and `plan --baseline base.json`): what a change does to capacity and
// cost, for a pull-request comment. The inputs are `eksplan plan --format json` reports.

export function parseDiffFormat(value: string): DiffFormat {
  if (!(DIFF_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown format '${value}': expected ${DIFF_FORMATS.join(', ')}`);
  return value as DiffFormat;
}

/** A plan report written by `eksplan plan --format json` (or `--out`), checked enough to diff. */
export function readPlanReport(file: string): PlanResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new EksplanError('cannot read the plan report (write one with eksplan plan --format json > base.json)', { input: file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EksplanError(`not JSON: ${(error as Error).message}`, { input: file });
  }
  const plan = value as Partial<PlanResult> | null;
  for (const key of ['input', 'verdict', 'summary', 'cost', 'placements', 'findings'] as const) {
    if (plan === null || typeof plan !== 'object' || plan[key] === undefined) {
      throw new EksplanError(`not an eksplan plan report: no '${key}' (expected the output of eksplan plan --format json)`, { input: file, field: key });
    }
  }
  return plan as PlanResult;
}

/** Prints the diff of two plans (stdout gets the first format; --out writes eksplan-diff.md and .json). */
export function emitDiff(base: PlanResult, head: PlanResult, options: { diffFormat?: DiffFormat; diffOut?: string }): void {
  const diff = diffPlans(base, head);
  process.stdout.write(renderPlanDiff(diff, options.diffFormat ?? 'text'));
  if (options.diffOut) {
    fs.mkdirSync(options.diffOut, { recursive: true });
    const files = [['eksplan-diff.md', 'markdown'], ['eksplan-diff.json', 'json'], ['eksplan-diff.txt', 'text']] as const;
    for (const [name, format] of files) fs.writeFileSync(path.join(options.diffOut, name), renderPlanDiff(diff, format));
    process.stderr.write(`eksplan: wrote ${files.map(([name]) => path.join(options.diffOut ?? '', name)).join(', ')}\n`);
  }
}

export function registerDiffCommand(program: Command): void {
  program.command('diff')
    .description('What changed between two plans of a platform (base: the target branch, head: the pull request): verdict, peak nodes,\n' +
      'pending pods, monthly cost per category and per workload. Inputs are `eksplan plan --format json` reports.\n' +
      'Exit 1 when the head plan fails its verdict, as plan does.')
    .argument('<base>', 'the base plan report (JSON)')
    .argument('<head>', 'the head plan report (JSON)')
    .option('--format <format>', `${DIFF_FORMATS.join(', ')} (markdown is made for a pull-request comment)`, parseDiffFormat, 'text' as DiffFormat)
    .option('--out <dir>', 'also write eksplan-diff.md, eksplan-diff.json and eksplan-diff.txt here')
    .action((baseFile: string, headFile: string, options: { format: DiffFormat; out?: string }) => {
      const head = readPlanReport(headFile);
      emitDiff(readPlanReport(baseFile), head, { diffFormat: options.format, diffOut: options.out });
      if (!head.verdict.passed) requestExit(1);
    });
}

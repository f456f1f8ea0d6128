import { InvalidArgumentError, type Command } from 'commander';
import { writeReports } from '../../lib/plan';
import { checkOutputFiles, prepareOutputDirectory, writingTo } from './output';
import { isReportFormat, MAX_SEEDS, render, reportExtension, reportFormatHelp, reportFormats, SEED_QUANTILES, type ReportableResult, type ReportFormat, type SeedQuantile } from '../../simulation';

export function parseFormats(value: string, previous: ReportFormat[] = []): ReportFormat[] {
  const formats = value.split(',').map((f) => f.trim()).filter((f) => f !== '');
  for (const format of formats) {
    if (!isReportFormat(format)) throw new InvalidArgumentError(`unknown format '${format}': expected ${reportFormats().join(', ')}`);
  }
  return [...previous, ...(formats as ReportFormat[])];
}

export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 2 ** 32 - 1) throw new InvalidArgumentError(`seed must be an integer 0..4294967295, got '${value}'`);
  return Number(value);
}

export function parseSeedCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_SEEDS) {
    throw new InvalidArgumentError(`seeds must be an integer 1..${MAX_SEEDS} (each seed is a whole run of the scenario), got '${value}'`);
  }
  return Number(value);
}

export function parseQuantile(value: string): SeedQuantile {
  if (!(SEED_QUANTILES as readonly string[]).includes(value)) throw new InvalidArgumentError(`quantile must be one of ${SEED_QUANTILES.join(', ')}, got '${value}'`);
  return value as SeedQuantile;
}

/** What withReportOptions adds, as commander parses it. */
export interface ReportOptions { out?: string; format?: ReportFormat[] }

/** What withSimulationOptions adds, as commander parses it. */
export interface SimulationOptions extends ReportOptions { stack?: string; seed?: number; seeds?: number; quantile?: SeedQuantile; region?: string; clusterShape?: string; manifests?: string[] }

/** `--out` and `--format`, with the formats of the report registry (plan, check and compare share them). */
export function withReportOptions(command: Command, what = 'the reports'): Command {
  return command
    .option('--out <dir>', `write ${what} (every format unless --format) into this directory`)
    .option('--format <formats>', `comma separated, stdout gets the first: ${reportFormatHelp()}`, parseFormats);
}

/** The options every command that simulates and renders shares (plan, simulate), with one wording. */
export function withSimulationOptions(command: Command): Command {
  return withReportOptions(command
    .option('--stack <name>', 'the stack to simulate when the assembly has several')
    .option('--seed <n>', 'random seed override', parseSeed)
    .option('--seeds <n>', `replay the scenario under n seeds (--seed and up, 1..${MAX_SEEDS}) on worker threads; the verdict measures each threshold at --quantile over them`, parseSeedCount)
    .option('--quantile <q>', `with --seeds: the quantile over the seeds each threshold is measured at: ${SEED_QUANTILES.join(', ')} (default p95)`, parseQuantile)
    .option('--region <region>', 'region override for prices')
    .option('--cluster-shape <file>', 'YAML/JSON cluster shape (region, zones, subnets, node groups, controllers) for plain manifests; see README "Cluster shape"')
    .option('--manifests <dir...>', 'rendered manifests (helm template output) added to the model; objects labelled with a Helm release stand for it'));
}

/** Renders a result to stdout in the first format, and every asked format (or all) under --out. */
export function emitReport(result: ReportableResult, options: ReportOptions, baseName?: string): void {
  const formats = options.format ?? [];
  const chosen = formats.length > 0 ? formats : reportFormats();
  // --out is checked before anything is printed: a refused directory is one line on stderr, nothing else.
  if (options.out) checkOutputFiles(prepareOutputDirectory(options.out), chosen.map((f) => `${baseName ?? 'eksplan-report'}.${reportExtension(f)}`));
  // On a terminal, text tables fit its width; piped or redirected, lines are printed whole.
  process.stdout.write(render(result, formats[0] ?? reportFormats()[0], { columns: process.stdout.isTTY ? process.stdout.columns : undefined }));
  if (options.out) {
    const out = options.out;
    const written = writingTo(out, () => writeReports(result, out, chosen, baseName));
    process.stderr.write(`eksplan: wrote ${written.join(', ')}\n`);
  }
}

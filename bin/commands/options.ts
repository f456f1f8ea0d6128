import { InvalidArgumentError, type Command } from 'commander';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from '../../simulation/report';

export function parseFormats(value: string, previous: ReportFormat[] = []): ReportFormat[] {
  const formats = value.split(',').map((f) => f.trim()).filter((f) => f !== '');
  for (const format of formats) {
    if (!isReportFormat(format)) throw new InvalidArgumentError(`unknown format '${format}': expected ${REPORT_FORMATS.join(', ')}`);
  }
  return [...previous, ...(formats as ReportFormat[])];
}

export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 2 ** 32 - 1) throw new InvalidArgumentError(`seed must be an integer 0..4294967295, got '${value}'`);
  return Number(value);
}

/** What withSimulationOptions adds, as commander parses it. */
export interface SimulationOptions { stack?: string; seed?: number; region?: string; out?: string; format?: ReportFormat[] }

/** The options every command that simulates and renders shares (plan, simulate), with one wording. */
export function withSimulationOptions(command: Command): Command {
  return command
    .option('--stack <name>', 'the stack to simulate when the assembly has several')
    .option('--seed <n>', 'random seed override', parseSeed)
    .option('--region <region>', 'region override for prices')
    .option('--out <dir>', 'write the reports (all formats unless --format) into this directory')
    .option('--format <formats>', 'text, json, html, junit, markdown (comma separated; stdout gets the first)', parseFormats);
}

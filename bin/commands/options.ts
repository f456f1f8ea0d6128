import { InvalidArgumentError } from 'commander';
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

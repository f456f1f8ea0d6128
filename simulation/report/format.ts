import { formatBytes, formatMilliCpu } from '../model/quantity';
import type { ThresholdResult } from '../model/result';

// Small formatting helpers shared by the text, Markdown and HTML renderers.

export function usd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const digits = abs >= 100 ? 0 : 2;
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) {
    const m = Math.floor(seconds / 60);
    const s = Math.round(seconds % 60);
    return s === 0 ? `${m}m` : `${m}m${s}s`;
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}

/** Clock time of a simulated second: `06:30`, or `1d 06:30` past the first day. */
export function clock(t: number): string {
  const day = Math.floor(t / 86400);
  const rem = t % 86400;
  const hh = String(Math.floor(rem / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rem % 3600) / 60)).padStart(2, '0');
  return day > 0 ? `${day}d ${hh}:${mm}` : `${hh}:${mm}`;
}

export function cpu(milliCpu: number): string {
  return formatMilliCpu(milliCpu);
}

export function bytes(value: number): string {
  return formatBytes(value);
}

/** The measured value of a threshold in its unit, for people. */
export function thresholdValue(threshold: ThresholdResult, which: 'limit' | 'measured'): string {
  const value = threshold[which];
  switch (threshold.unit) {
    case 'USD/month': return usd(value);
    case 'seconds': return duration(value);
    case 'percent': return `${value.toFixed(1)}%`;
    default: return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

export function thresholdComparator(threshold: ThresholdResult): string {
  return threshold.name.startsWith('min') ? '≥' : '≤';
}

/** Renders rows as a fixed-width table; numbers are right-aligned. */
export function table(header: string[], rows: (string | number)[][], maxWidth = 100): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  const numeric = header.map((_, col) => rows.length > 0 && rows.every((row) => typeof row[col] === 'number' || /^[-$]?[\d,.]+[%a-zA-Z]*$/.test(String(row[col]))));
  const line = (row: string[]) => row
    .map((cell, col) => (numeric[col] ? cell.padStart(widths[col]) : cell.padEnd(widths[col])))
    .join('  ')
    .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  return out.map((row) => (row.length > maxWidth ? `${row.slice(0, maxWidth - 1)}…` : row)).join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Sorted entries of a record, largest value first, ties by key. */
export function byValueDesc(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

import { formatBytes, formatMilliCpu } from '../model/quantity';
import type { ThresholdResult } from '../model/result';
import { escapeXmlText } from './escape';

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

/**
 * Simulated time, the one format of every report: `0d 06:30:00` (day, then hh:mm:ss from the start of the
 * scenario). Events, failure windows, tables and chart axes all use it (axes drop the seconds).
 */
export function clock(t: number): string {
  const whole = Math.round(t);
  const day = Math.floor(whole / 86400);
  const rem = whole - day * 86400;
  const hh = String(Math.floor(rem / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rem % 3600) / 60)).padStart(2, '0');
  const ss = String(rem % 60).padStart(2, '0');
  return `${day}d ${hh}:${mm}:${ss}`;
}

/** `clock` without the seconds, for chart axes whose ticks fall on whole minutes. */
export function axisClock(t: number): string {
  return clock(t).slice(0, -3);
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

/**
 * Renders rows as a fixed-width table; numbers are right-aligned. With `maxWidth` (a terminal's columns),
 * the columns in `dropOrder` are left out (in that order) while even the narrowest table would not fit, then
 * the widest text column is narrowed and its cells cut with `…` so every line fits; without it (piped
 * output), whole lines.
 */
export function table(header: string[], rows: (string | number)[][], maxWidth?: number, dropOrder: readonly number[] = []): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  const numeric = header.map((_, col) => rows.length > 0 && rows.every((row) => typeof row[col] === 'number' || /^[-+]?[$]?[\d,.]+[%a-zA-Z]*$/.test(String(row[col]))));
  if (maxWidth !== undefined && dropOrder.length > 0) {
    // Too narrow even with every text column at its minimum: leave out the columns the caller ranks least useful, in its order.
    const keep = header.map(() => true);
    const minTotal = () => widths.reduce((sum, w, col) => (keep[col] ? sum + 2 + (numeric[col] ? w : Math.min(w, Math.max(8, header[col].length))) : sum), -2);
    for (const col of dropOrder) {
      if (minTotal() <= maxWidth) break;
      keep[col] = false;
    }
    if (keep.some((k) => !k)) {
      const pick = <T>(row: readonly T[]) => row.filter((_, col) => keep[col]);
      return table(pick(header), rows.map(pick), maxWidth);
    }
  }
  if (maxWidth !== undefined) {
    // Narrow the widest text columns first (never below their header or 8 characters) until the table fits.
    let total = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
    while (total > maxWidth) {
      const candidates = widths.map((w, col) => ({ w, col })).filter(({ w, col }) => !numeric[col] && w > Math.max(8, header[col].length));
      if (candidates.length === 0) break;
      const widest = candidates.reduce((a, b) => (b.w > a.w ? b : a));
      widths[widest.col] -= 1;
      total -= 1;
    }
  }
  const fit = (cell: string, col: number) => (cell.length > widths[col] ? `${cell.slice(0, widths[col] - 1)}…` : cell);
  const line = (row: string[]) => row
    .map((cell, col) => (numeric[col] ? fit(cell, col).padStart(widths[col]) : fit(cell, col).padEnd(widths[col])))
    .join('  ')
    .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  return out.map((row) => (maxWidth !== undefined && row.length > maxWidth ? `${row.slice(0, maxWidth - 1)}…` : row)).join('\n');
}

/**
 * Wraps a long line at word boundaries to `width`, keeping its leading indentation and indenting the
 * continuation lines with `indent`; without a width (piped output), the line is returned whole.
 */
export function wrapLine(line: string, width: number | undefined, indent = '  '): string {
  if (width === undefined || line.length <= width) return line;
  const lead = /^ */.exec(line)?.[0] ?? '';
  const words = line.slice(lead.length).split(' ');
  words[0] = `${lead}${words[0]}`;
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (candidate.length > width && current !== '') {
      lines.push(current);
      current = `${indent}${word}`;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l)).join('\n');
}

/** Text for HTML and XML (JUnit) content and attributes: report/escape.ts, the one place for escaping. */
export function escapeXml(text: string): string {
  return escapeXmlText(text);
}

/** Sorted entries of a record, largest value first, ties by key. */
export function byValueDesc(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

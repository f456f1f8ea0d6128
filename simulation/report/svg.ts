import { scaleLinear, scaleUtc } from 'd3-scale';
import { axisClock, clock, escapeXml } from './format';

// SVG charts for the HTML reports, drawn server-side with d3-scale (nice linear ticks, calendar-aware time
// ticks on simulated time taken as UTC from 0), so the page needs no script or CDN and opens offline.
// Each chart is responsive: a fixed viewBox drawn at width 100%, labels kept inside the viewBox.

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** Draw as a dashed line (e.g. a second figure on the same axis). */
  readonly dashed?: boolean;
}

/** A vertical marker at a simulated time: a fault, a spot interruption wave. */
export interface Marker {
  readonly t: number;
  readonly kind: 'fault' | 'interruption' | 'peak';
  readonly label: string;
}

export interface ChartOptions {
  /** Stable id (`nodes`, `pending`, ...), used as `data-chart` and in tests. */
  readonly id: string;
  readonly title: string;
  readonly times: readonly number[];
  readonly series: readonly Series[];
  readonly stacked?: boolean;
  /** Step lines (values hold until the next point), for counts such as pending pods. */
  readonly step?: boolean;
  /** Counts: only integer ticks. */
  readonly integer?: boolean;
  readonly unit?: '$' | '%';
  /** Horizontal reference lines, e.g. thresholds. */
  readonly limits?: readonly { value: number; label: string }[];
  readonly markers?: readonly Marker[];
  /** Lower end of the value axis. @default 0 */
  readonly yMin?: number;
  readonly yMax?: number;
  /** Caption under the chart, e.g. what the limit line is. */
  readonly note?: string;
}

export const CHART_WIDTH = 720;
const HEIGHT = 240;
const FONT_PX = 11;
// A generous per-character width for 11px system-ui digits and letters, to keep labels inside the viewBox.
const CHAR_PX = 6.6;
const MAX_POINTS = 360;

const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#0891b2', '#d946ef', '#84cc16', '#64748b', '#f97316'];

export function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length];
}

function textWidth(text: string): number {
  return text.length * CHAR_PX;
}

function valueLabel(value: number, unit?: '$' | '%'): string {
  const abs = Math.abs(value);
  const text = abs >= 10000 ? `${Number((value / 1000).toFixed(1))}k` : abs >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toFixed(2)));
  return unit === '$' ? `$${text}` : unit === '%' ? `${text}%` : text;
}

/**
 * Keeps at most MAX_POINTS points, each bucket's maximum (so a one-step spike of pending pods stays visible
 * at chart resolution instead of vanishing between two samples).
 */
function downsample(times: readonly number[], series: readonly Series[]): { times: number[]; series: Series[] } {
  if (times.length <= MAX_POINTS) return { times: [...times], series: [...series] };
  const per = Math.ceil(times.length / MAX_POINTS);
  const outTimes: number[] = [];
  for (let i = 0; i < times.length; i += per) outTimes.push(times[i]);
  return {
    times: outTimes,
    series: series.map((s) => {
      const values: number[] = [];
      for (let i = 0; i < times.length; i += per) values.push(Math.max(...s.values.slice(i, i + per).map((v) => v ?? 0)));
      return { ...s, values };
    }),
  };
}

export function chart(options: ChartOptions): string {
  const { times, series } = downsample(options.times, options.series);
  const n = times.length;
  const t0 = n > 0 ? times[0] : 0;
  const t1 = n > 1 ? times[n - 1] : t0 + 3600;

  const stackedTops: number[][] = [];
  let dataMax = 0;
  let dataMin = Infinity;
  if (options.stacked) {
    const running = new Array<number>(n).fill(0);
    for (const s of series) {
      const top = running.map((base, i) => base + (s.values[i] ?? 0));
      stackedTops.push(top);
      top.forEach((v, i) => { running[i] = v; });
    }
    dataMax = Math.max(0, ...running);
    dataMin = 0;
  } else {
    for (const s of series) for (const v of s.values) { dataMax = Math.max(dataMax, v); dataMin = Math.min(dataMin, v); }
  }
  for (const limit of options.limits ?? []) { dataMax = Math.max(dataMax, limit.value); dataMin = Math.min(dataMin, limit.value); }
  const yMin = options.yMin ?? 0;
  const yTop = options.yMax ?? Math.max(dataMax, yMin + (options.integer ? 1 : 0.01));
  const y = scaleLinear().domain([yMin, yTop]).nice(5);
  let yTicks = y.ticks(5);
  if (options.integer) yTicks = yTicks.filter((v) => Number.isInteger(v));
  const yLabels = yTicks.map((v) => valueLabel(v, options.unit));
  const margin = { left: Math.ceil(Math.max(24, ...yLabels.map(textWidth)) + 10), right: 12, top: 14, bottom: 26 };
  const plotBottom = HEIGHT - margin.bottom;
  y.range([plotBottom, margin.top]);
  const x = scaleUtc().domain([new Date(t0 * 1000), new Date(t1 * 1000)]).range([margin.left, CHART_WIDTH - margin.right]);
  const xAt = (t: number) => x(new Date(t * 1000));

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeXml(options.title)}">`);
  // Value axis: d3's nice ticks and gridlines.
  yTicks.forEach((v, i) => {
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${CHART_WIDTH - margin.right}" y1="${yy}" y2="${yy}" class="grid"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${yy}" class="axis" text-anchor="end" dominant-baseline="middle">${escapeXml(yLabels[i])}</text>`);
  });
  // Time axis: d3's UTC time ticks (whole minutes, hours, days) labelled in simulated `day hh:mm`; labels
  // that would leave the viewBox are anchored to its edge, labels that would overlap are dropped.
  let lastRight = -Infinity;
  for (const tick of x.ticks(6)) {
    const label = axisClock(tick.getTime() / 1000);
    const w = textWidth(label);
    const cx = x(tick);
    let left = cx - w / 2;
    let anchor = 'middle';
    let tx = cx;
    if (left < 1) { anchor = 'start'; tx = 1; left = 1; }
    if (left + w > CHART_WIDTH - 1) { anchor = 'end'; tx = CHART_WIDTH - 1; left = CHART_WIDTH - 1 - w; }
    if (left < lastRight + 8) continue;
    lastRight = left + w;
    parts.push(`<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${plotBottom}" y2="${plotBottom + 4}" class="tick"/>`);
    parts.push(`<text x="${tx.toFixed(1)}" y="${HEIGHT - 8}" class="axis" text-anchor="${anchor}">${escapeXml(label)}</text>`);
  }
  parts.push(`<line x1="${margin.left}" x2="${CHART_WIDTH - margin.right}" y1="${plotBottom}" y2="${plotBottom}" class="baseline"/>`);

  const point = (t: number, v: number) => `${xAt(t).toFixed(1)},${y(Math.max(yMin, v)).toFixed(1)}`;
  const path = (values: readonly number[]): string[] => {
    const out: string[] = [];
    values.forEach((v, i) => {
      if (options.step && i > 0) out.push(point(times[i], values[i - 1]));
      out.push(point(times[i], v));
    });
    return out;
  };
  series.forEach((s, index) => {
    const color = colorOf(index);
    if (options.stacked) {
      const top = path(stackedTops[index]);
      const base = path(index === 0 ? new Array<number>(n).fill(0) : stackedTops[index - 1]).reverse();
      parts.push(`<polygon points="${[...top, ...base].join(' ')}" fill="${color}" fill-opacity="0.75" stroke="${color}" stroke-width="0.5"><title>${escapeXml(s.name)}</title></polygon>`);
    } else {
      const line = path(s.values);
      if (options.step && series.length === 1) {
        const area = [...line, point(t1, yMin), point(t0, yMin)];
        parts.push(`<polygon points="${area.join(' ')}" fill="${color}" fill-opacity="0.2" stroke="none"/>`);
      }
      parts.push(`<polyline points="${line.join(' ')}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${escapeXml(s.name)}</title></polyline>`);
    }
  });

  for (const marker of mergeMarkers(options.markers ?? [])) {
    const mx = xAt(marker.t).toFixed(1);
    parts.push(`<g class="marker ${marker.kind}"><title>${escapeXml(`${clock(marker.t)} ${marker.label}`)}</title>` +
      `<line x1="${mx}" x2="${mx}" y1="${margin.top}" y2="${plotBottom}"/><path d="M${mx} ${margin.top} l-4 -7 h8 z"/></g>`);
  }
  for (const limit of options.limits ?? []) {
    const yy = y(limit.value);
    const labelY = yy - 4 < FONT_PX + 1 ? yy + FONT_PX + 2 : yy - 4;
    const label = limit.label.length * CHAR_PX > CHART_WIDTH - margin.left - margin.right ? limit.label.slice(0, 40) : limit.label;
    parts.push(`<line x1="${margin.left}" x2="${CHART_WIDTH - margin.right}" y1="${yy.toFixed(1)}" y2="${yy.toFixed(1)}" class="limit"/>`);
    parts.push(`<text x="${CHART_WIDTH - margin.right}" y="${labelY.toFixed(1)}" class="axis limit-label" text-anchor="end">${escapeXml(label)}</text>`);
  }
  parts.push('</svg>');

  const legend = series.map((s, index) =>
    `<span class="legend-item"><span class="swatch${s.dashed ? ' dashed' : ''}" style="background:${colorOf(index)}"></span>${escapeXml(s.name)}</span>`);
  if ((options.limits ?? []).length > 0) legend.push('<span class="legend-item"><span class="swatch limit"></span>threshold</span>');
  if ((options.markers ?? []).some((m) => m.kind === 'fault')) legend.push('<span class="legend-item"><span class="swatch fault"></span>fault</span>');
  if ((options.markers ?? []).some((m) => m.kind === 'interruption')) legend.push('<span class="legend-item"><span class="swatch interruption"></span>spot interruption</span>');
  return `<figure class="chart" data-chart="${escapeXml(options.id)}"><figcaption class="chart-title">${escapeXml(options.title)}</figcaption>${parts.join('')}` +
    `<div class="legend">${legend.join('')}</div>${options.note ? `<p class="note">${escapeXml(options.note)}</p>` : ''}</figure>`;
}

/** Markers at the same time and kind become one (a spot interruption wave is one marker with a count). */
function mergeMarkers(markers: readonly Marker[]): Marker[] {
  const byKey = new Map<string, { marker: Marker; count: number }>();
  for (const marker of markers) {
    const key = `${marker.kind}|${marker.t}`;
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else byKey.set(key, { marker, count: 1 });
  }
  return [...byKey.values()].map(({ marker, count }) => (count > 1 ? { ...marker, label: `${marker.label} (+${count - 1} more)` } : marker));
}

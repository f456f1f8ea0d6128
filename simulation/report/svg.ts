import { clock, escapeXml } from './format';

// Dependency-free SVG charts, so the HTML report opens offline with no CDN.

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

export interface ChartOptions {
  readonly title: string;
  readonly times: readonly number[];
  readonly series: readonly Series[];
  readonly stacked?: boolean;
  readonly unit?: string;
  readonly width?: number;
  readonly height?: number;
  /** A horizontal reference line, e.g. a threshold. */
  readonly limit?: { value: number; label: string };
}

const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#0891b2', '#d946ef', '#84cc16', '#64748b', '#f97316'];

export function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length];
}

export function chart(options: ChartOptions): string {
  const width = options.width ?? 920;
  const height = options.height ?? 260;
  const margin = { left: 64, right: 16, top: 28, bottom: 36 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const times = options.times;
  const n = times.length;
  const t0 = n > 0 ? times[0] : 0;
  const t1 = n > 1 ? times[n - 1] : t0 + 1;
  const x = (t: number) => margin.left + ((t - t0) / (t1 - t0 || 1)) * plotW;

  const stackedTops: number[][] = [];
  let maxValue = options.limit?.value ?? 0;
  if (options.stacked) {
    const running = new Array<number>(n).fill(0);
    for (const series of options.series) {
      const top = running.map((base, i) => base + (series.values[i] ?? 0));
      stackedTops.push(top);
      top.forEach((v, i) => { running[i] = v; });
    }
    maxValue = Math.max(maxValue, ...running, 0);
  } else {
    for (const series of options.series) for (const v of series.values) if (v > maxValue) maxValue = v;
  }
  const yMax = niceCeiling(maxValue);
  const y = (v: number) => margin.top + plotH - (v / yMax) * plotH;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`);
  parts.push(`<text x="${margin.left}" y="18" class="chart-title">${escapeXml(options.title)}</text>`);
  for (let i = 0; i <= 4; i += 1) {
    const v = (yMax / 4) * i;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${yy}" y2="${yy}" class="grid"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${yy}" class="axis" text-anchor="end" dominant-baseline="middle">${escapeXml(axisLabel(v, options.unit))}</text>`);
  }
  const ticks = Math.min(8, Math.max(1, n - 1));
  for (let i = 0; i <= ticks; i += 1) {
    const t = t0 + ((t1 - t0) / ticks) * i;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${height - 12}" class="axis" text-anchor="middle">${clock(Math.round(t))}</text>`);
  }
  options.series.forEach((series, index) => {
    const color = colorOf(index);
    if (options.stacked) {
      const top = stackedTops[index];
      const base = index === 0 ? new Array<number>(n).fill(0) : stackedTops[index - 1];
      const upper = top.map((v, i) => `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`);
      const lower = base.map((v, i) => `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`).reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.75" stroke="${color}" stroke-width="0.5"><title>${escapeXml(series.name)}</title></polygon>`);
    } else {
      const points = series.values.map((v, i) => `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="1.8"><title>${escapeXml(series.name)}</title></polyline>`);
    }
  });
  if (options.limit) {
    const yy = y(options.limit.value).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${yy}" y2="${yy}" class="limit"/>`);
    parts.push(`<text x="${width - margin.right}" y="${Number(yy) - 4}" class="axis limit-label" text-anchor="end">${escapeXml(options.limit.label)}</text>`);
  }
  parts.push('</svg>');
  const legend = options.series.map((series, index) =>
    `<span class="legend-item"><span class="swatch" style="background:${colorOf(index)}"></span>${escapeXml(series.name)}</span>`).join('');
  return `<figure class="chart">${parts.join('')}<figcaption class="legend">${legend}</figcaption></figure>`;
}

function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const exponent = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * exponent >= value) return step * exponent;
  }
  return 10 * exponent;
}

function axisLabel(value: number, unit?: string): string {
  const rounded = Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toFixed(2)));
  return unit === '$' ? `$${rounded}` : rounded;
}

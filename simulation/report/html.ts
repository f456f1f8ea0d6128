import type { SimulationResult, TimelinePoint } from '../model/result';
import { byValueDesc, duration, escapeXml, percent, thresholdComparator, thresholdValue, usd } from './format';
import { chart, type Series } from './svg';

const MAX_SERIES = 9;

/** A self-contained HTML report with SVG charts: no scripts, no external assets, opens offline. */
export function renderHtml(result: SimulationResult): string {
  const { verdict, input, summary } = result;
  const times = result.timeline.map((p) => p.t);
  const charts = [
    chart({ title: 'Nodes by instance type', times, stacked: true, series: keyedSeries(result.timeline, (p) => p.nodesByInstanceType) }),
    chart({
      title: 'Pending pods', times, series: [{ name: 'pending pods', values: result.timeline.map((p) => p.podsPending) }],
      limit: limitOf(result, 'maxPendingPods'),
    }),
    chart({ title: 'Replicas per workload', times, series: keyedSeries(result.timeline, (p) => p.replicas) }),
    chart({ title: 'Free IPs per subnet', times, series: keyedSeries(result.timeline, (p) => p.freeIpsBySubnet) }),
    chart({ title: 'Cumulative cost of nodes (USD)', times, unit: '$', series: [{ name: 'cumulative EC2 cost', values: cumulativeCost(result.timeline) }] }),
  ];

  const thresholdRows = verdict.thresholds.map((th) => `<tr class="${th.passed ? 'pass' : 'fail'}"><td>${escapeXml(th.name)}</td>` +
    `<td class="num">${thresholdComparator(th)} ${escapeXml(thresholdValue(th, 'limit'))}</td><td class="num">${escapeXml(thresholdValue(th, 'measured'))}</td>` +
    `<td>${th.passed ? 'pass' : 'FAIL'}</td></tr>`).join('');
  const costRows = result.cost
    ? byValueDesc(result.cost.byCategory).map(([category, amount]) => `<tr><td>${escapeXml(category)}</td><td class="num">${usd(amount)}</td></tr>`).join('')
    : '';
  const pendingRows = result.pendingPods.slice(0, 200).map((pod) => `<tr><td>${escapeXml(pod.pod)}</td><td>${escapeXml(pod.workload)}</td>` +
    `<td>${pod.phase}</td><td>${escapeXml(pod.message)}</td></tr>`).join('');
  const findingRows = result.findings.map((f) => `<tr class="${f.severity}"><td>${f.severity}</td><td>${escapeXml(f.code)}</td>` +
    `<td>${escapeXml(f.object)}</td><td>${escapeXml(f.message)}${f.fix ? `<br><em>Fix: ${escapeXml(f.fix)}</em>` : ''}</td></tr>`).join('');

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>eksplan report: ${escapeXml(input.scenario)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:980px;color:#0f172a;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}
.meta{color:#475569;font-size:13px}.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.badge.pass{background:#16a34a}.badge.fail{background:#dc2626}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #e2e8f0;padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.fail td,tr.error td{background:#fef2f2}tr.warning td{background:#fffbeb}
.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}.kpi{border:1px solid #e2e8f0;border-radius:8px;padding:8px 14px;min-width:150px}
.kpi b{display:block;font-size:20px}.kpi span{color:#475569;font-size:12px}
figure.chart{margin:12px 0}svg .grid{stroke:#e2e8f0}svg .axis{font-size:11px;fill:#475569}svg .chart-title{font-size:14px;font-weight:600;fill:#0f172a}
svg .limit{stroke:#dc2626;stroke-dasharray:6 4}.legend{font-size:12px;color:#334155}.legend-item{margin-right:14px;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
</style></head><body>
<h1>eksplan report <span class="badge ${verdict.passed ? 'pass' : 'fail'}">${verdict.passed ? 'PASS' : 'FAIL'}</span></h1>
<div class="meta">${escapeXml(input.origin)} · scenario ${escapeXml(input.scenario)} · ${escapeXml(input.region)} · ${duration(input.durationSeconds)} at ${input.stepSeconds}s · seed ${input.seed}${input.kubernetesVersion ? ` · Kubernetes ${escapeXml(input.kubernetesVersion)}` : ''}</div>
<div class="kpis">
<div class="kpi"><b>${summary.peakNodes}</b><span>peak nodes</span></div>
<div class="kpi"><b>${summary.peakPodsPending}</b><span>peak pending pods</span></div>
<div class="kpi"><b>${duration(summary.maxPendingSeconds)}</b><span>longest pending</span></div>
<div class="kpi"><b>${summary.minFreeSubnetIpsPercent.toFixed(1)}%</b><span>lowest free subnet IPs</span></div>
${result.cost ? `<div class="kpi"><b>${usd(result.cost.monthlyUsd)}</b><span>per month (${escapeXml(result.cost.region)})</span></div>` : ''}
</div>
<h2>Verdict</h2>
${thresholdRows ? `<table><tr><th>threshold</th><th>limit</th><th>measured</th><th>result</th></tr>${thresholdRows}</table>` : '<p>No thresholds set.</p>'}
<h2>Capacity over time</h2>
${charts.join('\n')}
${result.cost ? `<h2>Cost per month</h2><table><tr><th>category</th><th>USD</th></tr>${costRows}</table><p class="meta">Idle share of node cost: ${percent(result.cost.idleShare)}.</p>` : ''}
${pendingRows ? `<h2>Pods that cannot run (${result.pendingPods.length})</h2><table><tr><th>pod</th><th>workload</th><th>phase</th><th>reason</th></tr>${pendingRows}</table>` : ''}
${findingRows ? `<h2>Findings (${result.findings.length})</h2><table><tr><th>severity</th><th>check</th><th>object</th><th>message</th></tr>${findingRows}</table>` : ''}
</body></html>
`;
}

/** One series per key of a per-point record, the largest keys first; the rest summed as `other`. */
function keyedSeries(timeline: readonly TimelinePoint[], pick: (p: TimelinePoint) => Record<string, number>): Series[] {
  const totals = new Map<string, number>();
  for (const point of timeline) {
    for (const [key, value] of Object.entries(pick(point))) totals.set(key, (totals.get(key) ?? 0) + value);
  }
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
  const shown = keys.slice(0, MAX_SERIES);
  const rest = keys.slice(MAX_SERIES);
  const series: Series[] = shown.map((key) => ({ name: key, values: timeline.map((p) => pick(p)[key] ?? 0) }));
  if (rest.length > 0) {
    series.push({ name: `other (${rest.length})`, values: timeline.map((p) => rest.reduce((sum, key) => sum + (pick(p)[key] ?? 0), 0)) });
  }
  return series;
}

function cumulativeCost(timeline: readonly TimelinePoint[]): number[] {
  let total = 0;
  return timeline.map((point, i) => {
    if (i > 0) total += timeline[i - 1].usdPerHour * ((point.t - timeline[i - 1].t) / 3600);
    return Number(total.toFixed(4));
  });
}

function limitOf(result: SimulationResult, name: string): { value: number; label: string } | undefined {
  const threshold = result.verdict.thresholds.find((th) => th.name === name);
  return threshold ? { value: threshold.limit, label: `${name} ${threshold.limit}` } : undefined;
}

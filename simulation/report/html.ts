import { HOURS_PER_MONTH, pendingPodCount, type NodeRecord, type PlanResult, type SimEvent, type TimelinePoint } from '../model/result';
import { explainFailures, longestInterval, type FailureReport } from './failures';
import { byValueDesc, bytes, clock, cpu, duration, percent, thresholdComparator, thresholdValue, usd } from './format';
import { collapsible, esc, htmlTable, page } from './html-page';
import { seedsHeading, seedsRows } from './seeds';
import { priceSourceNotes } from './price-sources';
import { chart, type Marker, type Series } from './svg';

const MAX_SERIES = 9;
const OPEN_ROWS = 25;

/**
 * A self-contained HTML report: why it failed first, then the verdict, charts (d3-scale ticks, thresholds
 * and faults marked), the node view at the peak, and every table of the text report. No script, no
 * external asset; fits any width from 360 px up.
 */
export function renderHtml(result: PlanResult): string {
  const { verdict, input } = result;
  const failures = explainFailures(result);
  const body = [
    `<header><h1>eksplan report <span class="badge ${verdict.passed ? 'pass' : 'fail'}">${verdict.passed ? 'PASS' : 'FAIL'}</span></h1>`,
    `<p class="meta">${esc(input.origin)} · scenario ${esc(input.scenario)} · ${esc(input.region)} · ${duration(input.durationSeconds)} at ${input.stepSeconds}s · seed ${input.seed}` +
      `${input.kubernetesVersion ? ` · Kubernetes ${esc(input.kubernetesVersion)}` : ''} · times are simulated (day hh:mm:ss)</p></header>`,
    verdict.passed ? '' : failureSection(failures),
    verdictSection(result),
    `<section id="charts"><h2>Over time</h2><div class="charts">${planCharts(result).join('\n')}</div></section>`,
    nodeView(result),
    nodesSection(result),
    workloadsSection(result),
    pendingSection(result),
    subnetsSection(result),
    costSection(result),
    eventsSection(result.events),
    findingsSection(result),
  ].filter(Boolean).join('\n');
  return page(`eksplan report: ${input.scenario} ${verdict.passed ? 'PASS' : 'FAIL'}`, body);
}

/** The "why it failed" section, shared with the comparison page. */
export function failureSection(report: FailureReport, heading = 'Why it failed', id = 'failures'): string {
  const parts: string[] = [`<section id="${esc(id)}" class="failures"><h2>${esc(heading)}</h2>`];
  for (const failure of report.failures) {
    const th = failure.threshold;
    parts.push(`<div class="failure" data-threshold="${esc(th.name)}"><h3>${esc(th.name)}: ${esc(thresholdValue(th, 'measured'))} ` +
      `(limit ${esc(thresholdComparator(th))} ${esc(thresholdValue(th, 'limit'))})</h3><p>${esc(failure.summary)}</p>`);
    if (failure.reasons.length > 0) {
      parts.push(`<p><b>Reasons</b> (pods): ${failure.reasons.slice(0, 5).map((r) => `${r.pods} × ${esc(r.reason)}`).join('; ')}</p>`);
    }
    parts.push(`<ul class="fixes">${failure.fixes.map((fix) => `<li><b>Fix:</b> ${esc(fix)}</li>`).join('')}</ul>`);
    if (failure.culprits.length > 0) {
      const table = htmlTable([{ header: 'what' }, { header: 'detail' }, { header: 'from', time: true }, { header: 'to', time: true }, { header: 'reason' }],
        failure.culprits.map((c) => [`${esc(c.kind)} ${esc(c.name)}`, esc(c.detail), c.from !== undefined ? clock(c.from) : '-', c.to !== undefined ? clock(c.to) : '-', esc(c.reason ?? '-')]));
      parts.push(collapsible(`Behind it: ${failure.culprits.length}${failure.moreCulprits > 0 ? ` of ${failure.culprits.length + failure.moreCulprits}` : ''}`, table, true));
    }
    if (failure.events.length > 0) parts.push(collapsible(`Events then (${failure.events.length})`, eventTable(failure.events), false));
    parts.push('</div>');
  }
  if (report.errorFindings.length > 0) {
    parts.push(`<div class="failure" data-threshold="error-findings"><h3>${report.errorFindings.length} error finding(s)</h3><ul>` +
      `${report.errorFindings.map((f) => `<li><code>${esc(f.code)}</code> ${esc(f.object)}: ${esc(f.message)}${f.fix ? ` <b>Fix:</b> ${esc(f.fix)}` : ''}</li>`).join('')}</ul></div>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function verdictSection(result: PlanResult): string {
  const { verdict, summary } = result;
  const failed = new Set(verdict.thresholds.filter((t) => !t.passed).map((t) => t.name));
  const kpi = (value: string, label: string, threshold: string) => `<div class="kpi${failed.has(threshold) ? ' fail' : ''}"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  const thresholds = verdict.thresholds.length > 0
    ? htmlTable([{ header: 'threshold' }, { header: 'limit', numeric: true }, { header: 'measured', numeric: true }, { header: 'result' }],
      verdict.thresholds.map((th) => [esc(th.name), `${thresholdComparator(th)} ${esc(thresholdValue(th, 'limit'))}`, esc(thresholdValue(th, 'measured')), th.passed ? 'pass' : '<b>FAIL</b>']),
      (i) => (verdict.thresholds[i].passed ? 'pass' : 'fail'))
    : '<p>No thresholds set: the verdict only reflects error findings.</p>';
  return `<section id="verdict"><h2>Verdict</h2><div class="kpis">
${kpi(String(summary.peakNodes), `peak nodes${summary.peakAt !== undefined ? ` at ${clock(summary.peakAt)}` : ''}`, 'maxNodes')}
${kpi(String(summary.peakPodsPending), 'peak pending pods', 'maxPendingPods')}
${kpi(duration(summary.maxPendingSeconds), 'longest pending', 'maxPendingSeconds')}
${kpi(`${summary.minFreeSubnetIpsPercent.toFixed(1)}%`, 'lowest free subnet IPs', 'minFreeSubnetIpsPercent')}
${kpi(usd(result.cost.monthlyUsd), `per month (${result.cost.region})`, 'maxMonthlyCostUsd')}
</div>${thresholds}${verdict.errorFindings > 0 ? `<p>${verdict.errorFindings} error finding(s) fail the verdict.</p>` : ''}${seedsTable(result)}</section>`;
}

/** The spread of each measure over the seeds of a many-seed plan (report/seeds.ts), empty for one seed. */
function seedsTable(result: PlanResult): string {
  const heading = seedsHeading(result);
  if (!heading) return '';
  const rows = seedsRows(result);
  return `<div id="seeds"><p>${esc(heading)}</p>${htmlTable([{ header: 'measure' }, { header: 'limit', numeric: true }, { header: 'p50', numeric: true }, { header: 'p95', numeric: true }, { header: 'max', numeric: true }, { header: 'worst seed', numeric: true }],
    rows.map((row) => [esc(row.name), esc(row.limit), esc(row.p50), esc(row.p95), esc(row.max), esc(row.worstSeed)]))}</div>`;
}

function limitOf(result: PlanResult, name: string, scale = 1, label?: string): { value: number; label: string }[] {
  const threshold = result.verdict.thresholds.find((th) => th.name === name);
  return threshold ? [{ value: threshold.limit * scale, label: label ?? `${name} ${thresholdComparator(threshold)} ${thresholdValue(threshold, 'limit')}` }] : [];
}

/** Faults and spot interruptions as chart markers. */
export function markersOf(events: readonly SimEvent[]): Marker[] {
  return events.filter((e) => e.type === 'fault' || (e.type === 'interruption' && e.source !== 'karpenter'))
    .map((e) => ({ t: e.t, kind: e.type === 'fault' ? 'fault' as const : 'interruption' as const, label: `${e.object}: ${e.message}` }));
}

function planCharts(result: PlanResult): string[] {
  const times = result.timeline.map((p) => p.t);
  const markers = markersOf(result.events);
  const usable = new Map(result.subnets.map((s) => [s.id, s.usable]));
  const ipSeries = keyedSeries(result.timeline, (p) => p.freeIpsBySubnet).filter((s) => usable.has(s.name))
    .map((s) => ({ name: s.name, values: s.values.map((v) => Math.round((1000 * v) / Math.max(1, usable.get(s.name) ?? 1)) / 10) }));
  const ipLimit = result.verdict.thresholds.find((t) => t.name === 'minFreeSubnetIpsPercent')?.limit;
  const ipLow = Math.min(ipLimit ?? 100, ...ipSeries.flatMap((s) => s.values));
  const costLimit = result.verdict.thresholds.find((t) => t.name === 'maxMonthlyCostUsd');
  // Everything but EC2 is a steady monthly figure; spread over the month it lifts the node $/h to the total rate.
  const nonNodeMonthly = Object.entries(result.cost.byCategory).filter(([c]) => !c.startsWith('EC2') && c !== 'Fargate' && c !== 'EKS Auto Mode fee').reduce((sum, [, v]) => sum + v, 0);
  return [
    chart({
      id: 'nodes', title: 'Nodes by instance type', times, stacked: true, integer: true, series: keyedSeries(result.timeline, (p) => p.nodesByInstanceType),
      limits: limitOf(result, 'maxNodes'), markers,
    }),
    chart({
      id: 'pending', title: 'Pending pods', times, step: true, integer: true, series: [{ name: 'pending pods', values: result.timeline.map((p) => p.podsPending) }],
      limits: limitOf(result, 'maxPendingPods'), markers,
      note: result.verdict.thresholds.some((t) => t.name === 'maxPendingSeconds') ? 'maxPendingSeconds is per pod: see "Pods that waited".' : undefined,
    }),
    chart({ id: 'replicas', title: 'Replicas per workload', times, integer: true, series: keyedSeries(result.timeline, (p) => p.replicas), markers }),
    chart({
      id: 'subnet-ips', title: 'Free IPs per subnet (% of usable)', times, unit: '%', series: ipSeries, yMin: Math.max(0, ipLow - Math.max(100 - ipLow, 1) / 2), yMax: 100,
      limits: limitOf(result, 'minFreeSubnetIpsPercent'), markers,
    }),
    chart({
      id: 'cost', title: 'Cost rate (USD per hour)', times, unit: '$', markers,
      series: [
        { name: 'nodes $/h', values: result.timeline.map((p) => p.usdPerHour) },
        { name: 'nodes + other costs $/h', values: result.timeline.map((p) => Math.round((p.usdPerHour + nonNodeMonthly / HOURS_PER_MONTH) * 1e4) / 1e4), dashed: true },
      ],
      limits: costLimit ? [{ value: costLimit.limit / HOURS_PER_MONTH, label: `maxMonthlyCostUsd ${usd(costLimit.limit)}/month = ${usd(costLimit.limit / HOURS_PER_MONTH)}/h` }] : [],
      note: costLimit ? 'The monthly projection is the average of the dashed line over the run × 730 h.' : undefined,
    }),
  ];
}

/** One series per key of a per-point record, the largest keys first; the rest summed as `other`. */
export function keyedSeries(timeline: readonly TimelinePoint[], pick: (p: TimelinePoint) => Record<string, number>): Series[] {
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

function alive(node: NodeRecord, t: number): boolean {
  return node.launchedAt <= t && (node.terminatedAt === undefined || node.terminatedAt > t);
}

/** Like eks-node-viewer: each node at the peak with its requests against allocatable and its price, grouped by pool. */
function nodeView(result: PlanResult): string {
  const peakAt = result.summary.peakAt;
  const loads = new Map((result.summary.nodeLoadAtPeak ?? []).map((l) => [l.name, l]));
  if (peakAt === undefined || loads.size === 0) return '';
  const nodes = result.nodes.filter((n) => alive(n, peakAt) && loads.has(n.name));
  const pools = new Map<string, NodeRecord[]>();
  for (const node of nodes) {
    const key = `${node.owner.kind} ${node.owner.name}`;
    pools.set(key, [...(pools.get(key) ?? []), node]);
  }
  const bar = (used: number, total: number, label: string, mem: boolean) => {
    const share = total > 0 ? Math.min(1, used / total) : 0;
    return `<div class="bar${mem ? ' mem' : ''}${share >= 0.999 ? ' full' : ''}" title="${esc(label)}"><i style="width:${(share * 100).toFixed(1)}%"></i><span>${esc(label)}</span></div>`;
  };
  const groups = [...pools.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([pool, members]) => {
    const reqCpu = members.reduce((s, n) => s + (loads.get(n.name)?.requestedMilliCpu ?? 0), 0);
    const allocCpu = members.reduce((s, n) => s + n.allocatable.milliCpu, 0);
    const price = members.reduce((s, n) => s + n.usdPerHour, 0);
    const rows = members.map((node) => {
      const load = loads.get(node.name);
      return `<div class="node-row"><div class="node-name" title="${esc(node.name)}">${esc(node.name)}<br><span class="meta">${esc(node.instanceType)} ${node.capacityType === 'spot' ? 'spot' : 'on-demand'} ${esc(node.zone)} · ${load?.pods ?? 0}/${node.allocatable.pods} pods</span></div>` +
        `<div class="bars">${bar(load?.requestedMilliCpu ?? 0, node.allocatable.milliCpu, `cpu ${cpu(load?.requestedMilliCpu ?? 0)} / ${cpu(node.allocatable.milliCpu)}`, false)}` +
        `${bar(load?.requestedMemoryBytes ?? 0, node.allocatable.memoryBytes, `mem ${bytes(load?.requestedMemoryBytes ?? 0)} / ${bytes(node.allocatable.memoryBytes)}`, true)}</div>` +
        `<div class="price">$${node.usdPerHour.toFixed(4)}/h</div></div>`;
    }).join('\n');
    return `<div class="pool"><h3>${esc(pool)}: ${members.length} node(s), cpu ${cpu(reqCpu)} of ${cpu(allocCpu)} requested (${allocCpu > 0 ? percent(reqCpu / allocCpu, 0) : '-'}), $${price.toFixed(4)}/h</h3>${rows}</div>`;
  });
  return `<section id="node-view"><h2>Nodes at the peak (${clock(peakAt)}): requests vs allocatable</h2>${groups.join('\n')}</section>`;
}

function nodesSection(result: PlanResult): string {
  if (result.nodes.length === 0) return '';
  const table = htmlTable([
    { header: 'node' }, { header: 'type' }, { header: 'zone' }, { header: 'owner' }, { header: 'capacity' }, { header: 'cpu', numeric: true },
    { header: 'memory', numeric: true }, { header: 'pods', numeric: true }, { header: '$/h', numeric: true }, { header: 'launched', time: true }, { header: 'terminated' },
  ], result.nodes.map((n) => [esc(n.name), esc(n.instanceType), esc(n.zone), esc(`${n.owner.kind}/${n.owner.name}`), n.capacityType, cpu(n.allocatable.milliCpu),
    bytes(n.allocatable.memoryBytes), String(n.allocatable.pods), n.usdPerHour.toFixed(4), clock(n.launchedAt),
    n.terminatedAt !== undefined ? `${clock(n.terminatedAt)} ${esc(n.terminationReason ?? '')}` : '-']));
  return `<section id="nodes"><h2>Nodes</h2>${collapsible(`Every node of the run (${result.nodes.length})`, table, result.nodes.length <= OPEN_ROWS)}</section>`;
}

function workloadsSection(result: PlanResult): string {
  if (result.placements.length === 0) return '';
  const table = htmlTable([{ header: 'workload' }, { header: 'desired', numeric: true }, { header: 'running', numeric: true }, { header: 'pending', numeric: true }, { header: 'zones' }],
    result.placements.map((p) => [esc(p.workload), String(p.desired), String(p.running), String(p.pending), esc(byValueDesc(p.zones).map(([z, n]) => `${z}:${n}`).join(' ') || '-')]),
    (i) => (result.placements[i].pending > 0 ? 'fail' : undefined));
  return `<section id="workloads"><h2>Workloads at the end of the run (${clock(result.input.durationSeconds)})</h2>${table}</section>`;
}

function pendingSection(result: PlanResult): string {
  const parts: string[] = [];
  if (result.podPending.length > 0) {
    const table = htmlTable([{ header: 'pod' }, { header: 'workload' }, { header: 'pending', numeric: true }, { header: 'from', time: true }, { header: 'to', time: true }, { header: 'reason' }],
      result.podPending.map((p) => {
        const last = longestInterval(p);
        return [esc(p.pod), esc(p.workload), duration(p.pendingSeconds), last.from !== undefined ? clock(last.from) : '-', last.to !== undefined ? clock(last.to) : '-', esc(last.reason ?? p.reason ?? '-')];
      }));
    parts.push(collapsible(`Pods that waited (${result.podPending.length}), longest first, with the longest stretch of each`, table, result.podPending.length <= OPEN_ROWS));
  }
  if (result.pendingPods.length > 0) {
    const table = htmlTable([{ header: 'pod' }, { header: 'workload' }, { header: 'phase' }, { header: 'reason' }],
      result.pendingPods.map((p) => [esc(p.count ? `${p.pod} … ${p.lastPod ?? ''} (${p.count} pods)` : p.pod), esc(p.workload), p.phase, esc(p.message)]));
    parts.push(collapsible(`Pods that cannot run at the end (${pendingPodCount(result.pendingPods)})`, table, result.pendingPods.length <= OPEN_ROWS));
  }
  return parts.length > 0 ? `<section id="pending"><h2>Pending pods and their reasons</h2>${parts.join('\n')}</section>` : '';
}

function subnetsSection(result: PlanResult): string {
  if (result.subnets.length === 0) return '';
  const limit = result.verdict.thresholds.find((t) => t.name === 'minFreeSubnetIpsPercent')?.limit;
  const table = htmlTable([{ header: 'subnet' }, { header: 'cidr' }, { header: 'zone' }, { header: 'usable', numeric: true }, { header: 'peak used', numeric: true }, { header: 'min free', numeric: true }, { header: 'no IP', numeric: true }],
    result.subnets.map((s) => [esc(s.id), esc(s.cidr), esc(s.availabilityZone), String(s.usable), String(s.usedPeak), `${s.freeMin} (${s.freePercentMin.toFixed(1)}%)`, String(s.exhaustedPods)]),
    (i) => (limit !== undefined && result.subnets[i].freePercentMin < limit ? 'fail' : undefined));
  return `<section id="subnets"><h2>Subnet IPs</h2>${table}</section>`;
}

function costSection(result: PlanResult): string {
  const cost = result.cost;
  const categories = htmlTable([{ header: 'category' }, { header: 'per month', numeric: true }],
    byValueDesc(cost.byCategory).map(([category, amount]) => [esc(category), usd(amount)]));
  const workloads = byValueDesc(cost.byWorkload);
  const perWorkload = workloads.length > 0
    ? `<h3>Cost per workload (node cost by requests)</h3>${htmlTable([{ header: 'workload' }, { header: 'per month', numeric: true }], workloads.map(([w, amount]) => [esc(w), usd(amount)]))}`
    : '';
  const priced = priceSourceNotes(cost);
  const lines = priced.lines.length > 0
    ? `<h3>Cost lines and price sources</h3>${htmlTable([{ header: 'category' }, { header: 'item' }, { header: 'quantity', numeric: true }, { header: 'unit price', numeric: true }, { header: 'per month', numeric: true }, { header: 'source' }],
      priced.lines.map(({ line, note }) => [esc(line.category), esc(line.item), `${line.quantity} ${esc(line.unit)}`, `$${line.unitPriceUsd}`, usd(line.monthlyUsd), `<a href="#price-source-${note}">[${note}]</a>`]))}` +
      `<ol class="price-sources">${priced.sources.map((source, i) => `<li id="price-source-${i + 1}">${esc(source)}</li>`).join('')}</ol>`
    : '';
  const notes = `<p class="meta">${esc(priced.spotNote)}</p>${priced.estimateNote ? `<p class="meta">${esc(priced.estimateNote)}</p>` : ''}`;
  return `<section id="cost"><h2>Cost: ${usd(cost.monthlyUsd)} per month (${esc(cost.region)})</h2>${categories}` +
    `<p class="meta">${usd(cost.windowUsd)} over the ${duration(cost.windowHours * 3600)} run; idle share of node cost ${percent(cost.idleShare)}.</p>${lines}${notes}${perWorkload}</section>`;
}

function eventTable(events: readonly SimEvent[]): string {
  return htmlTable([{ header: 'time', time: true }, { header: 'source' }, { header: 'type' }, { header: 'object' }, { header: 'message' }],
    events.map((e) => [clock(e.t), esc(e.source), esc(e.type), esc(e.object), esc(e.message)]));
}

function eventsSection(events: readonly SimEvent[]): string {
  const notable = events.filter((e) => e.type !== 'scheduled' && e.type !== 'ready' && e.type !== 'pending');
  if (notable.length === 0) return '';
  return `<section id="events"><h2>Events</h2>${collapsible(`All ${notable.length} events`, eventTable(notable), notable.length <= OPEN_ROWS)}</section>`;
}

function findingsSection(result: PlanResult): string {
  if (result.findings.length === 0) return '';
  const table = htmlTable([{ header: 'severity' }, { header: 'check' }, { header: 'object' }, { header: 'message' }],
    result.findings.map((f) => [f.severity, esc(f.code), esc(f.object), `${esc(f.message)}${f.fix ? `<br><em>Fix: ${esc(f.fix)}</em>` : ''}`]),
    (i) => result.findings[i].severity);
  return `<section id="findings"><h2>Findings (${result.findings.length})</h2>${table}</section>`;
}

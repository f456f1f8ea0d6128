import type { Change, CostChange, PlanDiff, ThresholdChange } from './diff-plans';
import { duration, table, usd } from './format';
import { markdownCode, markdownText } from './escape';

// A PlanDiff for people: Markdown made for a pull-request comment (one headline, one table, details folded),
// plain text for a terminal, JSON for tools.

export type DiffFormat = 'text' | 'markdown' | 'json';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'markdown', 'json'];

export function renderPlanDiff(diff: PlanDiff, format: DiffFormat): string {
  switch (format) {
    case 'markdown': return renderDiffMarkdown(diff);
    case 'json': return `${JSON.stringify(diff, null, 2)}\n`;
    case 'text': return renderDiffText(diff);
  }
}

function verdictWord(passed: boolean): string {
  return passed ? 'PASS' : 'FAIL';
}

function signed(value: number, format: (v: number) => string): string {
  if (Math.abs(value) < 0.005) return '0';
  return value > 0 ? `+${format(value)}` : `-${format(-value)}`;
}

const plain = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
const seconds = (v: number) => duration(v);
const points = (v: number) => `${v.toFixed(1)} pp`;
const pct = (v: number) => `${v.toFixed(1)}%`;

/** A change in dollars with the precision of the totals it sits next to: cents only under $100. */
function usdChange(c: Change): string {
  const wholeDollars = Math.max(Math.abs(c.base), Math.abs(c.head)) >= 100;
  return signed(c.delta, (v) => (wholeDollars ? `$${Math.round(v).toLocaleString('en-US')}` : usd(v)));
}

/** `$4,210 → $4,630 (+$420, +10.0%)` */
function costHeadline(diff: PlanDiff): string {
  const { base, head, percent } = diff.monthlyUsd;
  const share = percent === null ? '' : `, ${signed(percent, (v) => `${v.toFixed(1)}%`)}`;
  return `${usd(base)} → ${usd(head)} (${usdChange(diff.monthlyUsd)}${share})`;
}

interface Row { readonly label: string; readonly base: string; readonly head: string; readonly change: string }

function figureRows(diff: PlanDiff): Row[] {
  const row = (label: string, c: Change, format: (v: number) => string, deltaFormat = format): Row => ({ label, base: format(c.base), head: format(c.head), change: signed(c.delta, deltaFormat) });
  return [
    { label: 'verdict', base: verdictWord(diff.verdict.base), head: verdictWord(diff.verdict.head), change: diff.verdict.changed ? 'changed' : '' },
    row('peak nodes', diff.peakNodes, plain),
    row('pods pending at peak', diff.peakPodsPending, plain),
    row('longest pending', diff.maxPendingSeconds, seconds),
    row('pending pod-seconds', diff.pendingPodSeconds, plain),
    row('lowest free subnet IPs', diff.minFreeSubnetIpsPercent, pct, points),
    { label: 'monthly cost', base: usd(diff.monthlyUsd.base), head: usd(diff.monthlyUsd.head), change: costHeadline(diff).replace(/^.*\(/, '').replace(/\)$/, '') },
  ];
}

function costLabel(c: CostChange): string {
  return c.status === 'added' ? `${c.name} (new)` : c.status === 'removed' ? `${c.name} (removed)` : c.name;
}

function thresholdCell(t: ThresholdChange, side: 'base' | 'head'): string {
  const value = t[side];
  if (!value) return '—';
  const shown = t.unit === 'USD/month' ? usd(value.measured) : t.unit === 'seconds' ? duration(value.measured) : t.unit === 'percent' ? pct(value.measured) : plain(value.measured);
  return `${shown} ${value.passed ? '✅' : '❌'}`;
}

function thresholdLimit(t: ThresholdChange): string {
  const comparator = t.name.startsWith('min') ? '≥' : '≤';
  const shown = t.unit === 'USD/month' ? usd(t.limit) : t.unit === 'seconds' ? duration(t.limit) : t.unit === 'percent' ? pct(t.limit) : plain(t.limit);
  return `${comparator} ${shown}`;
}

function md(text: string): string {
  return markdownText(text);
}

export function renderDiffMarkdown(diff: PlanDiff): string {
  const out: string[] = [];
  const verdict = diff.verdict.changed
    ? `${diff.verdict.base ? '✅' : '❌'} ${verdictWord(diff.verdict.base)} → ${diff.verdict.head ? '✅' : '❌'} ${verdictWord(diff.verdict.head)}`
    : `${diff.verdict.head ? '✅' : '❌'} ${verdictWord(diff.verdict.head)}`;
  out.push(`## eksplan diff: ${verdict}`, '');
  if (diff.unchanged) {
    out.push(`No change in capacity or cost: monthly cost ${usd(diff.monthlyUsd.head)}, peak nodes ${diff.peakNodes.head}.`, '');
    return `${out.join('\n')}\n`;
  }
  out.push(`Monthly cost **${costHeadline(diff)}** · peak nodes **${diff.peakNodes.base} → ${diff.peakNodes.head}** · pods pending at peak **${diff.peakPodsPending.base} → ${diff.peakPodsPending.head}**`, '');
  out.push(`Base ${markdownCode(diff.base.origin)} (scenario ${md(diff.base.scenario)}), head ${markdownCode(diff.head.origin)} (scenario ${md(diff.head.scenario)}).`, '');
  if (diff.workloadsAdded.length > 0) out.push(`Workloads added: ${diff.workloadsAdded.map((w) => `${markdownCode(w)}`).join(', ')}.`, '');
  if (diff.workloadsRemoved.length > 0) out.push(`Workloads removed: ${diff.workloadsRemoved.map((w) => `${markdownCode(w)}`).join(', ')}.`, '');
  out.push('| | base | head | change |', '| --- | ---: | ---: | ---: |');
  for (const row of figureRows(diff)) out.push(`| ${row.label} | ${row.base} | ${row.head} | ${row.change} |`);
  out.push('');
  const changedThresholds = diff.thresholds.filter((t) => t.base?.passed !== t.head?.passed || t.base?.measured !== t.head?.measured);
  if (changedThresholds.length > 0) {
    out.push('### Thresholds', '', '| threshold | limit | base | head |', '| --- | ---: | ---: | ---: |');
    for (const t of changedThresholds) out.push(`| ${t.name} | ${thresholdLimit(t)} | ${thresholdCell(t, 'base')} | ${thresholdCell(t, 'head')} |`);
    out.push('');
  }
  const costTable = (title: string, rows: CostChange[]) => {
    const changed = rows.filter((r) => r.status !== 'unchanged');
    if (changed.length === 0) return;
    out.push(`### ${title}`, '', '| | base | head | change |', '| --- | ---: | ---: | ---: |');
    for (const r of changed) out.push(`| ${md(costLabel(r))} | ${r.status === 'added' ? '—' : usd(r.base)} | ${r.status === 'removed' ? '—' : usd(r.head)} | ${usdChange(r)} |`);
    out.push('');
  };
  costTable('Cost by workload (per month)', diff.costByWorkload);
  costTable('Cost by category (per month)', diff.costByCategory);
  const types = diff.nodesByInstanceTypeAtPeak.filter((r) => r.status !== 'unchanged');
  if (types.length > 0) {
    out.push('<details><summary>Nodes at peak by instance type</summary>', '', '| instance type | base | head | change |', '| --- | ---: | ---: | ---: |');
    for (const r of types) out.push(`| ${md(r.name)} | ${r.base} | ${r.head} | ${signed(r.delta, plain)} |`);
    out.push('', '</details>', '');
  }
  if (diff.newFindings.length > 0 || diff.resolvedFindings.length > 0) {
    out.push('### Findings', '');
    for (const f of diff.newFindings) out.push(`- new ${f.severity} ${markdownCode(f.code)} ${md(f.object)}: ${md(f.message)}`);
    for (const f of diff.resolvedFindings) out.push(`- resolved ${f.severity} ${markdownCode(f.code)} ${md(f.object)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function renderDiffText(diff: PlanDiff): string {
  const out: string[] = [];
  out.push(`eksplan diff: ${diff.verdict.changed ? `${verdictWord(diff.verdict.base)} -> ${verdictWord(diff.verdict.head)}` : verdictWord(diff.verdict.head)}` +
    `${diff.unchanged ? ' (no change)' : ''}; monthly cost ${costHeadline(diff)}`);
  out.push(`base: ${diff.base.origin} (${diff.base.scenario}); head: ${diff.head.origin} (${diff.head.scenario})`, '');
  out.push(table(['', 'base', 'head', 'change'], figureRows(diff).map((r) => [r.label, r.base, r.head, r.change])));
  if (diff.workloadsAdded.length > 0) out.push('', `workloads added: ${diff.workloadsAdded.join(', ')}`);
  if (diff.workloadsRemoved.length > 0) out.push('', `workloads removed: ${diff.workloadsRemoved.join(', ')}`);
  for (const [title, rows] of [['cost by workload', diff.costByWorkload], ['cost by category', diff.costByCategory]] as const) {
    const changed = rows.filter((r) => r.status !== 'unchanged');
    if (changed.length > 0) out.push('', table([`${title} (per month)`, 'base', 'head', 'change'], changed.map((r) => [costLabel(r), usd(r.base), usd(r.head), usdChange(r)])));
  }
  for (const f of diff.newFindings) out.push(`new ${f.severity} ${f.code} ${f.object}: ${f.message}`);
  for (const f of diff.resolvedFindings) out.push(`resolved ${f.severity} ${f.code} ${f.object}`);
  return `${out.join('\n')}\n`;
}

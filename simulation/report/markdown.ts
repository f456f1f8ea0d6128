import { pendingPodCount, type PlanResult } from '../model/result';
import { explainFailures, type FailureReport } from './failures';
import { byValueDesc, clock, duration, percent, thresholdComparator, thresholdValue, usd } from './format';
import { markdownCode, markdownText } from './escape';
import { priceSourceNotes } from './price-sources';
import { seedsHeading, seedsRows } from './seeds';

/** Markdown for a pull-request comment or a GitHub step summary: why it failed first, then the figures. */
export function renderMarkdown(result: PlanResult): string {
  const { verdict, input, summary } = result;
  const out: string[] = [];
  out.push(`## eksplan: ${verdict.passed ? '✅ pass' : '❌ fail'}`);
  out.push('');
  out.push(`${markdownCode(input.origin)} · scenario **${md(input.scenario)}** · ${input.region} · ${duration(input.durationSeconds)} · seed ${input.seed} · times are simulated (day hh:mm:ss)`);
  out.push('');
  if (!verdict.passed) out.push(...failureSection(explainFailures(result)));
  if (verdict.thresholds.length > 0) {
    out.push('| threshold | limit | measured | result |', '| --- | ---: | ---: | :---: |');
    for (const th of verdict.thresholds) {
      out.push(`| ${th.name} | ${thresholdComparator(th)} ${thresholdValue(th, 'limit')} | ${thresholdValue(th, 'measured')} | ${th.passed ? '✅' : '❌'} |`);
    }
    out.push('');
  }
  const overSeeds = seedsHeading(result);
  if (overSeeds) {
    out.push(md(overSeeds), '', '| measure | limit | p50 | p95 | max | worst seed |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of seedsRows(result)) out.push(`| ${row.name} | ${row.limit} | ${row.p50} | ${row.p95} | ${row.max} | ${row.worstSeed} |`);
    out.push('');
  }
  out.push('### Capacity', '');
  out.push(`- Peak nodes: **${summary.peakNodes}**${summary.peakAt !== undefined ? ` at ${clock(summary.peakAt)}` : ''} (${byValueDesc(summary.nodesByInstanceTypeAtPeak).map(([t, n]) => `${n}× ${t}`).join(', ') || 'none'})`);
  out.push(`- Peak pending pods: **${summary.peakPodsPending}**, longest pending: **${duration(summary.maxPendingSeconds)}**`);
  out.push(`- Lowest free subnet IPs: **${summary.minFreeSubnetIpsPercent.toFixed(1)}%**`);
  out.push('');
  const cost = result.cost;
  out.push(`### Cost: ${usd(cost.monthlyUsd)}/month (${cost.region})`, '');
  out.push('| category | per month |', '| --- | ---: |');
  for (const [category, amount] of byValueDesc(cost.byCategory)) out.push(`| ${md(category)} | ${usd(amount)} |`);
  out.push('', `Idle share of node cost: ${percent(cost.idleShare)}.`, '');
  const priced = priceSourceNotes(cost);
  if (priced.lines.length > 0) {
    out.push('<details><summary>Cost lines and price sources</summary>', '', '| category | item | quantity | unit price | per month | source |', '| --- | --- | ---: | ---: | ---: | :---: |');
    for (const { line, note } of priced.lines) {
      out.push(`| ${md(line.category)} | ${md(line.item)} | ${line.quantity} ${md(line.unit)} | $${line.unitPriceUsd} | ${usd(line.monthlyUsd)} | [${note}] |`);
    }
    out.push('', 'Price sources:', '');
    priced.sources.forEach((source, i) => out.push(`${i + 1}. ${md(source)}`));
    out.push('', '</details>', '');
  }
  out.push(md(priced.spotNote), '');
  if (priced.estimateNote) out.push(md(priced.estimateNote), '');
  if (result.pendingPods.length > 0) {
    out.push(`### Pods that cannot run at the end (${pendingPodCount(result.pendingPods)})`, '');
    const seen = new Set<string>();
    for (const pod of result.pendingPods) {
      const key = `${pod.workload}|${pod.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const count = pendingPodCount(result.pendingPods.filter((p) => p.workload === pod.workload && p.message === pod.message));
      out.push(`- ${markdownCode(pod.workload)} ×${count} ${pod.phase}: ${md(pod.message)}`);
    }
    out.push('');
  }
  const notable = result.events.filter((e) => e.type !== 'scheduled' && e.type !== 'ready' && e.type !== 'pending');
  if (notable.length > 0) {
    out.push(`<details><summary>Events (${notable.length})</summary>`, '', '| time | source | type | object | message |', '| --- | --- | --- | --- | --- |');
    for (const e of notable) out.push(`| ${clock(e.t)} | ${md(e.source)} | ${e.type} | ${md(e.object)} | ${md(e.message)} |`);
    out.push('', '</details>', '');
  }
  if (result.findings.length > 0) {
    out.push(`### Findings (${result.findings.length})`, '');
    out.push('| severity | check | object | message |', '| --- | --- | --- | --- |');
    for (const f of result.findings) {
      out.push(`| ${f.severity} | ${f.code} | ${markdownCode(f.object)} | ${md(f.message)}${f.fix ? ` — fix: ${md(f.fix)}` : ''} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function failureSection(report: FailureReport): string[] {
  const out: string[] = ['### Why it failed', ''];
  for (const failure of report.failures) {
    const th = failure.threshold;
    out.push(`#### ❌ ${th.name}: ${thresholdValue(th, 'measured')} (limit ${thresholdComparator(th)} ${thresholdValue(th, 'limit')})`, '');
    out.push(md(failure.summary), '');
    if (failure.reasons.length > 0) {
      out.push('Reasons (pods):', '');
      for (const r of failure.reasons.slice(0, 6)) out.push(`- ${r.pods} × ${md(r.reason)}`);
      out.push('');
    }
    if (failure.culprits.length > 0) {
      out.push('| what | detail | from | to | reason |', '| --- | --- | --- | --- | --- |');
      for (const c of failure.culprits) {
        out.push(`| ${c.kind} ${markdownCode(c.name)} | ${md(c.detail)} | ${c.from !== undefined ? clock(c.from) : '-'} | ${c.to !== undefined ? clock(c.to) : '-'} | ${md(c.reason ?? '-')} |`);
      }
      if (failure.moreCulprits > 0) out.push(`| … ${failure.moreCulprits} more | | | | |`);
      out.push('');
    }
    if (failure.events.length > 0) {
      out.push('Events then:', '');
      for (const e of failure.events) out.push(`- ${clock(e.t)} ${md(e.source)} ${e.type} ${md(e.object)}: ${md(e.message)}`);
      out.push('');
    }
    out.push('Fix:', '');
    for (const fix of failure.fixes) out.push(`- ${md(fix)}`);
    out.push('');
  }
  if (report.errorFindings.length > 0) {
    out.push(`#### ❌ ${report.errorFindings.length} error finding(s)`, '');
    for (const f of report.errorFindings) out.push(`- ${markdownCode(f.code)} ${md(f.object)}: ${md(f.message)}${f.fix ? ` — fix: ${md(f.fix)}` : ''}`);
    out.push('');
  }
  return out;
}

function md(text: string): string {
  return markdownText(text);
}

import type { SimulationResult } from '../model/result';
import { byValueDesc, duration, percent, thresholdComparator, thresholdValue, usd } from './format';

/** Markdown for a pull-request comment or a GitHub step summary. */
export function renderMarkdown(result: SimulationResult): string {
  const { verdict, input, summary } = result;
  const out: string[] = [];
  out.push(`## eksplan: ${verdict.passed ? '✅ pass' : '❌ fail'}`);
  out.push('');
  out.push(`\`${md(input.origin)}\` · scenario **${md(input.scenario)}** · ${input.region} · ${duration(input.durationSeconds)} · seed ${input.seed}`);
  out.push('');
  if (verdict.thresholds.length > 0) {
    out.push('| threshold | limit | measured | result |', '| --- | ---: | ---: | :---: |');
    for (const th of verdict.thresholds) {
      out.push(`| ${th.name} | ${thresholdComparator(th)} ${thresholdValue(th, 'limit')} | ${thresholdValue(th, 'measured')} | ${th.passed ? '✅' : '❌'} |`);
    }
    out.push('');
  }
  out.push('### Capacity', '');
  out.push(`- Peak nodes: **${summary.peakNodes}** (${byValueDesc(summary.nodesByInstanceTypeAtPeak).map(([t, n]) => `${n}× ${t}`).join(', ') || 'none'})`);
  out.push(`- Peak pending pods: **${summary.peakPodsPending}**, longest pending: **${duration(summary.maxPendingSeconds)}**`);
  out.push(`- Lowest free subnet IPs: **${summary.minFreeSubnetIpsPercent.toFixed(1)}%**`);
  out.push('');
  if (result.cost) {
    const cost = result.cost;
    out.push(`### Cost: ${usd(cost.monthlyUsd)}/month (${cost.region})`, '');
    out.push('| category | per month |', '| --- | ---: |');
    for (const [category, amount] of byValueDesc(cost.byCategory)) out.push(`| ${md(category)} | ${usd(amount)} |`);
    out.push('', `Idle share of node cost: ${percent(cost.idleShare)}.`, '');
  }
  if (result.pendingPods.length > 0) {
    out.push(`### Pods that cannot run (${result.pendingPods.length})`, '');
    const seen = new Set<string>();
    for (const pod of result.pendingPods) {
      const key = `${pod.workload}|${pod.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const count = result.pendingPods.filter((p) => p.workload === pod.workload && p.message === pod.message).length;
      out.push(`- \`${md(pod.workload)}\` ×${count} ${pod.phase}: ${md(pod.message)}`);
    }
    out.push('');
  }
  if (result.findings.length > 0) {
    out.push(`### Findings (${result.findings.length})`, '');
    out.push('| severity | check | object | message |', '| --- | --- | --- | --- |');
    for (const f of result.findings) {
      out.push(`| ${f.severity} | ${f.code} | \`${md(f.object)}\` | ${md(f.message)}${f.fix ? ` — fix: ${md(f.fix)}` : ''} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

import { pendingPodCount, type PlanResult } from '../model/result';
import { explainFailures, longestInterval, type FailureReport } from './failures';
import { byValueDesc, bytes, clock, cpu, duration, percent, table, thresholdComparator, thresholdValue, usd, wrapLine } from './format';
import type { RenderOptions } from './renderer';
import { priceSourceNotes } from './price-sources';
import { seedsHeading, seedsRows } from './seeds';
import { compactTimeline } from './timeline';

const MAX_PENDING_PODS = 50;

/**
 * The terminal report: why it failed first, then the verdict, capacity, nodes, workloads, IPs, cost, the
 * timeline and every event. On a terminal (`options.columns`) tables and lines fit its width; piped, lines are whole.
 */
export function renderText(result: PlanResult, options: RenderOptions = {}): string {
  const width = options.columns !== undefined ? Math.max(40, options.columns) : undefined;
  const wrap = (line: string, indent = '    ') => wrapLine(line, width, indent);
  const tbl = (header: string[], rows: (string | number)[][], dropOrder: number[] = []) => indent(table(header, rows, width === undefined ? undefined : width - 2, dropOrder));
  const out: string[] = [];
  const { verdict, input, summary } = result;
  out.push(wrap(`eksplan: ${verdict.passed ? 'PASS' : 'FAIL'} — ${input.origin}, scenario ${input.scenario}, ${input.region}, ` +
    `${duration(input.durationSeconds)} at ${input.stepSeconds}s steps, seed ${input.seed}; times are simulated (day hh:mm:ss)`));

  const failures = explainFailures(result);
  if (!verdict.passed) out.push('', ...failureSection(failures, wrap));

  out.push('', result.seeds ? `Thresholds (each measured at its ${result.seeds.quantile} over ${result.seeds.count} seeds)` : 'Thresholds');
  if (verdict.thresholds.length > 0) {
    out.push(tbl(['threshold', 'limit', 'measured', 'result'], verdict.thresholds.map((th) => [
      th.name, `${thresholdComparator(th)} ${thresholdValue(th, 'limit')}`, thresholdValue(th, 'measured'), th.passed ? 'pass' : 'FAIL',
    ])));
  } else {
    out.push('  No thresholds set: the verdict only reflects error findings.');
  }
  if (verdict.errorFindings > 0) out.push(`  ${verdict.errorFindings} error finding(s) fail the verdict (see Findings).`);
  const overSeeds = seedsHeading(result);
  if (overSeeds) {
    out.push('', wrap(overSeeds, '  '));
    out.push(tbl(['measure', 'limit', 'p50', 'p95', 'max', 'worst seed'], seedsRows(result).map((row) => [row.name, row.limit, row.p50, row.p95, row.max, row.worstSeed])));
  }

  out.push('', 'Capacity');
  out.push(wrap(`  peak nodes ${summary.peakNodes}${summary.peakAt !== undefined ? ` at ${clock(summary.peakAt)}` : ''}, peak pending pods ${summary.peakPodsPending}, ` +
    `longest pending ${duration(summary.maxPendingSeconds)}, pending pod-seconds ${Math.round(summary.pendingPodSeconds)}`));
  const peakTypes = byValueDesc(summary.nodesByInstanceTypeAtPeak).map(([type, n]) => `${n}× ${type}`).join(', ');
  if (peakTypes) out.push(wrap(`  at peak: ${peakTypes}`));

  if (result.nodes.length > 0) {
    out.push('', `Nodes (${result.nodes.length}, every node of the run by launch time)`);
    out.push(tbl(['node', 'type', 'zone', 'owner', 'cap', 'cpu', 'memory', 'pods', '$/h', 'launched', 'terminated'], result.nodes.map((node) => [
      node.name, node.instanceType, node.zone, `${node.owner.kind}/${node.owner.name}`, node.capacityType === 'spot' ? 'spot' : 'od',
      cpu(node.allocatable.milliCpu), bytes(node.allocatable.memoryBytes), node.allocatable.pods, node.usdPerHour.toFixed(4),
      clock(node.launchedAt), node.terminatedAt !== undefined ? `${clock(node.terminatedAt)} ${node.terminationReason ?? ''}`.trim() : '-',
    ]), [10, 9, 2, 3, 6]));
  }

  if (result.placements.length > 0) {
    out.push('', `Workloads at the end of the run (${clock(input.durationSeconds)})`);
    out.push(tbl(['workload', 'desired', 'running', 'pending', 'zones'], result.placements.map((p) => [
      p.workload, p.desired, p.running, p.pending,
      byValueDesc(p.zones).map(([zone, n]) => `${zone}:${n}`).join(' ') || '-',
    ])));
  }

  if (result.podPending.length > 0) {
    const shown = result.podPending.slice(0, MAX_PENDING_PODS);
    out.push('', `Pods that waited, with the longest stretch of each (${result.podPending.length}${result.podPending.length > shown.length ? `, the ${shown.length} longest; every pod is in the JSON report` : ''})`);
    out.push(tbl(['pod', 'workload', 'pending', 'from', 'to', 'reason'], shown.map((p) => {
      const last = longestInterval(p);
      return [p.pod, p.workload, duration(p.pendingSeconds), last.from !== undefined ? clock(last.from) : '-', last.to !== undefined ? clock(last.to) : '-', last.reason ?? p.reason ?? '-'];
    }), [1, 4]));
  }
  if (result.pendingPods.length > 0) {
    out.push('', `Pods that cannot run at the end (${pendingPodCount(result.pendingPods)})`);
    const grouped = new Map<string, { count: number; example: string }>();
    for (const pod of result.pendingPods) {
      const key = `${pod.workload}\u0000${pod.phase}\u0000${pod.message}`;
      const entry = grouped.get(key) ?? { count: 0, example: pod.pod };
      entry.count += pod.count ?? 1;
      grouped.set(key, entry);
    }
    for (const [key, { count, example }] of grouped) {
      const [workload, phase, message] = key.split('\u0000');
      out.push(wrap(`  ${workload}: ${count} ${phase} (e.g. ${example}): ${message}`));
    }
  }

  if (result.subnets.length > 0) {
    out.push('', 'Subnet IPs');
    out.push(tbl(['subnet', 'cidr', 'zone', 'usable', 'peak used', 'min free', 'no IP'], result.subnets.map((s) => [
      s.id, s.cidr, s.availabilityZone, s.usable, s.usedPeak, `${s.freeMin} (${s.freePercentMin.toFixed(1)}%)`, s.exhaustedPods,
    ])));
  }

  const cost = result.cost;
  out.push('', wrap(`Cost (${cost.region}): ${usd(cost.monthlyUsd)}/month projected, ${usd(cost.windowUsd)} over ${duration(cost.windowHours * 3600)}, ` +
    `idle ${percent(cost.idleShare)} of node cost`));
  out.push(tbl(['category', 'per month'], byValueDesc(cost.byCategory).map(([category, amount]) => [category, usd(amount)])));
  const priced = priceSourceNotes(cost);
  if (priced.lines.length > 0) {
    out.push('', 'Cost lines (source: numbered note below)');
    out.push(tbl(['category', 'item', 'quantity', 'unit price', 'per month', 'source'], priced.lines.map(({ line, note }) => [
      line.category, line.item, `${line.quantity} ${line.unit}`, `$${line.unitPriceUsd}`, usd(line.monthlyUsd), `[${note}]`,
    ]), [2, 3]));
    out.push('  Price sources:');
    priced.sources.forEach((source, i) => out.push(wrap(`    [${i + 1}] ${source}`, '        ')));
  }
  out.push(wrap(`  ${priced.spotNote}`));
  if (priced.estimateNote) out.push(wrap(`  ${priced.estimateNote}`));
  const workloads = byValueDesc(cost.byWorkload);
  if (workloads.length > 0) {
    out.push('', 'Cost per workload (node cost by requests)');
    out.push(tbl(['workload', 'per month'], workloads.map(([w, amount]) => [w, usd(amount)])));
  }

  const rows = compactTimeline(result);
  if (rows.length > 1) {
    out.push('', 'Timeline (peak per interval)');
    out.push(tbl(['time', 'nodes', 'running', 'pending', 'replicas', '$/hour', 'min free IPs'], rows.map((row) => [
      clock(row.t), row.nodes, row.podsRunning, row.podsPending, row.replicas, usd(row.usdPerHour), row.minFreeIps,
    ])));
  }

  const notable = result.events.filter((e) => e.type !== 'scheduled' && e.type !== 'ready' && e.type !== 'pending');
  if (notable.length > 0) {
    out.push('', `Events (${notable.length})`);
    for (const event of notable) out.push(wrap(`  ${clock(event.t)} ${event.source} ${event.type} ${event.object}: ${event.message}`, '      '));
  }

  if (result.findings.length > 0) {
    out.push('', `Findings (${result.findings.length})`);
    for (const finding of result.findings) {
      out.push(wrap(`  ${finding.severity.toUpperCase()} ${finding.code} ${finding.object}: ${finding.message}` +
        (finding.fix ? ` Fix: ${finding.fix}` : '')));
    }
  }
  return `${out.join('\n')}\n`;
}

/** The failure section: each failed threshold with its culprits, times, reasons, events and fixes. */
function failureSection(report: FailureReport, wrap: (line: string, indent?: string) => string): string[] {
  const out: string[] = ['Why it failed'];
  for (const failure of report.failures) {
    const th = failure.threshold;
    out.push('', wrap(`  FAIL ${th.name}: measured ${thresholdValue(th, 'measured')}, limit ${thresholdComparator(th)} ${thresholdValue(th, 'limit')}`));
    out.push(wrap(`    ${failure.summary}`, '    '));
    if (failure.reasons.length > 0) {
      out.push('    Reasons (pods):');
      for (const reason of failure.reasons.slice(0, 6)) out.push(wrap(`      ${reason.pods} × ${reason.reason}`, '          '));
    }
    if (failure.culprits.length > 0) {
      out.push('    Behind it:');
      for (const c of failure.culprits) {
        const when = c.from === undefined ? '' : c.to !== undefined && c.to !== c.from ? `, ${clock(c.from)}–${clock(c.to)}` : `, ${clock(c.from)}`;
        out.push(wrap(`      ${c.kind} ${c.name}: ${c.detail}${when}`, '          '));
        if (c.reason) out.push(wrap(`          ${c.reason}`, '          '));
      }
      if (failure.moreCulprits > 0) out.push(`      … ${failure.moreCulprits} more (see the JSON report)`);
    }
    if (failure.events.length > 0) {
      out.push('    Events then:');
      for (const event of failure.events) out.push(wrap(`      ${clock(event.t)} ${event.source} ${event.type} ${event.object}: ${event.message}`, '          '));
    }
    out.push('    Fix:');
    for (const fix of failure.fixes) out.push(wrap(`      - ${fix}`, '        '));
  }
  if (report.errorFindings.length > 0) {
    out.push('', `  FAIL ${report.errorFindings.length} error finding(s):`);
    for (const f of report.errorFindings) out.push(wrap(`    ${f.code} ${f.object}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`, '      '));
  }
  return out;
}

function indent(text: string, prefix = '  '): string {
  return text.split('\n').map((line) => `${prefix}${line}`).join('\n');
}

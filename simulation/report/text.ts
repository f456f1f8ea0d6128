import type { SimulationResult } from '../model/result';
import { byValueDesc, bytes, clock, cpu, duration, percent, table, thresholdComparator, thresholdValue, usd } from './format';
import { compactTimeline } from './timeline';

const WIDTH = 100;

/** The terminal report: the verdict first, then capacity, IPs, cost; every line fits 100 columns. */
export function renderText(result: SimulationResult): string {
  const out: string[] = [];
  const { verdict, input, summary } = result;
  out.push(`eksplan: ${verdict.passed ? 'PASS' : 'FAIL'} — ${input.origin}, scenario ${input.scenario}, ${input.region}, ` +
    `${duration(input.durationSeconds)} at ${input.stepSeconds}s steps, seed ${input.seed}`);
  out.push('');
  if (verdict.thresholds.length > 0) {
    out.push(table(['threshold', 'limit', 'measured', 'result'], verdict.thresholds.map((th) => [
      th.name, `${thresholdComparator(th)} ${thresholdValue(th, 'limit')}`, thresholdValue(th, 'measured'), th.passed ? 'pass' : 'FAIL',
    ]), WIDTH));
  } else {
    out.push('No thresholds set: the verdict only reflects error findings.');
  }
  if (verdict.errorFindings > 0) out.push(`${verdict.errorFindings} error finding(s) fail the verdict (see Findings).`);

  out.push('', 'Capacity');
  out.push(`  peak nodes ${summary.peakNodes}, peak pending pods ${summary.peakPodsPending}, ` +
    `longest pending ${duration(summary.maxPendingSeconds)}, pending pod-seconds ${Math.round(summary.pendingPodSeconds)}`);
  const peakTypes = byValueDesc(summary.nodesByInstanceTypeAtPeak).map(([type, n]) => `${n}× ${type}`).join(', ');
  if (peakTypes) out.push(wrap(`  at peak: ${peakTypes}`));

  const inventory = nodeInventory(result);
  if (inventory.length > 0) {
    out.push('', 'Nodes (first 30 by launch time)');
    out.push(table(['node', 'type', 'zone', 'owner', 'cap', 'cpu', 'memory', 'pods', '$/h'], inventory.slice(0, 30), WIDTH));
    if (inventory.length > 30) out.push(`  … ${inventory.length - 30} more`);
  }

  if (result.placements.length > 0) {
    out.push('', 'Workloads');
    out.push(table(['workload', 'desired', 'running', 'pending', 'zones'], result.placements.map((p) => [
      p.workload, p.desired, p.running, p.pending,
      byValueDesc(p.zones).map(([zone, n]) => `${zone}:${n}`).join(' ') || '-',
    ]), WIDTH));
  }

  if (result.pendingPods.length > 0) {
    out.push('', `Pods that cannot run (${result.pendingPods.length})`);
    const grouped = new Map<string, { count: number; example: string }>();
    for (const pod of result.pendingPods) {
      const key = `${pod.workload}\u0000${pod.phase}\u0000${pod.message}`;
      const entry = grouped.get(key) ?? { count: 0, example: pod.pod };
      entry.count += 1;
      grouped.set(key, entry);
    }
    for (const [key, { count, example }] of grouped) {
      const [workload, phase, message] = key.split('\u0000');
      out.push(wrap(`  ${workload}: ${count} ${phase} (e.g. ${example}): ${message}`, '    '));
    }
  }

  if (result.subnets.length > 0) {
    out.push('', 'Subnet IPs');
    out.push(table(['subnet', 'cidr', 'zone', 'usable', 'peak used', 'min free', 'no IP'], result.subnets.map((s) => [
      shortId(s.id), s.cidr, s.availabilityZone, s.usable, s.usedPeak, `${s.freeMin} (${s.freePercentMin.toFixed(1)}%)`, s.exhaustedPods,
    ]), WIDTH));
  }

  if (result.cost) {
    const cost = result.cost;
    out.push('', `Cost (${cost.region}): ${usd(cost.monthlyUsd)}/month projected, ${usd(cost.windowUsd)} over ${duration(cost.windowHours * 3600)}, ` +
      `idle ${percent(cost.idleShare)} of node cost`);
    out.push(table(['category', 'per month'], byValueDesc(cost.byCategory).map(([category, amount]) => [category, usd(amount)]), WIDTH));
    const workloads = byValueDesc(cost.byWorkload);
    if (workloads.length > 0) {
      out.push('', table(['workload (node cost share)', 'per month'], workloads.slice(0, 15).map(([w, amount]) => [w, usd(amount)]), WIDTH));
    }
  }

  const rows = compactTimeline(result);
  if (rows.length > 1) {
    out.push('', 'Timeline (peak per interval)');
    out.push(table(['time', 'nodes', 'running', 'pending', 'replicas', '$/hour', 'min free IPs'], rows.map((row) => [
      clock(row.t), row.nodes, row.podsRunning, row.podsPending, row.replicas, usd(row.usdPerHour), row.minFreeIps,
    ]), WIDTH));
  }

  const notable = result.events.filter((e) => e.type !== 'scheduled' && e.type !== 'ready' && e.type !== 'pending');
  if (notable.length > 0) {
    out.push('', `Events (${notable.length}${notable.length > 20 ? ', first 20' : ''})`);
    for (const event of notable.slice(0, 20)) {
      out.push(wrap(`  ${clock(event.t)} ${event.source} ${event.type} ${event.object}: ${event.message}`, '      '));
    }
  }

  if (result.findings.length > 0) {
    out.push('', `Findings (${result.findings.length})`);
    for (const finding of result.findings) {
      out.push(wrap(`  ${finding.severity.toUpperCase()} ${finding.code} ${finding.object}: ${finding.message}` +
        (finding.fix ? ` Fix: ${finding.fix}` : ''), '    '));
    }
  }
  return `${out.join('\n')}\n`;
}

function nodeInventory(result: SimulationResult): (string | number)[][] {
  return result.nodes.map((node) => [
    node.name.length > 28 ? `${node.name.slice(0, 27)}…` : node.name,
    node.instanceType,
    node.zone,
    `${node.owner.kind}/${shortId(node.owner.name.replace(/[0-9A-F]{8}$/, '').replace(/^NodeGroup/, ''))}`.slice(0, 22),
    node.capacityType === 'spot' ? 'spot' : 'od',
    cpu(node.allocatable.milliCpu),
    bytes(node.allocatable.memoryBytes),
    node.allocatable.pods,
    node.usdPerHour.toFixed(4),
  ]);
}

function shortId(id: string): string {
  return id.length > 34 ? `${id.slice(0, 33)}…` : id;
}

/** Wraps a long line at word boundaries to the report width, keeping its leading indentation. */
function wrap(line: string, indent = '  '): string {
  if (line.length <= WIDTH) return line;
  const lead = /^ */.exec(line)?.[0] ?? '';
  const words = line.slice(lead.length).split(' ');
  words[0] = `${lead}${words[0]}`;
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (candidate.length > WIDTH && current !== '') {
      lines.push(current);
      current = `${indent}${word}`;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines.map((l) => (l.length > WIDTH ? `${l.slice(0, WIDTH - 1)}…` : l)).join('\n');
}

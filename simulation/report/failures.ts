import type { Finding, PlanResult, PodPendingRecord, SimEvent, ThresholdResult, TimelinePoint } from '../model/result';
import { byValueDesc, clock, duration, thresholdComparator, thresholdValue, usd } from './format';

// Why a run failed, worked out once from the PlanResult and shown by every report format (text, JSON,
// HTML, JUnit, Markdown): for each failed threshold, the pods, nodes or subnets behind it, when, the
// scheduler's / Karpenter's / the VPC CNI's own reason, and the changes that would move that threshold.
// Pure: no I/O, no clock; the same result always gives the same explanation.

/** A pod, workload, node, subnet or cost line behind a failed threshold. */
export interface Culprit {
  readonly kind: 'pod' | 'workload' | 'node' | 'subnet' | 'cost';
  readonly name: string;
  /** The figure that makes it a culprit, for people: `pending 8m12s`, `4 free of 251 (1.6%)`, `$412/month`. */
  readonly detail: string;
  /** When (simulated seconds), where it applies. */
  readonly from?: number;
  readonly to?: number;
  /** The component's own words: kube-scheduler's FailedScheduling message, the CNI error, Karpenter's. */
  readonly reason?: string;
}

/** A window (simulated seconds) during which the measured figure was past the limit. */
export interface Window {
  readonly from: number;
  readonly to: number;
}

/** One reason with the number of pods that waited for it. */
export interface ReasonCount {
  readonly reason: string;
  readonly pods: number;
}

export interface ThresholdFailure {
  readonly threshold: ThresholdResult;
  /** One sentence: what was measured against which limit, and when. */
  readonly summary: string;
  readonly windows: readonly Window[];
  /** The biggest culprits first (at most `maxCulprits`). */
  readonly culprits: readonly Culprit[];
  /** How many more culprits there were beyond those listed. */
  readonly moreCulprits: number;
  readonly reasons: readonly ReasonCount[];
  /** Controller and fault events in the failure windows (insufficient capacity, limits, interruptions, faults). */
  readonly events: readonly SimEvent[];
  /** Changes that would move this threshold, most specific first. */
  readonly fixes: readonly string[];
}

export interface FailureReport {
  readonly passed: boolean;
  readonly failures: readonly ThresholdFailure[];
  /** Error findings fail the verdict too. */
  readonly errorFindings: readonly Finding[];
}

export interface ExplainOptions {
  /** Culprits listed per threshold. @default 10 */
  readonly maxCulprits?: number;
}

const CAUSE_EVENTS = new Set<SimEvent['type']>(['fault', 'interruption', 'insufficient-capacity', 'limit', 'expire', 'evict']);
// For address and node-count failures that last for hours, only the faults are worth listing.
const FAULT_EVENTS = new Set<SimEvent['type']>(['fault', 'interruption']);
const MAX_EVENTS = 12;
// EC2 pricing: Graviton (arm64) families cost about 20% less per vCPU than the same-generation x86 ones.
const GRAVITON_FAMILY = /^[a-z]+\d+g[a-z]*\./;
const NO_IP = 'failed to assign an IP address';
// The VPC CNI model's pending reason for a node at its ENI limit (simulation/network NODE_ENI_LIMIT_REASON).
const NODE_ENI_LIMIT = 'ENI limit reached';

/** The explanation of every failed threshold and error finding of a plan. */
export function explainFailures(result: PlanResult, options: ExplainOptions = {}): FailureReport {
  const maxCulprits = options.maxCulprits ?? 10;
  const failures = result.verdict.thresholds.filter((th) => !th.passed).map((th) => explainThreshold(result, th, maxCulprits));
  return {
    passed: result.verdict.passed,
    failures,
    errorFindings: result.findings.filter((f) => f.severity === 'error'),
  };
}

function explainThreshold(result: PlanResult, threshold: ThresholdResult, maxCulprits: number): ThresholdFailure {
  switch (threshold.name) {
    case 'maxPendingSeconds': return pendingSeconds(result, threshold, maxCulprits);
    case 'maxPendingPods': return pendingPods(result, threshold, maxCulprits);
    case 'maxMonthlyCostUsd': return monthlyCost(result, threshold, maxCulprits);
    case 'minFreeSubnetIpsPercent': return subnetIps(result, threshold, maxCulprits);
    case 'maxNodes': return nodeCount(result, threshold, maxCulprits);
    default: return {
      threshold, summary: `${threshold.name}: measured ${thresholdValue(threshold, 'measured')}, limit ${limitText(threshold)}.`,
      windows: [], culprits: [], moreCulprits: 0, reasons: [], events: [], fixes: [`Change what drives ${threshold.name}, or the limit in the scenario.`],
    };
  }
}

function limitText(threshold: ThresholdResult): string {
  return `${thresholdComparator(threshold)} ${thresholdValue(threshold, 'limit')}`;
}

// ------------------------------------------------------------------ pending pods

/** The longest stretch of a pod's wait (or the whole wait when the engine kept no stretches). */
export function longestInterval(record: PodPendingRecord): { from?: number; to?: number; reason?: string } {
  const intervals = record.intervals ?? [];
  if (intervals.length === 0) return { reason: record.reason };
  return intervals.reduce((best, i) => (i.to - i.from > best.to - best.from ? i : best), intervals[0]);
}

/** Scheduler messages name node counts (`0/7 nodes are available: 3 Insufficient cpu.`): count pods per reason without the counts. */
function reasonKey(reason: string): string {
  const fit = /^0\/\d+ nodes are available: (.*?)\.?$/.exec(reason);
  if (!fit) return reason.trim();
  // The same reasons in any order (kube-scheduler sorts them by count) are one reason.
  return fit[1].split(', ').map((part) => part.replace(/^\d+ /, '').trim()).sort().join(', ');
}

function countReasons(records: readonly { reason?: string }[]): ReasonCount[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    const key = record.reason ? reasonKey(record.reason) : 'waiting for the scheduler (no failure recorded)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return byValueDesc(Object.fromEntries(counts)).map(([reason, pods]) => ({ reason, pods }));
}

function mergeWindows(windows: Window[]): Window[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) out[out.length - 1] = { from: last.from, to: Math.max(last.to, w.to) };
    else out.push({ ...w });
  }
  return out;
}

/**
 * Events that explain capacity (faults, interruptions, insufficient capacity, limits) in or just before the
 * windows; the same kind of event from the same source at the same time is one line with a count (a spot
 * interruption wave, the evictions of an AZ outage).
 */
function causeEvents(result: PlanResult, windows: readonly Window[], types: ReadonlySet<SimEvent['type']> = CAUSE_EVENTS, lead = 600): SimEvent[] {
  const inWindow = (t: number) => windows.some((w) => t >= w.from - lead && t <= w.to);
  const groups = new Map<string, SimEvent[]>();
  for (const event of result.events) {
    if (!types.has(event.type) || !inWindow(event.t)) continue;
    const key = `${event.t}|${event.source}|${event.type}`;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return [...groups.values()].slice(0, MAX_EVENTS).map((group) => (group.length === 1 ? group[0] : {
    ...group[0], object: `${group.length}× ${group[0].object.split(' ')[0]}`, message: `${group[0].message} — e.g. ${group[0].object}`,
  }));
}

/** Which controller provisions capacity here: Karpenter NodePools, Cluster Autoscaler node groups, or neither. */
function provisioners(result: PlanResult): { karpenter: boolean; nodeGroups: boolean } {
  return {
    karpenter: result.nodes.some((n) => n.owner.kind === 'nodepool' || n.owner.kind === 'automode') || result.events.some((e) => e.source === 'karpenter'),
    nodeGroups: result.nodes.some((n) => n.owner.kind === 'nodegroup'),
  };
}

/** The fixes a set of pending reasons and controller events call for: capacity and limits first, as the reasons say. */
function pendingFixes(result: PlanResult, reasons: readonly ReasonCount[], events: readonly SimEvent[]): string[] {
  const text = reasons.map((r) => r.reason).join('\n');
  const { karpenter, nodeGroups } = provisioners(result);
  const fixes: string[] = [];
  const limitEvents = events.filter((e) => e.type === 'limit');
  if (limitEvents.length > 0) {
    fixes.push(`Raise the NodePool limits (spec.limits.cpu / memory): Karpenter refused to provision (${reasonKey(limitEvents[0].message)}).`);
  }
  if (events.some((e) => e.type === 'insufficient-capacity')) {
    fixes.push(karpenter
      ? 'Widen the NodePool requirements (more instance families and sizes, every zone, on-demand beside spot) so Karpenter has offerings when one is out of capacity.'
      : 'Give the node groups several instance types and subnets in every zone, so the Cluster Autoscaler can fall back when one is out of capacity.');
  }
  if (/Insufficient (cpu|memory)/.test(text)) {
    if (nodeGroups && !karpenter) fixes.push('Raise the node groups\' maxSize: pods did not fit on the nodes there were (Insufficient cpu/memory).');
    if (limitEvents.length === 0) {
      fixes.push('Keep headroom for the scale-up lag: a low-priority placeholder Deployment (overprovisioning) that pending pods preempt, ' +
        'or an HPA target that scales out earlier; pods waited for new nodes to become Ready.');
    }
  }
  if (/Too many pods/.test(text)) {
    fixes.push('Raise the pods per node: turn on VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION=true with max pods 110) or use larger instance types (their ENI limit allows more pods).');
  }
  // A node at its ENI limit and a full subnet print the same ipamd error; the pending reason says which.
  if (text.includes(NO_IP) && text.includes(NODE_ENI_LIMIT)) {
    fixes.push('Give each node more pod addresses: VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION=true) or larger instance types (more ENIs × IPs per ENI), or lower max pods to the ENI limit.');
  }
  if (text.split('\n').some((line) => line.includes(NO_IP) && !line.includes(NODE_ENI_LIMIT))) {
    fixes.push('Give pods addresses: larger pod subnets or a secondary CIDR (100.64.0.0/16) with custom networking, prefix delegation, or WARM_IP_TARGET instead of a warm ENI.');
  }
  // A pod that fits nowhere lists every node's reason: a taint or selector mismatch is the cause only when
  // no node was merely too full (kube-scheduler's FitError message counts each reason over all nodes).
  const onlyMismatch = reasons.filter((r) => !/Insufficient|Too many pods/.test(r.reason)).map((r) => r.reason).join('\n');
  if (/untolerated taint|didn't tolerate/.test(onlyMismatch)) fixes.push('Add the tolerations the pods need, or a NodePool / node group without the taint for them.');
  if (/node affinity|node selector|didn't match Pod's node affinity/.test(onlyMismatch)) fixes.push('Make the pods\' nodeSelector / node affinity match a NodePool or node group that can launch (labels, zones, arch).');
  if (/topology spread/.test(onlyMismatch)) fixes.push('Let the topology spread constraints be met: capacity in every zone the constraint counts, or whenUnsatisfiable: ScheduleAnyway.');
  if (/volume node affinity|volume/.test(onlyMismatch)) fixes.push('Keep capacity in the zones of the pods\' EBS volumes (a volume pins its pod to one zone).');
  if (events.some((e) => e.type === 'interruption') || /spot interruption|Evicted|evict/i.test(text)) {
    fixes.push('Spread spot across more instance types (interruptions hit one pool at a time) and keep part of the capacity on on-demand; a PodDisruptionBudget slows voluntary drains only.');
  }
  if (events.some((e) => e.type === 'fault' && e.object.startsWith('Zone'))) {
    fixes.push('Keep spare capacity in the remaining zones for an AZ outage (topology spread over zones, a NodePool / node groups in every zone).');
  }
  if (fixes.length === 0) fixes.push(karpenter ? 'Raise the NodePool limits or widen its instance types so Karpenter can launch what the pending pods need.' : 'Raise the node groups\' maxSize or use larger instance types so the pending pods fit.');
  return fixes;
}

function pendingSeconds(result: PlanResult, threshold: ThresholdResult, maxCulprits: number): ThresholdFailure {
  const over = result.podPending.filter((p) => p.pendingSeconds > threshold.limit);
  const culprits: Culprit[] = over.map((p) => {
    const longest = longestInterval(p);
    return {
      kind: 'pod', name: p.pod, detail: `pending ${duration(p.pendingSeconds)}${p.neverScheduled ? ', never started' : ''} (${p.workload})`,
      from: longest.from, to: longest.to, reason: longest.reason ?? p.reason,
    };
  });
  const windows = mergeWindows(over.flatMap((p) => (p.intervals ?? []).filter((i) => i.to - i.from > threshold.limit).map((i) => ({ from: i.from, to: i.to }))));
  const reasons = countReasons(culprits);
  const events = causeEvents(result, windows);
  const workloads = byValueDesc(over.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.workload]: (acc[p.workload] ?? 0) + 1 }), {}));
  const who = workloads.slice(0, 3).map(([w, n]) => `${n} of ${w}`).join(', ');
  return {
    threshold,
    summary: `${over.length} pod(s) waited longer than ${thresholdValue(threshold, 'limit')} (longest ${thresholdValue(threshold, 'measured')})` +
      `${who ? `: ${who}${workloads.length > 3 ? ', …' : ''}` : ''}${windows.length > 0 ? `, ${windowText(windows)}` : ''}.`,
    windows, culprits: culprits.slice(0, maxCulprits), moreCulprits: Math.max(0, culprits.length - maxCulprits), reasons, events,
    fixes: pendingFixes(result, reasons, events),
  };
}

/** Stretches of the timeline where `value` is past the limit. */
function timelineWindows(timeline: readonly TimelinePoint[], past: (p: TimelinePoint) => boolean): Window[] {
  const out: Window[] = [];
  let start: number | undefined;
  for (let i = 0; i < timeline.length; i += 1) {
    const point = timeline[i];
    if (past(point) && start === undefined) start = point.t;
    if (!past(point) && start !== undefined) {
      out.push({ from: start, to: point.t });
      start = undefined;
    }
  }
  if (start !== undefined) out.push({ from: start, to: timeline[timeline.length - 1]?.t ?? start });
  return out;
}

function windowText(windows: readonly Window[]): string {
  const shown = windows.slice(0, 3).map((w) => (w.to > w.from ? `${clock(w.from)}–${clock(w.to)}` : clock(w.from)));
  return `${windows.length === 1 ? 'at' : 'in'} ${shown.join(', ')}${windows.length > 3 ? ` and ${windows.length - 3} more` : ''}`;
}

function peakPoint(timeline: readonly TimelinePoint[], figure: (p: TimelinePoint) => number): TimelinePoint | undefined {
  let best: TimelinePoint | undefined;
  for (const point of timeline) if (!best || figure(point) > figure(best)) best = point;
  return best;
}

function pendingPods(result: PlanResult, threshold: ThresholdResult, maxCulprits: number): ThresholdFailure {
  const windows = timelineWindows(result.timeline, (p) => p.podsPending > threshold.limit);
  const peak = peakPoint(result.timeline, (p) => p.podsPending);
  const atPeak = peak?.t ?? 0;
  // The pods pending at the peak, with the reason of the stretch that covers it.
  const waiting = result.podPending.flatMap((p) => (p.intervals ?? []).filter((i) => i.from <= atPeak && i.to >= atPeak).map((i) => ({ record: p, interval: i })));
  const culprits: Culprit[] = waiting.sort((a, b) => (b.interval.to - b.interval.from) - (a.interval.to - a.interval.from) || a.record.pod.localeCompare(b.record.pod))
    .map(({ record, interval }) => ({ kind: 'pod' as const, name: record.pod, detail: `pending ${duration(interval.to - interval.from)} (${record.workload})`, from: interval.from, to: interval.to, reason: interval.reason }));
  const byWorkload = peak ? byValueDesc(peak.pendingByWorkload).filter(([, n]) => n > 0) : [];
  const reasons = countReasons(culprits);
  const events = causeEvents(result, windows);
  return {
    threshold,
    summary: `${thresholdValue(threshold, 'measured')} pods pending at the peak${peak ? ` (${clock(peak.t)})` : ''}, limit ${limitText(threshold)}` +
      `${byWorkload.length > 0 ? `: ${byWorkload.slice(0, 3).map(([w, n]) => `${n} of ${w}`).join(', ')}` : ''}${windows.length > 0 ? `; past the limit ${windowText(windows)}` : ''}.`,
    windows, culprits: culprits.slice(0, maxCulprits), moreCulprits: Math.max(0, culprits.length - maxCulprits), reasons, events,
    fixes: pendingFixes(result, reasons, events),
  };
}

// ------------------------------------------------------------------ cost

function monthlyCost(result: PlanResult, threshold: ThresholdResult, maxCulprits: number): ThresholdFailure {
  const cost = result.cost;
  const categories = byValueDesc(cost.byCategory);
  const culprits: Culprit[] = [
    ...categories.map(([category, amount]) => ({ kind: 'cost' as const, name: category, detail: `${usd(amount)}/month (${Math.round((100 * amount) / Math.max(cost.monthlyUsd, 1e-9))}%)` })),
    ...byValueDesc(cost.byWorkload).slice(0, 5).map(([workload, amount]) => ({ kind: 'workload' as const, name: workload, detail: `${usd(amount)}/month of node cost by its requests` })),
  ];
  const nodeHours = new Map<string, { hours: number; usd: number; spot: boolean }>();
  const end = result.input.durationSeconds;
  for (const node of result.nodes) {
    const hours = ((node.terminatedAt ?? end) - node.launchedAt) / 3600;
    const key = `${node.instanceType} ${node.capacityType}`;
    const entry = nodeHours.get(key) ?? { hours: 0, usd: 0, spot: node.capacityType === 'spot' };
    entry.hours += hours;
    entry.usd += hours * node.usdPerHour;
    nodeHours.set(key, entry);
  }
  const ec2 = (cost.byCategory['EC2 on-demand'] ?? 0) + (cost.byCategory['EC2 spot'] ?? 0);
  const onDemandShare = ec2 > 0 ? (cost.byCategory['EC2 on-demand'] ?? 0) / ec2 : 0;
  const x86Hours = [...nodeHours.entries()].filter(([key]) => !GRAVITON_FAMILY.test(key)).reduce((sum, [, e]) => sum + e.hours, 0);
  const allHours = [...nodeHours.values()].reduce((sum, e) => sum + e.hours, 0);
  const used = result.timeline.reduce((sum, p) => sum + p.usedMilliCpu, 0);
  const requested = result.timeline.reduce((sum, p) => sum + p.requestedMilliCpu, 0);
  // Each fix weighed by what it could take off the monthly bill, largest first, so the first fix is the one
  // that moves this threshold most. Savings rates: spot vs on-demand (EC2 Spot pricing history, 60-70%),
  // Graviton vs x86 (~20% per vCPU), idle node cost, half a NAT / load balancer bill.
  const weighed: [number, string][] = [];
  const onDemand = cost.byCategory['EC2 on-demand'] ?? 0;
  const onDemandNodes = byValueDesc([...nodeHours.entries()].filter(([, e]) => !e.spot).reduce<Record<string, number>>((acc, [key, e]) => ({ ...acc, [key.split(' ')[0]]: e.hours }), {}))
    .slice(0, 3).map(([type]) => type).join(', ');
  if (onDemandShare > 0.5) weighed.push([onDemand * 0.6, `Run interruption-tolerant workloads on spot: ${Math.round(onDemandShare * 100)}% of EC2 spend is on-demand (${onDemandNodes}); spot is typically 60–70% cheaper; compare with \`eksplan compare --variant spot=70%\`.`]);
  if (allHours > 0 && x86Hours / allHours > 0.5) weighed.push([ec2 * (x86Hours / allHours) * 0.2, 'Move to cheaper instance types: Graviton families (m7g, c7g, r7g) cost about 20% less per vCPU than x86 ones; compare with `--variant families=m7g,c7g`.']);
  if (cost.idleShare > 0.3) weighed.push([ec2 * cost.idleShare * 0.5, `Consolidate: ${Math.round(cost.idleShare * 100)}% of node cost is not requested by any pod; Karpenter consolidationPolicy WhenEmptyOrUnderutilized, or smaller node group types.`]);
  if (requested > 0 && used / requested < 0.5) weighed.push([ec2 * (1 - used / requested) * 0.3, `Right-size requests: pods use ${Math.round((100 * used) / requested)}% of the CPU they request on average, and nodes are bought for requests.`]);
  const share = (category: string) => cost.byCategory[category] ?? 0;
  if (share('Load balancers') / Math.max(cost.monthlyUsd, 1e-9) >= 0.1) weighed.push([share('Load balancers') * 0.5, `Share load balancers (${usd(share('Load balancers'))}/month): one ALB for several Ingresses (alb.ingress.kubernetes.io/group.name) instead of one per Service or Ingress.`]);
  if (share('NAT gateway') / Math.max(cost.monthlyUsd, 1e-9) >= 0.1) weighed.push([share('NAT gateway') * 0.5, `Cut NAT gateway cost (${usd(share('NAT gateway'))}/month): VPC endpoints (S3 gateway, ECR, STS) for AWS traffic, or one NAT gateway instead of one per zone outside production.`]);
  if (share('Data transfer') / Math.max(cost.monthlyUsd, 1e-9) >= 0.1) weighed.push([share('Data transfer') * 0.5, 'Cut data transfer: keep traffic in one zone (topology-aware routing) and AWS traffic on VPC endpoints.']);
  const fixes = weighed.sort((a, b) => b[0] - a[0]).map(([saving, fix]) => `${fix} (up to about ${usd(saving)}/month)`);
  if (fixes.length === 0) fixes.push('Lower the node count the load needs (fewer replicas at peak, smaller requests) or raise maxMonthlyCostUsd if the spend is intended.');
  return {
    threshold,
    summary: `Projected ${thresholdValue(threshold, 'measured')} per month, limit ${limitText(threshold)}: ` +
      `${categories.slice(0, 3).map(([c, a]) => `${c} ${usd(a)}`).join(', ')}; ${Math.round(cost.idleShare * 100)}% of node cost idle.`,
    windows: [], culprits: culprits.slice(0, maxCulprits), moreCulprits: Math.max(0, culprits.length - maxCulprits), reasons: [], events: [], fixes,
  };
}

// ------------------------------------------------------------------ subnet addresses

function subnetIps(result: PlanResult, threshold: ThresholdResult, maxCulprits: number): ThresholdFailure {
  const low = result.subnets.filter((s) => s.freePercentMin < threshold.limit).sort((a, b) => a.freePercentMin - b.freePercentMin || a.id.localeCompare(b.id));
  const culprits: Culprit[] = low.map((s) => {
    const limitFree = (threshold.limit / 100) * s.usable;
    const windows = timelineWindows(result.timeline, (p) => (p.freeIpsBySubnet[s.id] ?? Infinity) < limitFree);
    const minPoint = result.timeline.reduce<TimelinePoint | undefined>((best, p) => (p.freeIpsBySubnet[s.id] !== undefined && (!best || p.freeIpsBySubnet[s.id] < best.freeIpsBySubnet[s.id]) ? p : best), undefined);
    return {
      kind: 'subnet', name: s.id, detail: `${s.freeMin} free of ${s.usable} (${s.freePercentMin.toFixed(1)}%) in ${s.availabilityZone}, ${s.cidr}` +
        `${s.exhaustedPods > 0 ? `; ${s.exhaustedPods} pod(s) got no address` : ''}`,
      from: windows[0]?.from ?? minPoint?.t, to: windows[windows.length - 1]?.to ?? minPoint?.t,
      reason: s.exhaustedPods > 0 ? `${NO_IP} (VPC CNI: the subnet has no free address for a new ENI or IP)` : undefined,
    };
  });
  const windows = mergeWindows(culprits.filter((c) => c.from !== undefined).map((c) => ({ from: c.from as number, to: c.to as number })));
  const sizes = [...new Set(low.map((s) => `/${s.cidr.split('/')[1]}`))].join(', ');
  const fixes = [
    `Give pods more addresses: larger pod subnets than ${sizes || 'these'} (each step down in prefix length doubles them) or a secondary CIDR (100.64.0.0/16) with VPC CNI custom networking, so pods stop using node subnets.`,
    'Hold fewer idle addresses: WARM_IP_TARGET / MINIMUM_IP_TARGET instead of the default WARM_ENI_TARGET=1, which keeps a whole spare ENI of addresses per node.',
    'Turn on prefix delegation (ENABLE_PREFIX_DELEGATION=true): /28 prefixes per ENI slot; needs free contiguous /28 blocks, so pair it with a subnet CIDR reservation.',
  ];
  return {
    threshold,
    summary: `${low.length} subnet(s) fell below ${thresholdValue(threshold, 'limit')} free addresses (lowest ${thresholdValue(threshold, 'measured')})` +
      `${windows.length > 0 ? `, ${windowText(windows)}` : ''}.`,
    windows, culprits: culprits.slice(0, maxCulprits), moreCulprits: Math.max(0, culprits.length - maxCulprits), reasons: [], events: causeEvents(result, windows, FAULT_EVENTS), fixes,
  };
}

// ------------------------------------------------------------------ node count

function nodeCount(result: PlanResult, threshold: ThresholdResult, maxCulprits: number): ThresholdFailure {
  const windows = timelineWindows(result.timeline, (p) => p.nodes > threshold.limit);
  const peakAt = result.summary.peakAt ?? peakPoint(result.timeline, (p) => p.nodes)?.t;
  const alive = result.nodes.filter((n) => peakAt !== undefined && n.launchedAt <= peakAt && (n.terminatedAt === undefined || n.terminatedAt > peakAt));
  const loads = new Map((result.summary.nodeLoadAtPeak ?? []).map((l) => [l.name, l]));
  const culprits: Culprit[] = byValueDesc(result.summary.nodesByInstanceTypeAtPeak).map(([type, n]) => {
    const ofType = alive.filter((node) => node.instanceType === type);
    const owners = [...new Set(ofType.map((node) => `${node.owner.kind}/${node.owner.name}`))].join(', ');
    const pods = ofType.reduce((sum, node) => sum + (loads.get(node.name)?.pods ?? 0), 0);
    return { kind: 'node' as const, name: type, detail: `${n} node(s)${owners ? ` of ${owners}` : ''}${pods > 0 ? `, ${pods} pod(s) on them` : ''}`, from: peakAt, to: peakAt };
  });
  const small = alive.filter((n) => n.allocatable.milliCpu <= 2000).length;
  const fixes: string[] = [];
  if (small > 0) fixes.push(`Use bigger instance types: ${small} of the nodes at the peak have 2 vCPU or less; fewer, larger nodes carry the same pods (NodePool requirement karpenter.k8s.aws/instance-cpu Gt 3, or larger node group types).`);
  fixes.push('Cap the count where it is decided: NodePool spec.limits or node group maxSize, so the cluster stops growing at the limit (pods then wait instead).');
  if (result.events.some((e) => e.type === 'consolidate') || provisioners(result).karpenter) fixes.push('Let consolidation pack nodes: consolidationPolicy WhenEmptyOrUnderutilized with a short consolidateAfter.');
  else fixes.push('Let the Cluster Autoscaler remove underused nodes sooner (scale-down-utilization-threshold, scale-down-unneeded-time).');
  fixes.push('Or raise maxNodes if the peak is expected.');
  return {
    threshold,
    summary: `${thresholdValue(threshold, 'measured')} nodes at the peak${peakAt !== undefined ? ` (${clock(peakAt)})` : ''}, limit ${limitText(threshold)}: ` +
      `${byValueDesc(result.summary.nodesByInstanceTypeAtPeak).slice(0, 4).map(([t, n]) => `${n}× ${t}`).join(', ')}${windows.length > 0 ? `; past the limit ${windowText(windows)}` : ''}.`,
    windows, culprits: culprits.slice(0, maxCulprits), moreCulprits: Math.max(0, culprits.length - maxCulprits), reasons: [], events: causeEvents(result, windows, FAULT_EVENTS), fixes,
  };
}

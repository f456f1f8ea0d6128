import type { Finding, PlanResult } from '../model/result';

// What changed between two plans of one platform (the base branch's and the pull request's), as Infracost
// diffs two cost estimates: pure data from two PlanResults, rendered by diff-render.ts. Workloads and
// categories present on one side only count as 0 on the other.

/** A figure on both sides; `delta` is head minus base. */
export interface Change {
  readonly base: number;
  readonly head: number;
  readonly delta: number;
}

/** One cost line (a category or a workload) on both sides. */
export interface CostChange extends Change {
  readonly name: string;
  /** `added` when only the head has it, `removed` when only the base has it. */
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
}

export interface ThresholdChange {
  readonly name: string;
  readonly unit: string;
  readonly limit: number;
  readonly base?: { measured: number; passed: boolean };
  readonly head?: { measured: number; passed: boolean };
}

export interface PlanDiff {
  readonly kind: 'plan-diff';
  readonly base: { origin: string; scenario: string; passed: boolean };
  readonly head: { origin: string; scenario: string; passed: boolean };
  /** `pass`/`fail` of each side; `changed` when they differ. */
  readonly verdict: { base: boolean; head: boolean; changed: boolean };
  readonly peakNodes: Change;
  readonly peakPodsPending: Change;
  readonly maxPendingSeconds: Change;
  readonly pendingPodSeconds: Change;
  readonly minFreeSubnetIpsPercent: Change;
  readonly monthlyUsd: Change & { readonly percent: number | null };
  readonly costByCategory: CostChange[];
  readonly costByWorkload: CostChange[];
  readonly nodesByInstanceTypeAtPeak: CostChange[];
  readonly thresholds: ThresholdChange[];
  readonly workloadsAdded: string[];
  readonly workloadsRemoved: string[];
  /** Findings (by code and object) the head has and the base has not, and the reverse. */
  readonly newFindings: Finding[];
  readonly resolvedFindings: Finding[];
  /** True when nothing above changed. */
  readonly unchanged: boolean;
}

const CENT = 0.005;

function change(base: number, head: number): Change {
  return { base, head, delta: round(head - base) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Lines of two records, largest absolute change first, then by name. */
function recordChanges(base: Record<string, number>, head: Record<string, number>): CostChange[] {
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])];
  return names.map((name): CostChange => {
    const inBase = Object.prototype.hasOwnProperty.call(base, name);
    const inHead = Object.prototype.hasOwnProperty.call(head, name);
    const c = change(base[name] ?? 0, head[name] ?? 0);
    const status = !inBase ? 'added' : !inHead ? 'removed' : Math.abs(c.delta) > CENT ? 'changed' : 'unchanged';
    return { name, ...c, status };
  }).sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.name.localeCompare(b.name));
}

function findingKey(finding: Finding): string {
  return `${finding.severity}|${finding.code}|${finding.object}`;
}

/** What changed from `base` to `head`. Pure: same inputs, same diff. */
export function diffPlans(base: PlanResult, head: PlanResult): PlanDiff {
  const monthly = change(base.cost.monthlyUsd, head.cost.monthlyUsd);
  const thresholdNames = [...new Set([...base.verdict.thresholds, ...head.verdict.thresholds].map((t) => t.name))];
  const thresholds = thresholdNames.map((name): ThresholdChange => {
    const b = base.verdict.thresholds.find((t) => t.name === name);
    const h = head.verdict.thresholds.find((t) => t.name === name);
    const any = (h ?? b)!;
    return {
      name, unit: any.unit, limit: any.limit,
      ...(b ? { base: { measured: b.measured, passed: b.passed } } : {}),
      ...(h ? { head: { measured: h.measured, passed: h.passed } } : {}),
    };
  });
  const baseWorkloads = new Set(base.placements.map((p) => p.workload));
  const headWorkloads = new Set(head.placements.map((p) => p.workload));
  const baseFindings = new Set(base.findings.map(findingKey));
  const headFindings = new Set(head.findings.map(findingKey));
  const diff: Omit<PlanDiff, 'unchanged'> = {
    kind: 'plan-diff',
    base: { origin: base.input.origin, scenario: base.input.scenario, passed: base.verdict.passed },
    head: { origin: head.input.origin, scenario: head.input.scenario, passed: head.verdict.passed },
    verdict: { base: base.verdict.passed, head: head.verdict.passed, changed: base.verdict.passed !== head.verdict.passed },
    peakNodes: change(base.summary.peakNodes, head.summary.peakNodes),
    peakPodsPending: change(base.summary.peakPodsPending, head.summary.peakPodsPending),
    maxPendingSeconds: change(base.summary.maxPendingSeconds, head.summary.maxPendingSeconds),
    pendingPodSeconds: change(base.summary.pendingPodSeconds, head.summary.pendingPodSeconds),
    minFreeSubnetIpsPercent: change(base.summary.minFreeSubnetIpsPercent, head.summary.minFreeSubnetIpsPercent),
    monthlyUsd: { ...monthly, percent: base.cost.monthlyUsd > 0 ? round((monthly.delta / base.cost.monthlyUsd) * 100) : null },
    costByCategory: recordChanges(base.cost.byCategory, head.cost.byCategory),
    costByWorkload: recordChanges(base.cost.byWorkload, head.cost.byWorkload),
    nodesByInstanceTypeAtPeak: recordChanges(base.summary.nodesByInstanceTypeAtPeak, head.summary.nodesByInstanceTypeAtPeak),
    thresholds,
    workloadsAdded: [...headWorkloads].filter((w) => !baseWorkloads.has(w)).sort(),
    workloadsRemoved: [...baseWorkloads].filter((w) => !headWorkloads.has(w)).sort(),
    newFindings: head.findings.filter((f) => !baseFindings.has(findingKey(f))),
    resolvedFindings: base.findings.filter((f) => !headFindings.has(findingKey(f))),
  };
  const figures = [diff.peakNodes, diff.peakPodsPending, diff.maxPendingSeconds, diff.pendingPodSeconds, diff.minFreeSubnetIpsPercent, diff.monthlyUsd];
  const unchanged = !diff.verdict.changed && figures.every((c) => Math.abs(c.delta) <= CENT)
    && [...diff.costByCategory, ...diff.costByWorkload, ...diff.nodesByInstanceTypeAtPeak].every((c) => c.status === 'unchanged')
    && diff.workloadsAdded.length === 0 && diff.workloadsRemoved.length === 0 && diff.newFindings.length === 0 && diff.resolvedFindings.length === 0
    && thresholds.every((t) => t.base?.measured === t.head?.measured && t.base?.passed === t.head?.passed);
  return { ...diff, unchanged };
}

import { explainFailures, verdictOf, type Finding, type PlanResult, type Severity, type ThresholdFailure, type Thresholds, type ThresholdResult } from '../simulation';
import { planOf, type PlanStackOptions, type PlanSubject, type ScenarioInput } from './plan';

// The jest matchers of eksplan/testing as plain functions (registered by eksplan/testing/jest). Each one plans the
// received Stack or App through the memoised planStack, measures with the pipeline's own rules (verdictOf: the
// same rounding and comparison as a scenario threshold) and, when it fails, says what to change: pending pods with
// the scheduler's reasons, thresholds measured against their limit with the reports' explanations and fixes,
// findings with their fixes. Messages are built only when jest asks for them.

/** What jest passes as `this` to a matcher; only `isNot` is read. */
export interface MatcherState {
  readonly isNot?: boolean;
}

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

export interface FindingsOptions extends PlanStackOptions {
  /** Count findings of this severity and worse (`error` > `warning` > `info`). @default 'info' (every finding) */
  readonly severity?: Severity;
  /** Finding codes accepted on purpose (e.g. `['no-pdb']`). @default none */
  readonly except?: readonly string[];
}

/** How many lines a message lists (pods by reason, culprits, findings) before "… and N more". */
const MAX_LINES = 10;
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Every pod that never started during the run or was still pending at its end, with the scheduler's or CNI's reason. */
export function unscheduledPods(result: PlanResult): { pod: string; workload: string; reason: string; pendingSeconds?: number }[] {
  const atEnd = new Set(result.pendingPods.map((p) => p.pod));
  const records = new Map(result.podPending.map((r) => [r.pod, r]));
  const out = result.pendingPods.map((p) => ({ pod: p.pod, workload: p.workload, reason: p.message, pendingSeconds: records.get(p.pod)?.pendingSeconds }));
  // A pod deleted while still pending (the HPA scaled in before it ran) never ran either.
  for (const record of result.podPending) {
    if (record.neverScheduled && !atEnd.has(record.pod)) {
      out.push({ pod: record.pod, workload: record.workload, reason: record.reason ?? record.intervals[record.intervals.length - 1]?.reason ?? 'no reason recorded', pendingSeconds: record.pendingSeconds });
    }
  }
  return out;
}

export function toScheduleAllPods(this: MatcherState, received: PlanSubject, options: PlanStackOptions = {}): MatcherResult {
  const result = planOf(received, options);
  const pods = unscheduledPods(result);
  const hint = header(this, received, result, 'toScheduleAllPods');
  if (pods.length === 0) {
    return { pass: true, message: () => `${hint}\n\nExpected some pod to stay unscheduled, but all ${runningPods(result)} pods of ${result.placements.length} workloads were scheduled.` };
  }
  return {
    pass: false,
    message: () => {
      // Grouped by workload and reason: a Deployment of 30 replicas failing one way is one line.
      const groups = new Map<string, { workload: string; reason: string; pods: string[]; longest: number }>();
      for (const pod of pods) {
        const key = `${pod.workload}\u0000${pod.reason}`;
        const group = groups.get(key) ?? { workload: pod.workload, reason: pod.reason, pods: [], longest: 0 };
        group.pods.push(pod.pod);
        group.longest = Math.max(group.longest, pod.pendingSeconds ?? 0);
        groups.set(key, group);
      }
      const lines = [...groups.values()].map((g) => `  ${g.workload}: ${g.pods.length} pod(s) (${g.pods.slice(0, 2).join(', ')}${g.pods.length > 2 ? ', …' : ''})` +
        `${g.longest > 0 ? `, pending up to ${seconds(g.longest)}` : ''}\n      ${g.reason}`);
      const fixes = explainPending(result);
      return `${hint}\n\n${pods.length} pod(s) ${result.input.durationSeconds > 0 ? 'never ran or were still pending at the end of the run' : 'could not be placed'}:\n` +
        `${limit(lines)}${fixes.length > 0 ? `\n\nTo fix:\n${fixes.map((f) => `  - ${f}`).join('\n')}` : ''}`;
    },
  };
}

export function toPassScenario(this: MatcherState, received: PlanSubject, scenario?: ScenarioInput, options: Omit<PlanStackOptions, 'scenario'> = {}): MatcherResult {
  const planOptions = scenario === undefined ? options : { ...options, scenario };
  const result = planOf(received, planOptions);
  const hint = header(this, received, result, 'toPassScenario');
  if (result.verdict.passed) {
    return {
      pass: true,
      message: () => `${hint}\n\nExpected the scenario to fail, but every threshold was met and there is no error finding:\n${result.verdict.thresholds.map((t) => `  ${thresholdLine(t)}`).join('\n') || '  (the scenario sets no thresholds)'}`,
    };
  }
  return {
    pass: false,
    message: () => {
      const report = explainFailures(result);
      const sections = report.failures.map(failureText);
      if (result.verdict.pendingPods && result.verdict.pendingPods.length > 0 && !report.failures.some((f) => f.threshold.name === 'maxPendingPods')) {
        sections.push(`Pods left pending in the steady state:\n${limit(result.verdict.pendingPods.map((p) => `  ${p.pod} (${p.workload}): ${p.message}`))}`);
      }
      if (report.errorFindings.length > 0) sections.push(`Error findings:\n${findingLines(report.errorFindings)}`);
      return `${hint}\n\n${sections.join('\n\n')}`;
    },
  };
}

export function toCostAtMostPerMonth(this: MatcherState, received: PlanSubject, usd: number, options: PlanStackOptions = {}): MatcherResult {
  requireNumber('toCostAtMostPerMonth', 'usd', usd);
  return thresholdMatcher(this, received, 'toCostAtMostPerMonth', { maxMonthlyCostUsd: usd }, options);
}

export function toKeepFreeSubnetIpsAbove(this: MatcherState, received: PlanSubject, percent: number, options: PlanStackOptions = {}): MatcherResult {
  requireNumber('toKeepFreeSubnetIpsAbove', 'percent', percent, 100);
  return thresholdMatcher(this, received, 'toKeepFreeSubnetIpsAbove', { minFreeSubnetIpsPercent: percent }, options);
}

export function toHaveNoFindings(this: MatcherState, received: PlanSubject, options: FindingsOptions = {}): MatcherResult {
  const severity = options.severity ?? 'info';
  if (!(severity in SEVERITY_RANK)) throw new TypeError(`toHaveNoFindings: severity must be one of error, warning, info, got ${JSON.stringify(severity)}`);
  const { severity: _severity, except = [], ...planOptions } = options;
  const result = planOf(received, planOptions);
  const findings = result.findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[severity] && !except.includes(f.code));
  const which = severity === 'info' ? 'findings' : `findings of severity ${severity}${severity === 'error' ? '' : ' or error'}`;
  const hint = header(this, received, result, 'toHaveNoFindings');
  if (findings.length === 0) return { pass: true, message: () => `${hint}\n\nExpected ${which}, but there are none${except.length > 0 ? ` (besides the accepted ${except.join(', ')})` : ''}.` };
  return { pass: false, message: () => `${hint}\n\n${findings.length} ${which}:\n${findingLines(findings)}` };
}

/** The matchers by name, for `expect.extend`. */
export const eksplanMatchers = { toScheduleAllPods, toPassScenario, toCostAtMostPerMonth, toHaveNoFindings, toKeepFreeSubnetIpsAbove };

// ------------------------------------------------------------------ helpers

/** A threshold measured the pipeline's way, failing with the reports' explanation of that threshold. */
function thresholdMatcher(state: MatcherState, received: PlanSubject, name: string, thresholds: Thresholds, options: PlanStackOptions): MatcherResult {
  const result = planOf(received, options);
  const verdict = verdictOf(thresholds, result, result.cost, []);
  const threshold = verdict.thresholds[0];
  const hint = header(state, received, result, name, String(threshold.limit));
  if (threshold.passed) return { pass: true, message: () => `${hint}\n\nExpected it to fail, but ${thresholdLine(threshold)}.` };
  return {
    pass: false,
    message: () => {
      const failure = explainFailures({ ...result, verdict }).failures[0];
      return `${hint}\n\n${failure ? failureText(failure) : thresholdLine(threshold)}`;
    },
  };
}

function failureText(failure: ThresholdFailure): string {
  const lines = [`${thresholdLine(failure.threshold)}`, `  ${failure.summary}`];
  const culprits = failure.culprits.map((c) => `    ${c.name}: ${c.detail}${c.reason ? `\n        ${c.reason}` : ''}`);
  if (culprits.length > 0) lines.push(`  Largest contributors:\n${culprits.join('\n')}${failure.moreCulprits > 0 ? `\n    … and ${failure.moreCulprits} more` : ''}`);
  if (failure.events.length > 0) lines.push(`  Events:\n${failure.events.map((e) => `    ${clock(e.t)} ${e.source}: ${e.object} ${e.message}`).join('\n')}`);
  if (failure.fixes.length > 0) lines.push(`  To fix:\n${failure.fixes.map((f) => `    - ${f}`).join('\n')}`);
  return lines.join('\n');
}

/** The fixes the reports give for pods left pending: their explanation of a zero pending-pods limit. */
function explainPending(result: PlanResult): string[] {
  const verdict = verdictOf({ maxPendingPods: 0 }, result, result.cost, []);
  const failure = explainFailures({ ...result, verdict }).failures[0];
  if (failure) return [...failure.fixes];
  // A static plan's timeline has no pending peak: explain through its pending pods' reasons instead.
  return [];
}

function thresholdLine(t: ThresholdResult): string {
  const comparator = t.name.startsWith('min') ? '>=' : '<=';
  return `${t.name}: measured ${number(t.measured)} ${t.unit}, limit ${comparator} ${number(t.limit)} ${t.unit}${t.passed ? '' : ' (failed)'}`;
}

function findingLines(findings: readonly Finding[]): string {
  return limit(findings.map((f) => `  [${f.severity}] ${f.code} — ${f.object}: ${f.message}${f.fix ? `\n      fix: ${f.fix}` : ''}`));
}

function header(state: MatcherState, received: PlanSubject, result: PlanResult, matcher: string, argument = ''): string {
  const subject = typeof received === 'object' && received !== null && 'node' in received ? received.node.path || 'App' : result.input.origin;
  const scenario = result.input.durationSeconds === 0 ? `the steady state (scenario '${result.input.scenario}')` : `scenario '${result.input.scenario}'`;
  return `expect(${subject})${state.isNot ? '.not' : ''}.${matcher}(${argument}) — ${scenario}, seed ${result.input.seed}, ${result.input.region}`;
}

function runningPods(result: PlanResult): number {
  return result.placements.reduce((sum, p) => sum + p.running, 0);
}

function limit(lines: readonly string[]): string {
  return lines.slice(0, MAX_LINES).join('\n') + (lines.length > MAX_LINES ? `\n  … and ${lines.length - MAX_LINES} more` : '');
}

function requireNumber(matcher: string, name: string, value: unknown, max = Number.MAX_VALUE): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new TypeError(`${matcher}: ${name} must be a number from 0 to ${max === Number.MAX_VALUE ? 'any' : max}, got ${JSON.stringify(value)}`);
  }
}

function number(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function seconds(value: number): string {
  return value >= 3600 ? `${(value / 3600).toFixed(1)} h` : value >= 60 ? `${Math.round(value / 60)} min` : `${value} s`;
}

function clock(t: number): string {
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

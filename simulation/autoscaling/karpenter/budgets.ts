// Karpenter NodePool disruption budgets (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go
// GetAllowedDisruptionsByReason, Budget.IsActive): a budget with a `schedule` (cron, UTC) and a `duration`
// applies only from each time the schedule fires until `duration` later; without a schedule, always.

export interface BudgetSpec {
  readonly nodes: string;
  readonly reasons?: readonly string[];
  readonly schedule?: string;
  /** `duration` as written (`8h`, `30m`), or already in seconds. */
  readonly duration?: string;
  readonly durationSeconds?: number;
}

export type DisruptionReason = 'Empty' | 'Underutilized' | 'Drifted';

/** Monday 2024-01-01 00:00 UTC: the wall-clock time of t = 0 when the scenario gives no start date. */
export const DEFAULT_START_EPOCH_SECONDS = Date.UTC(2024, 0, 1) / 1000;

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
const NAMES: Record<string, number>[] = [{}, {}, {},
  { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
  { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }];

/** A standard 5-field cron expression (robfig/cron's standard parser, as Karpenter uses), as sets per field. */
export function parseCron(expression: string): { fields: Set<number>[]; domStar: boolean; dowStar: boolean } {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`schedule '${expression}' must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily`);
  const fields = parts.map((part, i) => {
    const [lo, hi] = RANGES[i];
    const out = new Set<number>();
    for (const item of part.split(',')) {
      const [range, stepText] = item.split('/');
      const step = stepText === undefined ? 1 : Number(stepText);
      const value = (v: string) => { const n = NAMES[i][v.toLowerCase()] ?? Number(v); if (!Number.isInteger(n)) throw new Error(`schedule '${expression}': '${v}' is not a number`); return i === 4 && n === 7 ? 0 : n; };
      let from = lo;
      let to = hi;
      if (range !== '*' && range !== '?') {
        const [a, b] = range.split('-');
        from = value(a);
        to = b === undefined ? (stepText === undefined ? from : hi) : value(b);
      }
      if (!(step > 0) || from < lo || to > hi || from > to) throw new Error(`schedule '${expression}': '${item}' is outside ${lo}-${hi}`);
      for (let v = from; v <= to; v += step) out.add(v);
    }
    return out;
  });
  return { fields, domStar: parts[2] === '*' || parts[2] === '?', dowStar: parts[4] === '*' || parts[4] === '?' };
}

function cronMatches(cron: ReturnType<typeof parseCron>, epochSeconds: number): boolean {
  const d = new Date(epochSeconds * 1000);
  const [minute, hour, dom, month, dow] = cron.fields;
  if (!minute.has(d.getUTCMinutes()) || !hour.has(d.getUTCHours()) || !month.has(d.getUTCMonth() + 1)) return false;
  // Cron's rule: when both day fields are restricted, either may match.
  const domOk = dom.has(d.getUTCDate());
  const dowOk = dow.has(d.getUTCDay());
  if (!cron.domStar && !cron.dowStar) return domOk || dowOk;
  return domOk && dowOk;
}

const cache = new Map<string, ReturnType<typeof parseCron>>();

/** Whether a budget applies at wall-clock `epochSeconds`: the schedule fired within the last `duration`. */
export function budgetActive(budget: BudgetSpec, epochSeconds: number): boolean {
  if (budget.schedule === undefined) return true;
  const duration = budget.durationSeconds ?? durationSeconds(budget.duration);
  let cron = cache.get(budget.schedule);
  if (!cron) { cron = parseCron(budget.schedule); cache.set(budget.schedule, cron); }
  const minute = Math.floor(epochSeconds / 60) * 60;
  for (let t = minute; t > epochSeconds - duration; t -= 60) if (cronMatches(cron, t)) return true;
  return false;
}

function durationSeconds(value: string | undefined): number {
  let total = 0;
  for (const m of (value ?? '').matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) total += Number(m[1]) * ({ h: 3600, m: 60, s: 1 } as Record<string, number>)[m[2]];
  return total;
}

/**
 * The budget for a reason (nodepool.go GetAllowedDisruptionsByReason): the minimum over the active budgets that
 * name the reason (or every reason), percentages of the pool's nodes rounded up; Infinity when none is active.
 */
export function allowedByReason(budgets: readonly BudgetSpec[], reason: DisruptionReason, nodes: number, epochSeconds: number): number {
  let allowed = Number.POSITIVE_INFINITY;
  for (const budget of budgets) {
    if (budget.reasons && budget.reasons.length > 0 && !budget.reasons.includes(reason)) continue;
    if (!budgetActive(budget, epochSeconds)) continue;
    const percent = /^(\d+)%$/.exec(budget.nodes);
    // Percentages round up (intstr.GetScaledValueFromIntOrPercent(..., roundUp true)).
    const value = percent ? Math.ceil((nodes * Number(percent[1])) / 100) : Number(budget.nodes);
    allowed = Math.min(allowed, value);
  }
  return allowed;
}

/** Nodes of a pool that may be disrupted now for a reason, less those already being disrupted. */
export function allowedDisruptions(budgets: readonly BudgetSpec[], reason: DisruptionReason, nodes: number, disrupting: number, epochSeconds: number): number {
  const allowed = allowedByReason(budgets, reason, nodes, epochSeconds);
  return Math.max(0, (Number.isFinite(allowed) ? allowed : nodes) - disrupting);
}

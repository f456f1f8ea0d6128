import type { PlanResult } from '../model/result';
import { explainFailures } from './failures';

/**
 * The JSON report: the result (plan, check or comparison) with keys in sorted order, so the same inputs and seed give
 * byte-identical output whatever order maps were filled in. `schemaVersion` versions the shape.
 */
export function renderJson(result: object): string {
  return `${JSON.stringify(canonical(result), null, 2)}\n`;
}

/**
 * A plan as JSON: `failures` first (report/failures.ts: each failed threshold with its culprits, times,
 * reasons and fixes; empty when the plan passes), then the PlanResult's keys in sorted order.
 */
export function renderPlanJson(result: PlanResult): string {
  return `${JSON.stringify({ failures: canonical(explainFailures(result)), ...(canonical(result) as Record<string, unknown>) }, null, 2)}\n`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) out[key] = canonical(child);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : null;
  return value;
}

import type { SimulationResult } from '../model/result';

/**
 * The JSON report: the SimulationResult with keys in sorted order, so the same inputs and seed give
 * byte-identical output whatever order maps were filled in. `schemaVersion` versions the shape.
 */
export function renderJson(result: SimulationResult): string {
  return `${JSON.stringify(canonical(result), null, 2)}\n`;
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

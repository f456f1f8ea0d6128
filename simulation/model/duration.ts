import { EksplanError } from './errors';
import type { QuantityContext } from './quantity';

// Go time.ParseDuration units as used by Karpenter (`consolidateAfter: 30s`, `expireAfter: 720h`).
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses a Go duration (`30s`, `1h30m`, `720h`) into seconds. `Never` gives Infinity. */
export function parseDurationSeconds(value: string | number, where: QuantityContext = {}): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new EksplanError(`invalid duration ${value}`, where);
    return value;
  }
  const text = String(value).trim();
  if (text === 'Never') return Infinity;
  if (!DURATION.test(text)) {
    throw new EksplanError(`invalid duration '${value}': expected a duration like 30s, 5m, 1h30m or Never`, where);
  }
  let seconds = 0;
  for (const match of text.matchAll(PART)) seconds += Number(match[1]) * UNIT_SECONDS[match[2]];
  return seconds;
}

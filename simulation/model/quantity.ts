import { EksplanError } from './errors';

// Kubernetes resource.Quantity grammar (k8s.io/apimachinery/pkg/api/resource/quantity.go):
// <signedNumber><suffix>, suffix one of the binary SI (Ki..Ei), decimal SI (n u m "" k M G T P E) or
// a decimal exponent (e3, E6).
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

export interface QuantityContext {
  /** The file or object the quantity came from, for the error message. */
  readonly input?: string;
  /** The field path of the quantity, for the error message. */
  readonly field?: string;
}

/** Parses a Kubernetes quantity (`500m`, `1Gi`, `1.5`, `2e3`, or a number) into its value in base units. */
export function parseQuantity(value: string | number, where: QuantityContext = {}): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new EksplanError(`invalid quantity ${value}: must be a finite, non-negative number`, where);
    }
    return value;
  }
  const match = QUANTITY.exec(String(value).trim());
  if (!match) {
    throw new EksplanError(
      `invalid quantity '${value}': expected a Kubernetes quantity such as 500m, 2, 1.5, 512Mi or 1Gi`, where);
  }
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  let multiplier: number;
  if (suffix in BINARY) multiplier = BINARY[suffix];
  else if (suffix in DECIMAL) multiplier = DECIMAL[suffix];
  else multiplier = 10 ** Number(suffix.slice(1));
  const result = number * multiplier;
  if (!Number.isFinite(result) || result < 0) {
    throw new EksplanError(`invalid quantity '${value}': must be non-negative and finite`, where);
  }
  return result;
}

/** CPU quantity to integer millicores, rounding up like the kubelet's MilliValue(). */
export function parseMilliCpu(value: string | number, where: QuantityContext = {}): number {
  return Math.ceil(parseQuantity(value, where) * 1000 - 1e-9);
}

/** Memory / storage quantity to integer bytes, rounding up like Quantity.Value(). */
export function parseBytes(value: string | number, where: QuantityContext = {}): number {
  return Math.ceil(parseQuantity(value, where) - 1e-9);
}

/** Integer count quantity (pods, nvidia.com/gpu), rounding up. */
export function parseCount(value: string | number, where: QuantityContext = {}): number {
  return Math.ceil(parseQuantity(value, where) - 1e-9);
}

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/** Formats millicores for reports: `250m`, `2`, `3.5`. */
export function formatMilliCpu(milliCpu: number): string {
  return milliCpu % 1000 === 0 ? String(milliCpu / 1000) : milliCpu < 1000 ? `${milliCpu}m` : `${(milliCpu / 1000).toFixed(2).replace(/0+$/, '')}`;
}

/** Formats bytes for reports in the largest binary unit that keeps one decimal: `512Mi`, `7.4Gi`. */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${Number((bytes / GiB).toFixed(1))}Gi`;
  if (bytes >= MiB) return `${Math.round(bytes / MiB)}Mi`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)}Ki`;
  return String(bytes);
}

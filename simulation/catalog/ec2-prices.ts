import { EksplanError } from '../model/errors';
import { STATIC_PRICE_DATE, STATIC_PRICE_LIST } from './instance-data';
import { DEFAULT_REGION, REGION_FACTOR_DATE, regionInfo } from './regions';

// EC2 instance prices with their source. us-east-1 On-Demand comes from the static list in the data file; other
// regions are estimated from it with the region's factor (regions.ts) until `eksplan catalog refresh` registers
// prices read from the AWS Pricing API (and, with credentials, Spot prices from DescribeSpotPriceHistory).

export interface PricedValue {
  readonly usd: number;
  /** Where the price comes from: the static list and its date, an estimate, a model, or a refresh and its date. */
  readonly source: string;
}

/** Prices read from the AWS APIs for one region (written by `eksplan catalog refresh`, registered by the CLI). */
export interface RefreshedPrices {
  readonly region: string;
  /** yyyy-mm-dd of the refresh. */
  readonly date: string;
  /** On-Demand Linux USD per hour by instance type (Pricing API). */
  readonly onDemand: Readonly<Record<string, number>>;
  /** Latest Spot price by `type` then zone (DescribeSpotPriceHistory), when it was read. */
  readonly spot?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const refreshed = new Map<string, RefreshedPrices>();

/**
 * Makes refreshed prices the source for their region (replacing an earlier refresh of the same region). The
 * catalog stays a pure lookup: the CLI reads the refresh files and registers them before planning.
 */
export function registerRefreshedPrices(prices: RefreshedPrices): void {
  regionInfo(prices.region, 'refreshed catalog region');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(prices.date)) throw new EksplanError(`refreshed prices for ${prices.region}: date must be yyyy-mm-dd, got '${prices.date}'`, { field: 'date' });
  refreshed.set(prices.region, prices);
}

/** Forgets refreshed prices (one region, or all). */
export function clearRefreshedPrices(region?: string): void {
  if (region === undefined) refreshed.clear();
  else refreshed.delete(region);
}

export function refreshedPrices(region: string): RefreshedPrices | undefined {
  return refreshed.get(region);
}

const round6 = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** On-Demand Linux price of a type in a region, with its source. */
export function ec2OnDemandPrice(type: string, usEast1Usd: number, region: string = DEFAULT_REGION): PricedValue {
  const info = regionInfo(region);
  const fresh = refreshed.get(region)?.onDemand[type];
  if (fresh !== undefined) return { usd: fresh, source: `AWS Pricing API, ${region}, refreshed ${refreshed.get(region)?.date}` };
  if (region === DEFAULT_REGION) return { usd: usEast1Usd, source: STATIC_PRICE_LIST };
  return {
    usd: round6(usEast1Usd * info.priceFactor),
    source: `catalog estimate: us-east-1 static list of ${STATIC_PRICE_DATE} × ${info.priceFactor}, the ${region} factor (${info.basis}; eksplan, ${REGION_FACTOR_DATE})`,
  };
}

/**
 * Spot price model (deterministic): Spot sells spare capacity at a discount that EC2 reports per AZ; eksplan uses
 * the long-run average discount by instance category (the EC2 Spot Instance Advisor shows 60-70% savings for
 * current general-purpose, compute and memory families) with a fixed per-AZ variation of ±4 points derived from a
 * hash of the type and zone, so the same inputs always give the same price. A refresh with credentials replaces
 * the model with the latest DescribeSpotPriceHistory price of the type in the zone.
 */
const SPOT_DISCOUNT: Record<string, number> = { m: 0.64, c: 0.62, r: 0.65, t: 0.7, g: 0.6, p: 0.55, inf: 0.6, trn: 0.6 };
export const SPOT_MODEL_SOURCE = 'catalog Spot model, not market prices: On-Demand × (1 − category discount 55-70% ± 4 points per zone)';

export function ec2SpotPrice(type: string, category: string, onDemand: PricedValue, region: string = DEFAULT_REGION, zone?: string): PricedValue {
  const history = refreshed.get(region)?.spot?.[type];
  if (history) {
    const zonePrice = zone !== undefined ? history[zone] : undefined;
    const values = Object.values(history);
    if (zonePrice !== undefined) return { usd: zonePrice, source: `EC2 DescribeSpotPriceHistory, ${zone}, refreshed ${refreshed.get(region)?.date}` };
    if (values.length > 0) {
      return { usd: round6(values.reduce((a, b) => a + b, 0) / values.length), source: `EC2 DescribeSpotPriceHistory, mean of ${region} zones, refreshed ${refreshed.get(region)?.date}` };
    }
  }
  const discount = (SPOT_DISCOUNT[category] ?? 0.6) + (zone ? ((hash(`${type}|${zone}`) % 81) - 40) / 1000 : 0);
  return { usd: round6(onDemand.usd * (1 - discount)), source: `${SPOT_MODEL_SOURCE}; On-Demand: ${onDemand.source}` };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

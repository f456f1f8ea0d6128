import * as fs from 'fs';
import * as path from 'path';
// The AWS SDK is loaded only when a refresh runs: the CLI calls loadRefreshedCatalogs() before every plan.
import type { EC2Client, InstanceTypeInfo as Ec2InstanceType, SpotPrice } from '@aws-sdk/client-ec2';
import type { PricingClient } from '@aws-sdk/client-pricing';
import { registerRefreshedPrices, regionInfo, type RefreshedPrices } from '../../simulation/catalog';
import { EksplanError } from '../../simulation/model/errors';
import { AWS_CLIENT_SETTINGS, awsError, collectPages, redactAwsText } from '../live/aws-errors';

export interface RefreshedInstanceType {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** ENIs on the default network card (what the VPC CNI uses). */
  readonly maxEnis: number;
  readonly ipv4PerEni: number;
  readonly arch: 'amd64' | 'arm64';
  readonly gpus: number;
  readonly hypervisor: string;
  readonly bareMetal: boolean;
  readonly onDemandUsdPerHour?: number;
}

/** The file `eksplan catalog refresh` writes: one region's types and prices, and when they were read. */
export interface RefreshFile {
  readonly region: string;
  readonly date: string;
  readonly source: string;
  readonly instanceTypes: RefreshedInstanceType[];
  /** Latest Spot price by type, then zone (Linux/UNIX), when DescribeSpotPriceHistory could be read. */
  readonly spot?: Record<string, Record<string, number>>;
  /** Why Spot prices are missing, when they are. */
  readonly spotError?: string;
}

/** Where refreshed catalogs live, relative to the working directory (override with --out / EKSPLAN_CATALOG_DIR). */
export const DEFAULT_CATALOG_DIR = '.eksplan/catalog';

export interface RefreshOptions {
  readonly region: string;
  /** Where to write the refreshed data (JSON). @default `${EKSPLAN_CATALOG_DIR ?? .eksplan/catalog}/<region>.json` */
  readonly outFile?: string;
  readonly ec2Client?: EC2Client;
  readonly pricingClient?: PricingClient;
  /** Read Spot price history too. @default true */
  readonly spot?: boolean;
  /** Give up on one AWS call after this long. @default 30000 */
  readonly callTimeoutMs?: number;
  /** The refresh date (yyyy-mm-dd). @default today (UTC) */
  readonly date?: string;
  /** Time for the Spot price query. @default now */
  readonly now?: Date;
}

/** One EC2 DescribeInstanceTypes entry in the catalog's terms. */
export function fromEc2(type: Ec2InstanceType): RefreshedInstanceType | undefined {
  if (!type.InstanceType || !type.VCpuInfo?.DefaultVCpus || !type.MemoryInfo?.SizeInMiB) return undefined;
  const cards = type.NetworkInfo?.NetworkCards ?? [];
  const defaultCard = cards.find((c) => c.NetworkCardIndex === (type.NetworkInfo?.DefaultNetworkCardIndex ?? 0));
  return {
    name: type.InstanceType,
    vcpu: type.VCpuInfo.DefaultVCpus,
    memoryMiB: type.MemoryInfo.SizeInMiB,
    maxEnis: defaultCard?.MaximumNetworkInterfaces ?? type.NetworkInfo?.MaximumNetworkInterfaces ?? 1,
    ipv4PerEni: type.NetworkInfo?.Ipv4AddressesPerInterface ?? 1,
    arch: (type.ProcessorInfo?.SupportedArchitectures ?? []).includes('arm64') ? 'arm64' : 'amd64',
    gpus: (type.GpuInfo?.Gpus ?? []).reduce((sum, g) => sum + (g.Count ?? 0), 0),
    hypervisor: type.Hypervisor ?? '',
    bareMetal: type.BareMetal ?? false,
  };
}

/** On-demand Linux shared-tenancy price from a Pricing API product document (JSON string). */
export function priceFromProduct(document: string): { instanceType: string; usd: number } | undefined {
  try {
    const product = JSON.parse(document) as { product?: { attributes?: Record<string, string> }; terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { pricePerUnit?: { USD?: string } }> }> } };
    const instanceType = product.product?.attributes?.instanceType;
    const term = Object.values(product.terms?.OnDemand ?? {})[0];
    const dimension = Object.values(term?.priceDimensions ?? {})[0];
    const usd = Number(dimension?.pricePerUnit?.USD);
    return instanceType && Number.isFinite(usd) && usd > 0 ? { instanceType, usd } : undefined;
  } catch {
    return undefined;
  }
}

/** The newest Spot price per type and zone from DescribeSpotPriceHistory entries (any order). */
export function latestSpotPrices(entries: readonly SpotPrice[]): Record<string, Record<string, number>> {
  const newest = new Map<string, { at: number; usd: number }>();
  for (const entry of entries) {
    const usd = Number(entry.SpotPrice);
    if (!entry.InstanceType || !entry.AvailabilityZone || !Number.isFinite(usd) || usd <= 0) continue;
    const key = `${entry.InstanceType}|${entry.AvailabilityZone}`;
    const at = entry.Timestamp ? new Date(entry.Timestamp).getTime() : 0;
    const seen = newest.get(key);
    if (!seen || at > seen.at) newest.set(key, { at, usd });
  }
  const result: Record<string, Record<string, number>> = {};
  for (const [key, { usd }] of [...newest].sort(([a], [b]) => a.localeCompare(b))) {
    const [type, zone] = key.split('|');
    (result[type] ??= {})[zone] = usd;
  }
  return result;
}

/** Rejects with a one-line error when an AWS call takes longer than `ms` (a hung endpoint must not hang the CLI). */
async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, ms: number, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new EksplanError(`timed out after ${ms / 1000}s while trying to ${what}; check network access to the AWS endpoints or raise --timeout`));
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Regenerates the region's catalog data from EC2 DescribeInstanceTypes (all pages), the Pricing API (us-east-1
 * endpoint; Linux, shared tenancy, no pre-installed software, capacitystatus Used, as Karpenter's price list) and,
 * unless `spot: false`, DescribeSpotPriceHistory (Linux/UNIX, the current price per type and zone). Needs AWS
 * credentials; every call has a timeout.
 */
export async function refreshCatalog(options: RefreshOptions): Promise<{ file: string; instanceTypes: number; priced: number; spotPriced: number }> {
  const region = regionInfo(options.region, '--region');
  const timeoutMs = options.callTimeoutMs ?? 30_000;
  const { DescribeInstanceTypesCommand, DescribeSpotPriceHistoryCommand, EC2Client } = await import('@aws-sdk/client-ec2');
  const { GetProductsCommand, PricingClient } = await import('@aws-sdk/client-pricing');
  const ec2 = options.ec2Client ?? new EC2Client({ region: region.region, ...AWS_CLIENT_SETTINGS });
  const pricing = options.pricingClient ?? new PricingClient({ region: 'us-east-1', ...AWS_CLIENT_SETTINGS });
  let types: Ec2InstanceType[];
  try {
    types = await collectPages(async (nextToken) => {
      const page = await withTimeout((abortSignal) => ec2.send(new DescribeInstanceTypesCommand({ NextToken: nextToken, MaxResults: 100 }), { abortSignal }), timeoutMs, `describe the EC2 instance types of ${region.region}`);
      return { items: page.InstanceTypes ?? [], nextToken: page.NextToken };
    });
  } catch (error) {
    if (error instanceof EksplanError) throw error;
    return awsError(error, `describe the EC2 instance types of ${region.region}`);
  }
  const prices = new Map<string, number>();
  try {
    const documents = await collectPages(async (nextToken) => {
      const page = await withTimeout((abortSignal) => pricing.send(new GetProductsCommand({
        ServiceCode: 'AmazonEC2', NextToken: nextToken, MaxResults: 100,
        Filters: [
          { Type: 'TERM_MATCH', Field: 'location', Value: region.location }, { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
          { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' }, { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' },
          { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
        ],
      }), { abortSignal }), timeoutMs, `read EC2 prices for ${region.region} from the Pricing API`);
      return { items: page.PriceList ?? [], nextToken: page.NextToken };
    });
    for (const document of documents) {
      const price = priceFromProduct(typeof document === 'string' ? document : JSON.stringify(document));
      if (price) prices.set(price.instanceType, price.usd);
    }
  } catch (error) {
    if (error instanceof EksplanError) throw error;
    return awsError(error, `read EC2 prices for ${region.region} from the Pricing API`);
  }
  let spot: Record<string, Record<string, number>> | undefined;
  let spotError: string | undefined;
  if (options.spot ?? true) {
    // Spot prices are optional: without ec2:DescribeSpotPriceHistory the refresh keeps the Spot model and says why.
    try {
      const now = options.now ?? new Date();
      const entries = await collectPages(async (nextToken) => {
        const page = await withTimeout((abortSignal) => ec2.send(new DescribeSpotPriceHistoryCommand({
          NextToken: nextToken, MaxResults: 1000, StartTime: now, EndTime: now, ProductDescriptions: ['Linux/UNIX'],
        }), { abortSignal }), timeoutMs, `read the Spot price history of ${region.region}`);
        return { items: page.SpotPriceHistory ?? [], nextToken: page.NextToken || undefined };
      });
      spot = latestSpotPrices(entries);
    } catch (error) {
      // Written into the catalog file: redacted like every AWS message eksplan shows.
      spotError = redactAwsText((error as Error).message ?? String(error)).split('\n')[0];
    }
  }
  const catalog = types.map(fromEc2).filter((t): t is RefreshedInstanceType => t !== undefined)
    .map((t) => ({ ...t, onDemandUsdPerHour: prices.get(t.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const file = options.outFile ?? path.join(process.env.EKSPLAN_CATALOG_DIR ?? DEFAULT_CATALOG_DIR, `${region.region}.json`);
  const data: RefreshFile = {
    region: region.region, date: options.date ?? new Date().toISOString().slice(0, 10),
    source: 'EC2 DescribeInstanceTypes + AWS Pricing API' + (spot ? ' + EC2 DescribeSpotPriceHistory' : ''),
    instanceTypes: catalog, ...(spot ? { spot } : {}), ...(spotError ? { spotError } : {}),
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return { file, instanceTypes: catalog.length, priced: catalog.filter((t) => t.onDemandUsdPerHour !== undefined).length, spotPriced: Object.keys(spot ?? {}).length };
}

/** The prices of a refresh file, in the catalog's terms. */
export function refreshedPricesFrom(data: RefreshFile): RefreshedPrices {
  const onDemand: Record<string, number> = {};
  for (const type of data.instanceTypes) if (type.onDemandUsdPerHour !== undefined) onDemand[type.name] = type.onDemandUsdPerHour;
  return { region: data.region, date: data.date, onDemand, spot: data.spot };
}

/**
 * Registers every refresh file in `dir` with the catalog, so plans in those regions use the refreshed prices and
 * say so. A missing directory is not an error (nothing was refreshed); a malformed file is, naming the file.
 */
export function loadRefreshedCatalogs(dir: string = process.env.EKSPLAN_CATALOG_DIR ?? DEFAULT_CATALOG_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  const regions: string[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    let data: RefreshFile;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8')) as RefreshFile;
    } catch (error) {
      throw new EksplanError(`not valid JSON: ${(error as Error).message}`, { input: file });
    }
    if (typeof data.region !== 'string' || typeof data.date !== 'string' || !Array.isArray(data.instanceTypes)) {
      throw new EksplanError('not a refreshed catalog: expected region, date and instanceTypes (written by eksplan catalog refresh)', { input: file });
    }
    registerRefreshedPrices(refreshedPricesFrom(data));
    regions.push(data.region);
  }
  return regions;
}

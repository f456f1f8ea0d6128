import * as fs from 'fs';
import { DescribeInstanceTypesCommand, EC2Client, type InstanceTypeInfo as Ec2InstanceType } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { awsError, collectPages } from '../live/aws-errors';

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

export interface RefreshOptions {
  readonly region: string;
  /** Where to write the catalog data (JSON). @default simulation/catalog/refreshed-<region>.json */
  readonly outFile?: string;
  readonly ec2Client?: EC2Client;
  readonly pricingClient?: PricingClient;
}

/** AWS Pricing API location names per region (the Pricing API filters on `location`). */
const LOCATIONS: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)', 'us-east-2': 'US East (Ohio)', 'us-west-2': 'US West (Oregon)', 'us-west-1': 'US West (N. California)',
  'eu-west-1': 'EU (Ireland)', 'eu-central-1': 'EU (Frankfurt)', 'eu-west-2': 'EU (London)', 'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)', 'ap-northeast-1': 'Asia Pacific (Tokyo)',
};

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

/**
 * Regenerates the catalog data from EC2 DescribeInstanceTypes (all pages) and the Pricing API (us-east-1
 * endpoint, Linux, shared tenancy, no pre-installed software, capacitystatus Used). Needs AWS credentials.
 */
export async function refreshCatalog(options: RefreshOptions): Promise<{ file: string; instanceTypes: number; priced: number }> {
  const ec2 = options.ec2Client ?? new EC2Client({ region: options.region, maxAttempts: 6 });
  const pricing = options.pricingClient ?? new PricingClient({ region: 'us-east-1', maxAttempts: 6 });
  const location = LOCATIONS[options.region];
  let types: Ec2InstanceType[];
  try {
    types = await collectPages(async (nextToken) => {
      const page = await ec2.send(new DescribeInstanceTypesCommand({ NextToken: nextToken, MaxResults: 100 }));
      return { items: page.InstanceTypes ?? [], nextToken: page.NextToken };
    });
  } catch (error) {
    return awsError(error, `describe the EC2 instance types of ${options.region}`);
  }
  const prices = new Map<string, number>();
  if (location) {
    try {
      const documents = await collectPages(async (nextToken) => {
        const page = await pricing.send(new GetProductsCommand({
          ServiceCode: 'AmazonEC2', NextToken: nextToken, MaxResults: 100,
          Filters: [
            { Type: 'TERM_MATCH', Field: 'location', Value: location }, { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
            { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' }, { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' },
            { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
          ],
        }));
        return { items: page.PriceList ?? [], nextToken: page.NextToken };
      });
      for (const document of documents) {
        const price = priceFromProduct(typeof document === 'string' ? document : JSON.stringify(document));
        if (price) prices.set(price.instanceType, price.usd);
      }
    } catch (error) {
      return awsError(error, `read EC2 prices for ${options.region} from the Pricing API`);
    }
  }
  const catalog = types.map(fromEc2).filter((t): t is RefreshedInstanceType => t !== undefined)
    .map((t) => ({ ...t, onDemandUsdPerHour: prices.get(t.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const file = options.outFile ?? `simulation/catalog/refreshed-${options.region}.json`;
  fs.writeFileSync(file, `${JSON.stringify({ region: options.region, source: 'EC2 DescribeInstanceTypes + AWS Pricing API', date: new Date().toISOString().slice(0, 10), instanceTypes: catalog }, null, 2)}\n`);
  return { file, instanceTypes: catalog.length, priced: catalog.filter((t) => t.onDemandUsdPerHour !== undefined).length };
}

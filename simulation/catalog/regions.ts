import { EksplanError } from '../model/errors';

// Every region of the commercial `aws` partition, with the multiplier eksplan uses to estimate its prices from
// the us-east-1 static list until `eksplan catalog refresh --region R` replaces them with the region's own.
//
// Region list: aws-cdk-lib 2.276.0 region-info (AWS_REGIONS, the regions whose partition is `aws`).
// Multipliers: the ratio of the m5.large Linux On-Demand price in the region to us-east-1 ($0.096, the static list).
// Only us-east-1 is verified. The other figures were written from memory of the EC2 On-Demand pricing page
// (aws.amazon.com/ec2/pricing/on-demand, rendered by script, so no stored copy exists); a search on 2026-12-01
// of public pages and repositories for per-region EC2 price tables found only hand-written third-party tables
// that disagree with each other (e.g. eu-north-1 $0.096 vs $0.102, sa-east-1 $0.142 vs $0.153), and Karpenter's
// generated price file (aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go) carries
// us-east-1 only in every version of its history. So every other row says `verified: false` and its `basis`
// says "unverified", which each report line priced from it repeats; `eksplan catalog refresh --region R` reads
// the region's own prices from the AWS Pricing API instead.

export const REGION_LIST_SOURCE = 'aws-cdk-lib 2.276.0 region-info (partition aws)';
export const REGION_FACTOR_SOURCE = 'eksplan estimate, unverified outside us-east-1: m5.large Linux On-Demand price ratio to us-east-1 (aws.amazon.com/ec2/pricing/on-demand, from memory)';
/** When the factors were last checked against public sources (and found unverifiable outside us-east-1). */
export const REGION_FACTOR_DATE = '2026-12-01';
/** What the 2026-12-01 check searched. */
export const REGION_FACTOR_SEARCH = 'public pages and repositories searched 2026-12-01 for per-region EC2 On-Demand prices (m5.large, m6i.large): no first-party or generated per-region table found';

export interface RegionInfo {
  readonly region: string;
  /** The Pricing API `location` attribute of the region. */
  readonly location: string;
  /** Estimated price relative to us-east-1 (1 = same). */
  readonly priceFactor: number;
  /** How the factor was obtained, saying "unverified" when no source confirmed it. */
  readonly basis: string;
  /** Whether a public source confirmed the m5.large price the factor comes from. */
  readonly verified: boolean;
  /** The source (URL or title) and date of the price, or why there is none. */
  readonly evidence: string;
}

const ratio = (m5LargeUsd: number) => Math.round((m5LargeUsd / 0.096) * 1e6) / 1e6;
const US_EAST_1_EVIDENCE = 'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go @ 1d927085, generated 2026-07-20 from the AWS Pricing API: m5.large $0.096';
const reference = (region: string, location: string): RegionInfo =>
  ({ region, location, priceFactor: 1, basis: 'm5.large $0.096 in the static us-east-1 list', verified: true, evidence: US_EAST_1_EVIDENCE });
// A price recalled from the EC2 pricing page that no source found on 2026-12-01 confirms.
const measured = (region: string, location: string, m5LargeUsd: number): RegionInfo =>
  ({ region, location, priceFactor: ratio(m5LargeUsd), basis: `m5.large $${m5LargeUsd} vs $0.096, unverified`, verified: false, evidence: `unverified: ${REGION_FACTOR_SEARCH}` });
// A region eksplan has no price for at all: a neighbour's ratio.
const like = (region: string, location: string, neighbour: string, m5LargeUsd: number): RegionInfo =>
  ({ region, location, priceFactor: ratio(m5LargeUsd), basis: `no m5.large price known to eksplan: ${neighbour}'s ratio, unverified`, verified: false, evidence: `unverified: ${REGION_FACTOR_SEARCH}` });

export const REGION_TABLE: readonly RegionInfo[] = [
  reference('us-east-1', 'US East (N. Virginia)'),
  measured('us-east-2', 'US East (Ohio)', 0.096),
  measured('us-west-1', 'US West (N. California)', 0.112),
  measured('us-west-2', 'US West (Oregon)', 0.096),
  measured('af-south-1', 'Africa (Cape Town)', 0.127),
  measured('ap-east-1', 'Asia Pacific (Hong Kong)', 0.132),
  like('ap-east-2', 'Asia Pacific (Taipei)', 'ap-northeast-1', 0.124),
  measured('ap-south-1', 'Asia Pacific (Mumbai)', 0.101),
  measured('ap-south-2', 'Asia Pacific (Hyderabad)', 0.101),
  measured('ap-southeast-1', 'Asia Pacific (Singapore)', 0.12),
  measured('ap-southeast-2', 'Asia Pacific (Sydney)', 0.12),
  measured('ap-southeast-3', 'Asia Pacific (Jakarta)', 0.12),
  measured('ap-southeast-4', 'Asia Pacific (Melbourne)', 0.12),
  like('ap-southeast-5', 'Asia Pacific (Malaysia)', 'ap-southeast-1', 0.12),
  like('ap-southeast-6', 'Asia Pacific (New Zealand)', 'ap-southeast-2', 0.12),
  like('ap-southeast-7', 'Asia Pacific (Thailand)', 'ap-southeast-1', 0.12),
  measured('ap-northeast-1', 'Asia Pacific (Tokyo)', 0.124),
  measured('ap-northeast-2', 'Asia Pacific (Seoul)', 0.118),
  measured('ap-northeast-3', 'Asia Pacific (Osaka)', 0.124),
  measured('ca-central-1', 'Canada (Central)', 0.107),
  measured('ca-west-1', 'Canada West (Calgary)', 0.107),
  measured('eu-central-1', 'EU (Frankfurt)', 0.115),
  measured('eu-central-2', 'EU (Zurich)', 0.1265),
  measured('eu-north-1', 'EU (Stockholm)', 0.102),
  measured('eu-south-1', 'EU (Milan)', 0.112),
  measured('eu-south-2', 'EU (Spain)', 0.107),
  measured('eu-west-1', 'EU (Ireland)', 0.107),
  measured('eu-west-2', 'EU (London)', 0.111),
  measured('eu-west-3', 'EU (Paris)', 0.112),
  measured('il-central-1', 'Israel (Tel Aviv)', 0.1155),
  measured('me-central-1', 'Middle East (UAE)', 0.118),
  measured('me-south-1', 'Middle East (Bahrain)', 0.118),
  like('me-west-1', 'Middle East (Saudi Arabia)', 'me-central-1', 0.118),
  like('mx-central-1', 'Mexico (Central)', 'us-west-1', 0.112),
  measured('sa-east-1', 'South America (Sao Paulo)', 0.153),
];

const BY_REGION = new Map(REGION_TABLE.map((r) => [r.region, r]));

/** Every commercial region eksplan accepts. */
export const REGIONS: readonly string[] = REGION_TABLE.map((r) => r.region);
export const DEFAULT_REGION = 'us-east-1';

// Partitions other than `aws` have their own prices, endpoints and ARNs (arn:aws-us-gov, arn:aws-cn).
const OTHER_PARTITIONS: readonly [prefix: string, partition: string][] = [
  ['us-gov-', 'aws-us-gov (GovCloud)'], ['cn-', 'aws-cn (China)'], ['us-iso', 'aws-iso'], ['eu-isoe-', 'aws-iso-e'], ['eusc-', 'aws-eusc (European Sovereign Cloud)'],
];

/** Why eksplan cannot plan for a region (another partition, an unknown name), or undefined for a commercial region. */
export function regionProblem(region: string): string | undefined {
  if (BY_REGION.has(region)) return undefined;
  const partition = OTHER_PARTITIONS.find(([prefix]) => region.startsWith(prefix));
  if (partition) return `region '${region}' is in the ${partition[1]} partition, which eksplan does not support yet: use a commercial region (${REGIONS.join(', ')})`;
  return `unknown region '${region}': eksplan accepts the commercial AWS regions ${REGIONS.join(', ')}`;
}

/** The region's entry; a clear error for other partitions and unknown names. */
export function regionInfo(region: string, field = 'region'): RegionInfo {
  const found = BY_REGION.get(region);
  if (found) return found;
  throw new EksplanError(regionProblem(region) as string, { field });
}

export function isCommercialRegion(region: string): boolean {
  return BY_REGION.has(region);
}

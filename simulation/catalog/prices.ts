import { onDemandPrice } from './instance-types';
import { DEFAULT_REGION, REGION_FACTOR_DATE, regionInfo } from './regions';

// Prices beyond EC2 instances, per region, each with its source page. USD. Checked 2026-11-01.

export const PRICES_DATE = '2026-11-01';

export interface Price {
  readonly usd: number;
  readonly source: string;
}

export interface RegionPrices {
  readonly eksStandardPerHour: Price;
  readonly eksExtendedPerHour: Price;
  readonly natPerHour: Price;
  readonly natPerGb: Price;
  readonly publicIpv4PerHour: Price;
  readonly albPerHour: Price;
  readonly albLcuPerHour: Price;
  readonly nlbPerHour: Price;
  readonly nlbNlcuPerHour: Price;
  /** Classic Load Balancer (in-tree cloud provider's Service type LoadBalancer): per hour and per GB processed. */
  readonly clbPerHour: Price;
  readonly clbPerGb: Price;
  readonly gp3PerGbMonth: Price;
  readonly gp2PerGbMonth: Price;
  readonly interAzPerGbEachWay: Price;
  readonly logsIngestionPerGb: Price;
}

const EKS = 'aws.amazon.com/eks/pricing';
const VPC = 'aws.amazon.com/vpc/pricing';
const ELB = 'aws.amazon.com/elasticloadbalancing/pricing';
const EBS = 'aws.amazon.com/ebs/pricing';
const EC2_DT = 'aws.amazon.com/ec2/pricing/on-demand (data transfer within a region)';
const CWL = 'aws.amazon.com/cloudwatch/pricing (vended logs ingestion)';

function p(usd: number, source: string): Price {
  return { usd, source: `${source}, ${PRICES_DATE}` };
}

const US: RegionPrices = {
  eksStandardPerHour: p(0.10, EKS),
  eksExtendedPerHour: p(0.60, EKS),
  natPerHour: p(0.045, VPC),
  natPerGb: p(0.045, VPC),
  publicIpv4PerHour: p(0.005, VPC),
  albPerHour: p(0.0225, ELB),
  albLcuPerHour: p(0.008, ELB),
  nlbPerHour: p(0.0225, ELB),
  nlbNlcuPerHour: p(0.006, ELB),
  clbPerHour: p(0.025, `${ELB} (Classic Load Balancer)`),
  clbPerGb: p(0.008, `${ELB} (Classic Load Balancer)`),
  gp3PerGbMonth: p(0.08, EBS),
  gp2PerGbMonth: p(0.10, EBS),
  interAzPerGbEachWay: p(0.01, EC2_DT),
  logsIngestionPerGb: p(0.50, CWL),
};

// Regions whose prices eksplan lists from the pricing pages; every other commercial region is estimated.
const LISTED_REGION_PRICES: Record<string, RegionPrices> = {
  'us-east-1': US,
  'us-west-2': US,
  'eu-west-1': {
    ...US,
    natPerHour: p(0.048, VPC),
    natPerGb: p(0.048, VPC),
    albPerHour: p(0.0252, ELB),
    nlbPerHour: p(0.0252, ELB),
    clbPerHour: p(0.028, `${ELB} (Classic Load Balancer)`),
    gp3PerGbMonth: p(0.088, EBS),
    gp2PerGbMonth: p(0.11, EBS),
    logsIngestionPerGb: p(0.57, CWL),
  },
};

const estimated = new Map<string, RegionPrices>();

/**
 * Prices of a commercial region: listed ones as they are, others estimated as the us-east-1 price × the region's
 * factor (regions.ts), each saying so in its source. GovCloud and China get a clear error.
 */
export function regionPrices(region: string): RegionPrices {
  const listed = LISTED_REGION_PRICES[region];
  if (listed) return listed;
  const info = regionInfo(region);
  let prices = estimated.get(region);
  if (!prices) {
    const estimate = (price: Price): Price => ({
      usd: Math.round(price.usd * info.priceFactor * 1e6) / 1e6,
      source: `catalog estimate: us-east-1 price (${price.source}) × ${info.priceFactor}, the ${region} factor (${info.basis}; eksplan, ${REGION_FACTOR_DATE})`,
    });
    prices = Object.fromEntries(Object.entries(US).map(([key, price]) => [key, estimate(price)])) as unknown as RegionPrices;
    estimated.set(region, prices);
  }
  return prices;
}

/**
 * EKS Auto Mode management fee per instance-hour: AWS lists it per instance type; it is 12% of the
 * type's On-Demand price for the families in the catalog (e.g. m5.large 0.01152 = 12% of 0.096).
 */
export const AUTO_MODE_FEE_SHARE = 0.12;

export function autoModeFeePerHour(type: string, region: string = DEFAULT_REGION): Price {
  const onDemand = onDemandPrice(type, region);
  return { usd: Math.round(onDemand.usd * AUTO_MODE_FEE_SHARE * 1e6) / 1e6, source: `${EKS} (Auto Mode, 12% of On-Demand from ${onDemand.source}), ${PRICES_DATE}` };
}

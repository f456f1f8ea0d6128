import { EksplanError } from '../model/errors';
import { instanceType } from './instance-types';

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
  gp3PerGbMonth: p(0.08, EBS),
  gp2PerGbMonth: p(0.10, EBS),
  interAzPerGbEachWay: p(0.01, EC2_DT),
  logsIngestionPerGb: p(0.50, CWL),
};

const REGION_PRICES: Record<string, RegionPrices> = {
  'us-east-1': US,
  'us-west-2': US,
  'eu-west-1': {
    ...US,
    natPerHour: p(0.048, VPC),
    natPerGb: p(0.048, VPC),
    albPerHour: p(0.0252, ELB),
    nlbPerHour: p(0.0252, ELB),
    gp3PerGbMonth: p(0.088, EBS),
    gp2PerGbMonth: p(0.11, EBS),
    logsIngestionPerGb: p(0.57, CWL),
  },
};

export function regionPrices(region: string): RegionPrices {
  const prices = REGION_PRICES[region];
  if (!prices) throw new EksplanError(`no prices for region '${region}': the catalog has ${Object.keys(REGION_PRICES).join(', ')}`, { field: 'region' });
  return prices;
}

/**
 * EKS Auto Mode management fee per instance-hour: AWS lists it per instance type; it is 12% of the
 * type's On-Demand price for the families in the catalog (e.g. m5.large 0.01152 = 12% of 0.096).
 */
export const AUTO_MODE_FEE_SHARE = 0.12;

export function autoModeFeePerHour(type: string, region: string): Price {
  return p(Math.round(instanceType(type).onDemandUsdPerHour(region) * AUTO_MODE_FEE_SHARE * 1e6) / 1e6, `${EKS} (Auto Mode, 12% of On-Demand)`);
}

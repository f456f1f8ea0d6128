import { Annotations, Fn, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { cidrsOverlap, parseCidr } from '../../simulation/model/cidr';
import { POD_SUBNET_TAG } from '../../simulation/model/tags';
import { constructError } from '../errors';
import { acceptNagFindings } from '../nag';

export type PodIpMode = 'secondary-ip' | 'prefix-delegation';

export interface EksVpcProps {
  /** Name of the EKS cluster the VPC serves; tags the subnets for Karpenter discovery. */
  readonly clusterName: string;
  /** Primary CIDR. @default '10.0.0.0/16' */
  readonly cidr?: string;
  /** Availability zones, explicit so that synthesis never looks them up. @default the stack region's a, b and c */
  readonly availabilityZones?: string[];
  /** NAT gateways: 1 for cost, one per AZ for availability. @default 1 */
  readonly natGateways?: number;
  /** Pods the platform must hold at its peak; sizes the private subnets. @default 3000 */
  readonly expectedPods?: number;
  /** How the VPC CNI gives pods addresses; prefix delegation needs room for aligned /28 blocks. @default 'secondary-ip' */
  readonly podIpMode?: PodIpMode;
  /** Prefix length of the private subnets; overrides the size derived from expectedPods. @default derived from expectedPods and the cidr: /19, larger subnets for more pods, smaller ones in a /18 to /20 VPC */
  readonly privateSubnetMask?: number;
  /** Add the 100.64.0.0/16 secondary CIDR with one pod subnet per AZ (VPC CNI custom networking). @default false */
  readonly secondaryCidr?: boolean;
  /** Interface endpoints for ECR (api, dkr) and STS, and an S3 gateway endpoint, so image pulls skip NAT. @default true */
  readonly endpoints?: boolean;
  /**
   * VPC flow logs to CloudWatch Logs: which traffic to record. REJECT records what security groups and NACLs
   * refuse (the audit trail security reviews ask for) at a fraction of ALL's ingestion cost. @default 'REJECT'
   */
  readonly flowLogTraffic?: 'ALL' | 'ACCEPT' | 'REJECT';
  /** Days to keep flow log records. @default 90 */
  readonly flowLogRetentionDays?: number;
}

/** The secondary CIDR for pod subnets (RFC 6598 shared address space, as the EKS docs recommend). */
export const POD_SECONDARY_CIDR = '100.64.0.0/16';

/** Addresses each AZ's private subnet must hold for a pod count: its share of pods plus the VPC CNI warm pool (a full warm ENI per node in secondary-IP mode roughly doubles the addresses held; /28 prefixes waste up to 15 per block), nodes, and the 5 reserved addresses. */
export function privateSubnetAddressesFor(expectedPods: number, azs: number, mode: PodIpMode): number {
  const perAz = Math.ceil(expectedPods / Math.max(1, azs));
  const factor = mode === 'prefix-delegation' ? 1.5 : 2;
  return Math.ceil(perAz * factor) + Math.ceil(perAz / 10) + 5;
}

/**
 * Whether `azs` public /24 subnets and `azs` private /mask subnets fit in a /vpcPrefix, laid out as
 * ec2.Vpc's NetworkBuilder does: public subnets first, then each private subnet aligned to its own size.
 */
export function subnetsFit(vpcPrefix: number, mask: number, azs: number): boolean {
  const privateSize = 2 ** (32 - mask);
  const publicEnd = azs * 256;
  const privateStart = Math.ceil(publicEnd / privateSize) * privateSize;
  return privateStart + azs * privateSize <= 2 ** (32 - vpcPrefix);
}

/**
 * Private subnet prefix length for a pod count (pure, so tests and the simulation can check it): /19 (8,187
 * usable addresses per AZ) when the pods need no more and the VPC has room, larger subnets when the pods need
 * them; given the VPC's prefix, smaller ones when a /18 to /20 VPC has no room for those, down to what fits.
 * Returns a mask larger than the pods allow only when nothing fits; EksVpc reports that against expectedPods and cidr.
 */
export function privateSubnetMaskFor(expectedPods: number, azs: number, mode: PodIpMode, vpcPrefix?: number): number {
  const needed = privateSubnetAddressesFor(expectedPods, azs, mode);
  const neededMask = 32 - Math.ceil(Math.log2(Math.max(needed, 2)));
  const preferred = Math.min(19, Math.max(16, neededMask));
  // Without a VPC prefix: the size the pods ask for, whatever the VPC.
  if (vpcPrefix === undefined) return preferred;
  for (let mask = Math.max(preferred, vpcPrefix + 1); mask <= 28; mask += 1) {
    if (subnetsFit(vpcPrefix, mask, azs)) return mask;
  }
  return 28;
}

/** A VPC for EKS: public and private subnets in three AZs, sized for pod IPs, tagged for load balancers and Karpenter. */
export class EksVpc extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly availabilityZones: string[];
  public readonly privateSubnets: ec2.ISubnet[];
  public readonly publicSubnets: ec2.ISubnet[];
  /** Pod subnets in the secondary CIDR, one per AZ, when `secondaryCidr` is on. */
  public readonly podSubnets: ec2.CfnSubnet[] = [];
  public readonly privateSubnetMask: number;

  constructor(scope: Construct, id: string, props: EksVpcProps) {
    super(scope, id);
    const cidr = props.cidr ?? '10.0.0.0/16';
    const primary = parseCidrOrThrow(this, 'cidr', cidr);
    if (primary.prefix > 20 || primary.prefix < 16) {
      throw constructError(this, 'cidr', `must be a /16 to /20 network to hold pod subnets, got '${cidr}'`);
    }
    if (props.secondaryCidr && cidrsOverlap(cidr, POD_SECONDARY_CIDR)) {
      throw constructError(this, 'cidr', `overlaps the pod secondary CIDR ${POD_SECONDARY_CIDR}`);
    }
    const region = Stack.of(this).region;
    this.availabilityZones = props.availabilityZones ?? ['a', 'b', 'c'].map((s) => `${region}${s}`);
    if (this.availabilityZones.length < 2 || this.availabilityZones.length > 6) {
      throw constructError(this, 'availabilityZones', `EKS needs subnets in at least two AZs; give 2 to 6, got ${this.availabilityZones.length}`);
    }
    const natGateways = props.natGateways ?? 1;
    if (!Number.isInteger(natGateways) || natGateways < 1 || natGateways > this.availabilityZones.length) {
      throw constructError(this, 'natGateways', `must be an integer from 1 to ${this.availabilityZones.length} (one per AZ), got ${natGateways}`);
    }
    const expectedPods = props.expectedPods ?? 3000;
    if (!Number.isInteger(expectedPods) || expectedPods < 1) throw constructError(this, 'expectedPods', `must be a positive integer, got ${expectedPods}`);
    const azCount = this.availabilityZones.length;
    const podIpMode = props.podIpMode ?? 'secondary-ip';
    if (props.privateSubnetMask !== undefined) {
      const given = props.privateSubnetMask;
      if (!Number.isInteger(given) || given < primary.prefix + 2 || given > 24) {
        throw constructError(this, 'privateSubnetMask', `must be from /${primary.prefix + 2} to /24 inside ${cidr}, got /${given}`);
      }
      if (!subnetsFit(primary.prefix, given, azCount)) {
        throw constructError(this, 'privateSubnetMask', `${azCount} private /${given} subnets and ${azCount} public /24 subnets do not fit in ${cidr}; use a smaller subnet (a larger mask) or a larger cidr`);
      }
    }
    const mask = props.privateSubnetMask ?? privateSubnetMaskFor(expectedPods, azCount, podIpMode, primary.prefix);
    const needed = privateSubnetAddressesFor(expectedPods, azCount, podIpMode);
    if (props.privateSubnetMask === undefined && 2 ** (32 - mask) < needed) {
      // Name what the user chose (or left at its default): the pod count and the CIDR, never the derived mask.
      const podsThatFit = Math.floor(expectedPodsFitting(2 ** (32 - mask), azCount, podIpMode));
      throw constructError(this, 'expectedPods', `is ${expectedPods}${props.expectedPods === undefined ? ' (the default)' : ''}: the pods need ${needed} addresses per AZ, ` +
        `but cidr ${cidr} leaves room for ${azCount} private /${mask} subnets (${2 ** (32 - mask)} addresses each): set expectedPods to at most ${podsThatFit}, ` +
        `use a larger cidr${podIpMode === 'prefix-delegation' ? '' : ', prefix delegation'} or the secondary CIDR (secondaryCidr)`);
    }
    this.privateSubnetMask = mask;

    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: this.availabilityZones,
      natGateways,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: mask },
      ],
      restrictDefaultSecurityGroup: true,
    });
    Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'AZs are explicit on purpose: synthesis must be offline and deterministic (no Fn::GetAZs look-up), and the simulation needs to know each subnet\'s zone',
    });
    this.publicSubnets = this.vpc.publicSubnets;
    this.privateSubnets = this.vpc.privateSubnets;
    for (const subnet of this.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    for (const subnet of this.privateSubnets) {
      Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
      Tags.of(subnet).add('karpenter.sh/discovery', props.clusterName);
    }

    this.addFlowLog(props);
    if (props.secondaryCidr) this.addPodSubnets();
    if (props.endpoints ?? true) this.addEndpoints();
    if (natGateways === 1) {
      Annotations.of(this).addInfo('eksplan: one NAT gateway: an AZ failure there cuts egress for the other AZs; set natGateways to the AZ count for HA');
    }
  }

  private addFlowLog(props: EksVpcProps): void {
    const days = props.flowLogRetentionDays ?? 90;
    const retention = Object.values(logs.RetentionDays).find((value) => value === days);
    if (retention === undefined) {
      throw constructError(this, 'flowLogRetentionDays', `must be a CloudWatch Logs retention (${Object.values(logs.RetentionDays).filter((v) => typeof v === 'number' && v !== logs.RetentionDays.INFINITE).join(', ')}), got ${days}`);
    }
    const logGroup = new logs.LogGroup(this, 'FlowLogGroup', { retention: retention as logs.RetentionDays });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: ec2.FlowLogTrafficType[props.flowLogTraffic ?? 'REJECT'],
    });
  }

  private addPodSubnets(): void {
    const block = new ec2.CfnVPCCidrBlock(this, 'PodCidr', { vpcId: this.vpc.vpcId, cidrBlock: POD_SECONDARY_CIDR });
    this.availabilityZones.forEach((az, index) => {
      const subnet = new ec2.CfnSubnet(this, `PodSubnet${index + 1}`, {
        vpcId: this.vpc.vpcId,
        availabilityZone: az,
        cidrBlock: Fn.select(index, Fn.cidr(POD_SECONDARY_CIDR, 4, '14')),
        tags: [{ key: 'Name', value: `${this.node.path}/PodSubnet${index + 1}` }, { key: POD_SUBNET_TAG, value: 'true' }],
      });
      subnet.addResourceDependency(block);
      const privateSubnet = this.privateSubnets[index % this.privateSubnets.length] as ec2.Subnet;
      new ec2.CfnSubnetRouteTableAssociation(this, `PodSubnet${index + 1}Routes`, { subnetId: subnet.ref, routeTableId: privateSubnet.routeTable.routeTableId });
      this.podSubnets.push(subnet);
    });
  }

  private addEndpoints(): void {
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] });
    const services: [string, ec2.InterfaceVpcEndpointAwsService][] = [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR], ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER], ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
    ];
    for (const [id, service] of services) {
      const endpoint = this.vpc.addInterfaceEndpoint(id, { service, privateDnsEnabled: true, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
      acceptNagFindings(endpoint, [{
        id: 'CdkNagValidationFailure',
        reason: 'AwsSolutions-EC23 cannot resolve the ingress CIDR, which is the VPC CIDR (Fn::GetAtt CidrBlock) on 443 only: the endpoint is reachable from inside the VPC, never from 0.0.0.0/0.',
        appliesTo: ['AwsSolutions-EC23'],
      }]);
    }
  }
}

function parseCidrOrThrow(scope: Construct, prop: string, cidr: string): { prefix: number; size: number } {
  try {
    return parseCidr(cidr);
  } catch (error) {
    throw constructError(scope, prop, (error as Error).message);
  }
}

/** The largest pod count whose per-AZ addresses (privateSubnetAddressesFor) fit a subnet of `size` addresses. */
function expectedPodsFitting(size: number, azs: number, mode: PodIpMode): number {
  let low = 0;
  let high = size * azs;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (privateSubnetAddressesFor(mid, azs, mode) <= size) low = mid; else high = mid - 1;
  }
  return low;
}

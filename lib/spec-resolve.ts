import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { IConstruct } from 'constructs';
import { CoreAddons } from '../constructs/addons/core-addons';
import { Ec2NodeClass } from '../constructs/capacity/ec2-node-class';
import { NodePool } from '../constructs/capacity/node-pool';
import { EksPlatformStack } from './eks-platform-stack';
import type { PlatformSpec } from './platform-spec';

// `eksplan spec --resolved`: the platform with every default filled in, as `eksctl create cluster --dry-run`
// prints the full ClusterConfig. The values are read from the constructs the stack builds (in memory, no
// synth, no AWS call), so they are exactly what `cdk synth` would put in the templates.

export interface ResolvedPlatform {
  readonly name: string;
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly availabilityZones: string[];
  readonly network: {
    readonly cidr: string;
    readonly natGateways: number;
    readonly privateSubnetMask: number;
    readonly publicSubnetMask: number;
    readonly privateSubnets: { availabilityZone: string; cidr: string }[];
    readonly podSubnets: string[];
  };
  readonly cluster: {
    readonly version: string;
    readonly compute: string;
    readonly authenticationMode: string;
    readonly endpointAccess: string;
  };
  readonly vpcCni: Record<string, string>;
  readonly addons: Record<string, string>;
  readonly charts: Record<string, { repository?: string; chart?: string; version?: string }>;
  readonly nodeGroups: { name: string; instanceTypes: string[]; amiType: string; capacityType: string; minSize: number; desiredSize: number; maxSize: number; maxPods: number; diskSizeGiB: number }[];
  readonly ec2NodeClasses: { name: string; amiAlias: string[]; maxPods: number | string; kubelet?: unknown }[];
  readonly nodePools: { name: string; spec: unknown }[];
  readonly workloads: { name: string; namespace: string; kind: string; replicas: string; cpu: string; memory: string }[];
}

/** The CloudFormation stack name the eksplan app gives a platform: `payments` → `PaymentsPlatform`. */
export function platformStackName(name: string): string {
  return `${name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Platform`;
}

/** Builds the platform's stack in memory and reads back every value the constructs defaulted. */
export function resolvePlatform(spec: PlatformSpec): ResolvedPlatform {
  const app = new App({ context: { 'aws:cdk:disable-stack-trace': true } });
  const stackName = platformStackName(spec.name);
  const stack = new EksPlatformStack(app, stackName, { spec });
  const all = stack.node.findAll();
  const natGateways = all.filter((c) => c instanceof ec2.CfnNatGateway).length;
  const addons: Record<string, string> = {};
  for (const addon of all.filter((c): c is eks.CfnAddon => c instanceof eks.CfnAddon)) addons[addon.addonName] = addon.addonVersion ?? 'EKS default';
  const charts: ResolvedPlatform['charts'] = {};
  for (const chart of all.filter((c): c is eks.HelmChart => c instanceof eks.HelmChart)) {
    charts[chart.chart ?? chart.node.id] = { repository: chart.repository, chart: chart.chart, version: chart.version };
  }
  const privateSubnets = stack.network.privateSubnets.map((subnet) => ({ availabilityZone: subnet.availabilityZone, cidr: subnet.ipv4CidrBlock }));
  return {
    name: spec.name,
    stack: stackName,
    account: stack.account,
    region: stack.region,
    availabilityZones: stack.network.availabilityZones,
    network: {
      cidr: stack.network.vpc.vpcCidrBlock.startsWith('${') ? spec.network?.cidr ?? '10.0.0.0/16' : stack.network.vpc.vpcCidrBlock,
      natGateways,
      privateSubnetMask: stack.network.privateSubnetMask,
      publicSubnetMask: 24,
      privateSubnets,
      podSubnets: stack.network.podSubnets.map((s) => s.availabilityZone ?? ''),
    },
    cluster: {
      version: stack.eksCluster.kubernetesVersion,
      compute: stack.eksCluster.compute,
      authenticationMode: stack.eksCluster.authenticationMode,
      endpointAccess: endpointAccessOf(stack.eksCluster.cluster.node.defaultChild as eks.CfnCluster),
    },
    vpcCni: vpcCniEnv(all),
    addons: Object.fromEntries(Object.entries(addons).sort(([a], [b]) => a.localeCompare(b))),
    charts,
    nodeGroups: stack.nodeGroups.map((group, index) => {
      const given = spec.nodeGroups?.[index];
      const cfn = group.nodegroup.node.defaultChild as eks.CfnNodegroup;
      const scaling = cfn.scalingConfig as eks.CfnNodegroup.ScalingConfigProperty | undefined;
      return {
        name: given?.name ?? group.nodegroupName,
        instanceTypes: cfn.instanceTypes ?? [],
        amiType: group.amiType,
        capacityType: cfn.capacityType ?? 'ON_DEMAND',
        minSize: Number(scaling?.minSize ?? 0),
        desiredSize: Number(scaling?.desiredSize ?? 0),
        maxSize: Number(scaling?.maxSize ?? 0),
        maxPods: group.maxPods,
        diskSizeGiB: given?.diskSizeGiB ?? 50,
      };
    }),
    ec2NodeClasses: all.filter((c): c is Ec2NodeClass => c instanceof Ec2NodeClass).map((nodeClass) => {
      const spec = (nodeClass.manifest.spec ?? {}) as { amiSelectorTerms?: { alias?: string }[]; kubelet?: { maxPods?: number } };
      return {
        name: nodeClass.name, amiAlias: (spec.amiSelectorTerms ?? []).map((t) => t.alias ?? '').filter(Boolean),
        // Without kubelet.maxPods, Karpenter computes the ENI-limited value of each instance type it launches.
        maxPods: spec.kubelet?.maxPods ?? 'ENI-limited per instance type (Karpenter default)',
        ...(spec.kubelet ? { kubelet: spec.kubelet } : {}),
      };
    }),
    nodePools: all.filter((c): c is NodePool => c instanceof NodePool).map((pool) => ({ name: pool.name, spec: pool.manifest.spec })),
    workloads: (spec.workloads ?? []).map((w) => ({
      name: w.name, namespace: w.namespace, kind: w.kind,
      // 2 replicas unless given: the workload constructs' default (constructs/workloads/options.ts).
      replicas: w.autoscaling ? `${w.autoscaling.minReplicas}-${w.autoscaling.maxReplicas} (HPA)` : String(w.replicas ?? 2),
      cpu: w.cpu, memory: w.memory,
    })),
  };
}

/** The vpc-cni add-on's environment, as the CNI will run with it. */
function vpcCniEnv(all: IConstruct[]): Record<string, string> {
  const addons = all.find((c): c is CoreAddons => c instanceof CoreAddons);
  return addons ? { ...addons.vpcCniEnv } : {};
}

function endpointAccessOf(cluster: eks.CfnCluster): string {
  const config = cluster.resourcesVpcConfig as eks.CfnCluster.ResourcesVpcConfigProperty;
  const publicAccess = config.endpointPublicAccess !== false;
  const privateAccess = config.endpointPrivateAccess === true;
  return publicAccess ? (privateAccess ? 'public-and-private' : 'public') : 'private';
}

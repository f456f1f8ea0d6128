import { Fn, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { hasInstanceType, instanceType } from '../../simulation/catalog/instance-types';
import { constructError } from '../errors';
import { acceptNagFindings, NODE_ROLE_ACCEPTANCE, NODE_ROLE_POLICIES } from '../nag';
import { maxPods } from '../../simulation/catalog/max-pods';

export type AmiType =
  | 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD' | 'AL2023_x86_64_NVIDIA' | 'AL2023_x86_64_NEURON'
  | 'BOTTLEROCKET_x86_64' | 'BOTTLEROCKET_ARM_64' | 'BOTTLEROCKET_x86_64_NVIDIA'
  | 'AL2_x86_64' | 'AL2_ARM_64' | 'AL2_x86_64_GPU';

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface ManagedNodeGroupOptions {
  /** Instance types (from the project catalog). */
  readonly instanceTypes: string[];
  /** @default AL2023 standard for the instance types' architecture */
  readonly amiType?: AmiType;
  /** @default 'ON_DEMAND' */
  readonly capacityType?: 'ON_DEMAND' | 'SPOT';
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Kubernetes labels on the nodes. @default none */
  readonly labels?: Record<string, string>;
  /** Taints on the nodes. @default none */
  readonly taints?: NodeTaint[];
  /** Subnets. @default the cluster's private subnets */
  readonly subnets?: ec2.SubnetSelection;
  /** Root volume (gp3, encrypted) size in GiB. @default 50 */
  readonly diskSizeGiB?: number;
  /** Raise kubelet max pods to the prefix-delegation value (the vpc-cni add-on must have prefix delegation on). @default false */
  readonly prefixDelegation?: boolean;
  /** Pods on these nodes need the instance metadata service (IMDS hop limit 2 instead of 1). @default false */
  readonly podsNeedImds?: boolean;
}

export interface ManagedNodeGroupProps extends ManagedNodeGroupOptions {
  readonly cluster: eks.ICluster;
  /** Kubernetes minor version of the cluster, e.g. '1.35' (AL2 AMIs are not published for 1.33+). */
  readonly kubernetesVersion: string;
}

const TAINT_EFFECT: Record<NodeTaint['effect'], eks.TaintEffect> = {
  NoSchedule: eks.TaintEffect.NO_SCHEDULE, PreferNoSchedule: eks.TaintEffect.PREFER_NO_SCHEDULE, NoExecute: eks.TaintEffect.NO_EXECUTE,
};

/**
 * A managed node group on AL2023 or Bottlerocket with a launch template: IMDSv2 required, encrypted gp3 root
 * volume, and kubelet max pods consistent with the VPC CNI mode (set in the nodeadm NodeConfig).
 */
export class ManagedNodeGroup extends Construct {
  public readonly nodegroup: eks.Nodegroup;
  public readonly nodegroupName: string;
  public readonly role: iam.Role;
  /** kubelet max pods of these nodes (the smallest over the instance types). */
  public readonly maxPods: number;
  public readonly amiType: AmiType;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    if (props.instanceTypes.length === 0) throw constructError(this, 'instanceTypes', 'must list at least one instance type');
    for (const type of props.instanceTypes) {
      if (!hasInstanceType(type)) {
        let detail: string;
        try { instanceType(type); detail = ''; } catch (error) { detail = (error as Error).message.replace(/^instanceType: /, ''); }
        throw constructError(this, 'instanceTypes', detail);
      }
    }
    const archs = new Set(props.instanceTypes.map((t) => instanceType(t).arch));
    if (archs.size > 1) throw constructError(this, 'instanceTypes', `mix architectures (${[...archs].join(', ')}); one node group runs one AMI`);
    const arch = [...archs][0];
    const amiType = props.amiType ?? (arch === 'arm64' ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD');
    const minor = Number(props.kubernetesVersion.split('.')[1]);
    if (amiType.startsWith('AL2_') && minor >= 33) {
      throw constructError(this, 'amiType', `${amiType}: Amazon Linux 2 AMIs are not published for Kubernetes 1.33 and later; use AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD or BOTTLEROCKET_*`);
    }
    if (amiType.startsWith('AL2_')) throw constructError(this, 'amiType', `${amiType}: Amazon Linux 2 reached end of support; use an AL2023 or Bottlerocket AMI type`);
    if ((amiType.includes('ARM_64') ? 'arm64' : 'amd64') !== arch) {
      throw constructError(this, 'amiType', `${amiType} does not match the ${arch} instance types ${props.instanceTypes.join(', ')}`);
    }
    for (const [name, value] of [['minSize', props.minSize], ['desiredSize', props.desiredSize], ['maxSize', props.maxSize]] as const) {
      if (!Number.isInteger(value) || value < 0) throw constructError(this, name, `must be a non-negative integer, got ${value}`);
    }
    if (props.minSize > props.maxSize) throw constructError(this, 'minSize', `(${props.minSize}) must not exceed maxSize (${props.maxSize})`);
    if (props.desiredSize < props.minSize || props.desiredSize > props.maxSize) {
      throw constructError(this, 'desiredSize', `(${props.desiredSize}) must be between minSize (${props.minSize}) and maxSize (${props.maxSize})`);
    }
    if (props.maxSize < 1) throw constructError(this, 'maxSize', 'must be at least 1');
    const diskSizeGiB = props.diskSizeGiB ?? 50;
    if (!Number.isInteger(diskSizeGiB) || diskSizeGiB < 20 || diskSizeGiB > 16384) throw constructError(this, 'diskSizeGiB', `must be 20 to 16384 GiB, got ${diskSizeGiB}`);

    this.amiType = amiType;
    this.maxPods = Math.min(...props.instanceTypes.map((t) => maxPods(t, { prefixDelegation: props.prefixDelegation })));
    this.role = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: NODE_ROLE_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    acceptNagFindings(this.role, [NODE_ROLE_ACCEPTANCE]);

    const bottlerocket = amiType.startsWith('BOTTLEROCKET');
    const launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateData: {
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: props.podsNeedImds ? 2 : 1, httpEndpoint: 'enabled' },
        blockDeviceMappings: [{
          deviceName: bottlerocket ? '/dev/xvdb' : '/dev/xvda',
          ebs: { volumeSize: diskSizeGiB, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
        }],
        ...(props.prefixDelegation ? { userData: Fn.base64(bottlerocket ? bottlerocketSettings(this.maxPods) : nodeadmUserData(this.maxPods)) } : {}),
        tagSpecifications: [{ resourceType: 'instance', tags: [{ key: 'Name', value: `${props.cluster.clusterName}-${id}` }] }],
      },
    });

    this.nodegroup = new eks.Nodegroup(this, 'Resource', {
      cluster: props.cluster,
      instanceTypes: props.instanceTypes.map((t) => new ec2.InstanceType(t)),
      amiType: amiType as eks.NodegroupAmiType,
      capacityType: props.capacityType === 'SPOT' ? eks.CapacityType.SPOT : eks.CapacityType.ON_DEMAND,
      minSize: props.minSize,
      desiredSize: props.desiredSize,
      maxSize: props.maxSize,
      labels: props.labels,
      taints: props.taints?.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECT[t.effect] })),
      subnets: props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      nodeRole: this.role,
      launchTemplateSpec: { id: launchTemplate.ref, version: launchTemplate.attrLatestVersionNumber },
      enableNodeAutoRepair: true,
    });
    this.nodegroupName = this.nodegroup.nodegroupName;
    // Cluster Autoscaler scales from zero with these template hints (cluster-autoscaler/cloudprovider/aws/README.md).
    Tags.of(this.nodegroup).add('k8s.io/cluster-autoscaler/node-template/resources/pods', String(this.maxPods));
  }
}

/** AL2023 nodeadm user data (MIME multipart, merged by EKS with its own NodeConfig) setting kubelet maxPods. */
export function nodeadmUserData(maxPods: number): string {
  return [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="EKSPLAN"',
    '',
    '--EKSPLAN',
    'Content-Type: application/node.eks.aws',
    '',
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  kubelet:',
    '    config:',
    `      maxPods: ${maxPods}`,
    '',
    '--EKSPLAN--',
    '',
  ].join('\n');
}

/** Bottlerocket settings (TOML) with the kubelet max pods. */
export function bottlerocketSettings(maxPods: number): string {
  return `[settings.kubernetes]\nmax-pods = ${maxPods}\n`;
}

import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IDependable } from 'constructs';
import { parseQuantity } from '../../simulation/model/quantity';
import { constructError } from '../errors';
import { kebab, validateName } from './node-pool';

export interface KubeletOptions {
  readonly maxPods?: number;
  readonly podsPerCore?: number;
  readonly kubeReserved?: Record<string, string>;
  readonly systemReserved?: Record<string, string>;
  readonly evictionHard?: Record<string, string>;
}

export interface Ec2NodeClassOptions {
  /** Name of the EC2NodeClass object. @default the construct id in kebab case */
  readonly name?: string;
  /** AMI alias, e.g. 'al2023@latest' or a pinned 'al2023@v20251120'; 'bottlerocket@latest'. @default 'al2023@latest' */
  readonly amiAlias?: string;
  /** Discovery tag value on subnets and security groups (key karpenter.sh/discovery). */
  readonly discoveryTag: string;
  /** Root volume size. @default '50Gi' */
  readonly rootVolumeSize?: string;
  readonly kubelet?: KubeletOptions;
  /** Pods need IMDS (hop limit 2). @default false */
  readonly podsNeedImds?: boolean;
}

export interface Ec2NodeClassProps extends Ec2NodeClassOptions {
  readonly cluster: eks.ICluster;
  readonly nodeRole: iam.IRole;
  readonly dependsOn?: IDependable[];
}

/** A Karpenter v1 EC2NodeClass (`karpenter.k8s.aws/v1`): AMI alias, discovery selectors, IMDSv2, encrypted gp3 root, kubelet. */
export class Ec2NodeClass extends Construct {
  public readonly name: string;
  public readonly manifest: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    this.name = props.name ?? kebab(id);
    validateName(this, 'name', this.name);
    const alias = props.amiAlias ?? 'al2023@latest';
    if (!/^(al2023|bottlerocket|windows2019|windows2022)@(latest|v\d{8}|\d+\.\d+\.\d+)$/.test(alias)) {
      throw constructError(this, 'amiAlias', `must be family@version, e.g. al2023@latest or al2023@v20251120 (AL2 is not supported), got '${alias}'`);
    }
    const rootVolumeSize = props.rootVolumeSize ?? '50Gi';
    try { parseQuantity(rootVolumeSize); } catch { throw constructError(this, 'rootVolumeSize', `must be a quantity like '50Gi', got '${rootVolumeSize}'`); }
    const kubelet = props.kubelet ?? {};
    if (kubelet.maxPods !== undefined && (!Number.isInteger(kubelet.maxPods) || kubelet.maxPods < 1 || kubelet.maxPods > 737)) {
      throw constructError(this, 'kubelet.maxPods', `must be an integer from 1 to 737, got ${kubelet.maxPods}`);
    }
    for (const field of ['kubeReserved', 'systemReserved'] as const) {
      for (const [resource, quantity] of Object.entries(kubelet[field] ?? {})) {
        try { parseQuantity(quantity); } catch { throw constructError(this, `kubelet.${field}.${resource}`, `must be a Kubernetes quantity, got '${quantity}'`); }
      }
    }
    const selector = [{ tags: { 'karpenter.sh/discovery': props.discoveryTag } }];
    this.manifest = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: this.name },
      spec: {
        amiSelectorTerms: [{ alias }],
        role: props.nodeRole.roleName,
        subnetSelectorTerms: selector,
        securityGroupSelectorTerms: selector,
        metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: props.podsNeedImds ? 2 : 1, httpTokens: 'required' },
        blockDeviceMappings: [{ deviceName: alias.startsWith('bottlerocket') ? '/dev/xvdb' : '/dev/xvda', rootVolume: true, ebs: { volumeSize: rootVolumeSize, volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }],
        ...(Object.keys(kubelet).length > 0 ? { kubelet } : {}),
        tags: { 'karpenter.sh/discovery': props.discoveryTag },
      },
    };
    const manifest = props.cluster.addManifest(`EC2NodeClass-${this.name}`, this.manifest);
    for (const dependency of props.dependsOn ?? []) manifest.node.addDependency(dependency);
  }
}

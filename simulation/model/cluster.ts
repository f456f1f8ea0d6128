import type { KubernetesObject, Taint } from './kubernetes';
import type { TypedObjects } from './typed-objects';

// The ClusterModel is what the assembly reader extracts from a synthesized cloud assembly (or a set of
// manifests). Plain data only: everything the engine, the checks and the cost model need, nothing of CDK.
// Values that CloudFormation only knows at deploy time are stable placeholders such as `${Token[Ref:Vpc]}`.

export type IpFamily = 'ipv4' | 'ipv6';
export type CapacityType = 'ON_DEMAND' | 'SPOT';

export interface SourceRef {
  /** The file the item was read from (template path relative to the assembly, or the manifest path). */
  readonly file: string;
  /** The CloudFormation logical id, or `Kind namespace/name` for a Kubernetes object. */
  readonly id: string;
}

export interface VpcModel {
  readonly id: string;
  /** The primary CIDR first, then secondary CIDRs (e.g. 100.64.0.0/16 for custom networking). */
  readonly cidrs: string[];
  readonly source?: SourceRef;
}

export interface SubnetModel {
  /** The logical id (or the subnet id when known). */
  readonly id: string;
  readonly cidr: string;
  readonly availabilityZone: string;
  /** A public subnet routes to an internet gateway. */
  readonly public: boolean;
  readonly tags: Record<string, string>;
  /** True when the subnet holds pod ENIs only (custom networking ENIConfig / secondary CIDR). */
  readonly podSubnet?: boolean;
  readonly source?: SourceRef;
}

export interface NatGatewayModel {
  readonly id: string;
  readonly subnetId: string;
  readonly availabilityZone?: string;
  readonly source?: SourceRef;
}

export interface ClusterInfo {
  readonly name: string;
  /** Kubernetes minor version, e.g. `1.34`. */
  readonly version: string;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  /** CIDRs allowed to the public endpoint; EKS applies 0.0.0.0/0 when the public endpoint is on and none are given. */
  readonly publicAccessCidrs?: string[];
  /** Enabled control-plane log types: api, audit, authenticator, controllerManager, scheduler. */
  readonly logging: string[];
  readonly ipFamily: IpFamily;
  readonly secretsEncryption: boolean;
  readonly authenticationMode?: string;
  /**
   * AWS::EKS::Cluster BootstrapSelfManagedAddons: EKS installs self-managed vpc-cni, kube-proxy and CoreDNS at
   * creation unless false (CloudFormation default true). Undefined means the default.
   */
  readonly bootstrapSelfManagedAddons?: boolean;
  /** EKS Auto Mode (compute config enabled). */
  readonly autoMode: boolean;
  readonly autoModeNodePools?: string[];
  readonly upgradePolicy?: 'STANDARD' | 'EXTENDED';
  readonly source?: SourceRef;
}

export interface NodeGroupModel {
  readonly name: string;
  /** `managed` for AWS::EKS::Nodegroup, `self-managed` for an AutoScalingGroup joined to the cluster. */
  readonly kind: 'managed' | 'self-managed';
  readonly instanceTypes: string[];
  readonly capacityType: CapacityType;
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly labels: Record<string, string>;
  readonly taints: Taint[];
  readonly subnetIds: string[];
  /** AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, BOTTLEROCKET_x86_64, ... */
  readonly amiType: string;
  readonly diskSizeGiB: number;
  readonly diskType: string;
  /** kubelet max pods from the launch template user data (nodeadm NodeConfig or bootstrap flags), if set. */
  readonly maxPods?: number;
  /** nodeadm NodeConfig spec.kubelet.maxPodsExpression (CEL) from the user data, if set; maxPods wins over it. */
  readonly maxPodsExpression?: string;
  /** IMDSv2 required on the launch template. */
  readonly imdsv2Required?: boolean;
  /** IMDS PUT response hop limit on the launch template (2+ lets pods in containers reach the node's credentials). */
  readonly imdsHopLimit?: number;
  /** A self-managed group's Auto Scaling group tags (the Cluster Autoscaler's auto-discovery reads them). */
  readonly asgTags?: Readonly<Record<string, string>>;
  readonly source?: SourceRef;
}

export interface FargateProfileModel {
  readonly name: string;
  readonly selectors: { namespace: string; labels?: Record<string, string> }[];
  readonly subnetIds: string[];
  readonly source?: SourceRef;
}

export interface AddonModel {
  /** vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver, ... */
  readonly name: string;
  readonly version?: string;
  /** Parsed `ConfigurationValues` JSON. */
  readonly configuration: Record<string, unknown>;
  readonly source?: SourceRef;
}

export interface HelmReleaseModel {
  readonly chart: string;
  readonly release: string;
  readonly namespace: string;
  readonly repository?: string;
  readonly version?: string;
  readonly values: Record<string, unknown>;
  readonly source?: SourceRef;
  /**
   * The `helm template` output given for this release (`--manifests DIR`): its objects are in `objects` and stand
   * for the release, so the chart table's pods are not added again.
   */
  readonly renderedManifests?: string;
}

/** The VPC CNI settings the network model uses, from the vpc-cni add-on configuration (env). */
export interface VpcCniConfig {
  readonly prefixDelegation: boolean;
  readonly warmEniTarget: number;
  readonly warmIpTarget?: number;
  readonly minimumIpTarget?: number;
  readonly warmPrefixTarget?: number;
  readonly customNetworking: boolean;
  /** Security groups for pods (ENABLE_POD_ENI). */
  readonly podEni: boolean;
}

export interface LoadBalancerModel {
  readonly kind: 'alb' | 'nlb' | 'clb';
  readonly scheme: 'internet-facing' | 'internal';
  /** The Ingress or Service (or CloudFormation resource) that creates it. */
  readonly owner: string;
  /** IngressGroup name: Ingresses in one group share one ALB. */
  readonly group?: string;
  readonly source?: SourceRef;
}

export interface IamRoleModel {
  readonly id: string;
  readonly roleName?: string;
  /** Raw AssumeRolePolicyDocument with intrinsics resolved to placeholders. */
  readonly trustPolicy: unknown;
  readonly managedPolicyArns: string[];
  readonly source?: SourceRef;
}

export interface AccessEntryModel {
  readonly principal: string;
  readonly type: string;
  readonly kubernetesGroups: string[];
  readonly accessPolicies: { policyArn: string; scope: { type: string; namespaces?: string[] } }[];
  readonly source?: SourceRef;
}

export interface PodIdentityAssociationModel {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleId: string;
  readonly source?: SourceRef;
}

export interface KubernetesObjectWithSource {
  readonly object: KubernetesObject;
  readonly source: SourceRef;
}

export interface ClusterModel {
  /** The assembly directory or manifest paths this model came from. */
  readonly origin: string;
  readonly stackName?: string;
  /** The stack's region, when the assembly gives one (explicit env); otherwise undefined. */
  readonly region?: string;
  readonly account?: string;
  readonly availabilityZones: string[];
  readonly vpc?: VpcModel;
  readonly subnets: SubnetModel[];
  readonly natGateways: NatGatewayModel[];
  readonly cluster?: ClusterInfo;
  readonly nodeGroups: NodeGroupModel[];
  readonly fargateProfiles: FargateProfileModel[];
  readonly addons: AddonModel[];
  readonly vpcCni: VpcCniConfig;
  readonly helmReleases: HelmReleaseModel[];
  readonly iamRoles: IamRoleModel[];
  readonly accessEntries: AccessEntryModel[];
  readonly podIdentityAssociations: PodIdentityAssociationModel[];
  readonly loadBalancers: LoadBalancerModel[];
  /** Every Kubernetes object found (Custom::AWSCDK-EKS-KubernetesResource manifests, Helm-rendered CRs, YAML). */
  readonly objects: KubernetesObjectWithSource[];
  /**
   * NodePools, EC2NodeClasses, PDBs, HPAs, storage classes, volume claims and Karpenter's settings, typed and
   * defaulted once from `objects` and `helmReleases` (`typedObjects()`): consumers read these, never raw objects.
   */
  readonly invalidObjects: TypedObjects['invalidObjects'];
  readonly nodePools: TypedObjects['nodePools'];
  readonly nodeClasses: TypedObjects['nodeClasses'];
  readonly pdbs: TypedObjects['pdbs'];
  readonly hpas: TypedObjects['hpas'];
  readonly storageClasses: TypedObjects['storageClasses'];
  readonly volumeClaims: TypedObjects['volumeClaims'];
  /** DRA DeviceClasses and ResourceSlices (extended resources backed by DRA). @default none */
  readonly deviceClasses?: TypedObjects['deviceClasses'];
  readonly resourceSlices?: TypedObjects['resourceSlices'];
  readonly karpenterSettings?: TypedObjects['karpenterSettings'];
  readonly clusterAutoscalerSettings?: TypedObjects['clusterAutoscalerSettings'];
  /** Raw CloudFormation resources by logical id, for checks that need more than the extracted model. */
  readonly resources: Record<string, RawResource>;
}

/** A CloudFormation resource as synthesized (intrinsics resolved to values or placeholders). */
export interface RawResource {
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly file: string;
  /** Logical ids from DependsOn. */
  readonly dependsOn?: string[];
}

/** Logical ids referenced by a placeholder such as `${Token[Ref:Queue4A7E3555]}` or `${Token[GetAtt:Role1ABCC5F0.Arn]}`. */
export function referencedLogicalIds(value: unknown): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return [...text.matchAll(/Token\[(?:Ref|GetAtt):([A-Za-z0-9]+)/g)].map((m) => m[1]);
}

export const DEFAULT_VPC_CNI: VpcCniConfig = {
  prefixDelegation: false,
  // amazon-vpc-cni-k8s README: WARM_ENI_TARGET defaults to 1.
  warmEniTarget: 1,
  customNetworking: false,
  podEni: false,
};

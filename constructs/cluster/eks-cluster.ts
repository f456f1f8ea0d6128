import { Lazy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { constructError } from '../errors';
import { acceptNagFindings, awsManagedPolicyFinding } from '../nag';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from './versions';

export type EndpointAccessMode = 'public-and-private' | 'private';
export type ComputeMode = 'nodegroups' | 'auto-mode';

export interface TeamAccess {
  /** IAM role (or user) ARN of the team. */
  readonly principalArn: string;
  /** EKS access policy name, e.g. AmazonEKSViewPolicy, AmazonEKSEditPolicy, AmazonEKSAdminPolicy. */
  readonly policy: 'AmazonEKSViewPolicy' | 'AmazonEKSEditPolicy' | 'AmazonEKSAdminPolicy' | 'AmazonEKSClusterAdminPolicy';
  /** Namespaces the policy is scoped to; cluster-wide when empty. @default cluster-wide */
  readonly namespaces?: string[];
}

export interface RoleMapping {
  readonly roleArn: string;
  readonly username: string;
  readonly groups: string[];
}

export interface EksClusterProps {
  readonly vpc: ec2.IVpc;
  /** The cluster name. */
  readonly clusterName: string;
  /** Kubernetes minor version. @default the newest version with a published kubectl layer */
  readonly version?: string;
  /** API server endpoint access. @default 'public-and-private' */
  readonly endpointAccess?: EndpointAccessMode;
  /** CIDRs allowed to reach the public endpoint. @default ['0.0.0.0/0'] */
  readonly publicAccessCidrs?: string[];
  /** Control-plane log types. @default all five: api, audit, authenticator, controllerManager, scheduler */
  readonly logging?: eks.ClusterLoggingTypes[];
  /** Role given cluster admin through an access entry. @default none */
  readonly adminRoleArn?: string;
  /** Team access entries with scoped policies. @default none */
  readonly teams?: TeamAccess[];
  /** How nodes are provided: managed node groups + Karpenter, or EKS Auto Mode with its built-in node pools. @default 'nodegroups' */
  readonly compute?: ComputeMode;
  /** Allow aws-auth mappings into system:masters. @default false */
  readonly allowSystemMasters?: boolean;
}

const ACCESS_POLICY_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';

/**
 * The EKS cluster (aws-eks-v2): secrets envelope-encrypted with a rotating KMS key, all control-plane logs,
 * access entries in API_AND_CONFIG_MAP mode, and an explicit choice between node groups + Karpenter and Auto Mode.
 */
export class EksCluster extends Construct {
  public readonly cluster: eks.Cluster;
  public readonly clusterName: string;
  public readonly kubernetesVersion: string;
  public readonly secretsKey: kms.Key;
  public readonly compute: ComputeMode;
  /** The cluster's IAM OIDC provider (the native AWS::IAM::OIDCProvider construct), for IRSA. */
  public readonly oidcProvider: eks.OidcProviderNative;
  private readonly roleMappings: RoleMapping[] = [];
  private readonly allowSystemMasters: boolean;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const version = props.version ?? DEFAULT_KUBERNETES_VERSION;
    const pin = KUBERNETES_VERSIONS[version];
    if (!pin) throw constructError(this, 'version', `must be one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')} (versions with a kubectl layer), got '${version}'`);
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(props.clusterName)) {
      throw constructError(this, 'clusterName', `must be 1-100 letters, digits, - or _ starting with a letter or digit, got '${props.clusterName}'`);
    }
    this.kubernetesVersion = version;
    this.clusterName = props.clusterName;
    this.compute = props.compute ?? 'nodegroups';
    this.allowSystemMasters = props.allowSystemMasters ?? false;
    this.secretsKey = new kms.Key(this, 'SecretsKey', { enableKeyRotation: true, description: `EKS secrets envelope encryption for ${props.clusterName}` });
    const endpointAccess = props.endpointAccess ?? 'public-and-private';
    const logging = props.logging ?? [
      eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
      eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
    ];
    this.cluster = new eks.Cluster(this, 'Resource', {
      clusterName: props.clusterName,
      version: pin.version,
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: endpointAccess === 'private' ? eks.EndpointAccess.PRIVATE : eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...(props.publicAccessCidrs ?? ['0.0.0.0/0'])),
      clusterLogging: logging,
      secretsEncryptionKey: this.secretsKey,
      kubectlProviderOptions: { kubectlLayer: pin.kubectlLayer(this, 'KubectlLayer') },
      // aws-eks-v2 defaults to Auto Mode; make the choice explicit.
      defaultCapacityType: this.compute === 'auto-mode' ? eks.DefaultCapacityType.AUTOMODE : eks.DefaultCapacityType.NODEGROUP,
      // Auto Mode refuses defaultCapacity; with node groups, 0 stops aws-eks-v2 from adding its own.
      ...(this.compute === 'auto-mode' ? { compute: { nodePools: ['system', 'general-purpose'] } } : { defaultCapacity: 0 }),
      tags: { 'karpenter.sh/discovery': props.clusterName },
    });
    // aws-eks-v2 creates clusters in API mode; API_AND_CONFIG_MAP keeps aws-auth working for teams that need it.
    (this.cluster.node.defaultChild as eks.CfnCluster).addPropertyOverride('AccessConfig.AuthenticationMode', 'API_AND_CONFIG_MAP');
    // The non-deprecated OIDC provider (cluster.openIdConnectProvider would create the deprecated custom resource).
    this.oidcProvider = new eks.OidcProviderNative(this, 'OidcProvider', { url: this.cluster.clusterOpenIdConnectIssuerUrl });
    Validations.of(this.cluster).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: 'EncryptionConfig.Resources is how aws-eks-v2 (and the EKS API) name what to encrypt: ["secrets"] is still required for secrets encryption',
    });
    this.acceptNagFindings();
    if (props.adminRoleArn) {
      this.cluster.grantAccess('AdminAccess', props.adminRoleArn, [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })]);
    }
    (props.teams ?? []).forEach((team, index) => this.addTeamAccess(`Team${index + 1}`, team));
  }

  /** cdk-nag findings on what aws-eks-v2 creates for us, with the reasons we accept them. */
  private acceptNagFindings(): void {
    // The cluster role's policies are what EKS documents for it ("Amazon EKS cluster IAM role"), plus Auto Mode's
    // compute, storage, load balancing and networking policies when Auto Mode manages the nodes.
    const clusterPolicies = ['AmazonEKSClusterPolicy', ...(this.compute === 'auto-mode' ? ['AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy'] : [])];
    acceptNagFindings(this.cluster.role, [{
      id: 'AwsSolutions-IAM4',
      reason: 'The AWS managed policies EKS documents for the cluster role; AWS updates them as the control plane gains features, which a copied inline policy would not follow.',
      appliesTo: clusterPolicies.map(awsManagedPolicyFinding),
    }]);
    // aws-eks-v2's Auto Mode node role: the node policies the Auto Mode docs list ("Auto Mode node IAM role").
    const autoModeNodeRole = this.cluster.node.children.find((c) => c.node.id.endsWith('nodePoolRole'));
    if (autoModeNodeRole) {
      acceptNagFindings(autoModeNodeRole, [{
        id: 'AwsSolutions-IAM4',
        reason: 'The AWS managed policies EKS Auto Mode documents for its node role: node registration with the cluster and ECR image pulls; Auto Mode manages the nodes, the VPC CNI and storage itself.',
        appliesTo: ['AmazonEKSWorkerNodePolicy', 'AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryPullOnly'].map(awsManagedPolicyFinding),
      }]);
    }
    const kubectlProvider = this.cluster.node.tryFindChild('KubectlProvider');
    if (!kubectlProvider) return;
    acceptNagFindings(kubectlProvider, [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'aws-cdk-lib\'s kubectl provider Lambdas (deploy-time only, never reachable from the cluster) use the AWS managed Lambda execution policies for logs and VPC ENIs, and ECR (and ECR Public, when configured) read-only to pull the kubectl image.',
        appliesTo: [
          awsManagedPolicyFinding('service-role/AWSLambdaBasicExecutionRole'), awsManagedPolicyFinding('service-role/AWSLambdaVPCAccessExecutionRole'),
          awsManagedPolicyFinding('AmazonEC2ContainerRegistryReadOnly'),
          { regex: '/^Policy::\\{"Fn::If":\\["\\w+HasEcrPublic/' },
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'The provider framework invokes its own handler Lambda by versioned ARN (<handler ARN>:*): the wildcard covers versions of that one function only.',
        appliesTo: [{ regex: '/^Resource::<\\w*KubectlProviderHandler\\w*\\.Arn>:\\*$/' }],
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The kubectl handler\'s runtime is chosen by aws-cdk-lib for the kubectl layer it bundles; it moves forward when aws-cdk-lib is upgraded (the project pins it in package.json).',
      },
    ]);
  }

  /** An access entry with one access policy, scoped to namespaces or the cluster. */
  public addTeamAccess(id: string, team: TeamAccess): void {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/.test(team.principalArn) && !team.principalArn.includes('${Token')) {
      throw constructError(this, 'teams.principalArn', `must be an IAM role or user ARN, got '${team.principalArn}'`);
    }
    const namespaces = team.namespaces ?? [];
    const scope = namespaces.length > 0 ? { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces } : { accessScopeType: eks.AccessScopeType.CLUSTER };
    if (team.policy === 'AmazonEKSClusterAdminPolicy' && namespaces.length > 0) {
      throw constructError(this, 'teams.namespaces', 'AmazonEKSClusterAdminPolicy is cluster-wide; use AmazonEKSAdminPolicy for namespaces');
    }
    new eks.AccessEntry(this, id, {
      cluster: this.cluster,
      principal: team.principalArn,
      accessPolicies: [eks.AccessPolicy.fromAccessPolicyName(team.policy, scope)],
    });
  }

  /**
   * An aws-auth ConfigMap mapping, for tools and teams that still need it. Mapping into system:masters is
   * refused unless `allowSystemMasters` is set: it grants unrevocable cluster admin outside access entries.
   */
  public addRoleMapping(mapping: RoleMapping): void {
    if (mapping.groups.includes('system:masters') && !this.allowSystemMasters) {
      throw constructError(this, 'addRoleMapping', `would grant system:masters to ${mapping.roleArn}; use an access entry with AmazonEKSClusterAdminPolicy, or set allowSystemMasters: true`);
    }
    if (this.roleMappings.length === 0) {
      const mappings = this.roleMappings;
      // Lazy, so every mapping added later lands in the one ConfigMap.
      this.cluster.addManifest('AwsAuth', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' },
        data: { mapRoles: Lazy.string({ produce: () => renderMapRoles(mappings) }) },
      });
    }
    this.roleMappings.push(mapping);
  }

  /** Grants a role to be used as a node role (access entry of type EC2_LINUX). */
  public addNodeRole(id: string, role: iam.IRole): eks.AccessEntry {
    return new eks.AccessEntry(this, id, { cluster: this.cluster, principal: role.roleArn, accessEntryType: eks.AccessEntryType.EC2_LINUX, accessPolicies: [] });
  }

  public get accessPolicyArnPrefix(): string {
    return ACCESS_POLICY_PREFIX;
  }
}

/** The aws-auth `mapRoles` YAML (aws-iam-authenticator format). */
export function renderMapRoles(mappings: readonly RoleMapping[]): string {
  return mappings.map((m) => `- rolearn: ${m.roleArn}\n  username: ${m.username}\n  groups:\n${m.groups.map((g) => `    - ${g}`).join('\n')}\n`).join('');
}

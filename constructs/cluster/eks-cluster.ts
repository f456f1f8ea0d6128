import { ArnFormat, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ipv4CidrProblem, isAnyAddress } from '../cidr';
import { constructError } from '../errors';
import { acceptNagFindings, awsManagedPolicyFinding } from '../nag';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from './versions';

export type EndpointAccessMode = 'public-and-private' | 'private';
export type ComputeMode = 'nodegroups' | 'auto-mode';
/** EKS cluster authentication modes this construct creates (CONFIG_MAP alone is refused: access entries need API). */
export type AuthenticationMode = 'API' | 'API_AND_CONFIG_MAP';

/** An explicit, reviewed opt-in to a public API endpoint reachable from any address. */
export interface OpenPublicEndpoint {
  /** Why the API server must be reachable from the whole internet (a reviewer reads it); at least 20 characters. */
  readonly reason: string;
}

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
  /**
   * API server endpoint access. 'private' keeps the API inside the VPC (EKS Best Practices, "Make the EKS
   * cluster endpoint private"); 'public-and-private' also opens it to `publicAccessCidrs`.
   * @default 'private'
   */
  readonly endpointAccess?: EndpointAccessMode;
  /**
   * CIDRs allowed to reach the public endpoint; required with 'public-and-private'. 0.0.0.0/0 (or ::/0) is
   * refused unless `openPublicEndpoint` says why.
   * @default none (no public endpoint)
   */
  readonly publicAccessCidrs?: string[];
  /** Accept 0.0.0.0/0 in `publicAccessCidrs`, with the reason. @default refused */
  readonly openPublicEndpoint?: OpenPublicEndpoint;
  /** Control-plane log types. @default all five: api, audit, authenticator, controllerManager, scheduler */
  readonly logging?: eks.ClusterLoggingTypes[];
  /** Retention in days of the control-plane log group `/aws/eks/<name>/cluster` (created here, KMS-encrypted); a CloudWatch Logs retention value. @default 90 */
  readonly logRetentionDays?: number;
  /**
   * How the cluster authenticates IAM principals. 'API' uses access entries only; 'API_AND_CONFIG_MAP' also
   * reads the aws-auth ConfigMap. EKS only moves forward (API_AND_CONFIG_MAP → API), never back.
   * @default 'API_AND_CONFIG_MAP' when `roleMappings` are given, else 'API'
   */
  readonly authenticationMode?: AuthenticationMode;
  /** aws-auth ConfigMap role mappings, for tools that still need them (needs API_AND_CONFIG_MAP). @default none */
  readonly roleMappings?: RoleMapping[];
  /**
   * Give the IAM principal that creates the cluster (the CloudFormation deployment role) cluster admin through
   * an access entry. aws-eks-v2's kubectl provider has its own access entry, so the platform needs none;
   * turn it on only when people administer the cluster through the deployment role.
   * @default false
   */
  readonly bootstrapClusterCreatorAdminPermissions?: boolean;
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
 * The EKS cluster (aws-eks-v2): a private API endpoint unless public CIDRs are named, secrets envelope-encrypted
 * with a rotating KMS key, all control-plane logs into a KMS-encrypted log group with retention, access entries
 * only (API mode) unless aws-auth mappings are asked for, and an explicit choice between node groups +
 * Karpenter and Auto Mode.
 */
export class EksCluster extends Construct {
  public readonly cluster: eks.Cluster;
  public readonly clusterName: string;
  public readonly kubernetesVersion: string;
  public readonly secretsKey: kms.Key;
  /** The control-plane log group `/aws/eks/<name>/cluster`, when any log type is on. */
  public readonly logGroup?: logs.LogGroup;
  public readonly compute: ComputeMode;
  public readonly authenticationMode: AuthenticationMode;
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
    const endpointAccess = this.endpointAccess(props);
    this.authenticationMode = props.authenticationMode ?? ((props.roleMappings ?? []).length > 0 ? 'API_AND_CONFIG_MAP' : 'API');
    if (!['API', 'API_AND_CONFIG_MAP'].includes(this.authenticationMode)) {
      throw constructError(this, 'authenticationMode', `must be 'API' or 'API_AND_CONFIG_MAP' (access entries need API), got '${this.authenticationMode}'`);
    }
    const logging = props.logging ?? [
      eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
      eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
    ];
    this.cluster = new eks.Cluster(this, 'Resource', {
      clusterName: props.clusterName,
      version: pin.version,
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess,
      clusterLogging: logging,
      secretsEncryptionKey: this.secretsKey,
      bootstrapClusterCreatorAdminPermissions: props.bootstrapClusterCreatorAdminPermissions ?? false,
      kubectlProviderOptions: { kubectlLayer: pin.kubectlLayer(this, 'KubectlLayer') },
      // aws-eks-v2 defaults to Auto Mode; make the choice explicit.
      defaultCapacityType: this.compute === 'auto-mode' ? eks.DefaultCapacityType.AUTOMODE : eks.DefaultCapacityType.NODEGROUP,
      // Auto Mode refuses defaultCapacity; with node groups, 0 stops aws-eks-v2 from adding its own.
      ...(this.compute === 'auto-mode' ? { compute: { nodePools: ['system', 'general-purpose'] } } : { defaultCapacity: 0 }),
      tags: { 'karpenter.sh/discovery': props.clusterName },
    });
    // aws-eks-v2 always writes API; API_AND_CONFIG_MAP only when aws-auth mappings were asked for.
    (this.cluster.node.defaultChild as eks.CfnCluster).addPropertyOverride('AccessConfig.AuthenticationMode', this.authenticationMode);
    const retentionDays = props.logRetentionDays ?? 90;
    const retention = Object.values(logs.RetentionDays).find((value) => value === retentionDays && value !== logs.RetentionDays.INFINITE);
    if (retention === undefined) {
      throw constructError(this, 'logRetentionDays', `must be a CloudWatch Logs retention (${Object.values(logs.RetentionDays).filter((v) => typeof v === 'number' && v !== logs.RetentionDays.INFINITE).join(', ')}), got ${retentionDays}`);
    }
    if (logging.length > 0) this.logGroup = this.controlPlaneLogGroup(props.clusterName, retention as logs.RetentionDays);
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
    for (const mapping of props.roleMappings ?? []) this.addRoleMapping(mapping);
  }

  /** The endpoint setting: private unless public CIDRs are named; 0.0.0.0/0 only with a stated reason. */
  private endpointAccess(props: EksClusterProps): eks.EndpointAccess {
    const mode = props.endpointAccess ?? 'private';
    if (mode !== 'private' && mode !== 'public-and-private') throw constructError(this, 'endpointAccess', `must be 'private' or 'public-and-private', got '${String(mode)}'`);
    const cidrs = props.publicAccessCidrs ?? [];
    if (mode === 'private') {
      if (cidrs.length > 0) throw constructError(this, 'publicAccessCidrs', "only apply with endpointAccess 'public-and-private'; the endpoint is private");
      if (props.openPublicEndpoint) throw constructError(this, 'openPublicEndpoint', "only applies with endpointAccess 'public-and-private'; the endpoint is private");
      return eks.EndpointAccess.PRIVATE;
    }
    if (cidrs.length === 0) {
      throw constructError(this, 'publicAccessCidrs', "must name the CIDRs allowed to reach the public endpoint (e.g. your office or CI egress '203.0.113.0/24'), or use endpointAccess 'private'");
    }
    for (const cidr of cidrs) {
      const problem = isAnyAddress(cidr) ? undefined : ipv4CidrProblem(cidr);
      if (problem) throw constructError(this, 'publicAccessCidrs', `'${cidr}' ${problem}`);
    }
    const open = cidrs.filter(isAnyAddress);
    if (open.length > 0) {
      const reason = props.openPublicEndpoint?.reason?.trim() ?? '';
      if (reason.length < 20) {
        throw constructError(this, 'publicAccessCidrs', `'${open[0]}' opens the Kubernetes API to the whole internet; name narrower CIDRs, or set openPublicEndpoint: { reason: '...' } (at least 20 characters) to accept it`);
      }
    } else if (props.openPublicEndpoint) {
      throw constructError(this, 'openPublicEndpoint', 'is set but publicAccessCidrs has no 0.0.0.0/0; remove it');
    }
    return eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...cidrs);
  }

  /**
   * `/aws/eks/<name>/cluster`, created before the cluster so EKS writes into it (instead of creating one with
   * no retention), encrypted with its own rotating key that only this log group's CloudWatch Logs context may use.
   */
  private controlPlaneLogGroup(clusterName: string, retention: logs.RetentionDays): logs.LogGroup {
    const stack = Stack.of(this);
    const logGroupName = `/aws/eks/${clusterName}/cluster`;
    const key = new kms.Key(this, 'LogsKey', { enableKeyRotation: true, description: `EKS control-plane logs of ${clusterName}` });
    // CloudWatch Logs uses the key on the log group's behalf (CloudWatch Logs docs, "Encrypt log data using AWS KMS").
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }));
    const logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', { logGroupName, retention, encryptionKey: key });
    this.cluster.node.addDependency(logGroup);
    return logGroup;
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
   * An aws-auth ConfigMap mapping, for tools and teams that still need it; only with authenticationMode
   * 'API_AND_CONFIG_MAP'. Mapping into system:masters is refused unless `allowSystemMasters` is set: it grants
   * unrevocable cluster admin outside access entries.
   */
  public addRoleMapping(mapping: RoleMapping): void {
    if (this.authenticationMode !== 'API_AND_CONFIG_MAP') {
      throw constructError(this, 'addRoleMapping', `needs authenticationMode 'API_AND_CONFIG_MAP' (the cluster uses '${this.authenticationMode}', which ignores aws-auth); prefer an access entry (teams, adminRoleArn)`);
    }
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


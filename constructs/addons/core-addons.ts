import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { pinnedAddonVersion } from '../../simulation/catalog/addon-versions';
import { constructError } from '../errors';
import { IrsaServiceAccount } from '../identity/irsa-service-account';
import { podIdentityPrincipal } from '../identity/pod-identity-role';
import { acceptNagFindings, awsManagedPolicyFinding } from '../nag';

export interface VpcCniOptions {
  /** ENABLE_PREFIX_DELEGATION: /28 prefixes per ENI slot, for pod density on Nitro. @default false */
  readonly prefixDelegation?: boolean;
  /** WARM_PREFIX_TARGET (prefix mode). @default 1 when prefix delegation is on */
  readonly warmPrefixTarget?: number;
  /** WARM_IP_TARGET: free addresses to keep per node. @default unset (WARM_ENI_TARGET=1 applies) */
  readonly warmIpTarget?: number;
  /** MINIMUM_IP_TARGET: addresses to hold per node at least. @default unset */
  readonly minimumIpTarget?: number;
  /** WARM_ENI_TARGET. @default 1 */
  readonly warmEniTarget?: number;
  /** Custom networking: pod ENIs in these subnets, one ENIConfig per AZ (name = AZ). @default off */
  readonly podSubnets?: { availabilityZone: string; subnetId: string }[];
  /** Security group for pod ENIs under custom networking. @default the cluster security group */
  readonly podSecurityGroupId?: string;
  /**
   * Enforce Kubernetes NetworkPolicies with the VPC CNI's network policy agent (add-on configuration
   * `enableNetworkPolicy`; EKS docs, "Limit Pod traffic with Kubernetes network policies").
   * @default true
   */
  readonly networkPolicy?: boolean;
}

export interface CoreAddonsProps {
  readonly cluster: eks.Cluster;
  /** The cluster's IAM OIDC provider: aws-node (the VPC CNI) gets its own IRSA role through it. */
  readonly oidcProvider: iam.IOpenIdConnectProvider;
  readonly kubernetesVersion: string;
  readonly vpcCni?: VpcCniOptions;
  /** Install the EBS CSI driver (with its Pod Identity role). @default true */
  readonly ebsCsiDriver?: boolean;
}

/**
 * The core EKS managed add-ons, versions pinned per Kubernetes version: vpc-cni (with its configuration, network
 * policy enforcement, and its own IRSA role for aws-node so the node role carries no CNI permissions),
 * coredns, kube-proxy, eks-pod-identity-agent and aws-ebs-csi-driver (Pod Identity role with the AWS
 * managed AmazonEBSCSIDriverPolicy).
 */
export class CoreAddons extends Construct {
  public readonly vpcCni: eks.Addon;
  public readonly podIdentityAgent: eks.Addon;
  public readonly ebsCsiRole?: iam.Role;
  /** aws-node's IRSA role with AmazonEKS_CNI_Policy (EKS docs, "Configure Amazon VPC CNI plugin to use IRSA"). */
  public readonly vpcCniRole: iam.Role;
  /** The env the vpc-cni add-on runs with. */
  public readonly vpcCniEnv: Record<string, string>;

  constructor(scope: Construct, id: string, props: CoreAddonsProps) {
    super(scope, id);
    const cni = props.vpcCni ?? {};
    for (const key of ['warmPrefixTarget', 'warmIpTarget', 'minimumIpTarget', 'warmEniTarget'] as const) {
      const value = cni[key];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw constructError(this, `vpcCni.${key}`, `must be a non-negative integer, got ${value}`);
    }
    if (cni.warmPrefixTarget !== undefined && !cni.prefixDelegation) throw constructError(this, 'vpcCni.warmPrefixTarget', 'only applies with prefixDelegation: true');
    const env: Record<string, string> = { ENABLE_PREFIX_DELEGATION: String(Boolean(cni.prefixDelegation)) };
    if (cni.prefixDelegation) env.WARM_PREFIX_TARGET = String(cni.warmPrefixTarget ?? 1);
    if (cni.warmIpTarget !== undefined) env.WARM_IP_TARGET = String(cni.warmIpTarget);
    if (cni.minimumIpTarget !== undefined) env.MINIMUM_IP_TARGET = String(cni.minimumIpTarget);
    if (cni.warmEniTarget !== undefined) env.WARM_ENI_TARGET = String(cni.warmEniTarget);
    const custom = (cni.podSubnets ?? []).length > 0;
    if (custom) {
      env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = 'true';
      // ENIConfigs named after the AZ, selected by the zone label (VPC CNI docs, "Custom networking").
      env.ENI_CONFIG_LABEL_DEF = 'topology.kubernetes.io/zone';
    }
    this.vpcCniEnv = env;

    const version = (name: string) => pinnedAddonVersion(props.kubernetesVersion, name);
    // aws-node assigns pod IPs with its own role (IRSA on kube-system/aws-node), not the node role: pods that
    // reach the node's credentials then cannot change ENIs (EKS Best Practices, "Update the aws-node daemonset to use IRSA").
    const cniIdentity = new IrsaServiceAccount(this, 'VpcCniIdentity', { oidcProvider: props.oidcProvider, namespace: 'kube-system', serviceAccountName: 'aws-node' });
    this.vpcCniRole = cniIdentity.role;
    this.vpcCniRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKS_CNI_Policy'));
    acceptNagFindings(this.vpcCniRole, [{
      id: 'AwsSolutions-IAM4',
      reason: 'AmazonEKS_CNI_Policy is the policy AWS documents for the VPC CNI (aws-node): ENI and IP address management that AWS updates with the plugin; here it sits on aws-node\'s own IRSA role instead of the node role.',
      appliesTo: [awsManagedPolicyFinding('AmazonEKS_CNI_Policy')],
    }]);
    this.vpcCni = new eks.Addon(this, 'VpcCni', {
      cluster: props.cluster, addonName: 'vpc-cni', addonVersion: version('vpc-cni'),
      configurationValues: { env, ...((cni.networkPolicy ?? true) ? { enableNetworkPolicy: 'true' } : {}) },
    });
    (this.vpcCni.node.defaultChild as eks.CfnAddon).serviceAccountRoleArn = this.vpcCniRole.roleArn;
    new eks.Addon(this, 'CoreDns', { cluster: props.cluster, addonName: 'coredns', addonVersion: version('coredns') });
    new eks.Addon(this, 'KubeProxy', { cluster: props.cluster, addonName: 'kube-proxy', addonVersion: version('kube-proxy') });
    this.podIdentityAgent = new eks.Addon(this, 'PodIdentityAgent', { cluster: props.cluster, addonName: 'eks-pod-identity-agent', addonVersion: version('eks-pod-identity-agent') });

    if (custom) {
      const securityGroup = cni.podSecurityGroupId ?? props.cluster.clusterSecurityGroupId;
      const configs = (cni.podSubnets ?? []).map((s) => ({
        apiVersion: 'crd.k8s.amazonaws.com/v1alpha1', kind: 'ENIConfig', metadata: { name: s.availabilityZone },
        spec: { subnet: s.subnetId, securityGroups: [securityGroup] },
      }));
      const manifest = props.cluster.addManifest('EniConfigs', ...configs);
      manifest.node.addDependency(this.vpcCni);
    }

    if (props.ebsCsiDriver ?? true) {
      this.ebsCsiRole = new iam.Role(this, 'EbsCsiRole', {
        assumedBy: podIdentityPrincipal(this, props.cluster),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy')],
      });
      acceptNagFindings(this.ebsCsiRole, [{
        id: 'AwsSolutions-IAM4',
        reason: 'AmazonEBSCSIDriverPolicy is the policy the EBS CSI driver add-on documents; it is scoped by the ebs.csi.aws.com/cluster and CSIVolumeName tag conditions and AWS updates it with the driver.',
        appliesTo: [awsManagedPolicyFinding('service-role/AmazonEBSCSIDriverPolicy')],
      }]);
      const ebs = new eks.Addon(this, 'EbsCsiDriver', { cluster: props.cluster, addonName: 'aws-ebs-csi-driver', addonVersion: version('aws-ebs-csi-driver') });
      // The add-on's own Pod Identity association for its controller service account.
      (ebs.node.defaultChild as eks.CfnAddon).podIdentityAssociations = [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: this.ebsCsiRole.roleArn }];
      ebs.node.addDependency(this.podIdentityAgent);
    }
  }
}

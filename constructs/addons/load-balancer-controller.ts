import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CHARTS } from '../cluster/versions';
import { acceptNagFindings } from '../nag';

export interface LoadBalancerControllerProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly vpcId: string;
  readonly region: string;
  /** Helm values merged over the defaults (deep merge). @default none */
  readonly values?: Record<string, unknown>;
}

const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The permissions the AWS Load Balancer Controller needs, following its published iam_policy.json
 * (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json): read-only discovery,
 * security groups and load balancers it creates (request tag), and changes only to resources it tagged.
 */
export function loadBalancerControllerStatements(): iam.PolicyStatement[] {
  const requestTagged = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } };
  const resourceTagged = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } };
  return [
    new iam.PolicyStatement({ actions: ['iam:CreateServiceLinkedRole'], resources: ['*'], conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } } }),
    new iam.PolicyStatement({
      actions: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools', 'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      actions: [
        'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate',
        'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({ actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], resources: ['*'] }),
    new iam.PolicyStatement({ actions: ['ec2:CreateSecurityGroup'], resources: ['*'] }),
    new iam.PolicyStatement({
      actions: ['ec2:CreateTags'], resources: ['arn:aws:ec2:*:*:security-group/*'],
      conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...requestTagged },
    }),
    new iam.PolicyStatement({
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'], resources: ['arn:aws:ec2:*:*:security-group/*'],
      conditions: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
    }),
    new iam.PolicyStatement({ actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], resources: ['*'], conditions: resourceTagged }),
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], resources: ['*'], conditions: requestTagged }),
    new iam.PolicyStatement({
      actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'],
      conditions: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
    }),
    new iam.PolicyStatement({
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
      ],
      resources: ['*'], conditions: resourceTagged,
    }),
    new iam.PolicyStatement({
      actions: ['elasticloadbalancing:AddTags'],
      resources: ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'],
      conditions: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, ...requestTagged },
    }),
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], resources: ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'] }),
    new iam.PolicyStatement({
      actions: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
      resources: ['*'],
    }),
  ];
}

/** The AWS Load Balancer Controller: Helm chart (pinned), its IAM policy, and a Pod Identity role for its service account. */
export class LoadBalancerController extends Construct {
  public readonly role: iam.Role;
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags() });
    const policy = new iam.Policy(this, 'Policy', { statements: loadBalancerControllerStatements() });
    this.role.attachInlinePolicy(policy);
    acceptNagFindings(policy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'The upstream AWS Load Balancer Controller policy (docs/install/iam_policy.json): load balancers, target groups and security groups are created at run time, so their ARNs are wildcards narrowed by the elbv2.k8s.aws/cluster request and resource tag conditions.',
      appliesTo: [
        'Resource::*', 'Resource::arn:aws:ec2:*:*:security-group/*', 'Resource::arn:aws:elasticloadbalancing:*:*:targetgroup/*/*',
        'Resource::arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*', 'Resource::arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*',
      ],
    }]);
    const association = new eks.CfnPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: props.cluster.clusterName, namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', roleArn: this.role.roleArn,
    });
    this.chart = props.cluster.addHelmChart('AwsLoadBalancerController', {
      ...CHARTS.awsLoadBalancerController,
      release: 'aws-load-balancer-controller',
      namespace: 'kube-system',
      values: deepMerge({
        clusterName: props.clusterName,
        region: props.region,
        vpcId: props.vpcId,
        replicaCount: 2,
        serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        podDisruptionBudget: { maxUnavailable: 1 },
      }, props.values ?? {}),
    });
    this.chart.node.addDependency(association);
  }
}

/** User values deep-merged over defaults: objects merge, anything else replaces. */
export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

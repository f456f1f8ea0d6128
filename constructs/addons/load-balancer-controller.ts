import { Aws } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CHARTS } from '../cluster/versions';
import { podIdentityPrincipal } from '../identity/pod-identity-role';
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

export interface LoadBalancerControllerPolicyProps {
  /** The cluster name: the value the controller writes into the elbv2.k8s.aws/cluster tag. */
  readonly clusterName: string;
  /** The cluster's VPC: the only VPC whose security groups the controller may change. */
  readonly vpcId: string;
}

/**
 * The permissions the AWS Load Balancer Controller needs, statement by statement as its published
 * iam_policy.json (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json), narrowed where the
 * controller still works:
 * - security-group ingress changes only in the cluster's VPC (`ec2:Vpc`, the scoping upstream's installation
 *   guide recommends), security groups created only in that VPC and only with the cluster tag;
 * - every tag condition names this cluster (`elbv2.k8s.aws/cluster` = cluster name, which the controller writes on
 *   every resource it creates) instead of "any cluster" (upstream's `Null` test);
 * - listener and rule create/delete/modify only on listeners and rules tagged for this cluster (the controller's
 *   ListenerRulesTagging feature, on by default and set explicitly in the chart values here).
 * The wildcards that remain are listed, with the reason, in the README (security section).
 */
export function loadBalancerControllerStatements(props: LoadBalancerControllerPolicyProps): iam.PolicyStatement[] {
  const partition = Aws.PARTITION;
  const region = Aws.REGION;
  const account = Aws.ACCOUNT_ID;
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:${region}:${account}:${resource}`;
  const vpcArn = `arn:${partition}:ec2:${region}:${account}:vpc/${props.vpcId}`;
  const securityGroups = `arn:${partition}:ec2:${region}:${account}:security-group/*`;
  const ours = { [`aws:ResourceTag/${CLUSTER_TAG}`]: props.clusterName };
  const requestOurs = { [`aws:RequestTag/${CLUSTER_TAG}`]: props.clusterName };
  // Tag changes that keep the cluster tag itself untouched (upstream: RequestTag Null true).
  const tagOthersOnOurs = { StringEquals: ours, Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true' } };
  const loadBalancersAndTargetGroups = [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
  const listenersAndRules = [elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')];
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
    // Upstream: on any security group. The controller opens the node/pod security groups (not its own) to
    // its load balancers, so no tag applies; the VPC does (upstream installation guide, "scoping down").
    new iam.PolicyStatement({ actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], resources: [securityGroups], conditions: { ArnEquals: { 'ec2:Vpc': vpcArn } } }),
    // Upstream: CreateSecurityGroup on *. CreateSecurityGroup is authorized on the VPC and on the new group, so
    // one statement each: the cluster's VPC only, and a new group only with this cluster's tag (the controller
    // tags on create: pkg/deploy/ec2/security_group_manager.go, pkg/networking/backend_sg_provider.go).
    new iam.PolicyStatement({ actions: ['ec2:CreateSecurityGroup'], resources: [vpcArn] }),
    new iam.PolicyStatement({ actions: ['ec2:CreateSecurityGroup'], resources: [securityGroups], conditions: { StringEquals: requestOurs } }),
    new iam.PolicyStatement({
      actions: ['ec2:CreateTags'], resources: [securityGroups],
      conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...requestOurs } },
    }),
    new iam.PolicyStatement({ actions: ['ec2:CreateTags', 'ec2:DeleteTags'], resources: [securityGroups], conditions: tagOthersOnOurs }),
    new iam.PolicyStatement({ actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], resources: [securityGroups], conditions: { StringEquals: ours } }),
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], resources: ['*'], conditions: { StringEquals: requestOurs } }),
    // Upstream: listener and rule create/delete on * with no condition. Listeners and rules carry the cluster
    // tag from creation (ListenerRulesTagging): create only with it, delete only what has it.
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateRule'], resources: ['*'], conditions: { StringEquals: requestOurs } }),
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:DeleteListener', 'elasticloadbalancing:DeleteRule'], resources: listenersAndRules, conditions: { StringEquals: ours } }),
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], resources: loadBalancersAndTargetGroups, conditions: tagOthersOnOurs }),
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], resources: listenersAndRules, conditions: tagOthersOnOurs }),
    new iam.PolicyStatement({
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
      ],
      resources: ['*'], conditions: { StringEquals: ours },
    }),
    new iam.PolicyStatement({
      actions: ['elasticloadbalancing:AddTags'],
      resources: [...loadBalancersAndTargetGroups, ...listenersAndRules],
      conditions: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer', 'CreateListener', 'CreateRule'], ...requestOurs } },
    }),
    // Targets are pod IPs registered into the controller's own target groups.
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], resources: [elb('targetgroup/*/*')], conditions: { StringEquals: ours } }),
    // Upstream: on * with no condition. The listeners, rules and load balancers they change are the controller's own.
    new iam.PolicyStatement({
      actions: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
      resources: ['*'], conditions: { StringEquals: ours },
    }),
  ];
}

/** The AWS Load Balancer Controller: Helm chart (pinned), its IAM policy, and a Pod Identity role for its service account. */
export class LoadBalancerController extends Construct {
  public readonly role: iam.Role;
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', { assumedBy: podIdentityPrincipal(this, props.cluster) });
    const policy = new iam.Policy(this, 'Policy', { statements: loadBalancerControllerStatements({ clusterName: props.clusterName, vpcId: props.vpcId }) });
    this.role.attachInlinePolicy(policy);
    acceptNagFindings(policy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'The upstream AWS Load Balancer Controller policy (docs/install/iam_policy.json), narrowed: load balancers, target groups, listeners, rules and security groups are created at run time, so their ARNs are wildcards in this account and region, each narrowed by the elbv2.k8s.aws/cluster tag equal to this cluster or the ec2:Vpc of this cluster; Describe*, ACM, WAF and Shield reads take no resource.',
      appliesTo: [
        'Resource::*', 'Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:security-group/*',
        ...['targetgroup/*/*', 'loadbalancer/net/*/*', 'loadbalancer/app/*/*', 'listener/net/*/*/*', 'listener/app/*/*/*', 'listener-rule/net/*/*/*', 'listener-rule/app/*/*/*']
          .map((resource) => `Resource::arn:<AWS::Partition>:elasticloadbalancing:<AWS::Region>:<AWS::AccountId>:${resource}`),
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
        // The IAM policy lets the controller delete and change only listeners and rules tagged for this cluster.
        controllerConfig: { featureGates: { ListenerRulesTagging: true } },
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

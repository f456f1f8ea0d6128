import { CfnJson, Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deepMerge } from '../addons/load-balancer-controller';
import { CHARTS } from '../cluster/versions';
import { podIdentityPrincipal } from '../identity/pod-identity-role';
import { constructError } from '../errors';
import { acceptNagFindings, NODE_ROLE_ACCEPTANCE, NODE_ROLE_POLICIES } from '../nag';
import { Ec2NodeClass, type Ec2NodeClassOptions } from './ec2-node-class';
import { karpenterControllerStatements } from './karpenter-policy';
import { NodePool, type NodePoolOptions } from './node-pool';

export interface KarpenterProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  /** The cluster's IAM OIDC provider; required for IRSA. @default none */
  readonly oidcProvider?: iam.IOpenIdConnectProvider;
  /** How the controller gets AWS credentials. @default 'pod-identity' */
  readonly identity?: 'pod-identity' | 'irsa';
  /** Namespace of the controller. @default 'karpenter' */
  readonly namespace?: string;
  /** Chart version. @default the pinned Karpenter 1.x chart */
  readonly chartVersion?: string;
  /** Node selector for the controller pods (the system node group). @default none */
  readonly controllerNodeSelector?: Record<string, string>;
  /** Helm values deep-merged over the defaults. @default none */
  readonly values?: Record<string, unknown>;
}

const SERVICE_ACCOUNT = 'karpenter';

/**
 * Karpenter v1: controller role with the upstream least-privilege policy (Pod Identity or IRSA), node role
 * with an EC2_LINUX access entry, the SQS interruption queue fed by EventBridge (spot interruption,
 * rebalance, instance state change, scheduled change), and the Helm chart, which installs the CRDs that
 * NodePools and EC2NodeClasses need first.
 */
export class Karpenter extends Construct {
  public readonly controllerRole: iam.Role;
  public readonly nodeRole: iam.Role;
  public readonly queue: sqs.Queue;
  public readonly chart: eks.HelmChart;
  public readonly namespace: string;
  private readonly cluster: eks.Cluster;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.namespace = props.namespace ?? 'karpenter';
    const chartVersion = props.chartVersion ?? CHARTS.karpenter.version;
    if (!/^1\.\d+\.\d+$/.test(chartVersion)) throw constructError(this, 'chartVersion', `must be a Karpenter 1.x chart version like '1.14.1', got '${chartVersion}'`);

    this.nodeRole = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: NODE_ROLE_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    acceptNagFindings(this.nodeRole, [NODE_ROLE_ACCEPTANCE]);
    const nodeAccess = new eks.AccessEntry(this, 'NodeAccess', {
      cluster: props.cluster, principal: this.nodeRole.roleArn, accessEntryType: eks.AccessEntryType.EC2_LINUX, accessPolicies: [],
    });

    this.queue = new sqs.Queue(this, 'InterruptionQueue', {
      queueName: `${props.clusterName}-karpenter`,
      retentionPeriod: Duration.minutes(5),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acceptNagFindings(this.queue, [{
      id: 'AwsSolutions-SQS3',
      reason: 'EventBridge delivers interruption events here and Karpenter deletes every message it reads, including ones it cannot parse; a 5-minute retention (as upstream) drops stale events, so a DLQ would only collect expired notices.',
    }]);
    const rules: [string, events.EventPattern][] = [
      ['SpotInterruption', { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] }],
      ['Rebalance', { source: ['aws.ec2'], detailType: ['EC2 Instance Rebalance Recommendation'] }],
      ['InstanceStateChange', { source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'] }],
      ['ScheduledChange', { source: ['aws.health'], detailType: ['AWS Health Event'] }],
    ];
    for (const [ruleId, eventPattern] of rules) {
      new events.Rule(this, `${ruleId}Rule`, { eventPattern, targets: [new targets.SqsQueue(this.queue)] });
    }

    if (props.identity === 'irsa' && !props.oidcProvider) throw constructError(this, 'oidcProvider', "is required when identity is 'irsa'");
    const oidc = props.oidcProvider as iam.IOpenIdConnectProvider;
    const principal = props.identity === 'irsa'
      ? new iam.OpenIdConnectPrincipal(oidc).withConditions({
        StringEquals: new CfnJson(this, 'IrsaCondition', {
          value: {
            [`${oidc.openIdConnectProviderIssuer}:sub`]: `system:serviceaccount:${this.namespace}:${SERVICE_ACCOUNT}`,
            [`${oidc.openIdConnectProviderIssuer}:aud`]: 'sts.amazonaws.com',
          },
        }),
      })
      : podIdentityPrincipal(this, props.cluster);
    this.controllerRole = new iam.Role(this, 'ControllerRole', { assumedBy: principal });
    const policy = new iam.Policy(this, 'ControllerPolicy', {
      statements: karpenterControllerStatements({ clusterName: props.clusterName, clusterArn: props.cluster.clusterArn, nodeRoleArn: this.nodeRole.roleArn, queueArn: this.queue.queueArn }),
    });
    this.controllerRole.attachInlinePolicy(policy);
    acceptNagFindings(policy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'The upstream Karpenter controller policy (karpenter-provider-aws cloudformation.yaml): EC2 launch, tag and terminate actions act on instances that do not exist yet, so they take resource wildcards narrowed by aws:RequestTag/aws:ResourceTag conditions on this cluster\'s kubernetes.io/cluster tag and the karpenter.sh/nodepool tag; instance-profile and SSM parameter wildcards are scoped to the account and region.',
      appliesTo: [
        'Resource::*',
        ...['image', 'snapshot'].map((type) => `Resource::arn:<AWS::Partition>:ec2:<AWS::Region>::${type}/*`),
        ...['security-group', 'subnet', 'capacity-reservation', 'launch-template', 'fleet', 'instance', 'volume', 'network-interface', 'spot-instances-request']
          .map((type) => `Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:*:${type}/*`),
        'Resource::arn:<AWS::Partition>:ssm:<AWS::Region>::parameter/aws/service/*',
        'Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*',
      ],
    }]);

    const dependencies: Construct[] = [policy, nodeAccess];
    if (props.identity !== 'irsa') {
      dependencies.push(new eks.CfnPodIdentityAssociation(this, 'PodIdentity', {
        clusterName: props.cluster.clusterName, namespace: this.namespace, serviceAccount: SERVICE_ACCOUNT, roleArn: this.controllerRole.roleArn,
      }));
    }

    this.chart = props.cluster.addHelmChart('KarpenterChart', {
      ...CHARTS.karpenter,
      version: chartVersion,
      release: 'karpenter',
      namespace: this.namespace,
      createNamespace: true,
      values: deepMerge({
        settings: { clusterName: props.clusterName, interruptionQueue: this.queue.queueName },
        serviceAccount: {
          name: SERVICE_ACCOUNT,
          ...(props.identity === 'irsa' ? { annotations: { 'eks.amazonaws.com/role-arn': this.controllerRole.roleArn } } : {}),
        },
        replicas: 2,
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        ...(props.controllerNodeSelector ? { nodeSelector: props.controllerNodeSelector } : {}),
        controller: { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '512Mi' } } },
      }, props.values ?? {}),
    });
    for (const dependency of dependencies) this.chart.node.addDependency(dependency);
  }

  /** A NodePool applied after the Karpenter CRDs. */
  public addNodePool(id: string, options: NodePoolOptions): NodePool {
    return new NodePool(this, id, { ...options, cluster: this.cluster, dependsOn: [this.chart] });
  }

  /** An EC2NodeClass for this Karpenter's node role, applied after the CRDs. */
  public addEc2NodeClass(id: string, options: Ec2NodeClassOptions): Ec2NodeClass {
    return new Ec2NodeClass(this, id, { ...options, cluster: this.cluster, nodeRole: this.nodeRole, dependsOn: [this.chart] });
  }
}

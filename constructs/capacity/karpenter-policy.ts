import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

export interface KarpenterPolicyProps {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}

/**
 * The Karpenter v1 controller's least-privilege policy, statement by statement as in the upstream
 * KarpenterControllerPolicy (aws/karpenter-provider-aws website/.../getting-started/cloudformation.yaml):
 * launches only into resources tagged for this cluster and a NodePool, deletes only what it tagged.
 */
export function karpenterControllerStatements(props: KarpenterPolicyProps): iam.PolicyStatement[] {
  const region = Aws.REGION;
  const partition = Aws.PARTITION;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}`;
  const owned = { [`aws:RequestTag/kubernetes.io/cluster/${props.clusterName}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': props.clusterName };
  const ownedResource = { [`aws:ResourceTag/kubernetes.io/cluster/${props.clusterName}`]: 'owned' };
  const taggedResources = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map(ec2);
  return [
    new iam.PolicyStatement({ sid: 'AllowScopedEC2InstanceAccessActions', actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [`arn:${partition}:ec2:${region}::image/*`, `arn:${partition}:ec2:${region}::snapshot/*`, ec2('security-group/*'), ec2('subnet/*'), ec2('capacity-reservation/*')] }),
    new iam.PolicyStatement({ sid: 'AllowScopedEC2LaunchTemplateAccessActions', actions: ['ec2:RunInstances', 'ec2:CreateFleet'], resources: [ec2('launch-template/*')],
      conditions: { StringEquals: ownedResource, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } } }),
    new iam.PolicyStatement({ sid: 'AllowScopedEC2InstanceActionsWithTags', actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], resources: taggedResources,
      conditions: { StringEquals: owned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } } }),
    new iam.PolicyStatement({ sid: 'AllowScopedResourceCreationTagging', actions: ['ec2:CreateTags'], resources: taggedResources,
      conditions: { StringEquals: { ...owned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] }, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } } }),
    new iam.PolicyStatement({ sid: 'AllowScopedResourceTagging', actions: ['ec2:CreateTags'], resources: [ec2('instance/*')],
      conditions: { StringEquals: ownedResource, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' }, StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': props.clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] } } }),
    new iam.PolicyStatement({ sid: 'AllowScopedDeletion', actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], resources: [ec2('instance/*'), ec2('launch-template/*')],
      conditions: { StringEquals: ownedResource, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } } }),
    new iam.PolicyStatement({ sid: 'AllowRegionalReadActions', resources: ['*'], conditions: { StringEquals: { 'aws:RequestedRegion': region } },
      actions: ['ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets', 'ec2:DescribeAvailabilityZones'] }),
    new iam.PolicyStatement({ sid: 'AllowSSMReadActions', actions: ['ssm:GetParameter'], resources: [`arn:${partition}:ssm:${region}::parameter/aws/service/*`] }),
    new iam.PolicyStatement({ sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] }),
    new iam.PolicyStatement({ sid: 'AllowInterruptionQueueActions', actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [props.queueArn] }),
    new iam.PolicyStatement({ sid: 'AllowPassingInstanceRole', actions: ['iam:PassRole'], resources: [props.nodeRoleArn],
      conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } } }),
    new iam.PolicyStatement({ sid: 'AllowScopedInstanceProfileCreationActions', actions: ['iam:CreateInstanceProfile'], resources: [`arn:${partition}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
      conditions: { StringEquals: { ...owned, 'aws:RequestTag/topology.kubernetes.io/region': region }, StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' } } }),
    new iam.PolicyStatement({ sid: 'AllowScopedInstanceProfileTagActions', actions: ['iam:TagInstanceProfile'], resources: [`arn:${partition}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
      conditions: { StringEquals: { ...ownedResource, 'aws:ResourceTag/topology.kubernetes.io/region': region, ...owned, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' } } }),
    new iam.PolicyStatement({ sid: 'AllowScopedInstanceProfileActions', actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      resources: [`arn:${partition}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`],
      conditions: { StringEquals: { ...ownedResource, 'aws:ResourceTag/topology.kubernetes.io/region': region }, StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' } } }),
    new iam.PolicyStatement({ sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile', 'iam:ListInstanceProfiles'], resources: ['*'] }),
    new iam.PolicyStatement({ sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [props.clusterArn] }),
  ];
}

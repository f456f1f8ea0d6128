import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** One cdk-nag finding accepted on purpose, with the reason a reviewer reads next to the construct that causes it. */
export interface NagAcceptance {
  readonly id: string;
  readonly reason: string;
  /** The exact findings accepted (policy ARNs, resources, actions); omit only when the rule has no sub-findings. */
  readonly appliesTo?: (string | { regex: string })[];
}

/**
 * Records accepted cdk-nag findings on a construct (and, by default, its children) as resource metadata.
 * Only metadata: the templates are unchanged apart from the cdk_nag entries cdk-nag itself reads.
 */
export function acceptNagFindings(scope: IConstruct, acceptances: NagAcceptance[], applyToChildren = true): void {
  NagSuppressions.addResourceSuppressions(scope, acceptances.map((a) => ({ id: a.id, reason: a.reason, appliesTo: a.appliesTo })), applyToChildren);
}

/** The `Policy::` form cdk-nag uses for an AWS managed policy attached to a role. */
export function awsManagedPolicyFinding(name: string): string {
  return `Policy::arn:<AWS::Partition>:iam::aws:policy/${name}`;
}

/**
 * The policies AWS documents for an EKS node role ("Amazon EKS node IAM role"), shared by node groups and
 * Karpenter nodes. AmazonEKS_CNI_Policy is not among them: aws-node has its own IRSA role (CoreAddons.vpcCniRole),
 * as the node role guide recommends, so a pod that reaches the node's credentials cannot manage ENIs.
 */
export const NODE_ROLE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'];

export const NODE_ROLE_ACCEPTANCE: NagAcceptance = {
  id: 'AwsSolutions-IAM4',
  reason: 'The AWS managed policies documented for EKS node roles: kubelet and node registration, ECR image pulls, and SSM Session Manager instead of SSH (the VPC CNI runs on its own IRSA role). AWS keeps them current with new EKS features.',
  appliesTo: NODE_ROLE_POLICIES.map(awsManagedPolicyFinding),
};

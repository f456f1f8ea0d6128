import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { constructError } from '../errors';

export interface PodIdentityRoleProps {
  readonly cluster: eks.ICluster;
  readonly namespace: string;
  readonly serviceAccountName: string;
}

/**
 * The trust of every EKS Pod Identity role: `pods.eks.amazonaws.com` may assume it (with session tags) only on
 * behalf of this cluster, in this account. Without the `aws:SourceAccount` / `aws:SourceArn` conditions any
 * cluster that can create a Pod Identity association could use the role (EKS docs, "Create an IAM role with a
 * trust policy for EKS Pod Identity"; IAM docs, "The confused deputy problem").
 */
export function podIdentityPrincipal(scope: Construct, cluster: eks.ICluster): iam.IPrincipal {
  return new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
    StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    ArnEquals: { 'aws:SourceArn': cluster.clusterArn },
  }).withSessionTags();
}

/**
 * EKS Pod Identity: a role trusted by `pods.eks.amazonaws.com` for sts:AssumeRole and sts:TagSession, for this
 * cluster only, and the association to one ServiceAccount (EKS docs, "Learn how EKS Pod Identity grants pods
 * access to AWS services"). Needs the eks-pod-identity-agent add-on; not available to Fargate pods.
 */
export class PodIdentityRole extends Construct {
  public readonly role: iam.Role;
  public readonly association: eks.CfnPodIdentityAssociation;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  /** Pod Identity needs no ServiceAccount annotation. */
  public readonly annotations: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.namespace)) throw constructError(this, 'namespace', `must be a DNS-1123 label, got '${props.namespace}'`);
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: podIdentityPrincipal(this, props.cluster),
      description: `Pod Identity role for ${props.namespace}/${props.serviceAccountName}`,
    });
    this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.cluster.clusterName, namespace: props.namespace, serviceAccount: props.serviceAccountName, roleArn: this.role.roleArn,
    });
  }
}

/** Either identity, for workloads: `{ role, annotations }`. */
export type WorkloadIdentity = { readonly role: iam.IRole; readonly annotations: Record<string, string>; readonly namespace: string; readonly serviceAccountName: string };

import { CfnJson } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { constructError } from '../errors';

export interface IrsaServiceAccountProps {
  /** The cluster's IAM OIDC provider (EksCluster.oidcProvider). */
  readonly oidcProvider: iam.IOpenIdConnectProvider;
  readonly namespace: string;
  readonly serviceAccountName: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * IAM roles for service accounts: a role that only the given ServiceAccount can assume through the cluster's
 * OIDC provider, with the trust conditioned on both `:sub` and `:aud` (EKS docs, "Assign IAM roles to
 * Kubernetes service accounts"). The ServiceAccount itself carries `annotations`.
 */
export class IrsaServiceAccount extends Construct {
  public readonly role: iam.Role;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  /** The annotation the ServiceAccount needs. */
  public readonly annotations: Record<string, string>;

  constructor(scope: Construct, id: string, props: IrsaServiceAccountProps) {
    super(scope, id);
    if (!DNS_LABEL.test(props.namespace)) throw constructError(this, 'namespace', `must be a DNS-1123 label, got '${props.namespace}'`);
    if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(props.serviceAccountName)) throw constructError(this, 'serviceAccountName', `must be a DNS-1123 subdomain, got '${props.serviceAccountName}'`);
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    const provider = props.oidcProvider;
    const issuer = provider.openIdConnectProviderIssuer;
    const conditions = new CfnJson(this, 'TrustConditions', {
      value: {
        [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccountName}`,
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.OpenIdConnectPrincipal(provider).withConditions({ StringEquals: conditions }),
      description: `IRSA role for ${props.namespace}/${props.serviceAccountName}`,
    });
    this.annotations = { 'eks.amazonaws.com/role-arn': this.role.roleArn };
  }
}

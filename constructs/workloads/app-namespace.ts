import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { constructError } from '../errors';
import { namespaceBaselinePolicies } from './network-policy';
import { DNS_LABEL } from './options';

export interface AppNamespaceProps {
  /** Namespace name (DNS-1123 label). */
  readonly name: string;
  /** Pod Security Standard enforced by the namespace's admission labels. @default 'restricted' */
  readonly podSecurity?: 'restricted' | 'baseline';
  /** Deny all traffic by default (workloads add their own allow rules) and allow DNS. @default true */
  readonly defaultDeny?: boolean;
}

/**
 * An application namespace: Pod Security admission at `restricted`, a default-deny NetworkPolicy for ingress and
 * egress, and DNS egress to CoreDNS (EKS Best Practices, "Network security": create a default deny policy).
 */
export class AppNamespace extends Chart {
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id, { disableResourceNameHashes: true });
    if (!DNS_LABEL.test(props.name)) throw constructError(this, 'name', `must be a DNS-1123 label, got '${props.name}'`);
    this.namespaceName = props.name;
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: props.name, labels: { 'pod-security.kubernetes.io/enforce': props.podSecurity ?? 'restricted' } },
    });
    if (props.defaultDeny ?? true) namespaceBaselinePolicies(this, props.name);
  }
}

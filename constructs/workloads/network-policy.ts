import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { ipv4CidrProblem } from '../cidr';
import { constructError } from '../errors';
import { DNS_LABEL, labelsOf, selectorLabels, type WorkloadOptions } from './options';

// NetworkPolicies as the VPC CNI's network policy agent enforces them (aws/aws-network-policy-agent): every
// app namespace denies all ingress and egress by default (AppNamespace), and each workload allows only what it
// needs. Traffic from the pod's own node (kubelet probes) is always allowed by the agent, so probes need no rule.

/** Egress a workload needs beyond DNS (and, with an IAM identity, the AWS APIs): a CIDR or another namespace's pods. */
export interface EgressRule {
  /** Destination IPv4 CIDR, e.g. a database subnet '10.0.96.0/19'. One of `cidr` and `namespace`. */
  readonly cidr?: string;
  /** Destination namespace (its pods, which must admit this namespace in their own rule). One of `cidr` and `namespace`. */
  readonly namespace?: string;
  /** Destination ports. */
  readonly ports: number[];
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** What may reach a workload, and what it may reach, on top of its namespace's default deny. */
export interface NetworkAccess {
  /** Other namespaces whose pods may call the workload's port (its own namespace always may). @default none */
  readonly ingressFromNamespaces?: string[];
  /** Extra egress (databases, other namespaces, external APIs). @default none: DNS only, plus AWS APIs when the workload has an IAM identity */
  readonly egress?: EgressRule[];
}

/** CoreDNS pods (label k8s-app=kube-dns in kube-system, as the EKS coredns add-on labels them). */
const COREDNS: k8s.NetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};

/** The EKS Pod Identity agent's link-local address (EKS docs, "EKS Pod Identity": 169.254.170.23, port 80). */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

const tcp = (port: number): k8s.NetworkPolicyPort => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' });

/**
 * The namespace's baseline: deny all ingress and egress to every pod, then allow DNS to CoreDNS (which every
 * pod needs to resolve anything).
 */
export function namespaceBaselinePolicies(scope: Construct, namespace: string): void {
  const labels = { 'app.kubernetes.io/managed-by': 'eksplan' };
  new k8s.KubeNetworkPolicy(scope, 'DefaultDeny', {
    metadata: { name: 'default-deny', namespace, labels },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  new k8s.KubeNetworkPolicy(scope, 'AllowDns', {
    metadata: { name: 'allow-dns', namespace, labels },
    spec: {
      podSelector: {}, policyTypes: ['Egress'],
      egress: [{ to: [COREDNS], ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, tcp(53)] }],
    },
  });
}

export interface WorkloadPolicyOptions {
  /** Ports the workload serves. @default none (no ingress) */
  readonly ports?: number[];
  /** CIDRs of the load balancer nodes that forward to the pods (ALB/NLB with IP targets). @default none */
  readonly loadBalancerCidrs?: string[];
}

/**
 * The workload's own allow rules: its ports from its namespace, the named namespaces and its load balancer;
 * egress to the AWS APIs when it has an IAM identity (IRSA: STS and the service over HTTPS; Pod Identity: also
 * the agent on 169.254.170.23:80), and the user's extra egress.
 */
export function workloadNetworkPolicy(scope: Construct, options: WorkloadOptions, policy: WorkloadPolicyOptions): k8s.KubeNetworkPolicy | undefined {
  const access = options.network ?? {};
  for (const namespace of access.ingressFromNamespaces ?? []) {
    if (!DNS_LABEL.test(namespace)) throw constructError(scope, 'network.ingressFromNamespaces', `must list namespace names (DNS-1123 labels), got '${namespace}'`);
  }
  for (const rule of access.egress ?? []) {
    if ((rule.cidr === undefined) === (rule.namespace === undefined)) throw constructError(scope, 'network.egress', `each rule needs exactly one of cidr and namespace, got ${JSON.stringify(rule)}`);
    if (rule.namespace !== undefined && !DNS_LABEL.test(rule.namespace)) throw constructError(scope, 'network.egress.namespace', `must be a namespace name (DNS-1123 label), got '${rule.namespace}'`);
  }
  const egressCidrs = (access.egress ?? []).flatMap((e) => (e.cidr !== undefined ? [e.cidr] : []));
  for (const [field, cidrs] of [['loadBalancerCidrs', policy.loadBalancerCidrs ?? []], ['network.egress.cidr', egressCidrs]] as const) {
    for (const cidr of cidrs) {
      const problem = ipv4CidrProblem(cidr);
      if (problem) throw constructError(scope, field, `'${cidr}' ${problem}`);
    }
  }
  for (const rule of access.egress ?? []) {
    if (rule.ports.length === 0 || rule.ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      throw constructError(scope, 'network.egress.ports', `must list ports 1-65535, got [${rule.ports.join(', ')}]`);
    }
  }
  const ports = (policy.ports ?? []).map(tcp);
  const ingress: k8s.NetworkPolicyIngressRule[] = [];
  if (ports.length > 0) {
    const from: k8s.NetworkPolicyPeer[] = [
      { podSelector: {} },
      ...(access.ingressFromNamespaces ?? []).map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } })),
      ...(policy.loadBalancerCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
    ];
    ingress.push({ from, ports });
  }
  const egress: k8s.NetworkPolicyEgressRule[] = [];
  if (options.identity) {
    // AWS API endpoints have no fixed addresses (S3, SQS, STS public ranges or interface endpoints in the VPC).
    egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(443)] });
    if (options.identity.kind === 'pod-identity') egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [tcp(80)] });
  }
  for (const rule of access.egress ?? []) {
    const to: k8s.NetworkPolicyPeer = rule.cidr !== undefined ? { ipBlock: { cidr: rule.cidr } } : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': rule.namespace as string } } };
    egress.push({ to: [to], ports: rule.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: rule.protocol ?? 'TCP' })) });
  }
  if (ingress.length === 0 && egress.length === 0) return undefined;
  return new k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: { name: options.name, namespace: options.namespace, labels: labelsOf(options) },
    spec: {
      podSelector: { matchLabels: selectorLabels(options) },
      policyTypes: [...(ingress.length > 0 ? ['Ingress'] : []), ...(egress.length > 0 ? ['Egress'] : [])],
      ...(ingress.length > 0 ? { ingress } : {}),
      ...(egress.length > 0 ? { egress } : {}),
    },
  });
}

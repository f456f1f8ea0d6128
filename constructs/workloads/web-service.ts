import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { ipv4CidrProblem } from '../cidr';
import { constructError } from '../errors';
import { workloadNetworkPolicy } from './network-policy';
import { autoscaler, container, deployment, disruptionBudget, labelsOf, podSpec, selectorLabels, serviceAccount, validateWorkload, type WorkloadOptions } from './options';

/** An Application Load Balancer from an Ingress (AWS Load Balancer Controller, target-type ip). */
export interface AlbExposure {
  readonly type: 'alb';
  readonly scheme: 'internet-facing' | 'internal';
  /** Host name the rule matches. @default any host */
  readonly host?: string;
  /** ACM certificate ARN: the ALB listens on HTTPS 443 with a TLS 1.2+ policy. @default none: HTTP 80 only (warned when internet-facing) */
  readonly certificateArn?: string;
  /** With a certificate, also listen on HTTP 80 and answer every request with a redirect to HTTPS. @default true */
  readonly redirectHttpToHttps?: boolean;
  /** Client CIDRs the ALB's security group admits (alb.ingress.kubernetes.io/inbound-cidrs). @default the controller's: 0.0.0.0/0 when internet-facing, the VPC CIDR when internal */
  readonly inboundCidrs?: string[];
  /** IngressGroup: Ingresses of one group share one ALB. @default own ALB */
  readonly groupName?: string;
  /** @default the workload's health path */
  readonly healthCheckPath?: string;
}

/** A Network Load Balancer from a Service of type LoadBalancer (AWS Load Balancer Controller, target-type ip). */
export interface NlbExposure {
  readonly type: 'nlb';
  readonly scheme: 'internet-facing' | 'internal';
  /** Client CIDRs allowed in (Service spec.loadBalancerSourceRanges). @default the controller's: 0.0.0.0/0 */
  readonly inboundCidrs?: string[];
}

export type Exposure = { readonly type: 'cluster-ip' } | AlbExposure | NlbExposure;

/** Where ALB/NLB nodes forward from: the VPC's private ranges (RFC 1918 and the 100.64.0.0/10 secondary range). */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

export interface WebServiceProps extends WorkloadOptions {
  /** Container port. @default 8080 */
  readonly port?: number;
  /** HTTP path of the readiness and startup probes. @default '/healthz' */
  readonly healthPath?: string;
  /** @default ClusterIP only */
  readonly exposure?: Exposure;
  /**
   * CIDRs the load balancer's nodes send from (IP targets): the VPC CIDRs. The NetworkPolicy admits them on the
   * container port. @default PRIVATE_RANGES
   */
  readonly loadBalancerSourceCidrs?: string[];
}

/**
 * An HTTP service: Deployment, Service, optional ALB Ingress (AWS Load Balancer Controller, target-type ip;
 * HTTPS with an HTTP redirect when given a certificate) or NLB Service, HPA, PDB, a ServiceAccount, and the
 * NetworkPolicy that admits its port from its namespace and its load balancer, with production-checklist defaults.
 */
export class WebService extends Chart {
  public readonly warnings: string[];
  public readonly deploymentName: string;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    const { replicas, warnings } = validateWorkload(this, props);
    this.warnings = warnings;
    this.deploymentName = props.name;
    const port = props.port ?? 8080;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw constructError(this, 'port', `must be 1-65535, got ${port}`);
    const healthPath = props.healthPath ?? '/healthz';
    const exposure = props.exposure ?? { type: 'cluster-ip' };
    if (exposure.type === 'alb' && exposure.certificateArn !== undefined && !/^arn:aws[a-z-]*:acm:/.test(exposure.certificateArn) && !exposure.certificateArn.includes('${Token')) {
      throw constructError(this, 'exposure.certificateArn', `must be an ACM certificate ARN, got '${exposure.certificateArn}'`);
    }
    if (exposure.type === 'alb' || exposure.type === 'nlb') {
      if (exposure.inboundCidrs !== undefined && exposure.inboundCidrs.length === 0) throw constructError(this, 'exposure.inboundCidrs', 'must list at least one CIDR, or be left out for the controller default');
      for (const cidr of exposure.inboundCidrs ?? []) {
        const problem = ipv4CidrProblem(cidr);
        if (problem) throw constructError(this, 'exposure.inboundCidrs', `'${cidr}' ${problem}`);
      }
    }
    if (exposure.type === 'alb' && exposure.scheme === 'internet-facing' && exposure.certificateArn === undefined) {
      warnings.push(`${props.namespace}/${props.name}: the internet-facing ALB serves plain HTTP; set exposure.certificateArn to listen on HTTPS (with a redirect from HTTP)`);
    }
    const labels = labelsOf(props);
    const httpGet = { path: healthPath, port: k8s.IntOrString.fromNumber(port) };
    serviceAccount(this, props);
    deployment(this, props, replicas, podSpec(props, [container(props, {
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: { httpGet, periodSeconds: 5, failureThreshold: 3 },
      livenessProbe: { httpGet, periodSeconds: 10, failureThreshold: 3 },
      startupProbe: { httpGet, periodSeconds: 5, failureThreshold: 30 },
    })], { terminationGracePeriodSeconds: 30 }),
    // A rollout never drops below the desired count (maxUnavailable 0) and adds up to a quarter more pods.
    { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString('25%') } });
    const nlb = exposure.type === 'nlb';
    new k8s.KubeService(this, 'Service', {
      metadata: {
        name: props.name, namespace: props.namespace, labels,
        ...(nlb ? { annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': exposure.scheme,
        } } : {}),
      },
      spec: {
        type: nlb ? 'LoadBalancer' : 'ClusterIP',
        ...(nlb && exposure.inboundCidrs ? { loadBalancerSourceRanges: exposure.inboundCidrs } : {}),
        selector: selectorLabels(props),
        ports: [{ name: 'http', port: nlb ? 80 : port, targetPort: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }],
      },
    });
    if (exposure.type === 'alb') {
      const https = exposure.certificateArn !== undefined;
      const redirect = https && (exposure.redirectHttpToHttps ?? true);
      new k8s.KubeIngress(this, 'Ingress', {
        metadata: {
          name: props.name, namespace: props.namespace, labels,
          annotations: {
            'alb.ingress.kubernetes.io/scheme': exposure.scheme,
            'alb.ingress.kubernetes.io/target-type': 'ip',
            'alb.ingress.kubernetes.io/healthcheck-path': exposure.healthCheckPath ?? healthPath,
            'alb.ingress.kubernetes.io/listen-ports': redirect ? '[{"HTTP":80},{"HTTPS":443}]' : https ? '[{"HTTPS":443}]' : '[{"HTTP":80}]',
            ...(https ? { 'alb.ingress.kubernetes.io/certificate-arn': exposure.certificateArn as string, 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {}),
            // The controller answers every HTTP request with a 301 to HTTPS (annotation ssl-redirect: the HTTPS port).
            ...(redirect ? { 'alb.ingress.kubernetes.io/ssl-redirect': '443' } : {}),
            ...(exposure.inboundCidrs ? { 'alb.ingress.kubernetes.io/inbound-cidrs': exposure.inboundCidrs.join(',') } : {}),
            ...(exposure.groupName ? { 'alb.ingress.kubernetes.io/group.name': exposure.groupName } : {}),
          },
        },
        spec: {
          ingressClassName: 'alb',
          rules: [{
            ...(exposure.host ? { host: exposure.host } : {}),
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.name, port: { number: port } } } }] },
          }],
        },
      });
    }
    workloadNetworkPolicy(this, props, { ports: [port], loadBalancerCidrs: exposure.type === 'cluster-ip' ? [] : props.loadBalancerSourceCidrs ?? PRIVATE_RANGES });
    autoscaler(this, props, 'Deployment');
    disruptionBudget(this, props, replicas);
  }
}

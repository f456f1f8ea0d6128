import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { constructError } from '../errors';
import { autoscaler, container, deployment, disruptionBudget, labelsOf, podSpec, selectorLabels, serviceAccount, validateWorkload, type WorkloadOptions } from './options';

export type Exposure =
  | { readonly type: 'cluster-ip' }
  | { readonly type: 'alb'; readonly scheme: 'internet-facing' | 'internal'; readonly host?: string; readonly certificateArn?: string; readonly groupName?: string; readonly healthCheckPath?: string }
  | { readonly type: 'nlb'; readonly scheme: 'internet-facing' | 'internal' };

export interface WebServiceProps extends WorkloadOptions {
  /** Container port. @default 8080 */
  readonly port?: number;
  /** HTTP path of the readiness and startup probes. @default '/healthz' */
  readonly healthPath?: string;
  /** @default ClusterIP only */
  readonly exposure?: Exposure;
}

/**
 * An HTTP service: Deployment, Service, optional ALB Ingress (AWS Load Balancer Controller, target-type ip)
 * or NLB Service, HPA, PDB, and a ServiceAccount, with production-checklist defaults.
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
        selector: selectorLabels(props),
        ports: [{ name: 'http', port: nlb ? 80 : port, targetPort: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }],
      },
    });
    if (exposure.type === 'alb') {
      const https = exposure.certificateArn !== undefined;
      new k8s.KubeIngress(this, 'Ingress', {
        metadata: {
          name: props.name, namespace: props.namespace, labels,
          annotations: {
            'alb.ingress.kubernetes.io/scheme': exposure.scheme,
            'alb.ingress.kubernetes.io/target-type': 'ip',
            'alb.ingress.kubernetes.io/healthcheck-path': exposure.healthCheckPath ?? healthPath,
            'alb.ingress.kubernetes.io/listen-ports': https ? '[{"HTTPS":443}]' : '[{"HTTP":80}]',
            ...(https ? { 'alb.ingress.kubernetes.io/certificate-arn': exposure.certificateArn as string, 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {}),
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
    autoscaler(this, props, 'Deployment');
    disruptionBudget(this, props, replicas);
  }
}

import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Testing } from 'cdk8s';
import { IrsaServiceAccount } from '../../constructs/identity/irsa-service-account';
import { PodIdentityRole } from '../../constructs/identity/pod-identity-role';
import { StatefulService } from '../../constructs/workloads/stateful-service';
import { WebService, type WebServiceProps } from '../../constructs/workloads/web-service';
import { Worker } from '../../constructs/workloads/worker';
import { manifestObjects, referenceTemplate } from '../support/reference-stack';

const web: WebServiceProps = { namespace: 'web', name: 'api', image: 'repo/api@sha256:abc', cpu: '250m', memory: '256Mi', replicas: 3 };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function objects(chart: { toJson(): unknown[] }): Json[] {
  return chart.toJson() as Json[];
}

/** The object of a kind in a synthesized chart (fails the test when absent). */
function byKind(out: Json[], kind: string): Json {
  const found = out.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} in ${out.map((o) => o.kind).join(', ')}`);
  return found;
}

describe('WebService', () => {
  it('follows the production checklist by default', () => {
    const out = objects(new WebService(Testing.app(), 'web', web));
    const deployment = byKind(out, 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(container.livenessProbe).toBeDefined();
    expect(container.startupProbe).toBeDefined();
    expect(container.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(deployment.spec.template.spec.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(byKind(out, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } });
    expect(byKind(out, 'Service').spec.type).toBe('ClusterIP');
    expect(byKind(out, 'ServiceAccount').metadata.name).toBe('api');
  });

  it('has no PDB for a single replica', () => {
    expect(objects(new WebService(Testing.app(), 'web', { ...web, replicas: 1 })).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('scales on CPU and requests per second', () => {
    const hpa = byKind(objects(new WebService(Testing.app(), 'web', { ...web, autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 60, requestsPerSecondPerPod: 50 } })), 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '50' } } },
      ],
    });
  });

  it.each([
    ['internet-facing ALB with TLS in an IngressGroup', { type: 'alb', scheme: 'internet-facing', certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/x', groupName: 'public' } as const, {
      'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/target-type': 'ip', 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:111111111111:certificate/x', 'alb.ingress.kubernetes.io/group.name': 'public',
    }],
    ['internal ALB', { type: 'alb', scheme: 'internal' } as const, { 'alb.ingress.kubernetes.io/scheme': 'internal', 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]' }],
  ])('exposes through an %s', (_name, exposure, annotations) => {
    const ingress = byKind(objects(new WebService(Testing.app(), 'web', { ...web, exposure })), 'Ingress');
    expect(ingress.metadata.annotations).toEqual(expect.objectContaining(annotations));
    expect(ingress.spec.ingressClassName).toBe('alb');
  });

  it('exposes through an NLB Service', () => {
    const service = byKind(objects(new WebService(Testing.app(), 'web', { ...web, exposure: { type: 'nlb', scheme: 'internal' } })), 'Service');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' });
  });

  it('targets a NodePool', () => {
    const deployment = byKind(objects(new WebService(Testing.app(), 'web', { ...web, placement: { nodePool: 'general', tolerations: [{ key: 'team', operator: 'Exists' }] } })), 'Deployment');
    expect(deployment.spec.template.spec.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'general' });
    expect(deployment.spec.template.spec.tolerations).toEqual([{ key: 'team', operator: 'Exists' }]);
  });

  it('warns when the image is not pinned by digest', () => {
    expect(new WebService(Testing.app(), 'web', { ...web, image: 'nginx:1.27' }).warnings).toEqual(["web/api: image 'nginx:1.27' is not pinned by digest; rollouts are not reproducible"]);
  });

  it.each([
    ['cpu', { cpu: '5 cores' }, "WebService 'web': cpu must be a positive CPU quantity like '250m' or '1', got '5 cores'"],
    ['memory', { memory: '-1Gi' }, "memory must be a positive memory quantity like '512Mi', got '-1Gi'"],
    ['replicas', { replicas: -1 }, 'replicas must be a non-negative integer, got -1'],
    ['autoscaling bounds', { autoscaling: { minReplicas: 5, maxReplicas: 2 } }, 'autoscaling.maxReplicas (2) must be an integer ≥ minReplicas (5)'],
    ['name', { name: 'Bad_Name' }, "name must be a DNS-1123 label, got 'Bad_Name'"],
  ])('fails when %s is invalid', (_name, props, message) => {
    expect(() => new WebService(Testing.app(), 'web', { ...web, ...props })).toThrow(message);
  });
});

describe('Worker and StatefulService', () => {
  it('runs a worker with an exec probe and no Service', () => {
    const out = objects(new Worker(Testing.app(), 'w', { namespace: 'jobs', name: 'worker', image: 'w@sha256:1', cpu: '100m', memory: '128Mi', healthCommand: ['true'] }));
    expect(out.some((o) => o.kind === 'Service')).toBe(false);
    expect(byKind(out, 'Deployment').spec.template.spec.containers[0].livenessProbe.exec).toEqual({ command: ['true'] });
  });

  it('gives each replica a gp3 volume through a WaitForFirstConsumer StorageClass and a headless Service', () => {
    const out = objects(new StatefulService(Testing.app(), 's', { namespace: 'data', name: 'db', image: 'db@sha256:1', cpu: '1', memory: '2Gi', port: 5432, storage: '100Gi' }));
    expect(byKind(out, 'StorageClass')).toEqual(expect.objectContaining({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' }, volumeBindingMode: 'WaitForFirstConsumer' }));
    expect(byKind(out, 'Service').spec.clusterIP).toBe('None');
    const claim = byKind(out, 'StatefulSet').spec.volumeClaimTemplates[0];
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3-encrypted', resources: { requests: { storage: '100Gi' } } });
  });

  it('fails when the volume is smaller than 1Gi', () => {
    expect(() => new StatefulService(Testing.app(), 's', { namespace: 'data', name: 'db', image: 'db', cpu: '1', memory: '1Gi', port: 1, storage: '10Mi' })).toThrow("storage must be a quantity of at least 1Gi, like '100Gi', got '10Mi'");
  });
});

describe('identity', () => {
  it('conditions the IRSA trust on both :sub and :aud', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    const provider = new iam.OpenIdConnectProvider(stack, 'Oidc', { url: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC', clientIds: ['sts.amazonaws.com'] });
    new IrsaServiceAccount(stack, 'Sa', { oidcProvider: provider, namespace: 'jobs', serviceAccountName: 'worker' });
    const conditions = Object.values(Template.fromStack(stack).findResources('Custom::AWSCDKCfnJson'))[0] as { Properties: { Value: unknown } };
    const text = JSON.stringify(conditions.Properties.Value);
    expect(text).toContain(':sub\\":\\"system:serviceaccount:jobs:worker');
    expect(text).toContain(':aud\\":\\"sts.amazonaws.com');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity', Effect: 'Allow', Condition: { StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SaTrustConditions'), 'Value'] } }, Principal: { Federated: { Ref: Match.stringLikeRegexp('^Oidc') } } }] } });
  });

  it('annotates the worker ServiceAccount with its IRSA role in the reference platform', () => {
    const sa = manifestObjects(referenceTemplate().template).find((o) => o.kind === 'ServiceAccount' && (o.metadata as { name: string }).name === 'worker') as { metadata: { annotations: Record<string, string> } };
    expect(Object.keys(sa.metadata.annotations)).toEqual(['eks.amazonaws.com/role-arn']);
  });

  it('trusts pods.eks.amazonaws.com with TagSession and associates the role', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    const cluster = { clusterName: 'c', clusterArn: 'arn:aws:eks:us-east-1:111111111111:cluster/c' } as unknown as ConstructorParameters<typeof PodIdentityRole>[2]['cluster'];
    new PodIdentityRole(stack, 'Role', { cluster, namespace: 'jobs', serviceAccountName: 'worker' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{
      Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:us-east-1:111111111111:cluster/c' } },
    }] } });
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'c', Namespace: 'jobs', ServiceAccount: 'worker' });
  });
});

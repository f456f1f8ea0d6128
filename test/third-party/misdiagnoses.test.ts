import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { checkAmiTypes, checkKarpenterWiring, checkNodeIpLimits, checkPodSubnetSizing } from '../../simulation/checks';
import { loadBalancersOf } from '../../simulation/assembly/extract';
import { placeStatic } from '../../simulation/engine';
import { modelFromManifests, plan, priceBook } from '../../simulation';
import type { HelmReleaseModel } from '../../simulation/model/cluster';
import { model, nodeGroup, object } from '../simulation/checks/fixture';

// Each misdiagnosis of issue 16, with an input that has the mistake and one that does not.

function deployment(name: string, replicas: number, cpu: string, memory: string) {
  return object('Deployment', `default/${name}`, {
    replicas, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu, memory }, limits: { memory } } }] } },
  });
}

describe('a node out of ENI addresses is not a full subnet', () => {
  // m5.large: 3 ENIs × 10 IPv4 addresses each (EC2 "IP addresses per network interface per instance type");
  // one address per ENI is its primary, so pods get 3 × 9 = 27 addresses; max pods from the ENIs is 27 + 2 = 29.
  // With kubelet maxPods 110 (no prefix delegation) the scheduler binds more pods than the ENIs can address.
  const eniBound = model({
    subnets: [{ id: 'PrivateA', cidr: '10.0.32.0/19', availabilityZone: 'us-east-1a', public: false, tags: {} }],
    nodeGroups: [nodeGroup({ name: 'dense', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 1, subnetIds: ['PrivateA'], maxPods: 110 })],
    objects: [deployment('tiny', 40, '10m', '16Mi')],
  });

  it('reports the node ENI limit, with prefix delegation / larger types as the fix, and not the subnet', () => {
    const { result } = placeStatic(eniBound);
    // The /19 has 8,187 usable addresses and no pod was refused by it.
    expect(result.subnets[0].usable).toBe(8187);
    expect(result.subnets[0].exhaustedPods).toBe(0);
    const noIp = result.pendingPods.filter((p) => p.phase === 'ContainerCreating');
    // 40 app pods on one node with 27 pod addresses: at least 40 − 27 = 13 get none (system pods that are
    // not host-network take addresses too, so it may be more).
    expect(noIp.length).toBeGreaterThanOrEqual(13);
    expect(noIp[0].message).toMatch(/^failed to assign an IP address to container: node \S+ \(m5\.large\) ENI limit reached, 3 ENIs × 9 IPs = 27 pod addresses in use$/);
    const findings = checkNodeIpLimits(result);
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'node-ip-limit', object: 'NodeGroup dense' })]);
    expect(findings[0].message).toContain('kubelet max pods 110, above the ENI limit of 29 pods');
    expect(findings[0].fix).toMatch(/prefix delegation.*larger instance types.*max pods to 29/);
    // The subnet check says nothing: no /18 advice for a node limit.
    expect(checkPodSubnetSizing(eniBound, result)).toEqual([]);
  });

  it('still reports a full subnet as a full subnet, with the subnet fix', () => {
    // A /26 has 64 − 5 = 59 usable addresses. Each m5.large takes 1 primary + 9 IPs (its primary ENI) + a warm
    // ENI of 1 + 9 = 20 at launch; 3 nodes want 60 > 59, so the subnet runs out before any node's ENIs do.
    const subnetBound = model({
      subnets: [{ id: 'PrivateA', cidr: '10.0.32.0/26', availabilityZone: 'us-east-1a', public: false, tags: {} }],
      nodeGroups: [nodeGroup({ name: 'small', instanceTypes: ['m5.large'], minSize: 3, desiredSize: 3, maxSize: 3, subnetIds: ['PrivateA'] })],
      objects: [deployment('tiny', 60, '10m', '16Mi')],
    });
    const { result } = placeStatic(subnetBound);
    expect(result.subnets[0].usable).toBe(59);
    expect(result.subnets[0].exhaustedPods).toBeGreaterThan(0);
    const noIp = result.pendingPods.filter((p) => p.phase === 'ContainerCreating');
    expect(noIp.length).toBeGreaterThan(0);
    expect(noIp.every((p) => p.message === 'failed to assign an IP address to container')).toBe(true);
    expect(checkNodeIpLimits(result)).toEqual([]);
    const subnetFindings = checkPodSubnetSizing(subnetBound, result);
    expect(subnetFindings).toEqual([expect.objectContaining({ severity: 'error', code: 'pod-subnet-too-small' })]);
    expect(subnetFindings[0].fix).toMatch(/secondary CIDR/);
  });

  it('plan() carries the node finding and fails the static verdict', () => {
    const result = plan(eniBound);
    expect(result.findings.map((f) => f.code)).toContain('node-ip-limit');
    expect(result.findings.map((f) => f.code)).not.toContain('pod-subnet-too-small');
    expect(result.verdict.passed).toBe(false);
  });
});

describe('a Service of type LoadBalancer is a Classic LB unless the AWS Load Balancer Controller takes it', () => {
  const service = (name: string, annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}) =>
    object('Service', `default/${name}`, { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }], ...spec }, { metadata: { name, namespace: 'default', annotations } } as never);
  const lbc = (values: Record<string, unknown> = {}): HelmReleaseModel => ({ chart: 'aws-load-balancer-controller', release: 'aws-load-balancer-controller', namespace: 'kube-system', values });

  it.each([
    // kubernetes/cloud-provider-aws EnsureLoadBalancer: no type annotation → Classic ELB, internet-facing.
    ['no annotation, no controller', service('web'), [], 'clb', 'internet-facing'],
    ['in-tree internal annotation', service('web', { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }), [], 'clb', 'internal'],
    ['in-tree `nlb` type', service('web', { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }), [], 'nlb', 'internet-facing'],
    // aws-load-balancer-controller: `external` / `nlb-ip` / the class, internal unless the scheme annotation says otherwise.
    ['`external` type', service('web', { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' }), [], 'nlb', 'internal'],
    ['EKS Auto Mode class eks.amazonaws.com/nlb', service('web', {}, { loadBalancerClass: 'eks.amazonaws.com/nlb' }), [], 'nlb', 'internal'],
    ['service.k8s.aws/nlb class, internet-facing', service('web', { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' }, { loadBalancerClass: 'service.k8s.aws/nlb' }), [], 'nlb', 'internet-facing'],
    // values.yaml enableServiceMutatorWebhook: true (chart default): every new Service gets the NLB class.
    ['LBC chart with its default mutator webhook', service('web'), [lbc()], 'nlb', 'internal'],
    ['LBC chart with enableServiceMutatorWebhook=false', service('web'), [lbc({ enableServiceMutatorWebhook: false })], 'clb', 'internet-facing'],
    ['LBC chart with enableServiceMutatorWebhook="false" (--set)', service('web'), [lbc({ enableServiceMutatorWebhook: 'false' })], 'clb', 'internet-facing'],
  ] as const)('%s', (_name, svc, releases, kind, scheme) => {
    const lbs = loadBalancersOf([svc], [], releases as unknown as HelmReleaseModel[]);
    expect(lbs).toEqual([expect.objectContaining({ kind, scheme, owner: 'Service default/web' })]);
  });

  it('the controller installed from manifests (its mservice webhook) also gives the NLB class', () => {
    const webhook = object('MutatingWebhookConfiguration', 'aws-load-balancer-webhook', {}, { webhooks: [{ name: 'mservice.elbv2.k8s.aws' }] } as never);
    expect(loadBalancersOf([service('web'), webhook], []).map((lb) => lb.kind)).toEqual(['nlb']);
  });

  it('a class no AWS controller owns creates no AWS load balancer', () => {
    expect(loadBalancersOf([service('web', {}, { loadBalancerClass: 'example.com/metallb' })], [])).toEqual([]);
  });

  it('prices a Classic LB at the CLB rate (per hour and per GB), not as an ALB', () => {
    const prices = priceBook('us-east-1');
    // aws.amazon.com/elasticloadbalancing/pricing, Classic: $0.025 per LB-hour and $0.008 per GB in us-east-1.
    expect(prices.clbPerHour.usd).toBe(0.025);
    expect(prices.clbPerGb.usd).toBe(0.008);
    expect(prices.clbPerHour.source).toMatch(/elasticloadbalancing\/pricing \(Classic Load Balancer\), \d{4}-\d{2}-\d{2}/);
    const m = model({ objects: [deployment('web', 1, '100m', '64Mi'), service('web')], loadBalancers: loadBalancersOf([service('web')], []) });
    const lines = plan(m).cost.lines.filter((l) => l.category === 'Load balancers');
    // A static plan has no traffic, so no GB-processed line: the Classic LB's hours alone,
    // 730 h × $0.025 = $18.25 a month.
    expect(lines.map((l) => l.item)).toEqual(['CLB Service default/web']);
    expect(lines[0].unitPriceUsd).toBe(0.025);
    expect(lines[0].monthlyUsd).toBeCloseTo(18.25, 2);
    expect(lines.some((l) => l.item.startsWith('ALB'))).toBe(false);
  });
});

describe('AL2 AMIs on Kubernetes 1.33+', () => {
  it.each([
    ['AL2_x86_64', '1.34', 'error', /AL2023_x86_64_STANDARD/],
    ['AL2_ARM_64', '1.33', 'error', /AL2023_ARM_64_STANDARD/],
    ['AL2_x86_64_GPU', '1.34', 'error', /AL2023_x86_64_NVIDIA/],
    ['AL2_x86_64', '1.32', 'warning', /AL2023_x86_64_STANDARD/],
  ] as const)('flags amiType %s on %s as %s', (amiType, version, severity, fix) => {
    const m = model({ nodeGroups: [nodeGroup({ name: 'workers', amiType })] });
    const findings = checkAmiTypes({ ...m, cluster: { ...m.cluster!, version } });
    expect(findings).toEqual([expect.objectContaining({ severity, code: 'al2-ami', object: 'NodeGroup workers' })]);
    expect(findings[0].fix).toMatch(fix);
  });

  it.each(['AL2023_x86_64_STANDARD', 'BOTTLEROCKET_x86_64', 'CUSTOM'])('leaves %s alone on 1.34', (amiType) => {
    expect(checkAmiTypes(model({ nodeGroups: [nodeGroup({ amiType })] }))).toEqual([]);
  });

  it('flags an EC2NodeClass with the al2 alias, not one with al2023', () => {
    const al2 = object('EC2NodeClass', 'legacy', { amiSelectorTerms: [{ alias: 'al2@latest' }], role: 'KarpenterNodeRole' });
    const al2023 = object('EC2NodeClass', 'current', { amiSelectorTerms: [{ alias: 'al2023@latest' }], role: 'KarpenterNodeRole' });
    const findings = checkAmiTypes(model({ objects: [al2, al2023] }));
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'al2-ami', object: 'EC2NodeClass legacy' })]);
    expect(findings[0].message).toContain('al2@latest');
  });
});

describe('Karpenter manifests with no assembly', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-karpenter-'));
    const nodeClass = (name: string) => [
      'apiVersion: karpenter.k8s.aws/v1', 'kind: EC2NodeClass', `metadata: { name: ${name} }`, 'spec:',
      '  role: KarpenterNodeRole-demo', '  amiSelectorTerms: [{ alias: al2023@latest }]',
      '  subnetSelectorTerms: [{ tags: { karpenter.sh/discovery: demo } }]', '  securityGroupSelectorTerms: [{ tags: { karpenter.sh/discovery: demo } }]',
    ].join('\n');
    const nodePool = (className: string) => [
      'apiVersion: karpenter.sh/v1', 'kind: NodePool', 'metadata: { name: default }', 'spec:', '  template:', '    spec:',
      `      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: ${className} }`,
      '      requirements: [{ key: karpenter.sh/capacity-type, operator: In, values: [on-demand] }]',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'a.yaml'), `${nodeClass('default')}\n---\n${nodePool('default')}\n`);
    fs.writeFileSync(path.join(dir, 'b.yaml'), `${nodePool('missing')}\n`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('skips the selector checks with one info finding and names the file of each object', () => {
    const findings = checkKarpenterWiring(modelFromManifests([dir]));
    const codes = findings.map((f) => f.code).sort();
    expect(codes).toEqual(['nodeclass-selectors-unchecked', 'nodepool-missing-nodeclass']);
    const missing = findings.find((f) => f.code === 'nodepool-missing-nodeclass');
    expect(missing?.object).toBe(`NodePool default (${path.join(dir, 'b.yaml')})`);
    const info = findings.find((f) => f.code === 'nodeclass-selectors-unchecked');
    expect(info?.severity).toBe('info');
    expect(info?.object).toBe(`EC2NodeClass default (${path.join(dir, 'a.yaml')})`);
  });

  it('still checks the selectors against an assembly VPC', () => {
    const manifests = modelFromManifests([dir]);
    const withVpc = model({
      objects: manifests.objects, subnets: model().subnets.map((s) => ({ ...s, tags: {} })),
      resources: { Cluster: { type: 'AWS::EKS::Cluster', properties: {}, file: 'Platform.template.json' } },
    });
    const codes = checkKarpenterWiring(withVpc).map((f) => f.code);
    expect(codes).toContain('nodeclass-subnet-selector');
    expect(codes).toContain('nodeclass-sg-selector');
    expect(codes).not.toContain('nodeclass-selectors-unchecked');
  });
});

describe('eksplan validate', () => {
  const run = runCli;
  const kubernetesExamples = path.join(__dirname, '..', 'fixtures', 'third-party', 'kubernetes-examples', 'manifests');

  it('validates a directory of manifests (no assembly, no templates)', async () => {
    const { code, stdout } = await run(['validate', kubernetesExamples]);
    expect(stdout).toMatch(/0 resources in 0 template\(s\), 0 finding\(s\); \d+ Kubernetes objects, 0 error\(s\)/);
    expect(code).toBe(0);
  });

  it('fails when --stack is given with manifests', async () => {
    const { code, stderr } = await run(['validate', kubernetesExamples, '--stack', 'Platform']);
    expect(code).toBe(2);
    expect(stderr).toContain('--stack applies to assemblies only');
  });
});

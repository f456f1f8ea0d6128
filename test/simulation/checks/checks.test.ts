import { checkAddonVersions, checkKubernetesSchemas, checkIdentity, checkMaxPods, checkKarpenterWiring, checkLoadBalancerSubnets, checkPodSubnetSizing, lintWorkloads } from '../../../simulation/checks';
import type { RawResource } from '../../../simulation/model/cluster';
import { sampleResult } from '../report/fixture';
import { DEFAULT_VPC_CNI } from '../../../simulation/model/cluster';
import { model, nodeGroup, object } from './fixture';

const codes = (findings: { code: string }[]) => findings.map((f) => f.code).sort();

describe('Karpenter wiring', () => {
  const nodeClass = object('EC2NodeClass', 'default', {
    role: '${Token[Ref:NodeRole1234]}',
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }],
    securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }],
  });
  const nodePool = object('NodePool', 'general', { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } } });
  const resources: Record<string, RawResource> = {
    KarpenterChart: { type: 'Custom::AWSCDK-EKS-HelmChart', properties: { Chart: 'karpenter', Release: 'karpenter' }, file: 't' },
    [nodePool.source.id.split(' ')[0]]: { type: 'Custom::AWSCDK-EKS-KubernetesResource', properties: {}, file: 't', dependsOn: ['KarpenterChart'] },
    [nodeClass.source.id.split(' ')[0]]: { type: 'Custom::AWSCDK-EKS-KubernetesResource', properties: {}, file: 't', dependsOn: ['Other'] },
    Other: { type: 'AWS::IAM::Role', properties: {}, file: 't', dependsOn: ['KarpenterChart'] },
    Cluster: { type: 'AWS::EKS::Cluster', properties: { Tags: [{ Key: 'karpenter.sh/discovery', Value: 'platform' }] }, file: 't' },
    Queue: { type: 'AWS::SQS::Queue', properties: {}, file: 't' },
  };
  const wired = model({
    objects: [nodeClass, nodePool], resources,
    accessEntries: [{ principal: '${Token[GetAtt:NodeRole1234.Arn]}', type: 'EC2_LINUX', kubernetesGroups: [], accessPolicies: [] }],
    helmReleases: [{ chart: 'karpenter', release: 'karpenter', namespace: 'karpenter', values: { settings: { clusterName: 'platform', interruptionQueue: '${Token[GetAtt:Queue.QueueName]}' } } }],
  });

  it('finds nothing when everything is wired', () => {
    expect(checkKarpenterWiring(wired)).toEqual([]);
  });

  it('fails when a NodePool names a missing EC2NodeClass', () => {
    const broken = model({ ...wired, objects: [nodePool] });
    expect(codes(checkKarpenterWiring(broken))).toEqual(['nodepool-missing-nodeclass']);
  });

  it('fails when a NodePool manifest does not depend on the chart (CRDs)', () => {
    const unordered = model({ ...wired, resources: { ...resources, [nodePool.source.id.split(' ')[0]]: { type: 'Custom::AWSCDK-EKS-KubernetesResource', properties: {}, file: 't' } } });
    const findings = checkKarpenterWiring(unordered);
    expect(codes(findings)).toEqual(['karpenter-crd-order']);
    expect(findings[0].object).toBe('NodePool general');
  });

  it('fails when the subnet selector matches no subnet', () => {
    const untagged = model({ ...wired, subnets: wired.subnets.map((s) => ({ ...s, tags: {} })) });
    expect(codes(checkKarpenterWiring(untagged))).toEqual(['nodeclass-subnet-selector']);
  });

  it('fails when the security-group selector matches nothing', () => {
    const noSg = model({ ...wired, resources: { ...resources, Cluster: { type: 'AWS::EKS::Cluster', properties: {}, file: 't' } } });
    expect(codes(checkKarpenterWiring(noSg))).toEqual(['nodeclass-sg-selector']);
  });

  it('fails when the interruption queue is not in the assembly', () => {
    const wrongQueue = model({ ...wired, helmReleases: [{ ...wired.helmReleases[0], values: { settings: { interruptionQueue: 'some-other-queue' } } }] });
    expect(codes(checkKarpenterWiring(wrongQueue))).toEqual(['karpenter-interruption-queue']);
  });

  it('fails when the node role has no EC2_LINUX access entry', () => {
    const noEntry = model({ ...wired, accessEntries: [{ principal: '${Token[GetAtt:NodeRole1234.Arn]}', type: 'STANDARD', kubernetesGroups: [], accessPolicies: [] }] });
    expect(codes(checkKarpenterWiring(noEntry))).toEqual(['node-role-access-entry']);
  });
});

describe('identity', () => {
  const role = { id: 'WorkerRole', trustPolicy: { Statement: [{ Effect: 'Allow', Condition: { StringEquals: { '${Token[GetAtt:Oidc.Issuer]}:sub': 'system:serviceaccount:jobs:worker', '${Token[GetAtt:Oidc.Issuer]}:aud': 'sts.amazonaws.com' } } }] }, managedPolicyArns: [] };

  it('accepts an IRSA role whose service account exists', () => {
    expect(checkIdentity(model({ iamRoles: [role], objects: [object('ServiceAccount', 'jobs/worker')] }))).toEqual([]);
  });

  it('fails when the IRSA :sub names a service account that does not exist', () => {
    const findings = checkIdentity(model({ iamRoles: [role], objects: [object('ServiceAccount', 'jobs/other')] }));
    expect(codes(findings)).toEqual(['irsa-missing-service-account']);
    expect(findings[0].message).toContain('system:serviceaccount:jobs:worker');
  });

  it('fails when Pod Identity is used by pods that can only run on Fargate', () => {
    const fargateOnly = model({
      fargateProfiles: [{ name: 'jobs', selectors: [{ namespace: 'jobs' }], subnetIds: [] }],
      podIdentityAssociations: [{ namespace: 'jobs', serviceAccount: 'worker', roleId: 'R' }],
    });
    expect(codes(checkIdentity(fargateOnly))).toEqual(['pod-identity-on-fargate']);
  });
});

describe('load balancer subnets', () => {
  it('accepts an internet-facing ALB with elb-tagged public subnets in two AZs', () => {
    expect(checkLoadBalancerSubnets(model({ loadBalancers: [{ kind: 'alb', scheme: 'internet-facing', owner: 'Ingress web/api' }] }))).toEqual([]);
  });

  it('fails when only one AZ has tagged subnets', () => {
    const base = model();
    const oneAz = model({ subnets: base.subnets.map((s) => (s.id === 'PublicB' ? { ...s, tags: {} } : s)), loadBalancers: [{ kind: 'alb', scheme: 'internet-facing', owner: 'Ingress web/api' }] });
    const findings = checkLoadBalancerSubnets(oneAz);
    expect(codes(findings)).toEqual(['alb-subnets']);
    expect(findings[0].message).toContain('found 1 (us-east-1a)');
  });

  it('checks internal ALBs against internal-elb tags', () => {
    const base = model();
    const untagged = model({ subnets: base.subnets.map((s) => ({ ...s, tags: s.public ? s.tags : {} })), loadBalancers: [{ kind: 'alb', scheme: 'internal', owner: 'Ingress web/admin' }] });
    expect(codes(checkLoadBalancerSubnets(untagged))).toEqual(['alb-subnets']);
  });
});

describe('pod subnet sizing', () => {
  it('recommends a larger CIDR when pods ran out of addresses', () => {
    const result = sampleResult({ subnets: [{ id: 'PrivateA', cidr: '10.0.32.0/24', availabilityZone: 'us-east-1a', usable: 251, usedPeak: 251, freeMin: 0, freePercentMin: 0, exhaustedPods: 40 }] });
    const findings = checkPodSubnetSizing(model(), result);
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'pod-subnet-too-small' })]);
    expect(findings[0].fix).toContain('/23');
  });

  it('is quiet when there is room', () => {
    const result = sampleResult({ subnets: [{ id: 'PrivateA', cidr: '10.0.32.0/19', availabilityZone: 'us-east-1a', usable: 8187, usedPeak: 400, freeMin: 7787, freePercentMin: 95.1, exhaustedPods: 0 }] });
    expect(checkPodSubnetSizing(model(), result)).toEqual([]);
  });
});

describe('workload checklist', () => {
  const good = object('Deployment', 'web/api', {
    replicas: 3,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000 },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
        containers: [{ name: 'api', image: 'public.ecr.aws/acme/api@sha256:abc', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } }, readinessProbe: { httpGet: { path: '/ready', port: 8080 } } }],
      },
    },
  });
  const pdb = object('PodDisruptionBudget', 'web/api', { maxUnavailable: 1, selector: { matchLabels: { app: 'api' } } });

  it('finds nothing on a workload that follows the checklist', () => {
    expect(lintWorkloads(model({ objects: [good, pdb] }))).toEqual([]);
  });

  it('finds every miss on a careless workload', () => {
    const careless = object('Deployment', 'web/careless', {
      replicas: 2,
      template: { metadata: { labels: { app: 'careless' } }, spec: { containers: [{ name: 'app', image: 'nginx:latest', securityContext: { privileged: true } }] } },
    });
    expect(codes(lintWorkloads(model({ objects: [careless] })))).toEqual([
      'mutable-image', 'no-memory-limit', 'no-pdb', 'no-readiness-probe', 'no-requests', 'no-topology-spread', 'privileged', 'runs-as-root',
    ]);
  });

  it.each([
    ['nginx', true], ['nginx:latest', true], ['registry:5000/team/app', true], ['registry:5000/team/app:1.2.3', false], ['app@sha256:0123', false],
  ])('image %s is mutable: %s', (image, mutable) => {
    const spec = JSON.parse(JSON.stringify(good.object.spec));
    spec.template.spec.containers[0].image = image;
    const findings = lintWorkloads(model({ objects: [{ ...good, object: { ...good.object, spec } }, pdb] }));
    expect(findings.some((f) => f.code === 'mutable-image')).toBe(mutable);
  });
});

describe('add-on versions', () => {
  it('flags kube-proxy of another Kubernetes version and add-ons older than the pinned default', () => {
    const m = model({ cluster: { ...(model().cluster as NonNullable<ReturnType<typeof model>['cluster']>), version: '1.36' }, addons: [
      { name: 'kube-proxy', version: 'v1.33.0-eksbuild.1', configuration: {} },
      { name: 'vpc-cni', version: 'v1.10.0-eksbuild.1', configuration: {} },
      { name: 'coredns', version: 'v9.9.9-eksbuild.1', configuration: {} },
    ] });
    const findings = checkAddonVersions(m);
    expect(findings.map((f) => [f.severity, f.object])).toEqual([['error', 'Addon kube-proxy'], ['warning', 'Addon vpc-cni']]);
    expect(findings[0].message).toBe('kube-proxy v1.33.0-eksbuild.1 is for Kubernetes 1.33, the cluster runs 1.36');
  });
});

describe('Kubernetes schema validation (kubernetes-models)', () => {
  it('accepts valid objects and names the object and field of an invalid one', () => {
    const good = object('Deployment', 'web/api', { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
    const bad = object('Deployment', 'web/bad', { replicas: 'two', selector: { matchLabels: { app: 'bad' } }, template: { metadata: { labels: { app: 'bad' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
    const findings = checkKubernetesSchemas(model({ objects: [good, bad] }));
    expect(findings).toHaveLength(1);
    expect(findings[0].object).toBe('Deployment web/bad (Platform.template.json)');
    expect(findings[0].message).toBe('spec.replicas: must be integer; the API server would reject it at deploy time');
  });
});

describe('max pods against the VPC CNI', () => {
  const pd = { ...DEFAULT_VPC_CNI, prefixDelegation: true };

  it('is quiet when kubelet max pods matches the CNI mode', () => {
    expect(checkMaxPods(model({ nodeGroups: [nodeGroup({ instanceTypes: ['m5.large'] })] }))).toEqual([]);
    expect(checkMaxPods(model({ vpcCni: pd, nodeGroups: [nodeGroup({ instanceTypes: ['m5.large'], maxPods: 110 })] }))).toEqual([]);
  });

  it('fails when kubelet max pods exceeds what secondary IPs can supply', () => {
    const findings = checkMaxPods(model({ nodeGroups: [nodeGroup({ instanceTypes: ['m5.large'], maxPods: 110 })] }));
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'max-pods-above-cni', object: 'NodeGroup general' })]);
    expect(findings[0].message).toContain('kubelet maxPods 110 but the VPC CNI can assign only 29 pod IPs');
  });

  it('warns when prefix delegation is on but the nodes keep the ENI max pods', () => {
    const findings = checkMaxPods(model({ vpcCni: pd, nodeGroups: [nodeGroup({ instanceTypes: ['m5.large'] })] }));
    expect(findings.map((f) => f.code)).toEqual(['max-pods-below-prefix-delegation']);
    expect(findings[0].fix).toBe('set kubelet maxPods 110 in the launch template NodeConfig');
  });

  it('warns that Cluster Autoscaler assumes 110 pods when scaling a small-ENI group from zero', () => {
    const findings = checkMaxPods(model({ nodeGroups: [nodeGroup({ instanceTypes: ['t3.medium'], minSize: 0, desiredSize: 0 })] }));
    expect(findings.map((f) => f.code)).toEqual(['ca-template-max-pods']);
    expect(findings[0].message).toContain("Cluster Autoscaler's template node assumes 110 pods but the nodes run 17");
  });

  it('warns when Karpenter sizes nodes with ENI-limited pods under prefix delegation', () => {
    const findings = checkMaxPods(model({ vpcCni: pd, objects: [object('EC2NodeClass', 'default', { role: 'r' })] }));
    expect(findings.map((f) => f.code)).toEqual(['karpenter-max-pods-without-prefix-delegation']);
    const fixed = checkMaxPods(model({ vpcCni: pd, objects: [object('EC2NodeClass', 'default', { role: 'r', kubelet: { maxPods: 110 } })] }));
    expect(fixed).toEqual([]);
  });
});

describe('Karpenter CRD schema validation (@kubernetes-models/karpenter)', () => {
  const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };
  const pool = (spec: Record<string, unknown>) => object('NodePool', 'general', spec);
  const nodeClass = (spec: Record<string, unknown>) => object('EC2NodeClass', 'default', spec);
  const validClass = {
    role: '${Token[TOKEN.123]}', amiSelectorTerms: [{ alias: 'al2023@latest' }],
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'reference' } }], securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'reference' } }],
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
  };

  it.each([
    ['a valid NodePool', pool({ template: { spec: { nodeClassRef, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] } }, limits: { cpu: '1000' } }), []],
    ['a valid EC2NodeClass with a token role', nodeClass(validClass), []],
    ['an unknown requirement operator', pool({ template: { spec: { nodeClassRef, requirements: [{ key: 'a', operator: 'Bogus' }] } } }),
      ['spec.template.spec.requirements[0].operator: must be one of DoesNotExist, Exists, Gt, In, Lt, NotIn']],
    ['a NodePool without nodeClassRef', pool({ template: { spec: { requirements: [] } } }), ['spec.template.spec.nodeClassRef: is required']],
    ['an unknown consolidation policy', pool({ template: { spec: { nodeClassRef, requirements: [] } }, disruption: { consolidationPolicy: 'Always', consolidateAfter: '30s' } }),
      ['spec.disruption.consolidationPolicy: must be one of WhenEmpty, WhenEmptyOrUnderutilized']],
    ['a weight above 100', pool({ template: { spec: { nodeClassRef, requirements: [] } }, weight: 101 }), ['spec.weight: must be <= 100']],
    // v1 requires consolidateAfter once disruption is written (the CRD defaults only an absent disruption block).
    ['disruption without consolidateAfter', pool({ template: { spec: { nodeClassRef, requirements: [] } }, disruption: { consolidationPolicy: 'WhenEmpty' } }),
      ['spec.disruption.consolidateAfter: is required']],
    ['requirements left out', pool({ template: { spec: { nodeClassRef } } }), ['spec.template.spec.requirements: is required']],
    // An int-or-string quantity fails once per branch: reported as one line.
    ['a limit that is neither number nor string', pool({ template: { spec: { nodeClassRef, requirements: [] } }, limits: { cpu: true } }), ['spec.limits.cpu: must be number or string']],
    ['an EC2NodeClass without subnet selectors', nodeClass({ ...validClass, subnetSelectorTerms: undefined }), ['spec.subnetSelectorTerms: is required']],
    ['an IMDS hop limit out of range', nodeClass({ ...validClass, metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 99 } }),
      ['spec.metadataOptions.httpPutResponseHopLimit: must be <= 64']],
  ])('%s', (_name, input, expected) => {
    const findings = checkKubernetesSchemas(model({ objects: [input] }));
    expect(findings.map((f) => f.message.replace(/; the API server would reject it at deploy time$/, ''))).toEqual(expected.length ? [expected.join('; ')] : []);
    for (const finding of findings) expect(finding.object).toBe(`${input.object.kind} ${input.object.metadata.name} (Platform.template.json)`);
  });
});

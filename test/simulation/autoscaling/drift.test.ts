import { driftReason, driftTemplate } from '../../../simulation/autoscaling/karpenter/drift';
import type { PreparedNodePool } from '../../../simulation/autoscaling/karpenter/instance-types';
import {
  EC2NODECLASS_HASH_VERSION_ANNOTATION, ec2NodeClassHash, launchAnnotations, NODEPOOL_HASH_VERSION_ANNOTATION, nodePoolHash,
} from '../../../simulation/model/karpenter-hash';
import type { KarpenterEc2NodeClass, KarpenterNodePool } from '../../../simulation/model/kubernetes';

// Ported from kubernetes-sigs/karpenter pkg/controllers/nodeclaim/disruption/drift_test.go (NodePool static and
// requirement drift) and aws/karpenter-provider-aws pkg/cloudprovider/suite_test.go "Drift" (EC2NodeClass static,
// AMI, subnet and security group drift). Each row names its upstream case.

const POOL = {
  apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'default' },
  spec: {
    template: {
      metadata: { labels: { team: 'a' }, annotations: { note: 'x' } },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c'] }],
        taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }],
      },
    },
    disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s', budgets: [{ nodes: '10%' }] },
    limits: { cpu: '100' },
    weight: 10,
  },
} as unknown as KarpenterNodePool;

const CLASS = {
  apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'default' },
  spec: {
    role: 'KarpenterNodeRole', amiSelectorTerms: [{ alias: 'al2023@latest' }],
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }], securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }],
    userData: 'echo hi', tags: { team: 'a' }, blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '20Gi', volumeType: 'gp3' } }],
  },
} as unknown as KarpenterEc2NodeClass;

type Mutation = (spec: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
const withPool = (mutate: Mutation): KarpenterNodePool => { const pool = structuredClone(POOL); mutate(pool.spec as Record<string, unknown>); return pool; };
const withClass = (mutate: Mutation): KarpenterEc2NodeClass => { const nodeClass = structuredClone(CLASS); mutate(nodeClass.spec as Record<string, unknown>); return nodeClass; };
const template = (pool: KarpenterNodePool, nodeClass: KarpenterEc2NodeClass, subnets?: string[]) => driftTemplate({ pool, nodeClass } as unknown as PreparedNodePool, subnets ? new Set(subnets) : undefined);
const LABELS = { 'karpenter.k8s.aws/instance-category': 'c', 'kubernetes.io/os': 'linux', 'karpenter.sh/capacity-type': 'on-demand', 'topology.kubernetes.io/zone': 'us-east-1a' };
const launched = launchAnnotations(POOL, CLASS);

describe('drift_test.go: NodePool static drift (hash of spec.template, requirements ignored)', () => {
  it.each<[string, Mutation]>([
    ['should return drifted if the NodePool template annotations change', (s) => { s.template.metadata.annotations = { note: 'y' }; }],
    ['should return drifted if the NodePool template labels change', (s) => { s.template.metadata.labels = { team: 'b' }; }],
    ['should return drifted if the NodePool taints change', (s) => { s.template.spec.taints = [{ key: 'a', value: 'c', effect: 'NoSchedule' }]; }],
    ['should return drifted if the NodePool startupTaints change', (s) => { s.template.spec.startupTaints = [{ key: 's', effect: 'NoSchedule' }]; }],
    ['should return drifted if the NodePool nodeClassRef name changes', (s) => { s.template.spec.nodeClassRef.name = 'other'; }],
    ['should return drifted if the NodePool expireAfter changes', (s) => { s.template.spec.expireAfter = '24h'; }],
    ['should return drifted if the NodePool terminationGracePeriod changes', (s) => { s.template.spec.terminationGracePeriod = '1h'; }],
  ])('%s', (_name, mutate) => {
    expect(driftReason(LABELS, launched, template(withPool(mutate), CLASS))).toBe('NodePoolDrifted');
  });

  it.each<[string, Mutation]>([
    ['should not return drifted if the NodePool weight changes', (s) => { s.weight = 50; }],
    ['should not return drifted if the NodePool limits change', (s) => { s.limits = { cpu: '5' }; }],
    ['should not return drifted if the consolidation policy or consolidateAfter changes', (s) => { s.disruption = { consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m' }; }],
    ['should not return drifted if the budgets change', (s) => { s.disruption.budgets = [{ nodes: '0', reasons: ['Drifted'] }]; }],
    ['should not return drifted if the requirements change compatibly (requirements are hash:"ignore")', (s) => { s.template.spec.requirements = [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'] }]; }],
    ['should not return drifted if expireAfter is set to its default 720h', (s) => { s.template.spec.expireAfter = '720h'; }],
  ])('%s', (_name, mutate) => {
    expect(driftReason(LABELS, launched, template(withPool(mutate), CLASS))).toBeUndefined();
  });

  it('should not return drifted if the NodeClaim hash version differs from the NodePool\'s (areStaticFieldsDrifted)', () => {
    const older = { ...launched, [NODEPOOL_HASH_VERSION_ANNOTATION]: 'v2' };
    expect(driftReason(LABELS, older, template(withPool((s) => { s.template.metadata.labels = { team: 'b' }; }), CLASS))).toBeUndefined();
  });

  it('should not return drifted if the NodeClaim has no hash annotation', () => {
    expect(driftReason(LABELS, {}, template(withPool((s) => { s.template.spec.taints = []; }), CLASS))).toBeUndefined();
  });

  it('should detect static drift before requirement drift', () => {
    const pool = withPool((s) => { s.template.metadata.labels = { team: 'b' }; s.template.spec.requirements[0].values = ['m']; });
    expect(driftReason(LABELS, launched, template(pool, CLASS))).toBe('NodePoolDrifted');
  });

  it('hashes the same for two orderings of map keys and of taints (hashstructure SlicesAsSets)', () => {
    const reordered = withPool((s) => { s.template.metadata = { annotations: { note: 'x' }, labels: { team: 'a' } }; });
    expect(nodePoolHash(reordered)).toBe(nodePoolHash(POOL));
    const t1 = { key: 'a', value: 'b', effect: 'NoSchedule' };
    const t2 = { key: 'c', effect: 'NoExecute' };
    expect(nodePoolHash(withPool((s) => { s.template.spec.taints = [t1, t2]; }))).toBe(nodePoolHash(withPool((s) => { s.template.spec.taints = [t2, t1]; })));
    expect(nodePoolHash(withPool((s) => { s.template.spec.taints = [t1, t2]; }))).not.toBe(nodePoolHash(POOL));
  });
});

describe('drift_test.go: requirement drift (NodeClaim labels against NodePool requirements)', () => {
  it.each<[string, unknown[], string | undefined]>([
    ['should return drifted if a requirement no longer allows the instance category (In)', [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['m'] }], 'RequirementsDrifted'],
    ['should return drifted if a NotIn requirement now excludes the label', [{ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['us-east-1a'] }], 'RequirementsDrifted'],
    ['should return drifted if the capacity type is no longer allowed', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }], 'RequirementsDrifted'],
    ['should return drifted if the operating system is no longer allowed', [{ key: 'kubernetes.io/os', operator: 'In', values: ['windows'] }], 'RequirementsDrifted'],
    ['should return drifted if a DoesNotExist requirement names a label the node has', [{ key: 'kubernetes.io/os', operator: 'DoesNotExist' }], 'RequirementsDrifted'],
    ['should return drifted if an In requirement names a label the node lacks', [{ key: 'example.com/team', operator: 'In', values: ['a'] }], 'RequirementsDrifted'],
    ['should not return drifted if the requirements still allow the labels', [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'] }], undefined],
    ['should not return drifted for a NotIn requirement on a label the node lacks', [{ key: 'example.com/team', operator: 'NotIn', values: ['a'] }], undefined],
    ['should not return drifted for an Exists requirement on a label the node has', [{ key: 'topology.kubernetes.io/zone', operator: 'Exists' }], undefined],
  ])('%s', (_name, requirements, expected) => {
    expect(driftReason(LABELS, launched, template(withPool((s) => { s.template.spec.requirements = requirements; }), CLASS))).toBe(expected);
  });
});

describe('cloudprovider suite_test.go Drift: EC2NodeClass static drift (hash of the spec without selector terms)', () => {
  it.each<[string, Mutation]>([
    ['should return drifted if the userData changes', (s) => { s.userData = 'echo bye'; }],
    ['should return drifted if the tags change', (s) => { s.tags = { team: 'b' }; }],
    ['should return drifted if the blockDeviceMappings change', (s) => { s.blockDeviceMappings[0].ebs.volumeSize = '40Gi'; }],
    ['should return drifted if the metadataOptions change', (s) => { s.metadataOptions = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 2, httpTokens: 'required' }; }],
    ['should return drifted if detailedMonitoring changes', (s) => { s.detailedMonitoring = true; }],
    ['should return drifted if associatePublicIPAddress changes', (s) => { s.associatePublicIPAddress = true; }],
    ['should return drifted if the role changes', (s) => { s.role = 'OtherRole'; }],
    ['should return drifted if the kubelet configuration changes', (s) => { s.kubelet = { maxPods: 110 }; }],
    ['should return drifted if the resolved amiFamily changes (Custom with the same alias)', (s) => { s.amiFamily = 'Custom'; }],
  ])('%s', (_name, mutate) => {
    expect(driftReason(LABELS, launched, template(POOL, withClass(mutate)))).toBe('NodeClassDrift');
  });

  it.each<[string, Mutation]>([
    ['should not return drifted if amiFamily is set to the alias family (hashed as resolved)', (s) => { s.amiFamily = 'AL2023'; }],
    ['should not return drifted if metadataOptions is set to its default', (s) => { s.metadataOptions = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' }; }],
    ['should not return drifted if ipPrefixCount changes (hash:"ignore")', (s) => { s.ipPrefixCount = 2; }],
  ])('%s', (_name, mutate) => {
    expect(driftReason(LABELS, launched, template(POOL, withClass(mutate)))).toBeUndefined();
  });

  it.each<[string, Mutation]>([
    ['subnetSelectorTerms', (s) => { s.subnetSelectorTerms = [{ id: 'subnet-1' }]; }],
    ['securityGroupSelectorTerms', (s) => { s.securityGroupSelectorTerms = [{ id: 'sg-1' }]; }],
    ['amiSelectorTerms', (s) => { s.amiSelectorTerms = [{ alias: 'al2023@v20240625' }]; }],
  ])('should not change the EC2NodeClass hash when dynamic field %s changes', (_field, mutate) => {
    expect(ec2NodeClassHash(withClass(mutate))).toBe(ec2NodeClassHash(CLASS));
  });

  it('should not return NodeClassDrift if the hash versions differ', () => {
    const older = { ...launched, [EC2NODECLASS_HASH_VERSION_ANNOTATION]: 'v3' };
    expect(driftReason(LABELS, older, template(POOL, withClass((s) => { s.userData = 'echo bye'; })))).toBeUndefined();
  });
});

describe('cloudprovider suite_test.go Drift: AMI, security group and subnet drift', () => {
  it('should return drifted if the AMI is not valid (the selector now picks another image)', () => {
    expect(driftReason(LABELS, launched, template(POOL, withClass((s) => { s.amiSelectorTerms = [{ alias: 'bottlerocket@latest' }]; s.amiFamily = undefined; })))).toBe('NodeClassDrift');
    expect(driftReason(LABELS, launched, template(POOL, withClass((s) => { s.amiSelectorTerms = [{ alias: 'al2023@v20240625' }]; })))).toBe('AMIDrift');
  });

  it('should return drifted if the security groups do not match', () => {
    expect(driftReason(LABELS, launched, template(POOL, withClass((s) => { s.securityGroupSelectorTerms = [{ id: 'sg-1' }]; })))).toBe('SecurityGroupDrift');
  });

  it('should return drifted if the subnet is not valid', () => {
    expect(driftReason(LABELS, launched, template(POOL, CLASS, ['PrivateB']), 'PrivateA')).toBe('SubnetDrift');
    expect(driftReason(LABELS, launched, template(POOL, CLASS, ['PrivateA', 'PrivateB']), 'PrivateA')).toBeUndefined();
  });

  it('should not return drifted if the NodeClaim is valid', () => {
    expect(driftReason(LABELS, launched, template(POOL, CLASS, ['PrivateA']), 'PrivateA')).toBeUndefined();
  });
});

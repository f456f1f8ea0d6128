import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Karpenter } from '../../constructs/capacity/karpenter';
import { ManagedNodeGroup, type ManagedNodeGroupProps } from '../../constructs/capacity/managed-node-group';
import { EksCluster } from '../../constructs/cluster/eks-cluster';
import { manifestObjects, referenceTemplate } from '../support/reference-stack';

function fixture(): { stack: Stack; cluster: EksCluster } {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  return { stack, cluster: new EksCluster(stack, 'Cluster', { vpc, clusterName: 'test' }) };
}

describe('ManagedNodeGroup', () => {
  const { template } = referenceTemplate();

  it('runs AL2023 with an IMDSv2-only launch template and an encrypted gp3 root volume', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'AL2023_x86_64_STANDARD', CapacityType: 'ON_DEMAND', InstanceTypes: ['m7i.large'], ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 3 } });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }],
      }),
    });
  });

  it('taints the system node group CriticalAddonsOnly', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', { Taints: [{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }], Labels: { role: 'system' } });
  });

  const base: Omit<ManagedNodeGroupProps, 'cluster'> = { kubernetesVersion: '1.36', instanceTypes: ['m6i.large'], minSize: 1, desiredSize: 2, maxSize: 3 };

  it('sets kubelet maxPods in the nodeadm NodeConfig when prefix delegation is on', () => {
    const { stack, cluster } = fixture();
    const group = new ManagedNodeGroup(stack, 'Ng', { ...base, cluster: cluster.cluster, prefixDelegation: true });
    expect(group.maxPods).toBe(110);
    const t = Template.fromStack(stack);
    const lt = Object.values(t.findResources('AWS::EC2::LaunchTemplate'))[0] as { Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': string } } } };
    expect(lt.Properties.LaunchTemplateData.UserData['Fn::Base64']).toContain('kind: NodeConfig');
    expect(lt.Properties.LaunchTemplateData.UserData['Fn::Base64']).toContain('maxPods: 110');
  });

  it('keeps the ENI max pods without prefix delegation and allows IMDS hop limit 2 when pods need it', () => {
    const { stack, cluster } = fixture();
    const group = new ManagedNodeGroup(stack, 'Ng', { ...base, cluster: cluster.cluster, podsNeedImds: true });
    expect(group.maxPods).toBe(29);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ MetadataOptions: Match.objectLike({ HttpPutResponseHopLimit: 2 }) }) });
  });

  it.each([
    ['AL2 on 1.33+', { amiType: 'AL2_x86_64' as const }, "ManagedNodeGroup 'Test/Ng': amiType AL2_x86_64: Amazon Linux 2 AMIs are not published for Kubernetes 1.33 and later"],
    ['minSize > maxSize', { minSize: 4, desiredSize: 4, maxSize: 3 }, 'minSize (4) must not exceed maxSize (3)'],
    ['desired outside min..max', { desiredSize: 5 }, 'desiredSize (5) must be between minSize (1) and maxSize (3)'],
    ['an unknown instance type family', { instanceTypes: ['x9z.large'] }, /instanceTypes unknown instance type 'x9z\.large'; \d+ families are known/],
    ['an unknown size', { instanceTypes: ['m6i.huge'] }, "unknown instance type 'm6i.huge'; m6i sizes: m6i.large"],
    ['mixed architectures', { instanceTypes: ['m6i.large', 'm7g.large'] }, 'mix architectures'],
    ['an AMI of the wrong architecture', { amiType: 'AL2023_ARM_64_STANDARD' as const }, 'does not match the amd64 instance types'],
    ['a tiny root volume', { diskSizeGiB: 8 }, 'diskSizeGiB must be 20 to 16384 GiB'],
  ])('fails when given %s', (_name, props, message) => {
    const { stack, cluster } = fixture();
    expect(() => new ManagedNodeGroup(stack, 'Ng', { ...base, cluster: cluster.cluster, ...props })).toThrow(message);
  });
});

describe('Karpenter', () => {
  const { template } = referenceTemplate();

  it('gives the controller a Pod Identity role scoped to the karpenter service account', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'karpenter', ServiceAccount: 'karpenter' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
  });

  it('scopes RunInstances to resources tagged for the cluster and a NodePool, and PassRole to the node role', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('AllowScopedEC2InstanceActionsWithTags');
    expect(policies).toContain('"aws:RequestTag/kubernetes.io/cluster/reference":"owned"');
    expect(policies).toContain('AllowPassingInstanceRole');
  });

  it('lets its node role join as EC2_LINUX', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', { Type: 'EC2_LINUX', PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KarpenterNodeRole'), 'Arn'] } });
  });

  it('feeds the interruption queue from four EventBridge rules', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'reference-karpenter', MessageRetentionPeriod: 300, SqsManagedSseEnabled: true });
    for (const detailType of ['EC2 Spot Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation', 'EC2 Instance State-change Notification', 'AWS Health Event']) {
      template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': [detailType] }), Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KarpenterInterruptionQueue'), 'Arn'] } })] });
    }
  });

  it('installs a pinned Karpenter 1.x chart that knows the queue', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'karpenter', Version: Match.stringLikeRegexp('^1\\.'), Repository: 'oci://public.ecr.aws/karpenter/karpenter' });
  });

  it('renders the NodePool and EC2NodeClass as karpenter.sh/v1 and karpenter.k8s.aws/v1 after the chart', () => {
    const objects = manifestObjects(template);
    const pool = objects.find((o) => o.kind === 'NodePool') as { apiVersion: string; spec: { template: { spec: { requirements: unknown[]; nodeClassRef: unknown } }; limits: unknown; disruption: unknown } };
    expect(pool.apiVersion).toBe('karpenter.sh/v1');
    expect(pool.spec.template.spec.requirements).toEqual([
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
      { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
    ]);
    expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'general' });
    expect(pool.spec.limits).toEqual({ cpu: '200', memory: '800Gi' });
    expect(pool.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m', budgets: [{ nodes: '10%' }] });
    const nodeClass = objects.find((o) => o.kind === 'EC2NodeClass') as { apiVersion: string; spec: Record<string, unknown> };
    expect(nodeClass.apiVersion).toBe('karpenter.k8s.aws/v1');
    expect(nodeClass.spec.metadataOptions).toEqual({ httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' });
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'reference' } }]);
    const resources = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const poolResource = Object.values(resources).find((r) => JSON.stringify(r).includes('"kind\\":\\"NodePool')) as { DependsOn: string[] };
    expect(poolResource.DependsOn.some((d) => d.startsWith('ClusterchartKarpenterChart'))).toBe(true);
  });

  it('trusts only the karpenter service account through IRSA when asked', () => {
    const { stack, cluster } = fixture();
    new Karpenter(stack, 'Karpenter', { cluster: cluster.cluster, clusterName: 'test', identity: 'irsa', oidcProvider: cluster.oidcProvider });
    const json = JSON.stringify(Template.fromStack(stack).findResources('Custom::AWSCDKCfnJson'));
    expect(json).toContain(':sub');
    expect(json).toContain('system:serviceaccount:karpenter:karpenter');
    expect(json).toContain('sts.amazonaws.com');
  });

  describe('NodePool validation', () => {
    const karpenter = () => {
      const { stack, cluster } = fixture();
      return new Karpenter(stack, 'Karpenter', { cluster: cluster.cluster, clusterName: 'test' });
    };
    it.each([
      ['a limit that is not a quantity', { limits: { cpu: '1000 cores' } }, "NodePool 'Test/Karpenter/Pool': limits.cpu must be a Kubernetes quantity such as '1000', '500m' or '1000Gi', got '1000 cores'"],
      ['a bad consolidateAfter', { consolidateAfter: 'soon' }, "consolidateAfter must be a duration like '30s', '5m' or '720h' (or 'Never'), got 'soon'"],
      ['a weight above 100', { weight: 101 }, 'weight must be an integer from 1 to 100, got 101'],
      ['In without values', { requirements: [{ key: 'kubernetes.io/arch', operator: 'In' as const, values: [] }] }, 'requirements[0].values must not be empty for In'],
      ['a bad budget', { budgets: [{ nodes: 'ten' }] }, "budgets[0].nodes must be a count or a percentage like '10%', got 'ten'"],
    ])('fails when given %s', (_name, props, message) => {
      expect(() => karpenter().addNodePool('Pool', { nodeClassName: 'default', ...props })).toThrow(message);
    });
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EksCluster } from '../../constructs/cluster/eks-cluster';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from '../../constructs/cluster/versions';
import { EksVpc, privateSubnetMaskFor } from '../../constructs/network/eks-vpc';
import { PINNED_ADDON_VERSIONS } from '../../simulation/catalog/addon-versions';
import { manifestObjects, referenceTemplate } from '../support/reference-stack';

function testStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('EksVpc', () => {
  const { template } = referenceTemplate();

  it('has public and private subnets in three AZs, private ones /19', () => {
    // GIVEN the reference platform  WHEN synthesized  THEN
    for (const az of ['us-east-1a', 'us-east-1b', 'us-east-1c']) {
      template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: az, CidrBlock: Match.stringLikeRegexp('/19$') });
      template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: az, CidrBlock: Match.stringLikeRegexp('/24$') });
    }
  });

  it('tags subnets for load balancers and Karpenter discovery', () => {
    template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: Match.stringLikeRegexp('/24$'), Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/elb', Value: '1' }]) });
    template.hasResourceProperties('AWS::EC2::Subnet', {
      CidrBlock: Match.stringLikeRegexp('/19$'),
      Tags: Match.arrayWith([{ Key: 'karpenter.sh/discovery', Value: 'reference' }, { Key: 'kubernetes.io/role/internal-elb', Value: '1' }]),
    });
  });

  it('has an S3 gateway endpoint and ECR (api, dkr) and STS interface endpoints', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }) });
    for (const service of ['ecr.api', 'ecr.dkr', 'sts']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', ServiceName: `com.amazonaws.us-east-1.${service}`, PrivateDnsEnabled: true });
    }
  });

  it('records rejected traffic in VPC flow logs kept 90 days', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('records all traffic when asked', () => {
    const stack = testStack();
    new EksVpc(stack, 'Vpc', { clusterName: 'c', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], flowLogTraffic: 'ALL', flowLogRetentionDays: 30 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('has the NAT gateways asked for', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  it.each([
    // [expected pods, AZs, mode, mask]: /19 floor; 40,000 pods over 3 AZs in secondary-IP mode need ~29k per AZ → /17
    [3000, 3, 'secondary-ip', 19], [20000, 3, 'secondary-ip', 18], [40000, 3, 'secondary-ip', 17], [40000, 3, 'prefix-delegation', 17], [500000, 3, 'secondary-ip', 16],
  ] as const)('sizes private subnets for %i pods over %i AZs (%s): /%i', (pods, azs, mode, mask) => {
    expect(privateSubnetMaskFor(pods, azs, mode)).toBe(mask);
  });

  it('adds the 100.64.0.0/16 secondary CIDR with pod subnets', () => {
    const stack = testStack();
    new EksVpc(stack, 'Vpc', { clusterName: 'c', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], secondaryCidr: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::VPCCidrBlock', { CidrBlock: '100.64.0.0/16' });
    t.resourceCountIs('AWS::EC2::Subnet', 9);
  });

  it.each([
    ['cidr', { cidr: '10.0.0.0/33' }, "EksVpc 'Test/Vpc': cidr invalid CIDR '10.0.0.0/33'"],
    ['cidr', { cidr: '10.0.0.1/16' }, 'host bits are set'],
    ['cidr', { cidr: '10.0.0.0/24' }, 'must be a /16 to /20 network'],
    ['natGateways', { natGateways: 4 }, 'natGateways must be an integer from 1 to 3'],
    ['expectedPods', { expectedPods: -5 }, 'expectedPods must be a positive integer'],
    ['privateSubnetMask', { privateSubnetMask: 26 }, 'privateSubnetMask must be from /18 to /24'],
    ['flowLogRetentionDays', { flowLogRetentionDays: 45 }, 'flowLogRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90,'],
  ])('fails when %s is invalid (%j)', (_prop, props, message) => {
    expect(() => new EksVpc(testStack(), 'Vpc', { clusterName: 'c', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], ...props })).toThrow(message);
  });
});

describe('EksCluster', () => {
  const { template } = referenceTemplate();

  it('logs all five control-plane log types', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }, { Type: 'controllerManager' }, { Type: 'scheduler' }] } },
    });
  });

  it('encrypts secrets with a rotating KMS key', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { EncryptionConfig: [{ Provider: { KeyArn: Match.anyValue() }, Resources: ['secrets'] }] });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('uses access entries only (API mode), a private endpoint, no Auto Mode', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
      ComputeConfig: { Enabled: false },
      Version: DEFAULT_KUBERNETES_VERSION,
    });
  });

  it('uses the native OIDC provider, not the deprecated custom resource', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
  });

  it('defaults to the newest Kubernetes version with a kubectl layer, and every supported version has pins', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe(SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1]);
    expect(Number(DEFAULT_KUBERNETES_VERSION.split('.')[1])).toBeGreaterThanOrEqual(31);
    for (const version of Object.keys(KUBERNETES_VERSIONS)) {
      expect(Object.keys(PINNED_ADDON_VERSIONS[version] ?? {}).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    }
  });

  describe('access', () => {
    const make = (props: Partial<ConstructorParameters<typeof EksCluster>[2]> = {}) => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
      return { stack, cluster: new EksCluster(stack, 'Cluster', { vpc, clusterName: 'c', ...props }) };
    };

    it('maps the admin role with the cluster admin access policy and scopes team policies to namespaces', () => {
      const { stack } = make({ adminRoleArn: 'arn:aws:iam::111111111111:role/admin', teams: [{ principalArn: 'arn:aws:iam::111111111111:role/payments', policy: 'AmazonEKSEditPolicy', namespaces: ['payments'] }] });
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::EKS::AccessEntry', { PrincipalArn: 'arn:aws:iam::111111111111:role/admin', AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'cluster' } })] });
      const admin = Object.values(t.findResources('AWS::EKS::AccessEntry', { Properties: { PrincipalArn: 'arn:aws:iam::111111111111:role/admin' } }));
      expect(JSON.stringify(admin)).toContain(':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
      t.hasResourceProperties('AWS::EKS::AccessEntry', { PrincipalArn: 'arn:aws:iam::111111111111:role/payments', AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'namespace', Namespaces: ['payments'] } })] });
    });

    it('renders aws-auth role mappings into one ConfigMap', () => {
      const { stack, cluster } = make({ authenticationMode: 'API_AND_CONFIG_MAP' });
      cluster.addRoleMapping({ roleArn: 'arn:aws:iam::111111111111:role/ci', username: 'ci', groups: ['deployers'] });
      cluster.addRoleMapping({ roleArn: 'arn:aws:iam::111111111111:role/ops', username: 'ops', groups: ['viewers'] });
      const objects = manifestObjects(Template.fromStack(stack)).filter((o) => o.kind === 'ConfigMap');
      expect(objects).toHaveLength(1);
      expect((objects[0] as { data: { mapRoles: string } }).data.mapRoles).toBe('- rolearn: arn:aws:iam::111111111111:role/ci\n  username: ci\n  groups:\n    - deployers\n- rolearn: arn:aws:iam::111111111111:role/ops\n  username: ops\n  groups:\n    - viewers\n');
    });

    it('fails when a mapping would grant system:masters without allowSystemMasters', () => {
      const { cluster } = make({ authenticationMode: 'API_AND_CONFIG_MAP' });
      expect(() => cluster.addRoleMapping({ roleArn: 'arn:aws:iam::111111111111:role/x', username: 'x', groups: ['system:masters'] }))
        .toThrow("EksCluster 'Test/Cluster': addRoleMapping would grant system:masters to arn:aws:iam::111111111111:role/x");
    });

    it('fails when the version has no kubectl layer', () => {
      expect(() => make({ version: '1.29' })).toThrow(`version must be one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`);
    });

    it('fails when a team principal is not an IAM ARN', () => {
      expect(() => make({ teams: [{ principalArn: 'payments-team', policy: 'AmazonEKSViewPolicy' }] })).toThrow("teams.principalArn must be an IAM role or user ARN, got 'payments-team'");
    });
  });
});

describe('add-ons', () => {
  const { template } = referenceTemplate();

  it.each(['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'aws-ebs-csi-driver'])('installs %s at the pinned version', (name) => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: name, AddonVersion: PINNED_ADDON_VERSIONS[DEFAULT_KUBERNETES_VERSION][name] });
  });

  it('configures the VPC CNI through its add-on configuration', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', ConfigurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'false' }, enableNetworkPolicy: 'true' }) });
  });

  it('gives the EBS CSI driver its Pod Identity role', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver', PodIdentityAssociations: [{ ServiceAccount: 'ebs-csi-controller-sa', RoleArn: Match.anyValue() }] });
  });

  it('installs the Load Balancer Controller and metrics-server charts, pinned', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'aws-load-balancer-controller', Version: Match.stringLikeRegexp('^\\d+\\.\\d+\\.\\d+$') });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'metrics-server', Version: Match.stringLikeRegexp('^\\d+\\.\\d+\\.\\d+$') });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['elasticloadbalancing:CreateLoadBalancer']), Condition: { StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'reference' } } })]) } });
  });
});

describe('workload data access', () => {
  const { template } = referenceTemplate();

  it('reads the workload bucket with s3:GetObject and s3:ListBucket only, and logs access to the access-log bucket', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }).Properties.PolicyDocument.Statement)
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .filter((a) => a.startsWith('s3:'));
    expect([...new Set(statements)].sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'Identity-jobs-worker/' } });
  });
});

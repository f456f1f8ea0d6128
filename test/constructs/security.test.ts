import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Testing } from 'cdk8s';
import { CoreAddons } from '../../constructs/addons/core-addons';
import { EksCluster, type EksClusterProps } from '../../constructs/cluster/eks-cluster';
import { PodIdentityRole } from '../../constructs/identity/pod-identity-role';
import { AppNamespace } from '../../constructs/workloads/app-namespace';
import { WebService, type WebServiceProps } from '../../constructs/workloads/web-service';
import { Worker } from '../../constructs/workloads/worker';
import { manifestObjects, referenceTemplate } from '../support/reference-stack';

// Security defaults, each against the EKS Best Practices guide (security section), on a bare construct and on
// the reference platform.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function testStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

function cluster(props: Partial<EksClusterProps> = {}): { stack: Stack; eks: EksCluster } {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  return { stack, eks: new EksCluster(stack, 'Cluster', { vpc, clusterName: 'c', ...props }) };
}

function clusterProperties(template: Template): Json {
  return (Object.values(template.findResources('AWS::EKS::Cluster'))[0] as Json).Properties;
}

describe('cluster endpoint', () => {
  it('is private by default, in the construct and on the reference platform', () => {
    // GIVEN a cluster with no endpoint props  WHEN synthesized  THEN only the private endpoint is on
    for (const template of [Template.fromStack(cluster().stack), referenceTemplate().template]) {
      const vpcConfig = clusterProperties(template).ResourcesVpcConfig;
      expect({ public: vpcConfig.EndpointPublicAccess, private: vpcConfig.EndpointPrivateAccess, cidrs: vpcConfig.PublicAccessCidrs }).toEqual({ public: false, private: true, cidrs: undefined });
    }
  });

  it('opens the public endpoint only to the CIDRs named', () => {
    const { stack } = cluster({ endpointAccess: 'public-and-private', publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] }),
    });
  });

  it('accepts 0.0.0.0/0 only with a stated reason', () => {
    const { stack } = cluster({ endpointAccess: 'public-and-private', publicAccessCidrs: ['0.0.0.0/0'], openPublicEndpoint: { reason: 'SaaS CI runners with no fixed egress addresses' } });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { ResourcesVpcConfig: Match.objectLike({ PublicAccessCidrs: ['0.0.0.0/0'] }) });
  });

  it.each([
    ['public access without CIDRs', { endpointAccess: 'public-and-private' }, "EksCluster 'Test/Cluster': publicAccessCidrs must name the CIDRs allowed to reach the public endpoint"],
    ['0.0.0.0/0 without a reason', { endpointAccess: 'public-and-private', publicAccessCidrs: ['0.0.0.0/0'] }, "publicAccessCidrs '0.0.0.0/0' opens the Kubernetes API to the whole internet"],
    ['::/0 without a reason', { endpointAccess: 'public-and-private', publicAccessCidrs: ['203.0.113.0/24', '::/0'] }, "publicAccessCidrs '::/0' opens the Kubernetes API to the whole internet"],
    ['0.0.0.0/0 with a token reason', { endpointAccess: 'public-and-private', publicAccessCidrs: ['0.0.0.0/0'], openPublicEndpoint: { reason: 'needed' } }, 'at least 20 characters'],
    ['a CIDR with host bits', { endpointAccess: 'public-and-private', publicAccessCidrs: ['203.0.113.9/24'] }, "publicAccessCidrs '203.0.113.9/24' has host bits set (the network is 203.0.113.0/24)"],
    ['a CIDR that is not one', { endpointAccess: 'public-and-private', publicAccessCidrs: ['office'] }, "publicAccessCidrs 'office' is not an IPv4 CIDR"],
    ['CIDRs on a private endpoint', { publicAccessCidrs: ['203.0.113.0/24'] }, "publicAccessCidrs only apply with endpointAccess 'public-and-private'"],
    ['an opt-in that opens nothing', { endpointAccess: 'public-and-private', publicAccessCidrs: ['203.0.113.0/24'], openPublicEndpoint: { reason: 'left over from an old setup, not needed' } }, 'openPublicEndpoint is set but publicAccessCidrs has no 0.0.0.0/0'],
  ] as [string, Partial<EksClusterProps>, string][])('fails when given %s', (_name, props, message) => {
    expect(() => cluster(props)).toThrow(message);
  });
});

describe('authentication', () => {
  it('uses access entries only (API) and gives the deployment role no cluster admin, by default', () => {
    const access = clusterProperties(Template.fromStack(cluster().stack)).AccessConfig;
    expect(access).toEqual({ AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false });
  });

  it('honours aws-auth (API_AND_CONFIG_MAP) when role mappings are given, and bootstrap admin when chosen', () => {
    const { stack } = cluster({ roleMappings: [{ roleArn: 'arn:aws:iam::111111111111:role/ci', username: 'ci', groups: ['deployers'] }], bootstrapClusterCreatorAdminPermissions: true });
    const t = Template.fromStack(stack);
    expect(clusterProperties(t).AccessConfig).toEqual({ AuthenticationMode: 'API_AND_CONFIG_MAP', BootstrapClusterCreatorAdminPermissions: true });
    expect(manifestObjects(t).filter((o) => o.kind === 'ConfigMap').map((o) => (o.metadata as Json).name)).toEqual(['aws-auth']);
  });

  it('fails when a role mapping is added to an API-mode cluster', () => {
    const { eks } = cluster();
    expect(() => eks.addRoleMapping({ roleArn: 'arn:aws:iam::111111111111:role/ci', username: 'ci', groups: ['deployers'] }))
      .toThrow("EksCluster 'Test/Cluster': addRoleMapping needs authenticationMode 'API_AND_CONFIG_MAP' (the cluster uses 'API', which ignores aws-auth)");
  });
});

describe('control-plane log group', () => {
  it('is created in the template as /aws/eks/<name>/cluster, kept 90 days, KMS-encrypted, before the cluster', () => {
    const { template } = referenceTemplate();
    const groups = template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/aws/eks/reference/cluster' } });
    expect(Object.values(groups).map((g) => ({ retention: (g as Json).Properties.RetentionInDays, kms: (g as Json).Properties.KmsKeyId !== undefined }))).toEqual([{ retention: 90, kms: true }]);
    const cluster = Object.values(template.findResources('AWS::EKS::Cluster'))[0] as Json;
    expect(cluster.DependsOn).toEqual(expect.arrayContaining([Object.keys(groups)[0]]));
    // The key lets CloudWatch Logs use it for this log group only.
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/eks/reference/cluster' } },
      })]) },
    });
  });

  it('takes another retention, and fails when it is not one CloudWatch Logs offers', () => {
    Template.fromStack(cluster({ logRetentionDays: 365 }).stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/c/cluster', RetentionInDays: 365 });
    expect(() => cluster({ logRetentionDays: 45 })).toThrow('logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90,');
  });
});

describe('Pod Identity trust', () => {
  const conditions = {
    StringEquals: { 'aws:SourceAccount': '111111111111' },
    ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'Arn'] } },
  };

  it('trusts pods.eks.amazonaws.com for this cluster and account only (PodIdentityRole)', () => {
    const { stack, eks } = cluster();
    new PodIdentityRole(stack, 'Role', { cluster: eks.cluster, namespace: 'jobs', serviceAccountName: 'worker' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Condition: conditions }] },
    });
  });

  it('conditions every Pod Identity role of the reference platform (Karpenter, load balancer controller, EBS CSI)', () => {
    const { template } = referenceTemplate();
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, r]) => JSON.stringify((r as Json).Properties.AssumeRolePolicyDocument).includes('pods.eks.amazonaws.com'));
    expect(roles.map(([id]) => id.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual(['AddonsEbsCsiRole', 'KarpenterControllerRole', 'LoadBalancerControllerRole']);
    for (const [, role] of roles) {
      expect((role as Json).Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] } } },
      })]);
    }
  });
});

describe('VPC CNI role', () => {
  it('gives aws-node its own IRSA role with AmazonEKS_CNI_Policy, through the add-on', () => {
    const { template } = referenceTemplate();
    const addon = Object.values(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'vpc-cni' } }))[0] as Json;
    const roleId = addon.Properties.ServiceAccountRoleArn['Fn::GetAtt'][0] as string;
    const role = template.toJSON().Resources[roleId] as Json;
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/AmazonEKS_CNI_Policy');
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
    const trust = Object.values(template.findResources('Custom::AWSCDKCfnJson')).map((r) => JSON.stringify((r as Json).Properties.Value));
    expect(trust.some((t) => t.includes('system:serviceaccount:kube-system:aws-node'))).toBe(true);
  });

  it('keeps AmazonEKS_CNI_Policy off every node role', () => {
    const { template } = referenceTemplate();
    const nodeRoles = Object.values(template.findResources('AWS::IAM::Role')).filter((r) => JSON.stringify((r as Json).Properties.AssumeRolePolicyDocument).includes('ec2.amazonaws.com'));
    expect(nodeRoles.length).toBe(2);
    for (const role of nodeRoles) expect(JSON.stringify(role)).not.toContain('AmazonEKS_CNI_Policy');
  });
});

describe('network policy', () => {
  it('enables the VPC CNI network policy agent, and can turn it off', () => {
    const { stack, eks } = cluster();
    new CoreAddons(stack, 'Addons', { cluster: eks.cluster, kubernetesVersion: eks.kubernetesVersion, oidcProvider: eks.oidcProvider, vpcCni: { networkPolicy: false } });
    const config = (id: string) => JSON.parse((Object.values(Template.fromStack(stack).findResources('AWS::EKS::Addon', { Properties: { AddonName: id } }))[0] as Json).Properties.ConfigurationValues);
    expect(config('vpc-cni').enableNetworkPolicy).toBeUndefined();
    expect(JSON.parse((Object.values(referenceTemplate().template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'vpc-cni' } }))[0] as Json).Properties.ConfigurationValues).enableNetworkPolicy).toBe('true');
  });

  it('denies all traffic in each app namespace of the reference platform, allowing DNS to CoreDNS', () => {
    const policies = manifestObjects(referenceTemplate().template).filter((o) => o.kind === 'NetworkPolicy') as Json[];
    const byNamespace = (name: string) => policies.filter((p) => p.metadata.name === name).map((p) => p.metadata.namespace).sort();
    expect(byNamespace('default-deny')).toEqual(['data', 'jobs', 'web']);
    expect(byNamespace('allow-dns')).toEqual(['data', 'jobs', 'web']);
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = policies.find((p) => p.metadata.name === 'allow-dns');
    expect(dns?.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  it('admits the web API from its namespace and the VPC (the ALB), and lets the IRSA worker reach AWS APIs', () => {
    const policies = manifestObjects(referenceTemplate().template).filter((o) => o.kind === 'NetworkPolicy') as Json[];
    const api = policies.find((p) => p.metadata.namespace === 'web' && p.metadata.name === 'api');
    expect(api?.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    const worker = policies.find((p) => p.metadata.namespace === 'jobs' && p.metadata.name === 'worker');
    expect(worker?.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'worker' } }, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] }],
    });
  });

  it('lets Pod Identity workloads reach the agent, other namespaces in when named, and extra egress', () => {
    const out = new Worker(Testing.app(), 'w', {
      namespace: 'jobs', name: 'worker', image: 'w@sha256:1', cpu: '100m', memory: '128Mi',
      identity: { annotations: {}, serviceAccountName: 'worker', kind: 'pod-identity' },
      network: { egress: [{ cidr: '10.0.96.0/19', ports: [5432] }, { namespace: 'data', ports: [6379] }] },
    }).toJson() as Json[];
    expect(out.find((o) => o.kind === 'NetworkPolicy')?.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '10.0.96.0/19' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } } }], ports: [{ port: 6379, protocol: 'TCP' }] },
    ]);
    const web = new WebService(Testing.app(), 'web', { namespace: 'web', name: 'api', image: 'a@sha256:1', cpu: '100m', memory: '128Mi', network: { ingressFromNamespaces: ['jobs'] } }).toJson() as Json[];
    expect(web.find((o) => o.kind === 'NetworkPolicy')?.spec.ingress).toEqual([{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  it('puts the namespace, with restricted Pod Security, in the same chart as its policies', () => {
    const out = new AppNamespace(Testing.app(), 'ns', { name: 'web' }).toJson() as Json[];
    expect(out.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/web', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns']);
    expect(out[0].metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  it.each([
    ['a namespace that is not a name', { network: { ingressFromNamespaces: ['Web Team'] } }, "network.ingressFromNamespaces must list namespace names (DNS-1123 labels), got 'Web Team'"],
    ['an egress CIDR with host bits', { network: { egress: [{ cidr: '10.0.96.1/19', ports: [5432] }] } }, "network.egress.cidr '10.0.96.1/19' has host bits set"],
    ['an egress rule without ports', { network: { egress: [{ cidr: '10.0.96.0/19', ports: [] }] } }, 'network.egress.ports must list ports 1-65535'],
    ['an egress rule with both a CIDR and a namespace', { network: { egress: [{ cidr: '10.0.96.0/19', namespace: 'data', ports: [5432] }] } }, 'network.egress each rule needs exactly one of cidr and namespace'],
    ['an egress namespace that is not a name', { network: { egress: [{ namespace: 'Data', ports: [5432] }] } }, "network.egress.namespace must be a namespace name (DNS-1123 label), got 'Data'"],
  ] as [string, Partial<WebServiceProps>, string][])('fails when given %s', (_name, props, message) => {
    expect(() => new WebService(Testing.app(), 'web', { namespace: 'web', name: 'api', image: 'a@sha256:1', cpu: '100m', memory: '128Mi', ...props })).toThrow(message);
  });
});

describe('HTTPS on internet-facing ALBs', () => {
  const web: WebServiceProps = { namespace: 'web', name: 'api', image: 'repo/api@sha256:abc', cpu: '250m', memory: '256Mi' };
  const certificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/x';
  const ingress = (props: WebServiceProps) => (new WebService(Testing.app(), 'web', props).toJson() as Json[]).find((o) => o.kind === 'Ingress') as Json;

  it('listens on HTTPS with a TLS 1.2+ policy and redirects HTTP, on the reference platform', () => {
    const api = manifestObjects(referenceTemplate().template).find((o) => o.kind === 'Ingress') as Json;
    expect(api.metadata.annotations).toEqual(expect.objectContaining({
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]', 'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': expect.stringMatching(/^arn:aws:acm:us-east-1:111111111111:certificate\//), 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    }));
  });

  it('admits only the inbound CIDRs named, and can listen on HTTPS alone', () => {
    const annotations = ingress({ ...web, exposure: { type: 'alb', scheme: 'internet-facing', certificateArn, redirectHttpToHttps: false, inboundCidrs: ['203.0.113.0/24', '198.51.100.0/24'] } }).metadata.annotations;
    expect(annotations['alb.ingress.kubernetes.io/inbound-cidrs']).toBe('203.0.113.0/24,198.51.100.0/24');
    expect(annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTPS":443}]');
    expect(annotations['alb.ingress.kubernetes.io/ssl-redirect']).toBeUndefined();
  });

  it('limits NLB clients with loadBalancerSourceRanges', () => {
    const service = (new WebService(Testing.app(), 'web', { ...web, exposure: { type: 'nlb', scheme: 'internet-facing', inboundCidrs: ['203.0.113.0/24'] } }).toJson() as Json[]).find((o) => o.kind === 'Service') as Json;
    expect(service.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
  });

  it('warns when an internet-facing ALB serves plain HTTP', () => {
    expect(new WebService(Testing.app(), 'web', { ...web, exposure: { type: 'alb', scheme: 'internet-facing' } }).warnings)
      .toEqual(['web/api: the internet-facing ALB serves plain HTTP; set exposure.certificateArn to listen on HTTPS (with a redirect from HTTP)']);
  });

  it.each([
    ['an inbound CIDR that is not one', { type: 'alb', scheme: 'internet-facing', inboundCidrs: ['everyone'] }, "exposure.inboundCidrs 'everyone' is not an IPv4 CIDR"],
    ['an empty inbound list', { type: 'alb', scheme: 'internal', inboundCidrs: [] }, 'exposure.inboundCidrs must list at least one CIDR'],
  ] as [string, WebServiceProps['exposure'], string][])('fails when given %s', (_name, exposure, message) => {
    expect(() => ingress({ ...web, exposure })).toThrow(message);
  });
});

describe('service account tokens', () => {
  it('are not mounted unless the pods exchange them for AWS credentials', () => {
    const objects = manifestObjects(referenceTemplate().template) as Json[];
    for (const sa of objects.filter((o) => o.kind === 'ServiceAccount')) expect({ sa: sa.metadata.name, automount: sa.automountServiceAccountToken }).toEqual({ sa: sa.metadata.name, automount: false });
    const pods = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').map((o) => [o.metadata.name, o.spec.template.spec.automountServiceAccountToken]);
    expect(Object.fromEntries(pods)).toEqual({ api: false, worker: true, cache: false });
  });
});

describe('load balancer controller policy', () => {
  const statements = () => {
    const policies = referenceTemplate().template.findResources('AWS::IAM::Policy');
    const policy = Object.entries(policies).find(([id]) => id.startsWith('LoadBalancerControllerPolicy'));
    return (policy?.[1] as Json).Properties.PolicyDocument.Statement as Json[];
  };
  const actions = (s: Json): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

  it('changes security-group ingress only in the cluster VPC, and creates groups only there and tagged for this cluster', () => {
    const authorize = statements().filter((s) => actions(s).includes('ec2:AuthorizeSecurityGroupIngress'));
    expect(authorize.map((s) => s.Condition)).toEqual([
      { ArnEquals: { 'ec2:Vpc': { 'Fn::Join': ['', expect.arrayContaining([':vpc/', { Ref: expect.stringMatching(/^Network/) }])] } } },
      { StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'reference' } },
    ]);
    const create = statements().filter((s) => actions(s).includes('ec2:CreateSecurityGroup'));
    expect(create.map((s) => [JSON.stringify(s.Resource).includes(':vpc/'), s.Condition])).toEqual([
      [true, undefined], [false, { StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'reference' } }],
    ]);
  });

  it('leaves no security-group, listener or rule change without a VPC or cluster-tag condition', () => {
    const sensitive = /^(ec2:(Authorize|Revoke|Delete|Create)SecurityGroup|ec2:(Create|Delete)Tags|elasticloadbalancing:(Create|Delete|Modify|Set|Add|Remove|Register|Deregister))/;
    const unconditioned = statements().filter((s) => !s.Condition && JSON.stringify(s.Resource) === '"*"').flatMap(actions).filter((a) => sensitive.test(a));
    expect(unconditioned).toEqual([]);
    const unscoped = statements().filter((s) => !s.Condition).flatMap(actions).filter((a) => sensitive.test(a));
    expect(unscoped).toEqual(['ec2:CreateSecurityGroup']);
  });

  it('turns on listener and rule tagging explicitly (the tag conditions depend on it)', () => {
    const chart = Object.values(referenceTemplate().template.findResources('Custom::AWSCDK-EKS-HelmChart', { Properties: { Chart: 'aws-load-balancer-controller' } }))[0] as Json;
    expect(JSON.stringify(chart.Properties.Values)).toContain('\\"controllerConfig\\":{\\"featureGates\\":{\\"ListenerRulesTagging\\":true}}');
  });
});

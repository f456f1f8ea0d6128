import { App } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EksPlatformStack } from '../../../lib/eks-platform-stack';
import type { PlatformSpec } from '../../../lib/platform-spec';
import { referencePlatform } from '../../../lib/reference';
import { loadAssembly } from '../../../simulation/assembly';
import { checkAssembly, checkSecurity } from '../../../simulation/checks';
import type { ClusterInfo, ClusterModel, IamRoleModel } from '../../../simulation/model/cluster';
import { projectContext, synthesizeToDir } from '../../support/reference-stack';
import { model, nodeGroup, object } from './fixture';

// The security checks on hand-made models (one mistake each) and on synthesized platforms: the reference
// platform has none, a platform with every mistake shows each one.

const secureCluster: ClusterInfo = {
  name: 'platform', version: '1.34', endpointPublicAccess: false, endpointPrivateAccess: true, logging: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
  ipFamily: 'ipv4', secretsEncryption: true, authenticationMode: 'API', autoMode: false,
};
const nodeRole: IamRoleModel = {
  id: 'NodeRole', roleName: 'platform-node', trustPolicy: {}, managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly'],
};
const secure = (overrides: Partial<ClusterModel> = {}): ClusterModel => model({
  cluster: secureCluster,
  nodeGroups: [nodeGroup({ imdsv2Required: true, imdsHopLimit: 1, source: { file: 'Platform.template.json', id: 'Ng' } })],
  iamRoles: [nodeRole],
  resources: { Ng: { type: 'AWS::EKS::Nodegroup', properties: { NodeRole: '${Token[GetAtt:NodeRole.Arn]}' }, file: 'Platform.template.json' } },
  ...overrides,
});
const withPolicies = (...names: string[]): Partial<ClusterModel> => ({ iamRoles: [{ ...nodeRole, managedPolicyArns: names.map((n) => `arn:aws:iam::aws:policy/${n}`) }] });
const ingress = (annotations: Record<string, string>) => object('Ingress', 'web/api', {}, { apiVersion: 'networking.k8s.io/v1', metadata: { name: 'api', namespace: 'web', annotations } });
const nodeClass = (metadataOptions?: Record<string, unknown>) => object('EC2NodeClass', 'general', { role: 'platform-node', ...(metadataOptions ? { metadataOptions } : {}) });

describe('checkSecurity on hand-made models', () => {
  it('finds nothing on a model with every setting right', () => {
    const https = ingress({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]', 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:111111111111:certificate/x' });
    const internal = ingress({ 'alb.ingress.kubernetes.io/scheme': 'internal' });
    // annotations.md: with certificate-arn and no listen-ports the controller listens on HTTPS 443.
    const defaultPorts = ingress({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:111111111111:certificate/x' });
    expect(checkSecurity(secure({ objects: [nodeClass(), https, internal, defaultPorts] }))).toEqual([]);
  });

  it.each([
    ['a public endpoint with no CIDRs (EKS applies 0.0.0.0/0)', { cluster: { ...secureCluster, endpointPublicAccess: true } }, 'error', 'endpoint-public-to-internet', 'Cluster platform', 'public to 0.0.0.0/0 (the EKS default when no CIDRs are given)'],
    ['a public endpoint open to 0.0.0.0/0', { cluster: { ...secureCluster, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'] } }, 'error', 'endpoint-public-to-internet', 'Cluster platform', 'public to 0.0.0.0/0:'],
    ['audit logs off', { cluster: { ...secureCluster, logging: ['api', 'authenticator'] } }, 'error', 'control-plane-logging-off', 'Cluster platform', 'log types audit, controllerManager, scheduler are off; without audit logs'],
    ['scheduler logs off', { cluster: { ...secureCluster, logging: ['api', 'audit', 'authenticator', 'controllerManager'] } }, 'warning', 'control-plane-logging-off', 'Cluster platform', 'log types scheduler are off'],
    ['authentication mode CONFIG_MAP', { cluster: { ...secureCluster, authenticationMode: 'CONFIG_MAP' } }, 'warning', 'authentication-mode-config-map', 'Cluster platform', 'only through the aws-auth ConfigMap'],
    ['secrets encryption off', { cluster: { ...secureCluster, secretsEncryption: false } }, 'warning', 'secrets-encryption-off', 'Cluster platform', 'not envelope-encrypted with a customer managed KMS key'],
    ['IMDSv1 allowed on a node group', { nodeGroups: [nodeGroup({ imdsv2Required: false, imdsHopLimit: 1 })] }, 'error', 'imdsv1-allowed', 'NodeGroup general', 'does not require session tokens'],
    ['IMDS hop limit 2 on a node group', { nodeGroups: [nodeGroup({ imdsv2Required: true, imdsHopLimit: 2 })] }, 'warning', 'imds-hop-limit', 'NodeGroup general', 'IMDS hop limit 2'],
    ['IMDSv1 allowed on an EC2NodeClass', { objects: [nodeClass({ httpTokens: 'optional', httpPutResponseHopLimit: 1 })] }, 'error', 'imdsv1-allowed', 'EC2NodeClass general', 'httpTokens is optional'],
    ['IMDS hop limit 3 on an EC2NodeClass', { objects: [nodeClass({ httpTokens: 'required', httpPutResponseHopLimit: 3 })] }, 'warning', 'imds-hop-limit', 'EC2NodeClass general', 'IMDS hop limit 3'],
    ['AmazonEKS_CNI_Policy on the node role', withPolicies('AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'), 'warning', 'node-role-cni-policy', 'IAM role platform-node', 'node role of NodeGroup general has AmazonEKS_CNI_Policy'],
    ['AdministratorAccess on the node role', withPolicies('AmazonEKSWorkerNodePolicy', 'AdministratorAccess'), 'error', 'node-role-broad-policy', 'IAM role platform-node', 'node role of NodeGroup general has AdministratorAccess'],
    ['an internet-facing ALB on plain HTTP', { objects: [ingress({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]' })] }, 'warning', 'alb-plain-http', 'Ingress web/api', 'listens on plain HTTP only'],
    ['an internet-facing ALB with no listen-ports and no certificate (HTTP 80 by default)', { objects: [ingress({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing' })] }, 'warning', 'alb-plain-http', 'Ingress web/api', 'listens on plain HTTP only'],
    ['an internet-facing ALB with HTTPS but no certificate', { objects: [ingress({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]' })] }, 'warning', 'alb-plain-http', 'Ingress web/api', 'listens on plain HTTP only'],
  ] as [string, Partial<ClusterModel>, string, string, string, string][])('reports %s', (_name, overrides, severity, code, objectName, message) => {
    expect(checkSecurity(secure(overrides))).toEqual([expect.objectContaining({ severity, code, object: objectName, message: expect.stringContaining(message), fix: expect.any(String) })]);
  });

  it('follows Karpenter\'s IMDS defaults when an EC2NodeClass sets no metadataOptions (IMDSv2 required, hop limit 1)', () => {
    expect(checkSecurity(secure({ objects: [nodeClass()] }))).toEqual([]);
    expect(checkSecurity(secure({ objects: [nodeClass({ httpEndpoint: 'disabled', httpTokens: 'optional', httpPutResponseHopLimit: 5 })] }))).toEqual([]);
  });

  it('finds the node role through an EC2NodeClass and an EC2_LINUX access entry too', () => {
    const karpenterRole: IamRoleModel = { id: 'KarpenterNodeRole', roleName: 'karpenter-node', trustPolicy: {}, managedPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'] };
    const findings = checkSecurity(secure({
      iamRoles: [nodeRole, karpenterRole], objects: [object('EC2NodeClass', 'general', { role: 'karpenter-node' })],
    }));
    expect(findings.map((f) => [f.code, f.object])).toEqual([['node-role-broad-policy', 'IAM role karpenter-node']]);
    const viaEntry = checkSecurity(secure({
      iamRoles: [nodeRole, karpenterRole], accessEntries: [{ principal: '${Token[GetAtt:KarpenterNodeRole.Arn]}', type: 'EC2_LINUX', kubernetesGroups: [], accessPolicies: [] }],
    }));
    expect(viaEntry.map((f) => f.message)).toEqual([expect.stringContaining('node role of access entry EC2_LINUX has PowerUserAccess')]);
  });
});

/** Synthesizes a spec, lets the test change the constructs first, and returns the assembly directory. */
function synthesize(spec: PlatformSpec, tamper: (stack: EksPlatformStack) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-security-'));
  const app = new App({ outdir, context: projectContext() });
  const stack = new EksPlatformStack(app, 'Careless', { spec });
  tamper(stack);
  app.synth();
  return outdir;
}

describe('checkSecurity on synthesized platforms', () => {
  it('finds nothing on the reference platform, and `eksplan check` reports no finding at all', () => {
    const model = loadAssembly(synthesizeToDir());
    expect(checkSecurity(model)).toEqual([]);
    expect(checkAssembly(model)).toEqual([]);
  });

  it('shows each mistake on a platform that has it', () => {
    // GIVEN the reference platform opened to the internet (opt-in accepted by the construct), and changed by hand
    // the way a careless override would
    const spec: PlatformSpec = {
      ...referencePlatform,
      cluster: { endpointAccess: 'public-and-private', publicAccessCidrs: ['0.0.0.0/0'], openPublicEndpoint: { reason: 'demo cluster reached from laptops on the road' } },
      karpenter: referencePlatform.karpenter && { ...referencePlatform.karpenter },
    };
    const dir = synthesize(spec, (stack) => {
      const cluster = stack.eksCluster.cluster.node.defaultChild as import('aws-cdk-lib/aws-eks-v2').CfnCluster;
      cluster.addPropertyOverride('Logging.ClusterLogging.EnabledTypes', [{ Type: 'api' }]);
      cluster.addPropertyOverride('AccessConfig.AuthenticationMode', 'CONFIG_MAP');
      cluster.addPropertyDeletionOverride('EncryptionConfig');
      const group = stack.nodeGroups[0];
      (group.node.findChild('LaunchTemplate') as ec2.CfnLaunchTemplate).addPropertyOverride('LaunchTemplateData.MetadataOptions', { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 });
      group.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKS_CNI_Policy'));
      stack.karpenter?.nodeRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    });
    // WHEN checked
    const findings = checkSecurity(loadAssembly(dir));
    // THEN every mistake is reported once, on the object that has it
    expect(findings.map((f) => `${f.severity} ${f.code} ${f.object.replace(/[A-F0-9]{8}$/, '')}`).sort()).toEqual([
      'error control-plane-logging-off Cluster reference',
      'error endpoint-public-to-internet Cluster reference',
      'error imdsv1-allowed NodeGroup NodeGroupsystem',
      'error node-role-broad-policy IAM role KarpenterNodeRole',
      'warning authentication-mode-config-map Cluster reference',
      'warning imds-hop-limit NodeGroup NodeGroupsystem',
      'warning node-role-cni-policy IAM role NodeGroupsystemNodeRole',
      'warning secrets-encryption-off Cluster reference',
    ]);
  });
});

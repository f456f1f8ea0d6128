import {
  DescribeAddonCommand, DescribeAddonVersionsCommand, DescribeClusterCommand, DescribeNodegroupCommand, EKSClient, ListAccessEntriesCommand,
  ListAddonsCommand, ListFargateProfilesCommand, ListNodegroupsCommand, ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareAddonVersions, resolveAddonVersions, writePinnedVersions } from '../../lib/live/addons-pin';
import { describeLiveCluster } from '../../lib/live/describe';
import { diffPlanAndLive } from '../../lib/live/drift';
import { DEFAULT_VPC_CNI, type ClusterModel } from '../../simulation/model/cluster';
import { typedObjects } from '../../simulation/model/typed-objects';
import { EksplanError } from '../../simulation/model/errors';

const eks = mockClient(EKSClient);

function plannedModel(): ClusterModel {
  return {
    origin: 'cdk.out', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'], subnets: [], natGateways: [],
    cluster: { name: 'platform', version: '1.34', endpointPublicAccess: true, endpointPrivateAccess: true, logging: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], ipFamily: 'ipv4', secretsEncryption: true, autoMode: false },
    nodeGroups: [{ name: '${Token[Ref:SystemNodegroup1A2B]}', kind: 'managed', instanceTypes: ['m7i.large'], capacityType: 'ON_DEMAND', minSize: 2, desiredSize: 2, maxSize: 4, labels: { role: 'system' }, taints: [], subnetIds: [], amiType: 'AL2023_x86_64_STANDARD', diskSizeGiB: 50, diskType: 'gp3', source: { file: 't.json', id: 'SystemNodegroup1A2B' } }],
    fargateProfiles: [],
    addons: [{ name: 'vpc-cni', version: 'v1.20.4-eksbuild.1', configuration: {} }, { name: 'coredns', version: 'v1.12.4-eksbuild.1', configuration: {} }],
    vpcCni: DEFAULT_VPC_CNI, helmReleases: [], iamRoles: [],
    accessEntries: [{ principal: 'arn:aws:iam::111111111111:role/admin', type: 'STANDARD', kubernetesGroups: [], accessPolicies: [] }],
    podIdentityAssociations: [{ namespace: 'karpenter', serviceAccount: 'karpenter', roleId: 'KarpenterRole' }],
    loadBalancers: [], objects: [], ...typedObjects([]), resources: {},
  };
}

function mockMatchingCluster(overrides: { version?: string; nodegroupDesired?: number; coredns?: string; logging?: string[] } = {}): void {
  eks.on(DescribeClusterCommand).resolves({ cluster: {
    name: 'platform', version: overrides.version ?? '1.34',
    resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: true },
    logging: { clusterLogging: [{ enabled: true, types: (overrides.logging ?? ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']) as never }] },
  } });
  // Two pages of node groups: pagination must be followed.
  eks.on(ListNodegroupsCommand, { clusterName: 'platform', nextToken: undefined }).resolves({ nodegroups: ['SystemNodegroup1A2B-x9Yz'], nextToken: 'page-2' });
  eks.on(ListNodegroupsCommand, { clusterName: 'platform', nextToken: 'page-2' }).resolves({ nodegroups: [] });
  eks.on(DescribeNodegroupCommand).resolves({ nodegroup: {
    nodegroupName: 'SystemNodegroup1A2B-x9Yz', instanceTypes: ['m7i.large'], capacityType: 'ON_DEMAND', amiType: 'AL2023_x86_64_STANDARD',
    scalingConfig: { minSize: 2, desiredSize: overrides.nodegroupDesired ?? 2, maxSize: 4 }, labels: { role: 'system' },
  } });
  eks.on(ListAddonsCommand, { clusterName: 'platform', nextToken: undefined }).resolves({ addons: ['vpc-cni'], nextToken: 't2' });
  eks.on(ListAddonsCommand, { clusterName: 'platform', nextToken: 't2' }).resolves({ addons: ['coredns'] });
  eks.on(DescribeAddonCommand, { clusterName: 'platform', addonName: 'vpc-cni' }).resolves({ addon: { addonName: 'vpc-cni', addonVersion: 'v1.20.4-eksbuild.1' } });
  eks.on(DescribeAddonCommand, { clusterName: 'platform', addonName: 'coredns' }).resolves({ addon: { addonName: 'coredns', addonVersion: overrides.coredns ?? 'v1.12.4-eksbuild.1' } });
  eks.on(ListAccessEntriesCommand).resolves({ accessEntries: ['arn:aws:iam::111111111111:role/admin', 'arn:aws:iam::111111111111:role/node'] });
  eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [{ namespace: 'karpenter', serviceAccount: 'karpenter' }] });
  eks.on(ListFargateProfilesCommand).resolves({ fargateProfileNames: [] });
}

describe('eksplan live', () => {
  beforeEach(() => eks.reset());

  it('finds no drift when the cluster matches the plan (following pagination)', async () => {
    mockMatchingCluster();
    const live = await describeLiveCluster(new EKSClient({ region: 'us-east-1' }), 'platform');
    expect(live.nodegroups.map((n) => n.name)).toEqual(['SystemNodegroup1A2B-x9Yz']);
    expect(live.addons).toEqual([{ name: 'coredns', version: 'v1.12.4-eksbuild.1' }, { name: 'vpc-cni', version: 'v1.20.4-eksbuild.1' }]);
    expect(diffPlanAndLive(plannedModel(), live)).toEqual([]);
  });

  it.each([
    ['version', { version: '1.33' }, { kind: 'version', planned: '1.34', live: '1.33' }],
    ['add-on version', { coredns: 'v1.11.1-eksbuild.9' }, { kind: 'addon', planned: 'v1.12.4-eksbuild.1', live: 'v1.11.1-eksbuild.9' }],
    ['node group scaling', { nodegroupDesired: 3 }, { kind: 'nodegroup', planned: 'desired 2', live: 'desired 3' }],
    ['logging', { logging: ['api'] }, { kind: 'logging', live: 'api' }],
  ])('reports %s drift', async (_name, overrides, expected) => {
    mockMatchingCluster(overrides);
    const live = await describeLiveCluster(new EKSClient({ region: 'us-east-1' }), 'platform');
    expect(diffPlanAndLive(plannedModel(), live)).toEqual([expect.objectContaining(expected)]);
  });

  it('reports missing access entries, pod identity associations and node groups', async () => {
    mockMatchingCluster();
    eks.on(ListAccessEntriesCommand).resolves({ accessEntries: [] });
    eks.on(ListPodIdentityAssociationsCommand).resolves({ associations: [] });
    eks.on(ListNodegroupsCommand).resolves({ nodegroups: [] });
    const drifts = diffPlanAndLive(plannedModel(), await describeLiveCluster(new EKSClient({ region: 'us-east-1' }), 'platform'));
    expect(drifts.map((d) => d.kind).sort()).toEqual(['access-entry', 'access-entry', 'nodegroup', 'pod-identity']);
  });

  it.each([
    ['missing credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), /no AWS credentials/],
    ['an unknown cluster', Object.assign(new Error('No cluster found for name: nope.'), { name: 'ResourceNotFoundException' }), /not found while trying to describe EKS cluster 'platform': No cluster found/],
    ['throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), /throttled .* even after retries with backoff/],
    ['access denied', Object.assign(new Error('User: x is not authorized to perform: eks:DescribeCluster'), { name: 'AccessDeniedException' }), /access denied while trying to describe EKS cluster/],
  ])('fails with a one-line error on %s', async (_name, error, message) => {
    eks.on(DescribeClusterCommand).rejects(error);
    const attempt = describeLiveCluster(new EKSClient({ region: 'us-east-1', maxAttempts: 1 }), 'platform');
    await expect(attempt).rejects.toThrow(EksplanError);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('eksplan addons pin', () => {
  beforeEach(() => eks.reset());

  it('takes the default version for the Kubernetes version, across pages', async () => {
    eks.on(DescribeAddonVersionsCommand).callsFake((input: { addonName: string; nextToken?: string }) => {
      if (input.nextToken === undefined) {
        return { addons: [{ addonName: input.addonName, addonVersions: [{ addonVersion: 'v1.0.0-eksbuild.1', compatibilities: [{ clusterVersion: '1.34', defaultVersion: false }] }] }], nextToken: 'p2' };
      }
      return { addons: [{ addonName: input.addonName, addonVersions: [
        { addonVersion: 'v1.2.0-eksbuild.1', compatibilities: [{ clusterVersion: '1.34', defaultVersion: true }] },
        { addonVersion: 'v1.3.0-eksbuild.1', compatibilities: [{ clusterVersion: '1.34', defaultVersion: false }] },
      ] }] };
    });
    const versions = await resolveAddonVersions(new EKSClient({ region: 'us-east-1' }), '1.34');
    expect(versions).toEqual({
      'vpc-cni': 'v1.2.0-eksbuild.1', coredns: 'v1.2.0-eksbuild.1', 'kube-proxy': 'v1.2.0-eksbuild.1',
      'eks-pod-identity-agent': 'v1.2.0-eksbuild.1', 'aws-ebs-csi-driver': 'v1.2.0-eksbuild.1',
    });
  });

  it('writes them into the pinned-versions file, keeping other versions', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pin-')), 'versions.json');
    fs.writeFileSync(file, JSON.stringify({ '1.33': { 'vpc-cni': 'v1.19.0-eksbuild.1' } }));
    const written = writePinnedVersions(file, '1.34', { 'vpc-cni': 'v1.20.0-eksbuild.1' });
    expect(written).toEqual({ '1.33': { 'vpc-cni': 'v1.19.0-eksbuild.1' }, '1.34': { 'vpc-cni': 'v1.20.0-eksbuild.1' } });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(written);
  });

  it('fails when the version is malformed', async () => {
    await expect(resolveAddonVersions(new EKSClient({ region: 'us-east-1' }), '134')).rejects.toThrow("--version: invalid Kubernetes version '134'");
  });

  it.each([
    ['v1.19.2-eksbuild.3', 'v1.19.10-eksbuild.1', -1],
    ['1.34', '1.9', 1],
    ['v1.2.0', 'v1.2.0', 0],
  ])('orders %s vs %s', (a, b, sign) => {
    expect(Math.sign(compareAddonVersions(a, b))).toBe(sign);
  });
});

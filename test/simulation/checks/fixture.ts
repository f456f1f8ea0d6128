import { DEFAULT_VPC_CNI, type ClusterModel, type NodeGroupModel } from '../../../simulation/model/cluster';
import type { KubernetesObject } from '../../../simulation/model/kubernetes';
import { typedObjects } from '../../../simulation/model/typed-objects';

export function nodeGroup(overrides: Partial<NodeGroupModel> = {}): NodeGroupModel {
  return {
    name: 'general', kind: 'managed', instanceTypes: ['m5.large'], capacityType: 'ON_DEMAND', minSize: 1, desiredSize: 2, maxSize: 5,
    labels: {}, taints: [], subnetIds: ['PrivateA', 'PrivateB'], amiType: 'AL2023_x86_64_STANDARD', diskSizeGiB: 20, diskType: 'gp3', ...overrides,
  };
}

export function object(kind: string, name: string, spec: Record<string, unknown> = {}, extra: Partial<KubernetesObject> = {}): { object: KubernetesObject; source: { file: 'Platform.template.json'; id: string } } {
  const apiVersion = kind === 'NodePool' ? 'karpenter.sh/v1' : kind === 'EC2NodeClass' ? 'karpenter.k8s.aws/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1';
  const [namespace, short] = name.includes('/') ? name.split('/') : [undefined, name];
  return {
    object: { apiVersion, kind, metadata: { name: short, ...(namespace ? { namespace } : {}) }, spec, ...extra },
    source: { file: 'Platform.template.json', id: `Manifest${kind}${short.replace(/[^A-Za-z0-9]/g, '')} ${kind} ${name}` },
  };
}

/** A small hand-made model; the typed entries are always derived from its `objects` and `helmReleases`, as the reader does. */
export function model(overrides: Partial<ClusterModel> = {}): ClusterModel {
  const typed = typedObjects(overrides.objects ?? [], overrides.helmReleases ?? []);
  return {
    origin: 'test', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    vpc: { id: 'Vpc', cidrs: ['10.0.0.0/16'] },
    subnets: [
      { id: 'PublicA', cidr: '10.0.0.0/24', availabilityZone: 'us-east-1a', public: true, tags: { 'kubernetes.io/role/elb': '1' } },
      { id: 'PublicB', cidr: '10.0.1.0/24', availabilityZone: 'us-east-1b', public: true, tags: { 'kubernetes.io/role/elb': '1' } },
      { id: 'PrivateA', cidr: '10.0.32.0/19', availabilityZone: 'us-east-1a', public: false, tags: { 'kubernetes.io/role/internal-elb': '1', 'karpenter.sh/discovery': 'platform' } },
      { id: 'PrivateB', cidr: '10.0.64.0/19', availabilityZone: 'us-east-1b', public: false, tags: { 'kubernetes.io/role/internal-elb': '1', 'karpenter.sh/discovery': 'platform' } },
    ],
    natGateways: [{ id: 'NatA', subnetId: 'PublicA' }],
    cluster: { name: 'platform', version: '1.34', endpointPublicAccess: true, endpointPrivateAccess: true, logging: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], ipFamily: 'ipv4', secretsEncryption: true, autoMode: false },
    nodeGroups: [], fargateProfiles: [], addons: [], vpcCni: DEFAULT_VPC_CNI, helmReleases: [], iamRoles: [], accessEntries: [],
    podIdentityAssociations: [], loadBalancers: [], objects: [], resources: {},
    ...overrides,
    ...typed,
  };
}

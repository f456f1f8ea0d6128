import * as path from 'path';
import { loadAssembly } from '../../../simulation/assembly';
import type { ClusterModel } from '../../../simulation/model';

// test/fixtures/assemblies/ok-nested-self-managed: a hand-written assembly exercising what CDK's own output
// rarely shows: a nested stack found through the asset hash in TemplateURL (no aws:asset:path metadata) with
// parameters passed by the parent, a self-managed ASG on a launch configuration, Conditions and Fn::If,
// Fn::FindInMap, Auto Mode and IPv6 cluster settings, and a manifest with bare tokens in number positions.
const DIR = path.join(__dirname, '..', '..', 'fixtures', 'assemblies', 'ok-nested-self-managed');
let model: ClusterModel;

beforeAll(() => {
  model = loadAssembly(DIR);
});

describe('loadAssembly on a hand-made assembly', () => {
  it('reads the environment, and gives Fn::GetAZs the region a/b/c when no AZ is literal', () => {
    expect(model).toMatchObject({ stackName: 'Parent', account: '222222222222', region: 'eu-west-1' });
    expect(model.subnets.map((s) => [s.id, s.availabilityZone, s.public])).toEqual([['SubnetA', 'eu-west-1a', true], ['SubnetB', 'eu-west-1b', false]]);
    expect(model.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('reads every cluster setting (string booleans as CloudFormation accepts them)', () => {
    expect(model.cluster).toEqual(expect.objectContaining({
      name: 'ops', version: '1.33', endpointPublicAccess: false, endpointPrivateAccess: true, logging: ['api', 'authenticator'],
      ipFamily: 'ipv6', secretsEncryption: true, authenticationMode: 'API_AND_CONFIG_MAP', autoMode: true,
      autoModeNodePools: ['general-purpose', 'system'], upgradePolicy: 'STANDARD',
    }));
  });

  it('skips a resource whose Condition is false and resolves Fn::If', () => {
    expect(model.resources.Skipped).toBeUndefined();
    const spot = model.nodeGroups.find((g) => g.name === 'spot');
    expect(spot).toMatchObject({ capacityType: 'SPOT', minSize: 0, desiredSize: 1, maxSize: 4, diskSizeGiB: 80, amiType: 'BOTTLEROCKET_ARM_64', subnetIds: ['SubnetB'] });
    expect(spot?.taints).toEqual([{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }, { key: 'drain', effect: 'NoExecute' }]);
  });

  it('reads the self-managed ASG in the nested stack, with the subnet the parent passes and the bootstrap flags', () => {
    expect(model.nodeGroups.find((g) => g.kind === 'self-managed')).toMatchObject({
      name: 'Group', instanceTypes: ['m5.xlarge'], minSize: 1, desiredSize: 2, maxSize: 5, subnetIds: ['SubnetA'],
      maxPods: 20, labels: { pool: 'legacy', team: 'ops' }, imdsv2Required: true,
    });
    expect(model.resources.Group.file).toBe('ParentWorkers.nested.template.json');
  });

  it('reads the vpc-cni warm targets and security groups for pods', () => {
    expect(model.vpcCni).toEqual({ prefixDelegation: false, warmEniTarget: 1, warmIpTarget: 5, minimumIpTarget: 10, warmPrefixTarget: undefined, customNetworking: false, podEni: true });
  });

  it('reads pod identity associations, standalone and on the add-on', () => {
    expect(model.podIdentityAssociations.map((a) => [a.namespace, a.serviceAccount, a.roleId])).toEqual([['ops', 'api', 'CniRole'], ['kube-system', 'aws-node', 'CniRole']]);
    expect(model.iamRoles[0].managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy']);
  });

  it('parses a manifest with bare tokens in number and boolean positions, keeping them as placeholders', () => {
    const deployment = model.objects.find((o) => o.object.kind === 'Deployment')?.object;
    expect(deployment?.spec).toEqual({ replicas: '${Token[Ref:Replicas]}', paused: '${Token[Ref:Paused]}' });
    expect(model.objects.map((o) => o.source.id)).toEqual(['Apps Deployment ops/api', 'Apps IngressClass public', 'Apps Ingress ops/api', 'Apps Service ops/api-nlb']);
  });

  it('derives an internal ALB for an Ingress of the default ALB IngressClass, and an internet-facing in-tree NLB', () => {
    // The load balancer controller's default scheme is internal (aws-load-balancer-controller annotations docs);
    // type `nlb` with no controller deployed is the in-tree provider's NLB, internet-facing unless
    // aws-load-balancer-internal is set (kubernetes/cloud-provider-aws EnsureLoadBalancer).
    expect(model.loadBalancers.map((lb) => [lb.kind, lb.scheme, lb.owner])).toEqual([['alb', 'internal', 'Ingress ops/api'], ['nlb', 'internet-facing', 'Service ops/api-nlb']]);
  });
});

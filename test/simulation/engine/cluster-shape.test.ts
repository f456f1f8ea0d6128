import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseClusterShape, withClusterShape } from '../../../simulation/assembly/cluster-shape';
import { loadInput } from '../../../simulation/assembly';
import { placeStatic } from '../../../simulation/engine/static';
import { workloadsOf } from '../../../simulation/engine/workloads';
import { isEksplanError } from '../../../simulation/model/errors';
import { model } from '../checks/fixture';

// The cluster shape (README "Cluster shape") gives plain manifests real capacity: node groups over zones and
// subnets, the VPC CNI mode, the EKS-bootstrapped add-ons, and the controllers that run in the cluster.

const EXAMPLE = {
  region: 'us-east-1', kubernetesVersion: '1.34', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  vpcCni: { prefixDelegation: false },
  nodeGroups: [{ name: 'workers', instanceTypes: ['m6i.large'], desiredSize: 3, minSize: 3, maxSize: 6, zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], labels: {}, taints: [], capacityType: 'ON_DEMAND' }],
  controllers: ['cluster-autoscaler', 'karpenter', 'metrics-server'],
};

describe('parseClusterShape', () => {
  it('reads the documented example, with one /19 per zone when no subnets are given', () => {
    const shape = parseClusterShape(EXAMPLE, 'shape.yaml');
    expect(shape.subnets.map((s) => [s.id, s.cidr, s.availabilityZone])).toEqual([
      ['pods-us-east-1a', '10.0.0.0/19', 'us-east-1a'], ['pods-us-east-1b', '10.0.32.0/19', 'us-east-1b'], ['pods-us-east-1c', '10.0.64.0/19', 'us-east-1c'],
    ]);
    expect(shape.nodeGroups[0]).toMatchObject({ name: 'workers', instanceTypes: ['m6i.large'], minSize: 3, desiredSize: 3, maxSize: 6, subnetIds: ['pods-us-east-1a', 'pods-us-east-1b', 'pods-us-east-1c'], capacityType: 'ON_DEMAND' });
    expect(shape.controllers).toEqual(['cluster-autoscaler', 'karpenter', 'metrics-server']);
  });

  it('takes the zones from the subnets when availabilityZones is left out', () => {
    const shape = parseClusterShape({ subnets: [{ id: 'pods-a', cidr: '10.0.0.0/19', availabilityZone: 'us-east-1a' }], nodeGroups: [{ name: 'w', instanceTypes: ['m5.large'], desiredSize: 1 }] });
    expect(shape.availabilityZones).toEqual(['us-east-1a']);
    expect(shape.nodeGroups[0]).toMatchObject({ minSize: 1, maxSize: 1, subnetIds: ['pods-a'] });
  });

  it.each([
    ['an unknown top-level field', { ...EXAMPLE, nodegroups: [] }, 'nodegroups', 'unknown field'],
    ['a version EKS does not have', { ...EXAMPLE, kubernetesVersion: '1.20' }, 'kubernetesVersion', 'must be an EKS version'],
    ['a zone of another region', { ...EXAMPLE, availabilityZones: ['eu-west-1a'] }, 'availabilityZones[0]', 'must be a zone of us-east-1'],
    ['an unknown instance type', { ...EXAMPLE, nodeGroups: [{ name: 'w', instanceTypes: ['m9z.huge'], desiredSize: 1 }] }, 'nodeGroups[0].instanceTypes[0]', 'unknown instance type'],
    ['desiredSize above maxSize', { ...EXAMPLE, nodeGroups: [{ name: 'w', instanceTypes: ['m5.large'], desiredSize: 5, maxSize: 3 }] }, 'nodeGroups[0].maxSize', 'must be at least desiredSize 5'],
    ['minSize above desiredSize', { ...EXAMPLE, nodeGroups: [{ name: 'w', instanceTypes: ['m5.large'], desiredSize: 1, minSize: 2 }] }, 'nodeGroups[0].minSize', 'must not exceed desiredSize 1'],
    ['a node group zone outside the cluster', { ...EXAMPLE, nodeGroups: [{ name: 'w', instanceTypes: ['m5.large'], desiredSize: 1, zones: ['us-east-1d'] }] }, 'nodeGroups[0].zones[0]', 'must be one of availabilityZones'],
    ['a bad taint effect', { ...EXAMPLE, nodeGroups: [{ name: 'w', instanceTypes: ['m5.large'], desiredSize: 1, taints: [{ key: 'a', effect: 'NoRun' }] }] }, 'nodeGroups[0].taints[0].effect', 'must be one of NoSchedule'],
    ['a bad capacity type', { ...EXAMPLE, nodeGroups: [{ name: 'w', instanceTypes: ['m5.large'], desiredSize: 1, capacityType: 'spot' }] }, 'nodeGroups[0].capacityType', 'must be ON_DEMAND or SPOT'],
    ['a subnet CIDR too large for a subnet', { ...EXAMPLE, subnets: [{ id: 's', cidr: '10.0.0.0/8', availabilityZone: 'us-east-1a' }] }, 'subnets[0].cidr', 'must be an IPv4 CIDR from /16 to /28'],
    ['an unknown controller', { ...EXAMPLE, controllers: ['keda'] }, 'controllers[0]', 'must be one of cluster-autoscaler, karpenter, metrics-server'],
    ['a duplicate node group', { ...EXAMPLE, nodeGroups: [EXAMPLE.nodeGroups[0], EXAMPLE.nodeGroups[0]] }, 'nodeGroups', 'is used twice'],
  ])('fails when given %s', (_name, raw, field, message) => {
    let error: unknown;
    try { parseClusterShape(raw, 'shape.yaml'); } catch (e) { error = e; }
    expect(isEksplanError(error) && { input: error.input, field: error.field, message: error.message.includes(message) }).toEqual({ input: 'shape.yaml', field, message: true });
  });
});

describe('withClusterShape', () => {
  const manifestsOnly = model({ cluster: undefined, subnets: [], availabilityZones: [], vpc: undefined, natGateways: [] });

  it('adds the EKS-bootstrapped add-ons and the controllers charts as the cluster would run them', () => {
    const m = withClusterShape(manifestsOnly, parseClusterShape(EXAMPLE, 'shape.yaml'));
    expect(workloadsOf(m).filter((w) => w.system).map((w) => w.key).sort()).toEqual([
      'DaemonSet kube-system/aws-node', 'DaemonSet kube-system/kube-proxy', 'Deployment kube-system/cluster-autoscaler', 'Deployment kube-system/coredns',
      'Deployment kube-system/karpenter', 'Deployment kube-system/metrics-server',
    ]);
  });

  it('places manifests on the shape: three m6i.large nodes, one per zone', () => {
    const { result } = placeStatic(withClusterShape(manifestsOnly, parseClusterShape(EXAMPLE, 'shape.yaml')));
    expect(result.nodes.map((n) => [n.instanceType, n.zone])).toEqual([['m6i.large', 'us-east-1a'], ['m6i.large', 'us-east-1b'], ['m6i.large', 'us-east-1c']]);
    expect(result.pendingPods).toEqual([]);
  });

  it('fails on an assembly, which defines its own cluster', () => {
    expect(() => withClusterShape(model(), parseClusterShape(EXAMPLE, 'shape.yaml'))).toThrow(/a cluster shape is for plain manifests/);
  });

  it('is read from a YAML file by loadInput({ clusterShape })', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-shape-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n');
      fs.writeFileSync(path.join(dir, 'shape.yaml'), 'availabilityZones: [us-east-1a]\nnodeGroups: [{ name: w, instanceTypes: [m5.large], desiredSize: 2 }]\n');
      const m = loadInput(path.join(dir, 'app.yaml'), { clusterShape: path.join(dir, 'shape.yaml') });
      expect({ version: m.cluster?.version, groups: m.nodeGroups.map((g) => [g.name, g.desiredSize]), region: m.region }).toEqual({ version: '1.34', groups: [['w', 2]], region: 'us-east-1' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

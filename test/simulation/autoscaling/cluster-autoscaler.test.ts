import { ClusterAutoscaler, expanderChain, similarGroups } from '../../../simulation/autoscaling/cluster-autoscaler';
import { expand, leastNodes, mostPods, type ExpansionOption } from '../../../simulation/autoscaling/expanders';
import { binPack, sortLargestFirst } from '../../../simulation/autoscaling/template';
import type { SimPod } from '../../../simulation/autoscaling/types';
import { isEksplanError } from '../../../simulation/model/errors';
import type { Pod } from '../../../simulation/model/kubernetes';
import { ClusterSnapshot, NodeInfo, podRequests, Scheduler } from '../../../simulation/scheduler';
import { makeNode, makePod } from '../helpers';
import { simulate } from '../../../simulation/engine';
import { clusterModel, deployment, nodeGroup, scenario, SUBNETS, ZONES } from './fixtures';

// kubernetes/autoscaler cluster-autoscaler/estimator/binpacking_estimator_test.go TestBinpackingEstimate: a cluster
// snapshot holding one 100m/100Mi node in zone-jupiter, a template node in zone-mars, pods in decreasing order.
describe('binpacking_estimator_test.go: TestBinpackingEstimate', () => {
  const sim = (pod: Pod): SimPod => ({ key: `${pod.metadata.namespace}/${pod.metadata.name}`, pod, requests: podRequests(pod), workload: { daemonSet: false } }) as unknown as SimPod;
  let serial = 0;
  const group = (count: number, cpu: number, memoryBytes: number, spec: Partial<Pod['spec']> = {}) => Array.from({ length: count }, () => {
    serial += 1;
    const pod = makePod(`estimatee-${serial}`, { cpu: `${cpu}m`, memory: String(memoryBytes) }, spec, { app: 'estimatee' }, 'universe');
    return sim(pod);
  });
  const hostPort = (port: number): Partial<Pod['spec']> => ({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: port, hostPort: port }], resources: { requests: { cpu: '200m', memory: '1000' } } }] });
  const maxSkew = (skew: number, key: string): Partial<Pod['spec']> => ({ topologySpreadConstraints: [{ maxSkew: skew, topologyKey: key, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'estimatee' } } }] });

  it.each([
    ['simple resource-based binpacking', 350 * 3 - 50, 2 * 1000, () => group(10, 350, 1000), 0, 5, 10],
    ['pods-per-node bound binpacking', 10000, 20000, () => group(20, 10, 100), 0, 2, 20],
    ['hostport conflict forces pod-per-node', 1000, 5000, () => group(8, 200, 1000, hostPort(5555)), 0, 8, 8],
    ['limiter cuts binpacking', 1000, 5000, () => group(20, 500, 1000), 5, 5, 10],
    ['decreasing ordered pods are processed first', 1000, 5000, () => [...group(10, 50, 1000), ...group(10, 500, 1000)], 5, 5, 10],
    ['hostname topology spreading with maxSkew=2 forces 2 pods/node', 1000, 5000, () => group(8, 200, 200, maxSkew(2, 'kubernetes.io/hostname')), 0, 4, 8],
    ['zonal topology spreading with maxSkew=2 only allows 2 pods to schedule', 1000, 5000, () => group(8, 20, 100, maxSkew(2, 'topology.kubernetes.io/zone')), 0, 1, 2],
  ] as const)('binpacking_estimator_test.go: %s', (_name, millicores, memoryMiB, pods, maxNodes, expectNodes, expectPods) => {
    const snapshot = ClusterSnapshot.fromNodes([new NodeInfo(makeNode('oldnode', { cpu: '100m', memory: '100Mi', pods: '10' }, { 'topology.kubernetes.io/zone': 'zone-jupiter' }))]);
    let n = 0;
    const template = () => new NodeInfo(makeNode(`template-${(n += 1)}`, { cpu: `${millicores}m`, memory: `${memoryMiB}Mi`, pods: '10' }, { 'topology.kubernetes.io/zone': 'zone-mars' }));
    const input = pods();
    const result = binPack(new Scheduler(), sortLargestFirst(input), [], template, maxNodes === 0 ? Number.MAX_SAFE_INTEGER : maxNodes, snapshot);
    expect(result.newNodes).toHaveLength(expectNodes);
    expect(result.placed.size).toBe(expectPods);
    if (_name.startsWith('decreasing')) expect(input.slice(10).every((p) => result.placed.has(p.key))).toBe(true);
    // The estimate ran in a fork: the snapshot is as it was.
    expect(snapshot.nodes.map((x) => x.name)).toEqual(['oldnode']);
    expect(snapshot.forked).toBe(false);
  });
});

const option = (group: string, nodeCount: number, podCount = 1, waste = 0): ExpansionOption => ({
  group, nodeCount, podCount, requestedMilliCpu: 1000 * (1 - waste), allocatableMilliCpu: 1000, requestedMemoryBytes: 1000 * (1 - waste), allocatableMemoryBytes: 1000,
});

describe('expander/leastnodes/leastnodes_test.go: TestLeastNodes', () => {
  it.each([
    ['no options', [], []],
    ['no valid options', [option('EO0', 0)], []],
    ['1 valid option', [option('EO0', 2)], ['EO0']],
    ['2 valid options, not equal', [option('EO0', 2), option('EO1', 1)], ['EO1']],
    ['3 valid options, 2 equal', [option('EO0', 6), option('EO1', 2), option('EO2', 2)], ['EO1', 'EO2']],
    ['3 valid options, all equal', [option('EO0', 8), option('EO1', 8), option('EO2', 8)], ['EO0', 'EO1', 'EO2']],
    ['6 valid options, 1 invalid option, 3 equal', [option('EO0', 23), option('EO1', 0), option('EO2', 5), option('EO3', 8), option('EO4', 5), option('EO5', 5), option('EO6', 22)], ['EO2', 'EO4', 'EO5']],
  ] as const)('leastnodes_test.go: %s', (_name, options, expected) => {
    expect(leastNodes(options).map((o) => o.group)).toEqual(expected);
  });
});

describe('expander/mostpods/mostpods_test.go: TestMostPods', () => {
  it.each([
    ['one option', [option('EO0', 1, 0)], ['EO0']],
    ['the option with a pod wins', [option('EO0', 1, 0), option('EO1', 1, 1)], ['EO1']],
    ['ties keep both', [option('EO0', 1, 0), option('EO1', 1, 1), option('EO1b', 1, 1)], ['EO1', 'EO1b']],
  ] as const)('mostpods_test.go: %s', (_name, options, expected) => {
    expect(mostPods(options).map((o) => o.group)).toEqual(expected);
  });
});

describe('expander chains and the expanders the AWS provider supports', () => {
  it('least-waste then random: the least wasteful option wins whatever the seed', () => {
    const options = [option('a', 1, 1, 0.5), option('b', 1, 1, 0.1), option('c', 1, 1, 0.3)];
    for (const r of [0, 0.5, 0.99]) expect(expand(['least-waste'], options, {}, () => r)?.group).toBe('b');
  });

  it('priority,least-nodes: ties on priority go to the fewest nodes', () => {
    const options = [option('spot-a', 3), option('spot-b', 2), option('ondemand', 1)];
    expect(expand(['priority', 'least-nodes'], options, { 'spot-.*': 50, ondemand: 10 }, () => 0)?.group).toBe('spot-b');
  });

  it.each([
    ['price', "pricing model"],
    ['most-pods,bogus', "unknown expander 'bogus'"],
  ])('fails when given expander %s', (value, message) => {
    let error: unknown;
    try { expanderChain(value); } catch (e) { error = e; }
    expect(isEksplanError(error)).toBe(true);
    expect(String((error as Error).message)).toContain(message);
  });

  it('the ClusterAutoscaler refuses price at construction, as it exits at start on AWS', () => {
    expect(() => new ClusterAutoscaler([nodeGroup()], { expander: 'price', priorities: {}, provisioningDelaySeconds: 180, scanIntervalSeconds: 10, scaleDownUtilizationThreshold: 0.5, scaleDownUnneededSeconds: 600, scaleDownDelayAfterAddSeconds: 600 })).toThrow('pricing model');
  });
});

describe('processors/nodegroupset: similar node groups for --balance-similar-node-groups', () => {
  it.each([
    ['same type, labels and taints, different zone label', nodeGroup({ name: 'a', labels: { 'topology.kubernetes.io/zone': 'us-east-1a', team: 'x' } }), nodeGroup({ name: 'b', labels: { 'topology.kubernetes.io/zone': 'us-east-1b', team: 'x' } }), true],
    ['different instance type', nodeGroup({ name: 'a' }), nodeGroup({ name: 'b', instanceTypes: ['m5.xlarge'] }), false],
    ['different custom label', nodeGroup({ name: 'a', labels: { team: 'x' } }), nodeGroup({ name: 'b', labels: { team: 'y' } }), false],
    ['different taints', nodeGroup({ name: 'a' }), nodeGroup({ name: 'b', taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), false],
    ['spot vs on-demand', nodeGroup({ name: 'a' }), nodeGroup({ name: 'b', capacityType: 'SPOT' }), false],
  ] as const)('compare_nodegroups.go: %s', (_name, a, b, expected) => {
    expect(similarGroups(a, b)).toBe(expected);
  });
});

describe('--balance-similar-node-groups in the simulation', () => {
  // Three identical groups, one per zone, all empty; six 1.5-CPU pods need six m5.large nodes (one pod each).
  const run = (balance: boolean) => {
    const groups = ZONES.map((zone, i) => nodeGroup({ name: `workers-${'abc'[i]}`, instanceTypes: ['m5.large'], minSize: 0, desiredSize: 0, maxSize: 10, subnetIds: [SUBNETS[i].id] }));
    const m = clusterModel([deployment('api', 6, '1500m', '512Mi')], groups);
    return simulate(m, scenario({ duration: '20m', step: '15s', seed: 1, controllers: { clusterAutoscaler: { balanceSimilarNodeGroups: balance, expander: 'least-waste' } } }), { warmupSeconds: 0 });
  };
  const perGroup = (result: ReturnType<typeof simulate>) => {
    const counts: Record<string, number> = {};
    for (const n of result.nodes) if (n.owner.kind === 'nodegroup') counts[n.owner.name] = (counts[n.owner.name] ?? 0) + 1;
    return counts;
  };

  it('spreads one scale-up over the similar groups, smallest first', () => {
    const counts = perGroup(run(true));
    expect(Object.keys(counts).sort()).toEqual(['workers-a', 'workers-b', 'workers-c']);
    expect(Math.max(...Object.values(counts)) - Math.min(...Object.values(counts))).toBeLessThanOrEqual(1);
  });

  it('without it, the expander puts the whole scale-up in one group', () => {
    expect(Object.keys(perGroup(run(false)))).toHaveLength(1);
  });
});

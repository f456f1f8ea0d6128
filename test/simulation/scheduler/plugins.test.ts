import {
  ClusterSnapshot, InterPodAffinity, NodeAffinity, NodeName, NodePorts, NodeResourcesBalancedAllocation, NodeResourcesFit, NodeUnschedulable,
  PodTopologySpread, Scheduler, TaintToleration, VolumeZone, makeNodeResourcesBalancedAllocation, makeNodeResourcesFit, makeTaintToleration,
  numFeasibleNodesToFind, podRequests, resolveFeatures, unschedulableMessage, type CycleState,
} from '../../../simulation/scheduler';
import { podInfo } from '../../../simulation/scheduler/pod-info';
import { statusCode } from '../../../simulation/scheduler/plugin';
import type { Pod } from '../../../simulation/model/kubernetes';
import { makeNode, makePod, nodeInfo } from '../helpers';
import { NodeInfo } from '../../../simulation/scheduler/node-info';

function state(pod: Pod, nodes: NodeInfo[]): CycleState {
  return { pod, info: podInfo(pod), snapshot: new ClusterSnapshot(nodes), data: new Map() };
}

describe('NodeResourcesFit filter (noderesources/fit_test.go "TestEnoughRequests")', () => {
  const existing = makePod('existing', { cpu: '5', memory: '5Gi' });
  it.each([
    // [case, pod requests, node allocatable, expected reasons]
    ['no resources requested always fits', {}, { cpu: '10', memory: '20Gi', pods: '32' }, []],
    ['too many resources fails', { cpu: '6', memory: '16Gi' }, { cpu: '10', memory: '20Gi', pods: '32' }, ['Insufficient cpu', 'Insufficient memory']],
    ['cpu only', { cpu: '6', memory: '1Gi' }, { cpu: '10', memory: '20Gi', pods: '32' }, ['Insufficient cpu']],
    ['equal edge case fits', { cpu: '5', memory: '15Gi' }, { cpu: '10', memory: '20Gi', pods: '32' }, []],
    ['extended resource', { cpu: '1', 'nvidia.com/gpu': '1' }, { cpu: '10', memory: '20Gi', pods: '32' }, ['Insufficient nvidia.com/gpu']],
    ['too many pods', { cpu: '1' }, { cpu: '10', memory: '20Gi', pods: '1' }, ['Too many pods']],
  ])('%s', (_name, requests, allocatable, reasons) => {
    const pod = makePod('p', requests);
    const node = nodeInfo('n', allocatable, [existing]);
    expect(NodeResourcesFit.filter(pod, node, state(pod, [node]))).toEqual(reasons);
  });

  // The statuses of cpu, memory, ephemeral-storage and pod shortages are shared: each keeps fit.go's order and code,
  // also when an extended resource's shortage follows them.
  it.each([
    ['cpu and memory, resolvable', { cpu: '6', memory: '16Gi' }, { cpu: '10', memory: '20Gi', pods: '32' }, ['Insufficient cpu', 'Insufficient memory'], 'Unschedulable'],
    ['cpu over allocatable', { cpu: '11' }, { cpu: '10', memory: '20Gi', pods: '32' }, ['Insufficient cpu'], 'UnschedulableAndUnresolvable'],
    ['pods and cpu', { cpu: '6' }, { cpu: '10', memory: '20Gi', pods: '1' }, ['Too many pods', 'Insufficient cpu'], 'Unschedulable'],
    ['cpu then an extended resource', { cpu: '6', 'nvidia.com/gpu': '1' }, { cpu: '10', memory: '20Gi', pods: '32' }, ['Insufficient cpu', 'Insufficient nvidia.com/gpu'], 'UnschedulableAndUnresolvable'],
  ] as const)('status: %s', (_name, requests, allocatable, reasons, code) => {
    const pod = makePod('p', requests);
    const node = nodeInfo('n', allocatable, [existing]);
    for (let i = 0; i < 2; i += 1) {
      const status = NodeResourcesFit.filter(pod, node, state(pod, [node]));
      expect(status).toEqual(reasons);
      expect(statusCode(status)).toBe(code);
    }
  });
});

describe('NodeResourcesFit LeastAllocated / MostAllocated scores (noderesources/least_allocated_test.go, most_allocated_test.go)', () => {
  // "nothing scheduled, resources requested, differently sized nodes": cpu 3000m/mem 5000 on nodes 4000/10000 and 6000/10000.
  it.each([
    ['LeastAllocated', 4000, 10000, 37], ['LeastAllocated', 6000, 10000, 50],
    ['MostAllocated', 4000, 10000, 62], ['MostAllocated', 6000, 10000, 50],
  ] as const)('%s on a %im / %i node', (strategy, cpu, memory, expected) => {
    const pod = makePod('p', { cpu: '1000m', memory: '2000' }, { containers: [{ name: 'a', resources: { requests: { cpu: '1000m', memory: '2000' } } }, { name: 'b', resources: { requests: { cpu: '2000m', memory: '3000' } } }] });
    const node = nodeInfo('n', { cpu: `${cpu}m`, memory: String(memory), pods: '110' });
    expect(makeNodeResourcesFit(strategy).score(pod, node, state(pod, [node]))).toBe(expected);
  });
});

describe('NodeResourcesBalancedAllocation (noderesources/balanced_allocation_test.go, 1.35 formula)', () => {
  const balanced135 = makeNodeResourcesBalancedAllocation({}, resolveFeatures({ kubernetesVersion: '1.35' }));
  it.each([
    // cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5 → std 0.125 → 87
    [4000, 10000, 87],
    // cpu 3000/6000 = 0.5, memory 5000/10000 = 0.5 → 100
    [6000, 10000, 100],
  ])('node %im / %i scores %i', (cpu, memory, expected) => {
    const pod = makePod('p', {}, { containers: [{ name: 'a', resources: { requests: { cpu: '1000m', memory: '2000' } } }, { name: 'b', resources: { requests: { cpu: '2000m', memory: '3000' } } }] });
    const node = nodeInfo('n', { cpu: `${cpu}m`, memory: String(memory), pods: '110' });
    expect(balanced135.score(pod, node, state(pod, [node]))).toBe(expected);
    // 1.36 scores the change of balance on the empty node: 50 + (50 + withPod − 100) / 2.
    expect(NodeResourcesBalancedAllocation.score(pod, node, state(pod, [node]))).toBe(50 + Math.trunc((expected - 50) / 2));
  });
});

describe('TaintToleration (tainttoleration/taint_toleration_test.go), 1.33 message', () => {
  const legacy = makeTaintToleration(resolveFeatures({ kubernetesVersion: '1.33' }));
  const taint = { key: 'dedicated', value: 'user1', effect: 'NoSchedule' as const };
  it.each([
    ['a pod with no tolerations on a tainted node', [], ['node(s) had untolerated taint {dedicated: user1}']],
    ['a pod that tolerates the taint', [{ key: 'dedicated', operator: 'Equal' as const, value: 'user1', effect: 'NoSchedule' as const }], []],
    ['a pod whose toleration value differs', [{ key: 'dedicated', operator: 'Equal' as const, value: 'user2', effect: 'NoSchedule' as const }], ['node(s) had untolerated taint {dedicated: user1}']],
    ['an Exists toleration without key', [{ operator: 'Exists' as const }], []],
  ])('filters %s', (_name, tolerations, reasons) => {
    const pod = makePod('p', {}, { tolerations });
    const node = nodeInfo('n', { cpu: '1', memory: '1Gi', pods: '10' }, [], {}, [taint]);
    expect(legacy.filter(pod, node, state(pod, [node]))).toEqual(reasons);
    // From 1.34 the reason no longer names the taint (PR #134740).
    expect(TaintToleration.filter(pod, node, state(pod, [node]))).toEqual(reasons.length > 0 ? ['node(s) had untolerated taint(s)'] : []);
  });

  it('scores nodes with fewer intolerable PreferNoSchedule taints higher ("node with less intolerable taints is preferred")', () => {
    const pod = makePod('p', {}, { tolerations: [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' }] });
    const nodes = [
      nodeInfo('a', { cpu: '1', pods: '10' }, [], {}, []),
      nodeInfo('b', { cpu: '1', pods: '10' }, [], {}, [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]),
      nodeInfo('c', { cpu: '1', pods: '10' }, [], {}, [{ key: 'cpu-type', value: 'arm32', effect: 'PreferNoSchedule' }, { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' }]),
    ];
    const scores = nodes.map((n) => TaintToleration.score(pod, n, state(pod, nodes)));
    TaintToleration.normalize?.(scores, state(pod, nodes));
    expect(scores).toEqual([100, 100, 0]);
  });
});

describe('NodeAffinity (nodeaffinity/node_affinity_test.go)', () => {
  it.each([
    ['nodeSelector matches', { nodeSelector: { foo: 'bar' } }, { foo: 'bar' }, []],
    ['nodeSelector does not match', { nodeSelector: { foo: 'bar' } }, { foo: 'baz' }, ["node(s) didn't match Pod's node affinity/selector"]],
    ['Gt on a numeric label', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kernel-version', operator: 'Gt' as const, values: ['0204'] }] }] } } } }, { 'kernel-version': '0206' }, []],
    ['terms are ORed', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'foo', operator: 'In' as const, values: ['x'] }] }, { matchExpressions: [{ key: 'foo', operator: 'In' as const, values: ['bar'] }] }] } } } }, { foo: 'bar' }, []],
    ['an empty term matches nothing', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } }, { foo: 'bar' }, ["node(s) didn't match Pod's node affinity/selector"]],
  ])('%s', (_name, spec, labels, reasons) => {
    const pod = makePod('p', {}, spec);
    const node = nodeInfo('n', { cpu: '1', pods: '10' }, [], labels);
    expect(NodeAffinity.filter(pod, node, state(pod, [node]))).toEqual(reasons);
  });

  it('normalizes preferred weights by the maximum ("all nodes matches the preferred scheduling requirements of pod")', () => {
    const pod = makePod('p', {}, { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 2, preference: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] } },
      { weight: 4, preference: { matchExpressions: [{ key: 'key', operator: 'In', values: ['value'] }] } },
    ] } } });
    const nodes = [nodeInfo('a', { pods: '1' }, [], { foo: 'bar' }), nodeInfo('b', { pods: '1' }, [], { foo: 'bar', key: 'value' }), nodeInfo('c', { pods: '1' })];
    const scores = nodes.map((n) => NodeAffinity.score(pod, n, state(pod, nodes)));
    NodeAffinity.normalize?.(scores, state(pod, nodes));
    expect(scores).toEqual([33, 100, 0]);
  });
});

describe('NodeUnschedulable, NodeName, NodePorts, VolumeZone', () => {
  it('rejects a cordoned node unless tolerated', () => {
    const node = new NodeInfo(makeNode('n', { pods: '10' }, {}, [], true));
    expect(NodeUnschedulable.filter(makePod('p'), node, state(makePod('p'), [node]))).toEqual(['node(s) were unschedulable']);
    const tolerant = makePod('t', {}, { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(NodeUnschedulable.filter(tolerant, node, state(tolerant, [node]))).toEqual([]);
  });

  it('pins spec.nodeName', () => {
    const pod = makePod('p', {}, { nodeName: 'other' });
    const node = nodeInfo('n', { pods: '10' });
    expect(NodeName.filter(pod, node, state(pod, [node]))).toEqual(["node(s) didn't match the requested node name"]);
  });

  it('rejects a host port conflict', () => {
    const withPort = (name: string) => makePod(name, {}, { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    const node = nodeInfo('n', { pods: '10' }, [withPort('a')]);
    expect(NodePorts.filter(withPort('b'), node, state(withPort('b'), [node]))).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
  });

  it('keeps a pod with a zonal volume in its zone', () => {
    const pod = makePod('p');
    pod.metadata.annotations = { 'eksplan.io/volume-zone': 'us-east-1a' };
    const b = nodeInfo('b', { pods: '10' }, [], { 'topology.kubernetes.io/zone': 'us-east-1b' });
    expect(VolumeZone.filter(pod, b, state(pod, [b]))).toEqual(['node(s) had no available volume zone']);
  });
});

describe('PodTopologySpread filter (podtopologyspread/filtering_test.go)', () => {
  const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });
  const foo = (name: string) => makePod(name, {}, {}, { foo: '' });
  it('"pods spread across zones as 3/3, all nodes fit": the next pod may only go to the zone with fewer pods', () => {
    // zone1: node-a (2 pods) node-b (1 pod); zone2: node-x (1 pod) node-y (0 pods): counts 3 vs 1 → maxSkew 1 allows only zone2
    const nodes = [
      nodeInfo('node-a', { pods: '10' }, [foo('p-a1'), foo('p-a2')], zone('zone1')), nodeInfo('node-b', { pods: '10' }, [foo('p-b1')], zone('zone1')),
      nodeInfo('node-x', { pods: '10' }, [foo('p-x1')], zone('zone2')), nodeInfo('node-y', { pods: '10' }, [], zone('zone2')),
    ];
    const pod = makePod('p', {}, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } }] }, { foo: '' });
    const s = state(pod, nodes);
    PodTopologySpread.preFilter?.(s);
    expect(nodes.map((n) => PodTopologySpread.filter(pod, n, s).length === 0)).toEqual([false, false, true, true]);
  });

  it('rejects nodes without the topology key', () => {
    const nodes = [nodeInfo('n', { pods: '10' })];
    const pod = makePod('p', {}, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { foo: '' } } }] }, { foo: '' });
    expect(PodTopologySpread.filter(pod, nodes[0], state(pod, nodes))).toEqual(["node(s) didn't match pod topology spread constraints (missing required label)"]);
  });
});

describe('InterPodAffinity (interpodaffinity/filtering_test.go)', () => {
  const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });
  it('"satisfies pod affinity": only the zone with a matching pod', () => {
    const nodes = [nodeInfo('a', { pods: '10' }, [makePod('db', {}, {}, { app: 'db' })], zone('z1')), nodeInfo('b', { pods: '10' }, [], zone('z2'))];
    const pod = makePod('web', {}, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' }] } } });
    const s = state(pod, nodes);
    expect(nodes.map((n) => InterPodAffinity.filter(pod, n, s))).toEqual([[], ["node(s) didn't match pod affinity rules"]]);
  });

  it('"the first pod of a group may go anywhere" when it matches its own affinity', () => {
    const nodes = [nodeInfo('a', { pods: '10' }, [], zone('z1'))];
    const pod = makePod('web', {}, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'topology.kubernetes.io/zone' }] } } }, { app: 'web' });
    expect(InterPodAffinity.filter(pod, nodes[0], state(pod, nodes))).toEqual([]);
  });

  it('anti-affinity on the hostname, and existing pods\' anti-affinity', () => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const nodes = [nodeInfo('a', { pods: '10' }, [makePod('web-1', {}, { affinity: anti }, { app: 'web' })]), nodeInfo('b', { pods: '10' })];
    const pod = makePod('web-2', {}, { affinity: anti }, { app: 'web' });
    // filtering.go checks the incoming pod's own anti-affinity before existing pods' rules.
    expect(nodes.map((n) => InterPodAffinity.filter(pod, n, state(pod, nodes)))).toEqual([["node(s) didn't match pod anti-affinity rules"], []]);
    const plain = makePod('other', {}, {}, { app: 'web' });
    expect(InterPodAffinity.filter(plain, nodes[0], state(plain, nodes))).toEqual(["node(s) didn't satisfy existing pods anti-affinity rules"]);
  });
});

describe('the framework', () => {
  it('formats the unschedulable message like upstream FitError', () => {
    expect(unschedulableMessage(6, { 'Insufficient cpu': 3, 'node(s) had untolerated taint {CriticalAddonsOnly: true}': 3 }))
      .toBe('0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {CriticalAddonsOnly: true}.');
  });

  it('reports every node\'s reason when nothing fits', () => {
    const nodes = [
      ...['a', 'b', 'c'].map((n) => nodeInfo(n, { cpu: '1', memory: '4Gi', pods: '10' })),
      ...['d', 'e', 'f'].map((n) => nodeInfo(n, { cpu: '8', memory: '32Gi', pods: '10' }, [], {}, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }])),
    ];
    const result = new Scheduler({ kubernetesVersion: '1.33' }).schedule(makePod('big', { cpu: '2' }), nodes);
    expect(result.node).toBeUndefined();
    expect(result.message).toBe('0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {CriticalAddonsOnly: true}.');
    expect(new Scheduler({ kubernetesVersion: '1.36' }).schedule(makePod('big', { cpu: '2' }), nodes).message).toBe('0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint(s).');
  });

  it('prefers the least allocated node and breaks ties with the seed, reproducibly', () => {
    const nodes = () => [nodeInfo('a', { cpu: '4', memory: '8Gi', pods: '10' }), nodeInfo('b', { cpu: '4', memory: '8Gi', pods: '10' }, [makePod('x', { cpu: '2', memory: '4Gi' })])];
    expect(new Scheduler().schedule(makePod('p', { cpu: '1', memory: '1Gi' }), nodes()).node).toBe('a');
    const tie = () => [nodeInfo('a', { cpu: '4', memory: '8Gi', pods: '10' }), nodeInfo('b', { cpu: '4', memory: '8Gi', pods: '10' }), nodeInfo('c', { cpu: '4', memory: '8Gi', pods: '10' })];
    const pick = (seed: number) => Array.from({ length: 5 }, (_, i) => new Scheduler({ seed: seed + i }).schedule(makePod('p', { cpu: '1' }), tie()).node);
    expect(pick(7)).toEqual(pick(7));
    expect(new Set(pick(1).concat(pick(100))).size).toBeGreaterThan(1);
  });

  it.each([
    // schedule_one_test.go TestNumFeasibleNodesToFind
    [10, 0, 10], [1000, 0, 420], [5000, 0, 500], [6000, 0, 300], [1000, 40, 400], [6000, 20, 1200], [200, 0, 100],
  ])('numFeasibleNodesToFind(%i nodes, %i%%) = %i', (nodes, percentage, expected) => {
    expect(numFeasibleNodesToFind(nodes, percentage)).toBe(expected);
  });

  it('sums init containers as upstream PodRequests: max(containers, largest init) + overhead', () => {
    const pod = makePod('p', {}, {
      containers: [{ name: 'a', resources: { requests: { cpu: '100m', memory: '100Mi' } } }, { name: 'b', resources: { requests: { cpu: '200m' } } }],
      initContainers: [{ name: 'init', resources: { requests: { cpu: '500m', memory: '50Mi' } } }],
      overhead: { cpu: '10m' },
    });
    const r = podRequests(pod);
    expect([r.milliCpu, r.memoryBytes / 2 ** 20, r.pods]).toEqual([510, 100, 1]);
  });
});

import {
  isErrorStatus, makeNodeResourcesBalancedAllocation, makeNodeResourcesFit, resolveFeatures, type NodeResourcesFitArgs, type ResourceSpec, type ScoringStrategyType,
} from '../../../../simulation/scheduler';
import type { Node, Pod } from '../../../../simulation/model/kubernetes';
import { cycle, node, pod, podWithEmptyContainer, scores, snapshotOf } from './helpers';

// Cases ported from kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources/*_test.go (inputs and
// expected scores as upstream has them). Quantities as upstream writes them: "cpu": "4000" is 4000 cores.

const DEFAULT: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
const EXTENDED = 'abc.com/xyz';
const EXTENDED_SET: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: EXTENDED, weight: 1 }];
const twoContainers = (node1?: string) => pod([{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }], {}, { node: node1 });
const sized = (cpu: string, memory: string, extra: Record<string, string> = {}) => ({ cpu, memory, ...extra });

interface ScoreCase {
  readonly pod: Pod;
  readonly nodes: Node[];
  readonly existing?: Pod[];
  readonly resources: ResourceSpec[];
  readonly expected: number[];
}

function fitScores(type: ScoringStrategyType, c: ScoreCase): number[] | 'skip' {
  const plugin = makeNodeResourcesFit({ scoringStrategy: { type, resources: c.resources } });
  return scores(plugin, c.pod, c.nodes, c.existing ?? [], { normalize: false });
}

describe('least_allocated_test.go TestLeastAllocatedScoringStrategy', () => {
  it.each<[string, ScoreCase]>([
    ['nothing scheduled, nothing requested', { pod: pod(), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('4000', '10000'))], resources: DEFAULT, expected: [100, 100] }],
    ['nothing scheduled, resources requested, differently sized nodes', { pod: twoContainers(), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))], resources: DEFAULT, expected: [37, 50] }],
    ['no resources requested, pods scheduled', {
      pod: pod(), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('4000', '10000'))], resources: DEFAULT, expected: [100, 100],
      existing: [pod([], {}, { node: 'node1' }), pod([], {}, { node: 'node1' }), pod([], {}, { node: 'node2' }), pod([], {}, { node: 'node2' })],
    }],
    ['no resources requested, pods scheduled with resources', {
      pod: pod(), nodes: [node('node1', sized('10000', '20000')), node('node2', sized('10000', '20000'))], resources: DEFAULT, expected: [70, 57],
      existing: [pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node2' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })],
    }],
    ['resources requested, pods scheduled with resources', {
      pod: twoContainers(), nodes: [node('node1', sized('10000', '20000')), node('node2', sized('10000', '20000'))], resources: DEFAULT, expected: [57, 45],
      existing: [pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })],
    }],
    ['resources requested, pods scheduled with resources, differently sized nodes', {
      pod: twoContainers(), nodes: [node('node1', sized('10000', '20000')), node('node2', sized('10000', '50000'))], resources: DEFAULT, expected: [57, 60],
      existing: [pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })],
    }],
    ['requested resources exceed node capacity', {
      pod: pod([{ cpu: '3000', memory: '0' }]), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('4000', '10000'))], resources: DEFAULT, expected: [50, 25],
      existing: [pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })],
    }],
    ['zero node resources, pods scheduled with resources', {
      pod: pod(), nodes: [node('node1'), node('node2')], resources: DEFAULT, expected: [0, 0],
      existing: [pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })],
    }],
    ['nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes', {
      pod: twoContainers('node1'), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))], resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }], expected: [41, 50],
    }],
    ['bypass extended resource if the pod does not request', {
      pod: twoContainers('node1'), nodes: [node('node1', sized('6000', '10000')), node('node2', sized('6000', '10000', { [EXTENDED]: '4' }))], resources: EXTENDED_SET, expected: [50, 50],
    }],
    ['honor extended resource if the pod requests', {
      pod: pod([{ cpu: '3000', memory: '5000', [EXTENDED]: '2' }]), nodes: [node('node1', sized('6000', '10000', { [EXTENDED]: '4' })), node('node2', sized('6000', '10000', { [EXTENDED]: '10' }))], resources: EXTENDED_SET, expected: [50, 60],
    }],
    ["if the node doesn't have a resource", {
      pod: pod([{ cpu: '3000', memory: '4000' }]), nodes: [node('node1', sized('6000', '10000')), node('node2', sized('6000', '10000', { [EXTENDED]: '4' }))],
      resources: [{ name: EXTENDED, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], expected: [55, 55],
    }],
  ])('%s', (_name, c) => {
    expect(fitScores('LeastAllocated', c)).toEqual(c.expected);
  });
});

describe('most_allocated_test.go TestMostAllocatedScoringStrategy', () => {
  it.each<[string, ScoreCase]>([
    ['nothing scheduled, nothing requested', { pod: pod(), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('4000', '10000'))], resources: DEFAULT, expected: [0, 0] }],
    ['nothing scheduled, resources requested, differently sized nodes', { pod: twoContainers(), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))], resources: DEFAULT, expected: [62, 50] }],
    ['no resources requested, pods scheduled with resources', {
      pod: pod(), nodes: [node('node1', sized('10000', '20000')), node('node2', sized('10000', '20000'))], resources: DEFAULT, expected: [30, 42],
      existing: [pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node2' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })],
    }],
    ['resources requested, pods scheduled with resources', {
      pod: twoContainers(), nodes: [node('node1', sized('10000', '20000')), node('node2', sized('10000', '20000'))], resources: DEFAULT, expected: [42, 55],
      existing: [pod([{ cpu: '3000', memory: '0' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })],
    }],
    ['resources requested equal node capacity', {
      pod: pod([{ cpu: '2000', memory: '4000' }, { cpu: '3000', memory: '5000' }]), nodes: [node('node1', sized('5000', '10000')), node('node2', sized('10000', '9000'))], resources: DEFAULT, expected: [95, 75],
    }],
    ['nothing scheduled, resources requested, differently sized nodes (memory weight 2)', {
      pod: twoContainers(), nodes: [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))], resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }], expected: [58, 50],
    }],
    ['no resources requested, pods scheduled, nonzero request for resource', {
      pod: podWithEmptyContainer(), nodes: [node('node1', sized('250m', '1000Mi')), node('node2', sized('250m', '1000Mi'))], resources: DEFAULT, expected: [80, 30],
      existing: [podWithEmptyContainer({ node: 'node1' }), podWithEmptyContainer({ node: 'node1' })],
    }],
    ['bypass extended resource if the pod does not request', {
      pod: twoContainers(), nodes: [node('node1', sized('6000', '10000')), node('node2', sized('6000', '10000', { [EXTENDED]: '4' }))], resources: EXTENDED_SET, expected: [50, 50],
    }],
    ['honor extended resource if the pod request', {
      pod: pod([{ cpu: '3000', memory: '5000', [EXTENDED]: '2' }]), nodes: [node('node1', sized('6000', '10000', { [EXTENDED]: '4' })), node('node2', sized('6000', '10000', { [EXTENDED]: '10' }))], resources: EXTENDED_SET, expected: [50, 40],
    }],
    ["if the node doesn't have a resource", {
      pod: pod([{ cpu: '3000', memory: '4000' }]), nodes: [node('node1', sized('6000', '10000')), node('node2', sized('6000', '10000', { [EXTENDED]: '4' }))],
      resources: [{ name: EXTENDED, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], expected: [45, 45],
    }],
  ])('%s', (_name, c) => {
    expect(fitScores('MostAllocated', c)).toEqual(c.expected);
  });
});

// least_allocated_test.go / most_allocated_test.go "Resources not set, pods scheduled with error": the internal
// config (no v1 defaulting) with no resources scores every node MinNodeScore with an Error status.
describe('least_allocated_test.go / most_allocated_test.go: Resources not set, pods scheduled with error', () => {
  it.each<[string, ScoringStrategyType]>([
    ['least_allocated_test.go', 'LeastAllocated'],
    ['most_allocated_test.go', 'MostAllocated'],
  ])('%s: Resources not set, pods scheduled with error', (_file, type) => {
    const plugin = makeNodeResourcesFit({ scoringStrategy: { type } }, { applyDefaults: false });
    const nodes = [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))];
    const { snapshot, infos } = snapshotOf(nodes);
    const p = twoContainers();
    const status = plugin.preScore?.(cycle(p, snapshot), infos);
    expect(isErrorStatus(status) && status.message).toBe('resources not found');
    expect(infos.map((info) => plugin.score(p, info, cycle(p, snapshot)))).toEqual([0, 0]);
  });

  it('the v1 defaulting of a profile fills the resources instead (cpu and memory)', () => {
    const plugin = makeNodeResourcesFit({ scoringStrategy: { type: 'LeastAllocated', resources: [] } });
    expect(plugin.preScore).toBeUndefined();
    expect(scores(plugin, twoContainers(), [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))], [], { normalize: false })).toEqual([37, 50]);
  });
});

describe('least_allocated_test.go / most_allocated_test.go: scoring strategy argument validation', () => {
  it.each<[string, ScoringStrategyType, ResourceSpec[], string]>([
    ['least_allocated_test.go: resource with negative weight', 'LeastAllocated', [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], 'scoringStrategy.resources[0].weight'],
    ['least_allocated_test.go: resource with zero weight', 'LeastAllocated', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }], 'scoringStrategy.resources[1].weight'],
    ['least_allocated_test.go: resource weight larger than MaxNodeScore', 'LeastAllocated', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }], 'scoringStrategy.resources[1].weight'],
    ['most_allocated_test.go: resource with negative weight', 'MostAllocated', [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], 'scoringStrategy.resources[0].weight'],
    ['most_allocated_test.go: resource with zero weight', 'MostAllocated', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }], 'scoringStrategy.resources[1].weight'],
    ['most_allocated_test.go: resource weight larger than MaxNodeScore', 'MostAllocated', [{ name: 'memory', weight: 101 }], 'scoringStrategy.resources[0].weight'],
  ])('fails when given %s', (_name, type, resources, field) => {
    expect(() => makeNodeResourcesFit({ scoringStrategy: { type, resources } })).toThrow(`${field}: NodeResourcesFit args`);
    expect(() => makeNodeResourcesFit({ scoringStrategy: { type, resources } })).toThrow('not in valid range [1, 100]');
  });

  it.each<[string, NodeResourcesFitArgs, string]>([
    ['validation_pluginargs_test.go: ScoringStrategy: type is unsupported', { scoringStrategy: { type: 'Invalid' as ScoringStrategyType } }, 'scoringStrategy.type'],
    ['validation_pluginargs_test.go: ScoringStrategy: empty shape', { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [] } } }, 'scoringStrategy.requestedToCapacityRatio.shape'],
    ['validation_pluginargs_test.go: utilization values must be increasing', { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 10, score: 1 }, { utilization: 10, score: 2 }] } } }, 'shape[1].utilization'],
    ['validation_pluginargs_test.go: score out of range', { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 10, score: 11 }] } } }, 'shape[0].score'],
    ['validation_pluginargs_test.go: utilization out of range', { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 110, score: 1 }] } } }, 'shape[0].utilization'],
    ['validation_pluginargs_test.go: IgnoredResourceGroups: name cannot contain slash', { ignoredResourceGroups: ['example.com/aaa'] }, 'ignoredResourceGroups[0]'],
  ])('fails when given %s', (_name, args, field) => {
    expect(() => makeNodeResourcesFit(args)).toThrow(field);
  });
});

describe('requested_to_capacity_ratio_test.go TestRequestedToCapacityRatioScoringStrategy', () => {
  const shape = [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }];
  it.each<[string, Pod, Node[], Pod[], number[]]>([
    // Broken linear function (0 → 10, 100 → 0) on 4000/10000 nodes is LeastAllocated scaled.
    ['nothing scheduled, nothing requested (default - least requested nodes have priority)', pod(), [node('node1', sized('4000', '10000')), node('node2', sized('4000', '10000'))],
      [pod([], {}, { node: 'node1' }), pod([], {}, { node: 'node1' })], [100, 100]],
    ['nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)', twoContainers(), [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))],
      [pod([], {}, { node: 'node1' }), pod([], {}, { node: 'node1' })], [38, 50]],
    ['no resources requested, pods scheduled with resources (default - least requested nodes have priority)', pod(), [node('node1', sized('4000', '10000')), node('node2', sized('6000', '10000'))],
      [pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node1' }), pod([{ cpu: '3000', memory: '5000' }], {}, { node: 'node2' })], [38, 50]],
  ])('%s', (_name, p, nodes, existing, expected) => {
    const plugin = makeNodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', resources: DEFAULT, requestedToCapacityRatio: { shape } } });
    expect(scores(plugin, p, nodes, existing, { normalize: false })).toEqual(expected);
  });
});

describe('requested_to_capacity_ratio_test.go TestResourceBinPackingSingleExtended', () => {
  const foo = 'intel.com/foo';
  const n = (name: string, count: number) => node(name, { cpu: '4000m', memory: String(10000 * 1024 * 1024), [foo]: String(count) });
  it.each<[string, Pod, Pod[], number[]]>([
    ['nothing scheduled, nothing requested', pod(), [], [0, 0]],
    ['resources requested, pods scheduled with less resources', pod([{ [foo]: '2' }]), [pod()], [2, 5]],
    ['resources requested, pods scheduled with resources, on node with existing pod running', pod([{ [foo]: '2' }]), [pod([{ [foo]: '2' }], {}, { node: 'node2' })], [2, 10]],
    ['resources requested, pods scheduled with more resources', pod([{ [foo]: '4' }]), [pod()], [5, 10]],
  ])('%s', (_name, p, existing, expected) => {
    const plugin = makeNodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [{ name: foo, weight: 1 }], requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 1 }] } } });
    expect(scores(plugin, p, [n('node1', 8), n('node2', 4)], existing, { normalize: false })).toEqual(expected);
  });
});

// balanced_allocation_test.go TestNodeResourcesBalancedAllocation. The 1.35 column is upstream's expected list;
// the 1.36 column applies PR #135573's formula, 50 + (50 + withPod − withoutPod) / 2, to the same inputs.
describe('balanced_allocation_test.go TestNodeResourcesBalancedAllocation, by version', () => {
  const cpuAndMemory = (n?: string) => pod([{ cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000' }], {}, { node: n });
  const cpuOnly = (n?: string) => pod([{ cpu: '1000m', memory: '0' }, { cpu: '2000m', memory: '0' }], {}, { node: n });
  const cpuAndMemoryAndGPU = (n?: string) => pod([{ cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' }], {}, { node: n });
  const withGpu: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 1 }];
  const n = (name: string, cpu: number, memory: number, gpu?: number) => node(name, { cpu: `${cpu}m`, memory: String(memory), ...(gpu !== undefined ? { 'nvidia.com/gpu': String(gpu) } : {}) });
  it.each<[string, Pod, Node[], Pod[], ResourceSpec[] | undefined, boolean, number[] | 'skip', number[] | 'skip']>([
    ['nothing scheduled, nothing requested, skip in PreScore', pod(), [n('node1', 4000, 10000), n('node2', 4000, 10000)], [], undefined, true, 'skip', 'skip'],
    ['nothing scheduled, resources requested, differently sized nodes', cpuAndMemory(), [n('node1', 4000, 10000), n('node2', 6000, 10000)], [], undefined, true, [87, 100], [68, 75]],
    ['resources requested, pods scheduled with resources', cpuAndMemory(), [n('node1', 10000, 20000), n('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')], undefined, true, [82, 95], [73, 74]],
    ['resources requested, pods scheduled with resources, differently sized nodes', cpuAndMemory(), [n('node1', 10000, 20000), n('node2', 10000, 50000)], [cpuOnly('node1'), cpuAndMemory('node2')], undefined, true, [82, 80], [73, 70]],
    ['requested resources at node capacity', cpuOnly(), [n('node1', 6000, 10000), n('node2', 6000, 10000)], [cpuOnly('node1'), cpuAndMemory('node2')], undefined, true, [50, 75], [62, 62]],
    ['include scalar resource on a node for balanced resource allocation', pod([{ memory: '0', 'nvidia.com/gpu': '1' }]), [n('node1', 3500, 40000, 8), n('node2', 3500, 40000, 8)], [cpuAndMemory('node2'), cpuAndMemoryAndGPU('node1')], withGpu, true, [70, 65], [75, 76]],
    ['node without the scalar resource should skip the scalar resource', cpuAndMemory(), [n('node1', 3500, 40000, 8), n('node2', 3500, 40000)], [], withGpu, true, [63, 63], [56, 56]],
    ['resources requested, pods scheduled with resources if PreScore not called', cpuAndMemory(), [n('node1', 10000, 20000), n('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')], undefined, false, [82, 95], [73, 74]],
  ])('%s', (_name, p, nodes, existing, resources, preScore, expected135, expected136) => {
    const at = (version: string) => makeNodeResourcesBalancedAllocation({ resources }, resolveFeatures({ kubernetesVersion: version }));
    expect(scores(at('1.35'), p, nodes, existing, { preScore })).toEqual(expected135);
    expect(scores(at('1.32'), p, nodes, existing, { preScore })).toEqual(expected135);
    expect(scores(at('1.36'), p, nodes, existing, { preScore })).toEqual(expected136);
  });

  it.each<[string, ResourceSpec[], string]>([
    ['validation_pluginargs_test.go: duplicated resources', [{ name: 'memory', weight: 1 }, { name: 'memory', weight: 1 }], 'resources[1].name'],
    ['validation_pluginargs_test.go: resource weight other than 1', [{ name: 'memory', weight: 2 }], 'resources[0].weight'],
  ])('fails when given %s', (_name, resources, field) => {
    expect(() => makeNodeResourcesBalancedAllocation({ resources })).toThrow(field);
  });
});

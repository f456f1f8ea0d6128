import {
  DraExtendedResources, errorStatus, makeDynamicResourcesExtended, makeNodeResourcesFit, mostRequestedScore, resolveFeatures, Scheduler, SKIP,
  type DeviceClass, type DraObjects, type ResourceSlice,
} from '../../../../simulation/scheduler';
import type { Node, Pod } from '../../../../simulation/model/kubernetes';
import { typedObjects } from '../../../../simulation/model/typed-objects';
import { cycle, node, pod, snapshotOf } from './helpers';

// DRA-backed extended resources (KEP-5004, gate DRAExtendedResource), ported from kubernetes/kubernetes
// pkg/scheduler/framework/plugins/noderesources/fit_test.go and resource_allocation_test.go.

const EXTENDED_A = 'example.com/aaa';
const EXTENDED_B = 'example.com/bbb';
const DRA_RESOURCE = 'extended.resource.dra.io/something';
const CLASS_NAME = 'device-class-name';
const IMPLICIT = `deviceclass.resource.kubernetes.io/${CLASS_NAME}`;
const CLASS_WITH_NAME: DeviceClass = { name: CLASS_NAME, extendedResourceName: DRA_RESOURCE };

const features = (on: boolean) => resolveFeatures({ featureGates: { DRAExtendedResource: on } });

// fit_test.go makeAllocatableResources(10, 20, 32, 5, 20, 5): 10 millicores, 20 bytes, 32 pods, 5 of example.com/aaa.
function fitNode(): Node {
  return node('n', { cpu: '10m', memory: '20', pods: '32', [EXTENDED_A]: '5', 'ephemeral-storage': '20', 'hugepages-2Mi': '5' });
}

interface FitCase {
  readonly gate: boolean;
  /** false: no DRA manager (fit_test.go nilDRAManager). */
  readonly draManager?: boolean;
  readonly pod: Pod;
  readonly existing: Record<string, string>;
  readonly reasons: string[];
  readonly code?: string;
}

describe('fit_test.go TestEnoughRequests (DRA rows)', () => {
  it.each<[string, FitCase]>([
    ['extended resource backed by device plugin', { gate: true, pod: pod([{ [EXTENDED_A]: '1' }]), existing: {}, reasons: [] }],
    ['extended resource backed by DRA', { gate: true, pod: pod([{ cpu: '1m', memory: '1', [DRA_RESOURCE]: '1' }]), existing: { cpu: '0', memory: '0' }, reasons: [] }],
    ['extended resource backed by DRA, nil draManager', { gate: true, draManager: false, pod: pod([{ cpu: '1m', memory: '1', [EXTENDED_A]: '1' }]), existing: { cpu: '0', memory: '0' }, reasons: [] }],
    ['extended resource backed by DRA not enabled', {
      gate: false, pod: pod([{ cpu: '1m', memory: '1', [DRA_RESOURCE]: '1' }]), existing: { cpu: '0', memory: '0' },
      reasons: [`Insufficient ${DRA_RESOURCE}`], code: 'UnschedulableAndUnresolvable',
    }],
    ['extended resource NOT backed by DRA', {
      gate: true, pod: pod([{ cpu: '1m', memory: '1', [EXTENDED_B]: '1' }]), existing: { cpu: '0', memory: '0' },
      reasons: [`Insufficient ${EXTENDED_B}`], code: 'UnschedulableAndUnresolvable',
    }],
    ['extended resource was backed by Device Plugin (Allocatable: 0)', { gate: true, pod: pod([{ [DRA_RESOURCE]: '1' }]), existing: { [DRA_RESOURCE]: '0' }, reasons: [] }],
    ['extended resource was backed by Device Plugin (Allocatable: 0), global cache', { gate: true, pod: pod([{ [EXTENDED_A]: '1' }]), existing: { [EXTENDED_A]: '0' }, reasons: [] }],
  ])('%s', (_name, c) => {
    // fit_test.go: the fake client holds deviceClassWithExtendResourceName and no ResourceSlice.
    const dra = c.draManager === false ? undefined : new DraExtendedResources({ deviceClasses: [CLASS_WITH_NAME] });
    const plugin = makeNodeResourcesFit({}, { features: features(c.gate), dra });
    const { snapshot, infos } = snapshotOf([fitNode()], [pod([c.existing], {}, { node: 'n' })]);
    const status = plugin.filter(c.pod, infos[0], cycle(c.pod, snapshot));
    expect([...status]).toEqual(c.reasons);
    expect((status as { code?: string }).code).toBe(c.code);
  });
});

// st.MakeResourceSlice(nodeName, driver): the pool is named after the node.
const slice = (nodeName: string, driver: string, ...devices: string[]): ResourceSlice => ({ driver, pool: nodeName, nodeName, devices: devices.map((name) => ({ name })) });
const NODE = 'resource-node';
const DRIVER = 'test-driver';

interface AllocatableCase {
  readonly gate: boolean;
  readonly node: Node;
  readonly resource: string;
  readonly objects: DraObjects;
  readonly podRequest: number;
  readonly allocatable: number;
  readonly requested: number;
}

describe('resource_allocation_test.go TestCalculateResourceAllocatableRequest', () => {
  const bare = () => node(NODE, { cpu: '0', memory: '0' });
  it.each<[string, AllocatableCase]>([
    ['device-plugin-resource-feature-disabled', { gate: false, node: node(NODE, { [DRA_RESOURCE]: '4' }), resource: DRA_RESOURCE, objects: {}, podRequest: 1, allocatable: 4, requested: 1 }],
    ['device-plugin-resource-feature-enabled', { gate: true, node: node(NODE, { [DRA_RESOURCE]: '4' }), resource: DRA_RESOURCE, objects: {}, podRequest: 1, allocatable: 4, requested: 1 }],
    ['DRA-backed-resource-explicit', {
      gate: true, node: bare(), resource: DRA_RESOURCE, objects: { deviceClasses: [CLASS_WITH_NAME], resourceSlices: [slice(NODE, DRIVER, 'device-1')] }, podRequest: 1, allocatable: 1, requested: 1,
    }],
    ['DRA-backed-resource-implicit', {
      gate: true, node: bare(), resource: IMPLICIT, objects: { deviceClasses: [{ name: CLASS_NAME }], resourceSlices: [slice(NODE, DRIVER, 'device-1')] }, podRequest: 1, allocatable: 1, requested: 1,
    }],
    ['DRA-backed-resource-no-slices', { gate: true, node: bare(), resource: DRA_RESOURCE, objects: { deviceClasses: [CLASS_WITH_NAME] }, podRequest: 1, allocatable: 0, requested: 0 }],
    ['DRA-backed-resource-with-allocated-device', {
      gate: true, node: bare(), resource: DRA_RESOURCE, podRequest: 1, allocatable: 2, requested: 2,
      objects: { deviceClasses: [CLASS_WITH_NAME], resourceSlices: [slice(NODE, DRIVER, 'device-1', 'device-2')], allocatedDevices: [{ driver: DRIVER, pool: NODE, device: 'device-1' }] },
    }],
    // A shared allocation (ShareID set) takes the device all the same.
    ['DRA-backed-resource-with-shared-device-allocation', {
      gate: true, node: bare(), resource: DRA_RESOURCE, podRequest: 1, allocatable: 2, requested: 2,
      objects: { deviceClasses: [CLASS_WITH_NAME], resourceSlices: [slice(NODE, DRIVER, 'device-1', 'device-2')], allocatedDevices: [{ driver: DRIVER, pool: NODE, device: 'device-1' }] },
    }],
    ['DRA-backed-resource-multiple-devices-mixed-allocation', {
      gate: true, node: bare(), resource: DRA_RESOURCE, podRequest: 1, allocatable: 3, requested: 3,
      objects: {
        deviceClasses: [CLASS_WITH_NAME], resourceSlices: [slice(NODE, DRIVER, 'device-1', 'device-2', 'device-3')],
        allocatedDevices: [{ driver: DRIVER, pool: NODE, device: 'device-1' }, { driver: DRIVER, pool: NODE, device: 'device-2' }],
      },
    }],
    ['DRA-backed-resource-with-per-device-node-selection', {
      gate: true, node: node(NODE, { cpu: '0', memory: '0' }, { zone: 'us-east-1a' }), resource: DRA_RESOURCE, podRequest: 1, allocatable: 2, requested: 2,
      objects: {
        deviceClasses: [{
          name: CLASS_NAME, extendedResourceName: DRA_RESOURCE,
          selectors: [{ cel: { expression: 'device.driver == "test-driver" && device.capacity["test-driver"].memory.compareTo(quantity("8Gi")) >= 0 && device.attributes["test-driver"].model.startsWith("SOME-")' } }],
        }],
        resourceSlices: [{
          name: 'per-device-slice', driver: DRIVER, pool: 'per-device-pool', perDeviceNodeSelection: true, devices: [
            { name: 'device-1', nodeName: NODE, attributes: { model: { string: 'SOME-XYZ' } }, capacity: { memory: { value: '16Gi' } } },
            { name: 'device-2', nodeName: 'other-node', attributes: { model: { string: 'SOME-ZYX' } }, capacity: { memory: { value: '12Gi' } } },
            {
              name: 'device-3', nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['us-east-1a'] }] }] },
              attributes: { model: { string: 'SOME-XZY' } }, capacity: { memory: { value: '24Gi' } },
            },
          ],
        }],
        allocatedDevices: [{ driver: DRIVER, pool: 'per-device-pool', device: 'device-1' }],
      },
    }],
  ])('%s', (_name, c) => {
    const dra = new DraExtendedResources({ deviceClasses: [CLASS_WITH_NAME], ...c.objects });
    const { snapshot, infos } = snapshotOf([c.node]);
    const info = infos[0];
    // calculateResourceAllocatableRequest: the node's allocatable when it advertises the resource, else the class's devices.
    const advertised = info.allocatable.scalar[c.resource] ?? 0;
    const totals = c.gate && advertised === 0 ? dra.scoredAllocation(info, c.resource) : undefined;
    const allocatable = advertised > 0 ? advertised : totals?.capacity ?? 0;
    const requested = advertised > 0 ? (info.requested.scalar[c.resource] ?? 0) + c.podRequest : totals ? totals.allocated + c.podRequest : 0;
    expect([allocatable, requested]).toEqual([c.allocatable, c.requested]);
    // The plugin scores the same numbers (MostAllocated on the one resource; a skipped resource scores 0).
    const plugin = makeNodeResourcesFit({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: c.resource, weight: 1 }] } }, { features: features(c.gate), dra });
    const p = pod([{ [c.resource]: String(c.podRequest) }]);
    expect(plugin.score(p, info, cycle(p, snapshot))).toBe(c.allocatable === 0 ? 0 : mostRequestedScore(c.requested, c.allocatable));
  });

  it('fails when a selector is outside the CEL subset', () => {
    expect(() => new DraExtendedResources({ deviceClasses: [{ name: 'c', selectors: [{ cel: { expression: 'device.attributes["d"].n > 3' } }] }] })).toThrow('DeviceClass c');
  });
});

describe('DynamicResources for DRA-backed extended resources (the devices NodeResourcesFit leaves to it)', () => {
  const objects: DraObjects = { deviceClasses: [CLASS_WITH_NAME], resourceSlices: [slice('gpu', DRIVER, 'd1', 'd2')] };
  const gpuNode = () => node('gpu', { cpu: '4', memory: '4Gi', pods: '10' });
  const plainNode = () => node('plain', { cpu: '4', memory: '4Gi', pods: '10' });
  const wants = (n: number, meta: { node?: string } = {}) => pod([{ cpu: '100m', [DRA_RESOURCE]: String(n) }], {}, meta);

  it.each([
    ['two free devices fit a request for 2', 2, [], []],
    ['a request for 3 exceeds the node\'s 2 devices', 3, [], ['cannot allocate all claims']],
    ['devices held by a bound pod are taken', 1, [wants(2, { node: 'gpu' })], ['cannot allocate all claims']],
  ] as const)('%s', (_name, amount, bound, reasons) => {
    const plugin = makeDynamicResourcesExtended(new DraExtendedResources(objects), features(true));
    const { snapshot, infos } = snapshotOf([gpuNode()], [...bound]);
    const p = wants(amount);
    expect([...plugin.filter(p, infos[0], cycle(p, snapshot))]).toEqual(reasons);
  });

  it('with the gate off, and for a pod without such a request, PreFilter skips', () => {
    const dra = new DraExtendedResources(objects);
    const { snapshot } = snapshotOf([gpuNode()]);
    expect(makeDynamicResourcesExtended(dra, features(false)).preFilter?.(cycle(wants(1), snapshot))).toBe(SKIP);
    const plain = pod([{ cpu: '1' }]);
    expect(makeDynamicResourcesExtended(dra, features(true)).preFilter?.(cycle(plain, snapshot))).toBe(SKIP);
  });

  it('NodeResourcesFit passes every node with the gate on; the device check is what rejects the node without devices', () => {
    const dra = new DraExtendedResources(objects);
    const fit = makeNodeResourcesFit({}, { features: features(true), dra });
    const devices = makeDynamicResourcesExtended(dra, features(true));
    const { snapshot, infos } = snapshotOf([gpuNode(), plainNode()]);
    const p = wants(1);
    expect(infos.map((i) => [...fit.filter(p, i, cycle(p, snapshot))])).toEqual([[], []]);
    expect(infos.map((i) => [...devices.filter(p, i, cycle(p, snapshot))])).toEqual([[], ['cannot allocate all claims']]);
  });
});

// pkg/scheduler/framework/runtime/framework.go RunPreScorePlugins: an Error status fails the scheduling cycle.
describe('framework: a PreScore Error fails the cycle', () => {
  it('returns no node and the plugin\'s error', () => {
    const scheduler = new Scheduler();
    const index = scheduler.scorers.findIndex((s) => s.name === 'NodeResourcesFit');
    scheduler.scorers[index] = { ...scheduler.scorers[index], preScore: () => errorStatus('resources not found') };
    const { snapshot } = snapshotOf([node('a', { cpu: '4', memory: '4Gi', pods: '10' }), node('b', { cpu: '4', memory: '4Gi', pods: '10' })]);
    const result = scheduler.schedule(pod([{ cpu: '1' }]), snapshot);
    expect(result.node).toBeUndefined();
    expect(result.error).toBe('running PreScore plugin "NodeResourcesFit": resources not found');
    expect(result.feasibleNodes).toBe(2);
  });
});

describe('Scheduler with the cluster\'s DRA objects', () => {
  const dra: DraObjects = { deviceClasses: [CLASS_WITH_NAME], resourceSlices: [slice('gpu', DRIVER, 'd1', 'd2')] };
  const nodes = () => [node('plain', { cpu: '4', memory: '4Gi', pods: '10' }), node('gpu', { cpu: '4', memory: '4Gi', pods: '10' })];
  const wants = (meta: { node?: string } = {}) => pod([{ cpu: '100m', [DRA_RESOURCE]: '1' }], {}, meta);

  it('runs DynamicResources before DefaultPreemption (default_plugins.go applyFeatureGates) only when given DRA objects', () => {
    expect(new Scheduler({ dra }).filters.map((p) => p.name).slice(-2)).toEqual(['InterPodAffinity', 'DynamicResources']);
    expect(new Scheduler().filters.map((p) => p.name)).not.toContain('DynamicResources');
  });

  it.each([
    // The node without devices is left to DynamicResources too (a class backs the name), which finds none there.
    ['1.36: the gate is on by default; the pod goes to the node with devices', '1.36', [], 'gpu', { 'cannot allocate all claims': 1 }],
    ['1.35: the gate is off; no node advertises the resource', '1.35', [], undefined, { [`Insufficient ${DRA_RESOURCE}`]: 2 }],
    ['1.36: both devices held by bound pods', '1.36', [wants({ node: 'gpu' }), wants({ node: 'gpu' })], undefined, { 'cannot allocate all claims': 2 }],
  ] as const)('%s', (_name, version, bound, expectedNode, reasons) => {
    const scheduler = new Scheduler({ kubernetesVersion: version, dra, percentageOfNodesToScore: 100 });
    const { snapshot } = snapshotOf(nodes(), [...bound]);
    const result = scheduler.schedule(wants(), snapshot);
    expect(result.node).toBe(expectedNode);
    expect(result.reasons).toEqual(reasons);
  });
});

describe('typedObjects: resource.k8s.io DeviceClass and ResourceSlice', () => {
  const source = { file: 'dra.yaml', id: 'dra' };
  const objects = [
    { apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'gpu.example.com' }, spec: { extendedResourceName: 'example.com/gpu', selectors: [{ cel: { expression: 'device.driver == "gpu.example.com"' } }] } },
    { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceSlice', metadata: { name: 'gpu-node-slice' }, spec: { driver: 'gpu.example.com', pool: { name: 'gpu', generation: 1, resourceSliceCount: 1 }, nodeName: 'gpu', devices: [{ name: 'gpu-0' }, { name: 'gpu-1' }] } },
    { apiVersion: 'resource.k8s.io/v1beta1', kind: 'ResourceSlice', metadata: { name: 'other' }, spec: { driver: 'nic.example.com', nodeName: 'gpu', devices: [{ name: 'nic-0', basic: { attributes: { model: { string: 'x' } } } }] } },
  ];

  it('reads the class, the slices (v1beta1 `basic` flattened) and schedules on their devices', () => {
    const typed = typedObjects(objects.map((object) => ({ object, source })));
    expect(typed.invalidObjects).toEqual([]);
    expect(typed.deviceClasses.map((c) => [c.name, c.extendedResourceName, c.selectors.length])).toEqual([['gpu.example.com', 'example.com/gpu', 1]]);
    expect(typed.resourceSlices.map((s) => [s.name, s.pool, s.devices.length])).toEqual([['gpu-node-slice', 'gpu', 2], ['other', undefined, 1]]);
    expect(typed.resourceSlices[1].devices[0].attributes).toEqual({ model: { string: 'x' } });
    const scheduler = new Scheduler({ kubernetesVersion: '1.36', dra: { deviceClasses: typed.deviceClasses, resourceSlices: typed.resourceSlices } });
    const { snapshot } = snapshotOf([node('plain', { cpu: '4', memory: '4Gi', pods: '10' }), node('gpu', { cpu: '4', memory: '4Gi', pods: '10' })]);
    // The selector keeps the class to its driver's two devices: a request for 3 fits nowhere.
    expect(scheduler.schedule(pod([{ 'example.com/gpu': '2' }]), snapshot).node).toBe('gpu');
    expect(scheduler.schedule(pod([{ 'example.com/gpu': '3' }]), snapshot).node).toBeUndefined();
  });

  it.each([
    ['an extended resource name without a domain', { kind: 'DeviceClass', spec: { extendedResourceName: 'gpu' } }, 'spec.extendedResourceName'],
    ['a slice without a driver', { kind: 'ResourceSlice', spec: { devices: [] } }, 'spec.driver'],
    ['a device without a name', { kind: 'ResourceSlice', spec: { driver: 'd', devices: [{}] } }, 'spec.devices[0].name'],
  ])('fails when given %s', (_name, partial, field) => {
    const object = { apiVersion: 'resource.k8s.io/v1', metadata: { name: 'bad' }, ...partial };
    const typed = typedObjects([{ object, source }]);
    expect(typed.invalidObjects).toEqual([expect.objectContaining({ input: `${partial.kind} bad`, field })]);
  });
});

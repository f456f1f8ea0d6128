import type { LabelSelector, Node, Pod, PodSpec, Taint, TopologySpreadConstraint } from '../../../../simulation/model/kubernetes';
import { makePodTopologySpread } from '../../../../simulation/scheduler';
import { node, pod, scores } from './helpers';

// kubernetes/kubernetes pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go TestPodTopologySpreadScore
// (PreScore over the candidate nodes, Score, NormalizeScore; DefaultingType System as there).

const HOST = 'kubernetes.io/hostname';
const foo: LabelSelector = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const bar: LabelSelector = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };
const UNSCHEDULABLE_TAINT: Taint[] = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];

const soft = (maxSkew: number, topologyKey: string, labelSelector: LabelSelector | undefined, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint =>
  ({ maxSkew, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', ...(labelSelector ? { labelSelector } : {}), ...extra });
const incoming = (labels: Record<string, string>, constraints: TopologySpreadConstraint[], spec: Partial<PodSpec> = {}) => pod([], { topologySpreadConstraints: constraints, ...spec }, { name: 'p', labels });
const host = (name: string, extra: Record<string, string> = {}, taints: Taint[] = []) => node(name, {}, { [HOST]: name, ...extra }, taints);
const zoned = (name: string, zone: string) => host(name, { zone });
const keyed = (name: string, extra: Record<string, string> = {}, taints: Taint[] = []) => node(name, {}, { node: name, ...extra }, taints);
const e = (name: string, nodeName: string, labels: Record<string, string> = { foo: '' }, meta: { namespace?: string; terminating?: boolean } = {}) => pod([], {}, { name, node: nodeName, labels, ...meta });
const many = (prefix: string, nodeName: string, count: number, labels: Record<string, string> = { foo: '' }) => Array.from({ length: count }, (_, i) => e(`${prefix}${i + 1}`, nodeName, labels));
const s2103 = () => [...many('p-a', 'node-a', 2), ...many('p-b', 'node-b', 1), ...many('p-d', 'node-d', 3)];
const s4321 = () => [...many('p-a', 'node-a', 4), ...many('p-b', 'node-b', 3), ...many('p-c', 'node-c', 2), ...many('p-d', 'node-d', 1)];
const s42x3 = () => [...many('p-a', 'node-a', 4), ...many('p-b', 'node-b', 2), e('p-x1', 'node-x'), ...many('p-y', 'node-y', 3)];
const abcd = () => ['node-a', 'node-b', 'node-c', 'node-d'].map((n) => host(n));
const selectorNodes = () => [keyed('node-a', { foo: '' }), keyed('node-b', { foo: '' }), keyed('node-c')];
const selectorPods = () => [...many('p-a', 'node-a', 2), e('p-b1', 'node-b'), e('p-c1', 'node-c')];
const nodeSelectorFoo: Partial<PodSpec> = { nodeSelector: { foo: '' } };
const affinityFoo: Partial<PodSpec> = { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'foo', operator: 'In', values: [''] }] }] } } } };
const zones4 = () => [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-c', 'zone2'), zoned('node-d', 'zone2')];

// [name, pod, candidate nodes, failed nodes, existing pods, expected]
describe('scoring_test.go TestPodTopologySpreadScore', () => {
  it.each<[string, Pod, Node[], Node[], Pod[], number[]]>([
    ['one constraint on node, no existing pods', incoming({ foo: '' }, [soft(1, HOST, foo)]), [host('node-a'), host('node-b')], [], [], [100, 100]],
    ['one constraint on node, only one node is candidate', incoming({ foo: '' }, [soft(1, HOST, foo)]), [host('node-a')], [host('node-b')], [...many('p-a', 'node-a', 2), e('p-b1', 'node-b')], [100]],
    ['one constraint on node, all nodes have the same number of matching pods', incoming({ foo: '' }, [soft(1, HOST, foo)]), [host('node-a'), host('node-b')], [], [e('p-a1', 'node-a'), e('p-b1', 'node-b')], [100, 100]],
    ['one constraint on node, all 4 nodes are candidates', incoming({ foo: '' }, [soft(1, HOST, foo)]), abcd(), [], s2103(), [20, 60, 100, 0]],
    ['one constraint on node, null selector', incoming({ foo: '' }, [soft(1, HOST, undefined)]), abcd(), [], s2103(), [100, 100, 100, 100]],
    ['one constraint on node, all 4 nodes are candidates, maxSkew=2', incoming({ foo: '' }, [soft(2, HOST, foo)]), abcd(), [], s2103(), [33, 66, 100, 16]],
    ['one constraint on node, all 4 nodes are candidates, maxSkew=3', incoming({ foo: '' }, [soft(3, HOST, foo)]), abcd(), [], s4321(), [44, 66, 77, 100]],
    ['one constraint on node, 3 out of 4 nodes are candidates', incoming({ foo: '' }, [soft(1, HOST, foo)]), [host('node-a'), host('node-b'), host('node-x')], [host('node-y')], s42x3(), [33, 83, 100]],
    ["one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key", incoming({ foo: '' }, [soft(1, HOST, foo)]),
      [host('node-a'), node('node-b', {}, { n: 'node-b' }), host('node-x')], [host('node-y')], s42x3(), [16, 0, 100]],
    ['one constraint on zone, 3 out of 4 nodes are candidates', incoming({ foo: '' }, [soft(1, 'zone', foo)]),
      [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2')], [zoned('node-y', 'zone2')], s42x3(), [75, 75, 100]],
    ['two Constraints on zone and node, 2 out of 4 nodes are candidates', incoming({ foo: '' }, [soft(1, 'zone', foo), soft(1, HOST, foo)]),
      [zoned('node-a', 'zone1'), zoned('node-x', 'zone2')], [zoned('node-b', 'zone1'), zoned('node-y', 'zone2')],
      [...many('p-a', 'node-a', 2), e('p-b1', 'node-b'), ...many('p-x', 'node-x', 2), ...many('p-y', 'node-y', 4)], [100, 63]],
    ['two Constraints on zone and node, with different labelSelectors', incoming({ foo: '', bar: '' }, [soft(1, 'zone', foo), soft(1, HOST, bar)]),
      [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2'), zoned('node-y', 'zone2')], [],
      [e('p-a1', 'node-a'), e('p-b1', 'node-b', { foo: '', bar: '' }), e('p-y1', 'node-y'), e('p-y2', 'node-y', { bar: '' })], [60, 20, 100, 60]],
    ['two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods', incoming({ foo: '', bar: '' }, [soft(1, 'zone', foo), soft(1, HOST, bar)]),
      [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2'), zoned('node-y', 'zone2')], [],
      [e('p-b1', 'node-b', { bar: '' }), e('p-x1', 'node-x'), e('p-y1', 'node-y', { foo: '', bar: '' })], [100, 60, 40, 0]],
    ['two Constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates', incoming({ foo: '', bar: '' }, [soft(1, 'zone', foo), soft(1, HOST, bar)]),
      [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2')], [zoned('node-y', 'zone2')],
      [e('p-a1', 'node-a'), e('p-b1', 'node-b', { foo: '', bar: '' }), e('p-y1', 'node-y'), e('p-y2', 'node-y', { bar: '' })], [50, 25, 100]],
    ['existing pods in a different namespace do not count', incoming({ foo: '' }, [soft(1, HOST, foo)]), [host('node-a'), host('node-b')], [],
      [e('p-a1', 'node-a', { foo: '' }, { namespace: 'ns1' }), e('p-a2', 'node-a'), ...many('p-b', 'node-b', 2)], [100, 33]],
    ['terminating Pods should be excluded', incoming({ foo: '' }, [soft(1, HOST, foo)]), [host('node-a'), host('node-b')], [],
      [e('p-a', 'node-a', { foo: '' }, { terminating: true }), e('p-b', 'node-b')], [100, 0]],
    ['minDomains has no effect when ScheduleAnyway', incoming({ foo: '' }, [soft(2, 'node', foo, { minDomains: 10 })]), [keyed('node-a'), keyed('node-b'), keyed('node-c')], [],
      [...many('p-a', 'node-a', 2), ...many('p-b', 'node-b', 2), e('p-c1', 'node-c')], [75, 75, 100]],
    ['NodeAffinityPolicy honoed with labelSelectors', incoming({ foo: '' }, [soft(1, 'node', foo)], nodeSelectorFoo), selectorNodes(), [], selectorPods(), [0, 33, 100]],
    ['NodeAffinityPolicy ignored with labelSelectors', incoming({ foo: '' }, [soft(1, 'node', foo, { nodeAffinityPolicy: 'Ignore' })], nodeSelectorFoo), selectorNodes(), [], selectorPods(), [66, 100, 100]],
    ['NodeAffinityPolicy honoed with nodeAffinity', incoming({ foo: '' }, [soft(1, 'node', foo)], affinityFoo), selectorNodes(), [], selectorPods(), [0, 33, 100]],
    ['NodeAffinityPolicy ignored with nodeAffinity', incoming({ foo: '' }, [soft(1, 'node', foo, { nodeAffinityPolicy: 'Ignore' })], affinityFoo), selectorNodes(), [], selectorPods(), [66, 100, 100]],
    ['NodeTaintsPolicy honored', incoming({ foo: '' }, [soft(1, 'node', foo, { nodeTaintsPolicy: 'Honor' })]), [keyed('node-a'), keyed('node-b'), keyed('node-c', {}, UNSCHEDULABLE_TAINT)], [], selectorPods(), [0, 33, 100]],
    ['NodeTaintsPolicy ignored', incoming({ foo: '' }, [soft(1, 'node', foo)]), [keyed('node-a'), keyed('node-b'), keyed('node-c', {}, UNSCHEDULABLE_TAINT)], [], selectorPods(), [66, 100, 100]],
    ['matchLabelKeys ANDed with LabelSelector when LabelSelector is empty', incoming({ foo: '', bar: '' }, [soft(1, 'zone', {}, { matchLabelKeys: ['foo'] }), soft(1, HOST, {}, { matchLabelKeys: ['bar'] })]),
      zones4(), [], [e('p-a1', 'node-a'), e('p-b1', 'node-b', { foo: '', bar: '' }), e('p-y1', 'node-c'), e('p-y2', 'node-c', { bar: '' })], [60, 20, 60, 100]],
    ["matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty", incoming({ foo: '', bar: '', baz: '' }, [soft(1, 'zone', foo), soft(1, HOST, bar, { matchLabelKeys: ['baz'] })]),
      zones4(), [], [e('p-a1', 'node-a'), e('p-b1', 'node-b', { foo: '', bar: '', baz: '' }), e('p-c1', 'node-c'), e('p-c2', 'node-c', { bar: '' }), e('p-d3', 'node-c', { bar: '', baz: '' })], [60, 20, 60, 100]],
  ])('%s', (_name, p, candidates, failed, existing, expected) => {
    const plugin = makePodTopologySpread();
    expect(scores(plugin, p, [...candidates, ...failed], existing, { filtered: candidates.map((c) => c.metadata.name as string) })).toEqual(expected);
  });

  it("system defaulting, nodes don't have zone, pods match service: the workload's own labels select (same scores as one hostname constraint with maxSkew 3)", () => {
    const p = pod([], {}, { name: 'p', labels: { foo: '' } });
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' }];
    const existing = s4321().map((x) => ({ ...x, metadata: { ...x.metadata, labels: { foo: '' } } }));
    expect(scores(makePodTopologySpread(), p, abcd(), existing)).toEqual([44, 66, 77, 100]);
    // A bare pod has no default selector: PreScore skips.
    expect(scores(makePodTopologySpread(), pod([], {}, { labels: { foo: '' } }), abcd(), existing)).toBe('skip');
  });
});

import type { LabelSelector, Node, Pod, PodSpec, Taint, TopologySpreadConstraint } from '../../../../simulation/model/kubernetes';
import { makePodTopologySpread, statusCode } from '../../../../simulation/scheduler';
import { cycle, node, pod, snapshotOf } from './helpers';

// kubernetes/kubernetes pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go: TestSingleConstraint
// and TestMultipleConstraints (status code per node after PreFilter + Filter), with DefaultingType List as there.

const foo: LabelSelector = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const bar: LabelSelector = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };
const UNSCHEDULABLE_TAINT: Taint[] = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];

type Code = 'S' | 'U' | 'UU';
const spread = (maxSkew: number, topologyKey: string, labelSelector: LabelSelector | undefined, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint =>
  ({ maxSkew, topologyKey, whenUnsatisfiable: 'DoNotSchedule', ...(labelSelector ? { labelSelector } : {}), ...extra });
const incoming = (labels: Record<string, string>, constraints: TopologySpreadConstraint[], spec: Partial<PodSpec> = {}) => pod([], { topologySpreadConstraints: constraints, ...spec }, { name: 'p', labels });
const n = (name: string, labels: Record<string, string>, taints: Taint[] = []) => node(name, {}, labels, taints);
const zn = (name: string, zone: string) => n(name, { zone, node: name });
const e = (name: string, nodeName: string, labels: Record<string, string> = { foo: '' }, meta: { namespace?: string; terminating?: boolean } = {}) => pod([], {}, { name, node: nodeName, labels, ...meta });
const fourNodes = () => [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2'), zn('node-y', 'zone2')];
const spread2103 = () => [e('p-a1', 'node-a'), e('p-a2', 'node-a'), e('p-b1', 'node-b'), e('p-y1', 'node-y'), e('p-y2', 'node-y'), e('p-y3', 'node-y')];
const affinityIn = (key: string, values: string[]): Partial<PodSpec> => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values }] }] } } } });
const affinityNotIn = (key: string, values: string[]): Partial<PodSpec> => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'NotIn', values }] }] } } } });

function codes(p: Pod, nodes: Node[], existing: Pod[]): Code[] {
  const plugin = makePodTopologySpread({ defaultingType: 'List' });
  const { snapshot, infos } = snapshotOf(nodes, existing);
  const state = cycle(p, snapshot);
  plugin.preFilter?.(state);
  return infos.map((info) => {
    const code = statusCode(plugin.filter(p, info, state));
    return code === undefined ? 'S' : code === 'Unschedulable' ? 'U' : 'UU';
  });
}

describe('filtering_test.go TestSingleConstraint', () => {
  it.each<[string, Pod, Node[], Pod[], Code[]]>([
    ['no existing pods', incoming({ foo: '' }, [spread(1, 'zone', foo)]), fourNodes(), [], ['S', 'S', 'S', 'S']],
    ["no existing pods, incoming pod doesn't match itself", incoming({ foo: '' }, [spread(1, 'zone', bar)]), fourNodes(), [], ['S', 'S', 'S', 'S']],
    ['existing pods in a different namespace do not count', incoming({ foo: '' }, [spread(1, 'zone', foo)]), fourNodes(),
      [e('p-a1', 'node-a', { foo: '' }, { namespace: 'ns1' }), e('p-b1', 'node-a', { foo: '' }, { namespace: 'ns2' }), e('p-x1', 'node-x'), e('p-y1', 'node-y')], ['S', 'S', 'U', 'U']],
    ['existing pods do not match null selector', incoming({ foo: '' }, [spread(1, 'zone', undefined)]), fourNodes(), [e('p-x1', 'node-x'), e('p-y1', 'node-y')], ['S', 'S', 'S', 'S']],
    ['pods spread across zones as 3/3, all nodes fit', incoming({ foo: '' }, [spread(1, 'zone', foo)]), fourNodes(), spread2103(), ['S', 'S', 'S', 'S']],
    ["pods spread across zones as 1/2 due to absence of label 'zone' on node-b", incoming({ foo: '' }, [spread(1, 'zone', foo)]),
      [zn('node-a', 'zone1'), n('node-b', { zon: 'zone1', node: 'node-b' }), zn('node-x', 'zone2'), zn('node-y', 'zone2')],
      [e('p-a1', 'node-a'), e('p-b1', 'node-b'), e('p-x1', 'node-x'), e('p-y1', 'node-y')], ['S', 'UU', 'U', 'U']],
    ["pod cannot be scheduled as all nodes don't have label 'rack'", incoming({ foo: '' }, [spread(1, 'rack', foo)]), [zn('node-a', 'zone1'), zn('node-x', 'zone2')], [], ['UU', 'UU']],
    ['pods spread across nodes as 2/1/0/3, only node-x fits', incoming({ foo: '' }, [spread(1, 'node', foo)]), fourNodes(), spread2103(), ['U', 'U', 'S', 'U']],
    ['pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit', incoming({ foo: '' }, [spread(2, 'node', foo)]), fourNodes(), spread2103(), ['U', 'S', 'S', 'U']],
    ["pods spread across nodes as 2/1/0/3, but pod doesn't match itself", incoming({ bar: '' }, [spread(1, 'node', foo)]), fourNodes(), spread2103(), ['U', 'S', 'S', 'U']],
    ['incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits', incoming({ foo: '' }, [spread(1, 'node', foo)], affinityIn('node', ['node-a', 'node-y'])), fourNodes(), spread2103(), ['S', 'S', 'S', 'U']],
    ['terminating Pods should be excluded', incoming({ foo: '' }, [spread(1, 'node', foo)]), [n('node-a', { node: 'node-a' }), n('node-b', { node: 'node-b' })],
      [e('p-a', 'node-a', { foo: '' }, { terminating: true }), e('p-b', 'node-b')], ['S', 'U']],
    ['incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits', incoming({ foo: '' }, [spread(1, 'zone', foo)], affinityNotIn('node', ['node-b'])), fourNodes(),
      [e('p-b1', 'node-b'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['S', 'S', 'U', 'U']],
    ['pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits', incoming({ foo: '' }, [spread(2, 'node', foo, { minDomains: 4 })]),
      [n('node-a', { node: 'node-a' }), n('node-b', { node: 'node-b' }), n('node-c', { node: 'node-c' })],
      [e('p-a1', 'node-a'), e('p-a2', 'node-a'), e('p-b1', 'node-b'), e('p-b2', 'node-b'), e('p-c1', 'node-c')], ['U', 'U', 'S']],
    ['pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit', incoming({ foo: '' }, [spread(2, 'node', foo, { minDomains: 2 })]),
      [n('node-a', { node: 'node-a' }), n('node-b', { node: 'node-b' }), n('node-c', { node: 'node-c' })],
      [e('p-a1', 'node-a'), e('p-a2', 'node-a'), e('p-b1', 'node-b'), e('p-b2', 'node-b'), e('p-c1', 'node-c')], ['S', 'S', 'S']],
    ['pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit', incoming({ foo: '' }, [spread(2, 'zone', foo, { minDomains: 3 })]), fourNodes(),
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['U', 'U', 'S', 'S']],
    ['pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit', incoming({ foo: '' }, [spread(2, 'zone', foo, { minDomains: 1 })]), fourNodes(),
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['S', 'S', 'S', 'S']],
    ['NodeAffinityPolicy honored with labelSelectors', incoming({ foo: '' }, [spread(1, 'node', foo)], { nodeSelector: { foo: '' } }),
      [n('node-a', { node: 'node-a', foo: '' }), n('node-b', { node: 'node-b', foo: '' }), n('node-x', { node: 'node-x', foo: '' }), n('node-y', { node: 'node-y' })],
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['U', 'U', 'S', 'S']],
    ['NodeAffinityPolicy ignored with labelSelectors', incoming({ foo: '' }, [spread(1, 'node', foo, { nodeAffinityPolicy: 'Ignore' })], { nodeSelector: { foo: '' } }),
      [n('node-a', { node: 'node-a', foo: '' }), n('node-b', { node: 'node-b', foo: '' }), n('node-x', { node: 'node-x', foo: '' }), n('node-y', { node: 'node-y' })],
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['U', 'U', 'S', 'U']],
    ['NodeAffinityPolicy honored with nodeAffinity', incoming({ foo: '' }, [spread(1, 'node', foo)], affinityIn('foo', [''])),
      [n('node-a', { node: 'node-a', foo: '' }), n('node-b', { node: 'node-b', foo: '' }), n('node-x', { node: 'node-x', foo: '' }), n('node-y', { node: 'node-y' })],
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['U', 'U', 'S', 'S']],
    ['NodeAffinityPolicy ignored with nodeAffinity', incoming({ foo: '' }, [spread(1, 'node', foo, { nodeAffinityPolicy: 'Ignore' })], affinityIn('foo', [''])),
      [n('node-a', { node: 'node-a', foo: '' }), n('node-b', { node: 'node-b', foo: '' }), n('node-x', { node: 'node-x', foo: '' }), n('node-y', { node: 'node-y' })],
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['U', 'U', 'S', 'U']],
    ['NodeTaintsPolicy honored', incoming({ foo: '' }, [spread(1, 'node', foo, { nodeTaintsPolicy: 'Honor' })]),
      [n('node-a', { node: 'node-a', foo: '' }), n('node-b', { node: 'node-b', foo: '' }), n('node-x', { node: 'node-x', foo: '' }), n('node-y', { node: 'node-y' }, UNSCHEDULABLE_TAINT)],
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['U', 'U', 'S', 'S']],
    ['NodeTaintsPolicy ignored', incoming({ foo: '' }, [spread(1, 'node', foo)]),
      [n('node-a', { node: 'node-a', foo: '' }), n('node-b', { node: 'node-b', foo: '' }), n('node-x', { node: 'node-x', foo: '' }), n('node-y', { node: 'node-y' }, UNSCHEDULABLE_TAINT)],
      [e('p-b1', 'node-a'), e('p-b2', 'node-b'), e('p-y1', 'node-y')], ['U', 'U', 'S', 'U']],
  ])('%s', (_name, p, nodes, existing, expected) => {
    expect(codes(p, nodes, existing)).toEqual(expected);
  });
});

describe('filtering_test.go TestMultipleConstraints', () => {
  it.each<[string, Pod, Pod[], Code[]]>([
    ['two Constraints on zone and node, spreads = [3/3, 2/1/0/3]', incoming({ foo: '' }, [spread(1, 'zone', foo), spread(1, 'node', foo)]), spread2103(), ['U', 'U', 'S', 'U']],
    ['two Constraints on zone and node, spreads = [3/4, 2/1/0/4]', incoming({ foo: '' }, [spread(1, 'zone', foo), spread(1, 'node', foo)]), [...spread2103(), e('p-y4', 'node-y')], ['U', 'U', 'U', 'U']],
    ['Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]', incoming({ foo: '', bar: '' }, [spread(1, 'zone', foo), spread(1, 'node', bar)]),
      [e('p-a1', 'node-a'), e('p-y1', 'node-y', { bar: '' })], ['U', 'U', 'S', 'U']],
    ['Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]', incoming({ foo: '', bar: '' }, [spread(1, 'zone', foo), spread(1, 'node', bar)]),
      [e('p-a1', 'node-a'), e('p-x1', 'node-x', { bar: '' }), e('p-y1', 'node-y', { bar: '' })], ['U', 'U', 'U', 'U']],
    ['Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]', incoming({ foo: '', bar: '' }, [spread(1, 'zone', foo), spread(1, 'node', bar)]),
      [e('p-a1', 'node-a'), e('p-a2', 'node-a', { foo: '', bar: '' }), e('p-y1', 'node-y'), e('p-y2', 'node-y', { foo: '', bar: '' }), e('p-y3', 'node-y')], ['U', 'S', 'U', 'U']],
  ])('%s', (_name, p, existing, expected) => {
    expect(codes(p, fourNodes(), existing)).toEqual(expected);
  });
});

describe('filtering_test.go TestPreFilterStateRemovePod (what preemption sees after removing a pod)', () => {
  it.each<[string, Node[], Pod[], string, Code[]]>([
    // After p-a1 leaves, zones are 1/1: any node may take the pod (skew 1).
    ['one spreadConstraint on zone, topologyKeyToMinPodsMap unchanged', [zn('node-a', 'zone1'), zn('node-b', 'zone1'), zn('node-x', 'zone2')],
      [e('p-a1', 'node-a'), e('p-b1', 'node-b'), e('p-x1', 'node-x')], 'default/p-a1', ['S', 'S', 'S']],
    ['one spreadConstraint on node, topologyKeyToMinPodsMap changed', fourNodes(),
      [e('p-a1', 'node-a'), e('p-b1', 'node-b'), e('p-x1', 'node-x'), e('p-y1', 'node-y')], 'default/p-a1', ['S', 'S', 'U', 'U']],
    ["delete an irrelevant pod won't help", fourNodes(),
      [e('p-a0', 'node-a', { bar: '' }), e('p-a1', 'node-a'), e('p-b1', 'node-b'), e('p-x1', 'node-x'), e('p-y1', 'node-y')], 'default/p-a0', ['S', 'S', 'S', 'S']],
  ])('%s', (_name, nodes, existing, removed, expected) => {
    const p = incoming({ foo: '' }, [spread(1, 'zone', foo)]);
    const plugin = makePodTopologySpread({ defaultingType: 'List' });
    const { snapshot, infos } = snapshotOf(nodes, existing);
    snapshot.removePod(removed);
    const state = cycle(p, snapshot);
    plugin.preFilter?.(state);
    expect(infos.map((info) => (plugin.filter(p, info, state).length === 0 ? 'S' : 'U'))).toEqual(expected);
  });
});

import type { LabelSelector, LabelSelectorRequirement, Node, Pod, PodAffinityTerm } from '../../../../simulation/model/kubernetes';
import { InterPodAffinity, NodeInfo, Scheduler, statusCode, type FilterStatus } from '../../../../simulation/scheduler';
import { cycle, node, pod, snapshotOf } from './helpers';

// kubernetes/kubernetes pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go:
// TestRequiredAffinitySingleNode and TestRequiredAffinityMultipleNodes (status per node after PreFilter + Filter).

const AFFINITY = "node(s) didn't match pod affinity rules";
const ANTI = "node(s) didn't match pod anti-affinity rules";
const EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules";
type Want = undefined | [code: 'Unschedulable' | 'UnschedulableAndUnresolvable', reason: string];
const UU_AFFINITY: Want = ['UnschedulableAndUnresolvable', AFFINITY];
const U_ANTI: Want = ['Unschedulable', ANTI];
const U_EXISTING: Want = ['Unschedulable', EXISTING];

// The namespaces upstream's tests register (with their labels), for namespaceSelector.
const NAMESPACES: Record<string, Record<string, string>> = {
  'subteam1.team1': { team: 'team1' }, 'subteam2.team1': { team: 'team1' }, 'subteam1.team2': { team: 'team2' }, 'subteam2.team2': { team: 'team2' },
};

const req = (key: string, operator: LabelSelectorRequirement['operator'], values?: string[]): LabelSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });
const term = (topologyKey: string, ...expressions: LabelSelectorRequirement[]): PodAffinityTerm => ({ topologyKey, labelSelector: { matchExpressions: expressions } });
const withTerms = (affinity: PodAffinityTerm[], anti: PodAffinityTerm[] = []) => ({
  affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinity }, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: anti } },
});
const p = (labels: Record<string, string>, affinity: PodAffinityTerm[] = [], anti: PodAffinityTerm[] = [], meta: { namespace?: string; node?: string } = {}) =>
  pod([], withTerms(affinity, anti), { labels, ...meta });
const at = (nodeName: string, labels: Record<string, string>, anti: PodAffinityTerm[] = [], namespace?: string) => p(labels, [], anti, { node: nodeName, namespace });
const n = (name: string, labels: Record<string, string>) => node(name, {}, labels);

function filterAll(incoming: Pod, nodes: Node[], existing: Pod[]): Want[] {
  const { snapshot, infos } = snapshotOf(nodes, existing);
  for (const [name, labels] of Object.entries(NAMESPACES)) snapshot.setNamespaceLabels(name, labels);
  const state = cycle(incoming, snapshot);
  InterPodAffinity.preFilter?.(state);
  return infos.map((info) => {
    const status: FilterStatus = InterPodAffinity.filter(incoming, info, state);
    const code = statusCode(status);
    return code ? [code, status[0]] : undefined;
  });
}

describe('filtering_test.go TestRequiredAffinitySingleNode', () => {
  const securityscan = { service: 'securityscan' };
  const s1 = { security: 'S1' };
  const node1 = () => n('node1', { region: 'r1', zone: 'z11' });
  const existing = () => at('node1', securityscan);
  const teamSelector: LabelSelector = { matchExpressions: [req('team', 'In', ['team1'])] };
  it.each<[string, Pod, Pod[], Want]>([
    ['A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods', pod(), [], undefined],
    ['satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod', p(s1, [term('region', req('service', 'In', ['securityscan', 'value2']))]), [existing()], undefined],
    ['satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod', p(s1, [term('region', req('service', 'NotIn', ['securityscan3', 'value3']))]), [existing()], undefined],
    ['Does not satisfy the PodAffinity with labelSelector because of diff Namespace', p(s1, [{ ...term('', req('service', 'In', ['securityscan', 'value2'])), namespaces: ['DiffNameSpace'] }]),
      [at('node1', securityscan, [], 'ns')], UU_AFFINITY],
    ["Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod", p(securityscan, [term('', req('service', 'In', ['antivirusscan', 'value2']))]), [existing()], UU_AFFINITY],
    ['satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution', p(s1, [
      term('region', req('service', 'Exists'), req('wrongkey', 'DoesNotExist')), term('region', req('service', 'In', ['securityscan']), req('service', 'NotIn', ['WrongValue']))]), [existing()], undefined],
    ["The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.", p(s1, [
      term('region', req('service', 'Exists'), req('wrongkey', 'DoesNotExist')), term('region', req('service', 'In', ['securityscan2']), req('service', 'NotIn', ['WrongValue']))]), [existing()], UU_AFFINITY],
    ['satisfies the PodAffinity and PodAntiAffinity with the existing pod', p(s1, [term('region', req('service', 'In', ['securityscan', 'value2']))], [term('node', req('service', 'In', ['antivirusscan', 'value2']))]), [existing()], undefined],
    ['satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod', p(s1, [term('region', req('service', 'In', ['securityscan', 'value2']))], [term('node', req('service', 'In', ['antivirusscan', 'value2']))]),
      [at('node1', securityscan, [term('node', req('service', 'In', ['antivirusscan', 'value2']))])], undefined],
    ["satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod", p(s1, [term('region', req('service', 'In', ['securityscan', 'value2']))], [term('zone', req('service', 'In', ['securityscan', 'value2']))]), [existing()], U_ANTI],
    ["satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod", p(securityscan, [term('region', req('service', 'In', ['securityscan', 'value2']))], [term('node', req('service', 'In', ['antivirusscan', 'value2']))]),
      [at('node1', securityscan, [term('zone', req('service', 'In', ['securityscan', 'value2']))])], U_EXISTING],
    ['pod matches its own Label in PodAffinity and that matches the existing pod Labels', p(securityscan, [term('region', req('service', 'NotIn', ['securityscan', 'value2']))]), [at('node2', securityscan)], UU_AFFINITY],
    ["verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod", pod([], {}, { labels: securityscan }),
      [at('node1', securityscan, [term('zone', req('service', 'In', ['securityscan', 'value2']))])], U_EXISTING],
    ['verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod', pod([], {}, { labels: securityscan }),
      [at('node1', securityscan, [term('zone', req('service', 'NotIn', ['securityscan', 'value2']))])], undefined],
    ["satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod", p(securityscan, [], [term('region', req('service', 'Exists')), term('region', req('security', 'Exists'))]),
      [at('node1', s1, [term('zone', req('security', 'Exists'))])], U_ANTI],
    ['PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms', p(securityscan, [], [term('zone', req('service', 'Exists')), term('zone', req('security', 'Exists'))]),
      [at('node1', s1, [term('zone', req('security', 'Exists'))])], U_ANTI],
    ['PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms', p(s1, [], [term('zone', req('security', 'Exists'))]),
      [at('node1', securityscan, [term('zone', req('service', 'Exists')), term('zone', req('security', 'Exists'))])], U_EXISTING],
    ['PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms', p({ abc: '', xyz: '' }, [], [term('zone', req('abc', 'Exists')), term('zone', req('def', 'Exists'))]),
      [at('node1', { def: '', xyz: '' }, [term('zone', req('abc', 'Exists')), term('zone', req('def', 'Exists'))])], U_ANTI],
    ['PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms', p({ def: '', xyz: '' }, [], [term('zone', req('abc', 'Exists')), term('zone', req('def', 'Exists'))]),
      [at('node1', { abc: '', xyz: '' }, [term('zone', req('abc', 'Exists')), term('zone', req('def', 'Exists'))])], U_ANTI],
    ['affinity with NamespaceSelector', p(s1, [{ ...term('region', req('service', 'In', ['securityscan', 'value2'])), namespaceSelector: teamSelector }]), [at('node1', securityscan, [], 'subteam1.team1')], undefined],
    ['affinity with non-matching NamespaceSelector', p(s1, [{ ...term('region', req('service', 'In', ['securityscan', 'value2'])), namespaceSelector: teamSelector }]), [at('node1', securityscan, [], 'subteam1.team2')], UU_AFFINITY],
    ['anti-affinity with matching NamespaceSelector', p(s1, [], [{ ...term('zone', req('service', 'In', ['securityscan', 'value2'])), namespaceSelector: teamSelector }], { namespace: 'subteam1.team1' }),
      [at('node1', securityscan, [], 'subteam2.team1')], U_ANTI],
    ['anti-affinity with matching all NamespaceSelector', p(s1, [], [{ ...term('zone', req('service', 'In', ['securityscan', 'value2'])), namespaceSelector: {} }], { namespace: 'subteam1.team1' }),
      [at('node1', securityscan, [], 'subteam2.team1')], U_ANTI],
    ['anti-affinity with non-matching NamespaceSelector', p(s1, [], [{ ...term('zone', req('service', 'In', ['securityscan', 'value2'])), namespaceSelector: teamSelector }], { namespace: 'subteam1.team1' }),
      [at('node1', securityscan, [], 'subteam1.team2')], undefined],
  ])('%s', (_name, incoming, existing, want) => {
    expect(filterAll(incoming, [node1()], existing)).toEqual([want]);
  });
});

describe('filtering_test.go TestRequiredAffinityMultipleNodes', () => {
  const china = { region: 'China' };
  const chinaAz1 = { region: 'China', az: 'az1' };
  const india = { region: 'India' };
  it.each<[string, Pod, Node[], Pod[], Want[]]>([
    ['A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules',
      p({}, [term('region', req('foo', 'In', ['bar']))]), [n('node1', china), n('node2', chinaAz1), n('node3', india)], [at('node1', { foo: 'bar' })], [undefined, undefined, UU_AFFINITY]],
    ['The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection should not be blocked from being scheduled onto any node, even there\'s no existing pod that matches the rule anywhere.',
      p({ foo: 'bar', service: 'securityscan' }, [term('zone', req('foo', 'In', ['bar'])), term('zone', req('service', 'In', ['securityscan']))]),
      [n('nodeA', { zone: 'az1', hostname: 'h1' }), n('nodeB', { zone: 'az2', hostname: 'h2' })], [at('nodeA', { foo: 'bar' })], [undefined, undefined]],
    ['The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys',
      p({ foo: 'bar', service: 'securityscan' }, [term('zone', req('foo', 'In', ['bar'])), term('zone', req('service', 'In', ['securityscan']))]),
      [n('nodeA', { zoneLabel: 'az1', hostname: 'h1' }), n('nodeB', { zoneLabel: 'az2', hostname: 'h2' })], [at('nodeA', { foo: 'bar' })], [UU_AFFINITY, UU_AFFINITY]],
    ['NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.',
      p({}, [], [term('region', req('foo', 'In', ['abc']))]), [n('nodeA', { region: 'r1', hostname: 'nodeA' }), n('nodeB', { region: 'r1', hostname: 'nodeB' })], [at('nodeA', { foo: 'abc' })], [U_ANTI, U_ANTI]],
    ['This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.',
      p({}, [], [term('region', req('foo', 'In', ['abc'])), term('zone', req('service', 'In', ['securityscan']))]),
      [n('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), n('nodeB', { region: 'r1', zone: 'z2', hostname: 'nodeB' })], [at('nodeA', { foo: 'abc', service: 'securityscan' })], [U_ANTI, U_ANTI]],
    ['NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC',
      p({}, [], [term('region', req('foo', 'In', ['abc']))]), [n('nodeA', china), n('nodeB', chinaAz1), n('nodeC', india)], [at('nodeA', { foo: 'abc' })], [U_ANTI, U_ANTI, undefined]],
    ['NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)',
      p({ foo: '123' }, [], [term('region', req('foo', 'In', ['bar']))], { namespace: 'NS1' }), [n('nodeA', china), n('nodeB', chinaAz1), n('nodeC', india)],
      [at('nodeA', { foo: 'bar' }, [], 'NS1'), at('nodeC', {}, [term('region', req('foo', 'In', ['123']))], 'NS2')], [U_ANTI, U_ANTI, undefined]],
    ["Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked",
      pod([], {}, { labels: { foo: '' } }), [n('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), n('nodeB', { region: 'r1', zone: 'z1', hostname: 'nodeB' })],
      [at('nodeA', {}, [term('invalid-node-label', req('foo', 'Exists'))])], [undefined, undefined]],
    ["Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
      p({}, [], [term('invalid-node-label', req('foo', 'Exists'))]), [n('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), n('nodeB', { region: 'r1', zone: 'z1', hostname: 'nodeB' })],
      [at('nodeA', { foo: '' })], [undefined, undefined]],
  ])('%s', (_name, incoming, nodes, existing, want) => {
    expect(filterAll(incoming, nodes, existing)).toEqual(want);
  });
});

// filtering_test.go TestRequiredAffinitySingleNode: PreFilter refuses a pod whose terms do not parse
// (framework.NewPodInfo → LabelSelectorAsSelector), UnschedulableAndUnresolvable with apimachinery's message.
describe('filtering_test.go TestRequiredAffinitySingleNode: invalid label syntax fails PreFilter', () => {
  const LABEL_MESSAGE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const WANT = `parsing pod: requiredAffinityTerms: values[0][service]: Invalid value: "{{.bad-value.}}": ${LABEL_MESSAGE}`;
  it.each<[string, PodAffinityTerm[]]>([
    ['PodAffinity fails PreFilter with an invalid affinity label syntax', [term('region', req('service', 'In', ['{{.bad-value.}}'])), term('node', req('service', 'In', ['antivirusscan', 'value2']))]],
    ['PodAntiAffinity fails PreFilter with an invalid antiaffinity label syntax', [term('region', req('service', 'In', ['foo'])), term('node', req('service', 'In', ['{{.bad-value.}}']))]],
  ])('%s', (_name, affinity) => {
    const incoming = p({ security: 'S1' }, affinity);
    const { snapshot, infos } = snapshotOf([n('node1', { region: 'r1', zone: 'z11' })], []);
    const state = cycle(incoming, snapshot);
    const preFilter = InterPodAffinity.preFilter?.(state) as FilterStatus;
    expect([statusCode(preFilter), preFilter[0]]).toEqual(['UnschedulableAndUnresolvable', WANT]);
    expect(InterPodAffinity.filter(incoming, infos[0], state)).toEqual([WANT]);
  });

  it('the scheduler reports the parse error for every node', () => {
    const incoming = p({}, [term('region', req('service', 'In', ['{{.bad-value.}}']))]);
    const scheduler = new Scheduler();
    const result = scheduler.schedule(incoming, [new NodeInfo(node('node1', { pods: '10' }, { region: 'r1' })), new NodeInfo(node('node2', { pods: '10' }, { region: 'r1' }))]);
    expect(result.node).toBeUndefined();
    expect(result.reasons).toEqual({ [WANT]: 2 });
  });
});

describe('issue 14: absent labelSelector and namespaceSelector, as upstream', () => {
  it('an affinity term without labelSelector matches no pod (labels.Nothing)', () => {
    const incoming = p({ app: 'web' }, [{ topologyKey: 'zone' }]);
    // No pod can match, and the pod does not match its own term: no node is feasible.
    expect(filterAll(incoming, [n('a', { zone: 'z1' })], [at('a', { app: 'web' })])).toEqual([UU_AFFINITY]);
    const anti = p({ app: 'web' }, [], [{ topologyKey: 'zone' }]);
    expect(filterAll(anti, [n('a', { zone: 'z1' })], [at('a', { app: 'web' })])).toEqual([undefined]);
  });
});

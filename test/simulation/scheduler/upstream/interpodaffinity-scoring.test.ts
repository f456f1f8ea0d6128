import type { Affinity, LabelSelectorRequirement, Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../../../simulation/model/kubernetes';
import { isErrorStatus, makeInterPodAffinity, resolveProfile, resolveFeatures, SKIP, type InterPodAffinityArgs } from '../../../../simulation/scheduler';
import { cycle, node, pod, snapshotOf } from './helpers';

// kubernetes/kubernetes pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go: TestPreferredAffinity and
// TestPreferredAffinityWithHardPodAffinitySymmetricWeight (PreScore, Score per node, NormalizeScore).

const NAMESPACES: Record<string, Record<string, string>> = {
  'subteam1.team1': { team: 'team1' }, 'subteam2.team1': { team: 'team1' }, 'subteam1.team2': { team: 'team2' }, 'subteam2.team2': { team: 'team2' },
};

const req = (key: string, operator: LabelSelectorRequirement['operator'], values?: string[]): LabelSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });
const term = (topologyKey: string, expressions: LabelSelectorRequirement[], extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ topologyKey, labelSelector: { matchExpressions: expressions }, ...extra });
const weighted = (weight: number, podAffinityTerm: PodAffinityTerm): WeightedPodAffinityTerm => ({ weight, podAffinityTerm });

const rgChina = { region: 'China' };
const rgIndia = { region: 'India' };
const azAz1 = { az: 'az1' };
const azAz2 = { az: 'az2' };
const rgChinaAzAz1 = { region: 'China', az: 'az1' };
const s1 = { security: 'S1' };
const s2 = { security: 'S2' };
const teamSelector = { matchExpressions: [req('team', 'In', ['team1'])] };

const stayWithS1InRegion: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('region', [req('security', 'In', ['S1'])]))] } };
const stayWithS2InRegion: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(6, term('region', [req('security', 'In', ['S2'])]))] } };
const affinity3: Affinity = {
  podAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      weighted(8, term('region', [req('security', 'NotIn', ['S1']), req('security', 'In', ['S2'])])),
      weighted(2, term('region', [req('security', 'Exists'), req('wrongkey', 'DoesNotExist')])),
    ],
  },
};
const hardAffinity: Affinity = {
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      term('region', [req('security', 'In', ['S1', 'value2'])]),
      term('region', [req('security', 'Exists'), req('wrongkey', 'DoesNotExist')]),
    ],
  },
};
const awayFromS1InAz: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', [req('security', 'In', ['S1'])]))] } };
const awayFromS2InAz: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', [req('security', 'In', ['S2'])]))] } };
const stayWithS1InRegionAwayFromS2InAz: Affinity = {
  podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(8, term('region', [req('security', 'In', ['S1'])]))] },
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', [req('security', 'In', ['S2'])]))] },
};
const nsTerm = () => term('region', [req('security', 'In', ['S1'])], { namespaces: ['subteam2.team2'], namespaceSelector: teamSelector });
const affinityNamespaceSelector: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, nsTerm())] } };
const antiAffinityNamespaceSelector: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, nsTerm())] } };
const invalidAffinityLabels: Affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(8, term('region', [req('security', 'In', ['{{.bad-value.}}'])]))] } };
const invalidAntiAffinityLabels: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, term('az', [req('security', 'In', ['{{.bad-value.}}'])]))] } };

/** A pod as upstream's table writes it: labels, optional affinity, node and namespace. */
const p = (labels: Record<string, string>, affinity?: Affinity, nodeName?: string, namespace?: string): Pod =>
  pod([], affinity ? { affinity } : {}, { labels, node: nodeName, namespace });
const n = (name: string, labels: Record<string, string>): Node => node(name, {}, labels);

type Want = number[] | 'skip' | { error: string };

function run(incoming: Pod, nodes: Node[], existing: Pod[], args: InterPodAffinityArgs): Want {
  const plugin = makeInterPodAffinity(args);
  const { snapshot, infos } = snapshotOf(nodes, existing);
  for (const [name, labels] of Object.entries(NAMESPACES)) snapshot.setNamespaceLabels(name, labels);
  const state = cycle(incoming, snapshot);
  const status = plugin.preScore?.(state, infos);
  if (status === SKIP) return 'skip';
  if (isErrorStatus(status)) return { error: status.message };
  const scores = infos.map((info) => plugin.score(incoming, info, state));
  plugin.normalize?.(scores, state);
  return scores;
}

const BAD_VALUE = 'Invalid value: "{{.bad-value.}}"';

describe('scoring_test.go TestPreferredAffinity', () => {
  it.each<[string, Pod, Node[], Pod[], Want, boolean?]>([
    ['all nodes are same priority as Affinity is nil', p(s1), [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)], [], 'skip'],
    ["Affinity: pod that matches topology key & pods in nodes will get high score comparing to otherswhich doesn't match either pods in nodes or in topology key",
      p(s1, stayWithS1InRegion), [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)], [p(s1, undefined, 'node1'), p(s2, undefined, 'node2'), p(s1, undefined, 'node3')], [100, 0, 0]],
    ['All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score',
      p({}, stayWithS1InRegion), [n('node1', rgChina), n('node2', rgChinaAzAz1), n('node3', rgIndia)], [p(s1, undefined, 'node1')], [100, 100, 0]],
    ['Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score',
      p(s1, stayWithS2InRegion), [n('node1', rgChina), n('node2', rgIndia), n('node3', rgChina), n('node4', rgChina), n('node5', rgIndia)],
      [p(s2, undefined, 'node1'), p(s2, undefined, 'node1'), p(s2, undefined, 'node2'), p(s2, undefined, 'node3'), p(s2, undefined, 'node4'), p(s2, undefined, 'node5')], [100, 0, 100, 100, 0]],
    ['Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures ',
      p(s1, affinity3), [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)], [p(s1, undefined, 'node1'), p(s2, undefined, 'node2'), p(s1, undefined, 'node3')], [20, 100, 0]],
    ['Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      p(s2), [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)], [p(s1, stayWithS1InRegion, 'node1'), p(s2, stayWithS2InRegion, 'node2')], [0, 100, 0]],
    ['Affinity symmetry with namespace selector',
      p(s1, undefined, undefined, 'subteam1.team1'), [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)], [p(s1, affinityNamespaceSelector, 'node1'), p(s2, stayWithS2InRegion, 'node2')], [100, 0, 0]],
    ['AntiAffinity symmetry with namespace selector',
      p(s1, undefined, undefined, 'subteam1.team1'), [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)], [p(s1, antiAffinityNamespaceSelector, 'node1'), p(s2, stayWithS2InRegion, 'node2')], [0, 100, 100]],
    ['Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      p(s1), [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)], [p(s1, hardAffinity, 'node1'), p(s2, hardAffinity, 'node2')], [100, 100, 0]],
    ['Anti Affinity: pod that does not match existing pods in node will get high score ',
      p(s1, awayFromS1InAz), [n('node1', azAz1), n('node2', rgChina)], [p(s1, undefined, 'node1'), p(s2, undefined, 'node2')], [0, 100]],
    ['Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others ',
      p(s1, awayFromS1InAz), [n('node1', azAz1), n('node2', rgChina)], [p(s1, undefined, 'node1'), p(s1, undefined, 'node2')], [0, 100]],
    ['Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score',
      p(s1, awayFromS1InAz), [n('node1', azAz1), n('node2', rgIndia)], [p(s1, undefined, 'node1'), p(s1, undefined, 'node1'), p(s2, undefined, 'node2')], [0, 100]],
    ['Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score',
      p(s2), [n('node1', azAz1), n('node2', azAz2)], [p(s1, awayFromS2InAz, 'node1'), p(s2, awayFromS1InAz, 'node2')], [0, 100]],
    ['Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity',
      p(s1, stayWithS1InRegionAwayFromS2InAz), [n('node1', rgChina), n('node2', azAz1)], [p(s1, undefined, 'node1'), p(s1, undefined, 'node2')], [100, 0]],
    ['Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels',
      p(s1, stayWithS1InRegionAwayFromS2InAz), [n('node1', rgChinaAzAz1), n('node2', rgIndia), n('node3', rgChina), n('node4', rgChina), n('node5', rgIndia)],
      [p(s1, undefined, 'node1'), p(s1, undefined, 'node1'), p(s1, undefined, 'node2'), p(s1, undefined, 'node3'), p(s1, undefined, 'node3'), p(s1, undefined, 'node4'), p(s1, undefined, 'node5')], [100, 0, 100, 100, 0]],
    ['Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry',
      p(s1, stayWithS1InRegionAwayFromS2InAz), [n('node1', rgChina), n('node2', azAz1), n('node3', rgIndia), n('node4', azAz2)],
      [p(s1, undefined, 'node1'), p(s2, undefined, 'node2'), p({}, stayWithS1InRegionAwayFromS2InAz, 'node3'), p({}, awayFromS1InAz, 'node4')], [100, 0, 100, 0]],
    ["Avoid panic when partial nodes in a topology don't have pods with affinity",
      p(s1), [n('node1', rgChina), n('node2', rgChina)], [p(s1, undefined, 'node1'), p({}, stayWithS1InRegionAwayFromS2InAz, 'node2')], [0, 0]],
    ['invalid Affinity fails PreScore', p({}, invalidAffinityLabels), [n('node1', rgChina), n('node2', rgChina)], [], { error: BAD_VALUE }],
    ['invalid AntiAffinity fails PreScore', p({}, invalidAntiAffinityLabels), [n('node1', rgChina), n('node2', rgChina)], [], { error: BAD_VALUE }],
    ['Affinity with pods matching NamespaceSelector',
      p(s1, affinityNamespaceSelector, undefined, 'subteam1.team1'), [n('node1', rgChina), n('node2', rgIndia)],
      [p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam1.team2'), p(s1, undefined, 'node2', 'subteam2.team1')], [100, 0]],
    ['Affinity with pods matching both NamespaceSelector and Namespaces fields',
      p(s1, affinityNamespaceSelector, undefined, 'subteam1.team1'), [n('node1', rgChina), n('node2', rgIndia)],
      [p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam2.team2'), p(s1, undefined, 'node2', 'subteam2.team1')], [100, 0]],
    ['Affinity with pods matching NamespaceSelector (anti-affinity)',
      p(s1, antiAffinityNamespaceSelector, undefined, 'subteam1.team1'), [n('node1', rgChina), n('node2', rgIndia)],
      [p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam1.team2'), p(s1, undefined, 'node2', 'subteam2.team1')], [0, 100]],
    ['Affinity with pods matching both NamespaceSelector and Namespaces fields (anti-affinity)',
      p(s1, antiAffinityNamespaceSelector, undefined, 'subteam1.team1'), [n('node1', rgChina), n('node2', rgIndia)],
      [p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam1.team1'), p(s1, undefined, 'node1', 'subteam2.team2'), p(s1, undefined, 'node2', 'subteam2.team1')], [0, 100]],
    ['Ignore preferred terms of existing pods', p(s2), [n('node1', rgChina), n('node2', rgIndia)],
      [p(s1, stayWithS1InRegionAwayFromS2InAz, 'node1'), p(s2, stayWithS2InRegion, 'node2')], 'skip', true],
    ['Do not ignore preferred terms of existing pods', p(s2), [n('node1', rgChina), n('node2', rgIndia)],
      [p(s1, stayWithS1InRegionAwayFromS2InAz, 'node1'), p(s2, stayWithS2InRegion, 'node2')], [0, 100], false],
    ['No nodes to score', p(s2), [], [], 'skip'],
  // A rest parameter: jest reads a 6th declared parameter on 5-element rows as a done callback.
  ])('%s', (...[, incoming, nodes, existing, want, ignore]) => {
    const got = run(incoming, nodes, existing, { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: ignore ?? false });
    if (typeof want === 'object' && !Array.isArray(want)) {
      // Upstream checks the code (Error) and that the message contains the field error.
      expect(got).toEqual({ error: expect.stringContaining(want.error) });
    } else {
      expect(got).toEqual(want);
    }
  });
});

describe('scoring_test.go TestPreferredAffinityWithHardPodAffinitySymmetricWeight', () => {
  const serviceS1 = { service: 'S1' };
  const hardPodAffinity: Affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        term('region', [req('service', 'In', ['S1'])], { namespaces: ['', 'subteam2.team2'], namespaceSelector: teamSelector }),
      ],
    },
  };
  const nodes = () => [n('node1', rgChina), n('node2', rgIndia), n('node3', azAz1)];
  // Upstream's existing pods have no namespace (""), so the term's "" entry covers an incoming pod without one.
  const existing = () => [p({}, hardPodAffinity, 'node1', ''), p({}, hardPodAffinity, 'node2', '')];
  it.each<[string, string, number, Want]>([
    ['with default weight', '', 1, [100, 100, 0]],
    ['with zero weight', '', 0, 'skip'],
    ['with no matching namespace', 'subteam1.team2', 1, 'skip'],
    ['with matching NamespaceSelector', 'subteam1.team1', 1, [100, 100, 0]],
    ['with matching Namespaces', 'subteam2.team2', 1, [100, 100, 0]],
  ])('%s', (_name, namespace, weight, want) => {
    expect(run(p(serviceS1, undefined, undefined, namespace), nodes(), existing(), { hardPodAffinityWeight: weight })).toEqual(want);
  });
});

describe('InterPodAffinityArgs (validation_pluginargs.go ValidateInterPodAffinityArgs)', () => {
  it.each<[string, number]>([
    ['validation_pluginargs_test.go: hardPodAffinityWeight less than min', -1],
    ['validation_pluginargs_test.go: hardPodAffinityWeight more than max', 101],
  ])('fails when given %s', (_name, weight) => {
    expect(() => makeInterPodAffinity({ hardPodAffinityWeight: weight })).toThrow('hardPodAffinityWeight: InterPodAffinity args');
    expect(() => makeInterPodAffinity({ hardPodAffinityWeight: weight })).toThrow('not in valid range [0-100]');
  });

  it('a profile passes its pluginConfig args to the plugin, and refuses bad ones naming the field', () => {
    const features = resolveFeatures();
    const profile = resolveProfile({ pluginConfig: [{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: 0 } }] }, features);
    const plugin = profile.scorers.find((s) => s.name === 'InterPodAffinity');
    const { snapshot, infos } = snapshotOf(nodesFor(), [p({}, hardAffinity, 'node1')]);
    // With weight 0 the existing pod's required term does not score: PreScore skips.
    expect(plugin?.preScore?.(cycle(p(s1), snapshot), infos)).toBe(SKIP);
    expect(() => resolveProfile({ pluginConfig: [{ name: 'InterPodAffinity', args: { hardPodAffinityWeight: 200 } }] }, features)).toThrow('pluginConfig[InterPodAffinity].args.hardPodAffinityWeight');
  });
});

function nodesFor(): Node[] {
  return [n('node1', rgChina), n('node2', rgIndia)];
}

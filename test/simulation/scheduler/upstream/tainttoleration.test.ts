import type { Taint, Toleration } from '../../../../simulation/model/kubernetes';
import { compareNumericValues, makeTaintToleration, resolveFeatures, statusCode, toleratesTaint, type FilterStatus } from '../../../../simulation/scheduler';
import { node, pod, scores, snapshotOf, cycle } from './helpers';

// kubernetes/kubernetes pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go, and the
// toleration rules of staging/src/k8s.io/api/core/v1/toleration_test.go.

const withTolerations = (tolerations: Toleration[]) => pod([], { tolerations });
const NS = 'NoSchedule' as const;
const PNS = 'PreferNoSchedule' as const;

describe('taint_toleration_test.go TestTaintTolerationScore', () => {
  it.each<[string, Toleration[], Taint[][], number[]]>([
    ['node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: PNS }], [[{ key: 'foo', value: 'bar', effect: PNS }], [{ key: 'foo', value: 'blah', effect: PNS }]], [100, 0]],
    ['the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
      [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: PNS }, { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: PNS }],
      [[], [{ key: 'cpu-type', value: 'arm64', effect: PNS }], [{ key: 'cpu-type', value: 'arm64', effect: PNS }, { key: 'disk-type', value: 'ssd', effect: PNS }]], [100, 100, 100]],
    ['the more intolerable taints a node has, the lower score it gets.',
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: PNS }],
      [[], [{ key: 'cpu-type', value: 'arm64', effect: PNS }], [{ key: 'cpu-type', value: 'arm64', effect: PNS }, { key: 'disk-type', value: 'ssd', effect: PNS }]], [100, 50, 0]],
    ['only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function',
      [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: NS }, { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: NS }],
      [[], [{ key: 'cpu-type', value: 'arm64', effect: NS }], [{ key: 'cpu-type', value: 'arm64', effect: PNS }, { key: 'disk-type', value: 'ssd', effect: PNS }]], [100, 100, 0]],
    ['Default behaviour No taints and tolerations, lands on node with no taints', [], [[], [{ key: 'cpu-type', value: 'arm64', effect: PNS }]], [100, 0]],
  ])('%s', (_name, tolerations, taints, expected) => {
    const nodes = taints.map((t, i) => node(`node${i}`, {}, {}, t));
    expect(scores(makeTaintToleration(), withTolerations(tolerations), nodes)).toEqual(expected);
  });
});

describe('taint_toleration_test.go TestTaintTolerationFilter, by version', () => {
  // Before 1.34 the reason names the taint; from 1.34 (PR #134740) it is generic. Always UnschedulableAndUnresolvable.
  it.each<[string, Toleration[], Taint[], string | undefined]>([
    ["A pod having no tolerations can't be scheduled onto a node with nonempty taints", [], [{ key: 'dedicated', value: 'user1', effect: NS }], 'node(s) had untolerated taint {dedicated: user1}'],
    ['A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule', [{ key: 'dedicated', value: 'user1', effect: NS }], [{ key: 'dedicated', value: 'user1', effect: NS }], undefined],
    ["A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule", [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: NS }], [{ key: 'dedicated', value: 'user1', effect: NS }], 'node(s) had untolerated taint {dedicated: user1}'],
    ['A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node', [{ key: 'foo', operator: 'Exists', effect: NS }], [{ key: 'foo', value: 'bar', effect: NS }], undefined],
    ['A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
      [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: NS }, { key: 'foo', operator: 'Exists', effect: NS }],
      [{ key: 'dedicated', value: 'user2', effect: NS }, { key: 'foo', value: 'bar', effect: NS }], undefined],
    ["A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: PNS }], [{ key: 'foo', value: 'bar', effect: NS }], 'node(s) had untolerated taint {foo: bar}'],
    ['The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
      [{ key: 'foo', operator: 'Equal', value: 'bar' }], [{ key: 'foo', value: 'bar', effect: NS }], undefined],
    ["The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: NS }], [{ key: 'dedicated', value: 'user1', effect: PNS }], undefined],
    ['The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node', [], [{ key: 'dedicated', value: 'user1', effect: PNS }], undefined],
  ])('%s', (_name, tolerations, taints, legacyReason) => {
    const p = withTolerations(tolerations);
    const { snapshot, infos } = snapshotOf([node('nodeA', {}, {}, taints)]);
    const filterAt = (version: string): FilterStatus => makeTaintToleration(resolveFeatures({ kubernetesVersion: version })).filter(p, infos[0], cycle(p, snapshot));
    for (const version of ['1.32', '1.33']) expect(filterAt(version)).toEqual(legacyReason ? [legacyReason] : []);
    for (const version of ['1.34', '1.35', '1.36']) expect(filterAt(version)).toEqual(legacyReason ? ['node(s) had untolerated taint(s)'] : []);
    expect(statusCode(filterAt('1.36'))).toBe(legacyReason ? 'UnschedulableAndUnresolvable' : undefined);
  });

  it('an unknown toleration operator tolerates nothing (toleration.go ToleratesTaint default case)', () => {
    const p = withTolerations([{ key: 'foo', operator: 'Matches' as 'Equal', value: 'bar', effect: NS }]);
    const { snapshot, infos } = snapshotOf([node('nodeA', {}, {}, [{ key: 'foo', value: 'bar', effect: NS }])]);
    expect(makeTaintToleration().filter(p, infos[0], cycle(p, snapshot))).toEqual(['node(s) had untolerated taint(s)']);
  });
});

describe('toleration_test.go TestTolerationToleratesTaint (gate TaintTolerationComparisonOperators)', () => {
  const sla = (operator: Toleration['operator'], value: string): Toleration => ({ key: 'node.kubernetes.io/sla', operator, value, effect: NS });
  const slaTaint = (value: string): Taint => ({ key: 'node.kubernetes.io/sla', value, effect: NS });
  it.each<[string, Toleration, Taint, boolean, boolean]>([
    ['toleration and taint have the same key and effect, and operator is Exists, and taint has no value, expect tolerated', { key: 'foo', operator: 'Exists', effect: NS }, { key: 'foo', effect: NS }, true, false],
    ['toleration and taint have the same key and effect, and operator is Exists, and taint has some value, expect tolerated', { key: 'foo', operator: 'Exists', effect: NS }, { key: 'foo', value: 'bar', effect: NS }, true, false],
    ['toleration and taint have the same effect, toleration has empty key and operator is Exists, means match all taints, expect tolerated', { key: '', operator: 'Exists', effect: NS }, { key: 'foo', value: 'bar', effect: NS }, true, false],
    ['toleration and taint have the same key, effect and value, and operator is Equal, expect tolerated', { key: 'foo', operator: 'Equal', value: 'bar', effect: NS }, { key: 'foo', value: 'bar', effect: NS }, true, false],
    ['toleration and taint have the same key and effect, but different values, and operator is Equal, expect not tolerated', { key: 'foo', operator: 'Equal', value: 'value1', effect: NS }, { key: 'foo', value: 'value2', effect: NS }, false, false],
    ['toleration and taint have the same key and value, but different effects, and operator is Equal, expect not tolerated', { key: 'foo', operator: 'Equal', value: 'bar', effect: NS }, { key: 'foo', value: 'bar', effect: 'NoExecute' }, false, false],
    ['toleration with Gt operator - taint value less than toleration value, expect not tolerated', sla('Gt', '950'), slaTaint('800'), false, true],
    ['toleration with Gt operator - taint value greater than toleration value, expect tolerated', sla('Gt', '750'), slaTaint('950'), true, true],
    ['toleration with Lt operator - taint value greater than toleration value, expect not tolerated', sla('Lt', '800'), slaTaint('950'), false, true],
    ['toleration with Lt operator - taint value less than toleration value, expect tolerated', sla('Lt', '950'), slaTaint('800'), true, true],
    ['toleration with Gt operator and taint with equal numeric value, expect not tolerated', sla('Gt', '950'), slaTaint('950'), false, true],
    ['toleration with Gt operator and taint with non-numeric value, expect not tolerated', sla('Gt', '950'), slaTaint('high'), false, true],
    ['toleration with Gt operator and negative numeric values - taint value less than threshold, expect not tolerated', { key: 'test-key', operator: 'Gt', value: '-100', effect: NS }, { key: 'test-key', value: '-200', effect: NS }, false, true],
    ['toleration with Gt operator and large int64 values - taint value less than threshold, expect not tolerated', { key: 'test-key', operator: 'Gt', value: '9223372036854775806', effect: NS }, { key: 'test-key', value: '100', effect: NS }, false, true],
  ])('%s', (_name, toleration, taint, expected, gate) => {
    expect(toleratesTaint(toleration, taint, gate)).toBe(expected);
  });

  it('Gt/Lt tolerate nothing with the gate off (the default in 1.35 and 1.36)', () => {
    expect(toleratesTaint(sla('Gt', '750'), slaTaint('950'), false)).toBe(false);
    expect(resolveFeatures({ kubernetesVersion: '1.35' }).gates.TaintTolerationComparisonOperators).toBe(false);
    const p = withTolerations([sla('Gt', '750')]);
    const { snapshot, infos } = snapshotOf([node('nodeA', {}, {}, [slaTaint('950')])]);
    expect(makeTaintToleration().filter(p, infos[0], cycle(p, snapshot))).toEqual(['node(s) had untolerated taint(s)']);
    const withGate = makeTaintToleration(resolveFeatures({ kubernetesVersion: '1.35', featureGates: { TaintTolerationComparisonOperators: true } }));
    expect(withGate.filter(p, infos[0], cycle(p, snapshot))).toEqual([]);
  });
});

// pkg/features/kube_features.go versioned specs: TaintTolerationComparisonOperators has one spec, {1.35, Alpha,
// off}, in the 1.35 and 1.36 releases (and the 1.37 development tree); DRAExtendedResource is alpha in 1.34, beta
// and on in 1.36.
describe('kube_features.go: gate defaults per supported version', () => {
  it.each<[string, boolean, boolean]>([
    ['1.32', false, false], ['1.33', false, false], ['1.34', false, false], ['1.35', false, false], ['1.36', false, true],
  ])('Kubernetes %s: TaintTolerationComparisonOperators %s, DRAExtendedResource %s', (version, comparison, dra) => {
    const gates = resolveFeatures({ kubernetesVersion: version }).gates;
    expect(gates.TaintTolerationComparisonOperators).toBe(comparison);
    expect(gates.DRAExtendedResource).toBe(dra);
  });

  it('1.36 with the default gates: a Gt toleration tolerates nothing', () => {
    const p = withTolerations([{ key: 'node.kubernetes.io/sla', operator: 'Gt', value: '750', effect: NS }]);
    const { snapshot, infos } = snapshotOf([node('nodeA', {}, {}, [{ key: 'node.kubernetes.io/sla', value: '950', effect: NS }])]);
    expect(makeTaintToleration(resolveFeatures({ kubernetesVersion: '1.36' })).filter(p, infos[0], cycle(p, snapshot))).toEqual(['node(s) had untolerated taint(s)']);
  });
});

describe('toleration_test.go TestCompareNumericValues', () => {
  it.each<[string, string, string, string, boolean]>([
    ['Gt operator - taint value greater than toleration value, expect true', '100', '200', 'Gt', true],
    ['Gt operator - taint value less than toleration value, expect false', '200', '100', 'Gt', false],
    ['Gt operator - taint value equal to toleration value, expect false', '100', '100', 'Gt', false],
    ['Gt operator - negative numbers, taint greater, expect true', '-100', '-50', 'Gt', true],
    ['Gt operator - negative numbers, taint less, expect false', '-50', '-100', 'Gt', false],
    ['Gt operator - zero and positive, expect true', '0', '1', 'Gt', true],
    ['Gt operator - large int64 values, taint greater, expect true', '9223372036854775806', '9223372036854775807', 'Gt', true],
    ['Lt operator - taint value less than toleration value, expect true', '200', '100', 'Lt', true],
    ['Lt operator - taint value greater than toleration value, expect false', '100', '200', 'Lt', false],
    ['Lt operator - taint value equal to toleration value, expect false', '100', '100', 'Lt', false],
    ['Lt operator - negative numbers, taint less, expect true', '-50', '-100', 'Lt', true],
    ['Lt operator - negative numbers, taint greater, expect false', '-100', '-50', 'Lt', false],
    ['Lt operator - zero and negative, expect true', '0', '-1', 'Lt', true],
    ['Gt operator - invalid toleration value (non-numeric), expect false', 'abc', '100', 'Gt', false],
    ['Gt operator - invalid toleration value (empty string), expect false', '', '100', 'Gt', false],
    ['Gt operator - invalid toleration value (leading zero), expect false', '0100', '200', 'Gt', false],
    ['Gt operator - invalid toleration value (plus sign), expect false', '+100', '200', 'Gt', false],
    ['Gt operator - invalid toleration value (floating point), expect false', '100.5', '200', 'Gt', false],
    ['Gt operator - invalid toleration value (just minus sign), expect false', '-', '100', 'Gt', false],
    ['Gt operator - invalid taint value (non-numeric), expect false', '100', 'xyz', 'Gt', false],
    ['Gt operator - invalid taint value (empty string), expect false', '100', '', 'Gt', false],
    ['Gt operator - invalid taint value (leading zero), expect false', '100', '0200', 'Gt', false],
    ['Lt operator - invalid taint value (plus sign), expect false', '100', '+200', 'Lt', false],
    ['Lt operator - invalid taint value (spaces), expect false', '100', ' 200 ', 'Lt', false],
    ['Equal operator (unsupported for numeric comparison), expect false', '100', '100', 'Equal', false],
    ['Exists operator (unsupported for numeric comparison), expect false', '100', '100', 'Exists', false],
    ['Gt operator - both zero, expect false', '0', '0', 'Gt', false],
    ['Lt operator - both zero, expect false', '0', '0', 'Lt', false],
    ['Gt operator - max int64 as taint, expect true', '0', '9223372036854775807', 'Gt', true],
    ['Lt operator - min int64 as taint, expect true', '0', '-9223372036854775808', 'Lt', true],
  ])('%s', (_name, tolerationValue, taintValue, operator, expected) => {
    expect(compareNumericValues(tolerationValue, taintValue, operator)).toBe(expected);
  });
});

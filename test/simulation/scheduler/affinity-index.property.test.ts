import fc from 'fast-check';
import type { Affinity, Pod, PodAffinityTerm } from '../../../simulation/model/kubernetes';
import { matchesLabelSelector } from '../../../simulation/model/labels';
import { ClusterSnapshot, InterPodAffinity, podInfo, type NodeInfo } from '../../../simulation/scheduler';
import {
  affinityIndex, PREFERRED_AFFINITY, PREFERRED_ANTI_AFFINITY, REQUIRED_AFFINITY, REQUIRED_ANTI_AFFINITY,
} from '../../../simulation/scheduler/affinity-index';
import { namespacesOf } from '../../../simulation/scheduler/plugins/inter-pod-affinity';
import { makePod, nodeInfo } from '../helpers';
import { SNAPSHOT_OPS, SnapshotDriver, type SnapshotOp } from './snapshot-ops';

// InterPodAffinity keeps the bound pods' terms grouped, with running totals per topology domain (issue 21), instead
// of walking every node with such pods in each cycle as upstream does (filtering.go getExistingAntiAffinityCounts,
// scoring.go processExistingPod over HavePodsWithRequiredAntiAffinityList / HavePodsWithAffinityList). Whatever
// the sequence of binds, removals, node changes and what-ifs, what a cycle reads must be what that walk gives.

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const APPS = ['a', 'b', 'c'];
const NAMESPACES = ['default', 'other'];

const TERMS: PodAffinityTerm[] = [
  { labelSelector: { matchLabels: { app: 'a' } }, topologyKey: ZONE },
  { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, topologyKey: HOST },
  { labelSelector: { matchLabels: { app: 'b' } }, namespaces: ['other'], topologyKey: ZONE },
  { labelSelector: { matchLabels: { app: 'c' } }, namespaceSelector: { matchLabels: { team: 'x' } }, topologyKey: HOST },
  { labelSelector: {}, namespaceSelector: {}, topologyKey: ZONE },
  { namespaces: ['default'], topologyKey: ZONE },
];

type Lists = 'requiredAnti' | 'required' | 'preferred' | 'preferredAnti';
const LISTS: Lists[] = ['requiredAnti', 'required', 'preferred', 'preferredAnti'];
const KIND: Record<Lists, number> = { requiredAnti: REQUIRED_ANTI_AFFINITY, required: REQUIRED_AFFINITY, preferred: PREFERRED_AFFINITY, preferredAnti: PREFERRED_ANTI_AFFINITY };

type Op =
  | { kind: 'add'; app: number; namespace: number; list: number; term: number; weight: number; node: number }
  | { kind: 'check'; app: number; namespace: number }
  | SnapshotOp;

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), app: fc.nat(2), namespace: fc.nat(1), list: fc.nat(3), term: fc.nat(TERMS.length - 1), weight: fc.integer({ min: 1, max: 100 }), node: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('check' as const), app: fc.nat(2), namespace: fc.nat(1) }) },
  ...SNAPSHOT_OPS,
);

function affinityOf(list: Lists, term: PodAffinityTerm, weight: number): Affinity {
  switch (list) {
    case 'requiredAnti': return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
    case 'required': return { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
    case 'preferred': return { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term }] } };
    default: return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term }] } };
  }
}

/** The walk upstream does: every bound pod's terms of one list that match the incoming pod, summed per key and domain. */
function walk(snapshot: ClusterSnapshot, list: Lists, incoming: Pod): [string, number][] {
  const totals = new Map<string, number>();
  for (const node of snapshot.nodes) {
    for (const existing of node.pods) {
      const a = existing.spec.affinity;
      const weighted = {
        requiredAnti: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ weight: 1, podAffinityTerm: t })),
        required: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ weight: 1, podAffinityTerm: t })),
        preferred: a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
        preferredAnti: a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
      }[list];
      for (const { weight, podAffinityTerm: term } of weighted) {
        const domain = node.labels[term.topologyKey];
        if (domain === undefined || !term.labelSelector) continue;
        if (!snapshot.namespaceMatches(namespacesOf(term, existing.metadata.namespace ?? 'default'), incoming.metadata.namespace ?? 'default')) continue;
        if (!matchesLabelSelector(term.labelSelector, incoming.metadata.labels ?? {})) continue;
        const key = `${term.topologyKey}=${domain}`;
        totals.set(key, (totals.get(key) ?? 0) + weight);
      }
    }
  }
  return [...totals.entries()].sort();
}

function fromIndex(snapshot: ClusterSnapshot, list: Lists, incoming: Pod): [string, number][] {
  const totals = new Map<string, number>();
  for (const group of affinityIndex(snapshot).matching(incoming, 1 << KIND[list])) {
    for (const [domain, total] of group.totals) {
      const key = `${group.topologyKey}=${domain}`;
      totals.set(key, (totals.get(key) ?? 0) + total);
    }
  }
  return [...totals.entries()].sort();
}

describe('InterPodAffinity index of existing pods\' terms', () => {
  it('equals a walk over the bound pods after any sequence of binds, removals, node changes and what-ifs', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 80 }), fc.boolean(), (ops, early) => {
      const nodes = [0, 1, 2, 3].map((i) => nodeInfo(`n${i}`, { cpu: '64', memory: '256Gi', pods: '500' }, [], i === 3 ? { [HOST]: `n${i}` } : { [ZONE]: `z${i % 2}`, [HOST]: `n${i}` }));
      const snapshot = ClusterSnapshot.fromNodes(nodes.slice(0, 3));
      snapshot.setNamespaceLabels('other', { team: 'x' });
      // Built before any pod (kept up to date from the start) or at the first check (built from the bound pods).
      if (early) affinityIndex(snapshot);
      const bound: string[] = [];
      const driver = new SnapshotDriver(snapshot, nodes);
      let serial = 0;
      for (const o of ops) {
        if (o.kind === 'add') {
          const node = snapshot.nodes[o.node % Math.max(1, snapshot.nodes.length)];
          if (!node) continue;
          const namespace = NAMESPACES[o.namespace];
          const pod = makePod(`p${serial++}`, { cpu: '10m' }, { affinity: affinityOf(LISTS[o.list], TERMS[o.term], o.weight) }, { app: APPS[o.app] }, namespace);
          snapshot.addPod(pod, node.name);
          bound.push(`${namespace}/${pod.metadata.name}`);
        } else if (driver.apply(o, bound)) {
          continue;
        } else if (o.kind === 'check') {
          const incoming = makePod(`in${serial++}`, {}, {}, { app: APPS[o.app] }, NAMESPACES[o.namespace]);
          for (const list of LISTS) expect(fromIndex(snapshot, list, incoming)).toEqual(walk(snapshot, list, incoming));
        }
      }
      for (const app of APPS) {
        for (const namespace of NAMESPACES) {
          const incoming = makePod(`last-${app}-${namespace}`, {}, {}, { app }, namespace);
          for (const list of LISTS) expect(fromIndex(snapshot, list, incoming)).toEqual(walk(snapshot, list, incoming));
        }
      }
    }), { numRuns: 300, seed: 21 });
  });

  it('lets PreFilter skip a pod without terms that no existing anti-affinity term matches, and only that pod', () => {
    // GIVEN a pod whose required anti-affinity keeps app=a pods out of its zone
    const snapshot = ClusterSnapshot.fromNodes([nodeInfo('n0', { cpu: '8', memory: '32Gi', pods: '110' }, [], { [ZONE]: 'z0' })]);
    snapshot.addPod(makePod('guard', { cpu: '10m' }, { affinity: affinityOf('requiredAnti', TERMS[0], 1) }, { app: 'b' }), 'n0');
    const preFilter = (pod: Pod) => InterPodAffinity.preFilter?.({ pod, info: podInfo(pod), snapshot, data: new Map<string, unknown>() });
    // THEN an app=c pod has nothing to check on any node (Filter would pass them all); an app=a pod is filtered
    expect(preFilter(makePod('c', { cpu: '10m' }, {}, { app: 'c' }))).toBe('skip');
    expect(preFilter(makePod('a', { cpu: '10m' }, {}, { app: 'a' }))).toBeUndefined();
  });

  it('forgets a pod removed in a what-if, and counts it again once the what-if is reverted', () => {
    // GIVEN a pod whose required anti-affinity forbids its zone to app=a pods
    const nodes = [0, 1].map((i) => nodeInfo(`n${i}`, { cpu: '8', memory: '32Gi', pods: '110' }, [], { [ZONE]: `z${i}` }));
    const snapshot = ClusterSnapshot.fromNodes(nodes);
    const guard = makePod('guard', { cpu: '10m' }, { affinity: affinityOf('requiredAnti', TERMS[0], 1) }, { app: 'b' });
    snapshot.addPod(guard, 'n0');
    const incoming = makePod('incoming', { cpu: '10m' }, {}, { app: 'a' });
    const fits = (node: string) => {
      const state = { pod: incoming, info: podInfo(incoming), snapshot, data: new Map<string, unknown>() };
      InterPodAffinity.preFilter?.(state);
      return InterPodAffinity.filter(incoming, snapshot.get(node) as NodeInfo, state).length === 0;
    };
    expect([fits('n0'), fits('n1')]).toEqual([false, true]);
    // WHEN the guard is removed in a what-if THEN its zone is open; after the revert it is closed again
    snapshot.whatIf(() => {
      snapshot.removePod('default/guard');
      expect([fits('n0'), fits('n1')]).toEqual([true, true]);
    });
    expect([fits('n0'), fits('n1')]).toEqual([false, true]);
  });
});

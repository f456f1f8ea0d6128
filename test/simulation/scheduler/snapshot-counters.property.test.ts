import fc from 'fast-check';
import type { LabelSelector, Pod } from '../../../simulation/model/kubernetes';
import { matchesLabelSelector } from '../../../simulation/model/labels';
import { ClusterSnapshot } from '../../../simulation/scheduler';
import { makePod, nodeInfo } from '../helpers';

// The snapshot keeps pod counts per topology domain for every selector PodTopologySpread and InterPodAffinity ask
// about, indexed by a label pair the selector requires (issue 21: thousands of workloads each with a spread
// selector). Whatever the index, the counts must be what a full scan of the bound pods gives (upstream counts by
// scanning every node in PreFilter: podtopologyspread/filtering.go calPreFilterState).

const ZONE = 'topology.kubernetes.io/zone';
const APPS = ['a', 'b', 'c'];
const TIERS = ['web', 'db'];

type Op =
  | { kind: 'add'; app: number; tier: number; node: number }
  | { kind: 'remove'; index: number }
  | { kind: 'removeNode'; node: number }
  | { kind: 'addNode'; node: number }
  | { kind: 'count'; selector: number; byNode: boolean }
  | { kind: 'fork' }
  | { kind: 'revert' };

const SELECTORS: LabelSelector[] = [
  { matchLabels: { app: 'a' } },
  { matchLabels: { app: 'b', tier: 'web' } },
  { matchLabels: { tier: 'db' } },
  { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'c'] }] },
  { matchLabels: { app: 'c' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] },
  {},
];

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), app: fc.nat(2), tier: fc.nat(1), node: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), index: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeNode' as const), node: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addNode' as const), node: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('count' as const), selector: fc.nat(SELECTORS.length - 1), byNode: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fork' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revert' as const }) },
);

/** The counts a full scan of the snapshot's nodes gives, domains in first-seen node order. */
function scan(snapshot: ClusterSnapshot, selector: LabelSelector, byNode: boolean): [string, number][] {
  const counts = new Map<string, number>();
  for (const node of snapshot.nodes) {
    const domain = byNode ? node.name : node.labels[ZONE];
    for (const pod of node.pods) if (matchesLabelSelector(selector, pod.metadata.labels ?? {})) counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
  return [...counts.entries()];
}

describe('ClusterSnapshot counts per domain (indexed by a required label pair)', () => {
  it('equal a full scan after any sequence of binds, removals, node changes and what-ifs', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
      const nodes = [0, 1, 2, 3].map((i) => nodeInfo(`n${i}`, { cpu: '64', memory: '256Gi', pods: '500' }, [], { [ZONE]: `z${i % 3}` }));
      const snapshot = ClusterSnapshot.fromNodes(nodes.slice(0, 3));
      const bound: { pod: Pod; key: string }[] = [];
      let forks = 0;
      let serial = 0;
      const created = new Set<string>();
      for (const o of ops) {
        if (o.kind === 'add') {
          const node = snapshot.nodes[o.node % Math.max(1, snapshot.nodes.length)];
          if (!node) continue;
          const pod = makePod(`p${serial++}`, { cpu: '10m' }, {}, { app: APPS[o.app], tier: TIERS[o.tier] });
          snapshot.addPod(pod, node.name);
          bound.push({ pod, key: `default/${pod.metadata.name}` });
        } else if (o.kind === 'remove' && bound.length > 0) {
          snapshot.removePod(bound[o.index % bound.length].key);
        } else if (o.kind === 'removeNode') {
          snapshot.removeNode(`n${o.node}`);
        } else if (o.kind === 'addNode') {
          if (!snapshot.get(`n${o.node}`)) snapshot.addNode(nodes[o.node]);
        } else if (o.kind === 'fork') {
          snapshot.fork();
          forks += 1;
        } else if (o.kind === 'revert' && forks > 0) {
          snapshot.revert();
          forks -= 1;
        } else if (o.kind === 'count') {
          const selector = SELECTORS[o.selector];
          const counts = o.byNode ? snapshot.countByNode(new Set(['default']), selector) : snapshot.countByDomain(new Set(['default']), selector, ZONE);
          const expected = scan(snapshot, selector, o.byNode);
          const id = `${o.selector}/${o.byNode}`;
          // A new count lists domains in node order, as a scan does; later ones are kept up to date incrementally.
          if (!created.has(id)) expect([...counts.entries()]).toEqual(expected);
          else expect([...counts.entries()].sort()).toEqual(expected.sort());
          created.add(id);
        }
      }
      for (let id = 0; id < SELECTORS.length; id += 1) {
        for (const byNode of [false, true]) {
          const counts = byNode ? snapshot.countByNode(new Set(['default']), SELECTORS[id]) : snapshot.countByDomain(new Set(['default']), SELECTORS[id], ZONE);
          expect([...counts.entries()].sort()).toEqual(scan(snapshot, SELECTORS[id], byNode).sort());
        }
      }
    }), { numRuns: 300, seed: 21 });
  });
});

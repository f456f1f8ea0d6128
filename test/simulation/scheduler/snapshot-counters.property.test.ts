import fc from 'fast-check';
import type { LabelSelector } from '../../../simulation/model/kubernetes';
import { matchesLabelSelector } from '../../../simulation/model/labels';
import { ClusterSnapshot } from '../../../simulation/scheduler';
import { makePod, nodeInfo } from '../helpers';
import { SNAPSHOT_OPS, SnapshotDriver, type SnapshotOp } from './snapshot-ops';

// The snapshot keeps pod counts per topology domain for every selector PodTopologySpread and InterPodAffinity ask
// about, indexed by a label pair the selector requires (issue 21: thousands of workloads each with a spread
// selector). Whatever the index, the counts must be what a full scan of the bound pods gives (upstream counts by
// scanning every node in PreFilter: podtopologyspread/filtering.go calPreFilterState).

const ZONE = 'topology.kubernetes.io/zone';
const APPS = ['a', 'b', 'c'];
const TIERS = ['web', 'db'];

type Op =
  | { kind: 'add'; app: number; tier: number; node: number }
  | { kind: 'count'; selector: number; byNode: boolean; frozen: boolean }
  | SnapshotOp;

const SELECTORS: LabelSelector[] = [
  { matchLabels: { app: 'a' } },
  { matchLabels: { app: 'b', tier: 'web' } },
  { matchLabels: { tier: 'db' } },
  { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'c'] }] },
  { matchLabels: { app: 'c' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] },
  {},
];

/** The same selectors as shared pod specs hold them: deep-frozen copies (found by identity, see ClusterSnapshot.counter). */
const FROZEN: LabelSelector[] = SELECTORS.map((selector) => freeze(structuredClone(selector)));

function freeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), app: fc.nat(2), tier: fc.nat(1), node: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('count' as const), selector: fc.nat(SELECTORS.length - 1), byNode: fc.boolean(), frozen: fc.boolean() }) },
  ...SNAPSHOT_OPS,
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
      const bound: string[] = [];
      const driver = new SnapshotDriver(snapshot, nodes);
      let serial = 0;
      const created = new Set<string>();
      for (const o of ops) {
        if (o.kind === 'add') {
          const node = snapshot.nodes[o.node % Math.max(1, snapshot.nodes.length)];
          if (!node) continue;
          const pod = makePod(`p${serial++}`, { cpu: '10m' }, {}, { app: APPS[o.app], tier: TIERS[o.tier] });
          snapshot.addPod(pod, node.name);
          bound.push(`default/${pod.metadata.name}`);
        } else if (driver.apply(o, bound)) {
          continue;
        } else if (o.kind === 'count') {
          const selector = (o.frozen ? FROZEN : SELECTORS)[o.selector];
          const counts = o.byNode ? snapshot.countByNode(new Set(['default']), selector) : snapshot.countByDomain(new Set(['default']), selector, ZONE);
          const expected = scan(snapshot, selector, o.byNode);
          const id = `${o.selector}/${o.byNode}`;
          // A new count lists domains in node order, as a scan does; later ones are kept up to date incrementally.
          if (!created.has(id)) expect([...counts.entries()]).toEqual(expected);
          else expect([...counts.entries()].sort()).toEqual(expected.sort());
          created.add(id);
        }
      }
      const checkAll = () => {
        for (let id = 0; id < SELECTORS.length; id += 1) {
          for (const byNode of [false, true]) {
            const counts = byNode ? snapshot.countByNode(new Set(['default']), SELECTORS[id]) : snapshot.countByDomain(new Set(['default']), SELECTORS[id], ZONE);
            expect([...counts.entries()].sort()).toEqual(scan(snapshot, SELECTORS[id], byNode).sort());
          }
        }
      };
      checkAll();
      // The what-ifs still open end (each reverted), and the counts follow; new selectors then count from the index.
      driver.revertAll();
      checkAll();
      const late: LabelSelector = { matchLabels: { app: 'b' } };
      expect([...snapshot.countByDomain(new Set(['default']), late, ZONE).entries()]).toEqual(scan(snapshot, late, false));
    }), { numRuns: 300, seed: 21 });
  });
});

describe('ClusterSnapshot pod index and what-ifs', () => {
  const nodes = () => [0, 1].map((i) => nodeInfo(`n${i}`, { cpu: '64', memory: '256Gi', pods: '500' }, [], { [ZONE]: `z${i}` }));
  const ns = new Set(['default']);

  it('a what-if kept by commit() is seen by a selector asked about later, after the pods it moved change again', () => {
    const snapshot = ClusterSnapshot.fromNodes(nodes());
    snapshot.countByDomain(ns, { matchLabels: { app: 'a' } }, ZONE); // builds the index
    snapshot.fork();
    snapshot.addPod(makePod('p0', { cpu: '10m' }, {}, { app: 'b' }), 'n0');
    snapshot.addPod(makePod('p1', { cpu: '10m' }, {}, { app: 'b' }), 'n1');
    snapshot.commit();
    snapshot.removePod('default/p0');
    expect([...snapshot.countByDomain(ns, { matchLabels: { app: 'b' } }, ZONE).entries()]).toEqual([['z1', 1]]);
  });

  it('a selector first asked about inside a what-if counts the pods the what-if moved, and stays right after the revert', () => {
    const snapshot = ClusterSnapshot.fromNodes(nodes());
    snapshot.addPod(makePod('p0', { cpu: '10m' }, {}, { app: 'b' }), 'n0');
    snapshot.countByDomain(ns, { matchLabels: { app: 'a' } }, ZONE); // builds the index
    snapshot.fork();
    snapshot.removeNode('n0');
    snapshot.addPod(makePod('p0', { cpu: '10m' }, {}, { app: 'b' }), 'n1');
    expect([...snapshot.countByDomain(ns, { matchLabels: { app: 'b' } }, ZONE).entries()]).toEqual([['z1', 1]]);
    snapshot.revert();
    expect([...snapshot.countByDomain(ns, { matchLabels: { app: 'b' } }, ZONE).entries()]).toEqual([['z0', 1]]);
  });
});

describe('ClusterSnapshot after many what-if pods', () => {
  it('forgets pods a reverted what-if bound (their entries are dropped), and counts stay a full scan', () => {
    const snapshot = ClusterSnapshot.fromNodes([0, 1].map((i) => nodeInfo(`n${i}`, { cpu: '640', memory: '2560Gi', pods: '5000' }, [], { [ZONE]: `z${i}` })));
    const ns = new Set(['default']);
    const selector = { matchLabels: { app: 'b' } };
    snapshot.addPod(makePod('kept', { cpu: '10m' }, {}, { app: 'b' }), 'n0');
    snapshot.countByDomain(ns, selector, ZONE);
    for (let round = 0; round < 3; round += 1) {
      snapshot.whatIf(() => {
        for (let i = 0; i < 1500; i += 1) snapshot.addPod(makePod(`w${round}-${i}`, { cpu: '10m' }, {}, { app: 'b' }), `n${i % 2}`);
        expect([...snapshot.countByDomain(ns, selector, ZONE).entries()]).toEqual([['z0', 751], ['z1', 750]]);
      });
    }
    expect(snapshot.nodeOfPod('default/w0-0')).toBeUndefined();
    expect(snapshot.removePod('default/w2-1')).toBeUndefined();
    expect(snapshot.nodeOfPod('default/kept')?.name).toBe('n0');
    expect([...snapshot.countByDomain(ns, selector, ZONE).entries()]).toEqual(scan(snapshot, selector, false));
    snapshot.addPod(makePod('w0-0', { cpu: '10m' }, {}, { app: 'b' }), 'n1');
    expect(snapshot.nodeOfPod('default/w0-0')?.name).toBe('n1');
    expect([...snapshot.countByDomain(ns, selector, ZONE).entries()].sort()).toEqual([['z0', 1], ['z1', 1]]);
  });
});

describe('ClusterSnapshot counts for a frozen selector across namespace label changes', () => {
  it('a count with a namespaceSelector follows the namespace labels (the counter found by identity is dropped with them)', () => {
    const snapshot = ClusterSnapshot.fromNodes([nodeInfo('n0', { cpu: '64', memory: '256Gi', pods: '500' }, [], { [ZONE]: 'z0' })]);
    const prod = makePod('p0', { cpu: '10m' }, {}, { app: 'a' });
    prod.metadata.namespace = 'shop';
    snapshot.addPod(prod, 'n0');
    const selector = freeze({ matchLabels: { app: 'a' } });
    const namespaces = { names: new Set<string>(), selector: freeze({ matchLabels: { env: 'prod' } }) };
    expect([...snapshot.countByDomain(namespaces, selector, ZONE).entries()]).toEqual([]);
    snapshot.setNamespaceLabels('shop', { env: 'prod' });
    expect([...snapshot.countByDomain(namespaces, selector, ZONE).entries()]).toEqual([['z0', 1]]);
    snapshot.setNamespaceLabels('shop', { env: 'dev' });
    expect([...snapshot.countByDomain(namespaces, selector, ZONE).entries()]).toEqual([]);
  });
});

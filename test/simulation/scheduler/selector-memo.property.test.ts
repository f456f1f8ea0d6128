// The node table's selector memo (NodeTable.selectorMemo: NodeAffinity's Filter answer per row and required node
// selector) must always give what podMatchesNodeLabels gives for the node now in the row: after nodes are relabelled
// (a relabelled node is a new NodeInfo, which may take a freed row), removed and added, inside what-ifs that are
// reverted, and with cordoned nodes whose status another filter names first. Random operation sequences: schedule()
// (which reads the memo) must count the same feasible nodes and the same reasons as per-node canSchedule() (which
// does not), and the feasible count must equal the nodes podMatchesNodeLabels accepts among the uncordoned.
import fc from 'fast-check';
import type { Pod, PodSpec } from '../../../simulation/model/kubernetes';
import { ClusterSnapshot, NodeInfo, Scheduler } from '../../../simulation/scheduler';
import { podMatchesNodeLabels } from '../../../simulation/scheduler/selectors';
import { makeNode, makePod } from '../helpers';

const ZONE = 'topology.kubernetes.io/zone';
const ZONES = ['a', 'b', 'c'];

/** Required node selectors of the probe pods: nodeSelector, node affinity expressions and fields, and both. */
const SELECTORS: Partial<PodSpec>[] = [
  { nodeSelector: { [ZONE]: 'a' } },
  { nodeSelector: { [ZONE]: 'b', tier: 'web' } },
  { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['a', 'c'] }] }] } } } },
  { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }] } } } },
  { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n3', 'm0'] }] }] } } } },
  { nodeSelector: { tier: 'web' }, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'NotIn', values: ['b'] }] }] } } } },
];

function node(name: string, zone: number, web: boolean, cordoned = false): NodeInfo {
  return new NodeInfo(makeNode(name, { cpu: '8', memory: '16Gi', pods: '50' }, { [ZONE]: ZONES[zone], ...(web ? { tier: 'web' } : {}) }, [], cordoned));
}

let serial = 0;
/** A probe pod; `pinned` sets spec.nodeName, so NodeName (before NodeAffinity in the chain) names most rejections. */
function probe(selector: number, frozen: boolean, pinned = false): Pod {
  serial += 1;
  const pod = makePod(`probe-${serial}`, { cpu: '100m', memory: '128Mi' }, { ...SELECTORS[selector], ...(pinned ? { nodeName: 'n1' } : {}) });
  if (frozen) Object.freeze(pod.spec);
  return pod;
}

function expectMemoAgrees(scheduler: Scheduler, snapshot: ClusterSnapshot, pod: Pod): void {
  const reasons: Record<string, number> = {};
  let fits = 0;
  for (const n of snapshot.nodes) {
    const result = scheduler.canSchedule(pod, n, snapshot);
    if (result.fits) fits += 1;
    for (const reason of result.reasons) reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  const result = scheduler.schedule(pod, snapshot);
  expect(result.feasibleNodes).toBe(fits);
  expect(result.reasons).toEqual(reasons);
  const matching = snapshot.nodes.filter((n) => !n.node.spec?.unschedulable && (pod.spec.nodeName === undefined || pod.spec.nodeName === n.name) && podMatchesNodeLabels(pod, n.labels, n.name)).length;
  expect(fits).toBe(matching);
}

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('check' as const), selector: fc.nat(SELECTORS.length - 1), frozen: fc.boolean(), pinned: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('relabel' as const), pick: fc.nat(20), zone: fc.nat(2), web: fc.boolean(), at: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), zone: fc.nat(2), web: fc.boolean(), cordoned: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('whatIf' as const), pick: fc.nat(20), zone: fc.nat(2), web: fc.boolean(), selector: fc.nat(SELECTORS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bind' as const), pick: fc.nat(20) }) },
);

describe('NodeTable selector memo', () => {
  it('gives podMatchesNodeLabels answers through relabels, node add/remove and what-ifs (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(2), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 8 }), fc.array(op, { minLength: 1, maxLength: 40 }), (initial, ops) => {
      const snapshot = new ClusterSnapshot(initial.map(([zone, web, cordoned], i) => node(`n${i}`, zone, web, cordoned)));
      const scheduler = new Scheduler({ percentageOfNodesToScore: 100 });
      let added = 0;
      for (const step of ops) {
        const nodes = snapshot.nodes;
        switch (step.kind) {
          case 'check':
            expectMemoAgrees(scheduler, snapshot, probe(step.selector, step.frozen, step.pinned));
            break;
          case 'relabel': {
            // A node's labels change: the NodeInfo is replaced, the new one possibly in a row the old one freed.
            if (nodes.length === 0) break;
            const old = nodes[step.pick % nodes.length];
            snapshot.removeNode(old.name);
            snapshot.addNode(node(old.name, step.zone, step.web, old.node.spec?.unschedulable), step.at % (snapshot.nodes.length + 1));
            break;
          }
          case 'remove':
            if (nodes.length > 0) snapshot.removeNode(nodes[step.pick % nodes.length].name);
            break;
          case 'add':
            snapshot.addNode(node(`m${added}`, step.zone, step.web, step.cordoned));
            added += 1;
            break;
          case 'whatIf':
            if (nodes.length === 0) break;
            snapshot.whatIf(() => {
              const old = snapshot.nodes[step.pick % snapshot.nodes.length];
              snapshot.removeNode(old.name);
              snapshot.addNode(node(old.name, step.zone, step.web));
              expectMemoAgrees(scheduler, snapshot, probe(step.selector, false));
            });
            break;
          case 'bind': {
            if (nodes.length === 0) break;
            serial += 1;
            snapshot.addPod(makePod(`bound-${serial}`, { cpu: '10m' }), nodes[step.pick % nodes.length].name);
            break;
          }
        }
      }
      for (let s = 0; s < SELECTORS.length; s += 1) expectMemoAgrees(scheduler, snapshot, probe(s, s % 2 === 0));
    }), { numRuns: 200 });
  });
});

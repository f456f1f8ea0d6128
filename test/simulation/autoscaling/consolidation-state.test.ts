import { KarpenterController } from '../../../simulation/autoscaling/karpenter/controller';
import type { SimNode } from '../../../simulation/autoscaling/types';
import type { SimEvent } from '../../../simulation/model/result';
import { object } from '../checks/fixture';
import { clusterModel, deployment, karpenterHarness, nodePool } from './fixtures';

// kubernetes-sigs/karpenter pkg/controllers/disruption/consolidation_test.go and helpers.go SimulateScheduling, on a
// hand-built cluster: nodes and pods are placed directly, then the disruption controller runs one pass at a time.

const [ZONE_A, ZONE_B, ZONE_C] = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const onDemand = { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] };
const types = (...names: string[]) => ({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: names });
const zones = (...names: string[]) => ({ key: 'topology.kubernetes.io/zone', operator: 'In', values: names });

type Source = Parameters<typeof clusterModel>[0][number];

/** A cluster the test builds by hand, and the Karpenter controller acting on it. */
function harness(objects: Source[]) {
  const h = karpenterHarness(objects);
  return {
    state: h.state, events: h.events, view: h.view,
    /** A Ready node of a NodePool (or, with a delay, one still launching). */
    node: h.node,
    /** One more pod of a Deployment, bound to the node. */
    pod: (workload: string, node: SimNode): void => { h.pod(workload, node); },
    /** One reconcile at `t` (the disruption controller runs at most every 10 s); the events it emitted. */
    at: (t: number) => h.step(t),
  };
}

const consolidations = (events: readonly Omit<SimEvent, 't'>[]) => events.filter((e) => e.type === 'consolidate' || e.type === 'replace');

describe('consolidation_test.go / helpers.go SimulateScheduling: nodes already being deleted', () => {
  // Pool "big" holds a 1-CPU pod on an m5.2xlarge: consolidation replaces it with a c5.large. Pool "small" holds a
  // 1.5-CPU pod on a c5.large (the cheapest it allows). While the replacement launches, the m5.2xlarge has 7 free
  // CPUs, but it is being deleted: its own pod needs the replacement, and the 1.5-CPU pod has nowhere else to go.
  const build = () => {
    const h = harness([
      nodePool('big', [onDemand, types('m5.2xlarge', 'c5.large')]), nodePool('small', [onDemand, types('c5.large')]),
      deployment('one', 0, '1', '1Gi'), deployment('onehalf', 0, '1500m', '1Gi'),
    ]);
    const big = h.node('big', 'm5.2xlarge', ZONE_A);
    const small = h.node('small', 'c5.large', ZONE_A);
    h.pod('one', big);
    h.pod('onehalf', small);
    return { h, big, small };
  };

  it.each([
    // upstream: SimulateScheduling adds the pods of deleting nodes (deletingNodePods) to the pods it schedules,
    // and leaves the deleting nodes out of the existing nodes.
    ['should not consolidate a node that is launched for pods on a deleting node (pods of deleting nodes are rescheduled in the simulation)'],
  ])('%s', () => {
    const { h, big, small } = build();
    // The command computed at t = 60 runs after its 15 s validation period (validation.go).
    h.at(60);
    const first = consolidations(h.at(75));
    expect(first.map((e) => e.object)).toEqual([`Node ${big.name}`]);
    expect(first[0].message).toContain('c5.large');
    // 10 s later the replacement is not Ready: the small node's pod fits only on the node being deleted.
    expect(consolidations(h.at(85))).toEqual([]);
    expect(h.view.nodes().some((n) => n.name === small.name)).toBe(true);
  });
});

describe('consolidation_test.go: uninitialized nodes', () => {
  it.each([
    ["won't delete node if it would require pods to schedule on an uninitialized node"],
  ])('%s', () => {
    // A 1-CPU pod on an m5.xlarge ($0.192/h): a c5.large would be cheaper, but the pod fits the c5.xlarge that is
    // still launching, and upstream schedules onto existing nodes (uninitialized ones last) before new NodeClaims.
    const h = harness([nodePool('general', [onDemand, types('m5.xlarge', 'c5.large', 'c5.xlarge')]), deployment('one', 0, '1', '1Gi')]);
    const node = h.node('general', 'm5.xlarge', ZONE_A);
    h.node('general', 'c5.xlarge', ZONE_B, 600);
    h.pod('one', node);
    expect(consolidations(h.at(60))).toEqual([]);
  });

  it('control: with no node launching, the same node is replaced by a c5.large', () => {
    const h = harness([nodePool('general', [onDemand, types('m5.xlarge', 'c5.large', 'c5.xlarge')]), deployment('one', 0, '1', '1Gi')]);
    const node = h.node('general', 'm5.xlarge', ZONE_A);
    h.pod('one', node);
    h.at(60);
    const events = consolidations(h.at(75));
    expect(events.map((e) => e.type)).toEqual(['replace']);
    expect(events[0].message).toContain('c5.large');
  });
});

describe('topology.go buildDomainGroups: the domains of a consolidation simulation', () => {
  // Three api pods with a hard zone spread: two on an oversized m5.xlarge in zone a, one on a full c5.large in zone b.
  // Pool "general" launches in zones a and b, pool "other" in zone c, where no node runs yet. Upstream's topology
  // domains come from every NodePool's requirements, so zone c (0 pods) is a domain: one replacement in zone a
  // holding both pods would give a skew of 2, and the node cannot be replaced by one cheaper node.
  const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } } }] };
  const build = (otherZones: string[]) => {
    const h = harness([
      nodePool('general', [onDemand, types('m5.xlarge', 'c5.large'), zones(ZONE_A, ZONE_B)]), nodePool('other', [onDemand, types('c5.large'), zones(...otherZones)]),
      deployment('api', 0, '500m', '512Mi', spread), deployment('filler', 0, '1', '1Gi'),
    ]);
    const oversized = h.node('general', 'm5.xlarge', ZONE_A);
    const full = h.node('general', 'c5.large', ZONE_B);
    h.pod('api', oversized);
    h.pod('api', oversized);
    h.pod('api', full);
    h.pod('filler', full);
    return h;
  };

  it.each([
    ['NodePool zones where no node runs count as domains: no single cheaper replacement', [ZONE_C], 0],
    ['control: when every NodePool zone already has a node domain, the replacement is valid', [ZONE_A], 1],
  ])('%s', (_name, otherZones, replacements) => {
    const h = build(otherZones);
    h.at(60);
    expect(consolidations(h.at(75)).filter((e) => e.type === 'replace')).toHaveLength(replacements);
  });
});

describe('consolidation.go IsConsolidated / markConsolidated: the consolidation state', () => {
  // Two c5.large nodes (the cheapest type the pool allows) in zones a and b, each with a 1-CPU pod pinned to its
  // zone: the resource bound lets each pod move, the scheduling simulation finds that none can, and no replacement
  // is cheaper.
  const build = (budgets?: unknown[]) => {
    const disruption = { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s', ...(budgets ? { budgets } : {}) };
    const h = harness([
      nodePool('general', [onDemand, types('c5.large', 'm5.xlarge')], { disruption }),
      deployment('a', 0, '500m', '512Mi', { nodeSelector: { 'topology.kubernetes.io/zone': ZONE_A } }),
      deployment('b', 0, '500m', '512Mi', { nodeSelector: { 'topology.kubernetes.io/zone': ZONE_B } }),
    ]);
    const nodeA = h.node('general', 'c5.large', ZONE_A);
    const nodeB = h.node('general', 'c5.large', ZONE_B);
    h.pod('a', nodeA);
    h.pod('b', nodeB);
    return { h, nodeA, nodeB };
  };
  const simulations = (h: ReturnType<typeof harness>, t: number) => {
    const spy = jest.spyOn(h.view.scheduler, 'firstFit');
    try {
      h.at(t);
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  };

  it('a pass that found nothing is not repeated until the cluster changes (a pod binding marks it unconsolidated)', () => {
    const { h, nodeB } = build();
    expect(simulations(h, 60)).toBeGreaterThan(0);
    expect(simulations(h, 70)).toBe(0);
    h.pod('b', nodeB);
    expect(simulations(h, 80)).toBeGreaterThan(0);
  });

  it('cluster.go ConsolidationState: with nothing changed, the cluster is re-evaluated after 5 minutes', () => {
    const { h } = build();
    expect(simulations(h, 60)).toBeGreaterThan(0);
    expect(simulations(h, 350)).toBe(0);
    expect(simulations(h, 360)).toBeGreaterThan(0);
  });

  it.each([
    // Budgets: a scheduled budget of 0 nodes blocks every disruption for its first two minutes (from midnight, t = 0).
    ["should not mark single node consolidated if the candidates can't be disrupted due to budgets with one nodepool"],
  ])('%s', () => {
    const h = harness([
      nodePool('general', [onDemand, types('m5.xlarge', 'c5.large')], { disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s', budgets: [{ nodes: '0', schedule: '0 0 * * *', duration: '2m' }] } }),
      deployment('one', 0, '1', '1Gi'),
    ]);
    const node = h.node('general', 'm5.xlarge', ZONE_A);
    h.pod('one', node);
    expect(consolidations(h.at(60))).toEqual([]);
    // The window has closed and nothing else changed: the replacement is found on the next pass, not 5 minutes later.
    // (computed at t = 130, run after the 15 s validation period)
    expect(consolidations(h.at(130))).toEqual([]);
    expect(consolidations(h.at(145)).map((e) => e.type)).toEqual(['replace']);
  });
});

describe('consolidation_test.go: Delete', () => {
  // Two c5.large nodes (the cheapest type the pool allows), each running one 500m pod: either pod fits beside the other.
  const pinned = object('Deployment', 'default/pinned', {
    replicas: 0, selector: { matchLabels: { app: 'pinned' } },
    template: { metadata: { labels: { app: 'pinned' }, annotations: { 'karpenter.sh/do-not-disrupt': 'true' } }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu: '500m', memory: '512Mi' } } }] } },
  });
  const cases: [string, 'plain' | 'selector' | 'do-not-disrupt', string | undefined][] = [
    ['can delete nodes', 'plain', 'first'],
    ["won't delete nodes if it would make a non-pending pod go pending", 'selector', undefined],
    ['can delete nodes, considers karpenter.sh/do-not-disrupt set to true on pods', 'do-not-disrupt', 'second'],
  ];
  it.each(cases)('%s', (_name, variant, deleted) => {
    const h = harness([
      nodePool('general', [onDemand, types('c5.large')]),
      deployment('one', 0, '500m', '512Mi', variant === 'selector' ? { nodeSelector: { foo: '1' } } : {}),
      deployment('two', 0, '500m', '512Mi', variant === 'selector' ? { nodeSelector: { foo: '2' } } : {}),
      pinned,
    ]);
    const first = h.node('general', 'c5.large', ZONE_A, 0, { foo: '1' });
    const second = h.node('general', 'c5.large', ZONE_B, 0, { foo: '2' });
    h.pod(variant === 'do-not-disrupt' ? 'pinned' : 'one', first);
    h.pod('two', second);
    h.at(60);
    const events = consolidations(h.at(75));
    const expected = deleted === 'first' ? first : deleted === 'second' ? second : undefined;
    expect(events.map((e) => e.object)).toEqual(expected ? [`Node ${expected.name}`] : []);
    if (expected) expect(events[0].message).toMatch(/fit elsewhere; deleting/);
  });
});

describe('skipping what-ifs the last pass proved fruitless', () => {
  // A 1.5-CPU pod on a c5.large (the cheapest type the pool allows) cannot move to the other node, which is nearly
  // full and runs a do-not-disrupt pod (so it is no candidate). No replacement is cheaper: that depends only on the
  // node's pods and the catalog, so it is not checked again until those pods change.
  it('a replacement that failed on types and prices alone is not retried while the node keeps the same pods', () => {
    const pinnedSpec = { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu: '1', memory: '512Mi' } } }] };
    const h = harness([
      nodePool('general', [onDemand, types('c5.large')]),
      deployment('big', 0, '1500m', '1Gi'), deployment('small', 0, '100m', '128Mi'),
      object('Deployment', 'default/pinned', { replicas: 0, selector: { matchLabels: { app: 'pinned' } }, template: { metadata: { labels: { app: 'pinned' }, annotations: { 'karpenter.sh/do-not-disrupt': 'true' } }, spec: pinnedSpec } }),
    ]);
    const candidate = h.node('general', 'c5.large', ZONE_A);
    const other = h.node('general', 'c5.large', ZONE_B);
    h.pod('big', candidate);
    h.pod('pinned', other);
    const controller = KarpenterController.prototype as unknown as { cheaperPool: (...args: unknown[]) => unknown };
    const checks = (t: number) => {
      const spy = jest.spyOn(controller, 'cheaperPool');
      try {
        expect(consolidations(h.at(t))).toEqual([]);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    expect(checks(60)).toBe(1);
    // The cluster changed (a pod on the other node): the pass runs, but the candidate's replacement is not retried.
    h.pod('small', other);
    expect(checks(70)).toBe(0);
    // The candidate's own pods changed: retried.
    h.pod('small', candidate);
    expect(checks(110)).toBe(1);
  });
});

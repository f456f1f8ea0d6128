import type { SimNode } from '../../../simulation/autoscaling/types';
import type { SimEvent } from '../../../simulation/model/result';
import { object } from '../checks/fixture';
import { DISRUPTED_TAINT } from '../../../simulation/autoscaling/karpenter/orchestration';
import { clusterModel, deployment, karpenterHarness, nodePool } from './fixtures';

// kubernetes-sigs/karpenter pkg/controllers/disruption/validation.go (ConsolidationValidator), as
// singlenodeconsolidation.go and multinodeconsolidation.go use it: a consolidation command is computed, waits out
// consolidationTTL (15 s) with the disruption loop held, and runs only if its candidates are still candidates, the
// budget still takes them, and the scheduling simulation run again gives the same kind of result. Cases from
// consolidation_test.go (Context "TTL", and the "should correctly report invalidated commands" tables), on a
// hand-built cluster: nodes and pods are placed directly, then Karpenter runs one step at a time.

const [ZONE_A, ZONE_B] = ['us-east-1a', 'us-east-1b'];
const onDemand = { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] };
const types = (...names: string[]) => ({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: names });

type Source = Parameters<typeof clusterModel>[0][number];
type Event = Omit<SimEvent, 't'>;

/** A Deployment whose pods carry karpenter.sh/do-not-disrupt: "true". */
const pinned = object('Deployment', 'default/pinned', {
  replicas: 0, selector: { matchLabels: { app: 'pinned' } },
  template: { metadata: { labels: { app: 'pinned' }, annotations: { 'karpenter.sh/do-not-disrupt': 'true' } }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } },
});
/** A Deployment whose pods a PDB with maxUnavailable 0 guards (a blocking PDB). */
const guarded = [deployment('guarded', 0, '100m', '128Mi'), object('PodDisruptionBudget', 'default/guarded', { selector: { matchLabels: { app: 'guarded' } }, maxUnavailable: 0 })];

function harness(objects: Source[]) {
  const h = karpenterHarness(objects);
  return {
    ...h,
    /** One step at `t` with `between` before Karpenter reconciles (no kube-scheduler pass: pods are bound by hand). */
    at: (t: number, between?: () => void): Event[] => h.step(t, { between }),
    exists: (node: SimNode) => h.state.nodes.has(node.name) && !h.state.nodes.get(node.name)?.deleting,
    tainted: (node: SimNode) => (h.state.nodes.get(node.name)?.node.spec.taints ?? []).some((t) => t.key === DISRUPTED_TAINT.key),
    nominate: (node: SimNode) => (h.karpenter as unknown as { nominate(view: unknown, name: string): void }).nominate(h.view, node.name),
  };
}

const byType = (events: readonly Event[], ...kinds: string[]) => events.filter((e) => kinds.includes(e.type));
const abandoned = (events: readonly Event[]) => events.filter((e) => e.type === 'consolidate' && e.message.includes('abandoned')).map((e) => e.message.replace(/.*validation: /, ''));

/**
 * Single-node replacement: a 1-CPU pod on an m5.xlarge ($0.192/h); a c5.large or a c5.xlarge would be cheaper, and
 * the command launches the c5.large.
 */
function single(consolidateAfter = '0s', budgets: unknown[] = [{ nodes: '100%' }]) {
  const h = harness([
    nodePool('general', [onDemand, types('m5.xlarge', 'c5.large', 'c5.xlarge')], { disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter, budgets } }),
    deployment('one', 0, '1', '1Gi'), pinned, ...guarded,
  ]);
  const node = h.node('general', 'm5.xlarge', ZONE_A);
  h.pod('one', node);
  return { h, nodes: [node] };
}

/** Multi-node replacement: two c5.large nodes with a 500m pod each, replaced together by one c5.large. */
function multi(consolidateAfter = '0s', budgets: unknown[] = [{ nodes: '100%' }]) {
  const h = harness([
    nodePool('general', [onDemand, types('c5.large')], { disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter, budgets } }),
    deployment('app', 0, '500m', '512Mi'), pinned, ...guarded,
  ]);
  const nodes = [h.node('general', 'c5.large', ZONE_A), h.node('general', 'c5.large', ZONE_B)];
  for (const node of nodes) h.pod('app', node);
  return { h, nodes };
}

/**
 * Single-node deletion (a budget of one node: no multi-node command): two c5.large nodes with a 500m pod each;
 * the first one's pod fits beside the other's, and the first is deleted.
 */
function deletion() {
  const h = harness([
    nodePool('general', [onDemand, types('c5.large')], { disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s', budgets: [{ nodes: '1' }] } }),
    deployment('app', 0, '500m', '512Mi'), deployment('big', 0, '1200m', '512Mi'), pinned, ...guarded,
  ]);
  const nodes = [h.node('general', 'c5.large', ZONE_A), h.node('general', 'c5.large', ZONE_B)];
  for (const node of nodes) h.pod('app', node);
  return { h, nodes };
}

describe('consolidation_test.go TTL: the command waits out the validation period', () => {
  it.each([
    ['should wait for the node TTL for non-empty nodes before consolidating (single node)', single],
    ['should wait for the node TTL for non-empty nodes before consolidating (multi-node)', multi],
  ])('%s', (_name, build) => {
    const { h, nodes } = build();
    // Computed at t = 60: nothing happens yet, the candidates are not tainted.
    expect(byType(h.at(60), 'replace', 'consolidate', 'launch', 'terminate')).toEqual([]);
    expect(nodes.map((n) => h.tainted(n))).toEqual(nodes.map(() => false));
    // The disruption loop is held meanwhile: the pass at t = 70 computes nothing.
    expect(byType(h.at(70), 'replace', 'consolidate', 'launch', 'terminate')).toEqual([]);
    const events = h.at(75);
    expect(byType(events, 'replace').map((e) => e.message.startsWith('multi-node'))).toEqual([build === multi]);
    expect(byType(events, 'launch')).toHaveLength(1);
    expect(nodes.map((n) => h.tainted(n))).toEqual(nodes.map(() => true));
  });

  it('the same for a deletion: the node is deleted at t = 75', () => {
    const { h, nodes } = deletion();
    expect(byType(h.at(60), 'terminate')).toEqual([]);
    expect(byType(h.at(75), 'terminate').map((e) => e.object)).toEqual([`Node ${nodes[0].name}`]);
  });

  it('should not consolidate if the action picks different instance types after the node TTL wait', () => {
    // A second 1-CPU pod lands on the node during the wait: the c5.large the command would launch no longer holds
    // the pods; only the c5.xlarge does (the command's types are no subset of the simulation's).
    const { h, nodes: [node] } = single();
    h.at(60);
    h.at(65, () => h.pod('one', node));
    const events = h.at(75);
    expect(byType(events, 'replace', 'launch', 'terminate')).toEqual([]);
    expect(abandoned(events)).toEqual(['scheduling simulation produced new results']);
    expect(h.exists(node)).toBe(true);
  });

  it('should not consolidate if the action becomes invalid during the node TTL wait', () => {
    // upstream: an empty node's command, and a do-not-disrupt pod bound to it during the wait (emptiness.go).
    const h = harness([nodePool('general', [onDemand, types('c5.large')]), pinned]);
    const node = h.node('general', 'c5.large', ZONE_A);
    h.at(60);
    h.at(65, () => h.pod('pinned', node));
    expect(byType([75, 85].flatMap((t) => h.at(t)), 'terminate')).toEqual([]);
    expect(h.exists(node)).toBe(true);
  });

  it.each([
    ['should not replace node if a pod schedules with karpenter.sh/do-not-disrupt set to true during the TTL wait', single, 'pinned'],
    ['should not replace node if a pod schedules with a blocking PDB during the TTL wait', single, 'guarded'],
    ['should not delete node if pods schedule with karpenter.sh/do-not-disrupt set to true during the TTL wait', deletion, 'pinned'],
    ['should not delete node if pods schedule with a blocking PDB during the TTL wait', deletion, 'guarded'],
  ])('%s', (_name, build, workload) => {
    const { h, nodes } = build();
    h.at(60);
    h.at(65, () => { for (const node of nodes) h.pod(workload, node); });
    const events = h.at(75);
    expect(byType(events, 'replace', 'launch', 'terminate')).toEqual([]);
    expect(abandoned(events)).toEqual([`${nodes[0].name} is no longer a candidate`]);
    expect(nodes.map((n) => h.exists(n) && !h.tainted(n))).toEqual(nodes.map(() => true));
  });
});

describe('consolidation_test.go Metrics: invalidated commands', () => {
  // A budget of 0 nodes scheduled from 00:01 (t = 60): the command computed at t = 50 is validated inside it.
  const closing = [{ nodes: '100%' }, { nodes: '0', schedule: '1 0 * * *', duration: '10m' }];
  const cases = [
    ['when candidates are blocked by budgets', 'budget', 'a candidate can no longer be disrupted without violating budgets'],
    ['when candidates are filtered out due to pod churn', 'churn', 'is no longer a candidate'],
    ['when candidates are filtered out due to candidate being nominated', 'nominated', 'a candidate was nominated during validation'],
  ] as const;
  it.each([
    ...cases.map(([entry, how, why]) => [`should correctly report invalidated commands for single node disruption: ${entry}`, single, how, why] as const),
    ...cases.map(([entry, how, why]) => [`should correctly report invalidated commands for multi node disruption: ${entry}`, multi, how, why] as const),
  ])('%s', (_name, build, how, why) => {
    // consolidateAfter 30s: a pod bound during the wait makes the node too recent a candidate (Consolidatable).
    const { h, nodes } = build('30s', how === 'budget' ? closing : undefined);
    h.at(50);
    h.at(55, () => {
      if (how === 'churn') h.pod(build === single ? 'one' : 'app', nodes[0]);
      if (how === 'nominated') h.nominate(nodes[0]);
    });
    const events = h.at(65);
    expect(byType(events, 'replace', 'launch', 'terminate')).toEqual([]);
    expect(abandoned(events)).toEqual([expect.stringContaining(why)]);
    expect(nodes.map((n) => h.exists(n) && !h.tainted(n))).toEqual(nodes.map(() => true));
  });
});

describe('validation.go validateCommand: pending pods in the re-run simulation', () => {
  it.each([
    ['control: nothing arrives, the node is deleted after the wait', false],
    ['a pod arriving during the wait takes the room the deletion counted on: the command is abandoned', true],
  ])('%s', (_name, arrives) => {
    // The first node's 500m pod fits beside the second's (1430m free). A 1200m pod created at t = 65 is pending
    // (no kube-scheduler pass yet): the simulation places it first, and the 500m pod then fits nowhere cheaper.
    const { h, nodes } = deletion();
    h.at(60);
    h.at(65, arrives ? () => { h.pod('big'); } : undefined);
    const events = h.at(75);
    expect(byType(events, 'terminate').map((e) => e.object)).toEqual(arrives ? [] : [`Node ${nodes[0].name}`]);
    expect(abandoned(events)).toEqual(arrives ? ['scheduling simulation produced new results'] : []);
  });
});

describe('consolidation_test.go: multi-node consolidation that fails validation hands over to single-node consolidation', () => {
  it.each([
    ['should continue to single nodeclaim consolidation when multi-nodeclaim consolidation fails validation after the node ttl: if the candidate is on-demand node', 'on-demand'],
    ['should continue to single nodeclaim consolidation when multi-nodeclaim consolidation fails validation after the node ttl: if the candidate is spot node', 'spot'],
  ] as const)('%s', (_name, capacityType) => {
    // Four c5.large nodes with a 300m pod each: multi-node consolidation deletes three (their pods fit on the fourth).
    // During the wait a 1-CPU pod is bound to each of the first two: the command no longer holds. In the same pass
    // single-node consolidation, not multi-node again, computes the next command: the third node, whose pod fits
    // beside a 1-CPU pod. (Multi-node again would have deleted the third and the fourth together.)
    const h = harness([
      nodePool('general', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: [capacityType] }, types('c5.large')], { disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s', budgets: [{ nodes: '100%' }] } }),
      deployment('app', 0, '300m', '256Mi'), deployment('big', 0, '1', '256Mi'),
    ]);
    const nodes = [ZONE_A, ZONE_B, ZONE_A, ZONE_B].map((zone) => h.node('general', 'c5.large', zone, 0, {}, capacityType));
    for (const node of nodes) h.pod('app', node);
    expect(byType(h.at(60), 'consolidate', 'terminate')).toEqual([]);
    h.at(65, () => { h.pod('big', nodes[0]); h.pod('big', nodes[1]); });
    const events = h.at(75);
    expect(abandoned(events)).toEqual(['scheduling simulation produced new results']);
    expect(byType(events, 'consolidate').filter((e) => e.message.startsWith('multi-node')).map((e) => e.message)).toEqual([expect.stringContaining('abandoned')]);
    expect(byType(events, 'terminate')).toEqual([]);
    // The single-node command waits out its own validation period, then deletes the third node alone.
    expect(byType(h.at(85), 'terminate')).toEqual([]);
    expect(byType(h.at(90), 'terminate').map((e) => e.object)).toEqual([`Node ${nodes[2].name}`]);
    expect(nodes.map((n) => h.exists(n))).toEqual([true, true, false, true]);
  });
});

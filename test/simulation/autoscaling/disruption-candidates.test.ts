import { nominationWindowSeconds } from '../../../simulation/autoscaling/karpenter/controller';
import type { SimNode } from '../../../simulation/autoscaling/types';
import type { SimEvent } from '../../../simulation/model/result';
import { clusterModel, deployment, karpenterHarness, nodePool } from './fixtures';

// kubernetes-sigs/karpenter pkg/controllers/disruption: which nodes are candidates (types.go NewCandidate,
// state/statenode.go ValidateNodeDisruptable), the UninitializedNodeError of helpers.go SimulateScheduling as drift.go
// meets it, and emptiness.go. A hand-built cluster: nodes and pods are placed directly, then the kube-scheduler and
// Karpenter run one step at a time.

const ZONE = 'us-east-1a';
const onDemand = { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] };
const types = (...names: string[]) => ({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: names });
// drift_test.go's NodePool: consolidation after 1h (so emptiness leaves the nodes alone) and "Disrupt away!" budgets.
const DRIFT_DISRUPTION = { disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '1h', budgets: [{ nodes: '100%' }] } };

type Source = Parameters<typeof clusterModel>[0][number];
type Event = Omit<SimEvent, 't'>;

function harness(objects: Source[]) {
  const h = karpenterHarness(objects);
  const { state } = h;
  return {
    state,
    /** A node of the pool in ZONE, Ready after `readyDelaySeconds` (a launching NodeClaim until then). */
    node: (pool: string, instanceType: string, readyDelaySeconds = 0): SimNode => h.node(pool, instanceType, ZONE, readyDelaySeconds),
    pod: h.pod,
    /** One step at `t`: nodes become Ready, the kube-scheduler binds what it can, `between` runs, then Karpenter reconciles. */
    at: (t: number, between?: () => void): Event[] => h.step(t, { schedule: true, between }),
    exists: (node: SimNode) => state.nodes.has(node.name) && !state.nodes.get(node.name)?.deleting,
  };
}

const byType = (events: readonly Event[], ...kinds: string[]) => events.filter((e) => kinds.includes(e.type));

describe('helpers.go SimulateScheduling: UninitializedNodeError blocks a drift command', () => {
  // D: a drifted m5.large (the pool now allows c5.large only) with a 500m pod. L: a c5.large of the pool still
  // launching (Ready at t = 100), the only node with room for the pod.
  const build = () => {
    const h = harness([nodePool('general', [onDemand, types('c5.large')], DRIFT_DISRUPTION), deployment('app', 0, '500m', '512Mi')]);
    const drifted = h.node('general', 'm5.large');
    const launching = h.node('general', 'c5.large', 100);
    h.pod('app', drifted);
    return { h, drifted, launching };
  };

  it.each([
    ["consolidation_test.go: won't delete node if it would require pods to schedule on an uninitialized node (drift.go: Blocked, AllNonPendingPodsScheduled)"],
  ])('%s', () => {
    const { h, drifted, launching } = build();
    const events = h.at(10);
    // Without the check the pod "fits on other nodes" (the launching one) and the node is deleted at once.
    expect(byType(events, 'terminate', 'replace', 'launch')).toEqual([]);
    expect(h.exists(drifted)).toBe(true);
    expect(events.filter((e) => e.object === `Node ${drifted.name}` && e.message.includes('blocked')).map((e) => e.message))
      .toEqual([`drifted but blocked: would schedule against uninitialized node ${launching.name}`]);
    // The event is not repeated while the cause stays.
    expect(h.at(20).filter((e) => e.message.includes('blocked'))).toEqual([]);
  });

  it('once the NodeClaim is initialized, the drifted node is deleted and its pod moves there', () => {
    const { h, drifted, launching } = build();
    h.at(10);
    const events = h.at(110);
    expect(byType(events, 'terminate').map((e) => e.object)).toEqual([`Node ${drifted.name}`]);
    expect(byType(events, 'launch')).toEqual([]);
    h.at(111);
    expect(h.state.podsOfWorkload(h.state.workloads.find((w) => w.key === 'Deployment default/app') as never).map((p) => p.nodeName)).toEqual([launching.name]);
  });
});

describe('types.go NewCandidate: a nominated node is no disruption candidate', () => {
  it.each([
    // statenode.go nominationWindow: twice BatchMaxDuration, at least 10 seconds.
    ['batchMaxDuration 10s (the default)', 10, 20],
    ['batchMaxDuration 3s: the 10s floor', 3, 10],
    ['batchMaxDuration 30s', 30, 60],
  ])('nomination window, %s', (_name, batchMaxSeconds, window) => {
    expect(nominationWindowSeconds(batchMaxSeconds)).toBe(window);
  });

  // E: an empty node of the pool, long quiet. X: another node with a 500m pod, drained in this very step: the
  // provisioner counts its pod onto E (existing nodes first), which nominates E (scheduling/results.go Record).
  // Emptiness (consolidateAfter 30s) or drift (E's type is no longer allowed) would delete E in the same pass.
  it.each([
    ['suite_test.go: should not consider candidates that are nominated (emptiness.go)', 'emptiness'],
    ['suite_test.go: should not consider candidates that are nominated (drift.go, an empty drifted node)', 'drift'],
  ])('%s', (_name, method) => {
    const h = method === 'emptiness'
      ? harness([nodePool('general', [onDemand, types('c5.large')]), deployment('app', 0, '500m', '512Mi')])
      : harness([nodePool('general', [onDemand, types('c5.large')], DRIFT_DISRUPTION), deployment('app', 0, '500m', '512Mi')]);
    const empty = h.node('general', method === 'emptiness' ? 'c5.large' : 'm5.large');
    const drained = h.node('general', 'c5.large');
    const pod = h.pod('app', drained);
    const events = h.at(60, () => h.state.terminate(drained.name, 'drained', 60));
    expect(h.exists(empty)).toBe(true);
    expect(byType(events, 'terminate').map((e) => e.object)).toEqual([]);
    expect(byType(events, 'launch')).toEqual([]);
    // The kube-scheduler then binds the pod to E: nothing was launched for it.
    const later = h.at(61);
    expect(pod.nodeName).toBe(empty.name);
    expect(byType(later, 'launch')).toEqual([]);
  });

  it('the nomination ends after the window (statenode.go Nominated: nominatedUntil after now)', () => {
    // consolidateAfter 0s: only the nomination keeps E. The pod counted onto E at t = 60 lands there at t = 61 and is
    // deleted at t = 70; E, empty again, stays nominated until t = 80 (60 + the 20s window): the pass at t = 80 takes
    // it, and after the 15s validation it goes.
    const h = harness([nodePool('general', [onDemand, types('c5.large')], { disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' } }), deployment('app', 0, '500m', '512Mi')]);
    const empty = h.node('general', 'c5.large');
    const drained = h.node('general', 'c5.large');
    const pod = h.pod('app', drained);
    h.at(60, () => h.state.terminate(drained.name, 'drained', 60));
    h.at(61);
    expect(pod.nodeName).toBe(empty.name);
    const during = [70, 79].flatMap((t) => h.at(t, t === 70 ? () => h.state.deletePod(pod.key, 70) : undefined));
    const after = [80, 94, 95].map((t) => byType(h.at(t), 'terminate').map((e) => e.object));
    expect(byType(during, 'terminate')).toEqual([]);
    expect(after).toEqual([[], [], [`Node ${empty.name}`]]);
  });
});

describe('emptiness.go: empty nodes are deleted without a scheduling simulation, after the validation period', () => {
  const build = (annotations: Record<string, string> = {}) => {
    const h = harness([nodePool('general', [onDemand, types('c5.large')]), deployment('app', 0, '500m', '512Mi')]);
    const node = h.node('general', 'c5.large');
    Object.assign((node.node.metadata.annotations ??= {}), annotations);
    return { h, node };
  };

  it.each([
    ['emptiness_test.go: should ignore nodes with the karpenter.sh/do-not-disrupt annotation', { 'karpenter.sh/do-not-disrupt': 'true' }, false],
    ['emptiness_test.go: should delete nodes with the karpenter.sh/do-not-disrupt annotation set to false', { 'karpenter.sh/do-not-disrupt': 'false' }, true],
  ])('%s', (_name, annotations, deleted) => {
    const { h, node } = build(annotations);
    const events = [60, 75].flatMap((t) => h.at(t));
    expect(byType(events, 'terminate').map((e) => e.object)).toEqual(deleted ? [`Node ${node.name}`] : []);
  });

  it.each([
    ['emptiness_test.go: should wait for the node TTL for empty nodes before consolidating'],
  ])('%s', () => {
    const { h, node } = build();
    // Computed at t = 60 (consolidateAfter 30s has passed); deleted once the 15s consolidationTTL is over.
    expect(byType(h.at(60), 'terminate', 'consolidate')).toEqual([]);
    expect(h.exists(node)).toBe(true);
    expect(byType(h.at(74), 'terminate')).toEqual([]);
    const events = h.at(75);
    expect(byType(events, 'terminate').map((e) => e.object)).toEqual([`Node ${node.name}`]);
    expect(byType(events, 'consolidate')[0].message).toMatch(/^empty for 75s: deleting/);
  });

  it('validation.go EmptinessValidator: a pod that lands during the validation period abandons the command', () => {
    const { h, node } = build();
    h.at(60);
    const pod = h.pod('app');
    h.at(61);
    expect(pod.nodeName).toBe(node.name);
    expect(byType([65, 75, 85].flatMap((t) => h.at(t)), 'terminate')).toEqual([]);
    expect(h.exists(node)).toBe(true);
  });
});

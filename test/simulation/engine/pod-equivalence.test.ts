import fc from 'fast-check';
import { ClusterState } from '../../../simulation/engine/cluster-state';
import { MAX_LISTED_RUN } from '../../../simulation/engine/result-builder';
import { placeStatic } from '../../../simulation/engine/static';
import { podForWorkload, replicaName } from '../../../simulation/engine/workloads';
import { pendingPodCount } from '../../../simulation/model/result';
import { plan } from '../../../simulation/pipeline';
import { model, nodeGroup, object } from '../checks/fixture';

// Alike pods as one class (kubernetes/autoscaler cluster-autoscaler core/scaleup/equivalence/groups.go): replicas of
// one template share their scheduling work while nothing was bound or unbound, and pending replicas of a static run
// are counted, not materialised. Speed must never change an answer: the class path and the pod-by-pod path
// (podEquivalence: false) give the same result, pod for pod.

type Kind = 'Deployment' | 'StatefulSet' | 'Job';

interface WorkloadShape {
  readonly name: string;
  readonly kind: Kind;
  readonly replicas: number;
  readonly cpu: string;
  readonly memory: string;
  readonly priorityClass?: 'low' | 'high';
  readonly nodeSelector: boolean;
  readonly tolerates: boolean;
  readonly antiAffinity: boolean;
  readonly spread: boolean;
  readonly affinity: boolean;
  readonly pdb: boolean;
}

function workload(shape: WorkloadShape) {
  const labels = { app: shape.name };
  const spec: Record<string, unknown> = {
    containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu: shape.cpu, memory: shape.memory } } }],
    ...(shape.priorityClass ? { priorityClassName: shape.priorityClass } : {}),
    ...(shape.nodeSelector ? { nodeSelector: { tier: 'front' } } : {}),
    ...(shape.tolerates ? { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }] } : {}),
    ...(shape.spread ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } }] } : {}),
    ...(shape.antiAffinity || shape.affinity ? {
      affinity: {
        ...(shape.antiAffinity ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } }] } } : {}),
        ...(shape.affinity ? { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'web' } } } }] } } : {}),
      },
    } : {}),
  };
  const template = { metadata: { labels }, spec };
  const body = shape.kind === 'Job'
    ? { parallelism: shape.replicas, template: { ...template, spec: { ...spec, restartPolicy: 'Never' } } }
    : { replicas: shape.replicas, selector: { matchLabels: labels }, template, ...(shape.kind === 'StatefulSet' ? { serviceName: shape.name } : {}) };
  return object(shape.kind, `default/${shape.name}`, body, { apiVersion: shape.kind === 'Job' ? 'batch/v1' : 'apps/v1' });
}

interface GroupShape {
  readonly type: string;
  readonly size: number;
  readonly front: boolean;
  readonly tainted: boolean;
}

function platform(groups: readonly GroupShape[], workloads: readonly WorkloadShape[]) {
  const priorityClasses = [
    object('PriorityClass', 'low', undefined, { value: 100 } as never),
    object('PriorityClass', 'high', undefined, { value: 1000 } as never),
  ];
  const pdbs = workloads.filter((w) => w.pdb).map((w) => object('PodDisruptionBudget', `default/${w.name}`, { minAvailable: 1, selector: { matchLabels: { app: w.name } } }, { apiVersion: 'policy/v1' }));
  return model({
    nodeGroups: groups.map((g, i) => nodeGroup({
      name: `g${i}`, instanceTypes: [g.type], minSize: 1, desiredSize: g.size, maxSize: g.size + 2,
      labels: g.front ? { tier: 'front' } : {}, taints: g.tainted ? [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] : [],
    })),
    objects: [...priorityClasses, ...pdbs, ...workloads.map(workload)],
  });
}

/** Every pod of a run, materialised or counted: where it runs, or why it waits. */
function outcomes(state: ClusterState): Map<string, string> {
  const out = new Map<string, string>();
  for (const pod of state.pods.values()) out.set(pod.key, `${pod.phase} ${pod.nodeName ?? '-'} ${pod.lastMessage ?? ''}`);
  for (const range of state.countedReplicas()) {
    for (let ordinal = range.from; ordinal < range.to; ordinal += 1) out.set(`${range.workload.namespace}/${replicaName(range.workload, ordinal)}`, `Pending - ${range.message ?? ''}`);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const arbGroup: fc.Arbitrary<GroupShape> = fc.record({
  type: fc.constantFrom('m5.large', 'c5.large', 't3.medium', 'm5.xlarge'),
  size: fc.integer({ min: 1, max: 3 }),
  front: fc.boolean(),
  tainted: fc.constantFrom(false, false, false, true),
});

const arbWorkload = (name: string): fc.Arbitrary<WorkloadShape> => fc.record({
  name: fc.constant(name),
  kind: fc.constantFrom<Kind>('Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'Job'),
  // Small counts, and runs longer than the result lists pod by pod.
  replicas: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: MAX_LISTED_RUN - 10, max: MAX_LISTED_RUN + 60 })),
  cpu: fc.constantFrom('50m', '250m', '500m', '900m', '1500m'),
  memory: fc.constantFrom('64Mi', '512Mi', '2Gi'),
  priorityClass: fc.constantFrom(undefined, 'low' as const, 'high' as const),
  nodeSelector: fc.boolean(),
  tolerates: fc.boolean(),
  antiAffinity: fc.boolean(),
  spread: fc.boolean(),
  affinity: fc.boolean(),
  pdb: fc.boolean(),
});

// Names chosen so replicas of different workloads interleave in name order (web-00001 < web-api-00000 < web-zzzzz).
const NAMES = ['web', 'web-api', 'api', 'a', 'a-b', 'batch'];
const arbWorkloads = fc.subarray(NAMES, { minLength: 1, maxLength: 4 }).chain((names) => fc.tuple(...names.map(arbWorkload)));

describe('pod equivalence classes', () => {
  it('place exactly the pods the pod-by-pod path places (random clusters, static runs without controllers)', () => {
    fc.assert(fc.property(fc.array(arbGroup, { minLength: 1, maxLength: 3 }), arbWorkloads, fc.integer({ min: 1, max: 1000 }), (groups, workloads, seed) => {
      const m = platform(groups, workloads);
      const byClass = placeStatic(m, { seed });
      const byPod = placeStatic(m, { seed, podEquivalence: false });
      expect(outcomes(byClass.state)).toEqual(outcomes(byPod.state));
      expect(byClass.result).toEqual(byPod.result);
      // The pod-by-pod path made every pod; the class path made at most the placed ones and one per tried range.
      expect(byPod.state.countedReplicas()).toEqual([]);
    }), { numRuns: 80, seed: 21 });
  });

  it('place exactly the pods the pod-by-pod path places when the Cluster Autoscaler settles the run', () => {
    fc.assert(fc.property(fc.array(arbGroup, { minLength: 1, maxLength: 2 }), arbWorkloads, fc.integer({ min: 1, max: 1000 }), (groups, workloads, seed) => {
      const m = platform(groups, workloads);
      const byClass = placeStatic(m, { seed, assume: ['cluster-autoscaler'] });
      const byPod = placeStatic(m, { seed, assume: ['cluster-autoscaler'], podEquivalence: false });
      expect(outcomes(byClass.state)).toEqual(outcomes(byPod.state));
      expect(byClass.result).toEqual(byPod.result);
    }), { numRuns: 10, seed: 2121 });
  });
});

/** Scheduler passes over the nodes for one scheduling pass of a fresh state (node groups at desired size, no controller). */
function schedulePasses(m: ReturnType<typeof model>, podEquivalence: boolean) {
  const state = new ClusterState(m, { region: 'us-east-1', seed: 1, podEquivalence });
  state.launchNodeGroups(0);
  for (const w of state.workloads) if (!w.daemonSet) state.createReplicas(w, 0, w.replicas, 0, { counted: true });
  const schedule = jest.spyOn(state.scheduler, 'schedule');
  state.schedulePending(0, { preemption: true });
  // The test's own workloads (the system add-ons' pods are in kube-system).
  return { state, passes: schedule.mock.calls.filter(([pod]) => pod.metadata.namespace === 'default').length };
}

const shape = (overrides: Partial<WorkloadShape>): WorkloadShape => ({
  name: 'web', kind: 'Deployment', replicas: 2, cpu: '3000m', memory: '64Mi', nodeSelector: false, tolerates: false, antiAffinity: false, spread: false, affinity: false, pdb: false, ...overrides,
});
const oneNode = [{ type: 'm5.large', size: 1, front: false, tainted: false }];

describe('pod equivalence classes (ported from kubernetes/autoscaler core/scaleup/equivalence/groups_test.go)', () => {
  // Each row: the workloads, and how many passes over the nodes the class path needs for pods that all fit nowhere.
  it.each([
    ['TestGroupSchedulablePodsForNode p1: a lone pod is its own group', [shape({ replicas: 1 })], 1],
    ['TestGroupSchedulablePodsForNode p2_1, p2_2: two pods of one controller and spec are one group', [shape({ replicas: 2 })], 1],
    ['TestGroupSchedulablePodsForNode p2, p3: pods of two controllers are two groups', [shape({ replicas: 2 }), shape({ name: 'api', replicas: 2 })], 2],
    ['TestEquivalenceGroupSizeLimiting: pods with a label of their own (StatefulSet pod-name) are a group each', [shape({ kind: 'StatefulSet', replicas: 3 })], 3],
  ] as const)('%s', (_name, workloads, passes) => {
    const m = platform(oneNode, workloads);
    const byClass = schedulePasses(m, true);
    const byPod = schedulePasses(m, false);
    expect(byClass.passes).toBe(passes);
    expect(byPod.passes).toBe(workloads.reduce((sum, w) => sum + w.replicas, 0));
    expect(outcomes(byClass.state)).toEqual(outcomes(byPod.state));
  });

  it('TestEquivalenceGroupIgnoresDaemonSets: DaemonSet pods share no template (each is bound to its own node)', () => {
    const ds = object('DaemonSet', 'kube-system/agent', { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'a', resources: { requests: { cpu: '10m' } } }] } } });
    const state = new ClusterState(platform([{ type: 'm5.large', size: 2, front: false, tainted: false }], []), { region: 'us-east-1', seed: 1 });
    const agent = { ...state.workloads[0], ...{ key: 'DaemonSet kube-system/agent', kind: 'DaemonSet', namespace: 'kube-system', name: 'agent', daemonSet: true, template: ds.object.spec?.template } };
    const a = podForWorkload(agent, 0, state.admission, 'agent-a');
    const b = podForWorkload(agent, 0, state.admission, 'agent-b');
    expect('pod' in a && 'pod' in b && a.pod.spec !== b.pod.spec).toBe(true);
  });
});

describe('pod equivalence classes: what the class path skips and what it counts', () => {
  it('tries the next pod of a class after one bound (the cluster changed), and none after one found no node', () => {
    // One m5.large has room for one 900m pod next to the system pods: web-00000 binds, web-00001 finds no node,
    // web-00002 and web-00003 fail the same way without a pass over the nodes.
    const m = platform(oneNode, [shape({ replicas: 4, cpu: '900m' })]);
    const byClass = schedulePasses(m, true);
    const byPod = schedulePasses(m, false);
    expect(byClass.passes).toBe(2);
    expect(byPod.passes).toBe(4);
    expect(outcomes(byClass.state)).toEqual(outcomes(byPod.state));
  });

  it('does not stand a failed attempt for its class when it preempted a pod (the cluster changed)', () => {
    // Two low-priority pods run; five high-priority ones arrive. web-00000 fits; web-00001 and web-00002 each preempt
    // one and are tried again; web-00003 finds nothing to preempt, and stands for web-00004.
    const staged = (podEquivalence: boolean) => {
      const m = platform(oneNode, [shape({ name: 'a', replicas: 2, cpu: '600m', priorityClass: 'low' }), shape({ name: 'web', replicas: 5, cpu: '600m', priorityClass: 'high' })]);
      const state = new ClusterState(m, { region: 'us-east-1', seed: 1, podEquivalence });
      state.launchNodeGroups(0);
      const [low, high] = ['a', 'web'].map((name) => state.workloads.find((w) => w.name === name) as (typeof state.workloads)[number]);
      state.createReplicas(low, 0, low.replicas, 0, { counted: true });
      state.schedulePending(0);
      state.createReplicas(high, 0, high.replicas, 1, { counted: true });
      const schedule = jest.spyOn(state.scheduler, 'schedule');
      state.schedulePending(1, { preemption: true });
      return { state, passes: schedule.mock.calls.filter(([pod]) => pod.metadata.name?.startsWith('web-')).length };
    };
    const byClass = staged(true);
    const byPod = staged(false);
    expect(byClass.state.events.filter((e) => e.type === 'evict').map((e) => e.message.split(' (')[0])).toEqual(['preempted by default/web-00001', 'preempted by default/web-00002']);
    expect(byClass.passes).toBe(6);
    expect(byPod.passes).toBe(7);
    expect(outcomes(byClass.state)).toEqual(outcomes(byPod.state));
  });

  it('counts 100,000 pending replicas without making a pod object for each, and reports them all', () => {
    const m = platform([{ type: 'm5.large', size: 3, front: false, tainted: false }], [shape({ replicas: 100_000, cpu: '100m', memory: '128Mi' })]);
    const { state, result } = placeStatic(m);
    const placement = result.placements.find((p) => p.workload === 'Deployment default/web');
    expect(placement).toMatchObject({ desired: 100_000, running: placement?.running, pending: 100_000 - (placement?.running ?? 0) });
    // m5.large: 29 pods, less the DaemonSet pods; one pod object more for the try that found no node.
    expect(placement?.running).toBeGreaterThan(0);
    expect(state.pods.size).toBeLessThanOrEqual(3 * 29 + 1);
    expect(result.timeline[0].podsPending).toBe(placement?.pending);
    expect(pendingPodCount(result.pendingPods)).toBe(placement?.pending);
    expect(result.pendingPods).toHaveLength(1);
    expect(result.pendingPods[0]).toMatchObject({ workload: 'Deployment default/web', phase: 'Pending', count: placement?.pending, lastPod: `default/${'web'}-${(99_999).toString(36).padStart(5, '0')}` });
    expect(result.pendingPods[0].message).toMatch(/^0\/3 nodes are available: 3 Insufficient cpu\.$/);
    const verdict = plan(m).verdict;
    expect(verdict.thresholds).toEqual([{ name: 'maxPendingPods', limit: 0, measured: placement?.pending, passed: false, unit: 'pods' }]);
  });

  it('makes a pod object for every counted replica when a controller asks for the pending pods', () => {
    const m = platform(oneNode, [shape({ replicas: 50 })]);
    const { state } = schedulePasses(m, true);
    const before = outcomes(state);
    expect(state.pods.size).toBeLessThan(50);
    const pending = state.pendingPods().filter((p) => p.workload.name === 'web');
    expect(pending).toHaveLength(50);
    expect(state.countedReplicas()).toEqual([]);
    expect(outcomes(state)).toEqual(before);
  });

  it.each([
    ['a run of exactly MAX_LISTED_RUN pods is listed pod by pod', MAX_LISTED_RUN, MAX_LISTED_RUN],
    ['a run of one more is one entry with its count', MAX_LISTED_RUN + 1, 1],
  ])('%s', (_name, pending, entries) => {
    // One m5.large node fits no 3000m pod: every replica is pending.
    const m = platform(oneNode, [shape({ replicas: pending })]);
    const byClass = placeStatic(m).result;
    const byPod = placeStatic(m, { podEquivalence: false }).result;
    expect(byClass.pendingPods).toHaveLength(entries);
    expect(byClass.pendingPods).toEqual(byPod.pendingPods);
    expect(pendingPodCount(byClass.pendingPods)).toBe(pending);
  });
});

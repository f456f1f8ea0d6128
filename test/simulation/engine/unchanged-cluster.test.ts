import fc from 'fast-check';
import { ClusterState } from '../../../simulation/engine/cluster-state';
import type { WorkloadSpec } from '../../../simulation/engine/workloads';
import { model, nodeGroup, object } from '../checks/fixture';

// A pending class that found no node is not tried again at the next scheduling pass while the cluster is unchanged:
// upstream keeps such pods in the unschedulable queue until a cluster event that may help them
// (kubernetes/kubernetes pkg/scheduler/backend/queue/scheduling_queue.go), and the Cluster Autoscaler checks one pod
// per equivalence group (cluster-autoscaler core/scaleup/equivalence/groups.go). The cluster version moves on every
// bind and unbind, node Ready or removed, taint and cordon. Speed must never change an answer: the class path gives
// what the pod-by-pod path (podEquivalence: false) gives after every step.

interface Shape { readonly name: string; readonly replicas: number; readonly cpu: string; readonly tolerates: boolean; readonly priority?: 'low' | 'high' }

const TAINT = { key: 'dedicated', value: 'batch', effect: 'NoSchedule' as const };

function platform(workloads: readonly Shape[], nodes = 1) {
  return model({
    nodeGroups: [nodeGroup({ name: 'g', instanceTypes: ['m5.large'], minSize: 1, desiredSize: nodes, maxSize: 10 })],
    objects: [
      object('PriorityClass', 'low', undefined, { value: 100 } as never),
      object('PriorityClass', 'high', undefined, { value: 1000 } as never),
      ...workloads.map((w) => object('Deployment', `default/${w.name}`, {
        replicas: w.replicas, selector: { matchLabels: { app: w.name } },
        template: { metadata: { labels: { app: w.name } }, spec: {
          containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu: w.cpu, memory: '64Mi' } } }],
          ...(w.tolerates ? { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }] } : {}),
          ...(w.priority ? { priorityClassName: w.priority } : {}),
        } },
      }, { apiVersion: 'apps/v1' })),
    ],
  });
}

/** Every pod: where it runs, or why it waits. */
function outcomes(state: ClusterState): string[] {
  return [...state.pods.values()].map((p) => `${p.key} ${p.phase} ${p.nodeName ?? '-'} ${p.lastMessage ?? ''}`).sort();
}

type Op =
  | { kind: 'pass' }
  | { kind: 'create'; workload: number; count: number }
  | { kind: 'delete'; pod: number }
  | { kind: 'taint'; node: number }
  | { kind: 'cordon'; node: number }
  | { kind: 'uncordon'; node: number }
  | { kind: 'launch' }
  | { kind: 'terminate'; node: number };

/** A state as the time simulation drives it: node group at its size, pods made one by one, one pass per step. */
class Run {
  readonly state: ClusterState;
  readonly workloads: WorkloadSpec[];
  private readonly ordinals = new Map<WorkloadSpec, number>();
  private t = 0;
  schedules = 0;

  constructor(workloads: readonly Shape[], podEquivalence: boolean) {
    this.state = new ClusterState(platform(workloads), { region: 'us-east-1', seed: 7, podEquivalence });
    this.state.launchNodeGroups(0);
    this.workloads = this.state.workloads.filter((w) => !w.daemonSet && w.namespace === 'default');
    for (const w of this.workloads) this.create(w, w.replicas);
    const schedule = this.state.scheduler.schedule.bind(this.state.scheduler);
    this.state.scheduler.schedule = (pod, snapshot) => {
      if (pod.metadata.namespace === 'default') this.schedules += 1;
      return schedule(pod, snapshot);
    };
  }

  private create(w: WorkloadSpec, count: number): void {
    for (let i = 0; i < count; i += 1) {
      const ordinal = this.ordinals.get(w) ?? 0;
      this.ordinals.set(w, ordinal + 1);
      this.state.createPod(w, ordinal, this.t);
    }
  }

  private node(index: number) {
    const nodes = [...this.state.nodes.values()];
    return nodes.length > 0 ? nodes[index % nodes.length] : undefined;
  }

  apply(op: Op): void {
    this.t += 15;
    const state = this.state;
    if (op.kind === 'pass') { state.readyNodes(this.t); state.progressPods(this.t); state.schedulePending(this.t, { preemption: true }); return; }
    if (op.kind === 'create') { this.create(this.workloads[op.workload % this.workloads.length], op.count); return; }
    if (op.kind === 'delete') {
      const keys = [...state.pods.keys()].filter((k) => k.startsWith('default/')).sort();
      if (keys.length > 0) state.deletePod(keys[op.pod % keys.length], this.t);
      return;
    }
    if (op.kind === 'launch') { state.launchNodeGroupNode('g', this.t, 0); return; }
    const node = this.node(op.node);
    if (!node) return;
    // Taints and uncordons are set on the Node object, as the engine's faults and the controllers' actions set them.
    if (op.kind === 'taint') node.node.spec.taints = (node.node.spec.taints ?? []).some((x) => x.key === TAINT.key) ? [] : [{ ...TAINT }];
    if (op.kind === 'cordon') state.cordon(node.name);
    if (op.kind === 'uncordon') node.node.spec.unschedulable = false;
    if (op.kind === 'terminate') state.terminate(node.name, 'test', this.t);
  }
}

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'pass' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), workload: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pod: fc.nat() }) },
  fc.record({ kind: fc.constant('taint' as const), node: fc.nat() }),
  fc.record({ kind: fc.constant('cordon' as const), node: fc.nat() }),
  fc.record({ kind: fc.constant('uncordon' as const), node: fc.nat() }),
  fc.record({ kind: fc.constant('launch' as const) }),
  fc.record({ kind: fc.constant('terminate' as const), node: fc.nat() }),
);

const arbShapes = fc.subarray(['web', 'api', 'batch'], { minLength: 1 }).chain((names) => fc.tuple(...names.map((name) => fc.record({
  name: fc.constant(name), replicas: fc.integer({ min: 0, max: 6 }), cpu: fc.constantFrom('250m', '600m', '900m', '1500m'), tolerates: fc.boolean(),
  priority: fc.constantFrom(undefined, 'low' as const, 'high' as const),
}))));

describe('scheduling passes on an unchanged cluster', () => {
  it('give after every step what the pod-by-pod path gives (random pods, nodes, taints, cordons, removals)', () => {
    fc.assert(fc.property(arbShapes, fc.array(arbOp, { minLength: 5, maxLength: 30 }), (shapes, ops) => {
      const byClass = new Run(shapes, true);
      const byPod = new Run(shapes, false);
      for (const op of [{ kind: 'pass' as const }, ...ops]) {
        byClass.apply(op);
        byPod.apply(op);
        expect(outcomes(byClass.state)).toEqual(outcomes(byPod.state));
      }
      expect(byClass.schedules).toBeLessThanOrEqual(byPod.schedules);
    }), { numRuns: 60, seed: 2121 });
  });

  const stuck: Shape[] = [{ name: 'web', replicas: 4, cpu: '1500m', tolerates: false }];

  it('tries a class that found no node once, not again at the next passes while nothing changed', () => {
    const run = new Run(stuck, true);
    run.apply({ kind: 'pass' });
    // m5.large (1930m allocatable, system pods aside) holds one 1500m pod: web-00000 binds, web-00001 stands for the rest.
    expect(run.schedules).toBe(2);
    for (let i = 0; i < 5; i += 1) run.apply({ kind: 'pass' });
    expect(run.schedules).toBe(2);
    expect(outcomes(run.state).filter((o) => o.includes(' Pending '))).toHaveLength(3);
  });

  it.each<[string, Op[]]>([
    ['a node joins (Ready)', [{ kind: 'launch' }]],
    ['a pod is removed (unbind)', [{ kind: 'delete', pod: 0 }]],
    ['a node is tainted', [{ kind: 'taint', node: 0 }]],
    ['a node is cordoned', [{ kind: 'cordon', node: 0 }]],
    ['a node is uncordoned on its Node object', [{ kind: 'uncordon', node: 0 }]],
  ])('tries it again when %s', (_name, change) => {
    const run = new Run(stuck, true);
    const reference = new Run(stuck, false);
    // Cordoned first, so that uncordoning is a change too.
    const setup: Op[] = change[0].kind === 'uncordon' ? [{ kind: 'pass' }, { kind: 'cordon', node: 0 }, { kind: 'pass' }] : [{ kind: 'pass' }, { kind: 'pass' }];
    for (const op of setup) { run.apply(op); reference.apply(op); }
    const before = run.schedules;
    for (const op of [...change, { kind: 'pass' } as const]) { run.apply(op); reference.apply(op); }
    expect(run.schedules).toBeGreaterThan(before);
    expect(outcomes(run.state)).toEqual(outcomes(reference.state));
  });
});

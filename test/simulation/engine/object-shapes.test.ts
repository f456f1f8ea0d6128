import { ClusterState, taintsWithout } from '../../../simulation/engine/cluster-state';
import { objectList } from '../../../simulation/model/object-list';
import { model, nodeGroup, object } from '../checks/fixture';

// The engine declares every field of its pod and node records when it creates them (undefined until set), so V8
// keeps one hidden class per kind of record and the per-step code is not deoptimised by fields added later. These
// tests pin what that must not change: the same fields in the same order for every record, and the JSON of a node
// record (undefined fields are left out, the rest in the order they had when they were added on the way).

function platform() {
  return model({
    nodeGroups: [nodeGroup({ name: 'g', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 2, maxSize: 4 })],
    objects: [
      object('Deployment', 'default/web', {
        replicas: 6, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu: '300m', memory: '64Mi' } } }] } },
      }, { apiVersion: 'apps/v1' }),
    ],
  });
}

/** A state after pods were created, bound, evicted and deleted and a node terminated: records in every stage. */
function exercised(): ClusterState {
  const state = new ClusterState(platform(), { region: 'us-east-1', seed: 7 });
  state.launchNodeGroups(0);
  const web = state.workloads.find((w) => w.name === 'web');
  if (!web) throw new Error('no web workload');
  for (let ordinal = 0; ordinal < web.replicas; ordinal += 1) state.createPod(web, ordinal, 0);
  state.schedulePending(10);
  const [first, second] = [...state.nodes.keys()];
  state.terminate(first, 'test', 20);
  state.schedulePending(30);
  const pending = [...state.pods.values()].find((p) => p.phase === 'Pending');
  if (pending) state.deletePod(pending.key, 40);
  state.taint(second, { key: 'dedicated', value: 'batch', effect: 'NoSchedule' }, true);
  return state;
}

describe('engine records keep one shape', () => {
  it('every pod has the same fields in the same order, whatever happened to it', () => {
    const state = exercised();
    const shapes = new Set([...state.pods.values(), ...state.deletedPods()].map((p) => Object.keys(p).join(',')));
    expect(shapes.size).toBe(1);
    expect([...shapes][0]).toBe('key,pod,workload,requests,ordinal,phase,nodeName,createdAt,pendingSince,pendingSeconds,scheduledAt,readyAt,lastMessage,pendingIntervals,volumeZone');
  });

  it('every node and node record has the same fields in the same order, terminated or not', () => {
    const state = exercised();
    expect(new Set(state.nodeHistory.map((n) => Object.keys(n).join(','))).size).toBe(1);
    expect(new Set(state.nodeHistory.map((n) => Object.keys(n.record).join(','))).size).toBe(1);
  });

  it('a node record in JSON lists readyAt, then the termination, after the launch fields', () => {
    const state = exercised();
    const terminated = state.nodeHistory.find((n) => n.record.terminatedAt !== undefined);
    expect(Object.keys(JSON.parse(JSON.stringify(terminated?.record)))).toEqual([
      'name', 'instanceType', 'zone', 'subnetId', 'capacityType', 'owner', 'launchedAt', 'usdPerHour', 'allocatable', 'maxPods', 'readyAt', 'terminatedAt', 'terminationReason',
    ]);
    const live = state.nodeHistory.find((n) => n.record.terminatedAt === undefined);
    expect(Object.keys(JSON.parse(JSON.stringify(live?.record)))).not.toContain('terminatedAt');
  });
});

describe('taintsWithout', () => {
  const a = { key: 'a', effect: 'NoSchedule' as const };
  const b = { key: 'b', effect: 'NoExecute' as const };

  it.each([
    ['no taints', undefined, 'a', []],
    ['the only taint removed', [a], 'a', []],
    ['another key kept', [a, b], 'a', [b]],
    ['nothing to remove', [a, b], 'c', [a, b]],
  ])('%s', (_name, taints, key, expected) => {
    const out = taintsWithout(taints, key);
    expect(out).toEqual(expected);
    // The same taint objects, in a new list.
    for (const taint of out) expect(taints).toContain(taint);
    expect(out).not.toBe(taints);
  });
});

describe('objectList', () => {
  it('is an empty array that takes objects', () => {
    const list = objectList<{ n: number }>();
    expect(list).toEqual([]);
    list.push({ n: 1 });
    expect(list).toEqual([{ n: 1 }]);
  });
});

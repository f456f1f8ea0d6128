import { freeRoom } from '../../../simulation/autoscaling/karpenter';
import type { SimPod } from '../../../simulation/autoscaling/types';
import { ClusterSnapshot, Scheduler } from '../../../simulation/scheduler';
import { makePod, nodeInfo } from '../helpers';

const simPod = (cpu: string, memory: string, daemonSet = false) => ({ pod: makePod('', { cpu, memory }), workload: { daemonSet } }) as unknown as SimPod;

describe('freeRoom: the resource bound that rules out a single-node consolidation', () => {
  // Free room: a 3 CPU / 6Gi, b 1 CPU / 1Gi, candidate c 4 CPU / 8Gi (its own room never counts).
  const nodes = [
    nodeInfo('a', { cpu: '4', memory: '8Gi', pods: '110' }, [makePod('', { cpu: '1', memory: '2Gi' })]),
    nodeInfo('b', { cpu: '2', memory: '2Gi', pods: '110' }, [makePod('', { cpu: '1', memory: '1Gi' })]),
    nodeInfo('c', { cpu: '4', memory: '8Gi', pods: '110' }),
  ];
  const room = freeRoom(nodes);

  it.each([
    ['pods that fit the largest other node', [simPod('2', '4Gi')], true],
    ['a pod larger than any other node has free (CPU)', [simPod('3500m', '1Gi')], false],
    ['a pod larger than any other node has free (memory)', [simPod('1', '7Gi')], false],
    ['pods that together exceed all other free room', [simPod('2', '1Gi'), simPod('2', '1Gi'), simPod('1', '1Gi')], false],
    ['pods that together just fit all other free room', [simPod('2', '1Gi'), simPod('1', '1Gi'), simPod('1', '1Gi')], true],
    ['DaemonSet pods, which do not move', [simPod('8', '64Gi', true)], true],
  ])('%s', (_name, pods, expected) => {
    expect(room.couldHold(nodes[2], pods)).toBe(expected);
  });
});

describe('Scheduler.firstFit', () => {
  it('returns the first feasible node in snapshot order and leaves the snapshot as it was', () => {
    const snapshot = ClusterSnapshot.fromNodes([
      nodeInfo('full', { cpu: '1', memory: '1Gi', pods: '110' }, [makePod('', { cpu: '1', memory: '1Gi' })]),
      nodeInfo('second', { cpu: '2', memory: '2Gi', pods: '110' }),
      nodeInfo('third', { cpu: '8', memory: '8Gi', pods: '110' }),
    ]);
    const scheduler = new Scheduler();
    expect(scheduler.firstFit(makePod('p', { cpu: '500m', memory: '256Mi' }), snapshot)?.name).toBe('second');
    expect(scheduler.firstFit(makePod('big', { cpu: '4', memory: '1Gi' }), snapshot)?.name).toBe('third');
    expect(scheduler.firstFit(makePod('huge', { cpu: '16', memory: '1Gi' }), snapshot)).toBeUndefined();
    expect(snapshot.nodes.map((n) => n.name)).toEqual(['full', 'second', 'third']);
  });
});

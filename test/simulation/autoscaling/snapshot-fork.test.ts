import { ClusterSnapshot } from '../../../simulation/scheduler';
import { makePod, nodeInfo } from '../helpers';

// kubernetes/autoscaler cluster-autoscaler/simulator/clustersnapshot: Fork() starts a what-if, Revert() drops
// it, Commit() keeps it; forks nest.
describe('ClusterSnapshot fork / revert / commit', () => {
  const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });
  const build = () => {
    const web = makePod('web-0', { cpu: '1' }, {}, { app: 'web' });
    const snapshot = ClusterSnapshot.fromNodes([
      nodeInfo('a', { cpu: '4', memory: '8Gi', pods: '110' }, [web], zone('z1')),
      nodeInfo('b', { cpu: '4', memory: '8Gi', pods: '110' }, [], zone('z2')),
      nodeInfo('c', { cpu: '4', memory: '8Gi', pods: '110' }, [], zone('z3')),
    ]);
    return { snapshot, web };
  };
  const state = (s: ClusterSnapshot) => ({
    order: s.nodes.map((n) => n.name),
    pods: s.nodes.map((n) => n.pods.map((p) => p.metadata.name).sort()),
    requested: s.nodes.map((n) => n.requested.milliCpu),
    generations: s.nodes.map((n) => n.generation),
    counts: [...s.countByDomain('all', { matchLabels: { app: 'web' } }, 'topology.kubernetes.io/zone').entries()].sort(),
  });

  it('revert undoes node removals (keeping node order), pod moves and added nodes', () => {
    const { snapshot, web } = build();
    const before = state(snapshot);
    snapshot.fork();
    snapshot.removeNode('a');
    snapshot.addPod(web, 'c');
    snapshot.addNode(nodeInfo('new', { cpu: '2', memory: '2Gi', pods: '110' }, [], zone('z2')));
    snapshot.addPod(makePod('web-1', { cpu: '1' }, {}, { app: 'web' }), 'new');
    expect(state(snapshot).counts).toEqual([['z2', 1], ['z3', 1]]);
    snapshot.revert();
    expect(state(snapshot)).toEqual(before);
    expect(snapshot.get('new')).toBeUndefined();
    expect(snapshot.nodeOfPod('default/web-0')?.name).toBe('a');
  });

  it('commit keeps the changes; a nested revert only drops the inner fork', () => {
    const { snapshot } = build();
    snapshot.fork();
    snapshot.addPod(makePod('x', { cpu: '2' }), 'b');
    snapshot.fork();
    snapshot.removeNode('c');
    snapshot.revert();
    expect(snapshot.nodes.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    snapshot.commit();
    expect(snapshot.forked).toBe(false);
    expect(snapshot.get('b')?.requested.milliCpu).toBe(2000);
  });

  it('a committed inner fork is reverted with its outer fork', () => {
    const { snapshot } = build();
    const before = state(snapshot);
    snapshot.fork();
    snapshot.fork();
    snapshot.addPod(makePod('y', { cpu: '1' }), 'c');
    snapshot.commit();
    snapshot.revert();
    expect(state(snapshot)).toEqual(before);
  });

  it('whatIf reverts even when the what-if throws', () => {
    const { snapshot } = build();
    const before = state(snapshot);
    expect(() => snapshot.whatIf(() => { snapshot.removeNode('b'); throw new Error('boom'); })).toThrow('boom');
    expect(state(snapshot)).toEqual(before);
  });

  it('revert without a fork is a bug, reported', () => {
    expect(() => build().snapshot.revert()).toThrow('without fork');
  });
});

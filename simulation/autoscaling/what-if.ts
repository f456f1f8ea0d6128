import type { ClusterView, SimNode, SimPod } from './types';

/**
 * Runs `check` in a fork of the cluster snapshot with these nodes taken out, handing it their non-DaemonSet pods
 * (it may bind them elsewhere or add imagined nodes); everything is reverted afterwards
 * (cluster-autoscaler simulator/clustersnapshot Fork/Revert, as the scale-down and consolidation simulations use it).
 */
export function withoutNodes<T>(view: ClusterView, nodes: readonly SimNode[], check: (pods: SimPod[]) => T): T {
  const pods = nodes.flatMap((n) => view.podsOn(n.name).filter((p) => !p.workload.daemonSet));
  return view.snapshot.whatIf(() => {
    for (const node of nodes) view.snapshot.removeNode(node.name);
    return check(pods);
  });
}

import type { Container, Node, Pod, PodSpec, Taint } from '../../../../simulation/model/kubernetes';
import { ClusterSnapshot, NodeInfo, podInfo, SKIP, type CycleState, type ScorePlugin } from '../../../../simulation/scheduler';

// Builders in the spirit of upstream's pkg/scheduler/testing wrappers (st.MakePod(), st.MakeNode()).

let serial = 0;

/** A pod with one container per request map (st.MakePod().Req(...).Req(...)); no containers when none is given. */
export function pod(requests: Record<string, string>[] = [], spec: Partial<PodSpec> = {}, meta: { name?: string; namespace?: string; labels?: Record<string, string>; node?: string; terminating?: boolean } = {}): Pod {
  serial += 1;
  const containers: Container[] = requests.map((r, i) => ({ name: `c${i}`, resources: { requests: r } }));
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: meta.name ?? `p${serial}`, namespace: meta.namespace ?? 'default', labels: meta.labels ?? {}, ...(meta.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers, ...(meta.node ? { nodeName: meta.node } : {}), ...spec },
  };
}

/** A pod with one container that requests nothing (st.MakePod().Container("container")). */
export function podWithEmptyContainer(meta: { node?: string } = {}): Pod {
  const p = pod([], {}, meta);
  p.spec.containers = [{ name: 'container' }];
  return p;
}

/** A node with capacity = allocatable (st.MakeNode().Capacity(...)), labels and taints. */
export function node(name: string, capacity: Record<string, string> = {}, labels: Record<string, string> = {}, taints: Taint[] = []): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels },
    spec: { taints },
    status: { capacity, allocatable: capacity },
  };
}

/** NodeInfos with the pods whose spec.nodeName names them, in a snapshot (cache.NewSnapshot(pods, nodes)). */
export function snapshotOf(nodes: Node[], pods: Pod[] = []): { snapshot: ClusterSnapshot; infos: NodeInfo[] } {
  const infos = nodes.map((n) => new NodeInfo(n));
  const byName = new Map(infos.map((i) => [i.name, i]));
  for (const p of pods) byName.get(p.spec.nodeName ?? '')?.addPod(p);
  return { snapshot: new ClusterSnapshot(infos), infos };
}

export function cycle(p: Pod, snapshot: ClusterSnapshot): CycleState {
  return { pod: p, info: podInfo(p), snapshot, data: new Map() };
}

/** Runs PreScore (unless told not to), Score per node and NormalizeScore, as the plugin tests do; 'skip' when PreScore skips. */
export function scores(plugin: ScorePlugin, p: Pod, nodes: Node[], pods: Pod[] = [], options: { preScore?: boolean; normalize?: boolean; filtered?: string[] } = {}): number[] | 'skip' {
  const { snapshot, infos } = snapshotOf(nodes, pods);
  const state = cycle(p, snapshot);
  const filtered = options.filtered ? infos.filter((i) => options.filtered?.includes(i.name)) : infos;
  if ((options.preScore ?? true) && plugin.preScore?.(state, filtered) === SKIP) return 'skip';
  const out = filtered.map((i) => plugin.score(p, i, state));
  if (options.normalize ?? true) plugin.normalize?.(out, state);
  return out;
}

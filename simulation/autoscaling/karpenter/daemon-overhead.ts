import type { Pod } from '../../model/kubernetes';
import { podInfo, tolerates } from '../../scheduler/pod-info';
import type { KarpenterInstanceType, PreparedNodePool } from './instance-types';
import { INSTANCE_TYPE_KEYS, WELL_KNOWN_LABELS } from './instance-types';
import { Requirements } from './requirements';

/** What the DaemonSet pods of one instance type of a NodePool reserve on every new node of that type. */
export interface DaemonOverhead {
  readonly milliCpu: number;
  readonly memoryBytes: number;
  readonly pods: number;
  readonly gpus: number;
  readonly hostPorts: readonly string[];
}

export const NO_DAEMON_OVERHEAD: DaemonOverhead = Object.freeze({ milliCpu: 0, memoryBytes: 0, pods: 0, gpus: 0, hostPorts: Object.freeze([]) as readonly string[] });

/**
 * Whether a DaemonSet pod would run on a node of this NodePool and instance type (kubernetes-sigs/karpenter
 * pkg/controllers/provisioning/scheduling/scheduler.go isDaemonPodCompatible): it tolerates the NodePool's
 * NoSchedule/NoExecute taints (PreferNoSchedule is tolerated), the NodePool's requirements are compatible with
 * one of its node affinity terms (tried in order) and the type's labels intersect them. No size check: a
 * DaemonSet pod too large for a type still counts, so that type is never chosen for pods it cannot hold.
 */
export function daemonPodCompatible(pool: PreparedNodePool, type: KarpenterInstanceType, pod: Pod): boolean {
  for (const taint of pool.taints) {
    if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, taint)) return false;
  }
  const terms = Math.max(1, pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.length ?? 0);
  for (let term = 0; term < terms; term += 1) {
    const requirements = Requirements.fromPod(pod, term);
    if (pool.requirements.compatible(requirements, WELL_KNOWN_LABELS) && requirements.matchesOn(type.labels, INSTANCE_TYPE_KEYS)) return true;
  }
  return false;
}

// Per DaemonSet list and NodePool object, the overhead of each type already worked out: consolidation re-solves on
// copies of a pool (fewer types, same requirements and taints) every pass.
const CACHE = new WeakMap<readonly Pod[], WeakMap<object, Map<string, DaemonOverhead>>>();

/** Per instance type of the pool, the summed requests of its compatible DaemonSet pods (scheduler.go buildDaemonOverheadGroups). */
export function daemonOverheadByType(pool: PreparedNodePool, daemonPods: readonly Pod[]): Map<string, DaemonOverhead> {
  let byPool = CACHE.get(daemonPods);
  if (!byPool) { byPool = new WeakMap(); CACHE.set(daemonPods, byPool); }
  let known = byPool.get(pool.pool);
  if (!known) { known = new Map(); byPool.set(pool.pool, known); }
  const missing = pool.types.filter((t) => !known?.has(t.info.name));
  if (missing.length > 0) for (const [name, overhead] of computeOverheads({ ...pool, types: missing }, daemonPods)) known.set(name, overhead);
  return known;
}

function computeOverheads(pool: PreparedNodePool, daemonPods: readonly Pod[]): Map<string, DaemonOverhead> {
  const out = new Map<string, DaemonOverhead>();
  // Types with the same compatible set share one entry, as upstream groups them.
  const groups = new Map<string, DaemonOverhead>();
  for (const type of pool.types) {
    const compatible = daemonPods.filter((pod) => daemonPodCompatible(pool, type, pod));
    const key = compatible.map((p) => podInfo(p).key).join(',');
    let overhead = groups.get(key);
    if (!overhead) {
      let milliCpu = 0;
      let memoryBytes = 0;
      let gpus = 0;
      const hostPorts: string[] = [];
      for (const pod of compatible) {
        const info = podInfo(pod);
        milliCpu += info.requests.milliCpu;
        memoryBytes += info.requests.memoryBytes;
        gpus += (info.requests.scalar['nvidia.com/gpu'] ?? 0) + (info.requests.scalar['aws.amazon.com/neuron'] ?? 0);
        hostPorts.push(...info.hostPorts);
      }
      overhead = compatible.length === 0 ? NO_DAEMON_OVERHEAD : { milliCpu, memoryBytes, pods: compatible.length, gpus, hostPorts };
      groups.set(key, overhead);
    }
    out.set(type.info.name, overhead);
  }
  return out;
}

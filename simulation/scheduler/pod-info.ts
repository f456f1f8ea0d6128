import type { Pod, Taint, Toleration } from '../model/kubernetes';
import { nonZeroRequests, podRequests, type Resources } from './resources';

/** What the scheduler derives once from a pod (parsed quantities, keys), cached per pod object. */
export interface PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly requests: Resources;
  readonly nonZero: { milliCpu: number; memoryBytes: number };
  readonly priority: number;
  readonly hostPorts: string[];
  readonly hasRequiredAntiAffinity: boolean;
}

const CACHE = new WeakMap<Pod, PodInfo>();

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

export function podInfo(pod: Pod): PodInfo {
  let info = CACHE.get(pod);
  if (!info) {
    const hostPorts: string[] = [];
    for (const c of pod.spec.containers) for (const p of c.ports ?? []) if (p.hostPort) hostPorts.push(`${p.protocol ?? 'TCP'}/${p.hostIP ?? '0.0.0.0'}/${p.hostPort}`);
    info = {
      key: podKey(pod),
      namespace: pod.metadata.namespace ?? 'default',
      labels: pod.metadata.labels ?? {},
      requests: podRequests(pod),
      nonZero: nonZeroRequests(pod),
      priority: pod.spec.priority ?? 0,
      hostPorts,
      hasRequiredAntiAffinity: (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0,
    };
    CACHE.set(pod, info);
  }
  return info;
}

/** Whether a toleration tolerates a taint (k8s.io/api/core/v1 toleration.go ToleratesTaint). */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

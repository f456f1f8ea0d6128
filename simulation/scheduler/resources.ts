import type { Container, Pod, ResourceMap } from '../model/kubernetes';
import { parseBytes, parseCount, parseMilliCpu } from '../model/quantity';

/** Resource amounts in base units: millicores, bytes, counts. */
export interface Resources {
  milliCpu: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  pods: number;
  /** Extended resources (nvidia.com/gpu, aws.amazon.com/neuron, vpc.amazonaws.com/pod-eni, hugepages-*). */
  scalar: Record<string, number>;
}

export function emptyResources(): Resources {
  return { milliCpu: 0, memoryBytes: 0, ephemeralStorageBytes: 0, pods: 0, scalar: {} };
}

/** Parses a Kubernetes ResourceList (requests, allocatable) into base units. */
export function resourcesOf(map: ResourceMap | undefined, where: { input?: string; field?: string } = {}): Resources {
  const out = emptyResources();
  for (const [name, value] of Object.entries(map ?? {})) {
    const field = where.field ? `${where.field}.${name}` : name;
    switch (name) {
      case 'cpu': out.milliCpu = parseMilliCpu(value, { input: where.input, field }); break;
      case 'memory': out.memoryBytes = parseBytes(value, { input: where.input, field }); break;
      case 'ephemeral-storage': out.ephemeralStorageBytes = parseBytes(value, { input: where.input, field }); break;
      case 'pods': out.pods = parseCount(value, { input: where.input, field }); break;
      default: out.scalar[name] = parseCount(value, { input: where.input, field });
    }
  }
  return out;
}

export function addInto(target: Resources, delta: Resources, sign = 1): void {
  target.milliCpu += sign * delta.milliCpu;
  target.memoryBytes += sign * delta.memoryBytes;
  target.ephemeralStorageBytes += sign * delta.ephemeralStorageBytes;
  target.pods += sign * delta.pods;
  // for-in, not Object.entries: no array per call (NodeInfo adds and removes a pod's requests on every bind).
  for (const name in delta.scalar) target.scalar[name] = (target.scalar[name] ?? 0) + sign * delta.scalar[name];
}

function maxInto(target: Resources, other: Resources): void {
  target.milliCpu = Math.max(target.milliCpu, other.milliCpu);
  target.memoryBytes = Math.max(target.memoryBytes, other.memoryBytes);
  target.ephemeralStorageBytes = Math.max(target.ephemeralStorageBytes, other.ephemeralStorageBytes);
  for (const [name, value] of Object.entries(other.scalar)) target.scalar[name] = Math.max(target.scalar[name] ?? 0, value);
}

function containerRequests(container: Container, podName: string, index: number, kind: string): Resources {
  // A container with limits but no requests gets requests = limits (API defaulting, pkg/apis/core/v1/defaults.go).
  const requests = { ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) };
  return resourcesOf(requests, { input: `Pod ${podName}`, field: `spec.${kind}[${index}].resources.requests` });
}

/**
 * A pod's effective request as the scheduler sees it (k8s.io/component-helpers/resource/helpers.go PodRequests):
 * the sum of app containers and restartable init (sidecar) containers, or the largest regular init container
 * plus the sidecars started before it, whichever is larger, plus the pod overhead; one pod slot.
 */
export function podRequests(pod: Pod): Resources {
  const name = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
  const total = emptyResources();
  pod.spec.containers.forEach((c, i) => addInto(total, containerRequests(c, name, i, 'containers')));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  (pod.spec.initContainers ?? []).forEach((c, i) => {
    const r = containerRequests(c, name, i, 'initContainers');
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      addInto(total, r);
    } else {
      const withSidecars = emptyResources();
      addInto(withSidecars, r);
      addInto(withSidecars, sidecars);
      maxInto(initMax, withSidecars);
    }
  });
  maxInto(total, initMax);
  if (pod.spec.overhead) addInto(total, resourcesOf(pod.spec.overhead, { input: `Pod ${name}`, field: 'spec.overhead' }));
  total.pods = 1;
  return total;
}

/** Requests used for scoring: containers without a request count as 100m CPU / 200Mi (pkg/scheduler/util/pod_resources.go). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function nonZeroRequests(pod: Pod, total: Resources = podRequests(pod)): { milliCpu: number; memoryBytes: number } {
  let milliCpu = 0;
  let memoryBytes = 0;
  for (const c of pod.spec.containers) {
    const requests = c.resources?.requests ?? {};
    milliCpu += requests.cpu !== undefined ? parseMilliCpu(requests.cpu) : DEFAULT_MILLI_CPU_REQUEST;
    memoryBytes += requests.memory !== undefined ? parseBytes(requests.memory) : DEFAULT_MEMORY_REQUEST;
  }
  return { milliCpu: Math.max(milliCpu, total.milliCpu), memoryBytes: Math.max(memoryBytes, total.memoryBytes) };
}

import type { Container, Pod, ResourceMap } from '../model/kubernetes';
import { parseBytes, parseCount, parseMilliCpu, type QuantityContext } from '../model/quantity';

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

// Parsed quantity strings by unit. A cluster's pod specs name few distinct quantities ('100m', '128Mi'), and a
// pod's requests are read once per pod (thousands per run): each string is parsed once, its errors still named at
// the pod that has it (a string that fails to parse is never cached, so every pod naming it fails on its own).
const MILLI_CPU_STRINGS = new Map<string, number>();
const BYTES_STRINGS = new Map<string, number>();
const COUNT_STRINGS = new Map<string, number>();
const MAX_CACHED_STRINGS = 4096;

type Parse = (value: string | number, where?: QuantityContext) => number;

/** A request's amount, parsed once per distinct string; the error (on a miss only) names the pod and field. */
function requestAmount(cache: Map<string, number>, parse: Parse, value: string | number, pod: Pod | undefined, kind: string, index: number, name: string): number {
  if (typeof value === 'string') {
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
  }
  const where: QuantityContext = pod ? { input: `Pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`, field: `spec.${kind}[${index}].resources.requests.${name}` } : {};
  const parsed = parse(value, where);
  if (typeof value === 'string') {
    if (cache.size >= MAX_CACHED_STRINGS) cache.clear();
    cache.set(value, parsed);
  }
  return parsed;
}

/**
 * Adds one container's requests to `target`, as resourcesOf(requests) then addInto would, without the
 * intermediate objects. A container with limits but no requests gets requests = limits (API defaulting,
 * pkg/apis/core/v1/defaults.go): the limits' names first, then the requests' others, as `{ ...limits, ...requests }`.
 */
function addContainerRequests(target: Resources, container: Container, pod: Pod, index: number, kind: string): void {
  const resources = container.resources;
  if (!resources) return;
  const limits = resources.limits;
  let map = resources.requests;
  if (limits) {
    let any = false;
    for (const name in limits) if (Object.prototype.hasOwnProperty.call(limits, name)) { any = true; break; }
    if (any) map = { ...limits, ...(map ?? {}) };
  }
  if (!map) return;
  for (const name in map) {
    if (!Object.prototype.hasOwnProperty.call(map, name)) continue;
    const value = map[name];
    switch (name) {
      case 'cpu': target.milliCpu += requestAmount(MILLI_CPU_STRINGS, parseMilliCpu, value, pod, kind, index, name); break;
      case 'memory': target.memoryBytes += requestAmount(BYTES_STRINGS, parseBytes, value, pod, kind, index, name); break;
      case 'ephemeral-storage': target.ephemeralStorageBytes += requestAmount(BYTES_STRINGS, parseBytes, value, pod, kind, index, name); break;
      case 'pods': target.pods += requestAmount(COUNT_STRINGS, parseCount, value, pod, kind, index, name); break;
      default: target.scalar[name] = (target.scalar[name] ?? 0) + requestAmount(COUNT_STRINGS, parseCount, value, pod, kind, index, name);
    }
  }
}

/**
 * A pod's effective request as the scheduler sees it (k8s.io/component-helpers/resource/helpers.go PodRequests):
 * the sum of app containers and restartable init (sidecar) containers, or the largest regular init container
 * plus the sidecars started before it, whichever is larger, plus the pod overhead; one pod slot.
 */
export function podRequests(pod: Pod): Resources {
  const total = emptyResources();
  const containers = pod.spec.containers;
  for (let i = 0; i < containers.length; i += 1) addContainerRequests(total, containers[i], pod, i, 'containers');
  const init = pod.spec.initContainers;
  if (init && init.length > 0) {
    const sidecars = emptyResources();
    const initMax = emptyResources();
    init.forEach((c, i) => {
      const r = emptyResources();
      addContainerRequests(r, c, pod, i, 'initContainers');
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
  }
  if (pod.spec.overhead) addInto(total, resourcesOf(pod.spec.overhead, { input: `Pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`, field: 'spec.overhead' }));
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
    milliCpu += requests.cpu !== undefined ? requestAmount(MILLI_CPU_STRINGS, parseMilliCpu, requests.cpu, undefined, '', 0, '') : DEFAULT_MILLI_CPU_REQUEST;
    memoryBytes += requests.memory !== undefined ? requestAmount(BYTES_STRINGS, parseBytes, requests.memory, undefined, '', 0, '') : DEFAULT_MEMORY_REQUEST;
  }
  return { milliCpu: Math.max(milliCpu, total.milliCpu), memoryBytes: Math.max(memoryBytes, total.memoryBytes) };
}

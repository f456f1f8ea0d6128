// PodInfo is derived once per frozen pod spec (the replicas of a workload share one), and quantity strings are
// parsed once each. Both are caches: every answer must equal what parsing each pod on its own gives. The
// reference below sums requests as component-helpers/resource/helpers.go PodRequests does, with the plain
// per-container resourcesOf, and the non-zero requests as pkg/scheduler/util/pod_resources.go.
import fc from 'fast-check';
import type { Container, Pod, PodSpec, ResourceMap } from '../../../simulation/model/kubernetes';
import { EksplanError } from '../../../simulation/model/errors';
import { podInfo } from '../../../simulation/scheduler/pod-info';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, podRequests, resourcesOf, type Resources } from '../../../simulation/scheduler/resources';

function referenceRequests(pod: Pod): Resources {
  const sum = (into: Resources, r: Resources) => {
    into.milliCpu += r.milliCpu; into.memoryBytes += r.memoryBytes; into.ephemeralStorageBytes += r.ephemeralStorageBytes; into.pods += r.pods;
    for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + v;
  };
  const max = (into: Resources, r: Resources) => {
    into.milliCpu = Math.max(into.milliCpu, r.milliCpu); into.memoryBytes = Math.max(into.memoryBytes, r.memoryBytes);
    into.ephemeralStorageBytes = Math.max(into.ephemeralStorageBytes, r.ephemeralStorageBytes);
    for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = Math.max(into.scalar[k] ?? 0, v);
  };
  const empty = (): Resources => ({ milliCpu: 0, memoryBytes: 0, ephemeralStorageBytes: 0, pods: 0, scalar: {} });
  const of = (c: Container) => resourcesOf({ ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
  const total = empty();
  for (const c of pod.spec.containers) sum(total, of(c));
  const sidecars = empty();
  const initMax = empty();
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') { sum(sidecars, of(c)); sum(total, of(c)); continue; }
    const withSidecars = empty();
    sum(withSidecars, of(c));
    sum(withSidecars, sidecars);
    max(initMax, withSidecars);
  }
  max(total, initMax);
  if (pod.spec.overhead) sum(total, resourcesOf(pod.spec.overhead));
  total.pods = 1;
  return total;
}

function referenceNonZero(pod: Pod, total: Resources): { milliCpu: number; memoryBytes: number } {
  let milliCpu = 0;
  let memoryBytes = 0;
  for (const c of pod.spec.containers) {
    const r = resourcesOf(c.resources?.requests ?? {});
    milliCpu += c.resources?.requests?.cpu !== undefined ? r.milliCpu : DEFAULT_MILLI_CPU_REQUEST;
    memoryBytes += c.resources?.requests?.memory !== undefined ? r.memoryBytes : DEFAULT_MEMORY_REQUEST;
  }
  return { milliCpu: Math.max(milliCpu, total.milliCpu), memoryBytes: Math.max(memoryBytes, total.memoryBytes) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const pod = (name: string, spec: PodSpec): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'apps', labels: { app: 'web' } }, spec });

const quantity = {
  cpu: fc.constantFrom('100m', '250m', '1', '1.5', '2000m', 2),
  memory: fc.constantFrom('128Mi', '1Gi', '512M', '1e3', 1024),
  'ephemeral-storage': fc.constantFrom('1Gi', '10G'),
  'nvidia.com/gpu': fc.constantFrom('1', '2'),
  'hugepages-2Mi': fc.constantFrom('4Mi'),
};
const resourceMap: fc.Arbitrary<ResourceMap> = fc.record(quantity, { requiredKeys: [] }) as fc.Arbitrary<ResourceMap>;
const container = (name: string) => fc.record({
  requests: fc.option(resourceMap, { nil: undefined }),
  limits: fc.option(resourceMap, { nil: undefined }),
  hostPort: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  sidecar: fc.boolean(),
}).map(({ requests, limits, hostPort, sidecar }): Container => ({
  name, image: 'i',
  ...(requests || limits ? { resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } } : {}),
  ...(hostPort ? { ports: [{ containerPort: 80, hostPort }] } : {}),
  ...(sidecar ? { restartPolicy: 'Always' } : {}),
}));
const spec: fc.Arbitrary<PodSpec> = fc.record({
  containers: fc.array(container('c'), { minLength: 1, maxLength: 3 }),
  initContainers: fc.option(fc.array(container('init'), { maxLength: 3 }), { nil: undefined }),
  overhead: fc.option(fc.record({ cpu: quantity.cpu }, { requiredKeys: [] }) as fc.Arbitrary<ResourceMap>, { nil: undefined }),
  antiAffinity: fc.boolean(),
  priority: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
}).map(({ containers, initContainers, overhead, antiAffinity, priority }) => ({
  containers: containers.map((c) => { const { restartPolicy: _, ...rest } = c; return rest; }),
  ...(initContainers ? { initContainers } : {}),
  ...(overhead ? { overhead } : {}),
  ...(priority !== undefined ? { priority } : {}),
  ...(antiAffinity ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } } : {}),
}));

describe('PodInfo shared per frozen spec and cached quantity parsing', () => {
  it('gives every pod what parsing it on its own gives, with a frozen shared spec or a spec of its own (property)', () => {
    fc.assert(fc.property(spec, (s) => {
      const expected = referenceRequests(pod('reference', structuredClone(s)));
      const own = [pod('own-a', structuredClone(s)), pod('own-b', structuredClone(s))];
      const frozen = deepFreeze(structuredClone(s));
      const shared = [pod('shared-a', frozen), pod('shared-b', frozen)];
      for (const p of [...own, ...shared]) {
        const info = podInfo(p);
        expect(info.requests).toEqual(expected);
        expect(podRequests(p)).toEqual(expected);
        expect(info.scalarRequestNames).toEqual(Object.keys(expected.scalar));
        expect(info.nonZero).toEqual(referenceNonZero(p, expected));
        expect(info.key).toBe(`apps/${p.metadata.name}`);
        expect(info.priority).toBe(s.priority ?? 0);
        expect(info.hasRequiredAntiAffinity).toBe(s.affinity !== undefined);
        expect(info.hasAffinityTerms).toBe(s.affinity !== undefined);
        expect(info.hostPorts).toEqual(s.containers.flatMap((c) => (c.ports ?? []).map((port) => `TCP/0.0.0.0/${port.hostPort}`)));
      }
      // One derivation for the replicas sharing the frozen spec; one each for specs that may change.
      expect(podInfo(shared[0]).requests).toBe(podInfo(shared[1]).requests);
      expect(podInfo(own[0]).requests).not.toBe(podInfo(own[1]).requests);
    }));
  });

  it('reads an unfrozen spec edited between two pods afresh for the second pod', () => {
    const s: PodSpec = { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '100m' } } }] };
    const first = pod('first', s);
    expect(podInfo(first).requests.milliCpu).toBe(100);
    (s.containers[0].resources as { requests: ResourceMap }).requests.cpu = '300m';
    expect(podInfo(pod('second', s)).requests.milliCpu).toBe(300);
  });

  it('fails on a bad quantity for every pod that has it, naming that pod and the field', () => {
    const frozen = deepFreeze<PodSpec>({ containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1', memory: 'lots' } } }] });
    for (const name of ['bad-a', 'bad-b']) {
      const error = (() => { try { podInfo(pod(name, frozen)); } catch (e) { return e; } return undefined; })();
      expect(error).toBeInstanceOf(EksplanError);
      expect((error as Error).message).toContain(`Pod apps/${name}`);
      expect((error as Error).message).toContain('spec.containers[0].resources.requests.memory');
    }
  });
});

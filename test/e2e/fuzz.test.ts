import * as fc from 'fast-check';
import { parseScenario, placeStatic, simulate } from '../../simulation/engine';
import type { ClusterModel } from '../../simulation/model/cluster';
import { checkKubernetesSchemas } from '../../simulation/checks';
import { EksplanError } from '../../simulation/model/errors';
import { podInfo, tolerates } from '../../simulation/scheduler';
import { model, nodeGroup, object } from '../simulation/checks/fixture';

// Property-based: random workloads and scenarios either simulate or fail with an EksplanError, and the
// result keeps the invariants (no node over its allocatable, no pod on a node whose taints it does not
// tolerate, addresses within the subnet, replicas within HPA bounds).
const quantity = fc.oneof(fc.constantFrom('100m', '250m', '1', '2', '0.5', '512Mi', '1Gi', '64Mi', '3Gi'), fc.string({ maxLength: 6 }));
const workload = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd'),
  replicas: fc.integer({ min: 0, max: 40 }),
  cpu: quantity,
  memory: quantity,
  tolerate: fc.boolean(),
  spread: fc.constantFrom('none', 'ScheduleAnyway', 'DoNotSchedule'),
  hpa: fc.option(fc.record({ min: fc.integer({ min: 1, max: 5 }), max: fc.integer({ min: 1, max: 30 }) })),
});
const cluster = fc.record({
  workloads: fc.array(workload, { maxLength: 4 }),
  type: fc.constantFrom('m5.large', 't3.small', 'c6g.xlarge', 'm7i.2xlarge'),
  desired: fc.integer({ min: 0, max: 6 }),
  tainted: fc.boolean(),
  cidr: fc.constantFrom('10.0.32.0/19', '10.0.200.0/26', '10.0.201.0/24'),
  durationMinutes: fc.integer({ min: -5, max: 90 }),
  rps: fc.integer({ min: 0, max: 5000 }),
});

type ClusterInput = typeof cluster extends fc.Arbitrary<infer T> ? T : never;

function build(input: ClusterInput): ClusterModel {
  const base = model();
  const objects = input.workloads.flatMap((w, i) => {
    const name = `${w.name}${i}`;
    const labels = { app: name };
    const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: w.cpu, memory: w.memory } } }] };
    if (w.tolerate) spec.tolerations = [{ key: 'dedicated', operator: 'Exists' }];
    if (w.spread !== 'none') spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: w.spread, labelSelector: { matchLabels: labels } }];
    const out = [object('Deployment', `default/${name}`, { replicas: w.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } })];
    if (w.hpa) out.push(object('HorizontalPodAutoscaler', `default/${name}`, { scaleTargetRef: { kind: 'Deployment', name }, minReplicas: w.hpa.min, maxReplicas: w.hpa.max, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }));
    return out;
  });
  return model({
    subnets: [...base.subnets.filter((s) => s.public), { id: 'Pods', cidr: input.cidr, availabilityZone: 'us-east-1a', public: false, tags: {} }],
    nodeGroups: [nodeGroup({ name: 'ng', instanceTypes: [input.type], minSize: 0, desiredSize: input.desired, maxSize: Math.max(input.desired, 4), subnetIds: ['Pods'], taints: input.tainted ? [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] : [] })],
    objects,
  });
}

describe('fuzz: the simulation returns a result or an EksplanError, and keeps its invariants', () => {
  it('holds for 1,000 random clusters and scenarios', () => {
    let results = 0;
    let errors = 0;
    fc.assert(fc.property(cluster, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (input, seed) => {
      let m: ClusterModel;
      try {
        m = build(input);
        const { state } = placeStatic(m, { seed });
        for (const node of state.nodes.values()) {
          expect(node.info.requested.milliCpu).toBeLessThanOrEqual(node.info.allocatable.milliCpu);
          expect(node.info.requested.memoryBytes).toBeLessThanOrEqual(node.info.allocatable.memoryBytes);
          expect(node.info.podCount()).toBeLessThanOrEqual(node.info.allocatable.pods);
          for (const pod of node.info.pods) {
            for (const taint of node.info.taints) {
              if (taint.effect === 'NoSchedule') expect(tolerates(pod.spec.tolerations, taint)).toBe(true);
            }
            expect(podInfo(pod).key).toBeTruthy();
          }
        }
        for (const pool of state.subnetPools.values()) expect(pool.inUse()).toBeLessThanOrEqual(pool.usable);
        if (input.durationMinutes > 0 && input.workloads.length > 0) {
          const scenario = parseScenario({ duration: `${input.durationMinutes}m`, step: '30s', seed: seed % 1000, loads: [{ workload: `default/${input.workloads[0].name}0`, profile: { type: 'constant', rps: input.rps } }] });
          const result = simulate(m, scenario, { warmupSeconds: 60 });
          for (const [i, w] of input.workloads.entries()) {
            if (!w.hpa || w.hpa.max < w.hpa.min) continue;
            for (const point of result.timeline) {
              const replicas = point.replicas[`Deployment default/${w.name}${i}`] ?? 0;
              expect(replicas).toBeLessThanOrEqual(Math.max(w.hpa.max, w.replicas));
            }
          }
        }
        results += 1;
      } catch (error) {
        if (!(error instanceof EksplanError)) throw error;
        errors += 1;
      }
    }), { numRuns: 1000, seed: 20261123 });
    expect(results + errors).toBe(1000);
    expect(results).toBeGreaterThan(100);
  });

  it('validates 1,000 random Karpenter NodePools and EC2NodeClasses without throwing, flagging each broken field', () => {
    const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };
    const validPool = { template: { spec: { nodeClassRef, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }] } }, disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' }, limits: { cpu: '100' }, weight: 10 };
    const validClass = { role: 'KarpenterNodeRole', amiSelectorTerms: [{ alias: 'al2023@latest' }], subnetSelectorTerms: [{ tags: { a: 'b' } }], securityGroupSelectorTerms: [{ tags: { a: 'b' } }] };
    // A random path into the valid object replaced by a random JSON value (or removed).
    const mutation = fc.record({ kind: fc.constantFrom('NodePool', 'EC2NodeClass'), path: fc.array(fc.nat(8), { minLength: 1, maxLength: 5 }), value: fc.option(fc.jsonValue({ maxDepth: 3 })) });
    let flagged = 0;
    fc.assert(fc.property(mutation, ({ kind, path, value }) => {
      const spec = structuredClone(kind === 'NodePool' ? validPool : validClass) as Record<string, unknown>;
      let at: Record<string, unknown> = spec;
      for (const [depth, step] of path.entries()) {
        const keys = Object.keys(at);
        if (keys.length === 0) break;
        const key = keys[step % keys.length];
        const next = at[key];
        if (depth === path.length - 1 || !next || typeof next !== 'object') {
          if (value === null) delete at[key];
          else at[key] = value;
          break;
        }
        at = next as Record<string, unknown>;
      }
      const findings = checkKubernetesSchemas(model({ objects: [object(kind, 'fuzzed', spec)] }));
      for (const finding of findings) {
        expect(finding.object).toBe(`${kind} fuzzed (Platform.template.json)`);
        for (const part of finding.message.replace(/; the API server would reject it at deploy time$/, '').split('; ')) expect(part).toMatch(/^(spec|metadata|apiVersion|kind)(\S|\[".*"\])*: (must|is) /);
      }
      if (findings.length > 0) flagged += 1;
    }), { numRuns: 1000, seed: 20261123 });
    expect(flagged).toBeGreaterThan(100);
  });

  it('accepts the unmutated Karpenter objects', () => {
    const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };
    expect(checkKubernetesSchemas(model({ objects: [object('NodePool', 'p', { template: { spec: { nodeClassRef, requirements: [] } } })] }))).toEqual([]);
  });
});

import { parseScenario, simulate } from '../../../simulation/engine';
import type { SimulationResult } from '../../../simulation/model/result';
import { model, nodeGroup, object } from '../checks/fixture';

// Issue 14: the engine's HPA sync runs upstream's calculator (and skips the sync when it fails, as
// pkg/controller/podautoscaler/horizontal.go does), feeds ContainerResource metrics per container, and the
// scenario's feature gates reach the scheduler and the HPA.

const WORKLOAD = 'Deployment default/api';

function api(containers: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return object('Deployment', 'default/api', {
    replicas: 2, selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers, ...extra } },
  });
}

const container = (name: string, cpu?: string) => ({ name, image: 'i@sha256:1', resources: cpu ? { requests: { cpu, memory: '128Mi' } } : { requests: { memory: '64Mi' } } });

function hpa(metric: Record<string, unknown>, behavior?: Record<string, unknown>) {
  return object('HorizontalPodAutoscaler', 'default/api', {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 10, metrics: [metric], ...(behavior ? { behavior } : {}),
  });
}

const containerCpu = (name: string, averageUtilization: number) => ({ type: 'ContainerResource', containerResource: { name: 'cpu', container: name, target: { type: 'Utilization', averageUtilization } } });

/** 100 rps × 4m per request = 400m over the running pods, from t=0 for an hour. */
function run(objects: ReturnType<typeof object>[], extra: Record<string, unknown> = {}): SimulationResult {
  const m = model({ nodeGroups: [nodeGroup({ name: 'workers', instanceTypes: ['m5.xlarge'], minSize: 2, desiredSize: 2, maxSize: 2 })], objects });
  const scenario = parseScenario({
    duration: '1h', step: '15s', seed: 1,
    loads: [{ workload: WORKLOAD, profile: { type: 'constant', rps: 100 }, perRequest: { cpuMillicores: 4 }, baseline: { cpuMillicores: 0 } }],
    assume: ['metrics-server'],
    ...extra,
  });
  return simulate(m, scenario);
}

const finalReplicas = (result: SimulationResult) => result.timeline[result.timeline.length - 1].replicas[WORKLOAD];

describe('HPA ContainerResource metrics in the engine', () => {
  // The sidecar requests no CPU, so the pod's usage splits evenly: 200m per pod gives the app container 100m,
  // 50% of its 200m request. Upstream (replica_calculator.go) proposes ceil(2 × 50 / target).
  it.each([
    ['app at 50% of a 25% target doubles the replicas, then holds', 25, 4],
    ['app at 50% of a 50% target is within tolerance', 50, 2],
  ])('%s', (_name, target, expected) => {
    const result = run([api([container('app', '200m'), container('sidecar')]), hpa(containerCpu('app', target))]);
    expect(finalReplicas(result)).toBe(expected);
  });

  it('a container without a CPU request is an error: the sync is skipped, reported once, replicas stay', () => {
    const result = run([api([container('app', '200m'), container('sidecar')]), hpa(containerCpu('sidecar', 10))]);
    expect(finalReplicas(result)).toBe(2);
    const failures = result.events.filter((e) => e.type === 'hpa' && e.message.startsWith('FailedComputeMetricsReplicas'));
    expect(failures).toHaveLength(1);
    expect(failures[0].message).toMatch(/invalid metrics \(1 invalid out of 1\), first error is: missing request for cpu/);
  });

  it('a Resource metric over the same pods reads the whole pod (sidecar included) and fails on its missing request', () => {
    const result = run([api([container('app', '200m'), container('sidecar')]), hpa({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 25 } } })]);
    expect(finalReplicas(result)).toBe(2);
    expect(result.events.some((e) => e.type === 'hpa' && e.message.includes('missing request for cpu'))).toBe(true);
  });
});

describe('scenario feature gates', () => {
  it('parses known gates', () => {
    expect(parseScenario({ featureGates: { TaintTolerationComparisonOperators: true, HPAConfigurableTolerance: false } }).featureGates)
      .toEqual({ TaintTolerationComparisonOperators: true, HPAConfigurableTolerance: false });
    expect(parseScenario({}).featureGates).toBeUndefined();
  });

  it.each([
    ['an unknown gate', { TaintTolerationComparisonOperator: true }, /featureGates\.TaintTolerationComparisonOperator.*unknown field \(did you mean 'TaintTolerationComparisonOperators'\?\)/],
    ['a gate that is not a boolean', { HPAConfigurableTolerance: 'yes' }, /featureGates\.HPAConfigurableTolerance.*must be true or false, got/],
    ['a list', ['TaintTolerationComparisonOperators'], /featureGates.*must be an object/],
  ])('fails when given %s', (_name, featureGates, message) => {
    expect(() => parseScenario({ featureGates }, 'what-if.yaml')).toThrow(message);
    try {
      parseScenario({ featureGates }, 'what-if.yaml');
    } catch (error) {
      expect(`${(error as Error).message} ${JSON.stringify(error)}`).toMatch(message);
    }
  });

  // toleration.go: Gt tolerates a taint whose integer value is greater, only with TaintTolerationComparisonOperators
  // (alpha, off by default; the fixture cluster runs 1.34).
  it.each([
    ['on: the Gt toleration tolerates tier=10', true, 0],
    ['off (the 1.34 default): the Gt toleration tolerates nothing', false, 2],
  ])('TaintTolerationComparisonOperators %s', (_name, enabled, pending) => {
    const m = model({
      nodeGroups: [nodeGroup({ name: 'tiered', instanceTypes: ['m5.xlarge'], minSize: 1, desiredSize: 1, maxSize: 1, taints: [{ key: 'tier', value: '10', effect: 'NoSchedule' }] })],
      objects: [api([container('app', '200m')], { tolerations: [{ key: 'tier', operator: 'Gt', value: '5', effect: 'NoSchedule' }] })],
    });
    const result = simulate(m, parseScenario({ duration: '10m', step: '15s', featureGates: { TaintTolerationComparisonOperators: enabled } }));
    expect(result.timeline[result.timeline.length - 1].pendingByWorkload[WORKLOAD] ?? 0).toBe(pending);
  });

  // horizontal.go getTolerances: behavior.scaleUp.tolerance counts only with HPAConfigurableTolerance (off in 1.34).
  // Usage 200m per pod is 100% of a 200m request against a 70% target: ratio 1.43, inside a 0.5 tolerance.
  it.each([
    ['on: the HPA keeps its own 50% scale-up tolerance', true, 2],
    ['off (the 1.34 default): the controller-wide 10% applies and it scales up', false, 3],
  ])('HPAConfigurableTolerance %s', (_name, enabled, expected) => {
    const result = run([api([container('app', '200m')]), hpa({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }, { scaleUp: { tolerance: '0.5' } })],
      { featureGates: { HPAConfigurableTolerance: enabled } });
    expect(finalReplicas(result)).toBe(expected);
  });
});

import { deriveScenario, scenarioFits } from '../../../simulation/engine/derive-scenario';
import { parseScenario } from '../../../simulation/engine/scenario';
import { scenarioFor } from '../../../lib/plan';
import { model, object } from '../checks/fixture';

// The derived scenario: each HPA target gets a diurnal load that holds it at 90% of its metric target with
// minReplicas pods at night and maxReplicas pods at the 14:00 peak; everything else runs at its replica count.

function deployment(namespace: string, name: string, cpu: string, memory: string) {
  const labels = { app: name };
  return object('Deployment', `${namespace}/${name}`, { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu, memory } } }] } } });
}

function hpa(namespace: string, name: string, min: number, max: number, metric: Record<string, unknown>) {
  return object('HorizontalPodAutoscaler', `${namespace}/${name}`, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max, metrics: [metric] }, { apiVersion: 'autoscaling/v2' });
}

const cpu = (percent: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } });

describe('deriveScenario', () => {
  it.each([
    // 60% of 200m = 120m per pod; 2 pods × 120 × 0.9 = 216 rps, 10 pods × 120 × 0.9 = 1080 rps at 1m per request.
    ['CPU utilization 60% of 200m, 2..10', deployment('web', 'api', '200m', '256Mi'), hpa('web', 'api', 2, 10, cpu(60)),
      { workload: 'Deployment web/api', profile: { type: 'diurnal', min: 216, max: 1080, peakHour: 14 }, perRequest: { cpuMillicores: 1, memoryMiB: 0 }, baseline: { cpuMillicores: 0, memoryMiB: 0 } }],
    // AverageValue 500m per pod: 1 × 500 × 0.9 = 450, 4 × 500 × 0.9 = 1800.
    ['CPU AverageValue 500m, 1..4', deployment('web', 'api', '1', '256Mi'), hpa('web', 'api', 1, 4, { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } }),
      { workload: 'Deployment web/api', profile: { type: 'diurnal', min: 450, max: 1800, peakHour: 14 }, perRequest: { cpuMillicores: 1, memoryMiB: 0 }, baseline: { cpuMillicores: 0, memoryMiB: 0 } }],
    // 80% of 256Mi = 204.8MiB per pod: 1 × 204.8 × 0.9 = 184.32, 3 × 204.8 × 0.9 = 552.96 at 1MiB per request.
    ['memory utilization 80% of 256Mi, 1..3', deployment('web', 'api', '100m', '256Mi'), hpa('web', 'api', 1, 3, { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } }),
      { workload: 'Deployment web/api', profile: { type: 'diurnal', min: 184.32, max: 552.96, peakHour: 14 }, perRequest: { cpuMillicores: 0, memoryMiB: 1 }, baseline: { cpuMillicores: 0, memoryMiB: 0 } }],
    // A Pods metric of 100 per pod (the engine feeds it the offered load per pod): 1 × 100 × 0.9, 4 × 100 × 0.9.
    ['a Pods metric of 100 requests/s per pod, 1..4', deployment('web', 'api', '100m', '128Mi'), hpa('web', 'api', 1, 4, { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } }),
      { workload: 'Deployment web/api', profile: { type: 'diurnal', min: 90, max: 360, peakHour: 14 }, perRequest: { cpuMillicores: 0, memoryMiB: 0 }, baseline: { cpuMillicores: 0, memoryMiB: 0 } }],
  ])('%s', (_name, target, autoscaler, expected) => {
    const scenario = deriveScenario(model({ objects: [target, autoscaler] }));
    expect(scenario.loads).toEqual([expected]);
    expect({ name: scenario.name, duration: scenario.durationSeconds, step: scenario.stepSeconds, thresholds: scenario.thresholds })
      .toEqual({ name: 'derived', duration: 86400, step: 15, thresholds: { maxPendingSeconds: 600 } });
  });

  it('gives no load to workloads without an HPA, or with an External metric it cannot drive', () => {
    const external = hpa('web', 'api', 1, 4, { type: 'External', external: { metric: { name: 'sqs_messages' }, target: { type: 'AverageValue', averageValue: '30' } } });
    expect(deriveScenario(model({ objects: [deployment('web', 'api', '100m', '128Mi'), external, deployment('jobs', 'worker', '1', '1Gi')] })).loads).toEqual([]);
  });
});

describe('scenarioFits (the bundled scenario only on the platform it names)', () => {
  const bundledLike = parseScenario({ loads: [{ workload: 'Deployment web/api', profile: { type: 'constant', rps: 1 } }] });
  it.each([
    ['the platform has Deployment web/api', [deployment('web', 'api', '100m', '128Mi')], true],
    ['it does not', [deployment('shop', 'frontend', '100m', '128Mi')], false],
  ])('%s', (_name, objects, fits) => {
    expect(scenarioFits(model({ objects }), bundledLike)).toBe(fits);
  });
});

describe('the scenario plan runs without --scenario (lib/plan.ts scenarioFor)', () => {
  it.each([
    ['the reference platform workloads: the bundled reference scenario', [deployment('web', 'api', '100m', '128Mi'), deployment('jobs', 'worker', '100m', '128Mi')], 'default', 'reference-day'],
    ['any other platform: the derived one', [deployment('shop', 'frontend', '100m', '128Mi')], 'default', 'derived'],
    ['nothing given is the default', [deployment('shop', 'frontend', '100m', '128Mi')], undefined, 'derived'],
    ['derived asked for on the reference platform', [deployment('web', 'api', '100m', '128Mi'), deployment('jobs', 'worker', '100m', '128Mi')], 'derived', 'derived'],
    ['static: no scenario', [deployment('web', 'api', '100m', '128Mi')], 'static', undefined],
  ])('%s', (_name, objects, asked, expected) => {
    expect(scenarioFor(model({ objects }), asked)?.name).toBe(expected);
  });
});

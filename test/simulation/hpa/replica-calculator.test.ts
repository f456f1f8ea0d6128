import { hpaDesiredReplicas, hpaReplicaCalculation, hpaTolerances, withinTolerance, type HpaMetricInput, type HpaPodSample } from '../../../simulation/autoscaling/hpa';

// Cases ported from kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator_test.go (inputs and
// expected replicas, utilization and raw value as upstream has them). Upstream's pods have two containers
// (numContainersPerPod = 2), each using `level` millicores of a `request` each; a pod sample here is the sum.

const CONTAINERS = 2;
type Readiness = 'T' | 'F';
type Phase = 'Running' | 'Pending' | 'Failed';

interface ResourceCase {
  readonly current: number;
  readonly requests: number[];
  readonly levels: number[];
  readonly target: number;
  readonly readiness?: Readiness[];
  /** Pods in the CPU initialization period ("hot"): upstream judges them unready. */
  readonly hot?: boolean[];
  readonly phase?: Phase[];
  readonly deleting?: boolean[];
}

/** The samples upstream's fake clients produce: pod i has level i (if any) and is grouped by phase and readiness. */
function samples(c: ResourceCase): HpaPodSample[] {
  // Levels beyond the listed pods are metrics the fake metrics client returns for pods the lister does not have.
  const unlisted: HpaPodSample[] = c.levels.slice(c.requests.length).map((level) => ({ ready: true, value: level * CONTAINERS, unlisted: true }));
  return [...c.requests.map((request, i) => {
    const level = c.levels[i];
    return {
      ready: (c.readiness?.[i] ?? 'T') === 'T' && !(c.hot?.[i] ?? false),
      value: level === undefined ? undefined : level * CONTAINERS,
      request: request * CONTAINERS,
      pending: c.phase?.[i] === 'Pending',
      ignored: c.phase?.[i] === 'Failed' || (c.deleting?.[i] ?? false),
    };
  }), ...unlisted];
}

const ones = (n: number) => Array.from({ length: n }, () => 1000);

describe('replica_calculator_test.go: GetResourceReplicas (cpu Utilization)', () => {
  it.each<[string, ResourceCase, number, number, number]>([
    ['TestReplicaCalcScaleUp', { current: 3, requests: ones(3), levels: [300, 500, 700], target: 30 }, 5, 50, 1000],
    ['TestReplicaCalcScaleUpUnreadyLessScale', { current: 3, requests: ones(3), levels: [300, 500, 700], target: 30, readiness: ['F', 'T', 'T'] }, 4, 60, 1200],
    ['TestReplicaCalcScaleUpHotCpuLessScale', { current: 3, requests: ones(3), levels: [300, 500, 700], target: 30, hot: [true, false, false] }, 4, 60, 1200],
    ['TestReplicaCalcScaleUpUnreadyNoScale', { current: 3, requests: ones(3), levels: [400, 500, 700], target: 30, readiness: ['T', 'F', 'F'] }, 3, 40, 800],
    ['TestReplicaCalcScaleHotCpuNoScale', { current: 3, requests: ones(3), levels: [400, 500, 700], target: 30, readiness: ['T', 'F', 'F'], hot: [false, true, true] }, 3, 40, 800],
    ['TestReplicaCalcScaleUpIgnoresFailedPods', { current: 2, requests: ones(4), levels: [500, 700], target: 30, readiness: ['T', 'T', 'F', 'F'], phase: ['Running', 'Running', 'Failed', 'Failed'] }, 4, 60, 1200],
    ['TestReplicaCalcScaleUpIgnoresDeletionPods', { current: 2, requests: ones(4), levels: [500, 700], target: 30, readiness: ['T', 'T', 'F', 'F'], deleting: [false, false, true, true] }, 4, 60, 1200],
    ['TestReplicaCalcScaleDown', { current: 5, requests: ones(5), levels: [100, 300, 500, 250, 250], target: 50 }, 3, 28, 560],
    ['TestReplicaCalcScaleDownIncludeUnreadyPods', { current: 5, requests: ones(5), levels: [100, 300, 500, 250, 250], target: 50, readiness: ['T', 'T', 'T', 'F', 'F'] }, 2, 30, 600],
    ['TestReplicaCalcScaleDownExcludeUnscheduledPods', { current: 5, requests: ones(5), levels: [100], target: 50, readiness: ['T', 'F', 'F', 'F', 'F'], phase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'] }, 1, 10, 200],
    ['TestReplicaCalcScaleDownIgnoreHotCpuPods', { current: 5, requests: ones(5), levels: [100, 300, 500, 250, 250], target: 50, hot: [false, false, false, true, true] }, 2, 30, 600],
    ['TestReplicaCalcScaleDownIgnoresFailedPods', { current: 5, requests: ones(7), levels: [100, 300, 500, 250, 250], target: 50, readiness: ['T', 'T', 'T', 'T', 'T', 'F', 'F'], phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'] }, 3, 28, 560],
    ['TestReplicaCalcScaleDownIgnoresDeletionPods', { current: 5, requests: ones(7), levels: [100, 300, 500, 250, 250], target: 50, readiness: ['T', 'T', 'T', 'T', 'T', 'F', 'F'], deleting: [false, false, false, false, false, true, true] }, 3, 28, 560],
    ['TestReplicaCalcTolerance', { current: 3, requests: [900, 1000, 1100], levels: [1010, 1030, 1020], target: 100 }, 3, 102, 2040],
    // Six metrics for four listed pods: the two unlisted ones match no request and drop out of the utilization.
    ['TestReplicaCalcSuperfluousMetrics', { current: 4, requests: ones(4), levels: [4000, 9500, 3000, 7000, 3200, 2000], target: 100 }, 24, 587, 11750],
    ['TestReplicaCalcMissingMetrics', { current: 4, requests: ones(4), levels: [400, 95], target: 100 }, 3, 24, 495],
    ['TestReplicaCalcMissingMetricsNoChangeEq', { current: 2, requests: ones(2), levels: [1000], target: 100 }, 2, 100, 2000],
    ['TestReplicaCalcMissingMetricsNoChangeGt', { current: 2, requests: ones(2), levels: [1900], target: 100 }, 2, 190, 3800],
    ['TestReplicaCalcMissingMetricsNoChangeLt', { current: 2, requests: ones(2), levels: [600], target: 100 }, 2, 60, 1200],
    ['TestReplicaCalcMissingMetricsUnreadyChange', { current: 3, requests: ones(3), levels: [100, 450], target: 50, readiness: ['F', 'T', 'T'] }, 3, 45, 900],
    ['TestReplicaCalcMissingMetricsHotCpuNoChange', { current: 3, requests: ones(3), levels: [100, 450], target: 50, hot: [true, false, false] }, 3, 45, 900],
    ['TestReplicaCalcMissingMetricsUnreadyScaleUp', { current: 3, requests: ones(3), levels: [100, 2000], target: 50, readiness: ['F', 'T', 'T'] }, 4, 200, 4000],
    ['TestReplicaCalcMissingMetricsHotCpuScaleUp', { current: 3, requests: ones(3), levels: [100, 2000], target: 50, readiness: ['F', 'T', 'T'], hot: [true, false, false] }, 4, 200, 4000],
    ['TestReplicaCalcMissingMetricsUnreadyScaleDown', { current: 4, requests: ones(4), levels: [100, 100, 100], target: 50, readiness: ['F', 'T', 'T', 'T'] }, 3, 10, 200],
    ['TestReplicaCalcDuringRollingUpdateWithMaxSurge', { current: 2, requests: ones(3), levels: [100, 100], target: 50 }, 2, 10, 200],
    // TestReplicaCalcComputedToleranceAlgImplementation: 10 pods at 150m of ~300m; target 56% scales to 9, 55% stays.
    ['TestReplicaCalcComputedToleranceAlgImplementation (scale)', { current: 10, requests: [400, 200, 310, 290, 302, 298, 301, 299, 300, 300], levels: Array(10).fill(150), target: 56 }, 9, 50, 300],
    ['TestReplicaCalcComputedToleranceAlgImplementation (within tolerance)', { current: 10, requests: [400, 200, 310, 290, 302, 298, 301, 299, 300, 300], levels: Array(10).fill(150), target: 55 }, 10, 50, 300],
  ])('%s', (_name, c, replicas, utilization, rawValue) => {
    const result = hpaReplicaCalculation({ currentReplicas: c.current, metrics: [{ kind: 'Utilization', targetPercent: c.target, pods: samples(c), name: 'cpu' }] });
    expect(result.error).toBeUndefined();
    expect(result.metrics[0]).toEqual({ replicas, utilization, rawAverageValue: rawValue });
    expect(result.replicas).toBe(replicas);
  });

  it.each<[string, ResourceCase, string]>([
    ['TestReplicaCalcEmptyMetrics', { current: 4, requests: ones(3), levels: [], target: 100 }, 'did not receive metrics'],
    ['TestReplicaCalcEmptyCPURequest', { current: 1, requests: [], levels: [200], target: 100 }, 'missing request for'],
  ])('%s returns the error', (_name, c, message) => {
    const pods = c.requests.length > 0 ? samples(c) : [{ ready: true, value: 400 }];
    const result = hpaReplicaCalculation({ currentReplicas: c.current, metrics: [{ kind: 'Utilization', targetPercent: c.target, pods, name: 'cpu' }] });
    expect(result.metrics[0].error).toContain(message);
    // horizontal.go: with every metric invalid the HPA does not scale.
    expect(result.error).toContain('invalid metrics (1 invalid out of 1)');
    expect(result.replicas).toBe(c.current);
  });

  // TestReplicaCalcDisjointResourcesMetrics: the only metric is for "an-older-pod-name", which the selector does not
  // list; the listed pod has none. A metric was received, but none matches a known pod's request.
  it('TestReplicaCalcDisjointResourcesMetrics returns the error', () => {
    const pods: HpaPodSample[] = [{ ready: true, request: 1000 * CONTAINERS }, { ready: true, value: 100 * CONTAINERS, unlisted: true }];
    const result = hpaReplicaCalculation({ currentReplicas: 1, metrics: [{ kind: 'Utilization', targetPercent: 100, pods, name: 'cpu' }] });
    expect(result.metrics[0].error).toBe('no metrics returned matched known pods');
    expect(result.replicas).toBe(1);
    // Without the unlisted metric nothing was received at all: a different error.
    const listedOnly = hpaReplicaCalculation({ currentReplicas: 1, metrics: [{ kind: 'Utilization', targetPercent: 100, pods: pods.slice(0, 1), name: 'cpu' }] });
    expect(listedOnly.metrics[0].error).toBe('did not receive metrics for targeted pods (pods might be unready)');
  });

  it('an unlisted pod\'s metric enters a plain (Pods metric) average, as GetMetricUsageRatio averages every entry', () => {
    const listed: HpaPodSample[] = [{ ready: true, value: 10 }, { ready: true, value: 10 }];
    const base = hpaReplicaCalculation({ currentReplicas: 2, metrics: [{ kind: 'AverageValue', target: 10, pods: listed, source: 'Pods' }] });
    expect(base.metrics[0]).toMatchObject({ replicas: 2, rawAverageValue: 10000 });
    // (10 + 10 + 40) / 3 = 20 per pod against 10: ratio 2 over the 2 ready (listed) pods.
    const withUnlisted = hpaReplicaCalculation({ currentReplicas: 2, metrics: [{ kind: 'AverageValue', target: 10, pods: [...listed, { ready: true, value: 40, unlisted: true }], source: 'Pods' }] });
    expect(withUnlisted.metrics[0]).toMatchObject({ replicas: 4, rawAverageValue: 20000 });
  });
});

describe('replica_calculator_test.go: GetMetricReplicas (Pods metrics, milli-units)', () => {
  const pods = (levels: number[], readiness: Readiness[] = []): HpaPodSample[] => levels.map((value, i) => ({ ready: (readiness[i] ?? 'T') === 'T', value }));
  it.each<[string, number, number[], number, Readiness[], number, number]>([
    ['TestReplicaCalcScaleUpCM', 3, [20000, 10000, 30000], 15000, [], 4, 20000],
    // Readiness only counts for cpu: the "unready" pods' qps still count.
    ['TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale', 3, [50000, 10000, 30000], 15000, ['T', 'T', 'F'], 6, 30000],
    ['TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown', 3, [50000, 15000, 30000], 15000, ['F', 'T', 'F'], 7, 31666],
    ['TestReplicaCalcScaleUpCMExternal (pod metric)', 1, [8600], 4400, [], 2, 8600],
    ['TestReplicaCalcScaleUpCMExternalNoLabels', 1, [8600], 4400, [], 2, 8600],
    ['TestReplicaCalcScaleDownCM', 5, [12000, 12000, 12000, 12000, 12000], 20000, [], 3, 12000],
    ['TestReplicaCalcToleranceCM', 3, [20000, 21000, 21000], 20000, [], 3, 20666],
  ])('%s', (_name, current, levels, target, readiness, replicas, usage) => {
    const metric: HpaMetricInput = { kind: 'AverageValue', target, pods: pods(levels, readiness), milliScale: 1, source: 'Pods', name: 'qps' };
    expect(hpaReplicaCalculation({ currentReplicas: current, metrics: [metric] }).metrics[0]).toEqual({ replicas, rawAverageValue: usage });
  });
});

describe('replica_calculator_test.go: GetObjectMetricReplicas / GetObjectPerPodMetricReplicas / GetExternal*', () => {
  it.each<[string, number, HpaMetricInput, number, number]>([
    ['TestReplicaCalcScaleUpCMObject', 3, { kind: 'ObjectValue', value: 20000, target: 15000, readyPods: 3, source: 'Object' }, 4, 20000],
    ['TestReplicaCalcScaleUpCMPerPodObject', 3, { kind: 'ObjectAverageValue', value: 20000, target: 5000, source: 'Object' }, 4, 6667],
    ['TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods', 3, { kind: 'ObjectValue', value: 50000, target: 10000, readyPods: 1, source: 'Object' }, 5, 50000],
    ['TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods', 3, { kind: 'ExternalValue', values: [8600], target: 4400, readyPods: 1, source: 'External' }, 2, 8600],
    ['TestReplicaCalcScaleUpPerPodCMExternal', 3, { kind: 'ObjectAverageValue', value: 8600, target: 2150, source: 'External' }, 4, 2867],
    ['TestReplicaCalcScaleDownPerPodCMObject', 5, { kind: 'ObjectAverageValue', value: 6000, target: 2000, source: 'Object' }, 3, 1200],
    ['TestReplicaCalcScaleDownCMObject', 5, { kind: 'ObjectValue', value: 12000, target: 20000, readyPods: 5, source: 'Object' }, 3, 12000],
    ['TestReplicaCalcScaleDownCMExternal', 5, { kind: 'ExternalValue', values: [8600], target: 14334, readyPods: 5, source: 'External' }, 3, 8600],
    ['TestReplicaCalcScaleDownPerPodCMExternal', 5, { kind: 'ObjectAverageValue', value: 8600, target: 2867, source: 'External' }, 3, 1720],
    ['TestReplicaCalcToleranceCMObject', 3, { kind: 'ObjectValue', value: 20666, target: 20000, readyPods: 3, source: 'Object' }, 3, 20666],
    ['TestReplicaCalcTolerancePerPodCMObject', 4, { kind: 'ObjectAverageValue', value: 20166, target: 5000, source: 'Object' }, 4, 5042],
    ['TestReplicaCalcToleranceCMExternal', 3, { kind: 'ExternalValue', values: [8600], target: 8888, readyPods: 3, source: 'External' }, 3, 8600],
    ['TestReplicaCalcTolerancePerPodCMExternal', 3, { kind: 'ObjectAverageValue', value: 8600, target: 2900, source: 'External' }, 3, 2867],
  ])('%s', (_name, current, metric, replicas, usage) => {
    expect(hpaReplicaCalculation({ currentReplicas: current, metrics: [metric] }).metrics[0]).toEqual({ replicas, rawAverageValue: usage });
  });
});

describe('the rules issue 14 found broken, each as upstream computes it', () => {
  it('truncates utilization to an integer percent: two pods at 150.9% of a 100% target go to 3, not 4', () => {
    const pods: HpaPodSample[] = [{ ready: true, value: 1509, request: 1000 }, { ready: true, value: 1509, request: 1000 }];
    expect(hpaReplicaCalculation({ currentReplicas: 2, metrics: [{ kind: 'Utilization', targetPercent: 100, pods }] }).metrics[0]).toEqual({ replicas: 3, utilization: 150, rawAverageValue: 1509 });
  });

  it('keeps the count at exactly 110% of target with the default 0.1 tolerance (1.0 + 0.1 includes 1.1)', () => {
    const pods: HpaPodSample[] = [1100, 1100, 1100].map((value) => ({ ready: true, value, request: 1000 }));
    expect(withinTolerance(1.1, { scaleUp: 0.1, scaleDown: 0.1 })).toBe(true);
    expect(hpaDesiredReplicas({ currentReplicas: 3, metrics: [{ kind: 'Utilization', targetPercent: 100, pods }] })).toBe(3);
  });

  it('per-HPA tolerances apply with HPAConfigurableTolerance (beta, on from 1.35), not in 1.34', () => {
    const behavior = { scaleUp: { tolerance: '0.05' }, scaleDown: { tolerance: 0.2 } };
    const pods: HpaPodSample[] = [1080, 1080, 1080].map((value) => ({ ready: true, value, request: 1000 }));
    const input = { currentReplicas: 3, metrics: [{ kind: 'Utilization' as const, targetPercent: 100, pods }], behavior };
    expect(hpaTolerances({ behavior, kubernetesVersion: '1.35' })).toEqual({ scaleUp: 0.05, scaleDown: 0.2 });
    expect(hpaTolerances({ behavior, kubernetesVersion: '1.34' })).toEqual({ scaleUp: 0.1, scaleDown: 0.1 });
    expect(hpaDesiredReplicas({ ...input, kubernetesVersion: '1.35' })).toBe(4);
    expect(hpaDesiredReplicas({ ...input, kubernetesVersion: '1.34' })).toBe(3);
    expect(hpaDesiredReplicas({ ...input, kubernetesVersion: '1.34', featureGates: { HPAConfigurableTolerance: true } })).toBe(4);
    // scaleDown 0.2: ten pods at 85% stay at 10; the default 0.1 scales them to ceil(8.5) = 9.
    const low: HpaPodSample[] = Array.from({ length: 10 }, () => ({ ready: true, value: 850, request: 1000 }));
    expect(hpaDesiredReplicas({ currentReplicas: 10, metrics: [{ kind: 'Utilization', targetPercent: 100, pods: low }], behavior: { scaleDown: { tolerance: 0.2 } }, kubernetesVersion: '1.36' })).toBe(10);
    expect(hpaDesiredReplicas({ currentReplicas: 10, metrics: [{ kind: 'Utilization', targetPercent: 100, pods: low }], kubernetesVersion: '1.36' })).toBe(9);
  });

  it('an invalid metric refuses a scale-down but not a scale-up (horizontal.go computeReplicasForMetrics)', () => {
    const at = (value: number): HpaMetricInput => ({ kind: 'Utilization', targetPercent: 50, pods: [1, 2, 3, 4].map(() => ({ ready: true, value, request: 1000 })) });
    const invalid: HpaMetricInput = { kind: 'Invalid', message: 'unable to fetch metrics from custom metrics API' };
    const down = hpaReplicaCalculation({ currentReplicas: 4, metrics: [at(100), invalid] });
    expect(down.replicas).toBe(4);
    expect(down.error).toBe('invalid metrics (1 invalid out of 2), first error is: unable to fetch metrics from custom metrics API');
    const up = hpaReplicaCalculation({ currentReplicas: 4, metrics: [at(1000), invalid] });
    expect(up.replicas).toBe(8);
    expect(up.error).toBeUndefined();
  });

  it('ContainerResource: a container without a request is an error, as calculatePodRequests', () => {
    const result = hpaReplicaCalculation({ currentReplicas: 2, metrics: [{ kind: 'Utilization', targetPercent: 50, source: 'ContainerResource', name: 'cpu', pods: [{ ready: true, value: 100, request: 200 }, { ready: true, value: 100 }] }] });
    expect(result.metrics[0].error).toBe('missing request for cpu');
    expect(result.replicas).toBe(2);
  });

  it('memory utilization counts pods whatever their readiness (readiness is judged for cpu only)', () => {
    const pods: HpaPodSample[] = [{ ready: false, value: 2000, request: 1000 }, { ready: true, value: 2000, request: 1000 }];
    expect(hpaDesiredReplicas({ currentReplicas: 2, metrics: [{ kind: 'Utilization', targetPercent: 100, pods, name: 'memory' }] })).toBe(4);
    expect(hpaDesiredReplicas({ currentReplicas: 2, metrics: [{ kind: 'Utilization', targetPercent: 100, pods, name: 'cpu' }] })).toBe(2);
  });
});

import { HpaController, hpaDesiredReplicas, type HpaPodSample } from '../../simulation/autoscaling/hpa';

const pods = (values: (number | undefined)[], request = 1000, ready: boolean[] = []): HpaPodSample[] =>
  values.map((value, i) => ({ value, request, ready: ready[i] ?? true }));

// Cases from pkg/controller/podautoscaler/replica_calculator_test.go (expected values as computed there).
describe('hpaDesiredReplicas (replica_calculator_test.go)', () => {
  it.each([
    // TestReplicaCalcScaleUp: 3 pods at 300, 500, 700 of 1000m requested, target 30% → ratio 50/30 → 5
    ['ScaleUp', pods([300, 500, 700]), 30, 3, 5],
    // TestReplicaCalcScaleDown: 5 pods 100,300,500,250,250 target 50% → avg 28% → ceil(0.56×5)=3
    ['ScaleDown', pods([100, 300, 500, 250, 250]), 50, 5, 3],
    // TestReplicaCalcTolerance: 1010,1030,1020 of 1000 target 100% → within 0.1 → 3
    ['Tolerance', pods([1010, 1030, 1020]), 100, 3, 3],
    // TestReplicaCalcScaleUpUnreadyLessScale: 3 pods, one unready (value 0 in fill), others 500 and 700, target 30%
    ['ScaleUpUnreadyLessScale', pods([300, 500, 700], 1000, [false, true, true]), 30, 3, 4],
    // TestReplicaCalcScaleUpUnreadyNoScale: ready pods at 400, unready ones → (400)/(3×30%)... ratio 400/1000/0.3=1.33 > 1; filled (0+400+0)/3000 = 13% → flips → 3
    ['ScaleUpUnreadyNoScale', pods([400, 500, 700], 1000, [true, false, false]), 30, 3, 3],
    // TestReplicaCalcScaleDownMissingMetrics (missing counted at 100% on scale down): 400,95 + 2 missing, target 50% → ratio 0.495 → filled (400+95+1000+1000)/4000=62%/50% = 1.25 → flips → keep 4
    ['MissingMetricsDirectionFlip', pods([400, 95, undefined, undefined]), 50, 4, 4],
    // scale up with missing metrics counted at 0: 800,800 + 1 missing, target 50% → ratio 1.6 → filled 1600/3000/0.5 = 1.067 within tolerance → 3
    ['MissingMetricsScaleUpWithinTolerance', pods([800, 800, undefined]), 50, 3, 3],
  ])('%s', (_name, samples, targetPercent, current, expected) => {
    expect(hpaDesiredReplicas({ currentReplicas: current, metrics: [{ kind: 'Utilization', targetPercent, pods: samples }] })).toBe(expected);
  });

  it('takes the largest proposal over several metrics', () => {
    expect(hpaDesiredReplicas({
      currentReplicas: 2,
      metrics: [
        { kind: 'Utilization', targetPercent: 50, pods: pods([500, 500]) },
        // requests_per_second: 100 per pod against a target of 25 → 8
        { kind: 'AverageValue', target: 25, pods: pods([100, 100]) },
      ],
    })).toBe(8);
  });

  it('scales an object metric by value', () => {
    expect(hpaDesiredReplicas({ currentReplicas: 3, metrics: [{ kind: 'ObjectAverageValue', value: 1000, target: 100 }] })).toBe(10);
    expect(hpaDesiredReplicas({ currentReplicas: 4, metrics: [{ kind: 'ObjectValue', value: 30, target: 10, readyPods: 4 }] })).toBe(12);
  });
});

describe('HpaController behaviour (horizontal.go, default behaviour)', () => {
  it('scales up at most max(100%, 4 pods) per 15s', () => {
    const hpa = new HpaController({ minReplicas: 1, maxReplicas: 100 });
    expect(hpa.decide(0, 2, 50)).toBe(6); // +4 pods beats +100% (4)
    expect(hpa.decide(15, 6, 50)).toBe(12); // +100% (12) beats +4 (10)
  });

  it('holds scale-down for the 300s stabilization window, then steps down', () => {
    const hpa = new HpaController({ minReplicas: 1, maxReplicas: 20 });
    expect(hpa.decide(0, 10, 10)).toBe(10);
    expect(hpa.decide(15, 10, 2)).toBe(10);
    // the recommendation of 10 at t=0 leaves the window once it is older than 300s
    expect(hpa.decide(299, 10, 2)).toBe(10);
    expect(hpa.decide(300, 10, 2)).toBe(2);
  });

  it('respects min and max', () => {
    const hpa = new HpaController({ minReplicas: 3, maxReplicas: 5 });
    expect(hpa.decide(0, 4, 100)).toBe(5);
    expect(new HpaController({ minReplicas: 3, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }).decide(0, 4, 1)).toBe(3);
  });

  it('applies user policies: 1 pod per 60s up, scale-down disabled', () => {
    const hpa = new HpaController({ minReplicas: 1, maxReplicas: 50, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, scaleDown: { selectPolicy: 'Disabled' } } });
    expect(hpa.decide(0, 2, 10)).toBe(3);
    expect(hpa.decide(15, 3, 10)).toBe(3);
    expect(hpa.decide(61, 3, 10)).toBe(4);
    expect(hpa.decide(1000, 4, 1)).toBe(4);
  });

  it('does nothing for a target at zero replicas', () => {
    expect(new HpaController({ minReplicas: 1, maxReplicas: 5 }).decide(0, 0, 3)).toBe(0);
  });
});

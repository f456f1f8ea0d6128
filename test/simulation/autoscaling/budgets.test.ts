import { allowedByReason, budgetActive, parseCron, type BudgetSpec } from '../../../simulation/autoscaling/karpenter/budgets';
import { simulate } from '../../../simulation/engine';
import { clusterModel, deployment, nodeClass, nodePool, scenario } from './fixtures';

// kubernetes-sigs/karpenter pkg/apis/v1/nodepool_budgets_test.go, ported: the budgets of its BeforeEach and its clock
// (2000-06-15 12:30:30 UTC).
const at = (y: number, m: number, d: number, h = 0, min = 0, s = 0) => Date.UTC(y, m - 1, d, h, min, s) / 1000;
const NOW = at(2000, 6, 15, 12, 30, 30);
const hour = { durationSeconds: 3600 };
const base = (): BudgetSpec[] => [
  { nodes: '10', schedule: '* * * * *', ...hour },
  { nodes: '100', schedule: '* * * * *', ...hour },
  { nodes: '100%', schedule: '* * * * *', ...hour },
  { nodes: '15', reasons: ['Drifted', 'Underutilized'], schedule: '* * * * *', ...hour },
  { nodes: '5', reasons: ['Drifted'], schedule: '* * * * *', ...hour },
  { nodes: '0', reasons: ['Underutilized', 'Drifted', 'Empty'], schedule: '@weekly', ...hour },
];
const REASONS = ['Empty', 'Underutilized', 'Drifted'] as const;

describe('nodepool_budgets_test.go: GetAllowedDisruptionsByReason', () => {
  it.each([
    ['should return 0 for all reasons if a budget is active for all reasons', (b: BudgetSpec[]) => { b[5] = { ...b[5], schedule: '* * * * *' }; return b; }, [0, 0, 0]],
    ['should return MaxInt32 for all reasons when there are no active budgets', (b: BudgetSpec[]) => b.map((x) => ({ ...x, schedule: '@yearly' })), [Infinity, Infinity, Infinity]],
    ['should ignore reason-defined budgets when inactive', (b: BudgetSpec[]) => { b[3] = { ...b[3], schedule: '@yearly' }; b[4] = { ...b[4], schedule: '@yearly' }; return b; }, [10, 10, 10]],
    ['should return the budget for all disruption reasons when undefined', (b: BudgetSpec[]) => b.slice(0, 1), [10, 10, 10]],
    ['should get the minimum budget for each reason', (b: BudgetSpec[]) => [...b, { nodes: '4', reasons: ['Empty'], schedule: '* * * * *', ...hour }], [4, 10, 5]],
  ] as const)('nodepool_budgets_test.go: %s', (_name, edit, expected) => {
    const budgets = edit(base());
    expect(REASONS.map((r) => allowedByReason(budgets, r, 100, NOW))).toEqual(expected);
  });
});

describe('nodepool_budgets_test.go: IsActive', () => {
  it.each([
    ['should always consider a schedule and time in UTC (May 31 23:00 UTC, @daily for 30m)', { nodes: '10', schedule: '@daily', durationSeconds: 1800 }, at(2000, 5, 31, 23), false],
    ['should return that a schedule is active when schedule and duration are nil', { nodes: '10' }, NOW, true],
    ['should return that a schedule is active', { nodes: '10', schedule: '* * * * *', ...hour }, NOW, true],
    ['should return that a schedule is inactive', { nodes: '10', schedule: '@yearly', ...hour }, NOW, false],
    ['should return that a schedule is active when the schedule hit is in the middle of the duration', { nodes: '10', schedule: '@yearly', durationSeconds: 24 * 3600 }, at(2024, 1, 1, 12), true],
    ['should return that a schedule is active when the duration is longer than the recurrence', { nodes: '10', schedule: '@daily', durationSeconds: 48 * 3600 }, at(2024, 1, 7), true],
    ['should return that a schedule is inactive when the schedule hit is after the duration', { nodes: '10', schedule: '30 6 * * SUN', durationSeconds: 6 * 3600 }, at(2024, 1, 7), false],
  ] as const)('nodepool_budgets_test.go: %s', (_name, budget, now, expected) => {
    expect(budgetActive(budget, now)).toBe(expected);
  });

  it('nodepool_budgets_test.go: should return an error indicating why the cron fails to parse', () => {
    expect(() => parseCron('0 0 * * tue-mon')).toThrow("'tue-mon'");
    expect(() => parseCron('@wrongly')).toThrow('5 fields');
  });
});

describe('scheduled budgets in the simulation', () => {
  // A freeze (nodes: 0) every Monday from 00:00 UTC for 8 hours, and 100% otherwise. Eight 500m pods that Karpenter
  // first spreads one per node (preferred anti-affinity is treated as required until relaxed) can then be packed.
  const run = (startDate: string) => {
    const pool = nodePool('general', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }, { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m5'] }], {
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s', budgets: [{ nodes: '0', schedule: '0 0 * * 1', duration: '8h' }, { nodes: '100%' }] },
    });
    const anti = { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' } }] } } };
    const m = clusterModel([pool, nodeClass(), deployment('api', 8, '500m', '512Mi', anti)]);
    return simulate(m, scenario({ duration: '2h', step: '15s', seed: 1, startDate }), { warmupSeconds: 0 });
  };
  const disruptions = (result: ReturnType<typeof simulate>) => result.events.filter((e) => e.type === 'consolidate' || e.type === 'replace').length;

  it('inside the window (Monday 2024-01-01 from 00:00 UTC) nothing is consolidated', () => {
    expect(disruptions(run('2024-01-01'))).toBe(0);
  });

  it('outside it (Tuesday 2024-01-02) the same cluster is consolidated', () => {
    expect(disruptions(run('2024-01-02'))).toBeGreaterThan(0);
  });
});

import type { PlanResult, PodPendingRecord, SimEvent, ThresholdResult } from '../../../simulation/model/result';
import { explainFailures } from '../../../simulation/report/failures';
import { sampleResult } from './fixture';

// report/failures.ts: each failed threshold is explained by what is behind it, and its fix is one that
// moves that threshold (a cost failure is never told to add capacity).

function failing(threshold: ThresholdResult, overrides: Partial<PlanResult> = {}): PlanResult {
  const base = sampleResult(overrides);
  return { ...base, verdict: { passed: false, errorFindings: 0, thresholds: [threshold] } };
}

function pending(pod: string, from: number, to: number, reason: string): PodPendingRecord {
  return { pod, workload: 'Deployment web/api', pendingSeconds: to - from, neverScheduled: false, intervals: [{ from, to, reason }] };
}

const FIT = '0/3 nodes are available: 3 Insufficient cpu.';

describe('explainFailures', () => {
  it('explains nothing for a passing plan', () => {
    const result = sampleResult({ verdict: { passed: true, errorFindings: 0, thresholds: [{ name: 'maxNodes', limit: 10, measured: 4, passed: true, unit: 'nodes' }] } });
    expect(explainFailures(result)).toEqual({ passed: true, failures: [], errorFindings: [] });
  });

  it('maxPendingSeconds: the pods past the limit, longest first, with when and the scheduler\'s reason', () => {
    const result = failing({ name: 'maxPendingSeconds', limit: 120, measured: 600, passed: false, unit: 'seconds' }, {
      podPending: [pending('web/api-1', 3600, 4200, FIT), pending('web/api-2', 3600, 3900, FIT), pending('web/api-3', 3600, 3660, FIT)],
    });
    const [failure] = explainFailures(result).failures;
    expect(failure.culprits.map((c) => [c.name, c.from, c.to, c.reason])).toEqual([
      ['web/api-1', 3600, 4200, FIT],
      ['web/api-2', 3600, 3900, FIT],
    ]);
    expect(failure.windows).toEqual([{ from: 3600, to: 4200 }]);
    expect(failure.reasons).toEqual([{ reason: 'Insufficient cpu', pods: 2 }]);
    expect(failure.summary).toBe('2 pod(s) waited longer than 2m (longest 10m): 2 of Deployment web/api, at 0d 01:00:00–0d 01:10:00.');
  });

  it('maxPendingPods: the windows past the limit from the timeline, and the pods pending at the peak', () => {
    const result = failing({ name: 'maxPendingPods', limit: 2, measured: 3, passed: false, unit: 'pods' }, {
      podPending: [pending('web/api-7', 3500, 3700, FIT), pending('web/api-8', 7000, 7100, FIT)],
    });
    const [failure] = explainFailures(result).failures;
    expect(failure.windows).toEqual([{ from: 3600, to: 7200 }]);
    expect(failure.culprits.map((c) => c.name)).toEqual(['web/api-7']);
    expect(failure.summary).toContain('3 pods pending at the peak (0d 01:00:00), limit ≤ 2: 3 of Deployment web/api');
  });

  it('minFreeSubnetIpsPercent: the subnets below the limit, from when, and how many pods got no address', () => {
    const result = failing({ name: 'minFreeSubnetIpsPercent', limit: 90, measured: 71.7, passed: false, unit: 'percent' }, {
      subnets: [
        { id: 'subnet-a', cidr: '10.0.0.0/24', availabilityZone: 'us-east-1a', usable: 251, usedPeak: 71, freeMin: 180, freePercentMin: 71.7, exhaustedPods: 4 },
        { id: 'subnet-b', cidr: '10.0.1.0/24', availabilityZone: 'us-east-1b', usable: 251, usedPeak: 5, freeMin: 246, freePercentMin: 98, exhaustedPods: 0 },
      ],
    });
    const [failure] = explainFailures(result).failures;
    expect(failure.culprits).toEqual([expect.objectContaining({
      kind: 'subnet', name: 'subnet-a', detail: '180 free of 251 (71.7%) in us-east-1a, 10.0.0.0/24; 4 pod(s) got no address', from: 0, to: 7200,
    })]);
  });

  it('maxNodes: the instance types at the peak, and when', () => {
    const result = failing({ name: 'maxNodes', limit: 3, measured: 4, passed: false, unit: 'nodes' }, { summary: { ...sampleResult().summary, peakAt: 3600 } });
    const [failure] = explainFailures(result).failures;
    expect(failure.culprits.map((c) => [c.name, c.detail])).toEqual([
      ['c7g.xlarge', '2 node(s) of nodepool/general'],
      ['m6i.large', '2 node(s) of nodegroup/system'],
    ]);
    expect(failure.windows).toEqual([{ from: 7200, to: 7200 }]);
  });

  it('counts the same scheduler reasons in any order as one', () => {
    const result = failing({ name: 'maxPendingSeconds', limit: 10, measured: 60, passed: false, unit: 'seconds' }, {
      podPending: [
        pending('web/api-1', 0, 60, '0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint(s).'),
        pending('web/api-2', 0, 60, '0/6 nodes are available: 3 node(s) had untolerated taint(s), 3 Insufficient cpu.'),
      ],
    });
    expect(explainFailures(result).failures[0].reasons).toEqual([{ reason: 'Insufficient cpu, node(s) had untolerated taint(s)', pods: 2 }]);
  });

  it('groups a wave of events at one time into one line', () => {
    const wave: SimEvent[] = ['n1', 'n2', 'n3'].map((n) => ({ t: 3600, type: 'interruption', source: 'ec2', object: `Node ${n}`, message: 'spot interruption warning' }));
    const result = failing({ name: 'maxPendingSeconds', limit: 10, measured: 60, passed: false, unit: 'seconds' }, {
      podPending: [pending('web/api-1', 3600, 3660, FIT)], events: wave,
    });
    expect(explainFailures(result).failures[0].events).toEqual([{ t: 3600, type: 'interruption', source: 'ec2', object: '3× Node', message: 'spot interruption warning — e.g. Node n1' }]);
  });

  // The fix must move the threshold that failed: each row names a threshold, the situation, and what the first fixes must (not) say.
  it.each<[string, ThresholdResult, Partial<PlanResult>, RegExp, RegExp | undefined]>([
    ['cost: spot, Graviton, consolidation; never more capacity', { name: 'maxMonthlyCostUsd', limit: 100, measured: 412.5, passed: false, unit: 'USD/month' },
      { cost: { ...sampleResult().cost, byCategory: { 'EC2 on-demand': 300, 'EKS control plane': 73 }, idleShare: 0.5 } },
      /^Run interruption-tolerant workloads on spot: 100% of EC2 spend is on-demand \(m6i\.large\)[\s\S]*Consolidate[\s\S]*Graviton/, /maxSize|Raise the NodePool limits|headroom/],
    ['cost led by load balancers: share them first', { name: 'maxMonthlyCostUsd', limit: 100, measured: 418, passed: false, unit: 'USD/month' },
      { cost: { ...sampleResult().cost, monthlyUsd: 418, byCategory: { 'Load balancers': 352, 'EC2 spot': 66 }, idleShare: 0.1 } },
      /^Share load balancers \(\$352\/month\)/, /maxSize|headroom/],
    ['pending after Karpenter hit its NodePool limit: raise the limits', { name: 'maxPendingSeconds', limit: 60, measured: 300, passed: false, unit: 'seconds' },
      { podPending: [pending('web/api-1', 3600, 3900, FIT)], events: [{ t: 3600, type: 'limit', source: 'karpenter', object: 'Pod web/api-1', message: 'cannot provision: NodePool general limit cpu exceeded' }] },
      /^Raise the NodePool limits/, undefined],
    ['pending on too many pods per node: prefix delegation or larger types', { name: 'maxPendingSeconds', limit: 60, measured: 300, passed: false, unit: 'seconds' },
      { podPending: [pending('web/api-1', 3600, 3900, '0/3 nodes are available: 3 Too many pods.')] },
      /prefix delegation/, /tolerations/],
    ['pending without an address: subnets', { name: 'maxPendingSeconds', limit: 60, measured: 300, passed: false, unit: 'seconds' },
      { podPending: [pending('web/api-1', 3600, 3900, 'failed to assign an IP address to container')] },
      /larger pod subnets|secondary CIDR/, undefined],
    ['pending on a taint alone: tolerations', { name: 'maxPendingSeconds', limit: 60, measured: 300, passed: false, unit: 'seconds' },
      { podPending: [pending('web/api-1', 3600, 3900, '0/3 nodes are available: 3 node(s) had untolerated taint {CriticalAddonsOnly: true}.')] },
      /tolerations/, undefined],
    ['subnet addresses: larger subnets, warm targets, prefix delegation', { name: 'minFreeSubnetIpsPercent', limit: 90, measured: 71.7, passed: false, unit: 'percent' }, {},
      /larger pod subnets[\s\S]*WARM_IP_TARGET[\s\S]*prefix delegation/, /spot|Graviton/],
    ['node count: bigger types, limits', { name: 'maxNodes', limit: 3, measured: 4, passed: false, unit: 'nodes' },
      { nodes: sampleResult().nodes.map((n) => ({ ...n, allocatable: { ...n.allocatable, milliCpu: 1930 } })) },
      /^Use bigger instance types[\s\S]*spec\.limits/, /prefix delegation/],
  ])('%s', (_name, threshold, overrides, expected, never) => {
    const fixes = explainFailures(failing(threshold, overrides)).failures[0].fixes.join('\n');
    expect(fixes).toMatch(expected);
    if (never) expect(fixes).not.toMatch(never);
  });

  it('lists error findings, which fail the verdict too', () => {
    const result = sampleResult({ findings: [{ severity: 'error', code: 'alb-subnets', object: 'Ingress web/api', message: 'needs 2 AZs', fix: 'tag subnets' }] });
    expect(explainFailures(result).errorFindings.map((f) => f.code)).toEqual(['alb-subnets']);
  });
});

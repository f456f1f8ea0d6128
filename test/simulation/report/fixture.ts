import { RESULT_SCHEMA_VERSION, type PlanResult } from '../../../simulation/model/result';

/** A small, hand-made PlanResult: 2 nodes, a web workload, one failed threshold. */
export function sampleResult(overrides: Partial<PlanResult> = {}): PlanResult {
  const timeline = [0, 3600, 7200].map((t, i) => ({
    t,
    nodes: 2 + i,
    nodesByOwner: { 'nodegroup/system': 2, 'nodepool/general': i },
    nodesByInstanceType: { 'm6i.large': 2, 'c7g.xlarge': i },
    podsRunning: 10 + i,
    podsPending: i === 1 ? 3 : 0,
    replicas: { 'Deployment web/api': 4 + i, 'Deployment jobs/worker': 2 },
    pendingByWorkload: { 'Deployment web/api': i === 1 ? 3 : 0 },
    requestedMilliCpu: 2000 + 500 * i,
    usedMilliCpu: 1200 + 300 * i,
    allocatableMilliCpu: 3860 + 3920 * i,
    requestedMemoryBytes: 4 * 2 ** 30,
    usedMemoryBytes: 3 * 2 ** 30,
    allocatableMemoryBytes: 14 * 2 ** 30,
    freeIpsBySubnet: { 'subnet-a': 200 - 10 * i, 'subnet-b': 180 },
    usdPerHour: 0.192 + 0.0612 * i,
    requestsPerSecond: { 'Deployment web/api': 100 * (i + 1) },
  }));
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    input: { origin: 'cdk.out', scenario: 'reference', seed: 42, region: 'us-east-1', durationSeconds: 10800, stepSeconds: 15, kubernetesVersion: '1.34' },
    verdict: {
      passed: false,
      errorFindings: 0,
      thresholds: [
        { name: 'maxPendingSeconds', limit: 120, measured: 300, passed: false, unit: 'seconds' },
        { name: 'maxMonthlyCostUsd', limit: 2000, measured: 412.5, passed: true, unit: 'USD/month' },
        { name: 'minFreeSubnetIpsPercent', limit: 20, measured: 70.3, passed: true, unit: 'percent' },
      ],
    },
    summary: {
      peakNodes: 4, peakPodsPending: 3, maxPendingSeconds: 300, pendingPodSeconds: 900, minFreeSubnetIpsPercent: 70.3,
      nodesByInstanceTypeAtPeak: { 'm6i.large': 2, 'c7g.xlarge': 2 },
    },
    nodes: [
      { name: 'system-a-1', instanceType: 'm6i.large', zone: 'us-east-1a', capacityType: 'on-demand', owner: { kind: 'nodegroup', name: 'system' }, launchedAt: 0, readyAt: 0, usdPerHour: 0.096, allocatable: { milliCpu: 1930, memoryBytes: 7 * 2 ** 30, pods: 29 }, maxPods: 29 },
      { name: 'system-b-1', instanceType: 'm6i.large', zone: 'us-east-1b', capacityType: 'on-demand', owner: { kind: 'nodegroup', name: 'system' }, launchedAt: 0, readyAt: 0, usdPerHour: 0.096, allocatable: { milliCpu: 1930, memoryBytes: 7 * 2 ** 30, pods: 29 }, maxPods: 29 },
      { name: 'general-x7', instanceType: 'c7g.xlarge', zone: 'us-east-1c', capacityType: 'spot', owner: { kind: 'nodepool', name: 'general' }, launchedAt: 3600, readyAt: 3660, terminatedAt: 7000, terminationReason: 'consolidation', usdPerHour: 0.0612, allocatable: { milliCpu: 3920, memoryBytes: 6 * 2 ** 30, pods: 58 }, maxPods: 58 },
    ],
    placements: [
      { workload: 'Deployment web/api', desired: 6, running: 6, pending: 0, nodes: { 'system-a-1': 3, 'system-b-1': 3 }, zones: { 'us-east-1a': 3, 'us-east-1b': 3 } },
    ],
    pendingPods: [
      { pod: 'web/api-7', workload: 'Deployment web/api', phase: 'Pending', message: '0/3 nodes are available: 3 Insufficient cpu.' },
      { pod: 'web/api-8', workload: 'Deployment web/api', phase: 'Pending', message: '0/3 nodes are available: 3 Insufficient cpu.' },
    ],
    podPending: [{
      pod: 'web/api-7', workload: 'Deployment web/api', pendingSeconds: 300, neverScheduled: false,
      intervals: [{ from: 3600, to: 3900, reason: '0/3 nodes are available: 3 Insufficient cpu.' }],
    }],
    subnets: [
      { id: 'subnet-a', cidr: '10.0.0.0/24', availabilityZone: 'us-east-1a', usable: 251, usedPeak: 71, freeMin: 180, freePercentMin: 71.7, exhaustedPods: 0 },
    ],
    timeline,
    events: [
      { t: 3600, type: 'launch', source: 'karpenter', object: 'NodeClaim general-x7', message: 'c7g.xlarge spot in us-east-1c for 3 pending pods' },
      { t: 7000, type: 'consolidate', source: 'karpenter', object: 'Node general-x7', message: 'empty for 30s' },
    ],
    cost: {
      region: 'us-east-1', currency: 'USD', windowHours: 3, windowUsd: 1.695, monthlyUsd: 412.5,
      byCategory: { 'EC2 on-demand': 140.16, 'EKS control plane': 73, 'EC2 spot': 199.34 },
      byWorkload: { 'Deployment web/api': 120.5 }, idleShare: 0.5,
      lines: [
        { category: 'EC2 on-demand', item: 'm6i.large', quantity: 6, unit: 'instance-hours', unitPriceUsd: 0.096, windowUsd: 0.576, monthlyUsd: 140.16, priceSource: 'catalog on-demand price' },
        { category: 'EKS control plane', item: 'standard support', quantity: 3, unit: 'cluster-hours', unitPriceUsd: 0.1, windowUsd: 0.3, monthlyUsd: 73, priceSource: 'aws.amazon.com/eks/pricing' },
      ],
    },
    findings: [
      { severity: 'warning', code: 'no-pdb', object: 'Deployment jobs/worker', message: '2 replicas without a PodDisruptionBudget', fix: 'add a PodDisruptionBudget' },
    ],
    ...overrides,
  };
}

import { computeCost, priceBook, trafficAssumptions } from '../../../simulation/cost';
import { RESULT_SCHEMA_VERSION, type SimulationResult } from '../../../simulation/model/result';
import { model, object } from '../checks/fixture';

// A small platform priced by hand (us-east-1, aws.amazon.com pricing pages as recorded in the catalog):
// 2 × m6i.large on-demand, 1 NAT gateway, 1 internet-facing ALB, a 100 GiB gp3 PVC, the control plane, 24 hours.
function smallPlatform(version = '1.34'): { m: ReturnType<typeof model>; result: SimulationResult } {
  const base = model();
  const m = model({
    cluster: { ...(base.cluster as NonNullable<typeof base.cluster>), version },
    natGateways: [{ id: 'Nat', subnetId: 'PublicA' }],
    loadBalancers: [{ kind: 'alb', scheme: 'internet-facing', owner: 'Ingress web/api' }],
    objects: [
      object('PersistentVolumeClaim', 'data/volume', { storageClassName: 'gp3', resources: { requests: { storage: '100Gi' } } }),
      object('StorageClass', 'gp3', {}, { parameters: { type: 'gp3' } } as never),
    ],
  });
  const node = (name: string) => ({ name, instanceType: 'm6i.large', zone: 'us-east-1a', capacityType: 'on-demand' as const, owner: { kind: 'static' as const, name: 'fixed' }, launchedAt: 0, usdPerHour: 0.096, allocatable: { milliCpu: 1930, memoryBytes: 7 * 2 ** 30, pods: 29 }, maxPods: 29 });
  const point = (t: number) => ({
    t, nodes: 2, nodesByOwner: {}, nodesByInstanceType: { 'm6i.large': 2 }, podsRunning: 4, podsPending: 0, replicas: { 'Deployment web/api': 2 }, pendingByWorkload: {},
    requestedMilliCpu: 1000, usedMilliCpu: 500, allocatableMilliCpu: 3860, requestedMemoryBytes: 2 ** 30, usedMemoryBytes: 2 ** 29, allocatableMemoryBytes: 14 * 2 ** 30,
    freeIpsBySubnet: {}, usdPerHour: 0.192, requestsPerSecond: { 'Deployment web/api': 0 },
  });
  const result: SimulationResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    input: { origin: 'test', scenario: 'test', seed: 1, region: 'us-east-1', durationSeconds: 86400, stepSeconds: 15 },
    summary: { peakNodes: 2, peakPodsPending: 0, maxPendingSeconds: 0, pendingPodSeconds: 0, minFreeSubnetIpsPercent: 100, nodesByInstanceTypeAtPeak: {} },
    nodes: [node('a'), node('b')], placements: [], pendingPods: [], podPending: [], subnets: [], timeline: [point(0), point(43200)], events: [], findings: [],
  };
  return { m, result };
}

describe('cost model', () => {
  const traffic = trafficAssumptions({ natProcessedGbPerMonth: 100, controlPlaneLogGbPerTypeMonth: 1, auditLogGbPerNodeMonth: 0.5 });

  it('prices a small platform as computed by hand', () => {
    const { m, result } = smallPlatform();
    const cost = computeCost({ model: m, result, prices: priceBook('us-east-1'), traffic, workloadRequests: new Map(), date: '2026-11-01', defaultRootVolumeGiB: 20 });
    const expected = {
      'EC2 on-demand': 2 * 0.096 * 730,               // 140.16
      EBS: 2 * 20 * 0.08 + 100 * 0.08,                // root volumes 3.20 + PVC 8.00
      'EKS control plane': 0.10 * 730,                 // 73.00 (1.34 is in standard support on 2026-11-01)
      'NAT gateway': 0.045 * 730 + 100 * 0.045,        // 32.85 + 4.50
      'Load balancers': 0.0225 * 730,                  // 16.425, no traffic so no LCU
      'Public IPv4': (1 + 2) * 0.005 * 730,            // NAT EIP + ALB in 2 AZs: 10.95
      'CloudWatch Logs': (5 * 1 + 0.5 * 2) * 0.50,     // 3.00
    };
    for (const [category, usd] of Object.entries(expected)) expect(cost.byCategory[category]).toBeCloseTo(usd, 1);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(cost.monthlyUsd).toBeCloseTo(total, 0);
    expect(cost.windowUsd).toBeCloseTo((total * 24) / 730, 1);
    for (const line of cost.lines) expect(line.priceSource).toMatch(/aws\.amazon\.com|catalog/);
  });

  it('charges the extended-support rate for a version past standard support', () => {
    const { m, result } = smallPlatform('1.30');
    const cost = computeCost({ model: m, result, prices: priceBook('us-east-1'), traffic, workloadRequests: new Map(), date: '2026-01-15' });
    // 1.30: standard support ended 2025-07-23, extended support until 2026-07-23 → $0.60/h
    expect(cost.byCategory['EKS control plane']).toBeCloseTo(0.60 * 730, 2);
    expect(cost.lines.find((l) => l.category === 'EKS control plane')?.item).toContain('extended support');
  });

  it('bills ALB capacity units from the traffic through it', () => {
    const { m, result } = smallPlatform();
    m.objects.push(
      object('Ingress', 'web/api', { ingressClassName: 'alb', rules: [{ http: { paths: [{ backend: { service: { name: 'api' } } }] } }] }),
      object('Service', 'web/api', { selector: { app: 'api' } }),
      object('Deployment', 'web/api', { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [] } } }),
    );
    const busy = { ...result, timeline: result.timeline.map((p) => ({ ...p, requestsPerSecond: { 'Deployment web/api': 50 } })) };
    const cost = computeCost({ model: m, result: busy, prices: priceBook('us-east-1'), traffic: trafficAssumptions({ bytesPerRequest: 20480 }), workloadRequests: new Map() });
    // 50 rps × 20 KiB × 3600 s = 3.6864 GB/h processed → 3.6864 LCU (the largest dimension) × $0.008 × 730 h
    const lcu = cost.lines.find((l) => l.item.endsWith('LCU'));
    expect(lcu?.monthlyUsd).toBeCloseTo(3.6864 * 0.008 * 730, 1);
  });

  it('allocates node cost to workloads by requests and reports the idle share', () => {
    const { m, result } = smallPlatform();
    const cost = computeCost({ model: m, result, prices: priceBook('us-east-1'), traffic, workloadRequests: new Map([['Deployment web/api', { milliCpu: 500, memoryBytes: 2 ** 29 }]]) });
    expect(cost.byWorkload['Deployment web/api']).toBeGreaterThan(0);
    expect(cost.idleShare).toBeGreaterThan(0.5);
    expect(cost.idleShare).toBeLessThan(1);
  });
});

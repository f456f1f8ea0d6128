import { instanceType, karpenterVmOverheadMiB } from '../../simulation/catalog';
import { chooseOffering, prepareNodePool, solveProvisioning } from '../../simulation/autoscaling/karpenter';
import type { SimPod } from '../../simulation/autoscaling/types';
import { parseScenario, placeStatic, simulate } from '../../simulation/engine';
import type { ClusterModel } from '../../simulation/model/cluster';
import type { KarpenterNodePool } from '../../simulation/model/kubernetes';
import { plan } from '../../simulation/pipeline';
import { renderJson, renderText } from '../../simulation/report';
import { podRequests } from '../../simulation/scheduler';
import { model, nodeGroup, object } from './checks/fixture';
import { makePod } from './helpers';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function deployment(name: string, replicas: number, cpu: string, memory: string, extra: Record<string, unknown> = {}, podLabels: Record<string, string> = { app: name }) {
  return object('Deployment', `default/${name}`, {
    replicas, selector: { matchLabels: podLabels },
    template: { metadata: { labels: podLabels }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu, memory }, limits: { memory } } }], ...extra } },
  });
}

function hpa(name: string, min: number, max: number, target = 50) {
  return object('HorizontalPodAutoscaler', `default/${name}`, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }] });
}

function nodePool(name: string, spec: Partial<KarpenterNodePool['spec']> & { requirements?: unknown[] } = {}) {
  const { requirements, ...rest } = spec;
  return object('NodePool', name, {
    template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: requirements ?? [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }] } },
    disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s' },
    ...rest,
  });
}

const nodeClass = object('EC2NodeClass', 'default', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }] });

function simPod(name: string, cpu: string, memory: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): SimPod {
  const pod = makePod(name, { cpu, memory }, spec, labels);
  return { key: `default/${name}`, pod, workload: { key: 'Deployment default/x', kind: 'Deployment', namespace: 'default', name: 'x', replicas: 1, template: { spec: pod.spec }, daemonSet: false, volumeClaims: 0, system: false }, requests: podRequests(pod), ordinal: 0, phase: 'Pending', createdAt: 0, pendingSeconds: 0, lastMessage: 'x' };
}

function solve(pods: SimPod[], pools: KarpenterNodePool[]) {
  const prepared = pools.map((p) => prepareNodePool(p, undefined, 'us-east-1'));
  return solveProvisioning({
    pods, pools: prepared, zones: ZONES, poolZones: () => ZONES,
    zoneCounts: () => new Map(), poolUsage: () => ({ milliCpu: 0, memoryBytes: 0, nodes: 0 }),
  });
}

const price = (t: string) => instanceType(t).onDemandUsdPerHour('us-east-1');

describe('Karpenter provisioning', () => {
  it('chooses the cheapest type that fits all pods (3 × 1 CPU / 2Gi on c5/m5 → one c5.xlarge)', () => {
    // c5.xlarge: 4 vCPU − 80m reserved = 3920m; 8192Mi − 615Mi VM overhead − (11×58+255)Mi − 100Mi = 6584Mi ≥ 6144Mi; $0.17 < m5.xlarge $0.192
    expect(8192 - karpenterVmOverheadMiB(instanceType('c5.xlarge')) - (11 * 58 + 255) - 100).toBe(6584);
    const pool = nodePool('general', { requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['c5', 'm5'] }] }).object as KarpenterNodePool;
    const result = solve(['a', 'b', 'c'].map((n) => simPod(n, '1', '2Gi')), [pool]);
    expect(result.claims).toHaveLength(1);
    const offering = chooseOffering(result.claims[0], ZONES, (t) => price(t), () => true);
    expect(offering?.type.info.name).toBe('c5.xlarge');
    expect(offering?.capacityType).toBe('on-demand');
  });

  it('uses the higher-weight NodePool first', () => {
    const cheap = nodePool('cheap', { weight: 10, requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['c5'] }] }).object as KarpenterNodePool;
    const preferred = nodePool('preferred', { weight: 50, requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m5'] }] }).object as KarpenterNodePool;
    const result = solve([simPod('a', '1', '1Gi')], [cheap, preferred]);
    expect(result.claims.map((c) => c.pool.name)).toEqual(['preferred']);
  });

  it('respects NodePool limits: pods beyond the CPU limit stay unschedulable', () => {
    const pool = nodePool('small', { limits: { cpu: '4' }, requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c5.xlarge'] }] }).object as KarpenterNodePool;
    const result = solve(Array.from({ length: 6 }, (_, i) => simPod(`p${i}`, '1500m', '1Gi')), [pool]);
    expect(result.claims).toHaveLength(1);
    expect(result.claims[0].pods).toHaveLength(2);
    expect([...result.unschedulable.values()]).toEqual(Array(4).fill('NodePool small: limits exceeded'));
  });

  it('honours requirements: arm64 gives Graviton types; spot when allowed', () => {
    const pool = nodePool('arm', { requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }, { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['m', 'c'] }] }).object as KarpenterNodePool;
    const result = solve([simPod('a', '1', '1Gi')], [pool]);
    expect(result.claims[0].candidates.every((t) => t.info.arch === 'arm64')).toBe(true);
    const offering = chooseOffering(result.claims[0], ZONES, (t, _z, c) => (c === 'spot' ? price(t) * 0.3 : price(t)), () => true);
    expect(offering?.capacityType).toBe('spot');
  });

  it('spreads pods with a zone topology constraint over three NodeClaims in three zones', () => {
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    const pool = nodePool('general').object as KarpenterNodePool;
    const result = solve(['a', 'b', 'c'].map((n) => simPod(n, '500m', '512Mi', spread, { app: 'web' })), [pool]);
    expect(result.claims.map((c) => c.zone).sort()).toEqual(ZONES);
  });

  it('rejects pods whose taints are not tolerated and says why', () => {
    const pool = nodePool('gpu', { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] } } } as never).object as KarpenterNodePool;
    expect([...solve([simPod('a', '1', '1Gi')], [pool]).unschedulable.values()]).toEqual(['NodePool gpu: taints not tolerated']);
  });
});

function karpenterModel(extra: ClusterModel['objects'] = [], pool = nodePool('general')): ClusterModel {
  return model({ objects: [pool, nodeClass, ...extra] });
}

describe('time simulation', () => {
  it('Cluster Autoscaler scales a node group up for pending pods and back down after load falls', () => {
    const m = model({
      nodeGroups: [nodeGroup({ name: 'workers', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 8 })],
      objects: [deployment('app', 1, '500m', '256Mi'), hpa('app', 1, 20)],
    });
    const scenario = parseScenario({
      duration: '4h', step: '15s', seed: 3,
      loads: [{ workload: 'Deployment default/app', profile: { type: 'step', steps: [{ at: 0, rps: 10 }, { at: '30m', rps: 400 }, { at: '2h', rps: 10 }] }, perRequest: { cpuMillicores: 2 }, baseline: { cpuMillicores: 20 } }],
      controllers: { clusterAutoscaler: { provisioningDelay: '3m' } },
      // The fixture deploys neither the Cluster Autoscaler nor metrics-server: the scenario says they run.
      assume: ['cluster-autoscaler', 'metrics-server'],
    });
    const result = simulate(m, scenario);
    const ups = result.events.filter((e) => e.type === 'scale-up' && e.source === 'cluster-autoscaler');
    const downs = result.events.filter((e) => e.type === 'scale-down');
    expect(ups.length).toBeGreaterThan(0);
    expect(result.summary.peakNodes).toBeGreaterThan(1);
    expect(downs.length).toBeGreaterThan(0);
    // Never within scale-down-delay-after-add (10m) of a scale-up, and only nodes unneeded for 10 minutes.
    for (const down of downs) {
      const lastUp = Math.max(...ups.filter((u) => u.t <= down.t).map((u) => u.t));
      expect(down.t - lastUp).toBeGreaterThanOrEqual(600);
    }
    expect(result.timeline[result.timeline.length - 1].nodes).toBeLessThan(result.summary.peakNodes);
    // New nodes take the provisioning delay to become Ready.
    const launched = result.nodes.filter((n) => n.launchedAt > 0);
    expect(launched.every((n) => n.readyAt === undefined || n.readyAt - n.launchedAt >= 180)).toBe(true);
  });

  it('Karpenter provisions for load, then consolidates after it falls', () => {
    const scenario = parseScenario({
      duration: '6h', step: '15s', seed: 5,
      loads: [{ workload: 'default/api', profile: { type: 'step', steps: [{ at: 0, rps: 20 }, { at: '1h', rps: 900 }, { at: '3h', rps: 20 }] }, perRequest: { cpuMillicores: 3 }, baseline: { cpuMillicores: 20 } }],
      assume: ['karpenter', 'metrics-server'],
    });
    const result = simulate(karpenterModel([deployment('api', 2, '500m', '512Mi'), hpa('api', 2, 40)]), scenario);
    expect(result.events.some((e) => e.type === 'launch' && e.source === 'karpenter')).toBe(true);
    expect(result.events.some((e) => e.type === 'consolidate' && e.t > 3 * 3600)).toBe(true);
    const at = (t: number) => result.timeline.filter((p) => p.t <= t).pop()?.nodes ?? 0;
    expect(at(2.5 * 3600)).toBeGreaterThan(at(5.9 * 3600));
  });

  it('replaces interrupted spot nodes', () => {
    const pool = nodePool('spot', { requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] });
    const scenario = parseScenario({ duration: '2h', step: '15s', faults: [{ type: 'spot-interruption', at: '1h', fraction: 1 }], assume: ['karpenter'] });
    const result = simulate(karpenterModel([deployment('api', 4, '1', '1Gi')], pool), scenario);
    const drained = result.events.filter((e) => e.type === 'interruption' && e.source === 'karpenter');
    expect(drained.length).toBeGreaterThan(0);
    expect(result.events.some((e) => e.type === 'launch' && e.t >= 3600)).toBe(true);
    expect(result.placements.find((p) => p.workload === 'Deployment default/api')?.running).toBe(4);
  });

  it('leaves pods pending in an AZ outage when topology spread forbids the other zones', () => {
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    const base = model();
    const m = model({
      subnets: [...base.subnets, { id: 'PrivateC', cidr: '10.0.96.0/19', availabilityZone: 'us-east-1c', public: false, tags: {} }],
      nodeGroups: [nodeGroup({ name: 'workers', instanceTypes: ['m5.xlarge'], minSize: 3, desiredSize: 3, maxSize: 3, subnetIds: ['PrivateA', 'PrivateB', 'PrivateC'] })],
      objects: [deployment('web', 6, '500m', '512Mi', spread, { app: 'web' })],
    });
    const scenario = parseScenario({ duration: '2h', step: '15s', faults: [{ type: 'az-outage', zone: 'us-east-1a', from: '30m', to: '90m' }], thresholds: { maxPendingPods: 0 } });
    const result = plan(m, scenario);
    const during = result.timeline.filter((p) => p.t > 40 * 60 && p.t < 85 * 60);
    expect(Math.max(...during.map((p) => p.pendingByWorkload['Deployment default/web'] ?? 0))).toBe(2);
    const after = result.timeline.filter((p) => p.t > 100 * 60);
    expect(after.every((p) => (p.pendingByWorkload['Deployment default/web'] ?? 0) === 0)).toBe(true);
    expect(result.verdict.passed).toBe(false);
    expect(result.verdict.thresholds).toEqual([{ name: 'maxPendingPods', limit: 0, measured: 2, passed: false, unit: 'pods' }]);
  });

  it('is deterministic: the same inputs and seed give byte-identical JSON', () => {
    const scenario = parseScenario({ duration: '3h', step: '15s', seed: 11, loads: [{ workload: 'default/api', profile: { type: 'diurnal', min: 10, max: 500, peakHour: 1 } }], faults: [{ type: 'spot-interruption', ratePerHour: 0.2 }] });
    const pool = nodePool('general', { requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }] });
    const run = () => renderJson(plan(karpenterModel([deployment('api', 2, '250m', '256Mi'), hpa('api', 2, 30)], pool), scenario));
    expect(run()).toEqual(run());
  });
});

describe('static placement', () => {
  it('a /24 pod subnet runs out of addresses before CPU runs out, and the report says so', () => {
    // 10 × m5.4xlarge (16 vCPU) in one /24 (251 usable): each node holds its primary ENI plus a warm ENI of 29 IPs.
    const m = model({
      subnets: [{ id: 'Small', cidr: '10.0.200.0/24', availabilityZone: 'us-east-1a', public: false, tags: {} }],
      nodeGroups: [nodeGroup({ name: 'dense', instanceTypes: ['m5.4xlarge'], minSize: 6, desiredSize: 6, maxSize: 6, subnetIds: ['Small'] })],
      objects: [deployment('tiny', 300, '50m', '64Mi')],
    });
    const { result } = placeStatic(m);
    const subnet = result.subnets[0];
    expect(subnet.usable).toBe(251);
    expect(subnet.exhaustedPods).toBeGreaterThan(0);
    const noIp = result.pendingPods.filter((p) => p.phase === 'ContainerCreating');
    expect(noIp.length).toBeGreaterThan(0);
    expect(noIp[0].message).toBe('failed to assign an IP address to container');
    // CPU was not the limit: 300 × 50m = 15 CPU of 6 × 15.89 allocatable.
    expect(result.pendingPods.some((p) => p.message.includes('Insufficient cpu'))).toBe(false);
    expect(renderText(plan(m)).replace(/\s+/g, ' ')).toContain('failed to assign an IP address to container');
  });

  it('places DaemonSets on every node first and preempts lower-priority pods for a critical one', () => {
    const m = model({
      nodeGroups: [nodeGroup({ name: 'one', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 1, subnetIds: ['PrivateA'] })],
      objects: [
        object('PriorityClass', 'critical', {}, { value: 1000 } as never),
        deployment('filler', 3, '500m', '256Mi'),
        deployment('important', 1, '900m', '256Mi', { priorityClassName: 'critical' }),
        object('DaemonSet', 'default/agent', { template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } } }),
      ],
    });
    const { result } = placeStatic(m);
    const byWorkload = Object.fromEntries(result.placements.map((p) => [p.workload, p]));
    expect(byWorkload['DaemonSet default/agent'].running).toBe(1);
    expect(byWorkload['Deployment default/important'].running).toBe(1);
    // 1930m allocatable − 100m agent − 900m important leaves room for one 500m filler.
    expect(byWorkload['Deployment default/filler'].running).toBe(1);
    expect(result.pendingPods.filter((p) => p.workload === 'Deployment default/filler')).toHaveLength(2);
  });

  it('applies LimitRange defaults and refuses pods beyond a ResourceQuota', () => {
    const m = model({
      nodeGroups: [nodeGroup({ name: 'one', instanceTypes: ['m5.xlarge'], minSize: 1, desiredSize: 1, maxSize: 1, subnetIds: ['PrivateA'] })],
      objects: [
        object('LimitRange', 'default/defaults', { limits: [{ type: 'Container', defaultRequest: { cpu: '300m', memory: '128Mi' }, default: { memory: '256Mi' } }] }),
        object('ResourceQuota', 'default/quota', { hard: { pods: '3' } }),
        object('Deployment', 'default/bare', { replicas: 4, template: { metadata: { labels: { app: 'bare' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } }),
      ],
    });
    const { result, state } = placeStatic(m);
    const pod = [...state.pods.values()].find((p) => p.workload.name === 'bare');
    expect(pod?.requests.milliCpu).toBe(300);
    expect(result.placements.find((p) => p.workload === 'Deployment default/bare')?.running).toBe(3);
    expect(result.pendingPods.find((p) => p.pod.includes('not created'))?.message).toMatch(/exceeded quota: quota, requested: pods=1, used: pods=3, limited: pods=3/);
  });
});

import { simulate } from '../../../simulation/engine';
import { object } from '../checks/fixture';
import { clusterModel, deployment, nodeClass, nodeGroup, nodePool, scenario } from './fixtures';

// CoreDNS (whose preferred anti-affinity Karpenter treats as required, keeping replicas apart) runs on a fixed
// system node group, so the Karpenter nodes hold only the case's pods.
const system = [nodeGroup({ name: 'system', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 1, subnetIds: ['PrivateA'], taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] })];

// kubernetes-sigs/karpenter pkg/controllers/disruption/consolidation_test.go, as scenarios: the cluster is brought to
// the case's starting point by load, then the disruption controller acts on it.

function hpa(name: string, min: number, max: number) {
  return object('HorizontalPodAutoscaler', `default/${name}`, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] });
}

// Replicas 1 → 2 → 3 at separate times, each new 1.2-CPU pod on its own m5.large (none has room for a second).
const rampTo3 = (hold: string) => scenario({
  duration: hold, step: '15s', seed: 2,
  loads: [{ workload: 'Deployment default/api', profile: { type: 'step', steps: [{ at: 0, rps: 500 }, { at: '10m', rps: 900 }, { at: '25m', rps: 1500 }] }, perRequest: { cpuMillicores: 1 }, baseline: { cpuMillicores: 100 } }],
});

describe('consolidation_test.go: multi-node consolidation', () => {
  it('consolidation_test.go: can merge 3 nodes into 1 (replace): three m5.large ($0.288/h) become one c5.xlarge ($0.17/h)', () => {
    // The default budget (10% of 3 nodes, rounded up: 1) allows no multi-node command; the case's NodePool allows all.
    const pool = nodePool('general', [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large', 'c5.xlarge'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }], { disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s', budgets: [{ nodes: '100%' }] } });
    const result = simulate(clusterModel([pool, nodeClass(), deployment('api', 1, '1200m', '1Gi'), hpa('api', 1, 3)], system), rampTo3('2h'));
    const replace = result.events.find((e) => e.type === 'replace' && e.message.startsWith('multi-node consolidation'));
    expect(replace?.message).toContain('c5.xlarge');
    const last = result.timeline[result.timeline.length - 1];
    expect(last.podsPending).toBe(0);
    // The system node group's m5.large, and the replacement.
    expect(last.nodesByInstanceType).toEqual({ 'm5.large': 1, 'c5.xlarge': 1 });
  });
});

describe('consolidation_test.go: spot-to-spot consolidation behind its feature gate', () => {
  // Two 1.2-CPU replicas start on one spot node sized for both; with low load the HPA keeps one, and the node is
  // then too big for what it runs. Only a spot replacement could make it cheaper (no other node can take the pod).
  const spotPool = nodePool('spot', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }, { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }]);
  const chart = (gate: boolean) => ({ chart: 'karpenter', release: 'karpenter', namespace: 'kube-system', values: { settings: { featureGates: { spotToSpotConsolidation: gate } } } });
  const lowLoad = scenario({
    duration: '1h', step: '15s', seed: 3,
    loads: [{ workload: 'Deployment default/api', profile: { type: 'step', steps: [{ at: 0, rps: 100 }] }, perRequest: { cpuMillicores: 1 }, baseline: { cpuMillicores: 100 } }],
  });
  const run = (gate: boolean) => simulate(clusterModel([spotPool, nodeClass(), deployment('api', 2, '1200m', '1Gi'), hpa('api', 1, 2)], system, { helmReleases: [chart(gate)] }), lowLoad, { warmupSeconds: 60 });

  it('consolidation_test.go: spot nodes are not replaced by spot when SpotToSpotConsolidation is off', () => {
    expect(run(false).events.filter((e) => e.type === 'replace')).toEqual([]);
  });

  it('consolidation_test.go: with the gate on, the spot node is replaced by a cheaper spot node of the 15 cheapest types', () => {
    const result = run(true);
    const replace = result.events.find((e) => e.type === 'replace');
    expect(replace).toBeDefined();
    const replaced = result.nodes.find((n) => n.terminationReason === 'consolidation: replaced by a cheaper node');
    const replacement = result.nodes.find((n) => replace?.message.includes(n.instanceType) && n.launchedAt >= (replaced?.launchedAt ?? 0) && n !== replaced);
    expect(replacement?.capacityType).toBe('spot');
    expect(replacement?.usdPerHour ?? Infinity).toBeLessThan(replaced?.usdPerHour ?? 0);
  });
});

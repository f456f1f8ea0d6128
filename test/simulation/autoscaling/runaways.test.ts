import { chooseOffering, prepareNodePool, solveProvisioning } from '../../../simulation/autoscaling/karpenter';
import { daemonOverheadByType } from '../../../simulation/autoscaling/karpenter/daemon-overhead';
import { instanceType } from '../../../simulation/catalog';
import { simulate } from '../../../simulation/engine';
import type { KarpenterNodePool } from '../../../simulation/model/kubernetes';
import { makePod } from '../helpers';
import { clusterModel, daemonSet, deployment, nodeClass, nodeGroup, nodePool, simPod, SUBNETS, ZONES, scenario } from './fixtures';

// Each case reproduces a loop the simulation used to run into, with the figures of the issue that found it; the
// assertions are what upstream does on the same input.

const launchesBy = (result: ReturnType<typeof simulate>, kind: string) => result.nodes.filter((n) => n.owner.kind === kind);

describe('runaway: DaemonSet overhead sized on the cheapest type only', () => {
  // Was: 372 launches in 30 minutes, 22 nodes at peak, the two pods never ran. kubernetes-sigs/karpenter scheduler.go
  // counts the 1-CPU agent against every instance type it is compatible with, so one node holds agent + both pods.
  it('a 1-CPU agent DaemonSet, a c/m/r NodePool and two 1.5-CPU pods: one launch, pods running', () => {
    const m = clusterModel([
      nodePool('general', [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }]),
      nodeClass(), daemonSet('agent', '1', '256Mi'), deployment('app', 2, '1500m', '1Gi'),
    ]);
    const result = simulate(m, scenario({ duration: '30m', step: '15s', seed: 1 }));
    const launched = launchesBy(result, 'nodepool');
    // One node for agent + both pods; a second only for the CoreDNS replica whose preferred anti-affinity Karpenter
    // first treats as required (preferences.go), consolidated once it is Ready.
    expect(launched.length).toBeLessThanOrEqual(2);
    expect(result.timeline[result.timeline.length - 1].nodes).toBe(1);
    expect(result.timeline[result.timeline.length - 1].podsPending).toBe(0);
    // The node holds agent + pods: 4 CPU of requests need more than a 4-vCPU type's 3920m allocatable.
    expect(Number(launched[0].allocatable.milliCpu)).toBeGreaterThanOrEqual(4000);
  });

  it('a DaemonSet bigger than the smallest types keeps those types out instead of being dropped', () => {
    // ebs-csi-node-like agent (300m / 400Mi) on an unrestricted NodePool whose cheapest type (t4g.nano) cannot hold it:
    // it still counts there (no size check), so the claim for a small pod only keeps types that hold both.
    const pool = prepareNodePool(nodePool('any', []).object as KarpenterNodePool, undefined, 'us-east-1');
    const agent = makePod('ebs-csi-node', { cpu: '300m', memory: '400Mi' });
    expect(daemonOverheadByType(pool, [agent]).get(pool.types[0].info.name)).toMatchObject({ milliCpu: 300, pods: 1 });
    const result = solveProvisioning({
      pods: [simPod('small', '100m', '100Mi')], pools: [pool], daemonSetPods: [agent], zones: ZONES, poolZones: () => ZONES,
      zoneCounts: () => new Map(), poolUsage: () => ({ milliCpu: 0, memoryBytes: 0, nodes: 0 }),
    });
    const chosen = chooseOffering(result.claims[0], ZONES, (t) => instanceType(t).onDemandUsdPerHour('us-east-1'), () => true);
    expect(chosen?.type.allocatableMilliCpu).toBeGreaterThanOrEqual(400);
    expect(chosen?.type.allocatableMemoryBytes).toBeGreaterThanOrEqual(500 * 2 ** 20);
    expect(result.claims[0].candidates.some((t) => t.info.name === pool.types[0].info.name)).toBe(false);
  });
});

describe('runaway: Cluster Autoscaler estimate from an empty snapshot', () => {
  // Was: every zonal group scaled to max (16 scale-ups, 11 nodes) and 3 pods still pending after an hour. The
  // estimator forks the whole cluster snapshot (binpacking_estimator.go), so existing pods count for the spread.
  it('one node group per zone and a zone spread: one node per zone added, nothing left pending', () => {
    const groups = ZONES.map((zone, i) => nodeGroup({ name: `workers-${zone}`, instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 4, subnetIds: [SUBNETS[i].id] }));
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } } }] };
    // An m5.large holds 3 api pods: 12 with maxSkew 1 need a second node in each zone, no more.
    const m = clusterModel([deployment('api', 12, '500m', '512Mi', spread)], groups);
    const result = simulate(m, scenario({ duration: '1h', step: '15s', seed: 3 }));
    const ups = result.events.filter((e) => e.type === 'scale-up');
    expect(result.summary.peakNodes).toBeLessThanOrEqual(6);
    expect(ups.length).toBeLessThanOrEqual(3);
    expect(result.timeline[result.timeline.length - 1].podsPending).toBe(0);
  });
});

describe('runaway: Karpenter zone spread over the NodePool zones only', () => {
  // Was: 29 launches of empty nodes in 30 minutes. topologygroup.go takes the minimum over every eligible domain
  // (here zone c, served by a full node group), so Karpenter does not launch where kube-scheduler cannot bind.
  it('a zone served by a full node group: no launches of nodes the pods cannot use', () => {
    const groups = [nodeGroup({ name: 'static-c', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 1, subnetIds: ['PrivateC'] })];
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } } }] };
    const pool = nodePool('ab', [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a', 'us-east-1b'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }]);
    const m = clusterModel([pool, nodeClass(), deployment('api', 12, '500m', '512Mi', spread)], groups);
    const result = simulate(m, scenario({ duration: '30m', step: '15s', seed: 4 }));
    const launched = launchesBy(result, 'nodepool');
    // Zone c holds 3 api pods (one m5.large), so a and b may take 4 each: the 12th pod cannot run anywhere
    // (kube-scheduler's PodTopologySpread agrees), and Karpenter launches nothing for it.
    expect(launched.length).toBeLessThanOrEqual(4);
    const t = result.timeline[result.timeline.length - 1];
    expect(t.podsPending).toBe(1);
    expect(result.events.filter((e) => e.type === 'launch' && e.t > 300)).toEqual([]);
  });
});

import { simulate } from '../../../simulation/engine';
import type { SimulationResult } from '../../../simulation/model/result';
import { object } from '../checks/fixture';
import { clusterModel, deployment, nodeClass, nodeGroup, nodePool, scenario } from './fixtures';

// Issue 15: a single-node replacement is planned in a snapshot without the node it replaces, so that node no longer
// counts for topology (kubernetes-sigs/karpenter pkg/controllers/disruption/helpers.go SimulateScheduling: the
// candidates' nodes are excluded from the scheduling simulation and their pods rescheduled).

const ZONE_A = 'us-east-1a';
const ZONE_B = 'us-east-1b';

// CoreDNS runs on a fixed, tainted system node group so the Karpenter nodes hold only the case's pods. It has a node
// in each zone, so both zones stay topology domains whatever Karpenter removes (PodTopologySpread counts the domains
// of every node, tainted or not: nodeTaintsPolicy defaults to Ignore).
const system = [nodeGroup({ name: 'system', instanceTypes: ['m5.large'], minSize: 2, desiredSize: 2, maxSize: 2, subnetIds: ['PrivateA', 'PrivateB'], taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] })];

// Two zones, on-demand, c and m families: Karpenter first packs two 1.2-CPU pods per zone onto one node each.
const pool = nodePool('general', [
  { key: 'topology.kubernetes.io/zone', operator: 'In', values: [ZONE_A, ZONE_B] },
  { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
  { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'] },
]);

// A hard zone spread: with one pod per zone, moving either pod to the other zone gives a skew of 2.
const zoneSpread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } } }] };
const hpa = object('HorizontalPodAutoscaler', 'default/api', { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] });

// Four replicas at the start; low load lets the HPA drop to two (one per zone), which leaves each node oversized.
const lowLoad = scenario({
  duration: '1h', step: '15s', seed: 4,
  loads: [{ workload: 'Deployment default/api', profile: { type: 'constant', rps: 10 }, perRequest: { cpuMillicores: 1 }, baseline: { cpuMillicores: 100 } }],
});

function run(): SimulationResult {
  return simulate(clusterModel([pool, nodeClass(), deployment('api', 4, '1200m', '1Gi', zoneSpread), hpa], system), lowLoad, { warmupSeconds: 60 });
}

describe('single-node replacement with the replaced node out of the topology', () => {
  const result = run();
  const karpenterNodes = result.nodes.filter((n) => n.owner.kind === 'nodepool');
  const replaced = karpenterNodes.filter((n) => n.terminationReason === 'consolidation: replaced by a cheaper node');

  // Counted without its node, the pod's zone has no api pod left: moving it to the other zone's node (which has
  // room) would give a skew of 2, so deletion is invalid and only a replacement in the same zone fits. Were the
  // node still counted, its own pod would keep its zone at 1 and the cheaper plan would be to delete the node.
  it('the first consolidation of an oversized node replaces it in its own zone instead of moving its pod', () => {
    const first = result.events.find((e) => e.source === 'karpenter' && (e.type === 'replace' || e.type === 'consolidate'));
    expect(first?.type).toBe('replace');
    const old = karpenterNodes.find((n) => first?.object === `Node ${n.name}`);
    const launch = result.events.find((e) => e.type === 'launch' && e.t === first?.t && e.message.startsWith(`consolidation: replacing ${old?.name}`));
    expect(launch?.message).toContain(`in ${old?.zone}`);
    expect(old?.terminationReason).toBe('consolidation: replaced by a cheaper node');
  });

  it('each replacement lands in the zone of the node it replaces, and is cheaper', () => {
    for (const old of replaced) {
      const replacement = karpenterNodes.find((n) => n !== old && n.zone === old.zone && n.launchedAt > old.launchedAt && n.launchedAt <= (old.terminatedAt ?? Infinity));
      expect(replacement).toBeDefined();
      expect(replacement?.usdPerHour ?? Infinity).toBeLessThan(old.usdPerHour);
    }
  });

  it('ends with one pod per zone, none pending', () => {
    const api = result.placements.find((p) => p.workload === 'Deployment default/api');
    expect(api?.zones).toEqual({ [ZONE_A]: 1, [ZONE_B]: 1 });
    expect(api?.pending).toBe(0);
  });
});

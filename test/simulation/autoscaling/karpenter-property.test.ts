import fc from 'fast-check';
import { chooseOffering, prepareNodePool, solveProvisioning } from '../../../simulation/autoscaling/karpenter';
import { buildNode, instanceType } from '../../../simulation/catalog';
import { simulate } from '../../../simulation/engine';
import type { KarpenterNodePool, Pod, Taint } from '../../../simulation/model/kubernetes';
import { NodeInfo, Scheduler } from '../../../simulation/scheduler';
import { makePod } from '../helpers';
import { clusterModel, daemonSet, deployment, nodeClass, nodePool, simPod, ZONES, scenario } from './fixtures';

// Properties over random platforms: the provisioner never plans a node none of its pods can run on (checked with
// the kube-scheduler's own filters on the node as it would join, DaemonSet pods first), and a time simulation never
// launches without bound for its pending pods.

const CATEGORIES = ['c', 'm', 'r', 't'];
const TAINT: Taint = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };

const platform = fc.record({
  categories: fc.subarray(CATEGORIES, { minLength: 1 }),
  capacity: fc.constantFrom(['on-demand'], ['spot'], ['spot', 'on-demand']),
  arch: fc.constantFrom(undefined, 'amd64', 'arm64'),
  tainted: fc.boolean(),
  daemonSets: fc.array(fc.record({ cpu: fc.integer({ min: 10, max: 1500 }), memoryMiB: fc.integer({ min: 16, max: 2048 }), tolerates: fc.boolean(), arm64Only: fc.boolean() }), { maxLength: 3 }),
  pods: fc.array(fc.record({
    cpu: fc.integer({ min: 50, max: 6000 }), memoryMiB: fc.integer({ min: 64, max: 16384 }), tolerates: fc.boolean(),
    spread: fc.constantFrom('none', 'zone', 'hostname'), zone: fc.constantFrom(undefined, ...ZONES), group: fc.integer({ min: 0, max: 2 }),
  }), { minLength: 1, maxLength: 12 }),
});
type Platform = typeof platform extends fc.Arbitrary<infer T> ? T : never;

function rawPool(p: Platform): KarpenterNodePool {
  const requirements = [
    { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: p.categories },
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: p.capacity },
    ...(p.arch ? [{ key: 'kubernetes.io/arch', operator: 'In', values: [p.arch] }] : []),
  ];
  return nodePool('general', requirements, {}, p.tainted ? { taints: [TAINT] } : {}).object as KarpenterNodePool;
}

function daemonPods(p: Platform): Pod[] {
  return p.daemonSets.map((d, i) => makePod(`ds-${i}`, { cpu: `${d.cpu}m`, memory: `${d.memoryMiB}Mi` }, {
    ...(d.tolerates ? { tolerations: [{ operator: 'Exists' as const }] } : {}),
    ...(d.arm64Only ? { nodeSelector: { 'kubernetes.io/arch': 'arm64' } } : {}),
  }));
}

function pendingPods(p: Platform) {
  return p.pods.map((x, i) => simPod(`p${i}`, `${x.cpu}m`, `${x.memoryMiB}Mi`, {
    ...(x.tolerates ? { tolerations: [{ key: 'dedicated', operator: 'Exists' as const }] } : {}),
    ...(x.zone ? { nodeSelector: { 'topology.kubernetes.io/zone': x.zone } } : {}),
    ...(x.spread !== 'none' ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: x.spread === 'zone' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { g: String(x.group) } } }] } : {}),
  }, { g: String(x.group) }));
}

describe('property: every planned node can run at least one of the pods it was planned for', () => {
  it('holds over random NodePools, DaemonSets and pods', () => {
    const scheduler = new Scheduler();
    fc.assert(fc.property(platform, (p) => {
      const pool = prepareNodePool(rawPool(p), undefined, 'us-east-1');
      const daemons = daemonPods(p);
      const result = solveProvisioning({ pods: pendingPods(p), pools: [pool], daemonSetPods: daemons, zones: ZONES, poolZones: () => ZONES, zoneCounts: () => new Map(), poolUsage: () => ({ milliCpu: 0, memoryBytes: 0, nodes: 0 }) });
      for (const claim of result.claims) {
        const offering = chooseOffering(claim, ZONES, (t) => instanceType(t).onDemandUsdPerHour('us-east-1'), () => true);
        if (!offering) return false;
        // The node as it joins: Karpenter's allocatable, the NodePool's labels and taints, its DaemonSet pods bound first.
        const node = buildNode({ name: 'n', instanceType: offering.type.info.name, zone: offering.zone, capacityType: offering.capacityType, maxPods: offering.type.pods, karpenter: true, taints: pool.taints, labels: { 'karpenter.sh/nodepool': pool.name } });
        node.status = { ...node.status, allocatable: { ...node.status?.allocatable, cpu: `${offering.type.allocatableMilliCpu}m`, memory: `${Math.floor(offering.type.allocatableMemoryBytes / 1024)}Ki` } };
        const info = new NodeInfo(node);
        for (const ds of daemons) {
          const bound = { ...ds, spec: { ...ds.spec, nodeName: 'n' } };
          // The DaemonSet controller binds its pod when the node matches it (taints, affinity), whatever its size.
          if (scheduler.canSchedule({ ...bound, spec: { ...bound.spec, containers: [{ name: 'c', image: 'i' }] } }, info).fits) info.addPod(bound);
        }
        if (!claim.pods.some((pod) => scheduler.canSchedule(pod.pod, info).fits)) return false;
      }
      return true;
    }), { numRuns: 60, seed: 15 });
  });
});

describe('property: launches per pending pod stay bounded in a time simulation', () => {
  it('holds over random platforms and 30-minute scenarios', () => {
    fc.assert(fc.property(platform, fc.integer({ min: 1, max: 1000 }), (p, seed) => {
      const objects = [
        nodePool('general', [
          { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: p.categories },
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: p.capacity },
          ...(p.arch ? [{ key: 'kubernetes.io/arch', operator: 'In', values: [p.arch] }] : []),
        ], {}, p.tainted ? { taints: [TAINT] } : {}),
        nodeClass(),
        ...p.daemonSets.map((d, i) => daemonSet(`agent${i}`, `${d.cpu}m`, `${d.memoryMiB}Mi`, {
          ...(d.tolerates ? { tolerations: [{ operator: 'Exists' }] } : {}), ...(d.arm64Only ? { nodeSelector: { 'kubernetes.io/arch': 'arm64' } } : {}),
        })),
        ...p.pods.map((x, i) => deployment(`app${i}`, 1, `${x.cpu}m`, `${x.memoryMiB}Mi`, {
          ...(x.tolerates ? { tolerations: [{ key: 'dedicated', operator: 'Exists' }] } : {}),
          ...(x.zone ? { nodeSelector: { 'topology.kubernetes.io/zone': x.zone } } : {}),
          ...(x.spread !== 'none' ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: x.spread === 'zone' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { g: String(x.group) } } }] } : {}),
        }, { app: `app${i}`, g: String(x.group) })),
      ];
      const result = simulate(clusterModel(objects), scenario({ duration: '30m', step: '15s', seed }), { warmupSeconds: 300 });
      const launches = result.nodes.filter((n) => n.owner.kind === 'nodepool').length;
      // Each pod (and each CoreDNS replica) justifies at most one launch, plus one consolidation replacement per node.
      const pods = p.pods.length + 2;
      return launches <= 2 * pods;
    }), { numRuns: 12, seed: 15 });
  });
});

import { chooseOffering, prepareNodePool, solveProvisioning } from '../../../simulation/autoscaling/karpenter';
import type { SimPod } from '../../../simulation/autoscaling';
import { hasInstanceType, instanceType } from '../../../simulation/catalog';
import type { KarpenterNodePool, Pod } from '../../../simulation/model/kubernetes';
import { podRequests } from '../../../simulation/scheduler';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
// The 26 families of the hand-written catalog this one replaced (issue 17): c6a was not among them.
const OLD_FAMILIES = ['m5', 'm6i', 'm7i', 'm6a', 'm7a', 'm6g', 'm7g', 'c5', 'c6i', 'c7i', 'c6g', 'c7g', 'r5', 'r6i', 'r7i', 'r6g', 'r7g', 't3', 't3a', 't4g', 'g5', 'g6', 'p4d', 'p5', 'inf2', 'trn1'];

function nodePool(requirements: { key: string; operator: string; values: string[] }[]): KarpenterNodePool {
  return {
    apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'general' },
    spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements } } },
  } as KarpenterNodePool;
}

function pending(name: string, cpu: string, memory: string): SimPod {
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu, memory } } }] } };
  return {
    key: `default/${name}`, pod, requests: podRequests(pod), ordinal: 0, phase: 'Pending', createdAt: 0, pendingSeconds: 0,
    workload: { key: 'Deployment default/app', kind: 'Deployment', namespace: 'default', name: 'app', replicas: 1, template: { spec: pod.spec }, daemonSet: false, volumeClaims: 0, system: false },
  } as SimPod;
}

describe('Karpenter over the full catalog', () => {
  it('a c/m/r NodePool launches c6a.xlarge ($0.153), a family the old catalog lacked, instead of c5.xlarge ($0.17)', () => {
    // GIVEN an on-demand amd64 NodePool open to categories c, m and r, and a pod that needs a 4-vCPU node
    const pool = prepareNodePool(nodePool([
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
    ]), undefined, 'us-east-1');
    expect(pool.types.length).toBeGreaterThan(300);
    // WHEN Karpenter solves the pending pod
    const result = solveProvisioning({
      pods: [pending('app-0', '3', '4Gi')], pools: [pool], zones: ZONES, poolZones: () => ZONES, zoneCounts: () => new Map(),
      poolUsage: () => ({ milliCpu: 0, memoryBytes: 0, nodes: 0 }),
    });
    expect(result.unschedulable.size).toBe(0);
    expect(result.claims).toHaveLength(1);
    const offering = chooseOffering(result.claims[0], ZONES, (type) => instanceType(type).onDemandUsdPerHour('us-east-1'), () => true);
    // THEN the cheapest fitting type is c6a.xlarge
    expect(offering?.type.info.name).toBe('c6a.xlarge');
    expect(offering?.price).toBe(0.153);
    expect(OLD_FAMILIES).not.toContain('c6a');
    expect(result.claims[0].candidates.map((t) => t.info.name)).toContain('c5.xlarge');
    expect(instanceType('c5.xlarge').onDemandUsdPerHour('us-east-1')).toBe(0.17);
  });

  it('offers every c/m/r type of the catalog to the NodePool (about 400, the size of Karpenter\'s benchmark)', () => {
    const pool = prepareNodePool(nodePool([{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }]), undefined, 'us-east-1');
    expect(pool.types.length).toBeGreaterThanOrEqual(350);
    expect(pool.types.every((t) => ['c', 'm', 'r'].includes(t.info.category) && hasInstanceType(t.info.name))).toBe(true);
    expect(pool.types.map((t) => t.info.family)).toEqual(expect.arrayContaining(['c6a', 'c8g', 'm8g', 'r8g', 'c7i-flex', 'm5dn', 'r6idn']));
  });
});

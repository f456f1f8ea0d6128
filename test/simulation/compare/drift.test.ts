import { compareVariants, parseVariant } from '../../../simulation';
import type { PlanResult } from '../../../simulation/model/result';
import { clusterModel, deployment, nodeClass, nodeGroup, nodePool, scenario } from '../autoscaling/fixtures';

// A what-if that changes a NodePool template is deployed over the baseline's nodes: Karpenter finds them drifted
// and replaces them under the pool's Drifted budget (kubernetes-sigs/karpenter pkg/controllers/disruption/drift.go),
// instead of the variant starting from an empty cluster.

const system = [nodeGroup({ name: 'system', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 1, subnetIds: ['PrivateA'], taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] })];
const requirements = [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }];
// Four 1.5-CPU pods with required hostname anti-affinity: one per node, four c nodes in the baseline.
const antiAffinity = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
const api = deployment('api', 4, '1500m', '1Gi', antiAffinity);
const run = scenario({ duration: '2h', step: '15s', seed: 4 });
const category = (type: string) => type.replace(/\d.*$/, '').replace(/[^a-z]/g, '');
const karpenterNodes = (result: PlanResult) => result.nodes.filter((n) => n.owner.kind === 'nodepool');
const aliveAtEnd = (result: PlanResult) => karpenterNodes(result).filter((n) => n.terminatedAt === undefined);

/** The most drifted nodes being disrupted at once: from their replace event until they are deleted. */
function maxConcurrentDriftDisruptions(result: PlanResult): number {
  const intervals = result.events.filter((e) => e.type === 'replace' && e.message.startsWith('drift')).map((e) => {
    const name = e.object.replace(/^Node /, '');
    return [e.t, result.nodes.find((n) => n.name === name)?.terminatedAt ?? Number.POSITIVE_INFINITY] as const;
  });
  return Math.max(0, ...intervals.map(([from]) => intervals.filter(([a, b]) => a <= from && from < b).length));
}

describe('drift when a what-if changes the NodePool template (compare)', () => {
  const base = clusterModel([nodePool('general', requirements), nodeClass(), api], system);

  it('drift.go: instance-category c → m: the baseline c nodes are marked RequirementsDrifted and replaced by m nodes one at a time (10% budget)', () => {
    const comparison = compareVariants(base, run, ['categories=m']);
    const [asIs, variant] = comparison.rows.map((r) => r.result);
    expect(aliveAtEnd(asIs).map((n) => category(n.instanceType))).toEqual(['c', 'c', 'c', 'c']);
    // The variant starts from the four c nodes, not from an empty cluster.
    const started = karpenterNodes(variant).filter((n) => n.launchedAt === 0 && category(n.instanceType) === 'c');
    expect(started).toHaveLength(4);
    expect(variant.events.filter((e) => e.type === 'drift' && e.message.includes('RequirementsDrifted'))).toHaveLength(4);
    // Each c node is replaced (the replacement launched before the node is drained) and deleted as drifted.
    expect(started.every((n) => n.terminationReason === 'drift: replaced')).toBe(true);
    expect(aliveAtEnd(variant).map((n) => category(n.instanceType))).toEqual(['m', 'm', 'm', 'm']);
    // The default budget (10% of 4 nodes, rounded up: 1) lets one drifted node be disrupted at a time.
    expect(maxConcurrentDriftDisruptions(variant)).toBe(1);
    // Pods were rescheduled: every replica runs at the end.
    expect(variant.placements.find((p) => p.workload === 'Deployment default/api')?.running).toBe(4);
  });

  it('nodepool_budgets: a Drifted budget of 0 keeps the drifted nodes (marked, never replaced)', () => {
    const frozen = clusterModel([nodePool('general', requirements, { disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s', budgets: [{ nodes: '0', reasons: ['Drifted'] }] } }), nodeClass(), api], system);
    const variant = compareVariants(frozen, run, ['categories=m']).rows[1].result;
    expect(variant.events.filter((e) => e.type === 'drift' && e.message.includes('RequirementsDrifted'))).toHaveLength(4);
    expect(variant.events.filter((e) => e.type === 'replace')).toEqual([]);
    expect(aliveAtEnd(variant).map((n) => category(n.instanceType))).toEqual(['c', 'c', 'c', 'c']);
  });

  it('drift_test.go: a variant that keeps the template (karpenter on a Karpenter platform) starts from the same nodes and nothing drifts', () => {
    const variant = compareVariants(base, run, ['karpenter']).rows[1].result;
    expect(variant.events.filter((e) => e.type === 'drift')).toEqual([]);
    expect(aliveAtEnd(variant).map((n) => category(n.instanceType))).toEqual(['c', 'c', 'c', 'c']);
  });

  it('ec2nodeclass.go Hash: a changed EC2NodeClass userData drifts every node (NodeClassDrift); a Variant object expresses it', () => {
    const userData = parseVariant('as-is');
    const changed = {
      label: 'userData', apply: (model: typeof base) => ({ ...userData.apply(model), objects: model.objects.map((o) => (o.object.kind === 'EC2NodeClass' ? { ...o, object: { ...o.object, spec: { ...o.object.spec, userData: 'echo changed' } } } : o)) }),
    };
    const variant = compareVariants(base, run, [changed]).rows[1].result;
    expect(variant.events.filter((e) => e.type === 'drift' && e.message.includes('NodeClassDrift'))).toHaveLength(4);
    expect(karpenterNodes(variant).filter((n) => n.terminationReason === 'drift: replaced')).toHaveLength(4);
  });

  it('cloudprovider drift.go isAMIDrifted: ami=al2023@v20240625 (another image, same family) drifts every node as AMIDrift', () => {
    const variant = compareVariants(base, run, ['ami=al2023@v20240625']).rows[1].result;
    expect(variant.events.filter((e) => e.type === 'drift' && e.message.includes('AMIDrift'))).toHaveLength(4);
    expect(karpenterNodes(variant).filter((n) => n.terminationReason === 'drift: replaced')).toHaveLength(4);
  });

  it.each([['categories=zz', 'unknown: zz'], ['ami=ubuntu@latest', 'ami needs an EC2NodeClass alias'], ['ami=windows2022@v1', 'Windows only @latest']])('fails on %s', (text, message) => {
    expect(() => parseVariant(text)).toThrow(message);
  });
});

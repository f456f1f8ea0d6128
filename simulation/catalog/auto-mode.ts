import type { ClusterModel, KubernetesObjectWithSource } from '../model/cluster';
import type { KubernetesObject, NodeSelectorRequirement } from '../model/kubernetes';

// Karpenter objects that are facts of AWS's defaults: the getting-started NodePool and EC2NodeClass, and
// EKS Auto Mode's built-in node pools. Both the engine (an Auto Mode cluster gets its enabled built-in
// pools) and the what-if variants build on them, so they live below both.

/** The taint of the Auto Mode `system` pool and of system node groups. */
export const CRITICAL_ADDONS_ONLY_TAINT = 'CriticalAddonsOnly';

/** The built-in node pools EKS Auto Mode can enable (`ComputeConfig.NodePools`). */
export const AUTO_MODE_BUILT_IN_POOLS = ['general-purpose', 'system'] as const;

function generatedObject(object: KubernetesObject, file: string): KubernetesObjectWithSource {
  return { object, source: { file, id: `${object.kind} ${object.metadata.name}` } };
}

/** A general-purpose NodePool like Karpenter's getting-started defaults (karpenter.sh/v1). */
export function karpenterNodePool(name: string, requirements: NodeSelectorRequirement[], limits: Record<string, string>, weight?: number, file = 'variant'): KubernetesObjectWithSource {
  return generatedObject({
    apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name },
    spec: {
      template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements, expireAfter: '720h' } },
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      limits,
      ...(weight !== undefined ? { weight } : {}),
    },
  }, file);
}

/** The EC2NodeClass `default` the generated NodePools reference (AL2023, discovery-tagged subnets and groups). */
export function defaultEc2NodeClass(file = 'variant'): KubernetesObjectWithSource {
  return generatedObject({
    apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'default' },
    spec: { amiSelectorTerms: [{ alias: 'al2023@latest' }], subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': '*' } }], securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': '*' } }] },
  }, file);
}

/**
 * EKS Auto Mode's built-in pools (EKS docs, "Built-in NodePools"): `general-purpose` (on-demand, c/m/r,
 * generation > 4, amd64) and `system` (the same on amd64 and arm64, tainted CriticalAddonsOnly).
 */
export function autoModeBuiltInPools(names: readonly string[] = AUTO_MODE_BUILT_IN_POOLS, file = 'variant'): KubernetesObjectWithSource[] {
  const base: NodeSelectorRequirement[] = [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
    { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
    { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
  ];
  const pools: KubernetesObjectWithSource[] = [];
  if (names.includes('general-purpose')) pools.push(karpenterNodePool('general-purpose', [...base, { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }], { cpu: '1000' }, undefined, file));
  if (names.includes('system')) {
    const system = karpenterNodePool('system', [...base, { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }], { cpu: '1000' }, undefined, file);
    (system.object.spec.template.spec as { taints?: unknown[] }).taints = [{ key: CRITICAL_ADDONS_ONLY_TAINT, value: 'true', effect: 'NoSchedule' }];
    pools.push(system);
  }
  for (const pool of pools) pool.object.metadata.labels = { 'eks.amazonaws.com/compute-type': 'auto' };
  return pools;
}

/**
 * An Auto Mode cluster with no NodePool of its own gets the built-in pools its `ComputeConfig.NodePools`
 * enables (both when the assembly does not say), managed like Karpenter. Other clusters are returned as is.
 */
export function withAutoModeBuiltInPools(model: ClusterModel): ClusterModel {
  if (!model.cluster?.autoMode || model.objects.some((o) => o.object.kind === 'NodePool')) return model;
  const pools = autoModeBuiltInPools(model.cluster.autoModeNodePools ?? AUTO_MODE_BUILT_IN_POOLS, 'EKS Auto Mode');
  if (pools.length === 0) return model;
  return { ...model, objects: [...model.objects, ...pools, defaultEc2NodeClass('EKS Auto Mode')] };
}

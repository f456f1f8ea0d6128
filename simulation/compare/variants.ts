import { DEFAULT_REGION, hasInstanceType, instanceType, instanceTypes } from '../catalog';
import type { ClusterModel, KubernetesObjectWithSource, NodeGroupModel } from '../model/cluster';
import { EksplanError } from '../model/errors';
import { labelSatisfies } from '../model/labels';
import type { KarpenterEc2NodeClass, KarpenterNodePool, KubernetesObject, NodeSelectorRequirement, Taint } from '../model/kubernetes';
import { launchAnnotations, type ExistingNode } from '../model/karpenter-hash';
import type { PlanResult } from '../model/result';
import { maxPods } from '../catalog/max-pods';
import { AUTO_MODE_BUILT_IN_POOLS, autoModeBuiltInPools, CRITICAL_ADDONS_ONLY_TAINT, defaultEc2NodeClass, karpenterNodePool } from '../catalog/auto-mode';

// What-if variants: pure transformations of a ClusterModel, so the same scenario can run on each.

export interface Variant {
  /** As given on the command line, e.g. `spot=70%`. */
  readonly label: string;
  /**
   * The variant of a model. `baseline` is the plan of the model as synthesized, for variants stated as a
   * share of what the cluster actually ran (spot=N%).
   */
  apply(model: ClusterModel, baseline?: PlanResult): ClusterModel;
}

const SYSTEM_TAINT = CRITICAL_ADDONS_ONLY_TAINT;

/** Parses `--variant` values: karpenter, cluster-autoscaler, auto-mode, prefix-delegation=on|off, spot=N%, families=a,b, categories=a,b, ami=family@version. */
export function parseVariant(text: string): Variant {
  const [name, rawValue] = text.includes('=') ? [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)] : [text, undefined];
  switch (name.trim()) {
    case 'baseline':
    case 'as-is':
      return { label: text, apply: (model) => model };
    case 'karpenter':
      return { label: text, apply: toKarpenter };
    case 'cluster-autoscaler':
    case 'ca':
      return { label: text, apply: toClusterAutoscaler };
    case 'auto-mode':
      return { label: text, apply: toAutoMode };
    case 'prefix-delegation': {
      const on = rawValue === undefined || ['on', 'true', 'yes'].includes(rawValue);
      if (rawValue !== undefined && !['on', 'off', 'true', 'false', 'yes', 'no'].includes(rawValue)) {
        throw new EksplanError(`prefix-delegation must be on or off, got '${rawValue}'`, { field: '--variant' });
      }
      return { label: text, apply: (model) => withPrefixDelegation(model, on) };
    }
    case 'spot': {
      const match = /^(\d{1,3})%?$/.exec(rawValue ?? '');
      if (!match || Number(match[1]) > 100) throw new EksplanError(`spot must be a percentage 0%..100%, got '${rawValue ?? ''}'`, { field: '--variant' });
      return { label: text, apply: (model, baseline) => withSpotShare(model, Number(match[1]) / 100, baseline) };
    }
    case 'families': {
      const families = (rawValue ?? '').split(',').map((f) => f.trim()).filter(Boolean);
      const known = new Set(instanceTypes().map((t) => t.family));
      const unknown = families.filter((f) => !known.has(f));
      if (families.length === 0 || unknown.length > 0) {
        throw new EksplanError(`families needs known instance families, e.g. families=m7g,c7g${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, { field: '--variant' });
      }
      return { label: text, apply: (model) => withFamilies(model, families) };
    }
    case 'categories': {
      const categories = (rawValue ?? '').split(',').map((c) => c.trim()).filter(Boolean);
      const known = new Set(instanceTypes().map((t) => t.category));
      const unknown = categories.filter((c) => !known.has(c));
      if (categories.length === 0 || unknown.length > 0) {
        throw new EksplanError(`categories needs known instance categories, e.g. categories=c,m${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, { field: '--variant' });
      }
      return { label: text, apply: (model) => withNodePoolRequirement(model, { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: categories }) };
    }
    case 'ami': {
      // aws/karpenter-provider-aws pkg/apis/v1/ec2nodeclass.go AMISelectorTerm.Alias: family@version, Windows only @latest.
      const match = /^(al2|al2023|bottlerocket|windows2019|windows2022|windows2025)@(.+)$/.exec(rawValue ?? '');
      if (!match || (match[1].startsWith('windows') && match[2] !== 'latest')) {
        throw new EksplanError(`ami needs an EC2NodeClass alias family@version (al2023, bottlerocket, al2, windows2019/2022/2025; Windows only @latest), e.g. ami=al2023@v20240625, got '${rawValue ?? ''}'`, { field: '--variant' });
      }
      return { label: text, apply: (model) => withAmiAlias(model, rawValue as string) };
    }
    default:
      throw new EksplanError(`unknown variant '${text}': expected karpenter, cluster-autoscaler, auto-mode, prefix-delegation=on|off, spot=N%, families=a,b, categories=a,b, ami=family@version`, { field: '--variant' });
  }
}

function isSystemGroup(group: NodeGroupModel): boolean {
  return group.taints.some((t) => t.key === SYSTEM_TAINT);
}

function objectsWithout(model: ClusterModel, kinds: string[]): KubernetesObjectWithSource[] {
  return model.objects.filter((o) => !kinds.includes(o.object.kind));
}

function variantObject(object: KubernetesObject): KubernetesObjectWithSource {
  return { object, source: { file: 'variant', id: `${object.kind} ${object.metadata.name}` } };
}

const defaultNodePool = (name: string, requirements: NodeSelectorRequirement[], limits: Record<string, string>, weight?: number) => karpenterNodePool(name, requirements, limits, weight);
const DEFAULT_NODECLASS = defaultEc2NodeClass();

/** Workloads that select NodePool `from` by name now accept any of `to` (node selector → required node affinity). */
function retargetPools(objects: KubernetesObjectWithSource[], mapping: Record<string, string[]>): KubernetesObjectWithSource[] {
  return objects.map((entry) => {
    const spec = entry.object.spec?.template?.spec ?? (entry.object.kind === 'Pod' ? entry.object.spec : undefined);
    const selected = spec?.nodeSelector?.['karpenter.sh/nodepool'];
    if (!spec || typeof selected !== 'string' || !mapping[selected]) return entry;
    const object = structuredClone(entry.object);
    const target = object.spec?.template?.spec ?? object.spec;
    delete target.nodeSelector['karpenter.sh/nodepool'];
    const requirement = { key: 'karpenter.sh/nodepool', operator: 'In', values: mapping[selected] };
    const required = target.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const terms = required?.nodeSelectorTerms?.length ? required.nodeSelectorTerms.map((t: { matchExpressions?: unknown[] }) => ({ ...t, matchExpressions: [...(t.matchExpressions ?? []), requirement] })) : [{ matchExpressions: [requirement] }];
    target.affinity = { ...(target.affinity ?? {}), nodeAffinity: { ...(target.affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
    return { ...entry, object };
  });
}

/** Node groups (other than the system group) replaced by one NodePool over their instance families. */
function toKarpenter(model: ClusterModel): ClusterModel {
  if (model.objects.some((o) => o.object.kind === 'NodePool')) {
    return { ...model, nodeGroups: model.nodeGroups.filter(isSystemGroup) };
  }
  const workers = model.nodeGroups.filter((g) => !isSystemGroup(g));
  const families = [...new Set(workers.flatMap((g) => g.instanceTypes).filter(hasInstanceType).map((t) => instanceType(t).family))];
  const vcpus = workers.reduce((sum, g) => sum + g.maxSize * Math.max(...g.instanceTypes.filter(hasInstanceType).map((t) => instanceType(t).vcpu), 2), 0);
  const requirements: NodeSelectorRequirement[] = [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...new Set(workers.map((g) => (g.capacityType === 'SPOT' ? 'spot' : 'on-demand')))].concat(workers.length === 0 ? ['on-demand'] : []) },
    families.length > 0 ? { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: families } : { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
  ];
  return {
    ...model,
    nodeGroups: model.nodeGroups.filter(isSystemGroup),
    // Karpenter itself, installed as its chart (its controller pods run on the system group), replaces the Cluster Autoscaler.
    helmReleases: [...withoutCharts(model, ['cluster-autoscaler']), ...(hasChart(model, 'karpenter') ? [] : [variantRelease('karpenter', 'kube-system')])],
    objects: [...model.objects, defaultNodePool('general', requirements, { cpu: String(Math.max(vcpus, 100)) }), DEFAULT_NODECLASS],
  };
}

function hasChart(model: ClusterModel, chart: string): boolean {
  return model.helmReleases.some((r) => (r.chart.split('/').pop() ?? r.chart) === chart);
}

function withoutCharts(model: ClusterModel, charts: string[]): ClusterModel['helmReleases'] {
  return model.helmReleases.filter((r) => !charts.includes(r.chart.split('/').pop() ?? r.chart));
}

/** A Helm release a variant installs (chart defaults): the simulation runs only the controllers a cluster deploys. */
function variantRelease(chart: string, namespace: string): ClusterModel['helmReleases'][number] {
  return { chart, release: chart, namespace, values: {}, source: { file: 'variant', id: `HelmChart ${namespace}/${chart}` } };
}

/** NodePools replaced by managed node groups (min 0) of the cheapest types their requirements allow, scaled by Cluster Autoscaler. */
function toClusterAutoscaler(model: ClusterModel): ClusterModel {
  const pools = model.objects.filter((o) => o.object.kind === 'NodePool').map((o) => o.object);
  if (pools.length === 0) return model;
  const subnets = model.subnets.filter((s) => !s.public).map((s) => s.id);
  const groups: NodeGroupModel[] = pools.map((pool) => {
    const requirements: NodeSelectorRequirement[] = pool.spec?.template?.spec?.requirements ?? [];
    const candidates = instanceTypes(model.region ?? DEFAULT_REGION).filter((t) => t.vcpu >= 2 && t.vcpu <= 16 && t.gpus === 0 && satisfies(requirements, t))
      .sort((a, b) => a.onDemandUsdPerHour(model.region ?? DEFAULT_REGION) / a.vcpu - b.onDemandUsdPerHour(model.region ?? DEFAULT_REGION) / b.vcpu || a.name.localeCompare(b.name));
    const chosen = candidates.slice(0, 3).map((t) => t.name);
    if (chosen.length === 0) throw new EksplanError(`NodePool ${pool.metadata.name}: no instance type fits its requirements for a node group`, { field: '--variant cluster-autoscaler' });
    const capacity = requirements.find((r) => r.key === 'karpenter.sh/capacity-type')?.values ?? ['on-demand'];
    const cpuLimit = Number(pool.spec?.limits?.cpu ?? 100);
    const vcpu = instanceType(chosen[0]).vcpu;
    return {
      name: `ca-${pool.metadata.name}`, kind: 'managed', instanceTypes: chosen, capacityType: capacity.includes('spot') ? 'SPOT' : 'ON_DEMAND',
      minSize: 0, desiredSize: 0, maxSize: Math.max(1, Math.floor((Number.isFinite(cpuLimit) ? cpuLimit : 100) / vcpu)),
      // Keep the pool's identity label, so workloads that select the NodePool land on its replacement.
      labels: { ...(pool.spec?.template?.metadata?.labels ?? {}), 'karpenter.sh/nodepool': pool.metadata.name as string }, taints: pool.spec?.template?.spec?.taints ?? [], subnetIds: subnets,
      amiType: instanceType(chosen[0]).arch === 'arm64' ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD', diskSizeGiB: 20, diskType: 'gp3',
    };
  });
  return {
    ...model, nodeGroups: [...model.nodeGroups, ...groups], objects: objectsWithout(model, ['NodePool', 'EC2NodeClass']),
    // The Cluster Autoscaler, installed as its chart, replaces Karpenter.
    helmReleases: [...withoutCharts(model, ['karpenter']), ...(hasChart(model, 'cluster-autoscaler') ? [] : [variantRelease('cluster-autoscaler', 'kube-system')])],
  };
}

/**
 * EKS Auto Mode: the built-in `general-purpose` and `system` node pools (catalog/auto-mode.ts), managed like
 * Karpenter; node groups and user NodePools are dropped. The per-instance management fee is priced by the cost model.
 */
export function toAutoMode(model: ClusterModel): ClusterModel {
  if (!model.cluster) throw new EksplanError('the assembly has no EKS cluster to switch to Auto Mode', { field: '--variant auto-mode' });
  const oldPools = model.objects.filter((o) => o.object.kind === 'NodePool').map((o) => o.object.metadata.name as string);
  return {
    ...model,
    cluster: { ...model.cluster, autoMode: true, autoModeNodePools: [...AUTO_MODE_BUILT_IN_POOLS] },
    nodeGroups: [],
    // Auto Mode runs Karpenter and the load balancer controller itself (EKS docs, "Automate cluster infrastructure with EKS Auto Mode").
    helmReleases: model.helmReleases.filter((r) => r.chart !== 'karpenter' && r.chart !== 'aws-load-balancer-controller'),
    objects: [...retargetPools(objectsWithout(model, ['NodePool', 'EC2NodeClass']), Object.fromEntries(oldPools.map((p) => [p, ['general-purpose']]))), ...autoModeBuiltInPools(), DEFAULT_NODECLASS],
  };
}

function withPrefixDelegation(model: ClusterModel, on: boolean): ClusterModel {
  const custom = model.vpcCni.customNetworking;
  return {
    ...model,
    vpcCni: { ...model.vpcCni, prefixDelegation: on },
    // Turning prefix delegation on only helps when the kubelet's max pods is raised with it.
    nodeGroups: model.nodeGroups.map((g) => ({ ...g, maxPods: g.instanceTypes.filter(hasInstanceType).length > 0 ? Math.min(...g.instanceTypes.filter(hasInstanceType).map((t) => maxPods(t, { prefixDelegation: on, customNetworking: custom }))) : g.maxPods })),
    objects: model.objects.map((o) => {
      if (o.object.kind !== 'EC2NodeClass') return o;
      const spec = { ...(o.object.spec ?? {}) };
      const kubelet = { ...(spec.kubelet ?? {}) };
      if (on) kubelet.maxPods = 110; else delete kubelet.maxPods;
      return { ...o, object: { ...o.object, spec: { ...spec, kubelet } } };
    }),
  };
}

/**
 * The vCPU a NodePool's nodes reached at most at once in a run: what `spot=N%` takes its share of (NodePool
 * limits count node capacity, karpenter.sh/v1 NodePool spec.limits).
 */
function peakPoolVcpu(result: PlanResult, pool: string): number {
  const steps: [number, number][] = [];
  for (const node of result.nodes) {
    if ((node.owner.kind !== 'nodepool' && node.owner.kind !== 'automode') || node.owner.name !== pool || !hasInstanceType(node.instanceType)) continue;
    const vcpu = instanceType(node.instanceType).vcpu;
    steps.push([node.launchedAt, vcpu]);
    if (node.terminatedAt !== undefined) steps.push([node.terminatedAt, -vcpu]);
  }
  steps.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let peak = 0;
  for (const [, delta] of steps) { running += delta; peak = Math.max(peak, running); }
  return peak;
}

/**
 * N% of the worker capacity on spot, as users read it: node groups split into spot/on-demand pairs sized
 * N% / (100-N)%; each NodePool into a higher-weight spot pool whose cpu limit is N% of the vCPU the pool
 * reached at its peak in the as-is run (`baseline`), and an on-demand pool that takes the rest, so at the
 * peak N% of the pool's vCPU is spot. Without a baseline, N% of the pool's own cpu limit.
 */
function withSpotShare(model: ClusterModel, share: number, baseline?: PlanResult): ClusterModel {
  const groups: NodeGroupModel[] = [];
  for (const group of model.nodeGroups) {
    if (isSystemGroup(group)) { groups.push(group); continue; }
    const split = (n: number) => Math.round(n * share);
    const spot = { ...group, name: `${group.name}-spot`, capacityType: 'SPOT' as const, minSize: split(group.minSize), desiredSize: split(group.desiredSize), maxSize: Math.max(split(group.maxSize), share > 0 ? 1 : 0) };
    const onDemand = { ...group, name: `${group.name}-on-demand`, capacityType: 'ON_DEMAND' as const, minSize: group.minSize - spot.minSize, desiredSize: group.desiredSize - spot.desiredSize, maxSize: Math.max(group.maxSize - spot.maxSize, share < 1 ? 1 : 0) };
    if (spot.maxSize > 0) groups.push(spot);
    if (onDemand.maxSize > 0) groups.push(onDemand);
  }
  const objects: KubernetesObjectWithSource[] = [];
  const mapping: Record<string, string[]> = {};
  for (const entry of model.objects) {
    if (entry.object.kind !== 'NodePool') { objects.push(entry); continue; }
    const pool = entry.object;
    const requirements: NodeSelectorRequirement[] = (pool.spec?.template?.spec?.requirements ?? []).filter((r: NodeSelectorRequirement) => r.key !== 'karpenter.sh/capacity-type');
    const cpu = Number(pool.spec?.limits?.cpu ?? 1000);
    const poolLimit = Number.isFinite(cpu) ? cpu : 1000;
    const peak = baseline ? peakPoolVcpu(baseline, pool.metadata.name as string) : 0;
    const make = (suffix: string, capacity: string, limitCpu: number, weight: number): KubernetesObjectWithSource => variantObject({
      ...pool, metadata: { ...pool.metadata, name: `${pool.metadata.name}-${suffix}` },
      spec: {
        ...pool.spec, weight,
        limits: { ...(pool.spec?.limits ?? {}), cpu: String(Math.max(1, limitCpu)) },
        template: { ...pool.spec.template, spec: { ...pool.spec.template.spec, requirements: [...requirements, { key: 'karpenter.sh/capacity-type', operator: 'In', values: [capacity] }] } },
      },
    });
    // Karpenter has no percentage split: the usual pattern is a higher-weight spot pool capped by its limits,
    // with an on-demand pool that takes what the spot pool may not.
    if (share > 0) objects.push(make('spot', 'spot', share < 1 && peak > 0 ? Math.floor(share * peak) : Math.round(poolLimit * share), 100));
    if (share < 1) objects.push(make('on-demand', 'on-demand', poolLimit, 10));
    mapping[pool.metadata.name as string] = [share > 0 ? `${pool.metadata.name}-spot` : '', share < 1 ? `${pool.metadata.name}-on-demand` : ''].filter(Boolean);
  }
  return { ...model, nodeGroups: groups, objects: retargetPools(objects, mapping) };
}

function withFamilies(model: ClusterModel, families: string[]): ClusterModel {
  const mapType = (type: string): string | undefined => {
    if (!hasInstanceType(type)) return undefined;
    const size = instanceType(type).size;
    return families.map((f) => `${f}.${size}`).find(hasInstanceType);
  };
  const nodeGroups = model.nodeGroups.map((g) => {
    if (isSystemGroup(g)) return g;
    const types = [...new Set(g.instanceTypes.map(mapType).filter((t): t is string => t !== undefined))];
    if (types.length === 0) throw new EksplanError(`node group ${g.name}: no instance type of families ${families.join(',')} has the sizes ${g.instanceTypes.join(', ')}`, { field: '--variant families' });
    const arch = instanceType(types[0]).arch;
    return { ...g, instanceTypes: types, amiType: arch === 'arm64' ? g.amiType.replace('x86_64', 'ARM_64') : g.amiType.replace('ARM_64', 'x86_64') };
  });
  const objects = model.objects.map((o) => {
    if (o.object.kind !== 'NodePool') return o;
    const requirements: NodeSelectorRequirement[] = (o.object.spec?.template?.spec?.requirements ?? [])
      .filter((r: NodeSelectorRequirement) => !['karpenter.k8s.aws/instance-family', 'karpenter.k8s.aws/instance-category', 'node.kubernetes.io/instance-type', 'kubernetes.io/arch', 'karpenter.k8s.aws/instance-generation'].includes(r.key));
    requirements.push({ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: families });
    return { ...o, object: { ...o.object, spec: { ...o.object.spec, template: { ...o.object.spec.template, spec: { ...o.object.spec.template.spec, requirements } } } } };
  });
  return { ...model, nodeGroups, objects };
}

/**
 * Every NodePool's requirement on the key replaced by this one, and instance-family and instance-type requirements
 * dropped (they would contradict a new category): a template change the running nodes drift from.
 */
function withNodePoolRequirement(model: ClusterModel, requirement: NodeSelectorRequirement): ClusterModel {
  const dropped = new Set([requirement.key, 'karpenter.k8s.aws/instance-family', 'node.kubernetes.io/instance-type']);
  const objects = model.objects.map((o) => {
    if (o.object.kind !== 'NodePool') return o;
    const requirements: NodeSelectorRequirement[] = [...(o.object.spec?.template?.spec?.requirements ?? []).filter((r: NodeSelectorRequirement) => !dropped.has(r.key)), requirement];
    return { ...o, object: { ...o.object, spec: { ...o.object.spec, template: { ...o.object.spec.template, spec: { ...o.object.spec.template.spec, requirements } } } } };
  });
  return { ...model, objects };
}

/** Every EC2NodeClass selects its AMI by this alias (its amiFamily then follows the alias): AMI drift for the running nodes. */
function withAmiAlias(model: ClusterModel, alias: string): ClusterModel {
  const objects = model.objects.map((o) => {
    if (o.object.kind !== 'EC2NodeClass') return o;
    const { amiFamily: _amiFamily, ...spec } = o.object.spec ?? {};
    return { ...o, object: { ...o.object, spec: { ...spec, amiSelectorTerms: [{ alias }] } } };
  });
  return { ...model, objects };
}

/**
 * The Karpenter nodes the baseline run has at t = 0 (Ready, not terminated) whose NodePool the variant still has,
 * as they were launched: under the baseline's NodePool and EC2NodeClass, whose hashes, image and security groups
 * they carry (model/karpenter-hash.ts), with the baseline template's labels and taints. The variant run starts from
 * them, so its Karpenter finds them drifted when the variant changed their template (kubernetes-sigs/karpenter
 * pkg/controllers/nodeclaim/disruption/drift.go). Nodes of NodePools the variant removes or renames are not kept.
 */
export function existingNodesFrom(baselineModel: ClusterModel, baseline: PlanResult, variantModel: ClusterModel): ExistingNode[] {
  const rawPool = (model: ClusterModel, name: string) => model.objects.find((o) => o.object.kind === 'NodePool' && o.object.metadata.name === name)?.object as KarpenterNodePool | undefined;
  const out: ExistingNode[] = [];
  for (const node of baseline.nodes) {
    if (node.owner.kind !== 'nodepool' || node.launchedAt > 0 || node.readyAt === undefined || node.readyAt > 0 || (node.terminatedAt !== undefined && node.terminatedAt <= 0)) continue;
    const pool = rawPool(baselineModel, node.owner.name);
    if (!pool || !rawPool(variantModel, node.owner.name)) continue;
    const classRef = pool.spec?.template?.spec?.nodeClassRef?.name;
    const nodeClass = baselineModel.objects.find((o) => o.object.kind === 'EC2NodeClass' && o.object.metadata.name === classRef)?.object as KarpenterEc2NodeClass | undefined;
    out.push({
      instanceType: node.instanceType, zone: node.zone, capacityType: node.capacityType, owner: node.owner, subnetId: node.subnetId,
      labels: { ...(pool.spec?.template?.metadata?.labels ?? {}) }, taints: [...((pool.spec?.template?.spec?.taints ?? []) as Taint[])],
      annotations: launchAnnotations(pool, nodeClass), maxPods: node.maxPods,
      allocatable: { milliCpu: node.allocatable.milliCpu, memoryBytes: node.allocatable.memoryBytes },
    });
  }
  return out;
}

/** Whether an instance type satisfies NodePool requirements on the well-known labels. */
function satisfies(requirements: readonly NodeSelectorRequirement[], type: ReturnType<typeof instanceType>): boolean {
  const labels: Record<string, string> = {
    'karpenter.k8s.aws/instance-category': type.category,
    'karpenter.k8s.aws/instance-family': type.family,
    'karpenter.k8s.aws/instance-generation': String(type.generation),
    'karpenter.k8s.aws/instance-size': type.size,
    'karpenter.k8s.aws/instance-cpu': String(type.vcpu),
    'node.kubernetes.io/instance-type': type.name,
    'kubernetes.io/arch': type.arch,
  };
  // Requirements on labels an instance type does not carry (zone, capacity type, custom) do not rule it out.
  return requirements.every((r) => labels[r.key] === undefined || labelSatisfies(labels[r.key], r));
}

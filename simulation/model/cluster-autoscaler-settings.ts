import { parse as parseYaml } from 'yaml';
import { parseDurationSeconds } from './duration';
import { EksplanError } from './errors';
import type { ClusterModel, HelmReleaseModel, KubernetesObjectWithSource, NodeGroupModel, SourceRef } from './cluster';
import { CLUSTER_AUTOSCALER_IMAGE, containersOf, isScalable } from './controllers';

// The Cluster Autoscaler's own configuration, read from what the platform deploys: its command-line flags (from
// a Deployment running the cluster-autoscaler image, or from the cluster-autoscaler chart's values, rendered the
// way the chart renders them) and the priority expander's ConfigMap. The simulation then runs the Cluster
// Autoscaler the platform runs, not a default one.

/** One `--node-group-auto-discovery=asg:tag=k1,k2=v` spec: every key must be on the group's ASG, with the value when given. */
export interface AsgTagFilter { readonly key: string; readonly value?: string }

/** The flags eksplan models, parsed; the others (logging, leader election, ...) change no capacity decision. */
export interface ClusterAutoscalerSettingsModel {
  /** Where it runs: `Helm release kube-system/cluster-autoscaler` or `Deployment kube-system/cluster-autoscaler`. */
  readonly where: string;
  readonly namespace: string;
  /** `--expander`, when set. */
  readonly expander?: string;
  readonly balanceSimilarNodeGroups?: boolean;
  readonly scaleDownEnabled?: boolean;
  readonly scaleDownUtilizationThreshold?: number;
  readonly scaleDownUnneededSeconds?: number;
  readonly scaleDownDelayAfterAddSeconds?: number;
  readonly scanIntervalSeconds?: number;
  /** `--nodes=min:max:name`, in order. */
  readonly explicitGroups: readonly { readonly name: string; readonly minSize: number; readonly maxSize: number }[];
  /** `--node-group-auto-discovery=asg:tag=...`: a group is discovered when it matches any one spec. */
  readonly autoDiscovery: readonly (readonly AsgTagFilter[])[];
  /** The priority expander's ConfigMap (`cluster-autoscaler-priority-expander`), as pattern → priority. */
  readonly priorities?: Readonly<Record<string, number>>;
  readonly source?: SourceRef;
}

/** The ConfigMap the priority expander reads (cluster-autoscaler expander/priority/priority.go PriorityConfigMapName). */
export const PRIORITY_CONFIGMAP = 'cluster-autoscaler-priority-expander';

/** The Cluster Autoscaler the objects or charts deploy, or undefined when none. Throws EksplanError on a bad flag. */
export function clusterAutoscalerSettingsOf(objects: readonly KubernetesObjectWithSource[], releases: readonly HelmReleaseModel[]): ClusterAutoscalerSettingsModel | undefined {
  // A Deployment (a plain manifest, or the chart's rendered output) carries the real command line: it wins.
  for (const { object, source } of objects) {
    if (object.kind !== 'Deployment') continue;
    const container = containersOf(object).find((c) => CLUSTER_AUTOSCALER_IMAGE.test(c.image ?? ''));
    if (!container) continue;
    const namespace = object.metadata.namespace ?? 'default';
    const at = { input: `${source.file}: Deployment ${namespace}/${object.metadata.name}` };
    const args = [...listOf(container.command), ...listOf(container.args)].map(String);
    return settingsFrom(args, { where: `Deployment ${namespace}/${object.metadata.name}`, namespace, source, objects, at, argField: 'spec.template.spec.containers' });
  }
  const release = releases.find((r) => (r.chart.split('/').pop() ?? r.chart) === 'cluster-autoscaler');
  if (!release) return undefined;
  const at = { input: `${release.source?.file ?? 'assembly'}: HelmChart ${release.release}` };
  return settingsFrom(chartArgs(release, at), {
    where: `Helm release ${release.namespace}/${release.release}`, namespace: release.namespace, source: release.source, objects, at, argField: 'values',
    chartPriorities: release.values.expanderPriorities,
  });
}

/**
 * The command line the cluster-autoscaler chart renders from its values (kubernetes/autoscaler
 * charts/cluster-autoscaler/templates/deployment.yaml): `--nodes` per `autoscalingGroups` entry, one
 * `--node-group-auto-discovery=asg:tag=...` from `autoDiscovery.tags` (default: the enabled and the cluster tags,
 * charts/cluster-autoscaler/values.yaml) when `autoDiscovery.clusterName` is set, then one flag per `extraArgs` key.
 */
function chartArgs(release: HelmReleaseModel, at: { input: string }): string[] {
  const values = release.values;
  const args: string[] = [];
  const groups = values.autoscalingGroups;
  if (groups !== undefined && !Array.isArray(groups)) throw new EksplanError(`must be a list of {name, minSize, maxSize}, got ${JSON.stringify(groups)}`, { ...at, field: 'values.autoscalingGroups' });
  (groups ?? []).forEach((g: unknown, i: number) => {
    const group = (g ?? {}) as Record<string, unknown>;
    args.push(`--nodes=${String(group.minSize)}:${String(group.maxSize)}:${String(group.name)}`);
    if (typeof group.name !== 'string') throw new EksplanError(`must be the Auto Scaling group's name, got ${JSON.stringify(group.name)}`, { ...at, field: `values.autoscalingGroups[${i}].name` });
  });
  const discovery = (values.autoDiscovery ?? {}) as Record<string, unknown>;
  const clusterName = discovery.clusterName;
  if (clusterName !== undefined && clusterName !== null && clusterName !== '') {
    const tags = discovery.tags === undefined ? ['k8s.io/cluster-autoscaler/enabled', 'k8s.io/cluster-autoscaler/{{ .Values.autoDiscovery.clusterName }}'] : discovery.tags;
    if (!Array.isArray(tags)) throw new EksplanError(`must be a list of tag keys (key or key=value), got ${JSON.stringify(tags)}`, { ...at, field: 'values.autoDiscovery.tags' });
    // The chart runs the tags through `tpl`; the one template its values use is the cluster name.
    const rendered = tags.map((t) => String(t).replace(/\{\{-?\s*\.Values\.autoDiscovery\.clusterName\s*-?\}\}/g, String(clusterName)));
    args.push(`--node-group-auto-discovery=asg:tag=${rendered.join(',')}`);
  }
  const extra = values.extraArgs;
  if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) throw new EksplanError(`must be a map of flag to value, got ${JSON.stringify(extra)}`, { ...at, field: 'values.extraArgs' });
  // Newer charts render a key with a null value as a bare flag and drop a `_suffix` (for repeated flags).
  for (const [key, value] of Object.entries(extra ?? {})) args.push(value === null ? `--${key.replace(/_.*$/, '')}` : `--${key.replace(/_.*$/, '')}=${String(value)}`);
  return args;
}

interface Where {
  readonly where: string;
  readonly namespace: string;
  readonly source?: SourceRef;
  readonly objects: readonly KubernetesObjectWithSource[];
  readonly at: { input: string };
  readonly argField: string;
  readonly chartPriorities?: unknown;
}

/** cluster-autoscaler expander/expander.go: the expanders that run on AWS (`price` needs a pricing model it lacks). */
export const EXPANDERS_ON_AWS: readonly string[] = ['random', 'least-waste', 'priority', 'most-pods', 'least-nodes'];

// The flags whose value is a separate argument when written `--flag value` (pflag); the bool ones are not.
const BOOL_FLAGS = new Set(['balance-similar-node-groups', 'scale-down-enabled']);

/** Parses the command line (cluster-autoscaler config/flags/flags.go names and defaults). */
function settingsFrom(args: readonly string[], w: Where): ClusterAutoscalerSettingsModel {
  const flags: [string, string][] = [];
  for (let i = 0; i < args.length; i += 1) {
    const match = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(args[i]);
    if (!match) continue;
    const [, name, inline] = match;
    if (inline !== undefined) flags.push([name, inline]);
    else if (BOOL_FLAGS.has(name)) flags.push([name, 'true']);
    else if (i + 1 < args.length && !args[i + 1].startsWith('-')) flags.push([name, args[(i += 1)]]);
    else flags.push([name, '']);
  }
  const field = (name: string) => w.argField === 'values' ? `values.extraArgs.${name}` : `${w.argField}: --${name}`;
  const fail = (name: string, message: string): never => { throw new EksplanError(message, { ...w.at, field: field(name) }); };
  const bool = (name: string, value: string) => (['true', '1', 't', 'True', 'TRUE'].includes(value) ? true : ['false', '0', 'f', 'False', 'FALSE'].includes(value) ? false : fail(name, `must be true or false, got '${value}'`));
  const seconds = (name: string, value: string) => { try { return parseDurationSeconds(value); } catch { return fail(name, `must be a Go duration like 10s or 10m0s, got '${value}'`); } };
  let out: { -readonly [K in keyof ClusterAutoscalerSettingsModel]: ClusterAutoscalerSettingsModel[K] } = {
    where: w.where, namespace: w.namespace, explicitGroups: [], autoDiscovery: [], source: w.source,
  };
  const explicitGroups: { name: string; minSize: number; maxSize: number }[] = [];
  const autoDiscovery: AsgTagFilter[][] = [];
  for (const [name, value] of flags) {
    switch (name) {
      case 'expander': {
        // expander/factory: the AWS provider has no pricing model, so `price` makes the Cluster Autoscaler exit at start.
        for (const e of value.split(',').map((x) => x.trim())) {
          if (e === 'price') fail(name, "price needs a pricing model, which the Cluster Autoscaler's AWS provider does not implement (it exits at start)");
          if (!EXPANDERS_ON_AWS.includes(e)) fail(name, `unknown expander '${e}': use ${EXPANDERS_ON_AWS.join(', ')}, or a comma-separated chain of them`);
        }
        out.expander = value;
        break;
      }
      case 'balance-similar-node-groups': out.balanceSimilarNodeGroups = bool(name, value); break;
      case 'scale-down-enabled': out.scaleDownEnabled = bool(name, value); break;
      case 'scale-down-utilization-threshold': {
        const n = Number(value);
        if (value === '' || !Number.isFinite(n) || n < 0 || n > 1) fail(name, `must be a number from 0 to 1, got '${value}'`);
        out.scaleDownUtilizationThreshold = n;
        break;
      }
      case 'scale-down-unneeded-time': out.scaleDownUnneededSeconds = seconds(name, value); break;
      case 'scale-down-delay-after-add': out.scaleDownDelayAfterAddSeconds = seconds(name, value); break;
      case 'scan-interval': out.scanIntervalSeconds = seconds(name, value); break;
      case 'nodes': {
        // cloudprovider/aws/aws_manager.go: `<min>:<max>:<asg name>`.
        const spec = /^(\d+):(\d+):(.+)$/.exec(value);
        if (!spec) fail(name, `must be <min>:<max>:<Auto Scaling group name>, got '${value}'`);
        const [, min, max, group] = spec as RegExpExecArray;
        if (Number(min) > Number(max)) fail(name, `minimum ${min} is above maximum ${max} in '${value}'`);
        explicitGroups.push({ name: group, minSize: Number(min), maxSize: Number(max) });
        break;
      }
      case 'node-group-auto-discovery': {
        // cloudprovider/aws/auto_scaling_groups.go parseASGAutoDiscoverySpec: `asg:tag=key[=value],...`.
        const spec = /^asg:tag=(.+)$/.exec(value);
        if (!spec) fail(name, `must be asg:tag=<key>[=<value>],... on AWS, got '${value}'`);
        autoDiscovery.push((spec as RegExpExecArray)[1].split(',').map((kv) => {
          const eq = kv.indexOf('=');
          return eq < 0 ? { key: kv.trim() } : { key: kv.slice(0, eq).trim(), value: kv.slice(eq + 1).trim() };
        }));
        break;
      }
      default: break;
    }
  }
  out = { ...out, explicitGroups, autoDiscovery };
  const priorities = priorityConfig(w);
  if (priorities) out.priorities = priorities;
  return out;
}

/**
 * The priority expander's ConfigMap in the Cluster Autoscaler's namespace (a manifest, or the one the chart makes
 * from `expanderPriorities` when `extraArgs.expander` is set: templates/priority-expander-configmap.yaml):
 * `data.priorities` maps a priority to a list of regular expressions over node group names
 * (expander/priority/priority.go parsePrioritiesYAMLString), turned into pattern → highest priority.
 */
function priorityConfig(w: Where): Record<string, number> | undefined {
  let text: unknown;
  let at = { input: w.at.input, field: 'values.expanderPriorities' };
  const object = w.objects.find(({ object: o }) => o.kind === 'ConfigMap' && o.metadata.name === PRIORITY_CONFIGMAP && (o.metadata.namespace ?? 'default') === w.namespace);
  if (object) {
    text = ((object.object as { data?: Record<string, unknown> }).data ?? {}).priorities;
    at = { input: `${object.source.file}: ConfigMap ${w.namespace}/${PRIORITY_CONFIGMAP}`, field: 'data.priorities' };
  } else if (w.chartPriorities !== undefined && w.chartPriorities !== null) {
    text = w.chartPriorities;
  } else return undefined;
  let parsed: unknown = text;
  if (typeof text === 'string') {
    try { parsed = parseYaml(text); } catch (error) { throw new EksplanError(`is not YAML: ${(error as Error).message.split('\n')[0]}`, at); }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new EksplanError('must map a priority (an integer) to a list of node group name patterns', at);
  const out: Record<string, number> = {};
  for (const [key, patterns] of Object.entries(parsed as Record<string, unknown>)) {
    const priority = Number(key);
    if (!Number.isInteger(priority)) throw new EksplanError(`priority '${key}' is not an integer`, at);
    if (!Array.isArray(patterns)) throw new EksplanError(`priority ${key} must list node group name patterns, got ${JSON.stringify(patterns)}`, at);
    for (const pattern of patterns) {
      try { new RegExp(String(pattern)); } catch { throw new EksplanError(`priority ${key}: '${String(pattern)}' is not a regular expression`, at); }
      out[String(pattern)] = Math.max(out[String(pattern)] ?? Number.NEGATIVE_INFINITY, priority);
    }
  }
  return out;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}


/** A scalable node group the deployed Cluster Autoscaler does not manage, and why. */
export interface UnmanagedGroup { readonly group: string; readonly reason: string }

/**
 * The node groups the deployed Cluster Autoscaler manages: those its --nodes flags name (with their bounds) or its
 * --node-group-auto-discovery tags find; every group when none is deployed (a scenario `assume`). Pure.
 */
export function clusterAutoscalerGroups(model: ClusterModel): { groups: NodeGroupModel[]; unmanaged: UnmanagedGroup[] } {
  const deployed = model.clusterAutoscalerSettings;
  if (!deployed) return { groups: model.nodeGroups, unmanaged: [] };
  const groups: NodeGroupModel[] = [];
  const unmanaged: UnmanagedGroup[] = [];
  for (const group of model.nodeGroups) {
    const named = deployed.explicitGroups.find((g) => asgNameMatches(g.name, group));
    if (named) { groups.push({ ...group, minSize: named.minSize, maxSize: named.maxSize }); continue; }
    const tags = asgTags(model, group);
    if (deployed.autoDiscovery.some((spec) => discovers(spec, tags))) { groups.push(group); continue; }
    if (isScalable(group)) unmanaged.push({ group: group.name, reason: whyNot(deployed, tags) });
  }
  return { groups, unmanaged };
}

/**
 * The tags on a node group's Auto Scaling group. EKS tags a managed node group's ASG with
 * `k8s.io/cluster-autoscaler/enabled=true` and `k8s.io/cluster-autoscaler/<cluster name>=owned` (EKS user guide,
 * managed-node-groups.html); a self-managed group has the tags its template gives. The cluster's name is written
 * both as itself and as the unresolved `Ref` a CDK app passes to the chart (`${Token[Ref:<logical id>]}`).
 */
function asgTags(model: ClusterModel, group: NodeGroupModel): Map<string, string> {
  const tags = new Map(Object.entries(group.asgTags ?? {}));
  if (group.kind === 'managed' && model.cluster) {
    tags.set('k8s.io/cluster-autoscaler/enabled', 'true');
    for (const name of clusterNames(model)) tags.set(`k8s.io/cluster-autoscaler/${name}`, 'owned');
  }
  return tags;
}

function clusterNames(model: ClusterModel): string[] {
  if (!model.cluster) return [];
  const names = [model.cluster.name];
  if (model.cluster.source) names.push(`\${Token[Ref:${model.cluster.source.id}]}`);
  return names;
}

/** cloudprovider/aws/auto_scaling_groups.go: an ASG matches a spec when it has every key, with the value when one is given. */
function discovers(spec: readonly AsgTagFilter[], tags: ReadonlyMap<string, string>): boolean {
  return spec.every((filter) => {
    // A key still holding a deploy-time value other than the cluster's own name cannot be decided at synth: the
    // group counts as found rather than silently left unscaled.
    if (filter.key.includes('${Token[') && !tags.has(filter.key)) return true;
    const value = tags.get(filter.key);
    return value !== undefined && (filter.value === undefined || filter.value === value);
  });
}

/** `--nodes` names an Auto Scaling group; EKS names a managed group's ASG `eks-<node group name>-<uuid>`. */
function asgNameMatches(name: string, group: NodeGroupModel): boolean {
  return name === group.name || name.startsWith(`eks-${group.name}-`);
}

function whyNot(deployed: ClusterAutoscalerSettingsModel, tags: ReadonlyMap<string, string>): string {
  if (deployed.autoDiscovery.length === 0 && deployed.explicitGroups.length === 0) {
    // charts/cluster-autoscaler/templates/deployment.yaml renders only with autoDiscovery.clusterName or autoscalingGroups.
    return `${deployed.where} has neither --nodes nor --node-group-auto-discovery${deployed.where.startsWith('Helm release') ? ' (the chart renders no Deployment without autoDiscovery.clusterName or autoscalingGroups)' : ''}`;
  }
  const specs = deployed.autoDiscovery.map((spec) => spec.map((f) => (f.value === undefined ? f.key : `${f.key}=${f.value}`)).join(','));
  const missing = deployed.autoDiscovery.flatMap((spec) => spec.filter((f) => !discovers([f], tags)).map((f) => f.key));
  return `${deployed.where} discovers ${specs.length > 0 ? `asg:tag=${specs.join(' or asg:tag=')}` : 'only the --nodes groups'}` +
    (missing.length > 0 ? `; the group's Auto Scaling group has no ${[...new Set(missing)].join(', ')} tag` : '');
}

import { EksplanError } from '../model/errors';
import { DraExtendedResources } from './dra';
import type { Features } from './features';
import type { FilterPlugin, ScorePlugin } from './plugin';
import { makeDynamicResourcesExtended } from './plugins/dynamic-resources';
import { makeInterPodAffinity, type InterPodAffinityArgs } from './plugins/inter-pod-affinity';
import { NodeAffinity } from './plugins/node-affinity';
import { NodeName } from './plugins/node-name';
import { NodePorts } from './plugins/node-ports';
import { makeNodeResourcesBalancedAllocation, type NodeResourcesBalancedAllocationArgs } from './plugins/node-resources-balanced-allocation';
import { makeNodeResourcesFit, type NodeResourcesFitArgs, type ScoringStrategyType } from './plugins/node-resources-fit';
import { NodeUnschedulable } from './plugins/node-unschedulable';
import { makePodTopologySpread, type PodTopologySpreadArgs } from './plugins/pod-topology-spread';
import { makeTaintToleration } from './plugins/taint-toleration';
import { VolumeZone } from './plugins/volume-zone';

// The scheduler profile as data, shaped like KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1):
// pkg/scheduler/apis/config/v1/default_plugins.go (the default profile), v1/defaults.go mergePlugins (how a
// profile's plugin sets merge over it), framework/runtime/framework.go (MultiPoint expansion, score weights).

/** A plugin in a plugin set; `weight` only matters for score plugins. */
export interface PluginRef {
  readonly name: string;
  /** Score weight; 0 or omitted means the default for a default plugin, else 1. */
  readonly weight?: number;
}

/** Plugins enabled and disabled at one extension point; `disabled: [{ name: '*' }]` drops every default. */
export interface PluginSet {
  readonly enabled?: readonly PluginRef[];
  readonly disabled?: readonly { readonly name: string }[];
}

/** The extension points the simulation runs (others in a real profile are accepted and have no effect here). */
export interface ProfilePlugins {
  readonly multiPoint?: PluginSet;
  readonly preFilter?: PluginSet;
  readonly filter?: PluginSet;
  readonly preScore?: PluginSet;
  readonly score?: PluginSet;
  readonly [extensionPoint: string]: PluginSet | undefined;
}

/** Plugin arguments by plugin name (`pluginConfig[].args`). */
export type PluginConfig =
  | { readonly name: 'NodeResourcesFit'; readonly args?: NodeResourcesFitArgs }
  | { readonly name: 'NodeResourcesBalancedAllocation'; readonly args?: NodeResourcesBalancedAllocationArgs }
  | { readonly name: 'PodTopologySpread'; readonly args?: PodTopologySpreadArgs }
  | { readonly name: string; readonly args?: object };

/** One `profiles[]` entry of a KubeSchedulerConfiguration. */
export interface KubeSchedulerProfile {
  /** @default 'default-scheduler' */
  readonly schedulerName?: string;
  /** Overrides the configuration-wide value for this profile. */
  readonly percentageOfNodesToScore?: number;
  readonly plugins?: ProfilePlugins;
  readonly pluginConfig?: readonly PluginConfig[];
}

/** The parts of `KubeSchedulerConfiguration` the simulation reads. */
export interface KubeSchedulerConfiguration {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly percentageOfNodesToScore?: number;
  readonly profiles?: readonly KubeSchedulerProfile[];
}

interface PluginEntry {
  readonly filter: boolean;
  readonly score: boolean;
  /** Built with the profile's args, the cluster's features and the cluster objects plugins read. */
  readonly build?: (args: object | undefined, features: Features, context: PluginContext) => Partial<FilterPlugin & ScorePlugin>;
  readonly instance?: Partial<FilterPlugin & ScorePlugin>;
}

/** Cluster objects plugins read besides nodes and pods (upstream's framework handle). */
interface PluginContext {
  /** DeviceClasses and ResourceSlices (the shared DRA manager), for DRA-backed extended resources. */
  readonly dra?: DraExtendedResources;
}

const NO_DRA = new DraExtendedResources({});

/** Every in-tree plugin name; those without an entry run at extension points the simulation does not model. */
const REGISTRY: Record<string, PluginEntry | null> = {
  NodeUnschedulable: { filter: true, score: false, instance: NodeUnschedulable },
  NodeName: { filter: true, score: false, instance: NodeName },
  TaintToleration: { filter: true, score: true, build: (_args, f) => makeTaintToleration(f) },
  NodeAffinity: { filter: true, score: true, instance: NodeAffinity },
  NodePorts: { filter: true, score: false, instance: NodePorts },
  NodeResourcesFit: { filter: true, score: true, build: (args, f, context) => makeNodeResourcesFit((args ?? {}) as NodeResourcesFitArgs, { features: f, dra: context.dra }) },
  // Only its extended-resource part (KEP-5004): claims named by pods are not modelled.
  DynamicResources: { filter: true, score: false, build: (_args, f, context) => makeDynamicResourcesExtended(context.dra ?? NO_DRA, f) },
  VolumeZone: { filter: true, score: false, instance: VolumeZone },
  PodTopologySpread: { filter: true, score: true, build: (args, f) => makePodTopologySpread((args ?? {}) as PodTopologySpreadArgs, f) },
  InterPodAffinity: { filter: true, score: true, build: (args) => makeInterPodAffinity((args ?? {}) as InterPodAffinityArgs) },
  NodeResourcesBalancedAllocation: { filter: false, score: true, build: (args, f) => makeNodeResourcesBalancedAllocation((args ?? {}) as NodeResourcesBalancedAllocationArgs, f) },
  // Queue sort, binding, volumes, images, DRA and preemption: not decided by Filter/Score here.
  SchedulingGates: null, PrioritySort: null, VolumeRestrictions: null, NodeVolumeLimits: null, VolumeBinding: null,
  DefaultPreemption: null, ImageLocality: null, DefaultBinder: null, NodeDeclaredFeatures: null,
};

/** default_plugins.go getDefaultPlugins: the MultiPoint set with its score weights, in order. */
export const DEFAULT_PLUGINS: readonly PluginRef[] = [
  { name: 'SchedulingGates' }, { name: 'PrioritySort' }, { name: 'NodeUnschedulable' }, { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 }, { name: 'NodeAffinity', weight: 2 }, { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 }, { name: 'VolumeRestrictions' }, { name: 'NodeVolumeLimits' }, { name: 'VolumeBinding' },
  { name: 'VolumeZone' }, { name: 'PodTopologySpread', weight: 2 }, { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' }, { name: 'NodeResourcesBalancedAllocation', weight: 1 }, { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/**
 * v1/default_plugins.go applyFeatureGates: DynamicResources goes in before DefaultPreemption. Added here only when
 * the cluster's DRA objects are given, the one part of it the simulation models.
 */
function withDynamicResources(plugins: readonly PluginRef[]): PluginRef[] {
  const at = plugins.findIndex((p) => p.name === 'DefaultPreemption');
  return [...plugins.slice(0, at), { name: 'DynamicResources' }, ...plugins.slice(at)];
}

/** The profile resolved into plugin instances, in the order the framework runs them. */
export interface ResolvedProfile {
  readonly filters: FilterPlugin[];
  readonly scorers: ScorePlugin[];
  /** Score weight per scorer, aligned with `scorers`. */
  readonly weights: number[];
  readonly percentageOfNodesToScore?: number;
}

function fail(message: string, field: string): EksplanError {
  return new EksplanError(message, { input: 'KubeSchedulerProfile', field });
}

/** v1/defaults.go mergePluginSet: defaults minus disabled (all with '*'), custom entries replacing defaults in place, others appended. */
function mergePluginSet(defaults: readonly PluginRef[], custom: PluginSet | undefined): PluginRef[] {
  const disabled = new Set((custom?.disabled ?? []).map((p) => p.name));
  const enabled = custom?.enabled ?? [];
  const byName = new Map(enabled.map((p, i) => [p.name, i]));
  const replaced = new Set<number>();
  const out: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const plugin of defaults) {
      if (disabled.has(plugin.name)) continue;
      const index = byName.get(plugin.name);
      if (index !== undefined) {
        replaced.add(index);
        out.push(enabled[index]);
      } else {
        out.push(plugin);
      }
    }
  }
  enabled.forEach((plugin, i) => { if (!replaced.has(i)) out.push(plugin); });
  return out;
}

function checkRefs(set: PluginSet | undefined, field: string): void {
  for (const [i, ref] of (set?.enabled ?? []).entries()) {
    if (!(ref.name in REGISTRY)) throw fail(`plugin "${ref.name}" does not exist; known plugins: ${Object.keys(REGISTRY).join(', ')}`, `${field}.enabled[${i}].name`);
    if (ref.weight !== undefined && (!Number.isInteger(ref.weight) || ref.weight < 0)) throw fail(`score weight must be a non-negative integer, got ${ref.weight}`, `${field}.enabled[${i}].weight`);
  }
}

/**
 * framework.go expandMultiPointPlugins for one extension point: plugins enabled for the point itself come
 * first (they override their MultiPoint entry), then the MultiPoint plugins the point does not disable.
 */
function expand(point: 'filter' | 'score', multiPoint: readonly PluginRef[], own: PluginSet | undefined): PluginRef[] {
  const disabled = new Set((own?.disabled ?? []).map((p) => p.name));
  const explicit = (own?.enabled ?? []).filter((p) => REGISTRY[p.name]?.[point]);
  const explicitNames = new Set(explicit.map((p) => p.name));
  const out = [...explicit];
  if (disabled.has('*')) return out;
  const seen = new Set<string>();
  for (const ref of multiPoint) {
    const entry = REGISTRY[ref.name];
    if (!entry || !entry[point] || disabled.has(ref.name) || explicitNames.has(ref.name)) continue;
    if (seen.has(ref.name)) throw fail(`plugin "${ref.name}" already registered as ${point}`, 'plugins.multiPoint.enabled');
    seen.add(ref.name);
    out.push(ref);
  }
  return out;
}

/**
 * Resolves a profile (a KubeSchedulerConfiguration `profiles[]` entry) over upstream's default profile into
 * plugin instances built with their args and the cluster's features. Unknown plugin names, bad weights and
 * invalid plugin args are refused with the field named.
 */
export function resolveProfile(profile: KubeSchedulerProfile, features: Features, overrides: { scoringStrategy?: ScoringStrategyType; dra?: DraExtendedResources } = {}): ResolvedProfile {
  const plugins = profile.plugins ?? {};
  for (const point of Object.keys(plugins)) checkRefs(plugins[point], `plugins.${point}`);
  const args = new Map<string, object | undefined>();
  for (const [i, config] of (profile.pluginConfig ?? []).entries()) {
    if (!(config.name in REGISTRY)) throw fail(`plugin "${config.name}" does not exist`, `pluginConfig[${i}].name`);
    if (args.has(config.name)) throw fail(`duplicate pluginConfig for plugin "${config.name}"`, `pluginConfig[${i}].name`);
    args.set(config.name, config.args);
  }
  if (overrides.scoringStrategy) {
    const fit = (args.get('NodeResourcesFit') ?? {}) as NodeResourcesFitArgs;
    args.set('NodeResourcesFit', { ...fit, scoringStrategy: { ...fit.scoringStrategy, type: overrides.scoringStrategy } });
  }
  const percentage = profile.percentageOfNodesToScore;
  if (percentage !== undefined && (!Number.isFinite(percentage) || percentage < 0 || percentage > 100)) {
    throw fail(`not in valid range [0, 100]: ${percentage}`, 'percentageOfNodesToScore');
  }

  const multiPoint = mergePluginSet(overrides.dra ? withDynamicResources(DEFAULT_PLUGINS) : DEFAULT_PLUGINS, plugins.multiPoint);
  const context: PluginContext = { dra: overrides.dra };
  const instances = new Map<string, Partial<FilterPlugin & ScorePlugin>>();
  const instance = (name: string): Partial<FilterPlugin & ScorePlugin> => {
    let built = instances.get(name);
    if (!built) {
      const entry = REGISTRY[name] as PluginEntry;
      try {
        built = entry.instance ?? entry.build?.(args.get(name), features, context) ?? {};
      } catch (error) {
        if (error instanceof EksplanError) throw fail(error.message, `pluginConfig[${name}].args${error.field ? `.${error.field}` : ''}`);
        throw error;
      }
      instances.set(name, built);
    }
    return built;
  };
  // Args of plugins that end up disabled are still validated, as the framework builds every configured plugin.
  for (const name of args.keys()) if (REGISTRY[name]) instance(name);

  const filters = expand('filter', multiPoint, plugins.filter).map((ref) => instance(ref.name) as FilterPlugin);
  const scoreRefs = expand('score', multiPoint, plugins.score);
  const scorers = scoreRefs.map((ref) => instance(ref.name) as ScorePlugin);
  const weights = scoreRefs.map((ref) => {
    const explicit = plugins.score?.enabled?.find((p) => p.name === ref.name)?.weight;
    const weight = explicit ?? ref.weight ?? 0;
    // framework.go: a weight of 0 becomes 1 (plugins are disabled explicitly, not by weight).
    return weight === 0 ? 1 : weight;
  });
  return { filters, scorers, weights, percentageOfNodesToScore: percentage };
}

/** The profile of one scheduler in a KubeSchedulerConfiguration (the `percentageOfNodesToScore` inherited). */
export function profileFromConfiguration(configuration: KubeSchedulerConfiguration, schedulerName = 'default-scheduler'): KubeSchedulerProfile {
  const profiles = configuration.profiles ?? [{}];
  const profile = profiles.find((p) => (p.schedulerName ?? 'default-scheduler') === schedulerName);
  if (!profile) {
    throw new EksplanError(`no profile for scheduler "${schedulerName}"; profiles: ${profiles.map((p) => p.schedulerName ?? 'default-scheduler').join(', ')}`, { input: 'KubeSchedulerConfiguration', field: 'profiles' });
  }
  return { ...profile, percentageOfNodesToScore: profile.percentageOfNodesToScore ?? configuration.percentageOfNodesToScore };
}

export { Scheduler, numFeasibleNodesToFind, unschedulableMessage, type FitResult, type SchedulerOptions, type ScheduleResult } from './framework';
export { DEFAULT_KUBERNETES_VERSION, gateDefault, minorOf, resolveFeatures, type FeatureGateName, type FeatureOptions, type Features } from './features';
export {
  DEFAULT_PLUGINS, profileFromConfiguration, resolveProfile, type KubeSchedulerConfiguration, type KubeSchedulerProfile, type PluginConfig,
  type PluginRef, type PluginSet, type ProfilePlugins, type ResolvedProfile,
} from './profile';
export { NodeInfo } from './node-info';
export { ClusterSnapshot, type NamespaceFilter } from './snapshot';
export { compareNumericValues, podInfo, podKey, tolerates, toleratesTaint, type PodInfo } from './pod-info';
export { podRequests, nonZeroRequests, resourcesOf, emptyResources, addInto, type Resources } from './resources';
export { matchesLabelSelector, matchesNodeSelectorTerms, podMatchesNodeLabels } from './selectors';
export { createRng } from './rng';
export {
  defaultNormalizeScore, errorStatus, filterStatus, isErrorStatus, statusCode, FITS, MAX_NODE_SCORE, SKIP, type CycleState, type ErrorStatus, type FilterPlugin,
  type FilterStatus, type ScorePlugin, type StatusCode,
} from './plugin';
export { NodeUnschedulable } from './plugins/node-unschedulable';
export { NodeName } from './plugins/node-name';
export { TaintToleration, makeTaintToleration, UNTOLERATED_TAINTS } from './plugins/taint-toleration';
export { NodeAffinity } from './plugins/node-affinity';
export { NodePorts } from './plugins/node-ports';
export {
  NodeResourcesFit, makeNodeResourcesFit, fitReasons, leastRequestedScore, mostRequestedScore, validateNodeResourcesFitArgs,
  type NodeResourcesFitArgs, type NodeResourcesFitOptions, type ScoringStrategy, type ScoringStrategyConfig, type ScoringStrategyType, type UtilizationShapePoint,
} from './plugins/node-resources-fit';
export {
  NodeResourcesBalancedAllocation, makeNodeResourcesBalancedAllocation, validateNodeResourcesBalancedAllocationArgs,
  type NodeResourcesBalancedAllocationArgs,
} from './plugins/node-resources-balanced-allocation';
export { DEFAULT_RESOURCES, type ResourceSpec } from './plugins/resource-allocation';
export { PodTopologySpread, makePodTopologySpread, countPodsMatchSelector, SYSTEM_DEFAULT_CONSTRAINTS, type PodTopologySpreadArgs } from './plugins/pod-topology-spread';
export { InterPodAffinity, makeInterPodAffinity, validateInterPodAffinityArgs, affinityParseError, type InterPodAffinityArgs } from './plugins/inter-pod-affinity';
export { VolumeZone, VOLUME_ZONE_ANNOTATION } from './plugins/volume-zone';
export {
  DraExtendedResources, DEVICE_CLASS_RESOURCE_PREFIX, type AllocatedDevice, type Device, type DeviceAttribute, type DeviceClass, type DeviceSelector, type DeviceTotals,
  type DraObjects, type ResourceSlice,
} from './dra';
export { makeDynamicResourcesExtended } from './plugins/dynamic-resources';

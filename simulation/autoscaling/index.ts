// The autoscalers' surface for tools outside the engine (the bench): controllers and their building blocks.
export { ClusterAutoscaler } from './cluster-autoscaler';
export { HpaController, hpaDesiredReplicas } from './hpa';
export { KarpenterController, prepareNodePool, solveProvisioning, type KarpenterSettings, type PreparedNodePool } from './karpenter';
export { binPack, templateNode } from './template';
export type { CapacityActions, CapacityController, ClusterView, SimNode, SimPod } from './types';

export { freeRoom, KarpenterController, withoutNodes, type KarpenterSettings } from './controller';
export { Requirements } from './requirements';
export { karpenterInstanceType, prepareNodePool, typeLabels, type KarpenterInstanceType, type PreparedNodePool } from './instance-types';
export { solveProvisioning, chooseOffering, sortPodsForProvisioning, type NodeClaimPlan, type ProvisioningInput } from './provisioner';



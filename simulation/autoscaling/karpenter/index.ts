export { freeRoom, KarpenterController, withoutNodes, type KarpenterSettings } from './controller';
export { Requirements } from './requirements';
export { karpenterInstanceType, prepareNodePool, typeLabels, type KarpenterInstanceType, type PreparedNodePool } from './instance-types';
export { solveProvisioning, chooseOffering, sortPodsForProvisioning, type NodeClaimPlan, type ProvisioningInput } from './provisioner';

import { karpenterInstanceType } from './instance-types';
import { instanceTypes } from '../../catalog';

/** Every catalog type as Karpenter would size it without an EC2NodeClass (for tools and benchmarks). */
export function karpenterInstanceTypes(region = 'us-east-1') {
  return instanceTypes(region).map((t) => karpenterInstanceType(t));
}

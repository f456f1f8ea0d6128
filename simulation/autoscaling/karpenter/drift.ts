import {
  EC2NODECLASS_HASH_ANNOTATION, EC2NODECLASS_HASH_VERSION_ANNOTATION, ec2NodeClassHash, EC2NODECLASS_HASH_VERSION, IMAGE_ANNOTATION, NODEPOOL_HASH_ANNOTATION,
  NODEPOOL_HASH_VERSION, NODEPOOL_HASH_VERSION_ANNOTATION, nodePoolHash, SECURITY_GROUPS_ANNOTATION, selectedImages, selectedSecurityGroups,
} from '../../model/karpenter-hash';
import type { NodeSelectorRequirement } from '../../model/kubernetes';
import { labelSatisfies } from '../../model/labels';
import type { PreparedNodePool } from './instance-types';

/** Why a NodeClaim is drifted: the core reasons, then the AWS provider's. */
export type DriftReason = 'NodePoolDrifted' | 'RequirementsDrifted' | 'NodeClassDrift' | 'AMIDrift' | 'SecurityGroupDrift' | 'SubnetDrift';

/** What the drift check needs of a NodePool, worked out once per controller. */
export interface DriftTemplate {
  readonly nodePoolHash: string;
  readonly nodeClassHash: string;
  readonly images: ReadonlySet<string>;
  readonly securityGroups: string;
  readonly requirements: readonly NodeSelectorRequirement[];
  /** Subnets the EC2NodeClass selects (logical ids); undefined when the model has none to compare. */
  readonly subnetIds?: ReadonlySet<string>;
}

export function driftTemplate(pool: PreparedNodePool, subnetIds?: ReadonlySet<string>): DriftTemplate {
  return {
    nodePoolHash: nodePoolHash(pool.pool),
    nodeClassHash: ec2NodeClassHash(pool.nodeClass),
    images: new Set(selectedImages(pool.nodeClass)),
    securityGroups: JSON.stringify(selectedSecurityGroups(pool.nodeClass)),
    requirements: pool.pool.spec?.template?.spec?.requirements ?? [],
    subnetIds,
  };
}

/**
 * Whether a node is drifted from its NodePool and EC2NodeClass, and why; undefined when it is not. In upstream's
 * order: static NodePool drift and requirement drift (kubernetes-sigs/karpenter pkg/controllers/nodeclaim/disruption/drift.go
 * isDrifted), then the cloud provider's (aws/karpenter-provider-aws pkg/cloudprovider/drift.go isNodeClassDrifted):
 * static EC2NodeClass drift, then AMI, security group and subnet drift. A hash is compared only when both sides
 * carry it under the same hash version (areStaticFieldsDrifted), so a node launched before a hash change is not drifted by it.
 */
export function driftReason(labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>, template: DriftTemplate, subnetId?: string): DriftReason | undefined {
  const poolHash = annotations[NODEPOOL_HASH_ANNOTATION];
  if (poolHash !== undefined && annotations[NODEPOOL_HASH_VERSION_ANNOTATION] === NODEPOOL_HASH_VERSION && poolHash !== template.nodePoolHash) return 'NodePoolDrifted';
  // areRequirementsDrifted: every NodePool requirement must be compatible with the node's labels; a key the node
  // lacks is compatible only with NotIn and DoesNotExist (scheduling.Requirements.Compatible).
  if (template.requirements.some((r) => !labelSatisfies(labels[r.key], r))) return 'RequirementsDrifted';
  const classHash = annotations[EC2NODECLASS_HASH_ANNOTATION];
  if (classHash !== undefined && annotations[EC2NODECLASS_HASH_VERSION_ANNOTATION] === EC2NODECLASS_HASH_VERSION && classHash !== template.nodeClassHash) return 'NodeClassDrift';
  // isAMIDrifted: the instance's image is no longer among those the EC2NodeClass selects.
  const image = annotations[IMAGE_ANNOTATION];
  if (image !== undefined && !template.images.has(image)) return 'AMIDrift';
  // areSecurityGroupsDrifted: the instance's security groups differ from the selected set.
  const groups = annotations[SECURITY_GROUPS_ANNOTATION];
  if (groups !== undefined && groups !== template.securityGroups) return 'SecurityGroupDrift';
  // isSubnetDrifted: the instance's subnet is no longer selected.
  if (subnetId !== undefined && template.subnetIds !== undefined && !template.subnetIds.has(subnetId)) return 'SubnetDrift';
  return undefined;
}

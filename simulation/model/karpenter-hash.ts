import type { KarpenterEc2NodeClass, KarpenterNodePool, Taint } from './kubernetes';
import type { OwnerRef } from './result';

// What Karpenter stamps on a NodeClaim at launch so it can later tell that the NodePool or EC2NodeClass changed
// under it (drift). The hashes are our own FNV-1a over a canonical form of the hashed fields, so their values differ
// from upstream's hashstructure output, but they change exactly when upstream's would: the same fields are hashed,
// the same are ignored, and defaults are applied first (an omitted field and its default hash the same).

/** kubernetes-sigs/karpenter pkg/apis/v1/labels.go NodePoolHashAnnotationKey. */
export const NODEPOOL_HASH_ANNOTATION = 'karpenter.sh/nodepool-hash';
/** kubernetes-sigs/karpenter pkg/apis/v1/labels.go NodePoolHashVersionAnnotationKey. */
export const NODEPOOL_HASH_VERSION_ANNOTATION = 'karpenter.sh/nodepool-hash-version';
/** kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go NodePoolHashVersion. */
export const NODEPOOL_HASH_VERSION = 'v3';
/** aws/karpenter-provider-aws pkg/apis/v1/labels.go AnnotationEC2NodeClassHash. */
export const EC2NODECLASS_HASH_ANNOTATION = 'karpenter.k8s.aws/ec2nodeclass-hash';
/** aws/karpenter-provider-aws pkg/apis/v1/labels.go AnnotationEC2NodeClassHashVersion. */
export const EC2NODECLASS_HASH_VERSION_ANNOTATION = 'karpenter.k8s.aws/ec2nodeclass-hash-version';
/** aws/karpenter-provider-aws pkg/apis/v1/ec2nodeclass.go EC2NodeClassHashVersion. */
export const EC2NODECLASS_HASH_VERSION = 'v4';
/** The image the instance was launched from (upstream keeps it in NodeClaim status.imageID; here an annotation). */
export const IMAGE_ANNOTATION = 'eksplan.io/image';
/** The security groups the instance was launched with (upstream reads them from EC2 DescribeInstances). */
export const SECURITY_GROUPS_ANNOTATION = 'eksplan.io/security-groups';

/**
 * The canonical form hashstructure's options give (IgnoreZeroValue, ZeroNil, SlicesAsSets): absent, null, empty
 * strings and empty lists or maps drop out, map keys are sorted and list order does not count.
 */
function canonical(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v): v is string => v !== undefined).sort();
    return items.length === 0 ? undefined : `[${items.join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value as object).sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
      .map(([key, v]) => `${JSON.stringify(key)}:${v}`);
    return entries.length === 0 ? undefined : `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a (64-bit) of a string, in decimal like upstream's hash annotations. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString();
}

/**
 * The NodePool template hash (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go Hash): `spec.template` only, so
 * disruption, limits, weight and replicas never drift nodes; within the template `requirements` is `hash:"ignore"`
 * (requirement drift is checked against node labels instead). Hashed: metadata labels and annotations, taints,
 * startupTaints, nodeClassRef, terminationGracePeriod and expireAfter (defaulted to 720h by the CRD).
 */
export function nodePoolHash(pool: KarpenterNodePool): string {
  const template = (pool.spec?.template ?? {}) as { metadata?: unknown; spec?: Record<string, unknown> };
  const { requirements: _requirements, ...spec } = template.spec ?? {};
  return fnv1a64(canonical({ metadata: template.metadata, spec: { ...spec, expireAfter: spec.expireAfter ?? '720h' } }) ?? '');
}

/** An alias family as the EC2NodeClass names it (`al2023` → `AL2023`), ec2nodeclass.go amiFamilyFromAlias. */
const ALIAS_FAMILIES: Record<string, string> = { al2: 'AL2', al2023: 'AL2023', bottlerocket: 'Bottlerocket', windows2019: 'Windows2019', windows2022: 'Windows2022', windows2025: 'Windows2025' };

/** ec2nodeclass.go AMIFamily(): spec.amiFamily, else the alias term's family, else Custom. */
export function resolvedAmiFamily(nodeClass: KarpenterEc2NodeClass | undefined): string {
  const spec = (nodeClass?.spec ?? {}) as { amiFamily?: string; amiSelectorTerms?: { alias?: string }[] };
  if (spec.amiFamily) return spec.amiFamily;
  const alias = spec.amiSelectorTerms?.find((t) => t.alias)?.alias;
  if (alias) return ALIAS_FAMILIES[alias.split('@')[0].toLowerCase()] ?? 'Custom';
  return 'Custom';
}

// ec2nodeclass.go EC2NodeClassSpec: these fields are `hash:"ignore"` (selectors are drift-checked against what the
// instance has: AMI, subnet and security group drift; amiFamily is hashed as resolved, below).
const EC2NODECLASS_UNHASHED = ['subnetSelectorTerms', 'securityGroupSelectorTerms', 'capacityReservationSelectorTerms', 'ipPrefixCount', 'amiSelectorTerms', 'amiFamily'];
// ec2nodeclass.go MetadataOptions kubebuilder default, applied when the field is omitted.
const DEFAULT_METADATA_OPTIONS = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' };

/**
 * The EC2NodeClass hash (aws/karpenter-provider-aws pkg/apis/v1/ec2nodeclass.go Hash): the spec without its
 * selector terms and literal amiFamily, plus the resolved AMI family, so userData, role, instanceProfile, tags,
 * kubelet, blockDeviceMappings, metadataOptions, associatePublicIPAddress, detailedMonitoring, instanceStorePolicy
 * and the family drift nodes.
 */
export function ec2NodeClassHash(nodeClass: KarpenterEc2NodeClass | undefined): string {
  const spec: Record<string, unknown> = { ...((nodeClass?.spec ?? {}) as Record<string, unknown>) };
  for (const key of EC2NODECLASS_UNHASHED) delete spec[key];
  spec.metadataOptions ??= DEFAULT_METADATA_OPTIONS;
  return fnv1a64(canonical({ spec, amiFamily: resolvedAmiFamily(nodeClass) }) ?? '');
}

/**
 * The images an EC2NodeClass selects (status.amis). Images are not resolved against EC2: each selector term stands
 * for the image it selects, so changing a term (another alias version, id, name or tags) is AMI drift. Without
 * terms (pre-v1 classes), the family's default image.
 */
export function selectedImages(nodeClass: KarpenterEc2NodeClass | undefined): string[] {
  const terms = ((nodeClass?.spec ?? {}) as { amiSelectorTerms?: unknown[] }).amiSelectorTerms ?? [];
  const images = terms.map((t) => canonical(t)).filter((t): t is string => t !== undefined);
  return images.length > 0 ? images : [`family:${resolvedAmiFamily(nodeClass)}`];
}

/** The security groups an EC2NodeClass selects (status.securityGroups), one per selector term, as a sorted set. */
export function selectedSecurityGroups(nodeClass: KarpenterEc2NodeClass | undefined): string[] {
  const terms = ((nodeClass?.spec ?? {}) as { securityGroupSelectorTerms?: unknown[] }).securityGroupSelectorTerms ?? [];
  return [...new Set(terms.map((t) => canonical(t)).filter((t): t is string => t !== undefined))].sort();
}

/** What a NodeClaim launched from this NodePool and EC2NodeClass carries: both hashes with their versions, its image and security groups. */
export function launchAnnotations(pool: KarpenterNodePool, nodeClass: KarpenterEc2NodeClass | undefined): Record<string, string> {
  return {
    [NODEPOOL_HASH_ANNOTATION]: nodePoolHash(pool),
    [NODEPOOL_HASH_VERSION_ANNOTATION]: NODEPOOL_HASH_VERSION,
    [EC2NODECLASS_HASH_ANNOTATION]: ec2NodeClassHash(nodeClass),
    [EC2NODECLASS_HASH_VERSION_ANNOTATION]: EC2NODECLASS_HASH_VERSION,
    [IMAGE_ANNOTATION]: selectedImages(nodeClass)[0],
    [SECURITY_GROUPS_ANNOTATION]: JSON.stringify(selectedSecurityGroups(nodeClass)),
  };
}

/**
 * A node that already runs when a run starts: a what-if deployed over a baseline starts from the nodes the
 * baseline has, launched under the baseline's NodePool and EC2NodeClass (their hashes in `annotations`).
 */
export interface ExistingNode {
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: 'on-demand' | 'spot';
  readonly owner: OwnerRef;
  readonly subnetId?: string;
  readonly labels: Record<string, string>;
  readonly taints: Taint[];
  readonly annotations: Record<string, string>;
  readonly maxPods: number;
  readonly diskGiB?: number;
  readonly allocatable?: { readonly milliCpu: number; readonly memoryBytes: number };
}

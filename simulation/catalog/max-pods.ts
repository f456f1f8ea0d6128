import { instanceType, type InstanceTypeInfo } from './instance-types';
import { evaluateMaxPodsExpression } from './max-pods-expression';

export { evaluateMaxPodsExpression, MAX_PODS_EXPRESSION_VARIABLES, type MaxPodsExpressionResult, type MaxPodsVariables } from './max-pods-expression';

export interface MaxPodsOptions {
  /** VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION=true, VPC CNI ≥ 1.9.0). */
  readonly prefixDelegation?: boolean;
  /** Custom networking: pods use ENIConfig subnets, so the primary ENI holds no pod IPs. */
  readonly customNetworking?: boolean;
  /**
   * Apply max-pods-calculator's recommendation ceiling: 110 up to 30 vCPUs, 250 above.
   * @default true when prefix delegation is on, false otherwise (the eni-max-pods.txt values are uncapped)
   */
  readonly cap?: boolean;
  /** max-pods-calculator.sh --cni-max-eni: use at most this many ENIs. */
  readonly maxEnis?: number;
}

function info(type: string | InstanceTypeInfo): InstanceTypeInfo {
  return typeof type === 'string' ? instanceType(type) : type;
}

/**
 * The classic max pods of eni-max-pods.txt: ENIs on the default network card × (IPv4 per ENI − 1) + 2 — the first
 * IP of each ENI is the ENI's own, +2 for the host-network pods (aws-node, kube-proxy). Only the default card
 * counts: the VPC CNI attaches ENIs there alone (awslabs/amazon-eks-ami eni-max-pods.txt header).
 */
export function eniMaxPods(type: string | InstanceTypeInfo): number {
  return info(type).eniMaxPods;
}

/**
 * Max pods as awslabs/amazon-eks-ami max-pods-calculator.sh computes it: `--cni-max-eni` lowers the ENI count,
 * custom networking uses one ENI fewer; prefix delegation (Nitro only: bare metal reports no hypervisor) gives
 * each secondary IP slot a /28 prefix of 16 addresses; the recommended value is capped at 110 for instances up
 * to 30 vCPUs and at 250 above.
 */
export function maxPods(type: string | InstanceTypeInfo, options: MaxPodsOptions = {}): number {
  const t = info(type);
  let enis = options.maxEnis !== undefined ? Math.min(options.maxEnis, t.maxEnis) : t.maxEnis;
  if (options.customNetworking) enis -= 1;
  const prefix = Boolean(options.prefixDelegation) && t.hypervisor === 'nitro';
  const slotsPerEni = t.ipv4PerEni - 1;
  const raw = prefix ? enis * slotsPerEni * 16 + 2 : enis * slotsPerEni + 2;
  const cap = options.cap ?? Boolean(options.prefixDelegation);
  if (!cap) return raw;
  return Math.min(raw, t.vcpu > 30 ? 250 : 110);
}

export interface NodeadmMaxPodsOptions {
  /** NodeConfig spec.kubelet.maxPodsExpression (CEL); invalid or non-positive results fall back to the standard value. */
  readonly maxPodsExpression?: string;
  /**
   * Custom networking: nodeadm itself does not know about it; eksplan models the one-ENI-fewer value users set for
   * it (nodeadm's eni_max_pods_test.go "emulate custom networking": `((default_enis - 1) * (ips_per_eni - 1)) + 2`).
   */
  readonly customNetworking?: boolean;
}

export interface NodeadmMaxPods {
  readonly maxPods: number;
  /** Why the expression was not used, when one was given and nodeadm would have logged a warning. */
  readonly expressionError?: string;
}

/**
 * The kubelet maxPods nodeadm writes (nodeadm/internal/kubelet/eni_max_pods.go CalcMaxPods): the standard ENI
 * formula on the default card, or the value of maxPodsExpression evaluated with default_enis, ips_per_eni,
 * max_pods (the standard value), vcpus and memory_mib.
 */
export function nodeadmMaxPodsDetail(type: string | InstanceTypeInfo, options: NodeadmMaxPodsOptions = {}): NodeadmMaxPods {
  const t = info(type);
  const enis = options.customNetworking ? t.maxEnis - 1 : t.maxEnis;
  const standard = enis * (t.ipv4PerEni - 1) + 2;
  if (options.maxPodsExpression === undefined || options.maxPodsExpression.trim() === '') return { maxPods: standard };
  const result = evaluateMaxPodsExpression(options.maxPodsExpression, {
    default_enis: t.maxEnis, ips_per_eni: t.ipv4PerEni, max_pods: t.eniMaxPods, vcpus: t.vcpu, memory_mib: t.memoryMiB,
  });
  return 'error' in result ? { maxPods: standard, expressionError: result.error } : { maxPods: result.value };
}

/** nodeadm's kubelet max pods (see nodeadmMaxPodsDetail); a boolean second argument means custom networking. */
export function nodeadmMaxPods(type: string | InstanceTypeInfo, options: boolean | NodeadmMaxPodsOptions = {}): number {
  return nodeadmMaxPodsDetail(type, typeof options === 'boolean' ? { customNetworking: options } : options).maxPods;
}

export interface KarpenterPodsOptions {
  /** EC2NodeClass kubelet.maxPods: wins over the ENI limit. */
  readonly maxPods?: number;
  /** EC2NodeClass kubelet.podsPerCore (ignored for Bottlerocket, as Karpenter does). */
  readonly podsPerCore?: number;
  /** Karpenter's --reserved-enis / RESERVED_ENIS (default 0), set for custom networking. */
  readonly reservedEnis?: number;
  /** EFA-only interfaces the EC2NodeClass puts on network card 0: they take an ENI slot and carry no IPs. */
  readonly efaOnlyInterfacesOnCard0?: number;
  /** The AMI family: Windows has no ENI-limited density (110); Bottlerocket ignores podsPerCore. */
  readonly amiFamily?: string;
}

/**
 * Karpenter's ENILimitedPods (aws/karpenter-provider-aws pkg/providers/instancetype/types.go): usable ENIs on the
 * default card = ENIs − reservedENIs − EFA-only interfaces on card 0, floored at 0; 0 usable ENIs gives 0 pods.
 */
export function karpenterEniLimitedPods(type: string | InstanceTypeInfo, reservedEnis = 0, efaOnlyInterfacesOnCard0 = 0): number {
  const t = info(type);
  const usable = Math.max(t.maxEnis - reservedEnis - efaOnlyInterfacesOnCard0, 0);
  return usable === 0 ? 0 : usable * (t.ipv4PerEni - 1) + 2;
}

/** Karpenter's pods capacity (types.go pods): kubelet maxPods, else the ENI limit (110 for Windows), then podsPerCore. */
export function karpenterPods(type: string | InstanceTypeInfo, options: KarpenterPodsOptions = {}): number {
  const t = info(type);
  const family = (options.amiFamily ?? 'AL2023').toLowerCase();
  let count = options.maxPods ?? (family.startsWith('windows') ? 110 : karpenterEniLimitedPods(t, options.reservedEnis ?? 0, options.efaOnlyInterfacesOnCard0 ?? 0));
  if ((options.podsPerCore ?? 0) > 0 && family !== 'bottlerocket') count = Math.min(count, (options.podsPerCore ?? 0) * t.vcpu);
  return count;
}

import { instanceType } from './instance-types';

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
}

/**
 * The classic max pods of eni-max-pods.txt: ENIs × (IPv4 per ENI − 1) + 2 — the first IP of each ENI is the
 * ENI's own, +2 for the host-network pods (aws-node, kube-proxy). awslabs/amazon-eks-ami eni-max-pods.txt header.
 */
export function eniMaxPods(type: string): number {
  const info = instanceType(type);
  return info.maxEnis * (info.ipv4PerEni - 1) + 2;
}

/**
 * Max pods as awslabs/amazon-eks-ami max-pods-calculator.sh computes it: custom networking uses one ENI
 * fewer; prefix delegation (Nitro only) gives each secondary IP slot a /28 prefix of 16 addresses; the
 * recommended value is capped at 110 for instances up to 30 vCPUs and at 250 above.
 */
export function maxPods(type: string, options: MaxPodsOptions = {}): number {
  const info = instanceType(type);
  const enis = options.customNetworking ? info.maxEnis - 1 : info.maxEnis;
  const prefix = Boolean(options.prefixDelegation) && info.hypervisor === 'nitro';
  const slotsPerEni = info.ipv4PerEni - 1;
  const raw = prefix ? enis * slotsPerEni * 16 + 2 : enis * slotsPerEni + 2;
  const cap = options.cap ?? Boolean(options.prefixDelegation);
  if (!cap) return raw;
  return Math.min(raw, info.vcpu > 30 ? 250 : 110);
}

/** nodeadm's default kubelet max pods: the ENI formula, prefix delegation not considered; one ENI fewer with custom networking. */
export function nodeadmMaxPods(type: string, customNetworking = false): number {
  const info = instanceType(type);
  const enis = customNetworking ? info.maxEnis - 1 : info.maxEnis;
  return enis * (info.ipv4PerEni - 1) + 2;
}

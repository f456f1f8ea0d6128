import { EksplanError } from '../model/errors';
import { EXPLICIT_TYPES, LINEAR_FAMILIES, NITRO_NETWORK, REGION_PRICE_FACTOR, SIZE_VCPU, type Arch } from './instance-data';

export type { Arch } from './instance-data';
export { CATALOG_SOURCE } from './instance-data';

export interface InstanceTypeInfo {
  readonly name: string;
  readonly family: string;
  readonly size: string;
  /** karpenter.k8s.aws/instance-category: m, c, r, t, g, p, inf, trn. */
  readonly category: string;
  /** karpenter.k8s.aws/instance-generation. */
  readonly generation: number;
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** ENIs on the default network card (what the VPC CNI uses). */
  readonly maxEnis: number;
  /** Primary + secondary IPv4 addresses per ENI. */
  readonly ipv4PerEni: number;
  readonly arch: Arch;
  readonly gpus: number;
  readonly gpuManufacturer?: string;
  readonly gpuName?: string;
  readonly gpuMemoryMiB?: number;
  /** AWS Neuron devices (inf2, trn1). */
  readonly neuronDevices: number;
  readonly hypervisor: 'nitro' | 'xen' | '';
  readonly bareMetal: boolean;
  readonly burstable: boolean;
  readonly networkGbps?: number;
  /** Supports a trunk ENI for security groups for pods. */
  readonly trunking: boolean;
  /** Branch ENIs (vpc.amazonaws.com/pod-eni) when trunking is supported. */
  readonly branchEnis: number;
  onDemandUsdPerHour(region?: string): number;
}

export const REGIONS = Object.keys(REGION_PRICE_FACTOR);
export const DEFAULT_REGION = 'us-east-1';

function regionFactor(region: string, category: string): number {
  const factors = REGION_PRICE_FACTOR[region];
  if (!factors) throw new EksplanError(`no prices for region '${region}': the catalog has ${REGIONS.join(', ')} (refresh it with eksplan catalog refresh --region ${region})`, { field: 'region' });
  return factors[category] ?? 1;
}

function priceFn(usEast1: number, category: string): (region?: string) => number {
  return (region = DEFAULT_REGION) => Math.round(usEast1 * regionFactor(region, category) * 1e6) / 1e6;
}

// Branch ENIs for security groups for pods grow with size (EC2 docs, "Trunk network interfaces").
function branchEnisFor(vcpu: number): number {
  if (vcpu <= 2) return 9;
  if (vcpu <= 4) return 18;
  if (vcpu <= 8) return 38;
  if (vcpu <= 16) return 54;
  return 107;
}

function build(): InstanceTypeInfo[] {
  const types: InstanceTypeInfo[] = [];
  for (const family of LINEAR_FAMILIES) {
    for (const size of family.sizes) {
      const vcpu = size === 'metal' ? family.metalVcpu ?? 0 : SIZE_VCPU[size];
      const [enis, ipv4] = NITRO_NETWORK[size];
      const bareMetal = size.startsWith('metal');
      types.push({
        name: `${family.family}.${size}`, family: family.family, size, category: family.category, generation: family.generation,
        vcpu, memoryMiB: vcpu * family.memoryGiBPerVcpu * 1024, maxEnis: enis, ipv4PerEni: ipv4, arch: family.arch,
        gpus: 0, neuronDevices: 0, hypervisor: bareMetal ? '' : 'nitro', bareMetal, burstable: false,
        networkGbps: vcpu >= 64 ? family.networkGbpsMax : undefined, trunking: true, branchEnis: branchEnisFor(vcpu),
        onDemandUsdPerHour: priceFn(Math.round(vcpu * family.usdPerVcpuHour * (bareMetal && size !== 'metal-48xl' ? family.metalPremium ?? 1 : 1) * 1e6) / 1e6, family.category),
      });
    }
  }
  for (const type of EXPLICIT_TYPES) {
    const [family, size] = type.name.split('.');
    types.push({
      name: type.name, family, size, category: type.category, generation: type.generation, vcpu: type.vcpu,
      memoryMiB: Math.round(type.memoryGiB * 1024), maxEnis: type.enis, ipv4PerEni: type.ipv4PerEni, arch: type.arch,
      gpus: type.gpus ?? 0, gpuManufacturer: type.gpuManufacturer, gpuName: type.gpuName,
      gpuMemoryMiB: type.gpuMemoryGiB !== undefined ? type.gpuMemoryGiB * 1024 : undefined, neuronDevices: type.neuronDevices ?? 0,
      hypervisor: 'nitro', bareMetal: false, burstable: type.burstable ?? false, networkGbps: type.networkGbps,
      trunking: !(type.burstable ?? false), branchEnis: type.burstable ? 0 : branchEnisFor(type.vcpu),
      onDemandUsdPerHour: priceFn(type.usd, type.category),
    });
  }
  return types.sort((a, b) => a.family.localeCompare(b.family) || a.vcpu - b.vcpu || a.name.localeCompare(b.name));
}

const ALL = build();
const BY_NAME = new Map(ALL.map((t) => [t.name, t]));

/** Every instance type in the catalog (priced in `region`, which must be a catalog region). */
export function instanceTypes(region?: string): InstanceTypeInfo[] {
  if (region !== undefined) regionFactor(region, 'm');
  return ALL.slice();
}

export function hasInstanceType(name: string): boolean {
  return BY_NAME.has(name);
}

/** One instance type; a clear error names the unknown type and suggests close names. */
export function instanceType(name: string): InstanceTypeInfo {
  const found = BY_NAME.get(name);
  if (found) return found;
  const family = name.split('.')[0];
  const sameFamily = ALL.filter((t) => t.family === family).map((t) => t.name);
  const hint = sameFamily.length > 0 ? `; ${family} sizes: ${sameFamily.join(', ')}` : `; known families: ${[...new Set(ALL.map((t) => t.family))].join(', ')}`;
  throw new EksplanError(`unknown instance type '${name}'${hint}`, { field: 'instanceType' });
}

/**
 * Spot price model (deterministic): Spot sells spare capacity at a discount that EC2 reports per AZ; we use
 * the long-run average discount by category (the EC2 Spot Instance Advisor shows 60-70% for current
 * general-purpose, compute and memory families) with a fixed per-AZ variation of ±4 points derived from a
 * hash of the type and zone, so the same inputs always give the same price.
 */
const SPOT_DISCOUNT: Record<string, number> = { m: 0.64, c: 0.62, r: 0.65, t: 0.7, g: 0.6, p: 0.55, inf: 0.6, trn: 0.6 };

export function spotUsdPerHour(name: string, region: string = DEFAULT_REGION, zone?: string): number {
  const type = instanceType(name);
  const discount = (SPOT_DISCOUNT[type.category] ?? 0.6) + (zone ? (hash(`${name}|${zone}`) % 81 - 40) / 1000 : 0);
  return Math.round(type.onDemandUsdPerHour(region) * (1 - discount) * 1e6) / 1e6;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

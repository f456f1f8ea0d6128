import { EksplanError } from '../model/errors';
import { ec2OnDemandPrice, ec2SpotPrice, type PricedValue } from './ec2-prices';
import { catalogRecords, GPU_MODELS, NEURON_DEVICES, type Arch, type CatalogRecord } from './instance-data';
import { DEFAULT_REGION, regionInfo } from './regions';

export type { Arch } from './instance-data';
export { CATALOG_SOURCE } from './instance-data';

export interface InstanceTypeInfo {
  readonly name: string;
  readonly family: string;
  readonly size: string;
  /** karpenter.k8s.aws/instance-category: m, c, r, t, g, p, inf, trn, x, i, u, hpc... */
  readonly category: string;
  /** karpenter.k8s.aws/instance-generation. */
  readonly generation: number;
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** ENIs on the default network card (what the VPC CNI uses). */
  readonly maxEnis: number;
  /** Primary + secondary IPv4 addresses per ENI. */
  readonly ipv4PerEni: number;
  /** EC2 NetworkCards[i].MaximumNetworkInterfaces by card index (several cards on p4d, p5, trn1...). */
  readonly enisPerNetworkCard: readonly number[];
  readonly defaultNetworkCardIndex: number;
  readonly arch: Arch;
  readonly gpus: number;
  readonly gpuManufacturer?: string;
  readonly gpuName?: string;
  readonly gpuMemoryMiB?: number;
  /** AWS Neuron devices (inf1, inf2, trn1): `aws.amazon.com/neuron`. */
  readonly neuronDevices: number;
  readonly hypervisor: 'nitro' | 'xen' | '';
  readonly bareMetal: boolean;
  readonly burstable: boolean;
  /** A `-flex` family (karpenter.k8s.aws/instance-capability-flex). */
  readonly flex: boolean;
  readonly networkGbps?: number;
  /** Supports a trunk ENI for security groups for pods. */
  readonly trunking: boolean;
  /** Branch ENIs (vpc.amazonaws.com/pod-eni) when trunking is supported. */
  readonly branchEnis: number;
  /** On-Demand Linux price in us-east-1 from the static list. */
  readonly usEast1UsdPerHour: number;
  /** The ENI-limited max pods, computed once: default-card ENIs × (IPv4 per ENI − 1) + 2. */
  readonly eniMaxPods: number;
  onDemandUsdPerHour(region?: string): number;
}

// Karpenter's label scheme (aws/karpenter-provider-aws pkg/providers/instancetype/types.go instanceTypeScheme):
// category = leading letters, generation = the digits after them (skipping a `-NNtb` memory tag of u- types).
const INSTANCE_TYPE_SCHEME = /^([a-z]+)(-[0-9]+tb)?([0-9]+).*\./;

function toInfo(record: CatalogRecord): InstanceTypeInfo {
  const [family, size] = record.name.split('.');
  const parts = INSTANCE_TYPE_SCHEME.exec(record.name);
  const gpu = record.gpus > 0 ? GPU_MODELS[family] : undefined;
  const usEast1 = record.usEast1UsdPerHour;
  const name = record.name;
  const maxEnis = record.enisPerNetworkCard[record.defaultNetworkCardIndex] ?? 0;
  return {
    name, family, size, category: parts?.[1] ?? '', generation: parts ? Number(parts[3]) : 0,
    vcpu: record.vcpu, memoryMiB: record.memoryMiB, maxEnis, ipv4PerEni: record.ipv4PerEni,
    enisPerNetworkCard: record.enisPerNetworkCard, defaultNetworkCardIndex: record.defaultNetworkCardIndex, arch: record.arch,
    gpus: record.gpus, gpuManufacturer: gpu?.[0], gpuName: gpu?.[1], neuronDevices: NEURON_DEVICES[name] ?? 0,
    hypervisor: record.hypervisor, bareMetal: record.bareMetal, burstable: /^t\d/.test(family), flex: family.includes('-flex'),
    trunking: record.trunking, branchEnis: record.trunking ? record.branchEnis : 0, usEast1UsdPerHour: usEast1,
    eniMaxPods: maxEnis * (record.ipv4PerEni - 1) + 2,
    onDemandUsdPerHour: (region = DEFAULT_REGION) => ec2OnDemandPrice(name, usEast1, region).usd,
  };
}

// The catalog is decoded and indexed on first use, once: CLI commands that never look at an instance type
// (validate, spec) do not pay for it, and every lookup after the first is a Map hit.
let all: readonly InstanceTypeInfo[] | undefined;
let byName: ReadonlyMap<string, InstanceTypeInfo> | undefined;

function catalog(): { all: readonly InstanceTypeInfo[]; byName: ReadonlyMap<string, InstanceTypeInfo> } {
  if (!all || !byName) {
    // Plain code-unit comparison: localeCompare (ICU) made the first use ~10× slower.
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    all = Object.freeze(catalogRecords().map(toInfo)
      .sort((a, b) => byText(a.family, b.family) || a.vcpu - b.vcpu || a.memoryMiB - b.memoryMiB || byText(a.name, b.name)));
    byName = new Map(all.map((t) => [t.name, t]));
  }
  return { all, byName };
}

/** Every instance type in the catalog; `region` must be a commercial region (prices are looked up per call). */
export function instanceTypes(region?: string): InstanceTypeInfo[] {
  if (region !== undefined) regionInfo(region);
  return catalog().all.slice();
}

export function hasInstanceType(name: string): boolean {
  return catalog().byName.has(name);
}

/** One instance type; a clear error names the unknown type and suggests close names. */
export function instanceType(name: string): InstanceTypeInfo {
  const { all: types, byName: index } = catalog();
  const found = index.get(name);
  if (found) return found;
  const family = name.split('.')[0];
  const sameFamily = types.filter((t) => t.family === family).map((t) => t.name);
  const hint = sameFamily.length > 0 ? `; ${family} sizes: ${sameFamily.join(', ')}`
    : `; ${new Set(types.map((t) => t.family)).size} families are known, e.g. ${[...new Set(types.filter((t) => t.family[0] === family[0]).map((t) => t.family))].slice(0, 12).join(', ') || 'm7i, c7g, r8g'} (eksplan catalog list)`;
  throw new EksplanError(`unknown instance type '${name}'${hint}`, { field: 'instanceType' });
}

/** On-Demand Linux price of a type in a region, with its source (static list, estimate or refresh). */
export function onDemandPrice(name: string, region: string = DEFAULT_REGION): PricedValue {
  const type = instanceType(name);
  return ec2OnDemandPrice(type.name, type.usEast1UsdPerHour, region);
}

/** Spot price of a type in a region and zone, with its source (the Spot model unless refreshed). */
export function spotPrice(name: string, region: string = DEFAULT_REGION, zone?: string): PricedValue {
  const type = instanceType(name);
  return ec2SpotPrice(type.name, type.category, ec2OnDemandPrice(type.name, type.usEast1UsdPerHour, region), region, zone);
}

export function spotUsdPerHour(name: string, region: string = DEFAULT_REGION, zone?: string): number {
  return spotPrice(name, region, zone).usd;
}

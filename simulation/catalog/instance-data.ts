// The project's own EC2 instance-type catalog (written by the eksplan team from the public AWS
// documentation: "Amazon EC2 instance types" specifications, "Maximum IP addresses per network interface",
// and the EC2 On-Demand pricing pages, Linux, shared tenancy). Regenerate from the APIs with
// `eksplan catalog refresh --region R` (DescribeInstanceTypes + the Pricing API).

export const CATALOG_SOURCE = {
  description: 'AWS EC2 instance-type specifications and On-Demand Linux prices (aws.amazon.com/ec2/instance-types, aws.amazon.com/ec2/pricing/on-demand), compiled by eksplan',
  date: '2026-11-01',
} as const;

export type Arch = 'amd64' | 'arm64';

/** ENIs on the default network card × IPv4 addresses per ENI, by size, for current Nitro families. */
export const NITRO_NETWORK: Record<string, readonly [enis: number, ipv4PerEni: number]> = {
  medium: [2, 4],
  large: [3, 10],
  xlarge: [4, 15],
  '2xlarge': [4, 15],
  '4xlarge': [8, 30],
  '8xlarge': [8, 30],
  '9xlarge': [8, 30],
  '12xlarge': [8, 30],
  '16xlarge': [15, 50],
  '18xlarge': [15, 50],
  '24xlarge': [15, 50],
  '32xlarge': [15, 50],
  '48xlarge': [15, 50],
  metal: [15, 50],
  'metal-24xl': [15, 50],
  'metal-48xl': [15, 50],
};

/** vCPUs by size name (the metal sizes are given per family). */
export const SIZE_VCPU: Record<string, number> = {
  nano: 2, micro: 2, small: 2, medium: 1, large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '9xlarge': 36,
  '12xlarge': 48, '16xlarge': 64, '18xlarge': 72, '24xlarge': 96, '32xlarge': 128, '48xlarge': 192, 'metal-24xl': 96, 'metal-48xl': 192,
};

/** A family whose sizes scale linearly: memory per vCPU and price per vCPU-hour are constant across sizes. */
export interface LinearFamily {
  readonly family: string;
  readonly category: string;
  readonly generation: number;
  readonly arch: Arch;
  readonly memoryGiBPerVcpu: number;
  /** us-east-1 On-Demand Linux USD per vCPU-hour (e.g. m5.large 0.096 / 2). */
  readonly usdPerVcpuHour: number;
  readonly sizes: readonly string[];
  /** vCPUs of the `metal` size. */
  readonly metalVcpu?: number;
  /** Price factor of `metal` / `metal-24xl` over the linear price (first-generation Graviton and 7th-gen Intel; metal-48xl has none). */
  readonly metalPremium?: number;
  readonly networkGbpsMax: number;
}

const X86_5 = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', 'metal'];
const X86_6I = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge', 'metal'];
const X86_7I = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge', 'metal-24xl', 'metal-48xl'];
const AMD_6A = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge', '48xlarge', 'metal'];
const AMD_7A = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge', '48xlarge', 'metal-48xl'];
const GRAVITON = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', 'metal'];
const C5 = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge', 'metal'];

export const LINEAR_FAMILIES: readonly LinearFamily[] = [
  { family: 'm5', category: 'm', generation: 5, arch: 'amd64', memoryGiBPerVcpu: 4, usdPerVcpuHour: 0.048, sizes: X86_5, metalVcpu: 96, networkGbpsMax: 25 },
  { family: 'm6i', category: 'm', generation: 6, arch: 'amd64', memoryGiBPerVcpu: 4, usdPerVcpuHour: 0.048, sizes: X86_6I, metalVcpu: 128, networkGbpsMax: 50 },
  { family: 'm7i', metalPremium: 1.1, category: 'm', generation: 7, arch: 'amd64', memoryGiBPerVcpu: 4, usdPerVcpuHour: 0.0504, sizes: X86_7I, networkGbpsMax: 50 },
  { family: 'm6a', category: 'm', generation: 6, arch: 'amd64', memoryGiBPerVcpu: 4, usdPerVcpuHour: 0.0432, sizes: AMD_6A, metalVcpu: 192, networkGbpsMax: 50 },
  { family: 'm7a', category: 'm', generation: 7, arch: 'amd64', memoryGiBPerVcpu: 4, usdPerVcpuHour: 0.05796, sizes: AMD_7A, networkGbpsMax: 50 },
  { family: 'm6g', metalPremium: 1.06, category: 'm', generation: 6, arch: 'arm64', memoryGiBPerVcpu: 4, usdPerVcpuHour: 0.0385, sizes: GRAVITON, metalVcpu: 64, networkGbpsMax: 25 },
  { family: 'm7g', category: 'm', generation: 7, arch: 'arm64', memoryGiBPerVcpu: 4, usdPerVcpuHour: 0.0408, sizes: GRAVITON, metalVcpu: 64, networkGbpsMax: 30 },
  { family: 'c5', category: 'c', generation: 5, arch: 'amd64', memoryGiBPerVcpu: 2, usdPerVcpuHour: 0.0425, sizes: C5, metalVcpu: 96, networkGbpsMax: 25 },
  { family: 'c6i', category: 'c', generation: 6, arch: 'amd64', memoryGiBPerVcpu: 2, usdPerVcpuHour: 0.0425, sizes: X86_6I, metalVcpu: 128, networkGbpsMax: 50 },
  { family: 'c7i', metalPremium: 1.1, category: 'c', generation: 7, arch: 'amd64', memoryGiBPerVcpu: 2, usdPerVcpuHour: 0.044625, sizes: X86_7I, networkGbpsMax: 50 },
  { family: 'c6g', metalPremium: 1.06, category: 'c', generation: 6, arch: 'arm64', memoryGiBPerVcpu: 2, usdPerVcpuHour: 0.034, sizes: GRAVITON, metalVcpu: 64, networkGbpsMax: 25 },
  { family: 'c7g', category: 'c', generation: 7, arch: 'arm64', memoryGiBPerVcpu: 2, usdPerVcpuHour: 0.03625, sizes: GRAVITON, metalVcpu: 64, networkGbpsMax: 30 },
  { family: 'r5', category: 'r', generation: 5, arch: 'amd64', memoryGiBPerVcpu: 8, usdPerVcpuHour: 0.063, sizes: X86_5, metalVcpu: 96, networkGbpsMax: 25 },
  { family: 'r6i', category: 'r', generation: 6, arch: 'amd64', memoryGiBPerVcpu: 8, usdPerVcpuHour: 0.063, sizes: X86_6I, metalVcpu: 128, networkGbpsMax: 50 },
  { family: 'r7i', metalPremium: 1.1, category: 'r', generation: 7, arch: 'amd64', memoryGiBPerVcpu: 8, usdPerVcpuHour: 0.06615, sizes: X86_7I, networkGbpsMax: 50 },
  { family: 'r6g', metalPremium: 1.06, category: 'r', generation: 6, arch: 'arm64', memoryGiBPerVcpu: 8, usdPerVcpuHour: 0.0504, sizes: GRAVITON, metalVcpu: 64, networkGbpsMax: 25 },
  { family: 'r7g', category: 'r', generation: 7, arch: 'arm64', memoryGiBPerVcpu: 8, usdPerVcpuHour: 0.05355, sizes: GRAVITON, metalVcpu: 64, networkGbpsMax: 30 },
];

/** Types listed one by one: burstable, GPU and ML accelerators (their figures don't scale linearly). */
export interface ExplicitType {
  readonly name: string;
  readonly category: string;
  readonly generation: number;
  readonly arch: Arch;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly enis: number;
  readonly ipv4PerEni: number;
  readonly usd: number;
  readonly gpus?: number;
  readonly gpuManufacturer?: string;
  readonly gpuName?: string;
  readonly gpuMemoryGiB?: number;
  /** Neuron accelerators (inf2, trn1): `aws.amazon.com/neuron` devices. */
  readonly neuronDevices?: number;
  readonly burstable?: boolean;
  readonly networkGbps: number;
}

const t = (name: string, generation: number, arch: Arch, vcpu: number, memoryGiB: number, enis: number, ipv4PerEni: number, usd: number): ExplicitType =>
  ({ name, category: 't', generation, arch, vcpu, memoryGiB, enis, ipv4PerEni, usd, burstable: true, networkGbps: 5 });

export const EXPLICIT_TYPES: readonly ExplicitType[] = [
  t('t3.nano', 3, 'amd64', 2, 0.5, 2, 2, 0.0052), t('t3.micro', 3, 'amd64', 2, 1, 2, 2, 0.0104), t('t3.small', 3, 'amd64', 2, 2, 3, 4, 0.0208),
  t('t3.medium', 3, 'amd64', 2, 4, 3, 6, 0.0416), t('t3.large', 3, 'amd64', 2, 8, 3, 12, 0.0832), t('t3.xlarge', 3, 'amd64', 4, 16, 4, 15, 0.1664),
  t('t3.2xlarge', 3, 'amd64', 8, 32, 4, 15, 0.3328),
  t('t3a.nano', 3, 'amd64', 2, 0.5, 2, 2, 0.0047), t('t3a.micro', 3, 'amd64', 2, 1, 2, 2, 0.0094), t('t3a.small', 3, 'amd64', 2, 2, 2, 4, 0.0188),
  t('t3a.medium', 3, 'amd64', 2, 4, 3, 6, 0.0376), t('t3a.large', 3, 'amd64', 2, 8, 3, 12, 0.0752), t('t3a.xlarge', 3, 'amd64', 4, 16, 4, 15, 0.1504),
  t('t3a.2xlarge', 3, 'amd64', 8, 32, 4, 15, 0.3008),
  t('t4g.nano', 4, 'arm64', 2, 0.5, 2, 2, 0.0042), t('t4g.micro', 4, 'arm64', 2, 1, 2, 2, 0.0084), t('t4g.small', 4, 'arm64', 2, 2, 3, 4, 0.0168),
  t('t4g.medium', 4, 'arm64', 2, 4, 3, 6, 0.0336), t('t4g.large', 4, 'arm64', 2, 8, 3, 12, 0.0672), t('t4g.xlarge', 4, 'arm64', 4, 16, 4, 15, 0.1344),
  t('t4g.2xlarge', 4, 'arm64', 8, 32, 4, 15, 0.2688),
  ...gpuFamily('g5', 5, 'A10G', 24, [
    ['xlarge', 4, 16, 1, 4, 15, 1.006, 10], ['2xlarge', 8, 32, 1, 4, 15, 1.212, 10], ['4xlarge', 16, 64, 1, 8, 30, 1.624, 25],
    ['8xlarge', 32, 128, 1, 8, 30, 2.448, 25], ['12xlarge', 48, 192, 4, 15, 50, 5.672, 40], ['16xlarge', 64, 256, 1, 8, 30, 4.096, 25],
    ['24xlarge', 96, 384, 4, 15, 50, 8.144, 50], ['48xlarge', 192, 768, 8, 7, 50, 16.288, 100],
  ]),
  ...gpuFamily('g6', 6, 'L4', 24, [
    ['xlarge', 4, 16, 1, 4, 15, 0.8048, 10], ['2xlarge', 8, 32, 1, 4, 15, 0.9776, 10], ['4xlarge', 16, 64, 1, 8, 30, 1.3232, 25],
    ['8xlarge', 32, 128, 1, 8, 30, 2.0144, 25], ['12xlarge', 48, 192, 4, 8, 30, 4.6016, 40], ['16xlarge', 64, 256, 1, 15, 50, 3.3968, 25],
    ['24xlarge', 96, 384, 4, 15, 50, 6.6752, 50], ['48xlarge', 192, 768, 8, 15, 50, 13.3504, 100],
  ]),
  // p4d and p5 have several network cards; the VPC CNI only uses the default one (card 0).
  { name: 'p4d.24xlarge', category: 'p', generation: 4, arch: 'amd64', vcpu: 96, memoryGiB: 1152, enis: 15, ipv4PerEni: 50, usd: 21.9576, gpus: 8, gpuManufacturer: 'NVIDIA', gpuName: 'A100', gpuMemoryGiB: 40, networkGbps: 400 },
  { name: 'p5.48xlarge', category: 'p', generation: 5, arch: 'amd64', vcpu: 192, memoryGiB: 2048, enis: 2, ipv4PerEni: 50, usd: 55.04, gpus: 8, gpuManufacturer: 'NVIDIA', gpuName: 'H100', gpuMemoryGiB: 80, networkGbps: 3200 },
  { name: 'inf2.xlarge', category: 'inf', generation: 2, arch: 'amd64', vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15, usd: 0.7582, neuronDevices: 1, networkGbps: 15 },
  { name: 'inf2.8xlarge', category: 'inf', generation: 2, arch: 'amd64', vcpu: 32, memoryGiB: 128, enis: 8, ipv4PerEni: 30, usd: 1.9679, neuronDevices: 1, networkGbps: 25 },
  { name: 'inf2.24xlarge', category: 'inf', generation: 2, arch: 'amd64', vcpu: 96, memoryGiB: 384, enis: 15, ipv4PerEni: 50, usd: 6.4906, neuronDevices: 6, networkGbps: 50 },
  { name: 'inf2.48xlarge', category: 'inf', generation: 2, arch: 'amd64', vcpu: 192, memoryGiB: 768, enis: 15, ipv4PerEni: 50, usd: 12.9813, neuronDevices: 12, networkGbps: 100 },
  { name: 'trn1.2xlarge', category: 'trn', generation: 1, arch: 'amd64', vcpu: 8, memoryGiB: 32, enis: 4, ipv4PerEni: 15, usd: 1.3438, neuronDevices: 1, networkGbps: 12.5 },
  { name: 'trn1.32xlarge', category: 'trn', generation: 1, arch: 'amd64', vcpu: 128, memoryGiB: 512, enis: 5, ipv4PerEni: 50, usd: 21.5, neuronDevices: 16, networkGbps: 800 },
];

function gpuFamily(family: string, generation: number, gpuName: string, gpuMemoryGiB: number,
  rows: [size: string, vcpu: number, memoryGiB: number, gpus: number, enis: number, ipv4: number, usd: number, gbps: number][]): ExplicitType[] {
  return rows.map(([size, vcpu, memoryGiB, gpus, enis, ipv4PerEni, usd, networkGbps]) => ({
    name: `${family}.${size}`, category: 'g', generation, arch: 'amd64', vcpu, memoryGiB, enis, ipv4PerEni, usd, gpus, gpuManufacturer: 'NVIDIA', gpuName, gpuMemoryGiB, networkGbps,
  }));
}

/**
 * Regional price relative to us-east-1, by instance category. us-west-2 prices equal us-east-1 for these
 * families; eu-west-1 (Ireland) is higher by a per-category factor measured on the On-Demand pages
 * (e.g. m5.large 0.107 vs 0.096, c5.large 0.096 vs 0.085, r5.large 0.141 vs 0.126, t3.medium 0.0456 vs 0.0416).
 */
export const REGION_PRICE_FACTOR: Record<string, Record<string, number>> = {
  'us-east-1': {},
  'us-west-2': {},
  'eu-west-1': { m: 1.1146, c: 1.1294, r: 1.119, t: 1.0962, g: 1.117, p: 1.1, inf: 1.1, trn: 1.1 },
};

// Generates simulation/catalog/data/instance-types.json, the project's own instance-type catalog, from the
// public reference files in ../shared/reference (see their README for provenance). Usage:
//   npm run catalog:generate [-- --reference DIR] [-- --out FILE] [-- --check]
// The output depends only on the input files (no clock, sorted keys), so CI can regenerate it and compare.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Where each reference file comes from (copied from ../shared/reference/README.md). */
const SOURCES = [
  {
    file: 'ec2-instance-types.json', fields: 'vcpu, memoryMiB, gpus, arch',
    upstream: 'kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go', commit: '55c37cd5eb550756c5ccc5a89e9068d77797e575', date: '2026-01-22',
  },
  {
    file: 'vpc-limits.json', fields: 'network cards and ENIs per card, ipv4PerInterface, hypervisor, isBareMetal, isTrunkingCompatible, branchInterface',
    upstream: 'aws/karpenter-provider-aws pkg/providers/instancetype/zz_generated.vpclimits.go', commit: '1d927085dd81a9df9301e613f371dac5b4d16bfe', date: '2026-08-06',
  },
  {
    file: 'ondemand-prices-us-east-1.json', fields: 'us-east-1 On-Demand Linux USD per hour',
    upstream: 'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go', commit: '1d927085dd81a9df9301e613f371dac5b4d16bfe', date: '2026-07-20',
  },
  {
    file: 'eni-max-pods.txt', fields: 'cross-check only: every generated type must give the same ENI max pods',
    upstream: 'awslabs/amazon-eks-ami templates/shared/runtime/eni-max-pods.txt', commit: '2bed73dc4fafb502298fa67534dc53a030e56b21', date: '2026-02-27',
  },
  {
    file: 'eks-ami-instance-info.jsonl', fields: 'cross-check only: nodeadm defaultMaxENIs and ipv4AddressesPerInterface',
    upstream: 'awslabs/amazon-eks-ami nodeadm/internal/kubelet/instance-info.jsonl', commit: '81fec2e895854f599974fe4d3d72f61c0a9aaffa', date: '2026-07-01',
  },
] as const;

/**
 * Accelerators the reference files do not name: GPU manufacturer and model per family, and AWS Neuron devices per
 * type (`aws.amazon.com/neuron`), from the EC2 "Accelerated computing instance specifications" page
 * (docs.aws.amazon.com/ec2/latest/instancetypes/ac.html). Karpenter reads the same facts from DescribeInstanceTypes
 * GpuInfo / NeuronInfo for its instance-gpu-name / instance-gpu-manufacturer labels and the neuron resource.
 */
const GPU_MODELS: Record<string, readonly [manufacturer: string, name: string]> = {
  dl1: ['Habana', 'Gaudi HL-205'], g4ad: ['AMD', 'Radeon Pro V520'], g4dn: ['NVIDIA', 'T4'], g5: ['NVIDIA', 'A10G'], g5g: ['NVIDIA', 'T4g'],
  g6: ['NVIDIA', 'L4'], g6e: ['NVIDIA', 'L40S'], gr6: ['NVIDIA', 'L4'], g7e: ['NVIDIA', 'RTX PRO 6000'], p3: ['NVIDIA', 'V100'], p3dn: ['NVIDIA', 'V100'],
  p4d: ['NVIDIA', 'A100'], p4de: ['NVIDIA', 'A100'], p5: ['NVIDIA', 'H100'], p5en: ['NVIDIA', 'H200'], 'p6-b200': ['NVIDIA', 'B200'],
};
const NEURON_DEVICES: Record<string, number> = {
  'inf1.xlarge': 1, 'inf1.2xlarge': 1, 'inf1.6xlarge': 4, 'inf1.24xlarge': 16,
  'inf2.xlarge': 1, 'inf2.8xlarge': 1, 'inf2.24xlarge': 6, 'inf2.48xlarge': 12,
  'trn1.2xlarge': 1, 'trn1.32xlarge': 16, 'trn1n.32xlarge': 16,
};

/** The columns of one row of `types`, in order. */
export const COLUMNS = [
  'name', 'vcpu', 'memoryMiB', 'gpus', 'arch', 'hypervisor', 'bareMetal', 'defaultNetworkCardIndex', 'enisPerNetworkCard', 'ipv4PerEni', 'trunking', 'branchEnis', 'usEast1UsdPerHour',
] as const;

export type CatalogRow = [
  name: string, vcpu: number, memoryMiB: number, gpus: number, arch: 'amd64' | 'arm64', hypervisor: '' | 'nitro' | 'xen', bareMetal: 0 | 1,
  defaultNetworkCardIndex: number, enisPerNetworkCard: number[], ipv4PerEni: number, trunking: 0 | 1, branchEnis: number, usEast1UsdPerHour: number,
];

export interface CatalogData {
  readonly description: string;
  readonly generator: string;
  readonly sources: readonly { file: string; fields: string; upstream: string; commit: string; date: string; sha256: string; rows: number }[];
  readonly columns: readonly string[];
  readonly types: CatalogRow[];
  readonly gpuModels: Record<string, readonly [string, string]>;
  readonly neuronDevices: Record<string, number>;
  /** Types in the EC2 table that EKS cannot run as nodes, with the reason. */
  readonly excluded: Record<string, string>;
}

interface VpcLimits {
  ipv4PerInterface: number;
  isTrunkingCompatible: boolean;
  branchInterface: number;
  defaultNetworkCardIndex: number;
  hypervisor: '' | 'nitro' | 'xen';
  isBareMetal: boolean;
  networkCards: { maximumNetworkInterfaces: number; networkCardIndex: number }[];
}

function readText(dir: string, file: string): string {
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) throw new Error(`catalog generator: missing reference file ${full}`);
  return fs.readFileSync(full, 'utf8');
}

/** Builds the catalog data from the reference directory; throws if the sources disagree with each other. */
export function generateCatalog(referenceDir: string): CatalogData {
  const texts = Object.fromEntries(SOURCES.map((s) => [s.file, readText(referenceDir, s.file)])) as Record<(typeof SOURCES)[number]['file'], string>;
  const ec2 = JSON.parse(texts['ec2-instance-types.json']) as Record<string, { vcpu: number; memoryMiB: number; gpus: number; arch: 'amd64' | 'arm64' }>;
  const vpc = JSON.parse(texts['vpc-limits.json']) as Record<string, VpcLimits>;
  const prices = JSON.parse(texts['ondemand-prices-us-east-1.json']) as Record<string, number>;
  const eniMaxPods = new Map(texts['eni-max-pods.txt'].split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/)).map(([type, pods]) => [type, Number(pods)] as const));
  const nodeadm = new Map(texts['eks-ami-instance-info.jsonl'].split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { instanceType: string; defaultMaxENIs: number; ipv4AddressesPerInterface: number }).map((i) => [i.instanceType, i] as const));

  const rows: CatalogRow[] = [];
  const excluded: Record<string, string> = {};
  const problems: string[] = [];
  for (const name of Object.keys(ec2).sort()) {
    const spec = ec2[name];
    const limits = vpc[name];
    const price = prices[name];
    // mac*.metal run only on EC2 Dedicated Hosts and have no shared-tenancy price: Karpenter has no offering
    // for a type without a price (pkg/providers/pricing), and EKS does not support macOS nodes.
    if (price === undefined) {
      excluded[name] = 'no shared-tenancy On-Demand price in the static list (Karpenter offers no type without a price)';
      continue;
    }
    if (!limits) {
      problems.push(`${name}: no VPC limits`);
      continue;
    }
    const cards = [...limits.networkCards].sort((a, b) => a.networkCardIndex - b.networkCardIndex).map((c) => c.maximumNetworkInterfaces);
    const defaultEnis = cards[limits.defaultNetworkCardIndex];
    const pods = defaultEnis * (limits.ipv4PerInterface - 1) + 2;
    if (eniMaxPods.get(name) !== pods) problems.push(`${name}: ENI max pods ${pods} but eni-max-pods.txt has ${eniMaxPods.get(name)}`);
    const info = nodeadm.get(name);
    if (info && (info.defaultMaxENIs !== defaultEnis || info.ipv4AddressesPerInterface !== limits.ipv4PerInterface)) {
      problems.push(`${name}: nodeadm instance-info has ${info.defaultMaxENIs} ENIs × ${info.ipv4AddressesPerInterface}, VPC limits ${defaultEnis} × ${limits.ipv4PerInterface}`);
    }
    rows.push([
      name, spec.vcpu, spec.memoryMiB, spec.gpus, spec.arch, limits.hypervisor, limits.isBareMetal ? 1 : 0, limits.defaultNetworkCardIndex, cards,
      limits.ipv4PerInterface, limits.isTrunkingCompatible ? 1 : 0, limits.branchInterface, price,
    ]);
  }
  const families = new Set(rows.map((r) => r[0].split('.')[0]));
  for (const family of Object.keys(GPU_MODELS)) if (!families.has(family)) problems.push(`GPU model for unknown family ${family}`);
  for (const type of Object.keys(NEURON_DEVICES)) if (!rows.some((r) => r[0] === type)) problems.push(`Neuron devices for unknown type ${type}`);
  if (problems.length > 0) throw new Error(`catalog generator: the reference files disagree:\n  ${problems.join('\n  ')}`);

  return {
    description: 'EC2 instance types EKS nodes can use: vCPU, memory, GPUs and architecture from the Cluster Autoscaler EC2 table, '
      + 'network cards, ENIs and IPv4 per ENI from Karpenter\'s VPC limits, us-east-1 On-Demand Linux prices from Karpenter\'s static price list',
    generator: 'scripts/generate-catalog.ts (npm run catalog:generate)',
    sources: SOURCES.map((s) => ({
      ...s,
      sha256: crypto.createHash('sha256').update(texts[s.file]).digest('hex'),
      rows: s.file === 'eni-max-pods.txt' ? eniMaxPods.size : s.file === 'eks-ami-instance-info.jsonl' ? nodeadm.size
        : Object.keys(JSON.parse(texts[s.file]) as object).length,
    })),
    columns: COLUMNS,
    types: rows,
    gpuModels: GPU_MODELS,
    neuronDevices: NEURON_DEVICES,
    excluded,
  };
}

/** The file text: one type per line, so a diff shows which types changed. */
export function formatCatalog(data: CatalogData): string {
  const { types, ...header } = data;
  const head = JSON.stringify(header, null, 1).replace(/\n}$/, '');
  return `${head},\n "types": [\n${types.map((row) => `  ${JSON.stringify(row)}`).join(',\n')}\n ]\n}\n`;
}

export const DEFAULT_OUT = path.resolve(__dirname, '../simulation/catalog/data/instance-types.json');
export const DEFAULT_REFERENCE = path.resolve(__dirname, '../../shared/reference');

function main(argv: string[]): void {
  const option = (flag: string) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  const reference = option('--reference') ?? DEFAULT_REFERENCE;
  const out = option('--out') ?? DEFAULT_OUT;
  const text = formatCatalog(generateCatalog(reference));
  if (argv.includes('--check')) {
    const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${out} is out of date: run npm run catalog:generate\n`);
      process.exitCode = 1;
    }
    return;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  process.stderr.write(`wrote ${out}\n`);
}

if (require.main === module) main(process.argv.slice(2));

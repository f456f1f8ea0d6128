import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatCatalog, generateCatalog } from '../../../scripts/generate-catalog';
import { CATALOG_SOURCE, eniMaxPods, hasInstanceType, instanceType, instanceTypes, maxPods } from '../../../simulation/catalog';

// The committed catalog against the public reference data it is generated from (../shared/reference beside the
// repository, as CI lays it out). Without that folder, the same tests check the committed file's own record of
// its sources, so nothing is skipped.
// EKSPLAN_REFERENCE_DIR points elsewhere (a directory that does not exist exercises the no-reference branch).
const referenceDir = process.env.EKSPLAN_REFERENCE_DIR ?? path.resolve(__dirname, '../../../../shared/reference');
const dataFile = path.resolve(__dirname, '../../../simulation/catalog/data/instance-types.json');
const hasReference = fs.existsSync(path.join(referenceDir, 'ec2-instance-types.json'));

interface Reference {
  ec2: Record<string, { vcpu: number; memoryMiB: number; gpus: number; arch: string }>;
  vpc: Record<string, { ipv4PerInterface: number; hypervisor: string; defaultNetworkCardIndex: number; networkCards: { networkCardIndex: number; maximumNetworkInterfaces: number }[] }>;
  prices: Record<string, number>;
  eniMaxPods: Map<string, number>;
}

function loadReference(): Reference {
  const read = (file: string) => fs.readFileSync(path.join(referenceDir, file), 'utf8');
  return {
    ec2: JSON.parse(read('ec2-instance-types.json')),
    vpc: JSON.parse(read('vpc-limits.json')),
    prices: JSON.parse(read('ondemand-prices-us-east-1.json')),
    eniMaxPods: new Map(read('eni-max-pods.txt').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)).map(([t, n]) => [t, Number(n)])),
  };
}

const committed = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as { sources: { file: string; sha256: string; rows: number; commit: string; upstream: string }[]; types: [string, number, number, ...unknown[]][]; excluded: Record<string, string> };

describe('the generated catalog file', () => {
  if (hasReference) {
    it('is what scripts/generate-catalog.ts makes from ../shared/reference today (run npm run catalog:generate)', () => {
      expect(fs.readFileSync(dataFile, 'utf8')).toBe(formatCatalog(generateCatalog(referenceDir)));
    });
  } else {
    it('records every reference file it was generated from, with its upstream commit, row count and checksum', () => {
      expect(committed.sources.map((s) => s.file)).toEqual(['ec2-instance-types.json', 'vpc-limits.json', 'ondemand-prices-us-east-1.json', 'eni-max-pods.txt', 'eks-ami-instance-info.jsonl']);
      for (const source of committed.sources) {
        expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(source.rows).toBeGreaterThan(1000);
      }
      expect(committed.types.length + Object.keys(committed.excluded).length).toBe(committed.sources[0].rows);
    });
  }

  if (hasReference) {
    it('fails loudly when the reference files disagree (a generator that checks its inputs)', () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-ref-'));
      try {
        for (const file of fs.readdirSync(referenceDir)) fs.copyFileSync(path.join(referenceDir, file), path.join(tmp, file));
        fs.chmodSync(path.join(tmp, 'eni-max-pods.txt'), 0o644);
        const pods = fs.readFileSync(path.join(tmp, 'eni-max-pods.txt'), 'utf8').replace(/^m5\.large \d+$/m, 'm5.large 30');
        fs.writeFileSync(path.join(tmp, 'eni-max-pods.txt'), pods);
        expect(() => generateCatalog(tmp)).toThrow('m5.large: ENI max pods 29 but eni-max-pods.txt has 30');
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  } else {
    it('exposes the sources it records at run time (CATALOG_SOURCE)', () => {
      expect(CATALOG_SOURCE.sources.map((s) => `${s.upstream} @ ${s.commit}`)).toEqual(committed.sources.map((s) => `${s.upstream} @ ${s.commit}`));
      expect(CATALOG_SOURCE.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
  }
});

describe('the catalog covers every type a NodePool could launch', () => {
  const names = new Set(instanceTypes().map((t) => t.name));

  it('has ≥ 1,000 types: current and previous generations, -flex, d/n/dn variants, GPU, Inferentia and Trainium', () => {
    expect(names.size).toBeGreaterThanOrEqual(1000);
    for (const type of ['m1.small', 'c4.large', 'm5.large', 'c6a.xlarge', 'm8g.large', 'c7i-flex.large', 'm7i-flex.xlarge', 'c6gd.large', 'c6gn.large', 'm5dn.large', 'r6idn.large',
      'g5.xlarge', 'g6e.xlarge', 'p4d.24xlarge', 'p5.48xlarge', 'inf1.xlarge', 'inf2.xlarge', 'trn1.32xlarge', 'trn1n.32xlarge', 't3.micro', 'u7i-12tb.224xlarge', 'hpc7g.4xlarge']) {
      expect(names.has(type)).toBe(true);
    }
    expect(instanceType('c7i-flex.large').flex).toBe(true);
    expect(instanceType('inf2.48xlarge').neuronDevices).toBe(12);
    expect(instanceType('g6e.xlarge').gpuName).toBe('L40S');
    // mac*.metal: Dedicated Hosts only, no shared-tenancy price, not an EKS node.
    expect(hasInstanceType('mac2.metal')).toBe(false);
    expect(CATALOG_SOURCE.excluded['mac2.metal']).toMatch(/no shared-tenancy On-Demand price/);
  });

  // aws/karpenter-provider-aws types.go instanceTypeScheme: category = leading letters, generation = next digits.
  it.each([
    ['c6a.xlarge', 'c', 6, 'c6a', 'xlarge'], ['m8g.large', 'm', 8, 'm8g', 'large'], ['inf2.xlarge', 'inf', 2, 'inf2', 'xlarge'], ['trn1n.32xlarge', 'trn', 1, 'trn1n', '32xlarge'],
    ['u-6tb1.56xlarge', 'u', 1, 'u-6tb1', '56xlarge'], ['u7i-12tb.224xlarge', 'u', 7, 'u7i-12tb', '224xlarge'], ['c7i-flex.large', 'c', 7, 'c7i-flex', 'large'],
    ['p6-b200.48xlarge', 'p', 6, 'p6-b200', '48xlarge'], ['x2iezn.2xlarge', 'x', 2, 'x2iezn', '2xlarge'], ['hpc7g.4xlarge', 'hpc', 7, 'hpc7g', '4xlarge'],
  ])('%s: category %s, generation %i, family %s, size %s (Karpenter labels)', (name, category, generation, family, size) => {
    const t = instanceType(name);
    expect([t.category, t.generation, t.family, t.size]).toEqual([category, generation, family, size]);
  });

  it('tells an unknown type from a known family, and suggests sizes', () => {
    expect(() => instanceType('c6a.huge')).toThrow(/unknown instance type 'c6a.huge'; c6a sizes: c6a.large, c6a.xlarge/);
  });
});

// The whole-catalog checks of issue 17: every type against the reference data, in both CNI modes.
describe('every catalog type against the reference data', () => {
  const reference = hasReference ? loadReference() : undefined;
  const types = instanceTypes();

  it('vCPU, memory and the us-east-1 On-Demand price equal the reference (or the committed rows without it)', () => {
    const off: string[] = [];
    for (const t of types) {
      const expected = reference
        ? { vcpu: reference.ec2[t.name]?.vcpu, memoryMiB: reference.ec2[t.name]?.memoryMiB, usd: reference.prices[t.name], gpus: reference.ec2[t.name]?.gpus, arch: reference.ec2[t.name]?.arch }
        : (() => { const row = committed.types.find((r) => r[0] === t.name); return { vcpu: row?.[1], memoryMiB: row?.[2], usd: row?.[12], gpus: row?.[3], arch: row?.[4] }; })();
      const actual = { vcpu: t.vcpu, memoryMiB: t.memoryMiB, usd: t.onDemandUsdPerHour('us-east-1'), gpus: t.gpus, arch: t.arch };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) off.push(`${t.name}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
    }
    expect(off).toEqual([]);
    expect(types.length).toBeGreaterThanOrEqual(1000);
  });

  it('maxPods equals the AWS eni-max-pods table for every type (secondary IP mode)', () => {
    const off = types.filter((t) => {
      const expected = reference ? reference.eniMaxPods.get(t.name) : t.maxEnis * (t.ipv4PerEni - 1) + 2;
      return maxPods(t.name) !== expected || eniMaxPods(t.name) !== expected;
    }).map((t) => `${t.name}: ${maxPods(t.name)} vs ${reference?.eniMaxPods.get(t.name)}`);
    expect(off).toEqual([]);
  });

  it('maxPods with prefix delegation follows the EKS max-pods calculator for every type (Nitro only; 110 up to 30 vCPU, 250 above)', () => {
    const off: string[] = [];
    for (const t of types) {
      let expected: number;
      if (reference) {
        const limits = reference.vpc[t.name];
        const enis = limits.networkCards.find((c) => c.networkCardIndex === limits.defaultNetworkCardIndex)?.maximumNetworkInterfaces ?? 0;
        const raw = limits.hypervisor === 'nitro' ? enis * ((limits.ipv4PerInterface - 1) * 16) + 2 : (reference.eniMaxPods.get(t.name) ?? 0);
        expected = Math.min(raw, reference.ec2[t.name].vcpu > 30 ? 250 : 110);
      } else {
        expected = Math.min(t.hypervisor === 'nitro' ? t.maxEnis * (t.ipv4PerEni - 1) * 16 + 2 : t.eniMaxPods, t.vcpu > 30 ? 250 : 110);
      }
      if (maxPods(t.name, { prefixDelegation: true }) !== expected) off.push(`${t.name}: ${maxPods(t.name, { prefixDelegation: true })} vs ${expected}`);
    }
    expect(off).toEqual([]);
  });

  it('uses only the default network card on multi-card types (p5.48xlarge: 2 ENIs of 64)', () => {
    const p5 = instanceType('p5.48xlarge');
    expect(p5.enisPerNetworkCard.length).toBe(32);
    expect(p5.enisPerNetworkCard.reduce((a, b) => a + b, 0)).toBe(64);
    expect(eniMaxPods('p5.48xlarge')).toBe(2 * 49 + 2);
  });

  it('checksums of the recorded sources match the reference files when they are present', () => {
    for (const source of committed.sources) {
      const file = path.join(referenceDir, source.file);
      const expected = hasReference ? crypto.createHash('sha256').update(fs.readFileSync(file, 'utf8')).digest('hex') : source.sha256;
      expect(`${source.file} ${source.sha256}`).toBe(`${source.file} ${expected}`);
    }
  });
});

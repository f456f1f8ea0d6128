import * as fs from 'fs';
import * as path from 'path';
import {
  eksSupportStatus, instanceType, instanceTypes, karpenterVmOverheadMiB, kubeReservedMemoryMiB, kubeReservedMilliCpu, nodeCapacityAndAllocatable, REGIONS, spotUsdPerHour,
} from '../../../simulation/catalog';
import { karpenterInstanceType } from '../../../simulation/autoscaling/karpenter';

describe('EKS node overhead (awslabs/amazon-eks-ami nodeadm config.go)', () => {
  it.each([[2, 70], [4, 80], [8, 90], [96, 310], [1, 60]])('kube-reserved CPU for %i vCPU is %im', (vcpu, milli) => {
    expect(kubeReservedMilliCpu(vcpu)).toBe(milli);
  });

  it('reserves 11 MiB per pod + 255 MiB (m5.large: 574Mi)', () => {
    expect(kubeReservedMemoryMiB(29)).toBe(574);
  });

  it('matches Karpenter\'s own m5.xlarge figures: cpu 80m, memory 893Mi kube-reserved (karpenter-provider-aws types_test.go)', () => {
    expect(kubeReservedMilliCpu(instanceType('m5.xlarge').vcpu)).toBe(80);
    expect(kubeReservedMemoryMiB(58)).toBe(893);
    // VM overhead 7.5%: m5.large 8192 MiB → 615 MiB
    expect(karpenterVmOverheadMiB(instanceType('m5.large'))).toBe(615);
    const t = karpenterInstanceType(instanceType('m5.xlarge'));
    expect(t.allocatableMilliCpu).toBe(4000 - 80);
    expect(t.allocatableMemoryBytes / 2 ** 20).toBe(16384 - 1229 - 893 - 100);
    expect(t.pods).toBe(58);
  });

  it('computes allocatable = capacity − kube-reserved − eviction', () => {
    const { allocatable } = nodeCapacityAndAllocatable(instanceType('m6i.large'), { maxPods: 29 });
    expect(allocatable.milliCpu).toBe(1930);
    expect(allocatable.memoryBytes / 2 ** 20).toBe(8192 - 615 - 574 - 100);
  });
});

describe('the catalog', () => {
  it('covers the families the issue lists, on x86 and Graviton, with all sizes', () => {
    const families = new Set(instanceTypes().map((t) => t.family));
    for (const family of ['m5', 'm6i', 'm7i', 'm6a', 'm7a', 'm6g', 'm7g', 'c5', 'c6i', 'c7i', 'c6g', 'c7g', 'r5', 'r6i', 'r7i', 'r6g', 'r7g', 't3', 't3a', 't4g', 'g5', 'g6', 'p4d', 'p5', 'inf2', 'trn1']) {
      expect(families.has(family)).toBe(true);
    }
    expect(instanceTypes().length).toBeGreaterThan(200);
    expect(instanceType('m7g.large').arch).toBe('arm64');
    expect(instanceType('g5.12xlarge').gpus).toBe(4);
    expect(REGIONS).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-west-1']));
  });

  it('prices eu-west-1 above us-east-1 and spot below on-demand, deterministically', () => {
    const t = instanceType('m5.large');
    expect(t.onDemandUsdPerHour('eu-west-1')).toBeCloseTo(0.107, 3);
    expect(spotUsdPerHour('m5.large', 'us-east-1', 'us-east-1a')).toBe(spotUsdPerHour('m5.large', 'us-east-1', 'us-east-1a'));
    expect(spotUsdPerHour('m5.large', 'us-east-1', 'us-east-1a')).toBeLessThan(0.096 * 0.5);
    expect(() => t.onDemandUsdPerHour('mars-1')).toThrow("unknown region 'mars-1': eksplan accepts the commercial AWS regions us-east-1");
  });

  it.each([
    ['1.28', '2026-11-01', 'unsupported'], ['1.31', '2026-11-01', 'extended'], ['1.34', '2026-11-01', 'standard'], ['1.30', '2025-08-01', 'extended'],
  ])('EKS %s on %s is in %s support', (version, date, status) => {
    expect(eksSupportStatus(version, date)).toBe(status);
  });
});

// Our on-demand prices against the public price list copy, where present (Karpenter's static us-east-1 table).
const pricesFile = path.resolve(__dirname, '../../../../shared/reference/ondemand-prices-us-east-1.json');

describe('prices against the reference price list', () => {
  it('agrees for every catalog type the list has (within 1%)', () => {
    if (!fs.existsSync(pricesFile)) {
      console.warn(`skipped: ${pricesFile} is not present`);
      return;
    }
    const reference = JSON.parse(fs.readFileSync(pricesFile, 'utf8')) as Record<string, number>;
    const compared = instanceTypes().filter((t) => reference[t.name] !== undefined);
    const off = compared.filter((t) => Math.abs(t.onDemandUsdPerHour('us-east-1') - reference[t.name]) / reference[t.name] > 0.01)
      .map((t) => `${t.name}: ours ${t.onDemandUsdPerHour('us-east-1')}, list ${reference[t.name]}`);
    expect(off).toEqual([]);
    expect(compared.length).toBeGreaterThan(150);
  });
});

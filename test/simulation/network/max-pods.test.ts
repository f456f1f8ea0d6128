import * as fs from 'fs';
import * as path from 'path';
import { instanceTypes } from '../../../simulation/catalog';
import { eniMaxPods, maxPods } from '../../../simulation/network';

// AWS's published values: awslabs/amazon-eks-ami eni-max-pods.txt (secondary-IP mode) and
// max-pods-calculator.sh --cni-prefix-delegation-enabled (prefix mode, recommended value).
describe('max pods, secondary-IP mode (eni-max-pods.txt)', () => {
  it.each([
    ['t3.nano', 4], ['t3.micro', 4], ['t3.small', 11], ['t3.medium', 17], ['t3.large', 35], ['t3.xlarge', 58], ['t3.2xlarge', 58],
    ['t4g.medium', 17], ['t3a.small', 8], ['m5.large', 29], ['m5.xlarge', 58], ['m5.2xlarge', 58], ['m5.4xlarge', 234], ['m5.8xlarge', 234],
    ['m5.12xlarge', 234], ['m5.16xlarge', 737], ['m5.24xlarge', 737], ['m6i.32xlarge', 737], ['c5.large', 29], ['c5.9xlarge', 234],
    ['c5.18xlarge', 737], ['m6g.medium', 8], ['m7g.large', 29], ['c7g.4xlarge', 234], ['r6i.large', 29], ['r7i.48xlarge', 737],
    ['g5.xlarge', 58], ['g5.48xlarge', 345], ['p4d.24xlarge', 737], ['p5.48xlarge', 100], ['inf2.xlarge', 58], ['trn1.32xlarge', 247],
  ])('%s: %i', (type, expected) => {
    expect(maxPods(type)).toBe(expected);
    expect(eniMaxPods(type)).toBe(expected);
  });
});

describe('max pods, prefix delegation (max-pods-calculator.sh, recommended)', () => {
  it.each([
    // m5.large: 3 × (9 × 16) + 2 = 434, capped at 110 (2 vCPU ≤ 30)
    ['m5.large', 110], ['t3.small', 110], ['m6i.8xlarge', 250], ['c5.9xlarge', 250], ['m5.24xlarge', 250], ['t3.micro', 2 * 1 * 16 + 2],
    // bare metal has no hypervisor: no prefixes (calculator checks Hypervisor == nitro)
    ['m5.metal', 250],
  ])('%s: %i', (type, expected) => {
    expect(maxPods(type, { prefixDelegation: true })).toBe(expected);
  });

  it('uses the raw prefix limit when uncapped', () => {
    expect(maxPods('m5.large', { prefixDelegation: true, cap: false })).toBe(434);
    expect(maxPods('t3.micro', { prefixDelegation: true, cap: false })).toBe(2 * (1 * 16) + 2);
  });

  it('uses one ENI fewer with custom networking', () => {
    expect(maxPods('m5.large', { customNetworking: true })).toBe(2 * 9 + 2);
    expect(maxPods('m5.large', { customNetworking: true, prefixDelegation: true, cap: false })).toBe(2 * 9 * 16 + 2);
  });
});

// Every type in our catalog against the published table, where the reference copy is present.
const referenceDir = path.resolve(__dirname, '../../../../shared/reference');
const eniMaxPodsFile = path.join(referenceDir, 'eni-max-pods.txt');

describe('the catalog against eni-max-pods.txt', () => {
  it('matches the published max pods for every catalog type the table lists', () => {
    if (!fs.existsSync(eniMaxPodsFile)) {
      console.warn(`skipped: ${eniMaxPodsFile} is not present`);
      return;
    }
    const published = new Map<string, number>();
    for (const line of fs.readFileSync(eniMaxPodsFile, 'utf8').split('\n')) {
      const match = /^(\S+)\s+(\d+)\s*$/.exec(line);
      if (match && !line.startsWith('#')) published.set(match[1], Number(match[2]));
    }
    const compared = instanceTypes().filter((t) => published.has(t.name));
    const mismatches = compared.filter((t) => eniMaxPods(t.name) !== published.get(t.name)).map((t) => `${t.name}: ours ${eniMaxPods(t.name)}, AWS ${published.get(t.name)}`);
    expect(mismatches).toEqual([]);
    expect(compared.length).toBeGreaterThan(150);
  });
});

import { PINNED_ADDON_VERSIONS } from '../../../simulation/catalog/addon-versions';
import { onDemandPrice } from '../../../simulation/catalog';
import { REGION_TABLE } from '../../../simulation/catalog/regions';

// Issue 17: every regional price factor records its source and date, or says it is unverified; the estimate
// that a report prints for a region repeats that.

describe('regional price factor evidence', () => {
  it('us-east-1 is the verified reference: factor 1 from the static list', () => {
    const row = REGION_TABLE.find((r) => r.region === 'us-east-1');
    expect(row).toMatchObject({ priceFactor: 1, verified: true });
    expect(row?.evidence).toMatch(/zz_generated\.pricing_aws\.go .*2026-07-20.*m5\.large \$0\.096/);
  });

  it.each(REGION_TABLE.filter((r) => r.region !== 'us-east-1').map((r) => [r.region, r] as const))('%s says it is unverified, with the search and its date', (_region, row) => {
    expect(row.verified).toBe(false);
    expect(row.basis).toMatch(/unverified$/);
    expect(row.evidence).toMatch(/^unverified: .*searched 2026-12-01/);
  });

  it('an estimated price names the unverified factor in its source', () => {
    expect(onDemandPrice('m5.large', 'eu-west-1').source).toMatch(/the eu-west-1 factor \(m5\.large \$0\.107 vs \$0\.096, unverified;/);
  });
});

describe('add-on pins for 1.32-1.34 (EKS user guide add-on tables)', () => {
  // managing-kube-proxy.md / managing-coredns.md, "latest version of the Amazon EKS add-on type".
  it.each([
    ['1.32', 'kube-proxy', 'v1.32.13-eksbuild.5'], ['1.33', 'kube-proxy', 'v1.33.10-eksbuild.2'], ['1.34', 'kube-proxy', 'v1.34.6-eksbuild.2'],
    ['1.32', 'coredns', 'v1.11.4-eksbuild.33'], ['1.33', 'coredns', 'v1.13.2-eksbuild.4'], ['1.34', 'coredns', 'v1.13.2-eksbuild.4'],
  ])('Kubernetes %s pins %s %s', (version, addon, expected) => {
    expect(PINNED_ADDON_VERSIONS[version][addon]).toBe(expected);
  });

  it.each(['1.32', '1.33', '1.34'])('kube-proxy for %s follows the cluster minor version', (version) => {
    expect(PINNED_ADDON_VERSIONS[version]['kube-proxy']).toMatch(new RegExp(`^v${version.replace('.', '\\.')}\\.`));
  });
});

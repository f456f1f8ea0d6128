import {
  clearRefreshedPrices, instanceType, instanceTypes, onDemandPrice, REGION_TABLE, regionInfo, regionPrices, REGIONS, registerRefreshedPrices, spotPrice, spotUsdPerHour,
} from '../../../simulation/catalog';
import { priceBook } from '../../../simulation/cost';

afterEach(() => clearRefreshedPrices());

describe('regions', () => {
  it('accepts every commercial region (aws partition of aws-cdk-lib region-info), one table with a factor and its basis', () => {
    expect(REGIONS.length).toBe(35);
    expect(REGIONS).toEqual(expect.arrayContaining(['us-east-1', 'us-east-2', 'eu-central-2', 'ap-southeast-7', 'mx-central-1', 'ca-west-1', 'il-central-1']));
    for (const region of REGIONS) {
      expect(instanceTypes(region).length).toBeGreaterThanOrEqual(1000);
      expect(regionPrices(region).natPerHour.usd).toBeGreaterThan(0);
      expect(priceBook(region).region).toBe(region);
    }
    for (const row of REGION_TABLE) {
      expect(row.priceFactor).toBeGreaterThanOrEqual(1);
      expect(row.basis).toMatch(/m5\.large/);
      expect(row.location).not.toBe('');
    }
  });

  it.each([
    ['us-gov-west-1', /aws-us-gov \(GovCloud\) partition, which eksplan does not support yet/],
    ['us-gov-east-1', /aws-us-gov \(GovCloud\) partition/],
    ['cn-north-1', /aws-cn \(China\) partition, which eksplan does not support yet/],
    ['cn-northwest-1', /aws-cn \(China\) partition/],
    ['mars-1', /unknown region 'mars-1': eksplan accepts the commercial AWS regions/],
  ])('fails when given %s', (region, message) => {
    expect(() => regionInfo(region)).toThrow(message);
    expect(() => instanceTypes(region)).toThrow(message);
    expect(() => priceBook(region)).toThrow(message);
  });
});

describe('EC2 prices and their sources', () => {
  it('prices us-east-1 from the static list and says so with its date', () => {
    expect(onDemandPrice('c6a.xlarge', 'us-east-1')).toEqual({ usd: 0.153, source: expect.stringMatching(/^catalog: static us-east-1 On-Demand list of 2026-07-20/) });
    expect(onDemandPrice('c5.xlarge').usd).toBe(0.17);
  });

  it('estimates other regions from us-east-1 with the region factor, and says it is an estimate', () => {
    const price = onDemandPrice('m5.large', 'eu-west-1');
    expect(price.usd).toBeCloseTo(0.107, 6);
    expect(price.source).toMatch(/^catalog estimate: us-east-1 static list of 2026-07-20 × 1\.114583, the eu-west-1 factor \(m5\.large \$0\.107 vs \$0\.096/);
    expect(onDemandPrice('m5.large', 'sa-east-1').usd).toBeCloseTo(0.153, 6);
    expect(onDemandPrice('c6a.large', 'us-east-2').usd).toBe(instanceType('c6a.large').usEast1UsdPerHour);
  });

  it('labels every Spot price as the model unless refreshed, deterministically per zone', () => {
    const a = spotPrice('m5.large', 'us-east-1', 'us-east-1a');
    expect(a).toEqual(spotPrice('m5.large', 'us-east-1', 'us-east-1a'));
    expect(a.source).toMatch(/^catalog Spot model, not market prices/);
    expect(a.usd).toBeLessThan(0.096 * 0.5);
  });

  it('uses refreshed prices once registered, with the refresh date in the source', () => {
    registerRefreshedPrices({ region: 'eu-west-1', date: '2026-11-30', onDemand: { 'm5.large': 0.111 }, spot: { 'm5.large': { 'eu-west-1a': 0.04, 'eu-west-1b': 0.05 } } });
    expect(onDemandPrice('m5.large', 'eu-west-1')).toEqual({ usd: 0.111, source: 'AWS Pricing API, eu-west-1, refreshed 2026-11-30' });
    expect(instanceType('m5.large').onDemandUsdPerHour('eu-west-1')).toBe(0.111);
    // A type the refresh did not price keeps the estimate.
    expect(onDemandPrice('c6a.large', 'eu-west-1').source).toMatch(/^catalog estimate/);
    expect(spotPrice('m5.large', 'eu-west-1', 'eu-west-1b')).toEqual({ usd: 0.05, source: 'EC2 DescribeSpotPriceHistory, eu-west-1b, refreshed 2026-11-30' });
    expect(spotUsdPerHour('m5.large', 'eu-west-1')).toBe(0.045);
    expect(() => registerRefreshedPrices({ region: 'cn-north-1', date: '2026-11-30', onDemand: {} })).toThrow(/aws-cn \(China\)/);
    expect(() => registerRefreshedPrices({ region: 'eu-west-1', date: 'yesterday', onDemand: {} })).toThrow(/date must be yyyy-mm-dd/);
  });

  it('gives the cost model a source per instance price line (static, estimated, Spot model)', () => {
    expect(priceBook('us-east-1').instancePriceSource('m5.large', 'on-demand')).toMatch(/^catalog: static us-east-1 On-Demand list of 2026-07-20/);
    expect(priceBook('us-east-2').instancePriceSource('c6a.large', 'on-demand')).toMatch(/^catalog estimate: .*us-east-2 factor/);
    expect(priceBook('us-east-1').instancePriceSource('m5.large', 'spot')).toMatch(/^catalog Spot model, not market prices/);
    expect(priceBook('ap-southeast-2').natPerHour.source).toMatch(/^catalog estimate: us-east-1 price \(aws\.amazon\.com\/vpc\/pricing/);
    expect(priceBook('eu-west-1').natPerHour.source).toMatch(/^aws\.amazon\.com\/vpc\/pricing/);
  });
});

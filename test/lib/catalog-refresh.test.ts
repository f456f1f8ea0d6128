import { DescribeInstanceTypesCommand, DescribeSpotPriceHistoryCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fromEc2, latestSpotPrices, loadRefreshedCatalogs, priceFromProduct, refreshCatalog } from '../../lib/aws/catalog-refresh';
import { clearRefreshedPrices, onDemandPrice, spotPrice } from '../../simulation/catalog';

const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);

const product = (instanceType: string, usd: string) => JSON.stringify({
  product: { attributes: { instanceType } },
  terms: { OnDemand: { t1: { priceDimensions: { d1: { pricePerUnit: { USD: usd } } } } } },
});

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-'));
const clients = () => ({ ec2Client: new EC2Client({ region: 'eu-west-1', maxAttempts: 1 }), pricingClient: new PricingClient({ region: 'us-east-1', maxAttempts: 1 }) });

function mockTwoPages(): void {
  ec2.on(DescribeInstanceTypesCommand, { NextToken: undefined, MaxResults: 100 }).resolves({
    InstanceTypes: [{ InstanceType: 'm5.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 8192 }, Hypervisor: 'nitro', ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
      NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10, DefaultNetworkCardIndex: 0, NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 3 }] } }],
    NextToken: 'page-2',
  });
  ec2.on(DescribeInstanceTypesCommand, { NextToken: 'page-2', MaxResults: 100 }).resolves({
    InstanceTypes: [{ InstanceType: 'p5.48xlarge', VCpuInfo: { DefaultVCpus: 192 }, MemoryInfo: { SizeInMiB: 2097152 }, Hypervisor: 'nitro', ProcessorInfo: { SupportedArchitectures: ['x86_64'] }, GpuInfo: { Gpus: [{ Count: 8 }] },
      NetworkInfo: { MaximumNetworkInterfaces: 64, Ipv4AddressesPerInterface: 50, DefaultNetworkCardIndex: 0, NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 2 }, { NetworkCardIndex: 1, MaximumNetworkInterfaces: 2 }] } }],
  });
  pricing.on(GetProductsCommand).resolvesOnce({ PriceList: [product('m5.large', '0.1070000000')], NextToken: 'p2' }).resolvesOnce({ PriceList: [product('p5.48xlarge', '60.5')] });
}

describe('eksplan catalog refresh', () => {
  beforeEach(() => { ec2.reset(); pricing.reset(); clearRefreshedPrices(); });
  afterAll(() => clearRefreshedPrices());

  it('reads every page of DescribeInstanceTypes, the Pricing API for the region\'s location, and the Spot price history', async () => {
    mockTwoPages();
    ec2.on(DescribeSpotPriceHistoryCommand).resolvesOnce({
      SpotPriceHistory: [
        { InstanceType: 'm5.large', AvailabilityZone: 'eu-west-1a', SpotPrice: '0.0400', Timestamp: new Date('2026-11-30T10:00:00Z') },
        { InstanceType: 'm5.large', AvailabilityZone: 'eu-west-1a', SpotPrice: '0.0450', Timestamp: new Date('2026-11-30T11:00:00Z') },
      ],
      NextToken: 'spot-2',
    }).resolvesOnce({ SpotPriceHistory: [{ InstanceType: 'm5.large', AvailabilityZone: 'eu-west-1b', SpotPrice: '0.0380', Timestamp: new Date('2026-11-30T11:00:00Z') }], NextToken: '' });
    const outFile = path.join(tmpDir(), 'eu-west-1.json');
    const summary = await refreshCatalog({ region: 'eu-west-1', outFile, date: '2026-11-30', now: new Date('2026-11-30T12:00:00Z'), ...clients() });
    expect(summary).toEqual({ file: outFile, instanceTypes: 2, priced: 2, spotPriced: 1 });
    // The Pricing API is filtered on the region's location name from the region table.
    expect(pricing.commandCalls(GetProductsCommand)[0].args[0].input.Filters).toContainEqual({ Type: 'TERM_MATCH', Field: 'location', Value: 'EU (Ireland)' });
    expect(ec2.commandCalls(DescribeSpotPriceHistoryCommand)[0].args[0].input.ProductDescriptions).toEqual(['Linux/UNIX']);
    const written = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    // p5.48xlarge: only the default network card's 2 ENIs count for the VPC CNI, not all 64.
    expect(written.instanceTypes).toEqual([
      { name: 'm5.large', vcpu: 2, memoryMiB: 8192, maxEnis: 3, ipv4PerEni: 10, arch: 'amd64', gpus: 0, hypervisor: 'nitro', bareMetal: false, onDemandUsdPerHour: 0.107 },
      { name: 'p5.48xlarge', vcpu: 192, memoryMiB: 2097152, maxEnis: 2, ipv4PerEni: 50, arch: 'amd64', gpus: 8, hypervisor: 'nitro', bareMetal: false, onDemandUsdPerHour: 60.5 },
    ]);
    // The newest price per zone wins.
    expect(written.spot).toEqual({ 'm5.large': { 'eu-west-1a': 0.045, 'eu-west-1b': 0.038 } });
    expect(written).toMatchObject({ region: 'eu-west-1', date: '2026-11-30' });

    // WHEN the CLI registers the refresh files THEN prices and their sources come from the refresh
    expect(loadRefreshedCatalogs(path.dirname(outFile))).toEqual(['eu-west-1']);
    expect(onDemandPrice('m5.large', 'eu-west-1')).toEqual({ usd: 0.107, source: 'AWS Pricing API, eu-west-1, refreshed 2026-11-30' });
    expect(spotPrice('m5.large', 'eu-west-1', 'eu-west-1b').source).toBe('EC2 DescribeSpotPriceHistory, eu-west-1b, refreshed 2026-11-30');
  });

  it('keeps the Spot model, and says why, when the Spot price history cannot be read', async () => {
    mockTwoPages();
    ec2.on(DescribeSpotPriceHistoryCommand).rejects(Object.assign(new Error('You are not authorized to perform: ec2:DescribeSpotPriceHistory'), { name: 'UnauthorizedOperation' }));
    const outFile = path.join(tmpDir(), 'eu-west-1.json');
    const summary = await refreshCatalog({ region: 'eu-west-1', outFile, date: '2026-11-30', ...clients() });
    expect(summary.spotPriced).toBe(0);
    const written = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    expect(written.spot).toBeUndefined();
    expect(written.spotError).toMatch(/not authorized/);
    loadRefreshedCatalogs(path.dirname(outFile));
    expect(spotPrice('m5.large', 'eu-west-1', 'eu-west-1a').source).toMatch(/^catalog Spot model, not market prices/);
  });

  it('gives up on a call that hangs, with a one-line timeout error', async () => {
    ec2.on(DescribeInstanceTypesCommand).callsFake(() => new Promise(() => undefined));
    await expect(refreshCatalog({ region: 'eu-west-1', outFile: path.join(tmpDir(), 'x.json'), callTimeoutMs: 50, ...clients() }))
      .rejects.toThrow('timed out after 0.05s while trying to describe the EC2 instance types of eu-west-1');
  });

  it.each([
    ['missing credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), /no AWS credentials/],
    ['access denied', Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }), /access denied while trying to describe the EC2 instance types of us-east-1/],
  ])('fails with one line on %s', async (_name, error, message) => {
    ec2.on(DescribeInstanceTypesCommand).rejects(error);
    await expect(refreshCatalog({ region: 'us-east-1', outFile: '/dev/null', ...clients() })).rejects.toThrow(message);
  });

  it.each([
    ['us-gov-west-1', /aws-us-gov \(GovCloud\) partition/],
    ['cn-north-1', /aws-cn \(China\) partition/],
  ])('fails before any AWS call for %s', async (region, message) => {
    await expect(refreshCatalog({ region, outFile: '/dev/null', ...clients() })).rejects.toThrow(message);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('ignores malformed price documents, incomplete instance types and bad Spot entries', () => {
    expect(priceFromProduct('not json')).toBeUndefined();
    expect(priceFromProduct(product('m5.large', 'free'))).toBeUndefined();
    expect(fromEc2({ InstanceType: 'm5.large' })).toBeUndefined();
    expect(latestSpotPrices([{ InstanceType: 'm5.large', AvailabilityZone: 'us-east-1a', SpotPrice: 'n/a' }, { InstanceType: 'm5.large', SpotPrice: '0.03' }])).toEqual({});
  });

  it('reads no refresh when the directory is absent, and names a malformed file', () => {
    expect(loadRefreshedCatalogs(path.join(tmpDir(), 'none'))).toEqual([]);
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'eu-west-1.json'), '{"region": "eu-west-1"}');
    expect(() => loadRefreshedCatalogs(dir)).toThrow(/eu-west-1\.json: not a refreshed catalog/);
  });
});

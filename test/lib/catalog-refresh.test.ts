import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fromEc2, priceFromProduct, refreshCatalog } from '../../lib/aws/catalog-refresh';

const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);

const product = (instanceType: string, usd: string) => JSON.stringify({
  product: { attributes: { instanceType } },
  terms: { OnDemand: { t1: { priceDimensions: { d1: { pricePerUnit: { USD: usd } } } } } },
});

describe('eksplan catalog refresh', () => {
  beforeEach(() => { ec2.reset(); pricing.reset(); });

  it('reads every page of DescribeInstanceTypes and the Pricing API', async () => {
    ec2.on(DescribeInstanceTypesCommand, { NextToken: undefined, MaxResults: 100 }).resolves({
      InstanceTypes: [{ InstanceType: 'm5.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 8192 }, Hypervisor: 'nitro', ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
        NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10, DefaultNetworkCardIndex: 0, NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 3 }] } }],
      NextToken: 'page-2',
    });
    ec2.on(DescribeInstanceTypesCommand, { NextToken: 'page-2', MaxResults: 100 }).resolves({
      InstanceTypes: [{ InstanceType: 'p5.48xlarge', VCpuInfo: { DefaultVCpus: 192 }, MemoryInfo: { SizeInMiB: 2097152 }, Hypervisor: 'nitro', ProcessorInfo: { SupportedArchitectures: ['x86_64'] }, GpuInfo: { Gpus: [{ Count: 8 }] },
        NetworkInfo: { MaximumNetworkInterfaces: 64, Ipv4AddressesPerInterface: 50, DefaultNetworkCardIndex: 0, NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 2 }, { NetworkCardIndex: 1, MaximumNetworkInterfaces: 2 }] } }],
    });
    pricing.on(GetProductsCommand).resolvesOnce({ PriceList: [product('m5.large', '0.0960000000')], NextToken: 'p2' }).resolvesOnce({ PriceList: [product('p5.48xlarge', '55.04')] });
    const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-')), 'catalog.json');
    const summary = await refreshCatalog({ region: 'us-east-1', outFile, ec2Client: new EC2Client({ region: 'us-east-1' }), pricingClient: new PricingClient({ region: 'us-east-1' }) });
    expect(summary).toEqual({ file: outFile, instanceTypes: 2, priced: 2 });
    const written = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    // p5.48xlarge: only the default network card's 2 ENIs count for the VPC CNI, not all 64.
    expect(written.instanceTypes).toEqual([
      { name: 'm5.large', vcpu: 2, memoryMiB: 8192, maxEnis: 3, ipv4PerEni: 10, arch: 'amd64', gpus: 0, hypervisor: 'nitro', bareMetal: false, onDemandUsdPerHour: 0.096 },
      { name: 'p5.48xlarge', vcpu: 192, memoryMiB: 2097152, maxEnis: 2, ipv4PerEni: 50, arch: 'amd64', gpus: 8, hypervisor: 'nitro', bareMetal: false, onDemandUsdPerHour: 55.04 },
    ]);
  });

  it.each([
    ['missing credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), /no AWS credentials/],
    ['access denied', Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }), /access denied while trying to describe the EC2 instance types of us-east-1/],
  ])('fails with one line on %s', async (_name, error, message) => {
    ec2.on(DescribeInstanceTypesCommand).rejects(error);
    await expect(refreshCatalog({ region: 'us-east-1', outFile: '/dev/null', ec2Client: new EC2Client({ region: 'us-east-1', maxAttempts: 1 }), pricingClient: new PricingClient({ region: 'us-east-1' }) })).rejects.toThrow(message);
  });

  it('ignores malformed price documents and incomplete instance types', () => {
    expect(priceFromProduct('not json')).toBeUndefined();
    expect(priceFromProduct(product('m5.large', 'free'))).toBeUndefined();
    expect(fromEc2({ InstanceType: 'm5.large' })).toBeUndefined();
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHARTS, DEFAULT_KUBERNETES_VERSION, PINNED_ADDON_VERSIONS } from '../../constructs/cluster/versions';
import type { PlatformSpec } from '../../lib/platform-spec';
import { referencePlatform } from '../../lib/reference';
import { platformStackName, resolvePlatform } from '../../lib/spec-resolve';
import { runCli } from '../support/cli';

// `eksplan spec --resolved`: every default filled in, read from the constructs the stack builds.

const small = (cidr: string, extra: Partial<PlatformSpec['network']> = {}): PlatformSpec => ({
  name: 'small', region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  network: { cidr, natGateways: 1, ...extra },
  nodeGroups: [{ name: 'system', instanceTypes: ['m7g.large'], minSize: 2, desiredSize: 2, maxSize: 3, criticalAddonsOnly: true }],
});

describe('resolvePlatform', () => {
  const resolved = resolvePlatform(referencePlatform);

  it('names the stack as the eksplan app does', () => {
    expect(resolved.stack).toBe('ReferencePlatform');
    expect(platformStackName('payments-eu')).toBe('PaymentsEuPlatform');
  });

  it('fills in the subnet masks and CIDRs the VPC derives from expectedPods', () => {
    // 3000 pods over 3 AZs in secondary-IP mode need 2,105 addresses per AZ: the /19 default holds them.
    expect(resolved.network.privateSubnetMask).toBe(19);
    expect(resolved.network.privateSubnets).toEqual([
      { availabilityZone: 'us-east-1a', cidr: '10.0.32.0/19' }, { availabilityZone: 'us-east-1b', cidr: '10.0.64.0/19' }, { availabilityZone: 'us-east-1c', cidr: '10.0.96.0/19' },
    ]);
  });

  it('fills in max pods, AMI type and alias, add-on and chart versions from the pinned tables', () => {
    // m7i.large: 3 ENIs × 10 IPv4 → 3 × (10 − 1) + 2 = 29 (amazon-eks-ami eni-max-pods.txt).
    expect(resolved.nodeGroups[0]).toMatchObject({ name: 'system', maxPods: 29, amiType: 'AL2023_x86_64_STANDARD', diskSizeGiB: 50 });
    expect(resolved.cluster.version).toBe(DEFAULT_KUBERNETES_VERSION);
    expect(resolved.addons).toEqual(PINNED_ADDON_VERSIONS[DEFAULT_KUBERNETES_VERSION]);
    expect(resolved.charts.karpenter.version).toBe(CHARTS.karpenter.version);
    expect(resolved.charts['aws-load-balancer-controller'].version).toBe(CHARTS.awsLoadBalancerController.version);
    expect(resolved.ec2NodeClasses[0]).toMatchObject({ name: 'general', amiAlias: ['al2023@latest'] });
    expect(resolved.nodePools[0].spec).toMatchObject({ disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' } });
  });

  it.each([
    // [cidr, expectedPods, private mask]: the /19 default when there is room, smaller subnets when the VPC is small.
    ['10.1.0.0/18', undefined, 20],
    ['10.1.0.0/19', 1000, 21],
    ['10.1.0.0/20', 1000, 22],
  ] as const)('builds a %s VPC (expectedPods %s) with /%i private subnets', (cidr, expectedPods, mask) => {
    const platform = resolvePlatform(small(cidr, expectedPods === undefined ? {} : { expectedPods }));
    expect(platform.network.privateSubnetMask).toBe(mask);
    expect(platform.network.privateSubnets.every((s) => s.cidr.endsWith(`/${mask}`))).toBe(true);
  });

  it('fails when the pods cannot fit the VPC, naming expectedPods and cidr (the fields the user sets)', () => {
    expect(() => resolvePlatform(small('10.1.0.0/20'))).toThrow(
      "EksVpc 'SmallPlatform/Network': expectedPods is 3000 (the default): the pods need 2105 addresses per AZ, but cidr 10.1.0.0/20 leaves room for 3 private /22 subnets");
    // 1,455 pods: 485 per AZ → 2 × 485 + 49 + 5 = 1,024 addresses, exactly a /22.
    expect(() => resolvePlatform(small('10.1.0.0/20'))).toThrow('set expectedPods to at most 1455');
  });
});

describe('eksplan spec', () => {
  const run = runCli;

  it('prints the resolved reference platform as JSON', async () => {
    const result = await run(['spec', '--resolved', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ stack: 'ReferencePlatform', network: { privateSubnetMask: 19 } });
  });

  it('exits 2 on a spec file with a typo, naming the path', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-spec-')), 'spec-typo.yaml');
    fs.writeFileSync(file, 'name: typo\nregion: eu-west-1\nnetwork: { cidr: 10.1.0.0/16, expectedPod: 2000 }\n');
    const result = await run(['spec', '-c', `eksplan:spec=${file}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("spec-typo.yaml: network.expectedPod: unknown field; did you mean 'expectedPods'?");
  });
});

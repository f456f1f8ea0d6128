import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EksCluster } from '../../../constructs/cluster/eks-cluster';
import { KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from '../../../constructs/cluster/versions';
import {
  addonCompatibility, CORE_ADDON_NAMES, eksControlPlaneUsdPerHour, eksSupportStatus, eksVersion, PINNED_ADDON_VERSIONS, supportedEksVersions,
} from '../../../simulation/catalog';

// The EKS versions in standard or extended support on 2026-12-01 (1.31 left extended support on 2026-11-26).
const SUPPORTED = ['1.32', '1.33', '1.34', '1.35', '1.36'];

describe('EKS versions', () => {
  it('the construct table has exactly the versions EKS supports today', () => {
    expect(supportedEksVersions('2026-12-01')).toEqual(SUPPORTED);
    expect(supportedEksVersions('2026-11-01')).toEqual(['1.31', ...SUPPORTED]);
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(SUPPORTED);
  });

  it.each(SUPPORTED)('%s has a kubectl layer, pinned add-ons for its version, a support calendar and a control-plane price', (version) => {
    // GIVEN the version tables  THEN
    expect(KUBERNETES_VERSIONS[version].version.version).toBe(version);
    expect(Object.keys(PINNED_ADDON_VERSIONS[version]).sort()).toEqual([...CORE_ADDON_NAMES].sort());
    expect(PINNED_ADDON_VERSIONS[version]['kube-proxy']).toMatch(new RegExp(`^v${version.replace('.', '\\.')}\\.`));
    for (const addon of CORE_ADDON_NAMES) expect(addonCompatibility(version, addon, PINNED_ADDON_VERSIONS[version][addon])).toEqual({ compatible: true });
    const calendar = eksVersion(version);
    expect(calendar.endOfStandardSupport > calendar.released).toBe(true);
    expect(calendar.endOfExtendedSupport > calendar.endOfStandardSupport).toBe(true);
    expect(eksSupportStatus(version, '2026-12-01')).not.toBe('unsupported');
    expect(eksControlPlaneUsdPerHour(version, calendar.released)).toBe(0.10);
    expect(eksControlPlaneUsdPerHour(version, calendar.endOfStandardSupport)).toBe(0.60);
  });

  it.each([
    ['1.32', '2026-11-01', 'extended'], ['1.33', '2026-11-01', 'extended'], ['1.34', '2026-11-01', 'standard'], ['1.34', '2026-12-02', 'extended'], ['1.31', '2026-11-27', 'unsupported'],
  ])('EKS %s on %s is in %s support (docs: kubernetes-versions.html)', (version, date, status) => {
    expect(eksSupportStatus(version, date)).toBe(status);
  });

  it.each(['1.32', '1.33', '1.34'])('a %s cluster synthesizes with its own kubectl layer', (version) => {
    // GIVEN
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-2' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-2a', 'us-east-2b'] });
    // WHEN
    new EksCluster(stack, 'Cluster', { vpc, clusterName: 'c', version });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: version });
    template.hasResourceProperties('AWS::Lambda::LayerVersion', { Description: Match.stringLikeRegexp(`kubectl ${version.replace('.', '\\.')}`) });
  });
});

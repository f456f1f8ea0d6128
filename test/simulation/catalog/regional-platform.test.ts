import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'fs';
import * as path from 'path';
import { validatePlatformSpec, type PlatformSpec } from '../../../lib/platform-spec';
import { loadAssembly, plan } from '../../../simulation';
import { synthesizeToDir } from '../../support/reference-stack';

// Issue 17's must-show: a platform in us-east-2 on Kubernetes 1.34 with a node group of c6a.large (a family the
// old catalog lacked) synthesizes, and its plan prices the nodes as an estimate from us-east-1.
const spec: PlatformSpec = {
  name: 'ohio',
  region: 'us-east-2',
  account: '111111111111',
  availabilityZones: ['us-east-2a', 'us-east-2b', 'us-east-2c'],
  cluster: { version: '1.34' },
  nodeGroups: [{ name: 'general', instanceTypes: ['c6a.large'], capacityType: 'ON_DEMAND', minSize: 2, desiredSize: 2, maxSize: 4 }],
};

describe('a us-east-2 platform on Kubernetes 1.34 with c6a.large nodes', () => {
  let dir: string;
  beforeAll(() => { dir = synthesizeToDir(spec, 'Ohio'); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('synthesizes with the 1.34 cluster and the c6a.large node group', () => {
    const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(dir, 'Ohio.template.json'), 'utf8')));
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.34' });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { InstanceTypes: ['c6a.large'] });
  });

  it('plans it, pricing the nodes as an estimate from the us-east-1 list and saying so', () => {
    const result = plan(loadAssembly(dir));
    expect(result.input.region).toBe('us-east-2');
    const ec2 = result.cost?.lines.filter((l) => l.item === 'c6a.large') ?? [];
    expect(ec2.length).toBeGreaterThan(0);
    expect(ec2[0].unitPriceUsd).toBe(0.0765);
    expect(ec2[0].priceSource).toMatch(/^catalog estimate: us-east-1 static list of 2026-07-20 × 1, the us-east-2 factor/);
  });

  it.each([
    ['us-gov-west-1', 'aws-us-gov (GovCloud) partition'],
    ['cn-north-1', 'aws-cn (China) partition'],
  ])('fails when given region %s', (region, message) => {
    expect(() => validatePlatformSpec({ ...spec, region, availabilityZones: undefined })).toThrow(message);
  });
});

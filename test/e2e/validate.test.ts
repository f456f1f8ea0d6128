import * as fs from 'fs';
import * as path from 'path';
import { validateTemplates } from '../../lib/validate';
import { synthesizeToDir } from '../support/reference-stack';

// eksplan validate: every resource of every template against the CloudFormation registry schemas and rules.
describe('CloudFormation schema validation', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthesizeToDir();
  });

  it('finds no error on the reference platform', () => {
    expect(validateTemplates(dir).filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('reports a missing required property and a value outside an enum', () => {
    const file = path.join(dir, 'ReferencePlatform.template.json');
    const template = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [id, nodegroup] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::EKS::Nodegroup') as [string, { Properties: Record<string, unknown> }];
    delete nodegroup.Properties.ClusterName;
    nodegroup.Properties.CapacityType = 'CHEAP';
    fs.writeFileSync(file, JSON.stringify(template));
    const violations = validateTemplates(dir);
    expect(violations).toEqual(expect.arrayContaining([
      expect.objectContaining({ severity: 'error', resources: [id], description: expect.stringContaining("'ClusterName' is a required property") }),
      expect.objectContaining({ resources: [id], description: expect.stringContaining("'CHEAP' is not one of") }),
    ]));
  });
});

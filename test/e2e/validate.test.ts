import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../bin/eksplan';
import { validateTemplates } from '../../lib/validate';
import { synthesizeToDir } from '../support/reference-stack';

// eksplan validate: every resource of every template against the CloudFormation registry schemas and rules.
describe('CloudFormation schema validation', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthesizeToDir();
  });

  it('finds no error and no warning on the reference platform', () => {
    expect(validateTemplates(dir)).toEqual([]);
  });

  it.each([
    ['a read-only property set as input (service spec)', 'AWS::SQS::Queue', (p: Record<string, unknown>) => { p.Arn = 'arn:aws:sqs:us-east-1:111111111111:q'; }, 'ServiceSpec::read-only-property', 'Arn: is read-only on AWS::SQS::Queue'],
    ['a value of the wrong type', 'AWS::EKS::Nodegroup', (p: Record<string, unknown>) => { (p.ScalingConfig as Record<string, unknown>).MinSize = 'two'; }, 'F3012', "ScalingConfig.MinSize: 'two' is not of type 'integer'"],
    ['a value outside the pattern', 'AWS::EKS::Cluster', (p: Record<string, unknown>) => { p.Name = '-bad name!'; }, 'F3031', 'does not match pattern'],
    ['an unknown property', 'AWS::EC2::FlowLog', (p: Record<string, unknown>) => { p.Bogus = 1; }, 'F3002', "'Bogus' was unexpected"],
    ['a list where one value belongs (service spec)', 'AWS::Logs::LogGroup', (p: Record<string, unknown>) => { p.RetentionInDays = [90]; }, 'ServiceSpec::property-shape', 'RetentionInDays: AWS::Logs::LogGroup expects a single value, got an array'],
  ])('reports %s', (_name, type, tamper, rule, text) => {
    const copy = fs.mkdtempSync(`${dir}-case-`);
    fs.cpSync(dir, copy, { recursive: true });
    const file = path.join(copy, 'ReferencePlatform.template.json');
    const template = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [id, resource] = Object.entries(template.Resources).find(([, r]) => r.Type === type) as [string, { Properties: Record<string, unknown> }];
    tamper(resource.Properties);
    fs.writeFileSync(file, JSON.stringify(template));
    expect(validateTemplates(copy)).toEqual(expect.arrayContaining([expect.objectContaining({ rule, severity: 'error', resources: [id], description: expect.stringContaining(text) })]));
  });

  it('reports a missing required property and a value outside an enum', () => {
    const copy = fs.mkdtempSync(`${dir}-required-`);
    fs.cpSync(dir, copy, { recursive: true });
    const file = path.join(copy, 'ReferencePlatform.template.json');
    const template = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [id, nodegroup] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::EKS::Nodegroup') as [string, { Properties: Record<string, unknown> }];
    delete nodegroup.Properties.ClusterName;
    nodegroup.Properties.CapacityType = 'CHEAP';
    fs.writeFileSync(file, JSON.stringify(template));
    const violations = validateTemplates(copy);
    expect(violations).toEqual(expect.arrayContaining([
      expect.objectContaining({ severity: 'error', resources: [id], description: expect.stringContaining("'ClusterName' is a required property") }),
      expect.objectContaining({ resources: [id], description: expect.stringContaining("'CHEAP' is not one of") }),
    ]));
  });

  it('eksplan validate exits 0 on the reference platform and 1 on a broken NodePool, naming the object and field', async () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
    try {
      expect(await main(['validate', dir])).toBe(0);
      expect(out.join('')).toMatch(/eksplan validate: \d+ resources in 1 template\(s\), 0 finding\(s\); \d+ Kubernetes objects, 0 error\(s\)/);
      const copy = fs.mkdtempSync(`${dir}-nodepool-`);
      fs.cpSync(dir, copy, { recursive: true });
      const file = path.join(copy, 'ReferencePlatform.template.json');
      const text = fs.readFileSync(file, 'utf8');
      // The NodePool manifest is a JSON string inside the template; break its consolidation policy.
      fs.writeFileSync(file, text.replace(/WhenEmptyOrUnderutilized/, 'Sometimes'));
      out.length = 0;
      expect(await main(['validate', copy])).toBe(1);
      expect(out.join('')).toContain('ERROR kubernetes-schema NodePool general (ReferencePlatform.template.json): spec.disruption.consolidationPolicy: must be one of WhenEmpty, WhenEmptyOrUnderutilized');
    } finally {
      spy.mockRestore();
    }
  });
});

import { resolveIntrinsics, type ResolveContext } from '../../../simulation/assembly/intrinsics';
import { EksplanError } from '../../../simulation/model';

// CloudFormation intrinsic function semantics (AWS CloudFormation User Guide, "Intrinsic function reference").
const ctx: ResolveContext = {
  file: 'Stack.template.json', region: 'eu-west-1', account: '123456789012', stackName: 'Stack',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  parameters: { Size: { Type: 'Number', Default: 3 }, NoDefault: { Type: 'String' }, Env: { Type: 'String', Default: 'prod' } },
  parameterValues: { SubnetFromParent: '${Token[Ref:VpcPrivateSubnet1]}' },
  mappings: { Sizes: { prod: { Nodes: 6 }, dev: { Nodes: 1 } } },
  conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
  resourceIds: new Set(['Vpc8378EB38', 'Role1ABCC5F0']),
};
const r = (value: unknown) => resolveIntrinsics(value, ctx, 'Resources.X.Properties');

describe('resolveIntrinsics', () => {
  it.each<[string, unknown, unknown]>([
    ['Ref to a resource is a placeholder', { Ref: 'Vpc8378EB38' }, '${Token[Ref:Vpc8378EB38]}'],
    ['Ref to a parameter uses its Default', { Ref: 'Size' }, 3],
    ['Ref to a parameter without Default is a placeholder', { Ref: 'NoDefault' }, '${Token[Ref:NoDefault]}'],
    ['Ref to a nested-stack parameter uses the value the parent passes', { Ref: 'SubnetFromParent' }, '${Token[Ref:VpcPrivateSubnet1]}'],
    ['Ref AWS::Region is the stack region', { Ref: 'AWS::Region' }, 'eu-west-1'],
    ['Ref AWS::AccountId is the stack account', { Ref: 'AWS::AccountId' }, '123456789012'],
    ['Ref AWS::NoValue removes the property', { A: 1, B: { Ref: 'AWS::NoValue' } }, { A: 1 }],
    ['Fn::GetAtt list form', { 'Fn::GetAtt': ['Role1ABCC5F0', 'Arn'] }, '${Token[GetAtt:Role1ABCC5F0.Arn]}'],
    ['Fn::GetAtt dotted form', { 'Fn::GetAtt': 'Role1ABCC5F0.Arn' }, '${Token[GetAtt:Role1ABCC5F0.Arn]}'],
    ['Fn::Join', { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, 'c']] }, 'a-eu-west-1-c'],
    ['Fn::Select from Fn::GetAZs', { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }, 'eu-west-1b'],
    ['Fn::GetAZs gives the explicit AZs', { 'Fn::GetAZs': { Ref: 'AWS::Region' } }, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    ['Fn::Split', { 'Fn::Split': [',', 'a,b,c'] }, ['a', 'b', 'c']],
    ['Fn::Select from a split token is a placeholder', { 'Fn::Select': [2, { 'Fn::Split': [',', { 'Fn::ImportValue': 'Subnets' }] }] }, '${Token[Select:2:TokenImport:Subnets]}'],
    ['Fn::Sub with pseudo parameters and attributes', { 'Fn::Sub': 'arn:${AWS::Partition}:eks:${AWS::Region}:${AWS::AccountId}:x/${Role1ABCC5F0.Arn}' }, 'arn:aws:eks:eu-west-1:123456789012:x/${Token[GetAtt:Role1ABCC5F0.Arn]}'],
    ['Fn::Sub two-argument form', { 'Fn::Sub': ['${Name}-${Vpc8378EB38}-${!Literal}', { Name: { Ref: 'Env' } }] }, 'prod-${Token[Ref:Vpc8378EB38]}-${Literal}'],
    ['Fn::ImportValue is a placeholder', { 'Fn::ImportValue': 'SharedVpc' }, '${Token[Import:SharedVpc]}'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Nodes'] }, 6],
    ['Fn::If with a condition', { 'Fn::If': ['IsProd', 'big', 'small'] }, 'big'],
    ['Fn::If with a negated condition', { 'Fn::If': ['IsDev', 'big', 'small'] }, 'small'],
    ['Fn::Base64 keeps the text for user-data readers', { 'Fn::Base64': { 'Fn::Join': ['', ['#!/bin/bash\n', 'echo ', { Ref: 'AWS::Region' }]] } }, '#!/bin/bash\necho eu-west-1'],
    ['Fn::Cidr carves subnets', { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, ['10.0.0.0/24', '10.0.1.0/24']],
    ['a token inside a JSON manifest string keeps it JSON', { 'Fn::Join': ['', ['{"name":"', { Ref: 'Vpc8378EB38' }, '"}']] }, '{"name":"${Token[Ref:Vpc8378EB38]}"}'],
  ])('%s', (_name, input, expected) => {
    expect(r(input)).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['an unknown function', { 'Fn::Nope': [] }, 'Stack.template.json: Resources.X.Properties.Fn::Nope: unknown intrinsic function Fn::Nope'],
    ['Fn::Join with one argument', { 'Fn::Join': ['x'] }, 'Resources.X.Properties.Fn::Join: Fn::Join expects [delimiter, [values]]'],
    ['Fn::Select out of range', { 'Fn::Select': [5, ['a']] }, 'Fn::Select index 5 is out of range (the list has 1)'],
    ['Fn::FindInMap on a missing key', { 'Fn::FindInMap': ['Sizes', 'test', 'Nodes'] }, 'no Sizes.test.Nodes in Mappings'],
    ['Fn::If on an undefined condition', { 'Fn::If': ['Missing', 1, 2] }, "condition 'Missing' is not defined in Conditions"],
  ])('fails on %s', (_name, input, message) => {
    expect(() => r(input)).toThrow(EksplanError);
    expect(() => r(input)).toThrow(message);
  });

  it('fails on intrinsics nested deeper than the guard, without a stack overflow', () => {
    let value: unknown = 'x';
    for (let i = 0; i < 1000; i += 1) value = { 'Fn::Join': ['', [value]] };
    expect(() => r(value)).toThrow(/nest deeper than \d+ levels/);
  });
});

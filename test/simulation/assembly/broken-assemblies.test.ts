import * as path from 'path';
import { loadAssembly } from '../../../simulation/assembly';
import { EksplanError } from '../../../simulation/model';

// Hand-made broken assemblies (test/fixtures/assemblies/<case>): each must end in an EksplanError whose message
// names the file, the logical id or object, and the field, never in another exception.
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'assemblies');

function errorOf(name: string, options?: { stack?: string }): EksplanError {
  try {
    loadAssembly(path.join(FIXTURES, name), options);
  } catch (error) {
    if (error instanceof EksplanError) return error;
    throw new Error(`${name}: expected an EksplanError, got ${String(error)}`);
  }
  throw new Error(`${name}: expected an error, the assembly loaded`);
}

describe('loadAssembly on broken assemblies', () => {
  it.each<[string, (string | RegExp)[]]>([
    ['missing-manifest', ['missing-manifest', 'manifest.json is missing']],
    ['manifest-json-invalid', ['manifest.json', 'is truncated']],
    ['truncated-template', ['Stack.template.json', /is truncated \(JSON ends early/]],
    ['manifest-not-json', ['Stack.template.json', 'Resources.WebManifest.Properties.Manifest', 'is not valid JSON']],
    ['unknown-intrinsic', ['Stack.template.json', 'Resources.Cluster.Properties.Name.Fn::Frobnicate', 'unknown intrinsic function Fn::Frobnicate']],
    ['no-cluster', ['no EKS cluster (AWS::EKS::Cluster or Custom::AWSCDK-EKS-Cluster) in any stack (Network)']],
    ['two-clusters', ['several stacks with an EKS cluster (Blue, Green)', '--stack']],
    ['unresolvable-scaling', ['Stack.template.json', 'Resources.Workers.Properties.ScalingConfig.DesiredSize', '${Token[Ref:Desired]}', 'known at synth time']],
    ['non-utf8', ['Stack.template.json', 'is not valid UTF-8 (first bad byte at offset']],
    ['deep-nesting', ['Stack.template.json', /nests deeper than \d+ levels/]],
    ['object-without-kind', ['Stack.template.json', 'Resources.AppManifest.Properties.Manifest[1].kind', 'has no kind']],
    ['missing-nested-template', ['Stack.template.json', 'Resources.Kubectl.Properties.TemplateURL', 'StackKubectl.nested.template.json is missing']],
    ['bad-taint-effect', ['Resources.Workers.Properties.Taints[0].Effect', 'NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE', '"NoSchedule"']],
    ['inconsistent-scaling', ['Resources.Workers.Properties.ScalingConfig', 'min 3, desired 1, max 2']],
    ['addon-config-not-json', ['Resources.VpcCni.Properties.ConfigurationValues', 'is not valid JSON']],
    ['resource-without-type', ['Resources.Broken.Type', 'resource has no Type']],
    ['subnet-cidr-token', ['Resources.Subnet1.Properties.CidrBlock', 'not known at synth time', 'Token[Import:SharedSubnetCidr]']],
    ['bad-cluster-version', ['Resources.Cluster.Properties.Version', "'latest' is not a version like 1.34"]],
  ])('%s gives an EksplanError naming the input', (name, expected) => {
    const error = errorOf(name);
    for (const part of expected) {
      if (typeof part === 'string') expect(error.message).toContain(part);
      else expect(error.message).toMatch(part);
    }
    expect(error.message).not.toContain('\n');
  });

  it('fails on a directory that does not exist', () => {
    expect(() => loadAssembly(path.join(FIXTURES, 'no-such-dir'))).toThrow(/no-such-dir: no such directory/);
  });

  it('reads one of two clusters when the stack option chooses it', () => {
    expect(loadAssembly(path.join(FIXTURES, 'two-clusters'), { stack: 'Green' }).stackName).toBe('Green');
  });

  it('names the file and field of the error in its properties, for the CLI', () => {
    const error = errorOf('unknown-intrinsic');
    expect(error.input).toBe('Stack.template.json');
    expect(error.field).toBe('Resources.Cluster.Properties.Name.Fn::Frobnicate');
  });
});

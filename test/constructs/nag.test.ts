import { App, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EksPlatformStack } from '../../lib/eks-platform-stack';
import type { PlatformSpec } from '../../lib/platform-spec';
import { referencePlatform } from '../../lib/reference';
import { projectContext } from '../support/reference-stack';

interface Finding { level: 'error' | 'warning'; path: string; message: string }

/** cdk-nag's AWS Solutions findings left after our suppressions, in every stack of the app. */
function nagFindings(spec: PlatformSpec, tamper?: (stack: EksPlatformStack) => void): { findings: Finding[]; stack: EksPlatformStack } {
  const app = new App({ context: projectContext() });
  const stack = new EksPlatformStack(app, 'ReferencePlatform', { spec });
  tamper?.(stack);
  Aspects.of(app).add(new AwsSolutionsChecks());
  try {
    app.synth();
  } catch (error) {
    // With cdk.json's flags, error annotations fail synthesis (as `cdk synth -c eksplan:nag=true` does): the
    // report lists each one as `ERROR <rule>[<finding>]: ...` followed by the construct path.
    const lines = String(error instanceof Error ? error.message : error).split('\n');
    const findings = lines.flatMap((line, i) => (/^\s*ERROR /.test(line)
      ? [{ level: 'error' as const, path: `/${(lines[i + 1] ?? '').trim().split(' ')[0]}`, message: line.trim().replace(/^ERROR /, '').replace(/ \(Annotation\)$/, '') }]
      : []));
    if (findings.length === 0) throw error;
    return { findings, stack };
  }
  const findings: Finding[] = [];
  for (const s of stack.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
    const annotations = Annotations.fromStack(s);
    const pattern = Match.stringLikeRegexp('AwsSolutions-|CdkNagValidationFailure');
    for (const a of annotations.findError('*', pattern)) findings.push({ level: 'error', path: a.id, message: String(a.entry.data) });
    for (const a of annotations.findWarning('*', pattern)) findings.push({ level: 'warning', path: a.id, message: String(a.entry.data) });
  }
  return { findings, stack };
}

interface Suppression { id: string; reason: string; applies_to?: unknown[] }

/** The suppressions as cdk-nag reads them: the cdk_nag entry of each resource's template Metadata. */
function suppressions(stack: Stack): { path: string; suppression: Suppression }[] {
  const out: { path: string; suppression: Suppression }[] = [];
  for (const resource of stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c))) {
    const metadata = resource.getMetadata('cdk_nag') as { rules_to_suppress?: Suppression[] } | undefined;
    for (const rule of metadata?.rules_to_suppress ?? []) out.push({ path: resource.node.path, suppression: rule });
  }
  return out;
}

describe('cdk-nag AwsSolutionsChecks', () => {
  const reference = nagFindings(referencePlatform);

  it('leaves zero unsuppressed errors and warnings on the reference platform', () => {
    expect(reference.findings).toEqual([]);
  });

  it('gives every suppression a reason a reviewer can check, and names the exact findings for IAM4/IAM5', () => {
    const all = suppressions(reference.stack);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const { path, suppression } of all) {
      expect({ path, id: suppression.id, reasonLength: suppression.reason.length >= 80 }).toEqual({ path, id: suppression.id, reasonLength: true });
      if (['AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'CdkNagValidationFailure'].includes(suppression.id)) {
        expect({ path, id: suppression.id, scoped: (suppression.applies_to ?? []).length > 0 }).toEqual({ path, id: suppression.id, scoped: true });
      }
    }
  });

  it.each([
    ['auto-mode', {
      ...referencePlatform, cluster: { ...referencePlatform.cluster, compute: 'auto-mode' as const }, nodeGroups: [], karpenter: undefined,
      workloads: (referencePlatform.workloads ?? []).map((w) => ({ ...w, placement: undefined })),
    }],
    ['IRSA identities', { ...referencePlatform, karpenter: referencePlatform.karpenter && { ...referencePlatform.karpenter, identity: 'irsa' as const } }],
  ])('leaves zero findings on the %s variant', (_name, spec) => {
    expect(nagFindings(spec).findings).toEqual([]);
  });

  it('still reports a new wildcard action added to an accepted policy (the acceptances are narrow)', () => {
    const { findings } = nagFindings(referencePlatform, (stack) => {
      const policy = stack.node.findAll().find((c) => c.node.path.endsWith('Karpenter/ControllerPolicy')) as iam.Policy;
      policy.addStatements(new iam.PolicyStatement({ actions: ['ec2:*'], resources: ['*'] }));
    });
    expect(findings).toEqual([expect.objectContaining({ level: 'error', path: '/ReferencePlatform/Karpenter/ControllerPolicy/Resource', message: expect.stringContaining('AwsSolutions-IAM5[Action::ec2:*]') })]);
  });

  it('reports what it is meant to catch on an unsuppressed resource (the checks really run)', () => {
    const { findings } = nagFindings(referencePlatform, (stack) => {
      new iam.Role(stack, 'Careless', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] });
    });
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]')]);
  });
});

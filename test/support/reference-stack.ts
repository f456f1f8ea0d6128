import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EksPlatformStack } from '../../lib/eks-platform-stack';
import type { PlatformSpec } from '../../lib/platform-spec';
import { referencePlatform } from '../../lib/reference';

/** The feature flags and context of cdk.json, so tests synthesize what `cdk synth` does. */
export function projectContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** The reference platform synthesized once per test file (synthesis takes seconds). */
let cached: { stack: EksPlatformStack; template: Template } | undefined;

export function referenceTemplate(): { stack: EksPlatformStack; template: Template } {
  if (!cached) {
    const app = new App({ context: projectContext() });
    const stack = new EksPlatformStack(app, 'ReferencePlatform', { spec: referencePlatform });
    cached = { stack, template: Template.fromStack(stack) };
  }
  return cached;
}

/** Synthesizes a spec into a fresh cloud assembly directory and returns it. */
export function synthesizeToDir(spec: PlatformSpec = referencePlatform, id = 'ReferencePlatform'): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-test-'));
  const app = new App({ outdir, context: projectContext() });
  new EksPlatformStack(app, id, { spec });
  app.synth();
  return outdir;
}

/** The parsed Kubernetes objects of every manifest custom resource in a template. */
export function manifestObjects(template: Template): Record<string, unknown>[] {
  const resources = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
  const out: Record<string, unknown>[] = [];
  for (const resource of Object.values(resources)) {
    const manifest = (resource as { Properties: { Manifest: unknown } }).Properties.Manifest;
    const text = typeof manifest === 'string' ? manifest : flattenJoin(manifest);
    out.push(...(JSON.parse(text) as Record<string, unknown>[]));
  }
  return out;
}

function flattenJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flattenJoin).join('');
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(flattenJoin).join(join[0]);
    return 'TOKEN';
  }
  return String(value);
}

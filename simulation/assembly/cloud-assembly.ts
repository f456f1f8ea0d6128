import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_REGION } from '../catalog';
import { EksplanError } from '../model/errors';
import { readJson, realPathInside } from './files';
import { resolveIntrinsics, type ResolveContext } from './intrinsics';

export interface ResolvedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly dependsOn: string[];
  readonly metadata: Record<string, unknown>;
  /** The template file, relative to the assembly directory. */
  readonly file: string;
}

export interface StackTemplates {
  readonly stackName: string;
  readonly region?: string;
  readonly account?: string;
  readonly availabilityZones: string[];
  /** Resources of the stack and of its nested stacks, intrinsics resolved. */
  readonly resources: ResolvedResource[];
}

interface StackArtifact { name: string; templateFile: string; region?: string; account?: string }

/** Nested assemblies (stages in stages) deeper than this are refused; CDK apps nest a few levels at most. */
const MAX_ASSEMBLY_DEPTH = 10;
// cloud-assembly-schema Environment: `aws://<account>/<region>`, each part a literal or `unknown-account` / `unknown-region`.
const ENVIRONMENT = /^aws:\/\/(\d{12}|unknown-account)\/([a-z]{2}(?:-[a-z]+)+-\d{1,2}|unknown-region)$/;

/** Lists the CloudFormation stacks of a cloud assembly (manifest.json), nested assemblies (stages) included. */
export function listStacks(dir: string): StackArtifact[] {
  if (!fs.existsSync(dir)) throw new EksplanError('no such directory', { input: dir });
  return listAssembly(dir, fs.realpathSync(dir), new Set(), 0);
}

function listAssembly(dir: string, root: string, visited: Set<string>, depth: number): StackArtifact[] {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new EksplanError('is not a cloud assembly: manifest.json is missing (run cdk synth, or pass a directory of Kubernetes manifests)', { input: dir });
  }
  if (depth > MAX_ASSEMBLY_DEPTH) throw new EksplanError(`nested cloud assemblies nest deeper than ${MAX_ASSEMBLY_DEPTH} levels`, { input: manifestPath });
  visited.add(fs.realpathSync(dir));
  const manifest = readJson(manifestPath) as { artifacts?: Record<string, { type?: string; environment?: unknown; properties?: { templateFile?: unknown; directoryName?: unknown } }> };
  if (manifest === null || typeof manifest !== 'object' || typeof manifest.artifacts !== 'object' || manifest.artifacts === null || Array.isArray(manifest.artifacts)) {
    throw new EksplanError('has no artifacts', { input: manifestPath, field: 'artifacts' });
  }
  const stacks: StackArtifact[] = [];
  for (const [name, artifact] of Object.entries(manifest.artifacts)) {
    const field = `artifacts.${name}`;
    if (artifact?.type === 'aws:cloudformation:stack') {
      const templateFile = artifact.properties?.templateFile;
      if (typeof templateFile !== 'string' || templateFile === '') throw new EksplanError('stack artifact has no properties.templateFile', { input: manifestPath, field });
      const environment = artifact.environment === undefined ? undefined : String(artifact.environment);
      const env = environment === undefined ? null : ENVIRONMENT.exec(environment);
      if (environment !== undefined && env === null) {
        throw new EksplanError('environment must be aws://<12-digit account or unknown-account>/<region like eu-west-1 or unknown-region>', { input: manifestPath, field: `${field}.environment` });
      }
      stacks.push({
        name, templateFile: confined(root, dir, templateFile, manifestPath, `${field}.properties.templateFile`),
        account: env && env[1] !== 'unknown-account' ? env[1] : undefined,
        region: env && env[2] !== 'unknown-region' ? env[2] : undefined,
      });
    } else if (artifact?.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName !== undefined) {
      const directoryName = artifact.properties.directoryName;
      const nestedField = `${field}.properties.directoryName`;
      if (typeof directoryName !== 'string' || directoryName === '') throw new EksplanError('must be a directory name', { input: manifestPath, field: nestedField });
      const nested = confined(root, dir, directoryName, manifestPath, nestedField);
      if (visited.has(fs.realpathSync(nested))) {
        throw new EksplanError(`'${printable(directoryName)}' names an assembly that contains it (a cycle); a nested assembly must be a subdirectory of its own`, { input: manifestPath, field: nestedField });
      }
      stacks.push(...listAssembly(nested, root, visited, depth + 1).map((s) => ({ ...s, name: `${name}/${s.name}` })));
    }
  }
  return stacks;
}

/**
 * A path the assembly names (template, nested assembly, asset), resolved against `base` and refused when it
 * leaves the assembly directory: eksplan reads only its input, and never echoes another file's contents.
 */
function confined(root: string, base: string, relative: string, input: string, field: string): string {
  const resolved = path.join(base, relative);
  if (path.isAbsolute(relative) || realPathInside(root, resolved) === undefined) {
    throw new EksplanError(`'${printable(relative)}' leaves the assembly directory; templates and assets must be inside it`, { input, field });
  }
  if (!fs.existsSync(resolved)) throw new EksplanError(`'${printable(relative)}' is missing from the assembly`, { input, field });
  return resolved;
}

/** A path from the input, shortened and with control characters shown as `?`, for an error message. */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

/** Reads a stack template and its nested stacks, resolving intrinsics. */
export function readStack(dir: string, stack: StackArtifact): StackTemplates {
  const resources: ResolvedResource[] = [];
  const region = stack.region ?? DEFAULT_REGION;
  const template = readTemplate(stack.templateFile);
  const availabilityZones = literalAzs(template, region);
  // An environment-agnostic stack has no account: AWS::AccountId stays a placeholder rather than a made-up number.
  readTemplateInto(dir, stack.templateFile, template, { stackName: stack.name, region, account: stack.account ?? '${Token[Ref:AWS::AccountId]}', availabilityZones }, {}, resources, 0);
  return { stackName: stack.name, region: stack.region, account: stack.account, availabilityZones, resources };
}

interface Template { Parameters?: Record<string, unknown>; Mappings?: Record<string, Record<string, Record<string, unknown>>>; Conditions?: Record<string, unknown>; Resources?: Record<string, unknown> }

function readTemplate(file: string): Template {
  const template = readJson(file);
  if (template === null || typeof template !== 'object' || Array.isArray(template)) throw new EksplanError('is not a CloudFormation template (expected a JSON object)', { input: file });
  const resources = (template as Template).Resources;
  if (resources === undefined || resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    throw new EksplanError('has no Resources section', { input: file, field: 'Resources' });
  }
  return template as Template;
}

function readTemplateInto(dir: string, file: string, template: Template, base: { stackName: string; region: string; account: string; availabilityZones: string[] }, parameterValues: Record<string, unknown>, out: ResolvedResource[], depth: number): void {
  if (depth > 10) throw new EksplanError('nested stacks nest deeper than 10 levels', { input: file });
  const relative = path.relative(dir, file) || path.basename(file);
  const rawResources = template.Resources as Record<string, unknown>;
  const ctx: ResolveContext = {
    file: relative, region: base.region, account: base.account, stackName: base.stackName, availabilityZones: base.availabilityZones,
    parameters: template.Parameters ?? {}, parameterValues, mappings: template.Mappings ?? {}, conditions: template.Conditions ?? {}, resourceIds: new Set(Object.keys(rawResources)),
  };
  for (const logicalId of Object.keys(rawResources).sort()) {
    const raw = rawResources[logicalId] as { Type?: unknown; Properties?: unknown; DependsOn?: unknown; Metadata?: Record<string, unknown>; Condition?: unknown };
    if (raw === null || typeof raw !== 'object' || typeof raw.Type !== 'string') {
      throw new EksplanError('resource has no Type', { input: relative, field: `Resources.${logicalId}.Type` });
    }
    if (typeof raw.Condition === 'string') {
      const enabled = resolveIntrinsics({ Condition: raw.Condition }, ctx, `Resources.${logicalId}.Condition`);
      if (enabled === false) continue;
    }
    const properties = raw.Properties === undefined ? {} : resolveIntrinsics(raw.Properties, ctx, `Resources.${logicalId}.Properties`);
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
      throw new EksplanError('Properties must be an object', { input: relative, field: `Resources.${logicalId}.Properties` });
    }
    const dependsOn = typeof raw.DependsOn === 'string' ? [raw.DependsOn] : Array.isArray(raw.DependsOn) ? raw.DependsOn.map(String) : [];
    const resource: ResolvedResource = { logicalId, type: raw.Type, properties: properties as Record<string, unknown>, dependsOn, metadata: raw.Metadata ?? {}, file: relative };
    out.push(resource);
    if (raw.Type === 'AWS::CloudFormation::Stack') {
      const nestedFile = nestedTemplateFile(dir, file, raw.Metadata, resource.properties.TemplateURL);
      if (nestedFile !== undefined) {
        if (realPathInside(dir, nestedFile) === undefined) {
          throw new EksplanError(`nested stack template '${printable(path.relative(dir, nestedFile))}' leaves the assembly directory; templates and assets must be inside it`, { input: relative, field: `Resources.${logicalId}.Metadata.aws:asset:path` });
        }
        if (!fs.existsSync(nestedFile)) throw new EksplanError(`nested stack template ${path.relative(dir, nestedFile)} is missing from the assembly`, { input: relative, field: `Resources.${logicalId}.Properties.TemplateURL` });
        // The parent passes values (often references to its own resources) as the nested stack's Parameters.
        const values = resource.properties.Parameters;
        const nestedValues = values !== null && typeof values === 'object' && !Array.isArray(values) ? (values as Record<string, unknown>) : {};
        readTemplateInto(dir, nestedFile, readTemplate(nestedFile), base, nestedValues, out, depth + 1);
      }
    }
  }
}

/**
 * The nested stack's template file: `aws:asset:path` metadata when asset metadata is on (the default), else
 * the asset hash in TemplateURL looked up in the assembly's `*.assets.json` (cloud-assembly-schema AssetManifest).
 */
function nestedTemplateFile(dir: string, parentFile: string, metadata: Record<string, unknown> | undefined, templateUrl: unknown): string | undefined {
  const assetPath = metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return path.join(path.dirname(parentFile), assetPath);
  const hash = typeof templateUrl === 'string' ? /([0-9a-f]{64})\.json/.exec(templateUrl)?.[1] : undefined;
  if (hash === undefined) return undefined;
  for (const entry of fs.readdirSync(path.dirname(parentFile)).filter((f) => f.endsWith('.assets.json')).sort()) {
    if (realPathInside(dir, path.join(path.dirname(parentFile), entry)) === undefined) continue;
    const manifest = readJson(path.join(path.dirname(parentFile), entry)) as { files?: Record<string, { source?: { path?: unknown } }> } | null;
    const source = manifest?.files?.[hash]?.source?.path;
    if (typeof source === 'string') return path.join(path.dirname(parentFile), source);
  }
  return undefined;
}

/** The AZs the template names literally (explicit AZs), or the region's a/b/c. */
function literalAzs(template: Template, region: string): string[] {
  const azs = new Set<string>();
  for (const raw of Object.values(template.Resources ?? {})) {
    const az = (raw as { Properties?: { AvailabilityZone?: unknown } })?.Properties?.AvailabilityZone;
    if (typeof az === 'string' && az.startsWith(region)) azs.add(az);
  }
  return azs.size > 0 ? [...azs].sort() : ['a', 'b', 'c'].map((s) => `${region}${s}`);
}

import * as fs from 'fs';
import * as path from 'path';

// Karpenter's NodePool, NodeClaim and EC2NodeClass against the OpenAPI schemas of their CRDs, through
// `@kubernetes-models/karpenter` (generated from karpenter-provider-aws pkg/apis/v1 and sigs.k8s.io/karpenter
// pkg/apis/v1: types, required fields, enums, patterns, bounds). The CRDs' CEL rules (x-kubernetes-validations)
// are not in those schemas; the simulation's own NodePool checks cover the ones that matter for capacity.
//
// The package is ESM-only with import-only exports, so its precompiled validators are loaded by file path with
// Node's own require (Node >= 20.19 loads ES modules synchronously); jest's module loader cannot, hence the
// built-in module rather than the `require` in scope.

/** One ajv error as the precompiled validators report it (they are built without messages). */
interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** apiVersion/kind → the package's schema module (named after the Go package of the type). */
const SCHEMA_MODULES: Record<string, string> = {
  'karpenter.sh/v1/NodePool': 'IoK8sSigsKarpenterPkgApisV1NodePool',
  'karpenter.sh/v1/NodeClaim': 'IoK8sSigsKarpenterPkgApisV1NodeClaim',
  'karpenter.sh/v1alpha1/NodeOverlay': 'IoK8sSigsKarpenterPkgApisV1alpha1NodeOverlay',
  'karpenter.k8s.aws/v1/EC2NodeClass': 'ComGithubAwsKarpenterProviderAwsPkgApisV1EC2NodeClass',
};

const PACKAGE = '@kubernetes-models/karpenter';

export class CrdSchemaUnavailableError extends Error {}

let nodeRequire: NodeJS.Require | undefined;
let schemaDir: string | undefined;
const validators = new Map<string, Validator>();

function realRequire(): NodeJS.Require {
  if (!nodeRequire) {
    const builtin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('module') as typeof import('module') | undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    nodeRequire = (builtin ?? (require('module') as typeof import('module'))).createRequire(__filename);
  }
  return nodeRequire;
}

function packageSchemaDir(): string {
  if (!schemaDir) {
    const searched = realRequire().resolve.paths(PACKAGE) ?? [];
    const found = searched.map((dir) => path.join(dir, PACKAGE, '_schemas')).find((dir) => fs.existsSync(dir));
    if (!found) throw new CrdSchemaUnavailableError(`${PACKAGE} is not installed (searched ${searched.length} node_modules directories); run npm ci`);
    schemaDir = found;
  }
  return schemaDir;
}

/** Whether the Karpenter CRD schemas cover this apiVersion and kind. */
export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in SCHEMA_MODULES;
}

function validatorFor(apiVersion: string, kind: string): Validator {
  const key = `${apiVersion}/${kind}`;
  let validator = validators.get(key);
  if (!validator) {
    const file = path.join(packageSchemaDir(), `${SCHEMA_MODULES[key]}.js`);
    try {
      validator = (realRequire()(file) as { validate: Validator }).validate;
    } catch (error) {
      throw new CrdSchemaUnavailableError(`${PACKAGE}: cannot load the ${kind} schema (${file}): ${error instanceof Error ? error.message : String(error)}`);
    }
    validators.set(key, validator);
  }
  return validator;
}

/** `/spec/template/spec/requirements/0` → `spec.template.spec.requirements[0]`. */
function fieldPath(instancePath: string): string {
  return instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(fieldStep).join('').replace(/^\./, '');
}

/** `.name` for plain keys, `[0]` for indexes, `["odd key"]` for anything else (label keys, spaces). */
function fieldStep(key: string): string {
  if (/^\d+$/.test(key)) return `[${key}]`;
  return /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describe(error: AjvError): { field: string; message: string } {
  const field = fieldPath(error.instancePath);
  const p = error.params;
  const join = (parent: string, child: unknown) => `${parent}${fieldStep(String(child))}`.replace(/^\./, '');
  switch (error.keyword) {
    case 'required': return { field: join(field, p.missingProperty), message: 'is required' };
    case 'additionalProperties': return { field: join(field, p.additionalProperty), message: 'is not a field of this object' };
    case 'type': return { field, message: `must be ${String(p.type)}` };
    case 'enum': return { field, message: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'const': return { field, message: `must be ${String(p.allowedValue)}` };
    case 'pattern': return { field, message: `must match ${String(p.pattern)}` };
    case 'format': return { field, message: `must be a valid ${String(p.format)}` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { field, message: `must be ${String(p.comparison)} ${String(p.limit)}` };
    case 'minLength': return { field, message: `must be at least ${String(p.limit)} characters` };
    case 'maxLength': return { field, message: `must be at most ${String(p.limit)} characters` };
    case 'minItems': return { field, message: `must have at least ${String(p.limit)} items` };
    case 'maxItems': return { field, message: `must have at most ${String(p.limit)} items` };
    case 'minProperties': return { field, message: `must have at least ${String(p.limit)} fields` };
    case 'maxProperties': return { field, message: `must have at most ${String(p.limit)} fields` };
    default: return { field, message: `fails ${error.keyword} ${JSON.stringify(p)}` };
  }
}

/**
 * Validates a Karpenter object; returns one message per distinct problem (`field: message`), empty when valid.
 * Fields whose value is a deploy-time token are not judged (CloudFormation resolves them).
 */
export function validateCrdObject(object: { apiVersion: string; kind: string }, isToken: (value: unknown) => boolean): string[] {
  const tokenPaths = new Set<string>();
  const data = placeholders(object, '', isToken, tokenPaths);
  const validate = validatorFor(object.apiVersion, object.kind);
  if (validate(data)) return [];
  const errors = (validate.errors ?? [])
    // anyOf/oneOf report their branches' errors too; keep the specific ones.
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
    .filter((e) => ![...tokenPaths].some((t) => e.instancePath === t || e.instancePath.startsWith(`${t}/`)));
  // An int-or-string field fails once per branch: one error that lists every type the field may have.
  const types = new Map<string, string[]>();
  for (const e of errors) if (e.keyword === 'type') types.set(e.instancePath, [...(types.get(e.instancePath) ?? []), String(e.params.type)]);
  const merged = errors
    .filter((e, i) => e.keyword !== 'type' || errors.findIndex((o) => o.keyword === 'type' && o.instancePath === e.instancePath) === i)
    .map((e) => (e.keyword === 'type' ? { ...e, params: { type: (types.get(e.instancePath) ?? []).join(' or ') } } : e));
  return [...new Set(merged.map(describe).map(({ field, message }) => `${field || '(object)'}: ${message}`))];
}

/** A copy with token values replaced by a string, their paths recorded so errors on them can be dropped. */
function placeholders(value: unknown, at: string, isToken: (value: unknown) => boolean, tokenPaths: Set<string>): unknown {
  if (isToken(value)) {
    tokenPaths.add(at);
    return '';
  }
  if (Array.isArray(value)) return value.map((v, i) => placeholders(v, `${at}/${i}`, isToken, tokenPaths));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = placeholders(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, isToken, tokenPaths);
    return out;
  }
  return value;
}

import type { ClusterModel } from '../model/cluster';
import type { KubernetesObject } from '../model/kubernetes';
import type { Finding } from '../model/result';
import { hasCrdSchema, validateCrdObject } from './crd-schemas';

// Every core Kubernetes object against the API's OpenAPI schema, through `kubernetes-models` (generated
// from the Kubernetes OpenAPI spec; each model's validate() checks types, required fields and enums), and
// Karpenter's objects against their CRD schemas (crd-schemas.ts).
// Values that are deploy-time tokens (`${Token[...]}`) are left to CloudFormation.

type Validatable = { validate(): void };
type ModelClass = new (object: unknown) => Validatable;

const cache = new Map<string, ModelClass | null>();

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const key = `${group}/${version}/${kind}`;
  if (!cache.has(key)) {
    let found: ModelClass | null = null;
    if (/^[a-z0-9.]*$/.test(group) && /^v\d+(alpha\d+|beta\d+)?$/.test(version) && /^[A-Za-z]+$/.test(kind)) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(`kubernetes-models/${group === '' ? '' : `${group}/`}${version}/${kind}`) as Record<string, ModelClass>;
        found = module[kind] ?? null;
      } catch {
        found = null;
      }
    }
    cache.set(key, found);
  }
  return cache.get(key) ?? undefined;
}

/** `data/spec/replicas must be integer` → `spec.replicas: must be integer`. */
function fieldMessage(message: string): string {
  return message.split(', ').map((part) => {
    const match = /^data(\S*) (.*)$/.exec(part.trim());
    if (!match) return part;
    const field = match[1].replace(/^\//, '').split('/').map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
    return `${field || '(object)'}: ${match[2]}`;
  }).join('; ');
}

function withoutTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTokens);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && v.includes('${Token[')) continue;
      out[k] = withoutTokens(v);
    }
    return out;
  }
  return value;
}

const isToken = (value: unknown) => typeof value === 'string' && value.includes('${Token[');

export function validateKubernetesObject(object: KubernetesObject): string | undefined {
  if (hasCrdSchema(object.apiVersion, object.kind)) {
    const problems = validateCrdObject(object, isToken);
    return problems.length > 0 ? problems.join('; ') : undefined;
  }
  const Model = modelFor(object.apiVersion, object.kind);
  if (!Model) return undefined;
  try {
    new Model(withoutTokens(object)).validate();
    return undefined;
  } catch (error) {
    return fieldMessage(error instanceof Error ? error.message : String(error));
  }
}

export function checkKubernetesSchemas(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const { object, source } of model.objects) {
    const problem = validateKubernetesObject(object);
    if (!problem) continue;
    findings.push({
      severity: 'error', code: 'kubernetes-schema', object: `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name} (${source.file})`,
      message: `${problem}; the API server would reject it at deploy time`,
      fix: 'correct the field to the type and values the Kubernetes API accepts',
    });
  }
  return findings;
}

import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, SpecDatabase } from '@aws-cdk/service-spec-types';

/** One problem found against the CloudFormation resource specification. */
export interface SpecViolation {
  readonly rule: 'unknown-resource-type' | 'read-only-property' | 'required-property' | 'property-shape';
  readonly logicalId: string;
  readonly description: string;
}

// The resource registry as aws-cdk-lib itself is generated from (@aws-cdk/aws-service-spec: the CloudFormation
// registry schemas merged into one database). It adds what the template engine does not check: properties the
// registry marks read-only (they appear as attributes, not properties), which CloudFormation refuses on create.

let database: SpecDatabase | undefined;
const resourceCache = new Map<string, Resource | null>();

function spec(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

function resourceSpec(type: string): Resource | undefined {
  if (!resourceCache.has(type)) {
    const found = spec().lookup('resource', 'cloudFormationType', 'equals', type);
    resourceCache.set(type, found.length > 0 ? found[0] : null);
  }
  return resourceCache.get(type) ?? undefined;
}

/** Types the registry does not describe on purpose: custom resources, CDK metadata, third-party registry types. */
function isUndescribed(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' || type.startsWith('AWS::CDK::') || !type.startsWith('AWS::');
}

/** `{ Ref }`, `{ Fn::* }` and `{ Condition }`: resolved by CloudFormation, not judged here. */
function isIntrinsic(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

type Shape = 'scalar' | 'array' | 'object' | 'any';

function shapeOf(type: PropertyType): Shape {
  switch (type.type) {
    case 'array': return 'array';
    case 'map': case 'ref': case 'tag': return 'object';
    case 'json': case 'union': return 'any';
    default: return 'scalar';
  }
}

function valueShape(value: unknown): Shape {
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  return 'scalar';
}

/** Checks each resource of a template against the resource specification. */
export function checkTemplateAgainstSpec(template: unknown): SpecViolation[] {
  const resources = (template as { Resources?: Record<string, { Type?: unknown; Properties?: unknown }> } | null)?.Resources ?? {};
  const violations: SpecViolation[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = resource?.Type;
    if (typeof type !== 'string' || isUndescribed(type)) continue;
    const described = resourceSpec(type);
    if (!described) {
      violations.push({ rule: 'unknown-resource-type', logicalId, description: `${type} is not a CloudFormation resource type` });
      continue;
    }
    const properties = resource.Properties && typeof resource.Properties === 'object' && !isIntrinsic(resource.Properties) ? resource.Properties as Record<string, unknown> : {};
    for (const [name, value] of Object.entries(properties)) {
      // Own keys only: a property named 'constructor' or '__proto__' must not find Object.prototype's members.
      const property = Object.hasOwn(described.properties, name) ? described.properties[name] : undefined;
      if (!property) {
        if (Object.hasOwn(described.attributes, name)) violations.push({ rule: 'read-only-property', logicalId, description: `${name}: is read-only on ${type} (an attribute CloudFormation returns, never an input)` });
        continue;
      }
      if (isIntrinsic(value)) continue;
      const expected = shapeOf(property.type);
      const actual = valueShape(value);
      const earlier = (property.previousTypes ?? []).map(shapeOf);
      if (expected !== 'any' && expected !== actual && !earlier.includes(actual) && !earlier.includes('any')) {
        violations.push({ rule: 'property-shape', logicalId, description: `${name}: ${type} expects ${expected === 'scalar' ? 'a single value' : `an ${expected}`}, got ${actual === 'scalar' ? 'a single value' : `an ${actual}`}` });
      }
    }
    for (const [name, property] of Object.entries(described.properties)) {
      if (property.required && !Object.hasOwn(properties, name) && !isIntrinsic(resource.Properties)) {
        violations.push({ rule: 'required-property', logicalId, description: `${name}: is required on ${type}` });
      }
    }
  }
  return violations;
}

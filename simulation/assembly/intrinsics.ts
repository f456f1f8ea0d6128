import { EksplanError } from '../model/errors';

// CloudFormation intrinsic functions resolved to values where the template determines them, and to stable
// placeholders where only a deploy knows them: `${Token[Ref:LogicalId]}`, `${Token[GetAtt:LogicalId.Attr]}`.
// Placeholders carry no quotes or backslashes, so a manifest with a token inside still parses as JSON.

export interface ResolveContext {
  readonly file: string;
  readonly region: string;
  readonly account: string;
  readonly stackName: string;
  readonly availabilityZones: string[];
  readonly parameters: Record<string, unknown>;
  /** Values the parent stack passes to a nested stack's parameters (already resolved). */
  readonly parameterValues?: Record<string, unknown>;
  readonly mappings: Record<string, Record<string, Record<string, unknown>>>;
  readonly conditions: Record<string, unknown>;
  readonly resourceIds: ReadonlySet<string>;
}

const NO_VALUE = Symbol('AWS::NoValue');
const MAX_DEPTH = 150;

export function refPlaceholder(logicalId: string): string {
  return `\${Token[Ref:${logicalId}]}`;
}

export function getAttPlaceholder(logicalId: string, attribute: string): string {
  return `\${Token[GetAtt:${logicalId}.${attribute}]}`;
}

/** Resolves every intrinsic in a value. `where` names the resource and property for errors. */
export function resolveIntrinsics(value: unknown, ctx: ResolveContext, where: string): unknown {
  const resolved = resolve(value, ctx, where, 0);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolve(value: unknown, ctx: ResolveContext, where: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new EksplanError(`intrinsic functions nest deeper than ${MAX_DEPTH} levels`, { input: ctx.file, field: where });
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const r = resolve(item, ctx, where, depth + 1);
      if (r !== NO_VALUE) out.push(r);
    }
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::') || entries[0][0] === 'Condition')) {
    const [fn, arg] = entries[0];
    return intrinsic(fn, arg, ctx, `${where}.${fn}`, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    const r = resolve(child, ctx, `${where}.${key}`, depth + 1);
    if (r !== NO_VALUE) out[key] = r;
  }
  return out;
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function intrinsic(fn: string, arg: unknown, ctx: ResolveContext, where: string, depth: number): unknown {
  const bad = (expected: string): never => { throw new EksplanError(`${fn} expects ${expected}`, { input: ctx.file, field: where }); };
  switch (fn) {
    case 'Ref': {
      if (typeof arg !== 'string') return bad('a logical id or pseudo parameter name');
      return ref(arg, ctx);
    }
    case 'Fn::GetAtt': {
      const parts = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : arg;
      if (!Array.isArray(parts) || parts.length !== 2) return bad('[logicalId, attribute]');
      const attribute = asString(resolve(parts[1], ctx, where, depth));
      return getAttPlaceholder(asString(parts[0]), attribute);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) return bad('[delimiter, [values]]');
      const delimiter = asString(arg[0]);
      const list = resolve(arg[1], ctx, where, depth);
      if (!Array.isArray(list)) return asString(list);
      return list.map(asString).join(delimiter);
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) return bad('[index, [values]]');
      const index = Number(resolve(arg[0], ctx, where, depth));
      const list = resolve(arg[1], ctx, where, depth);
      if (!Number.isInteger(index) || index < 0) return bad('a non-negative integer index');
      if (Array.isArray(list)) {
        // A list split from a deploy-time value has unknown length: selecting from it gives a placeholder.
        if (index >= list.length && list.some((item) => asString(item).includes('${Token['))) {
          return `\${Token[Select:${index}:${list.map(asString).join('|').replace(/[${}[\]]/g, '')}]}`;
        }
        if (index >= list.length) throw new EksplanError(`Fn::Select index ${index} is out of range (the list has ${list.length})`, { input: ctx.file, field: where });
        return list[index];
      }
      return `\${Token[Select:${index}:${asString(list).replace(/[${}[\]]/g, '')}]}`;
    }
    case 'Fn::GetAZs':
      return [...ctx.availabilityZones];
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2) return bad('[delimiter, string]');
      return asString(resolve(arg[1], ctx, where, depth)).split(asString(arg[0]));
    }
    case 'Fn::Sub': {
      const [template, variables] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && typeof arg[0] === 'string' ? [arg[0], arg[1] ?? {}] : [undefined, undefined];
      if (template === undefined) return bad('a string or [string, {variables}]');
      const vars = resolve(variables, ctx, where, depth) as Record<string, unknown>;
      return template.replace(/\$\{(!?)([^}]+)\}/g, (_m, literal: string, name: string) => {
        if (literal) return `\${${name}}`;
        if (vars && name in vars) return asString(vars[name]);
        if (name.includes('.')) return getAttPlaceholder(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1));
        return asString(ref(name, ctx));
      });
    }
    case 'Fn::Base64':
      // Kept decoded: readers of user data want its text.
      return asString(resolve(arg, ctx, where, depth));
    case 'Fn::ImportValue':
      return `\${Token[Import:${asString(resolve(arg, ctx, where, depth))}]}`;
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg) || arg.length < 3) return bad('[map, topKey, secondKey]');
      const [map, top, second] = arg.slice(0, 3).map((a) => asString(resolve(a, ctx, where, depth)));
      const found = ctx.mappings[map]?.[top]?.[second];
      if (found === undefined) throw new EksplanError(`Fn::FindInMap: no ${map}.${top}.${second} in Mappings`, { input: ctx.file, field: where });
      return found;
    }
    case 'Fn::Cidr': {
      if (!Array.isArray(arg) || arg.length !== 3) return bad('[ipBlock, count, cidrBits]');
      const block = asString(resolve(arg[0], ctx, where, depth));
      const count = Number(resolve(arg[1], ctx, where, depth));
      const bits = Number(resolve(arg[2], ctx, where, depth));
      return cidrSubnets(block, count, bits) ?? Array.from({ length: Math.max(0, count) }, (_, i) => `\${Token[Cidr:${i}]}`);
    }
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3) return bad('[condition, valueIfTrue, valueIfFalse]');
      return resolve(condition(asString(arg[0]), ctx, where, depth) ? arg[1] : arg[2], ctx, where, depth);
    }
    case 'Fn::Equals': {
      if (!Array.isArray(arg) || arg.length !== 2) return bad('[a, b]');
      return JSON.stringify(resolve(arg[0], ctx, where, depth)) === JSON.stringify(resolve(arg[1], ctx, where, depth));
    }
    case 'Fn::And':
      return Array.isArray(arg) ? arg.every((a) => truthy(resolve(a, ctx, where, depth), ctx, where, depth)) : bad('a list of conditions');
    case 'Fn::Or':
      return Array.isArray(arg) ? arg.some((a) => truthy(resolve(a, ctx, where, depth), ctx, where, depth)) : bad('a list of conditions');
    case 'Fn::Not':
      return Array.isArray(arg) && arg.length === 1 ? !truthy(resolve(arg[0], ctx, where, depth), ctx, where, depth) : bad('[condition]');
    case 'Condition':
      return condition(asString(arg), ctx, where, depth);
    case 'Fn::ToJsonString':
      return JSON.stringify(resolve(arg, ctx, where, depth));
    case 'Fn::Length': {
      const list = resolve(arg, ctx, where, depth);
      return Array.isArray(list) ? list.length : bad('a list');
    }
    case 'Fn::Transform':
      return `\${Token[Transform]}`;
    default:
      throw new EksplanError(`unknown intrinsic function ${fn}`, { input: ctx.file, field: where });
  }
}

function truthy(value: unknown, ctx: ResolveContext, where: string, depth: number): boolean {
  if (typeof value === 'string' && value in ctx.conditions) return condition(value, ctx, where, depth);
  return value === true || value === 'true';
}

function condition(name: string, ctx: ResolveContext, where: string, depth: number): boolean {
  if (!(name in ctx.conditions)) throw new EksplanError(`condition '${name}' is not defined in Conditions`, { input: ctx.file, field: where });
  return truthy(resolve(ctx.conditions[name], ctx, where, depth + 1), ctx, where, depth + 1);
}

function ref(name: string, ctx: ResolveContext): unknown {
  switch (name) {
    case 'AWS::Region': return ctx.region;
    case 'AWS::AccountId': return ctx.account;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return ctx.stackName;
    case 'AWS::StackId': return `\${Token[Ref:AWS::StackId]}`;
    case 'AWS::NoValue': return NO_VALUE;
    case 'AWS::NotificationARNs': return [];
    default:
      break;
  }
  if (ctx.parameterValues !== undefined && Object.prototype.hasOwnProperty.call(ctx.parameterValues, name)) return ctx.parameterValues[name];
  if (name in ctx.parameters) {
    const parameter = ctx.parameters[name] as { Default?: unknown } | undefined;
    return parameter?.Default !== undefined ? parameter.Default : refPlaceholder(name);
  }
  return refPlaceholder(name);
}

/** Fn::Cidr: `count` subnets of `cidrBits` host bits carved from `block` (a /16 with bits 8 gives /24s). */
function cidrSubnets(block: string, count: number, bits: number): string[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block);
  if (!match || !Number.isInteger(count) || !Number.isInteger(bits) || count < 1 || count > 256 || bits < 2 || bits > 30) return undefined;
  const base = ((Number(match[1]) << 24) >>> 0) + (Number(match[2]) << 16) + (Number(match[3]) << 8) + Number(match[4]);
  const prefix = 32 - bits;
  if (prefix < Number(match[5])) return undefined;
  const size = 2 ** bits;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const address = base + i * size;
    out.push(`${[24, 16, 8, 0].map((s) => Math.floor(address / 2 ** s) % 256).join('.')}/${prefix}`);
  }
  return out;
}

import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { EksplanError } from '../simulation/model/errors';
import { validatePlatformSpec, type PlatformSpec } from './platform-spec';

// Reads a PlatformSpec from a .json, .yaml/.yml, .ts or .js file and validates it (schema, then semantics),
// so each form of the spec gets the same errors naming the file and the path in it.

export const SPEC_EXTENSIONS = ['.json', '.yaml', '.yml', '.ts', '.js', '.cjs'] as const;

/** The spec a file holds, validated. A .ts/.js module exports it as `spec` or `default`. */
export function loadPlatformSpec(file: string): PlatformSpec {
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved)) throw new EksplanError('no such file', { input: file });
  const extension = path.extname(resolved).toLowerCase();
  let value: unknown;
  switch (extension) {
    case '.json':
    case '.yaml':
    case '.yml': {
      const text = fs.readFileSync(resolved, 'utf8');
      try {
        value = extension === '.json' ? JSON.parse(text) : parseYaml(text);
      } catch (error) {
        throw new EksplanError(`not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, { input: file });
      }
      break;
    }
    case '.ts':
    case '.js':
    case '.cjs':
      value = specExport(requireModule(resolved, file), file);
      break;
    default:
      throw new EksplanError(`unknown spec file type '${extension}': give ${SPEC_EXTENSIONS.join(', ')}`, { input: file });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EksplanError(`must hold a PlatformSpec object (name, region, ...), got ${Array.isArray(value) ? 'an array' : String(value)}`, { input: file });
  }
  validatePlatformSpec(value as PlatformSpec, file);
  return value as PlatformSpec;
}

function requireModule(resolved: string, file: string): unknown {
  if (resolved.endsWith('.ts') && !require.extensions['.ts']) registerTypeScript(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as unknown;
}

/** A .ts spec from the compiled CLI or app (plain node): ts-node, when the project has it, transpiles it. */
function registerTypeScript(file: string): void {
  let tsNode: { register: (options: object) => unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tsNode = require(require.resolve('ts-node', { paths: [process.cwd(), __dirname] })) as typeof tsNode;
  } catch {
    throw new EksplanError('a .ts spec needs ts-node in the project (npm install --save-dev ts-node), or write the spec as .json or .yaml', { input: file });
  }
  tsNode.register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
}

function specExport(module: unknown, file: string): unknown {
  const exports = module as { spec?: unknown; default?: unknown };
  const spec = exports.spec ?? exports.default;
  if (spec === undefined) throw new EksplanError('export the platform as `export const spec: PlatformSpec = {...}` (or as the default export)', { input: file });
  return spec;
}

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EksplanError } from '../simulation/model/errors';

// What `eksplan plan` needs to synthesize: the AWS CDK CLI (`aws-cdk`, resolved from the user's project
// first, then from eksplan's own dependencies), the app to run, a temporary output directory that is removed
// afterwards, and a name for the platform that reports show instead of that directory.
//
// eksplan's own reference platform is synthesized in this process instead (the compiled app, as `cdk synth`
// would run it: same context, same assembly but for source paths in creation stack traces): starting the CLI,
// which starts ts-node for bin/app.ts, cost more than the app's own synthesis. A user's app (--app, or a cdk.json
// that is not this package's) always goes through the CLI in a child process: it may be any language, read its
// own settings, or exit the process.

/** The package root: one level above lib/ (sources) or two above dist/lib/ (compiled). */
export const PACKAGE_ROOT = path.basename(path.resolve(__dirname, '..')) === 'dist' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');

export interface CdkCli {
  /** The CLI's JavaScript entry point, run with this Node. */
  readonly entry: string;
  readonly version: string;
}

/**
 * The `cdk` CLI from the `aws-cdk` package: the one the user's project installs (so it matches their
 * aws-cdk-lib), else eksplan's own. Never a global `cdk` on PATH, whose version nobody chose.
 */
export function resolveCdkCli(searchFrom: readonly string[] = [process.cwd(), PACKAGE_ROOT]): CdkCli {
  for (const dir of searchFrom) {
    let manifest: string;
    try {
      manifest = require.resolve('aws-cdk/package.json', { paths: [dir] });
    } catch {
      continue;
    }
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string; bin?: string | Record<string, string> };
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.cdk;
    if (bin) return { entry: path.join(path.dirname(manifest), bin), version: pkg.version };
  }
  throw new EksplanError('eksplan plan synthesizes with the AWS CDK CLI, and no aws-cdk package is installed here: ' +
    'npm install --save-dev aws-cdk (a version at least as new as your aws-cdk-lib), or synthesize yourself and pass --assembly cdk.out', { input: 'aws-cdk' });
}

/**
 * The app and working directory to synthesize: `--app` in the current directory; else the current
 * directory's cdk.json; else eksplan's reference platform (this repository's cdk.json when run from a
 * checkout, the compiled app when installed from npm).
 */
export function appToSynthesize(app: string | undefined, cwd = process.cwd()): { app?: string; cwd: string; label: string } {
  if (app) return { app, cwd, label: `--app ${app}` };
  if (fs.existsSync(path.join(cwd, 'cdk.json'))) return { cwd, label: path.join(path.relative(process.cwd(), cwd) || '.', 'cdk.json') };
  if (fs.existsSync(path.join(PACKAGE_ROOT, 'cdk.json')) && fs.existsSync(path.join(PACKAGE_ROOT, 'bin', 'app.ts'))) return { cwd: PACKAGE_ROOT, label: 'eksplan reference platform' };
  const compiled = path.join(PACKAGE_ROOT, 'dist', 'bin', 'app.js');
  return { app: `"${process.execPath}" "${compiled}"`, cwd, label: 'eksplan reference platform' };
}

/**
 * Synthesizes into a fresh temporary directory; the caller removes it (`removeSynthDir`). The reference
 * platform in this process (`referenceAppModule`), anything else with `cdk synth` in a child process.
 */
export function synthesizeToTemp(appOption: string | undefined, context: readonly string[], options: { readonly inProcess?: boolean } = {}): { dir: string; label: string } {
  const target = appToSynthesize(appOption);
  const reference = options.inProcess === false ? undefined : referenceAppModule(appOption, target.cwd, context);
  if (reference === undefined && options.inProcess === true) throw new EksplanError('only eksplan\'s own reference platform is synthesized in-process', { input: target.label });
  const cli = reference === undefined ? resolveCdkCli() : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-synth-'));
  try {
    if (reference !== undefined) synthesizeReference(reference, target.cwd, context, dir, target.label);
    else synthesizeWithCli(cli as CdkCli, target, context, dir);
  } catch (error) {
    removeSynthDir(dir);
    throw error;
  }
  return { dir, label: target.label };
}

function synthesizeWithCli(cli: CdkCli, target: { app?: string; cwd: string; label: string }, context: readonly string[], dir: string): void {
  const args = ['synth', '--quiet', '--output', dir, ...(target.app ? ['--app', target.app] : []), ...context.flatMap((c) => ['--context', c])];
  process.stderr.write(`eksplan: cdk ${args.join(' ')} (aws-cdk ${cli.version})\n`);
  const run = spawnSync(process.execPath, [cli.entry, ...args], {
    cwd: target.cwd, stdio: ['ignore', 'inherit', 'inherit'],
    // plan is about capacity and cost: aws-cdk-lib's template validation (half the synth time) is left to
    // `cdk synth` and `eksplan validate`, unless CDK_VALIDATION is set.
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false' },
  });
  if (run.error) throw new EksplanError(`could not run cdk synth: ${run.error.message}`, { input: target.label });
  if (run.status !== 0) throw new EksplanError(`cdk synth failed with exit status ${run.status}; see its output above`, { input: target.label });
}

/** The cdk.json `app` of this repository: the reference platform, run by ts-node. */
export const REFERENCE_APP_COMMAND = 'node -r ts-node/register/transpile-only bin/app.ts';

/** cdk.json keys the in-process synth honours; any other (build, versionReporting, staging, ...) means the CLI. */
const IN_PROCESS_CDK_JSON_KEYS = new Set(['app', 'output', 'watch', 'context']);

/**
 * The module of eksplan's reference app to synthesize in this process (bin/app beside the running code:
 * dist/bin/app.js compiled, bin/app.ts under ts-node or jest), or undefined when the CLI must run the app:
 * - `--app` was given (a user's command), or the cdk.json that `cdk synth` would read is not this package's
 *   (its `app` is not REFERENCE_APP_COMMAND, or it has keys that change how the CLI synthesizes);
 * - ~/.cdk.json exists (the CLI merges its context and settings);
 * - the running code is compiled and a module the app loads is older than its source (compiledIsCurrent).
 */
export function referenceAppModule(appOption: string | undefined, cwd: string, context: readonly string[] = [], home = os.homedir()): string | undefined {
  if (appOption !== undefined) return undefined;
  if (fs.existsSync(path.join(home, '.cdk.json'))) return undefined;
  const cdkJson = path.join(cwd, 'cdk.json');
  const compiledApp = path.join(PACKAGE_ROOT, 'dist', 'bin', 'app.js');
  const running = path.resolve(__dirname, '..', 'bin', 'app');
  if (fs.existsSync(cdkJson)) {
    if (!sameDirectory(cwd, PACKAGE_ROOT)) return undefined;
    let config: unknown;
    try {
      config = JSON.parse(fs.readFileSync(cdkJson, 'utf8'));
    } catch {
      return undefined; // the CLI reports it
    }
    if (!isReferenceCdkJson(config)) return undefined;
    const gate = context.some((c) => c.startsWith('eksplan:scenario=')) || (config as { context?: Record<string, unknown> }).context?.['eksplan:scenario'] !== undefined;
    if (path.extname(__filename) === '.js' && !compiledIsCurrent(running, gate)) return undefined;
    return running;
  }
  // Installed from npm (no checkout beside it): the compiled app, which appToSynthesize hands to the CLI otherwise.
  if (fs.existsSync(path.join(PACKAGE_ROOT, 'bin', 'app.ts')) || !fs.existsSync(compiledApp)) return undefined;
  return path.extname(__filename) === '.js' ? running : undefined;
}

/** A cdk.json whose `app` is the reference platform and that sets nothing the in-process synth does not honour. */
export function isReferenceCdkJson(config: unknown): boolean {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return false;
  const entries = config as Record<string, unknown>;
  return entries.app === REFERENCE_APP_COMMAND && Object.keys(entries).every((key) => IN_PROCESS_CDK_JSON_KEYS.has(key));
}

function sameDirectory(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Every module the compiled app loads (its require tree under dist/; all of simulation/ too when the eksplan
 * gate runs in the synth) is at least as new as its source .ts: else the CLI's ts-node would synthesize newer
 * code than this process would.
 */
function compiledIsCurrent(appModule: string, withSimulation: boolean): boolean {
  const dist = path.join(PACKAGE_ROOT, 'dist') + path.sep;
  const newer = (compiled: string): boolean => {
    const source = path.join(PACKAGE_ROOT, path.relative(dist, compiled)).replace(/\.js$/, '.ts');
    try {
      return fs.existsSync(source) && fs.statSync(source).mtimeMs > fs.statSync(compiled).mtimeMs;
    } catch {
      return true;
    }
  };
  let entry: string;
  try {
    entry = require.resolve(appModule);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading is what tells which modules the app uses
    require(entry);
  } catch {
    return false; // the CLI runs the app and reports what is wrong with it
  }
  const seen = new Set<string>();
  const pending = [require.cache[entry]];
  while (pending.length > 0) {
    const module = pending.pop();
    if (module === undefined || seen.has(module.filename) || !module.filename.startsWith(dist)) continue;
    seen.add(module.filename);
    pending.push(...module.children);
  }
  if ([...seen].some(newer)) return false;
  if (!withSimulation) return true;
  // Sources that exist only as .ts (a new file not yet compiled) count as newer.
  const stale = (dir: string): boolean => fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return stale(file);
    if (!e.isFile() || !e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) return false;
    const compiled = path.join(dist, path.relative(PACKAGE_ROOT, file)).replace(/\.ts$/, '.js');
    return !fs.existsSync(compiled) || newer(compiled);
  });
  return !stale(path.join(PACKAGE_ROOT, 'simulation'));
}

/**
 * The context `cdk synth` gives the app (aws-cdk toolkit-lib, lib/api/cloud-assembly/environment.ts
 * contextFromSettings, and lib/cli/user-configuration.ts for the order): `--context` over cdk.json's context over
 * cdk.context.json, then the settings' defaults (path and asset metadata, version reporting, bundling every stack).
 * Validation errors fail the synth here (the CLI asks the app to write them to a report it then reads).
 */
export function cliContext(cwd: string, assignments: readonly string[]): Record<string, unknown> {
  const readContext = (file: string, key?: string): Record<string, unknown> => {
    if (!fs.existsSync(file)) return {};
    let value: unknown;
    try {
      value = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new EksplanError(`not valid JSON: ${(error as Error).message.split('\n')[0]}`, { input: file });
    }
    const bag = key === undefined ? value : (value as Record<string, unknown> | null)?.[key];
    return bag !== null && typeof bag === 'object' && !Array.isArray(bag) ? (bag as Record<string, unknown>) : {};
  };
  const given: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals < 0) {
      process.stderr.write(`eksplan: --context ${assignment} is not an assignment (key=value); ignored, as cdk synth does\n`);
      continue;
    }
    const key = assignment.slice(0, equals);
    if (/^aws:.+/.test(key)) throw new EksplanError(`context keys prefixed with 'aws:' are reserved for the CDK, got ${key}`, { input: assignment, field: '--context' });
    given[key] = assignment.slice(equals + 1);
  }
  return {
    ...readContext(path.join(cwd, 'cdk.context.json')),
    ...readContext(path.join(cwd, 'cdk.json'), 'context'),
    ...given,
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:version-reporting': true,
    'aws:cdk:bundling-stacks': ['**'],
  };
}

/** Environment variables the CLI sets or replaces for its app, unset (or defaulted) around the in-process synth. */
const SYNTH_ENVIRONMENT = ['CDK_CONTEXT_JSON', 'CDK_OUTDIR', 'CDK_ERROR_FILE', 'CDK_PERF_COUNTERS_FILE', 'CDK_VALIDATION'] as const;

interface SynthesisMessage { readonly level: string; readonly id: string; readonly entry: { readonly data?: unknown } }

function synthesizeReference(appModule: string, cwd: string, assignments: readonly string[], dir: string, label: string): void {
  const context = cliContext(cwd, assignments);
  const saved = Object.fromEntries(SYNTH_ENVIRONMENT.map((name) => [name, process.env[name]]));
  const before = process.cwd();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- aws-cdk-lib only for the commands that synthesize
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  process.stderr.write(`eksplan: synthesizing the reference platform in this process (aws-cdk-lib ${cdkLibVersion()}, CDK_VALIDATION=${process.env.CDK_VALIDATION ?? 'false'})\n`);
  let messages: SynthesisMessage[];
  try {
    for (const name of SYNTH_ENVIRONMENT) delete process.env[name];
    // As synthesizeWithCli: aws-cdk-lib's template validation stays off unless CDK_VALIDATION says otherwise.
    process.env.CDK_VALIDATION = saved.CDK_VALIDATION ?? 'false';
    // The app resolves its relative inputs (-c eksplan:spec=./spec.yaml) where the CLI would run it.
    if (!sameDirectory(cwd, before)) process.chdir(cwd);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app beside the running code, by path
    const { buildApp } = require(appModule) as { buildApp: (app: InstanceType<typeof cdk.App>) => InstanceType<typeof cdk.App> };
    const assembly = buildApp(new cdk.App({ outdir: dir, context })).synth();
    messages = assembly.stacksRecursively.flatMap((stack) => stack.messages as SynthesisMessage[]);
  } catch (error) {
    if (error instanceof EksplanError) throw error;
    const text = error instanceof Error ? error.message : String(error);
    // A validation report is many lines: shown as is, like the CLI's child would show it.
    if (text.includes('\n')) {
      process.stderr.write(`${text}\n`);
      throw new EksplanError('cdk synth failed; see its output above', { input: label });
    }
    throw new EksplanError(`cdk synth failed: ${text}`, { input: label });
  } finally {
    for (const name of SYNTH_ENVIRONMENT) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    if (process.cwd() !== before) process.chdir(before);
  }
  // Annotations as `cdk synth` prints them; an error annotation fails the synth as it does there.
  for (const message of messages) {
    const level = message.level === 'error' ? 'Error' : message.level === 'warning' ? 'Warning' : 'Info';
    process.stderr.write(`[${level} at ${message.id}] ${typeof message.entry.data === 'string' ? message.entry.data : JSON.stringify(message.entry.data)}\n`);
  }
  if (messages.some((m) => m.level === 'error')) throw new EksplanError('cdk synth found errors (listed above)', { input: label });
}

function cdkLibVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Removes a directory synthesizeToTemp made (only those: the name must be an eksplan-synth- temp dir). */
export function removeSynthDir(dir: string): void {
  if (path.dirname(path.resolve(dir)) === path.resolve(os.tmpdir()) && path.basename(dir).startsWith('eksplan-synth-')) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How reports name a synthesized platform: its stack (the one with the EKS cluster, or --stack) and the app,
 * e.g. `ReferencePlatform (cdk.json)`, instead of the temporary directory it was written to.
 */
export function platformLabel(dir: string, appLabel: string, stack?: string): string {
  if (stack) return `${stack} (${appLabel})`;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }> };
    const stacks = Object.entries(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
    const withCluster = stacks.filter(([, a]) => {
      const file = a.properties?.templateFile;
      return file !== undefined && fs.readFileSync(path.join(dir, file), 'utf8').includes('"AWS::EKS::Cluster"');
    });
    const names = (withCluster.length > 0 ? withCluster : stacks).map(([name]) => name);
    if (names.length > 0) return `${names.join(', ')} (${appLabel})`;
  } catch {
    // an unreadable assembly is reported by the loader, with its path
  }
  return appLabel;
}

/**
 * The assembly `check`, `validate` and `compare` read when none is given: `./cdk.out` when `cdk synth` (or
 * `npm run synth`) wrote one here, else a fresh synth of the same app `plan` synthesizes (removed afterwards).
 * Says which on stderr.
 */
export function withDefaultAssembly<T>(given: string | undefined, run: (dir: string, origin?: string) => T): T {
  if (given !== undefined) return run(given);
  const local = path.resolve('cdk.out');
  if (fs.existsSync(path.join(local, 'manifest.json'))) {
    process.stderr.write(`eksplan: reading ./cdk.out (written by cdk synth on ${fs.statSync(path.join(local, 'manifest.json')).mtime.toISOString()}); give a path to read another assembly\n`);
    return run(local);
  }
  process.stderr.write('eksplan: no ./cdk.out here: synthesizing the app as plan does (give a path to read an existing assembly)\n');
  const synth = synthesizeToTemp(undefined, []);
  try {
    return run(synth.dir, platformLabel(synth.dir, synth.label));
  } finally {
    removeSynthDir(synth.dir);
  }
}

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EksplanError } from '../simulation/model/errors';

// What `eksplan plan` needs to synthesize: the AWS CDK CLI (`aws-cdk`, resolved from the user's project
// first, then from eksplan's own dependencies), the app to run, a temporary output directory that is removed
// afterwards, and a name for the platform that reports show instead of that directory.

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

/** Runs `cdk synth` into a fresh temporary directory; the caller removes it (`removeSynthDir`). */
export function synthesizeToTemp(appOption: string | undefined, context: readonly string[]): { dir: string; label: string } {
  const cli = resolveCdkCli();
  const target = appToSynthesize(appOption);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-synth-'));
  const args = ['synth', '--quiet', '--output', dir, ...(target.app ? ['--app', target.app] : []), ...context.flatMap((c) => ['--context', c])];
  process.stderr.write(`eksplan: cdk ${args.join(' ')} (aws-cdk ${cli.version})\n`);
  const run = spawnSync(process.execPath, [cli.entry, ...args], {
    cwd: target.cwd, stdio: ['ignore', 'inherit', 'inherit'],
    // plan is about capacity and cost: aws-cdk-lib's template validation (half the synth time) is left to
    // `cdk synth` and `eksplan validate`, unless CDK_VALIDATION is set.
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false' },
  });
  if (run.error || run.status !== 0) {
    removeSynthDir(dir);
    if (run.error) throw new EksplanError(`could not run cdk synth: ${run.error.message}`, { input: target.label });
    throw new EksplanError(`cdk synth failed with exit status ${run.status}; see its output above`, { input: target.label });
  }
  return { dir, label: target.label };
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

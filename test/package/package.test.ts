import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as eksplan from '../../index';
import * as simulation from '../../simulation';

// The npm package: what `npm pack` ships (dist and the bundled scenario, never tests, CI or the bench), the
// entry points the exports map names, and peer dependencies on the CDK libraries so an app keeps one copy.
// scripts/check-package.sh installs the packed tarball into a clean directory and synthesizes the example.

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  private?: boolean; main: string; types: string; bin: Record<string, string>; files: string[];
  exports: Record<string, string | { types: string; default: string }>; scripts: Record<string, string>;
  dependencies: Record<string, string>; devDependencies: Record<string, string>; peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

describe('package.json', () => {
  it('is publishable, with main, types and a compiled bin', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(pkg.bin).toEqual({ eksplan: 'dist/bin/eksplan.js' });
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.start).toBe('node dist/bin/eksplan.js plan');
  });

  it.each([
    ['.', 'index.ts'],
    ['./simulation', 'simulation/index.ts'],
  ])('exports %s from the compiled %s', (entry, source) => {
    const target = pkg.exports[entry] as { types: string; default: string };
    expect(target.default).toBe(`./dist/${source.replace(/\.ts$/, '.js')}`);
    expect(target.types).toBe(`./dist/${source.replace(/\.ts$/, '.d.ts')}`);
    expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
  });

  it.each(['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-28'])('has %s as a peer dependency (one copy in the app), pinned for development', (name) => {
    expect(pkg.dependencies[name]).toBeUndefined();
    expect(pkg.peerDependencies[name]).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies[name]).toMatch(/^\d+\.\d+\.\d+$/);
    // The pinned development version is inside the peer range's major.
    expect(pkg.devDependencies[name].split('.')[0]).toBe(pkg.peerDependencies[name].slice(1).split('.')[0]);
  });

  it('accepts aws-cdk-lib from 2.268.0, the first release whose aws-eks-v2 exports its L1s (aws/aws-cdk#37640; V1_36 came in 2.263.0)', () => {
    expect(pkg.peerDependencies['aws-cdk-lib']).toBe('^2.268.0');
  });

  it('has the cdk CLI as an optional peer: plan needs it, the constructs do not', () => {
    expect(pkg.peerDependencies['aws-cdk']).toBeDefined();
    expect(pkg.peerDependenciesMeta['aws-cdk']).toEqual({ optional: true });
  });
});

describe('npm pack', () => {
  const listing = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { files: { path: string }[] }[];
  const files = listing[0].files.map((f) => f.path);

  it('ships no tests, CI scripts, bench, examples or sources outside dist', () => {
    expect(files.filter((f) => /^(test|\.ci|bench|examples|scripts)\//.test(f) || /^dist\/(test|bench)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('ships the bundled scenario and the README', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'simulation/engine/scenarios/reference.yaml']));
  });
});

describe('entry points', () => {
  it('the root exports the constructs and the platform', () => {
    for (const name of ['EksVpc', 'EksCluster', 'ManagedNodeGroup', 'Karpenter', 'NodePool', 'Ec2NodeClass', 'IrsaServiceAccount', 'PodIdentityRole',
      'CoreAddons', 'WebService', 'Worker', 'StatefulService', 'EksPlatformStack', 'EksplanValidationPlugin', 'validatePlatformSpec'] as const) {
      expect(typeof (eksplan as Record<string, unknown>)[name]).toBe('function');
    }
    expect(eksplan.referencePlatform.name).toBe('reference');
  });

  it('eksplan/simulation exports the public simulation API and the PR diff', () => {
    for (const name of ['loadAssembly', 'plan', 'simulate', 'render', 'diffPlans', 'renderPlanDiff', 'maxPods'] as const) {
      expect(typeof (simulation as Record<string, unknown>)[name]).toBe('function');
    }
  });
});

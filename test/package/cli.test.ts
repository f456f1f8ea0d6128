import { DescribeAddonVersionsCommand, EKSClient } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../bin/eksplan';
import { appToSynthesize, platformLabel, removeSynthDir, resolveCdkCli, withDefaultAssembly } from '../../lib/synth';

// The CLI as a newcomer meets it: parsing (the root --version never swallows a command's), start-up without
// loading what a command does not need, inputs checked before the synth, and the synth's clean-up.

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'assemblies', 'ok-nested-self-managed');

async function run(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err.push(String(chunk)); return true; });
  const before = process.cwd();
  try {
    if (cwd) process.chdir(cwd);
    return { code: await main(args), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(before);
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('eksplan --version and addons pin --version', () => {
  const eks = mockClient(EKSClient);
  afterAll(() => eks.restore());

  it('prints the package version on the root', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it.each([['--version'], ['--kubernetes-version']])('passes addons pin %s to pin, not to the root', async (flag) => {
    // Before: `addons pin --version 1.x4` printed 0.1.0 and exited 0.
    const result = await run(['addons', 'pin', flag, '1.x4']);
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain('0.1.0');
    expect(result.stderr).toContain("invalid Kubernetes version '1.x4': expected 1.NN");
  });

  it('pins the versions EKS reports into the file given', async () => {
    eks.on(DescribeAddonVersionsCommand).callsFake((input: { addonName: string }) => ({
      addons: [{ addonName: input.addonName, addonVersions: [{ addonVersion: 'v1.2.0-eksbuild.1', compatibilities: [{ clusterVersion: '1.34', defaultVersion: true }] }] }],
    }));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-pin-')), 'versions.json');
    const result = await run(['addons', 'pin', '--version', '1.34', '--region', 'us-east-1', '--file', file]);
    expect(result.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))['1.34']['vpc-cni']).toBe('v1.2.0-eksbuild.1');
  });
});

describe('start-up', () => {
  it('loads no command module, simulation or AWS SDK for --help', () => {
    // A child Node (jest's module registry is not Node's): what --help required, by path.
    const script = "require('./bin/eksplan').main(['--help']).then(() => { process.stdout.write(JSON.stringify(Object.keys(require.cache))); });";
    const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const loaded = JSON.parse(output.slice(output.indexOf('["'))) as string[];
    const ours = loaded.filter((file) => !file.includes('node_modules')).map((file) => path.relative(ROOT, file)).sort();
    expect(ours).toContain('bin/eksplan.ts');
    expect(ours.filter((file) => file.startsWith('bin/commands/') && file !== 'bin/commands/exit.ts')).toEqual([]);
    expect(ours.filter((file) => /^(simulation|constructs)\//.test(file) && file !== 'simulation/model/errors.ts')).toEqual([]);
    expect(loaded.filter((file) => /@aws-sdk|aws-cdk-lib|[/\\]yaml[/\\]/.test(file))).toEqual([]);
  }, 120_000);
});

describe('plan inputs', () => {
  it('reports a mistyped --scenario before synthesizing', async () => {
    const result = await run(['plan', '--scenario', 'no-such-scenario.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-scenario.yaml: --scenario: no such scenario file');
    expect(result.stderr).not.toContain('cdk synth');
  });

  it('reports a missing --baseline before synthesizing', async () => {
    const result = await run(['plan', '--baseline', 'no-such-base.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-base.json: cannot read the plan report');
    expect(result.stderr).not.toContain('cdk synth');
  });
});

describe('synthesis helpers', () => {
  it('finds the aws-cdk CLI installed with the project', () => {
    const cli = resolveCdkCli([ROOT]);
    expect(fs.existsSync(cli.entry)).toBe(true);
    expect(cli.version).toMatch(/^2\./);
  });

  it('fails with how to get the CLI when aws-cdk is not installed (was: spawnSync cdk ENOENT)', () => {
    expect(() => resolveCdkCli([os.tmpdir()])).toThrow('aws-cdk: eksplan plan synthesizes with the AWS CDK CLI, and no aws-cdk package is installed here: npm install --save-dev aws-cdk');
  });

  it('synthesizes --app in the current directory, else its cdk.json, else the reference platform', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-empty-'));
    expect(appToSynthesize('node app.js', empty)).toEqual({ app: 'node app.js', cwd: empty, label: '--app node app.js' });
    expect(appToSynthesize(undefined, ROOT)).toEqual({ cwd: ROOT, label: 'cdk.json' });
    expect(appToSynthesize(undefined, empty)).toMatchObject({ cwd: ROOT, label: 'eksplan reference platform' });
  });

  it('removes only its own temporary synth directories', () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-synth-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'keep-me-'));
    removeSynthDir(own);
    removeSynthDir(other);
    expect(fs.existsSync(own)).toBe(false);
    expect(fs.existsSync(other)).toBe(true);
  });

  it('names a synthesized platform by its stack and app, not by the temporary path', () => {
    expect(platformLabel(FIXTURE, 'cdk.json')).toBe('Parent (cdk.json)');
    expect(platformLabel(FIXTURE, 'cdk.json', 'Other')).toBe('Other (cdk.json)');
  });

  it('defaults check, validate and compare to ./cdk.out when cdk synth wrote one', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-project-'));
    fs.cpSync(FIXTURE, path.join(project, 'cdk.out'), { recursive: true });
    const before = process.cwd();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.chdir(project);
      expect(withDefaultAssembly(undefined, (dir, origin) => ({ dir, origin }))).toEqual({ dir: fs.realpathSync(path.join(project, 'cdk.out')), origin: undefined });
      expect(withDefaultAssembly('elsewhere', (dir) => dir)).toBe('elsewhere');
      expect(String(stderr.mock.calls[0][0])).toContain('reading ./cdk.out');
    } finally {
      process.chdir(before);
      stderr.mockRestore();
    }
  });
});

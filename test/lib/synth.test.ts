import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cliContext, isReferenceCdkJson, referenceAppModule, REFERENCE_APP_COMMAND, synthesizeToTemp } from '../../lib/synth';

// When `eksplan plan` synthesizes in its own process (eksplan's reference platform) and when it hands the app to
// the cdk CLI (anything else), and the context the in-process synth gives the app: what `cdk synth` gives it.

const ROOT = path.resolve(__dirname, '..', '..');

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('referenceAppModule: in-process only for eksplan\'s own reference app', () => {
  it('synthesizes this repository\'s cdk.json app in-process, from the app beside the running code', () => {
    expect(referenceAppModule(undefined, ROOT)).toBe(path.join(ROOT, 'bin', 'app'));
  });

  it('hands --app to the CLI, even in this repository', () => {
    expect(referenceAppModule(REFERENCE_APP_COMMAND, ROOT)).toBeUndefined();
  });

  it('hands a user\'s own cdk.json to the CLI, even when its app command reads the same', () => {
    const project = tempDir('eksplan-project-');
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: REFERENCE_APP_COMMAND }));
    expect(referenceAppModule(undefined, project)).toBeUndefined();
  });

  it('hands the app to the CLI when ~/.cdk.json exists (the CLI merges its context and settings)', () => {
    const home = tempDir('eksplan-home-');
    fs.writeFileSync(path.join(home, '.cdk.json'), JSON.stringify({ context: { key: 'value' } }));
    expect(referenceAppModule(undefined, ROOT, [], home)).toBeUndefined();
    expect(referenceAppModule(undefined, ROOT, [], tempDir('eksplan-home-'))).toBe(path.join(ROOT, 'bin', 'app'));
  });

  it.each([
    ['this repository\'s cdk.json', JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as unknown, true],
    ['another app', { app: 'npx ts-node bin/my-app.ts', context: {} }, false],
    ['a build step the CLI runs first', { app: REFERENCE_APP_COMMAND, build: 'npm run build' }, false],
    ['versionReporting off (changes the template)', { app: REFERENCE_APP_COMMAND, versionReporting: false }, false],
    ['asset staging off', { app: REFERENCE_APP_COMMAND, staging: false }, false],
    ['not an object', [REFERENCE_APP_COMMAND], false],
  ])('isReferenceCdkJson: %s -> %s', (_name, config, expected) => {
    expect(isReferenceCdkJson(config)).toBe(expected);
  });
});

describe('cliContext: the context cdk synth would give the app', () => {
  it('puts --context over cdk.json over cdk.context.json, then the CLI\'s settings defaults', () => {
    const project = tempDir('eksplan-context-');
    fs.writeFileSync(path.join(project, 'cdk.context.json'), JSON.stringify({ cached: 'lookup', shared: 'from cdk.context.json' }));
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'x', context: { flag: true, shared: 'from cdk.json', given: 'from cdk.json' } }));
    expect(cliContext(project, ['given=from --context', 'eksplan:spec=a=b.yaml'])).toEqual({
      cached: 'lookup', shared: 'from cdk.json', flag: true,
      // Command-line values are strings, split at the first '=' (aws-cdk parseStringContextListToObject).
      given: 'from --context', 'eksplan:spec': 'a=b.yaml',
      'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:version-reporting': true, 'aws:cdk:bundling-stacks': ['**'],
    });
  });

  it('fails when a --context key uses the reserved aws: prefix, as the CLI does', () => {
    expect(() => cliContext(ROOT, ['aws:cdk:enable-path-metadata=false'])).toThrow("context keys prefixed with 'aws:' are reserved for the CDK, got aws:cdk:enable-path-metadata");
  });

  it('ignores a --context that is not an assignment, with a warning, as the CLI does', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(cliContext(tempDir('eksplan-context-'), ['novalue'])).not.toHaveProperty('novalue');
      expect(String(stderr.mock.calls[0][0])).toContain('--context novalue is not an assignment');
    } finally {
      stderr.mockRestore();
    }
  });

  it('fails naming cdk.context.json when it is not JSON', () => {
    const project = tempDir('eksplan-context-');
    fs.writeFileSync(path.join(project, 'cdk.context.json'), '{ not json');
    expect(() => cliContext(project, [])).toThrow(/cdk\.context\.json: not valid JSON/);
  });
});

describe('synthesizeToTemp in-process', () => {
  const synthDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('eksplan-synth-'));

  it('fails on a bad spec naming the file, restores the environment and leaves no temporary directory', () => {
    const before = synthDirs();
    const saved = { CDK_VALIDATION: process.env.CDK_VALIDATION, CDK_CONTEXT_JSON: process.env.CDK_CONTEXT_JSON };
    delete process.env.CDK_VALIDATION;
    process.env.CDK_CONTEXT_JSON = '{"eksplan:spec":"./ignored.yaml"}';
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => synthesizeToTemp(undefined, ['eksplan:spec=./no-such-spec.yaml'], { inProcess: true })).toThrow('no-such-spec.yaml: no such file');
      expect(process.env.CDK_VALIDATION).toBeUndefined();
      expect(process.env.CDK_CONTEXT_JSON).toBe('{"eksplan:spec":"./ignored.yaml"}');
      expect(synthDirs()).toEqual(before);
    } finally {
      stderr.mockRestore();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }, 300_000);

  it('refuses in-process for --app (a user\'s app runs in the CLI\'s child process)', () => {
    expect(() => synthesizeToTemp('node app.js', [], { inProcess: true })).toThrow("--app node app.js: only eksplan's own reference platform is synthesized in-process");
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { createGenerator } from 'ts-json-schema-generator';
import { validatePlatformSpec, type PlatformSpec } from '../../lib/platform-spec';
import { referencePlatform } from '../../lib/reference';
import { loadPlatformSpec } from '../../lib/spec-load';
import { closest, levenshtein, specProblems } from '../../lib/spec-schema';

// A PlatformSpec is checked at run time against the JSON schema generated from its TypeScript type, whatever
// form it comes in (.ts, .json, .yaml): unknown keys, wrong types and values outside a union are errors that
// name the path, with a "did you mean" for near-misses.

const ROOT = path.resolve(__dirname, '..', '..');

function mutated(edit: (spec: Record<string, any>) => void): unknown { // eslint-disable-line @typescript-eslint/no-explicit-any
  const copy = JSON.parse(JSON.stringify(referencePlatform)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  edit(copy);
  return copy;
}

describe('the committed JSON schema', () => {
  it('is the one generated from the PlatformSpec type (run npm run spec:schema after changing the type)', () => {
    const generated = createGenerator({ path: path.join(ROOT, 'lib', 'platform-spec.ts'), type: 'PlatformSpec', skipTypeCheck: true }).createSchema('PlatformSpec');
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'lib', 'platform-spec.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  }, 600_000);
});

describe('specProblems', () => {
  it('finds none in the reference platform', () => {
    expect(specProblems(referencePlatform)).toEqual([]);
  });

  it.each([
    ['a misspelled workload field (the HPA would silently disappear)', (s: Record<string, any>) => { s.workloads[0].autoscalling = s.workloads[0].autoscaling; delete s.workloads[0].autoscaling; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'workloads[0].autoscalling', "unknown field; did you mean 'autoscaling'?"],
    ['a misspelled network field', (s: Record<string, any>) => { s.network.expectedPod = 2000; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'network.expectedPod', "unknown field; did you mean 'expectedPods'? (allowed: "],
    ['an unknown top-level field far from any other', (s: Record<string, any>) => { s.colour = 'blue'; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'colour', 'unknown field (allowed: '],
    ['a string where a number goes', (s: Record<string, any>) => { s.nodeGroups[0].minSize = '3'; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'nodeGroups[0].minSize', 'must be a number, got string "3"'],
    ['a value outside a union', (s: Record<string, any>) => { s.cluster.endpointAccess = 'privat'; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'cluster.endpointAccess', `must be one of "public-and-private", "private", got string "privat"; did you mean 'private'?`],
    ['an unknown workload kind', (s: Record<string, any>) => { s.workloads[1].kind = 'wroker'; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'workloads[1].kind', `unknown kind string "wroker": must be one of 'web', 'worker', 'stateful'; did you mean 'worker'?`],
    ['a field of another workload kind', (s: Record<string, any>) => { s.workloads[1].storage = '10Gi'; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'workloads[1].storage', 'unknown field'],
    ['a missing required field', (s: Record<string, any>) => { delete s.workloads[0].image; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'workloads[0]', "missing required field 'image'"],
    ['an array where an object goes', (s: Record<string, any>) => { s.network = []; }, // eslint-disable-line @typescript-eslint/no-explicit-any
      'network', 'must be an object, got an array'],
  ])('reports %s', (_name, edit, at, message) => {
    const problems = specProblems(mutated(edit));
    expect(problems).toContainEqual({ path: at, message: expect.stringContaining(message) });
  });

  it('ignores members left undefined by a spread (no such value in JSON)', () => {
    expect(specProblems({ ...referencePlatform, availabilityZones: undefined })).toEqual([]);
  });
});

describe('validatePlatformSpec', () => {
  it('fails on an unknown key before any semantic check, naming the source and path', () => {
    const spec = mutated((s) => { s.network.expectedPod = 2000; }) as PlatformSpec;
    expect(() => validatePlatformSpec(spec, 'my-platform.ts')).toThrow("my-platform.ts: network.expectedPod: unknown field; did you mean 'expectedPods'?");
  });

  it('lists every problem in one message when there are several', () => {
    const spec = mutated((s) => { s.network.expectedPod = 2000; s.workloads[0].autoscalling = {}; }) as PlatformSpec;
    expect(() => validatePlatformSpec(spec, 'x.yaml')).toThrow(/^x\.yaml: 2 problems: network\.expectedPod: unknown field; did you mean 'expectedPods'\?.*; workloads\[0\]\.autoscalling: unknown field; did you mean 'autoscaling'\?/);
  });
});

describe('loadPlatformSpec', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-spec-'));
  const typo = mutated((s) => { s.workloads[0].autoscalling = s.workloads[0].autoscaling; delete s.workloads[0].autoscaling; });
  const files: Record<string, string> = {
    'typo.json': JSON.stringify(typo, null, 2),
    'typo.yaml': stringify(typo),
    'typo.ts': `export const spec = ${JSON.stringify(typo)};\n`,
    'good.yaml': stringify(referencePlatform),
    'good.ts': `export default ${JSON.stringify(referencePlatform)};\n`,
    'empty.ts': 'export const other = 1;\n',
    'list.yaml': '- name: a\n',
    'broken.yaml': 'name: [unclosed\n',
    'spec.toml': 'name = "a"\n',
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);

  it.each(['typo.json', 'typo.yaml', 'typo.ts'])('gives the same error for %s, naming the file and the path', (name) => {
    expect(() => loadPlatformSpec(path.join(dir, name))).toThrow(`${path.join(dir, name)}: workloads[0].autoscalling: unknown field; did you mean 'autoscaling'?`);
  });

  it.each(['good.yaml', 'good.ts'])('loads %s', (name) => {
    expect(loadPlatformSpec(path.join(dir, name))).toEqual(referencePlatform);
  });

  it.each([
    ['empty.ts', 'export the platform as `export const spec: PlatformSpec = {...}`'],
    ['list.yaml', 'must hold a PlatformSpec object'],
    ['broken.yaml', 'not valid YAML'],
    ['spec.toml', "unknown spec file type '.toml'"],
    ['missing.json', 'no such file'],
  ])('fails on %s', (name, message) => {
    expect(() => loadPlatformSpec(path.join(dir, name))).toThrow(message);
  });
});

describe('closest (did you mean)', () => {
  it.each([
    ['autoscalling', ['autoscaling', 'replicas'], 'autoscaling'],
    ['expectedPod', ['cidr', 'expectedPods'], 'expectedPods'],
    ['Replicas', ['replicas'], 'replicas'],
    ['colour', ['name', 'region', 'network'], undefined],
    ['x', ['y', 'z'], undefined],
  ] as const)('%s among %j → %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it.each([['kitten', 'sitting', 3], ['', 'abc', 3], ['flaw', 'lawn', 2], ['same', 'same', 0]] as const)('levenshtein(%s, %s) = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAssembly, loadManifests } from '../../../simulation/assembly';
import { EksplanError } from '../../../simulation/model';

// Bad input never breaks the reader: a template whose values are replaced at random (seeded, so the cases are
// the same on every run) loads or fails with an EksplanError, never with another exception.
const SOURCE = path.join(__dirname, '..', '..', 'fixtures', 'assemblies', 'ok-nested-self-managed');
const WEIRD: unknown[] = [null, '', 'x', 7, -1, 1e308, [], {}, [1, 'a'], { a: null }, true, 'false', '${Token[Ref:X]}',
  { Ref: 'Nope' }, { 'Fn::GetAtt': ['A', 'B'] }, { 'Fn::Join': ['', [1, {}]] }, { 'Fn::Select': ['x', []] }, { 'Fn::Sub': [1, 2] }, '[{"kind":'];

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function leafPaths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (prefix.length > 1) out.push(prefix);
  if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) leafPaths(child, [...prefix, key], out);
  return out;
}

function outcome(read: () => unknown): string {
  try {
    read();
    return 'ok';
  } catch (error) {
    return error instanceof EksplanError ? 'EksplanError' : `${(error as Error).name}: ${(error as Error).message}`;
  }
}

let workDir: string;
beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-fuzz-'));
  fs.cpSync(SOURCE, workDir, { recursive: true });
});
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('the reader on mutated input', () => {
  it('gives a model or an EksplanError for 400 mutated templates', () => {
    const template = JSON.parse(fs.readFileSync(path.join(SOURCE, 'Parent.template.json'), 'utf8')) as { Resources: Record<string, unknown> };
    const paths = leafPaths(template.Resources);
    const random = lcg(7);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 400; i += 1) {
      const mutated = structuredClone(template);
      for (let k = 0; k < 2; k += 1) {
        const target = paths[Math.floor(random() * paths.length)];
        let parent = mutated.Resources as Record<string, unknown>;
        for (const key of target.slice(0, -1)) parent = (parent?.[key] ?? {}) as Record<string, unknown>;
        if (parent !== null && typeof parent === 'object') parent[target[target.length - 1]] = structuredClone(WEIRD[Math.floor(random() * WEIRD.length)]);
      }
      fs.writeFileSync(path.join(workDir, 'Parent.template.json'), JSON.stringify(mutated));
      const result = outcome(() => loadAssembly(workDir));
      outcomes.set(result, (outcomes.get(result) ?? 0) + 1);
    }
    expect([...outcomes.keys()].sort()).toEqual(['EksplanError', 'ok']);
  });

  it.each<[string, string]>([
    ['a YAML alias bomb', 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n'],
    ['a scalar document', '42\n'],
    ['a list of scalars', '- a\n- b\n'],
    ['a List with non-object items', 'apiVersion: v1\nkind: List\nitems: [1, null]\n'],
    ['a tab-indented document', 'apiVersion: v1\n\tkind: Pod\n'],
  ])('gives an EksplanError for %s in a manifest file', (_name, text) => {
    const file = path.join(workDir, 'bad.yaml');
    fs.writeFileSync(file, text);
    expect(outcome(() => loadManifests([file]))).toBe('EksplanError');
  });
});

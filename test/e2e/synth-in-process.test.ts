import * as fs from 'fs';
import * as path from 'path';
import { removeSynthDir, synthesizeToTemp } from '../../lib/synth';

// `eksplan plan` synthesizes the reference platform in its own process instead of through `cdk synth`; the
// simulation reads only the assembly, so the same assembly means the same answers. Compared here file by file:
// identical but for the stack traces in the metadata, which name the source files and callers that ran.

/** A stack frame as aws-cdk-lib records it: `fn (/path/file.ts:12:3)`, `new Promise (:)`, `    at ...`, `...node internals...`. */
const FRAME = /^\s*(at |\.\.\.)|\S \(.*\)$|^\(no user code/;

/** A stack's metadata with every recorded stack trace (a list of frames, empty when no user code ran) replaced by a marker. */
function withoutStackFrames(value: unknown): unknown {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && (value.length === 0 || value.some((v) => FRAME.test(v as string)))) return '(stack trace)';
  if (Array.isArray(value)) return value.map(withoutStackFrames);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutStackFrames(v)]));
  return value;
}

const metadataOf = (file: string) => withoutStackFrames(JSON.parse(fs.readFileSync(file, 'utf8')));

describe('in-process synth of the reference platform', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeSynthDir));

  it('writes the assembly cdk synth writes (templates, manifest, tree, assets)', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let cli: string;
    let own: string;
    try {
      cli = synthesizeToTemp(undefined, [], { inProcess: false }).dir;
      dirs.push(cli);
      own = synthesizeToTemp(undefined, [], { inProcess: true }).dir;
      dirs.push(own);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('synthesizing the reference platform in this process');
    } finally {
      stderr.mockRestore();
    }
    const files = (dir: string) => fs.readdirSync(dir).sort();
    expect(files(own)).toEqual(files(cli));
    for (const name of files(cli)) {
      const file = path.join(cli, name);
      if (fs.statSync(file).isDirectory()) {
        // A staged asset directory (Lambda handler code): the same files.
        expect(fs.readdirSync(path.join(own, name)).sort()).toEqual(fs.readdirSync(file).sort());
      } else if (name.endsWith('.metadata.json')) {
        expect(metadataOf(path.join(own, name))).toEqual(metadataOf(file));
      } else {
        expect({ name, same: fs.readFileSync(path.join(own, name)).equals(fs.readFileSync(file)) }).toEqual({ name, same: true });
      }
    }
  }, 600_000);
});

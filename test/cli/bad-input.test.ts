import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../bin/eksplan';
import { SETUPS } from './bad-input-setups';

// The bad-input corpus (test/fixtures/bad/cases.json), each case through the CLI in-process: the documented
// exit status (2 for bad input unless the case says otherwise), one line on stderr that names the input, no
// stack trace, no terminal control character, nothing from a file outside the input, no existing file lost.
// A case may name a setup (bad-input-setups.ts) that builds what git cannot hold (symbolic links, read-only
// directories, 50 MB files) in a fresh temporary directory; `$TMP` in its arguments is that directory.
const BAD = path.join(__dirname, '..', 'fixtures', 'bad');

interface BadCase {
  readonly name: string;
  readonly args: string[];
  /** A regular expression the output (stderr for exit 2, else stdout and stderr) must match. */
  readonly expect: string;
  /** The exit status, or the statuses a case may end with when the verdict is not its point (0 pass, 1 fail). @default 2 */
  readonly code?: number | number[];
  readonly setup?: keyof typeof SETUPS;
  /** Strings that must appear nowhere in the output (canaries of files outside the input). */
  readonly absent?: string[];
}

const cases = JSON.parse(fs.readFileSync(path.join(BAD, 'cases.json'), 'utf8')) as BadCase[];

/** Contents of every file outside the inputs that a case could leak: none may reach the output. */
const CANARIES = ['EKSPLAN-CANARY-7f3a9c', 'root:x:0:0'];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err.push(String(chunk)); return true; });
  const cwd = process.cwd();
  try {
    process.chdir(BAD);
    const code = await main(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(cwd);
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('bad input corpus', () => {
  it('has at least 100 cases, each with a unique name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-bad-'));
    try {
      const prepared = c.setup ? SETUPS[c.setup](tmp) : { unchanged: {} };
      const result = await run(c.args.map((a) => a.split('$TMP').join(tmp)));
      const output = `${result.stdout}${result.stderr}`;
      const codes = Array.isArray(c.code) ? c.code : [c.code ?? 2];
      expect({ code: codes.includes(result.code) ? codes[0] : result.code, stderr: result.stderr.slice(0, 2000) }).toEqual({ code: codes[0], stderr: expect.anything() as unknown });
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain('internal error');
      // No control character reaches the terminal (escape sequences from names, paths or file contents).
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      for (const secret of [...CANARIES, ...(c.absent ?? [])]) expect(output).not.toContain(secret);
      if (codes.includes(2)) {
        const lines = result.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('(add --help') && !l.startsWith('Usage:'));
        expect(lines).toHaveLength(1);
        expect(lines[0].length).toBeLessThan(2000);
        expect(result.stderr).toMatch(new RegExp(c.expect));
        expect(result.stdout).toBe('');
      } else {
        expect(output).toMatch(new RegExp(c.expect));
      }
      for (const [file, content] of Object.entries(prepared.unchanged)) expect(fs.readFileSync(path.join(tmp, file), 'utf8')).toBe(content);
    } finally {
      // Read-only directories made by a setup become removable again; links are never followed.
      for (const entry of fs.readdirSync(tmp)) {
        const file = path.join(tmp, entry);
        if (fs.lstatSync(file).isDirectory()) fs.chmodSync(file, 0o755);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 30_000);
});

import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../bin/eksplan';

// The bad-input corpus (test/fixtures/bad/cases.json): every case must exit with status 2 and one line on
// stderr that names the input, never a stack trace, a crash or a hang.
const BAD = path.join(__dirname, '..', 'fixtures', 'bad');
const cases = JSON.parse(fs.readFileSync(path.join(BAD, 'cases.json'), 'utf8')) as { name: string; args: string[]; expect: string }[];

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
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s exits 2 with a one-line error', async (_name, c) => {
    const result = await run(c.args);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n').filter((l) => l.trim() !== '' && !l.startsWith('(add --help') && !l.startsWith('Usage:'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).toMatch(new RegExp(c.expect));
  });
});

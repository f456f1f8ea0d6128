import * as fs from 'fs';
import * as path from 'path';

// Inputs git cannot hold (symbolic links, read-only directories, files of tens of megabytes), built in a
// fresh temporary directory for one case of the bad-input corpus. Each returns the files (relative to that
// directory) that must keep their contents: eksplan never loses an existing file.

export interface Prepared { readonly unchanged: Record<string, string> }

const BAD = path.join(__dirname, '..', 'fixtures', 'bad');
const VALID_APP = fs.readFileSync(path.join(BAD, 'valid-app', 'app.yaml'), 'utf8');
const CANARY = 'EKSPLAN-CANARY-7f3a9c outside the input\n';
const KEEP = 'an existing file eksplan must not replace\n';

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** A file of `bytes` bytes made of `unit` repeated, written in chunks (no 50 MB string in memory). */
function writeRepeated(file: string, head: string, unit: string, bytes: number, tail = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, head);
    const chunk = unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length)));
    let written = head.length;
    while (written < bytes) {
      fs.writeSync(fd, chunk);
      written += chunk.length;
    }
    fs.writeSync(fd, tail);
  } finally {
    fs.closeSync(fd);
  }
}

function app(tmp: string): string {
  write(path.join(tmp, 'in', 'app.yaml'), VALID_APP);
  return path.join(tmp, 'in');
}

function outside(tmp: string): string {
  write(path.join(tmp, 'outside', 'secret.yaml'), `kind: ${CANARY}`);
  return path.join(tmp, 'outside', 'secret.yaml');
}

export const SETUPS = {
  /** `a`, `b`, `c -> .`: without visited real paths the walk takes 3^20 steps. */
  'symlink-loop': (tmp: string): Prepared => {
    const dir = app(tmp);
    for (const name of ['a', 'b', 'c']) fs.symlinkSync('.', path.join(dir, name));
    return { unchanged: {} };
  },
  /** Links to a directory and to a file outside the input: not followed, not read. */
  'symlink-outside': (tmp: string): Prepared => {
    const dir = app(tmp);
    const secret = outside(tmp);
    fs.symlinkSync(secret, path.join(dir, 'leak.yaml'));
    fs.symlinkSync(path.dirname(secret), path.join(dir, 'more'));
    fs.symlinkSync('/etc', path.join(dir, 'etc'));
    return { unchanged: {} };
  },
  /** A template that is a link to a file outside the assembly. */
  'template-symlink': (tmp: string): Prepared => {
    const dir = path.join(tmp, 'asm');
    write(path.join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts: { Stack: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/us-east-1', properties: { templateFile: 'Stack.template.json' } } } }));
    fs.symlinkSync(outside(tmp), path.join(dir, 'Stack.template.json'));
    return { unchanged: {} };
  },
  /** A manifests directory copied into the temporary directory, so `--out` can point into it. */
  input: (tmp: string): Prepared => {
    app(tmp);
    return { unchanged: { 'in/app.yaml': VALID_APP } };
  },
  'existing-file': (tmp: string): Prepared => {
    app(tmp);
    write(path.join(tmp, 'report.txt'), KEEP);
    return { unchanged: { 'report.txt': KEEP } };
  },
  'read-only-dir': (tmp: string): Prepared => {
    app(tmp);
    fs.mkdirSync(path.join(tmp, 'ro'));
    fs.chmodSync(path.join(tmp, 'ro'), 0o555);
    return { unchanged: {} };
  },
  /** `--out` holds a link named like a report: writing through it would replace the file it points to. */
  'report-symlink': (tmp: string): Prepared => {
    app(tmp);
    write(path.join(tmp, 'victim.txt'), KEEP);
    fs.mkdirSync(path.join(tmp, 'out'));
    fs.symlinkSync(path.join(tmp, 'victim.txt'), path.join(tmp, 'out', 'eksplan-report.txt'));
    return { unchanged: { 'victim.txt': KEEP } };
  },
  /** 50 MB of multi-document YAML: refused by size before it is parsed (it took 68 s and 2.6 GB). */
  'yaml-50mb': (tmp: string): Prepared => {
    writeRepeated(path.join(tmp, 'big.yaml'), '', `---\n${VALID_APP.replace('name: web', 'name: web-x')}`, 50 * 2 ** 20);
    return { unchanged: {} };
  },
  /** 25,000 small documents in 2 MB. */
  'yaml-many-documents': (tmp: string): Prepared => {
    writeRepeated(path.join(tmp, 'many.yaml'), '', '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 25000 * 48);
    return { unchanged: {} };
  },
  /** One 4 MiB document: more than the API server takes. */
  'yaml-big-document': (tmp: string): Prepared => {
    writeRepeated(path.join(tmp, 'doc.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n', '  k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n', 4 * 2 ** 20);
    return { unchanged: {} };
  },
  /** 33 MiB of JSON: over the per-file limit. */
  'json-33mib': (tmp: string): Prepared => {
    writeRepeated(path.join(tmp, 'big.json'), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"', 'v', 33 * 2 ** 20, '"}}');
    return { unchanged: {} };
  },
  /** Three 25 MiB JSON manifests: each under the per-file limit, together over the input limit. */
  'json-75mib': (tmp: string): Prepared => {
    for (const n of [1, 2, 3]) {
      writeRepeated(path.join(tmp, 'many', `c${n}.json`), `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c${n}"},"data":{"k":"`, 'v', 25 * 2 ** 20, '"}}');
    }
    return { unchanged: {} };
  },
  /** A 33 MiB template in an assembly. */
  'template-33mib': (tmp: string): Prepared => {
    const dir = path.join(tmp, 'asm');
    write(path.join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts: { Stack: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/us-east-1', properties: { templateFile: 'Stack.template.json' } } } }));
    writeRepeated(path.join(dir, 'Stack.template.json'), '{"Description":"', 'x', 33 * 2 ** 20, '","Resources":{}}');
    return { unchanged: {} };
  },
  /** A directory whose name carries an ANSI sequence, a backtick and HTML, holding valid manifests. */
  'hostile-dir-name': (tmp: string): Prepared => {
    write(path.join(tmp, 'app`<img src=x onerror=alert(1)>`\u001b[2J', 'app.yaml'), VALID_APP);
    return { unchanged: {} };
  },
} as const;

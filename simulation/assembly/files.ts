import * as fs from 'fs';
import * as path from 'path';
import { Composer, Parser } from 'yaml';
import { EksplanError } from '../model/errors';

/**
 * Templates and manifests larger than this are refused before they are read. CloudFormation takes templates of
 * at most 1 MB (S3 TemplateURL) and the API server objects of at most 3 MiB, so 32 MiB leaves room for
 * unminified output while keeping a hostile file from taking the machine's memory.
 */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/**
 * One YAML document larger than this is refused: kube-apiserver rejects request bodies over 3 MiB
 * (k8s.io/apiserver pkg/server/config.go: MaxRequestBodyBytes = 3 * 1024 * 1024), and the YAML parser needs
 * about 2 s and 80 MB per MiB of one document, so the limit also bounds the time and memory of a read.
 */
export const MAX_YAML_DOCUMENT_BYTES = 3 * 1024 * 1024;
/** Documents in one YAML file (20,000 small documents parse in about 1.5 s). */
export const MAX_YAML_DOCUMENTS = 20000;
const MAX_DEPTH = 200;

export function readText(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new EksplanError('no such file', { input: file });
  }
  if (stat.isDirectory()) throw new EksplanError('is a directory, expected a file', { input: file });
  // A device or FIFO (/dev/zero, /dev/stdin) reports size 0 and never ends: only regular files are read.
  if (!stat.isFile()) throw new EksplanError('is not a regular file', { input: file });
  if (stat.size > MAX_FILE_BYTES) throw new EksplanError(`is ${Math.round(stat.size / 2 ** 20)} MiB, more than the ${MAX_FILE_BYTES / 2 ** 20} MiB limit`, { input: file });
  const bytes = fs.readFileSync(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new EksplanError(`is not valid UTF-8 (first bad byte at offset ${offset})`, { input: file });
  }
}

/**
 * The real path of `candidate` when it stays inside the real directory `root`, else undefined: `..` segments,
 * absolute paths and symbolic links that lead out of the input are all caught after realpath. A path that
 * does not exist yet is judged by its nearest existing parent.
 */
export function realPathInside(root: string, candidate: string): string | undefined {
  const realRoot = fs.realpathSync(root);
  let current = path.resolve(candidate);
  const rest: string[] = [];
  for (;;) {
    try {
      current = path.join(fs.realpathSync(current), ...rest);
      break;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
  const relative = path.relative(realRoot, current);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? undefined : current;
}

/** Offset of the first byte that breaks UTF-8 (lead byte, continuation bytes), for the error message. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i];
    const extra = c < 0x80 ? 0 : (c & 0xe0) === 0xc0 && c >= 0xc2 ? 1 : (c & 0xf0) === 0xe0 ? 2 : (c & 0xf8) === 0xf0 && c <= 0xf4 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k += 1) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return bytes.length;
}

/** Reads a JSON file; errors name the file and the line/column of a syntax error. */
export function readJson(file: string): unknown {
  const text = readText(file);
  return parseJson(text, file);
}

export function parseJson(text: string, input: string, field?: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at ${lineColumn(text, Number(position[1]))}` : '';
    // A syntax error at the very end of the text means the JSON stops early (a cut-off write or download).
    const atEnd = /Unexpected end|Unterminated string/.test(message) || (position !== null && Number(position[1]) >= text.trimEnd().length);
    // V8 quotes the start of the text ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"): the file's
    // contents never reach the message, only the kind of error and where it is.
    const detail = message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '').replace(/, ".*$/s, '')
      .replace(/^Unexpected token .*$/s, 'unexpected character').replace(/[^\x20-\x7e]/g, '?');
    const truncated = text.trim().length === 0 ? 'is empty' : atEnd ? `is truncated (JSON ends early${where})` : `is not valid JSON${where}: ${detail}`;
    throw new EksplanError(truncated, { input, field });
  }
  checkDepth(value, input, field);
  return value;
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Refuses absurdly deep documents (stack-overflow bait) with a clear error. */
export function checkDepth(value: unknown, input: string, field?: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (depth > MAX_DEPTH) throw new EksplanError(`nests deeper than ${MAX_DEPTH} levels`, { input, field });
    if (current !== null && typeof current === 'object') {
      for (const child of Object.values(current as Record<string, unknown>)) {
        if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
      }
    }
  }
}

/** Reads every document of a YAML (or JSON) file; errors give the line. JSON files are parsed as JSON. */
export function readYamlDocuments(file: string): unknown[] {
  const text = readText(file);
  if (/\.json$/i.test(file)) {
    const value = parseJson(text, file);
    return value === null ? [] : [value];
  }
  checkYamlDocumentSizes(text, file);
  const out: unknown[] = [];
  let index = 0;
  try {
    // Documents are composed one at a time (streamed), so memory holds one document tree at a time.
    for (const document of new Composer({ prettyErrors: true }).compose(new Parser().parse(text), true)) {
      index += 1;
      const error = document.errors[0];
      if (error) {
        const line = error.linePos?.[0]?.line ?? (error.pos ? lineColumn(text, error.pos[0]).replace(/, column.*/, '').replace('line ', '') : undefined);
        throw new EksplanError(`is not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { input: file, field: line ? `line ${line}` : undefined });
      }
      const value: unknown = document.toJS({ maxAliasCount: 1000 });
      if (value === null || value === undefined) continue;
      checkDepth(value, file, `document ${index}`);
      out.push(value);
    }
  } catch (err) {
    if (err instanceof EksplanError) throw err;
    // The parser recurses on nested flow collections: absurd nesting ends in a RangeError, not a crash.
    throw new EksplanError(`could not be read as YAML: ${(err as Error).message.split('\n')[0]}`, { input: file, field: index > 0 ? `document ${index}` : undefined });
  }
  return out;
}

/**
 * Refuses a YAML file with too many documents or one document over the API server's request limit before
 * any document is parsed. A `---` or `...` at the start of a line always ends a document (YAML 1.2 §9.1.4,
 * c-forbidden), even inside a block scalar, so the line scan finds the same boundaries as the parser.
 */
function checkYamlDocumentSizes(text: string, file: string): void {
  const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let documents = 0;
  const check = (end: number) => {
    if (text.slice(start, end).trim() !== '') documents += 1;
    if (documents > MAX_YAML_DOCUMENTS) {
      throw new EksplanError(`holds more than ${MAX_YAML_DOCUMENTS} YAML documents; split the input`, { input: file });
    }
    if (end - start > MAX_YAML_DOCUMENT_BYTES) {
      throw new EksplanError(`document ${documents} (${lineColumn(text, start).replace(/, column.*/, '')}) is ${(Math.round((end - start) / 2 ** 20 * 10) / 10)} MiB, more than the ${MAX_YAML_DOCUMENT_BYTES / 2 ** 20} MiB the Kubernetes API server accepts`, { input: file });
    }
  };
  for (let match = marker.exec(text); match !== null; match = marker.exec(text)) {
    check(match.index);
    start = match.index + match[0].length;
  }
  check(text.length);
}

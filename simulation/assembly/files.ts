import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { EksplanError } from '../model/errors';

/** Templates and manifests larger than this are refused rather than read into memory. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_DEPTH = 200;

export function readText(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new EksplanError('no such file', { input: file });
  }
  if (stat.isDirectory()) throw new EksplanError('is a directory, expected a file', { input: file });
  if (stat.size > MAX_FILE_BYTES) throw new EksplanError(`is ${Math.round(stat.size / 2 ** 20)} MiB, more than the ${MAX_FILE_BYTES / 2 ** 20} MiB limit`, { input: file });
  const bytes = fs.readFileSync(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new EksplanError(`is not valid UTF-8 (first bad byte at offset ${offset})`, { input: file });
  }
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
    const detail = message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
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

/** Reads every document of a YAML (or JSON) file; errors give the line. */
export function readYamlDocuments(file: string): unknown[] {
  const text = readText(file);
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, { prettyErrors: true });
  } catch (err) {
    // The parser recurses on nested flow collections: absurd nesting ends in a RangeError, not a crash.
    throw new EksplanError(`could not be read as YAML: ${(err as Error).message.split('\n')[0]}`, { input: file });
  }
  const out: unknown[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line ?? (error.pos ? lineColumn(text, error.pos[0]).replace(/, column.*/, '').replace('line ', '') : undefined);
      throw new EksplanError(`is not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { input: file, field: line ? `line ${line}` : undefined });
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      throw new EksplanError(`could not be read as YAML: ${(err as Error).message.split('\n')[0]}`, { input: file });
    }
    if (value === null || value === undefined) continue;
    checkDepth(value, file);
    out.push(value);
  }
  return out;
}

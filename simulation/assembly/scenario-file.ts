import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { EksplanError } from '../model/errors';
import { parseJson, readText, realPathInside } from './files';

// Reading a scenario from disk: the file (YAML or JSON) and the CSV load series it names, which must sit in
// the scenario's own directory tree. Validation is the scenario reader's (engine/scenario.ts), which does no I/O.

export interface ScenarioFile {
  readonly file: string;
  /** The parsed YAML/JSON, not yet validated. */
  readonly raw: unknown;
  /** Reads a CSV file named by the scenario, relative to the scenario's directory. */
  readonly readCsv: (name: string, field: string) => string;
}

const MAX_SCENARIO_BYTES = 1024 * 1024;

export function readScenarioFile(file: string): ScenarioFile {
  if (!fs.existsSync(file)) throw new EksplanError('no such scenario file', { input: file });
  // The assembly reader's checks: a regular file (not /dev/zero), within the size limit, valid UTF-8; JSON
  // errors that never quote the file's contents.
  const text = readText(file);
  // A scenario is a few kilobytes; the YAML parser needs seconds per MiB of one document.
  if (text.length > MAX_SCENARIO_BYTES) throw new EksplanError(`is ${Math.ceil(text.length / 2 ** 20)} MiB, more than the ${MAX_SCENARIO_BYTES / 2 ** 20} MiB a scenario may have (load series belong in CSV files)`, { input: file });
  if (file.endsWith('.json')) return { file, raw: parseJson(text, file), readCsv: csvReader(file) };
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new EksplanError(`is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, { input: file });
  }
  return { file, raw, readCsv: csvReader(file) };
}

function csvReader(file: string): (name: string, field: string) => string {
  const dir = path.dirname(path.resolve(file));
  return (name: string, field: string): string => {
    const csvFile = realPathInside(dir, path.resolve(dir, name));
    if (csvFile === undefined) throw new EksplanError(`must name a file in the scenario's directory (${dir}), got ${JSON.stringify(name)}`, { input: file, field });
    if (!fs.existsSync(csvFile)) throw new EksplanError(`cannot read ${csvFile}`, { input: file, field });
    return readText(csvFile);
  };
}

/** The bundled reference scenario (the source tree's copy when running compiled code, which tsc does not copy). */
export function defaultScenarioPath(): string {
  const beside = path.join(__dirname, '..', 'engine', 'scenarios', 'reference.yaml');
  return fs.existsSync(beside) ? beside : path.resolve(__dirname, '..', '..', '..', 'simulation', 'engine', 'scenarios', 'reference.yaml');
}

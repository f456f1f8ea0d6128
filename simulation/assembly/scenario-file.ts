import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { EksplanError } from '../model/errors';
import { realPathInside } from './files';

// Reading a scenario from disk: the file (YAML or JSON) and the CSV load series it names, which must sit in
// the scenario's own directory tree. Validation is the scenario reader's (engine/scenario.ts), which does no I/O.

export interface ScenarioFile {
  readonly file: string;
  /** The parsed YAML/JSON, not yet validated. */
  readonly raw: unknown;
  /** Reads a CSV file named by the scenario, relative to the scenario's directory. */
  readonly readCsv: (name: string, field: string) => string;
}

export function readScenarioFile(file: string): ScenarioFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new EksplanError('no such scenario file', { input: file });
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new EksplanError(`is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, { input: file });
  }
  const dir = path.dirname(path.resolve(file));
  const readCsv = (name: string, field: string): string => {
    const csvFile = realPathInside(dir, path.resolve(dir, name));
    if (csvFile === undefined) throw new EksplanError(`must name a file in the scenario's directory (${dir}), got ${JSON.stringify(name)}`, { input: file, field });
    try {
      return fs.readFileSync(csvFile, 'utf8');
    } catch {
      throw new EksplanError(`cannot read ${csvFile}`, { input: file, field });
    }
  };
  return { file, raw, readCsv };
}

/** The bundled reference scenario (the source tree's copy when running compiled code, which tsc does not copy). */
export function defaultScenarioPath(): string {
  const beside = path.join(__dirname, '..', 'engine', 'scenarios', 'reference.yaml');
  return fs.existsSync(beside) ? beside : path.resolve(__dirname, '..', '..', '..', 'simulation', 'engine', 'scenarios', 'reference.yaml');
}

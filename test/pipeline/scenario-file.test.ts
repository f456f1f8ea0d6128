import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadScenario, parseScenario } from '../../simulation';

// A scenario file is read by simulation/assembly (the folder that touches the file system, confined to the
// scenario's directory) and validated by the engine's scenario reader, which does no I/O.
describe('loading a scenario file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-scenario-'));
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it('reads the CSV series a scenario names beside it', () => {
    write('series/day.csv', 'seconds,rps\n0,10\n3600,50\n');
    const file = write('day.yaml', 'duration: 2h\nloads:\n  - workload: web\n    profile: { type: csv, file: series/day.csv }\n');
    expect(loadScenario(file).loads[0].profile).toEqual({ type: 'series', points: [{ t: 0, rps: 10 }, { t: 3600, rps: 50 }] });
    expect(loadScenario(file).name).toBe('day');
  });

  it('fails when the CSV file is outside the scenario\'s directory', () => {
    const outside = path.join(path.dirname(dir), `eksplan-outside-${path.basename(dir)}.csv`);
    fs.writeFileSync(outside, '0,10\n');
    const file = write('escape.yaml', `loads:\n  - workload: web\n    profile: { type: csv, file: ../${path.basename(outside)} }\n`);
    expect(() => loadScenario(file)).toThrow(`${file}: loads[0].profile.file: must name a file in the scenario's directory`);
  });

  it('fails when a parsed scenario names a CSV file but nothing can read it', () => {
    expect(() => parseScenario({ loads: [{ workload: 'web', profile: { type: 'csv', file: 'day.csv' } }] }, 'inline')).toThrow(
      'inline: loads[0].profile.file: a CSV file can be read only when the scenario is loaded from a file (loadScenario); give the rows as data');
  });

  it('fails when the scenario file does not exist', () => {
    expect(() => loadScenario(path.join(dir, 'missing.yaml'))).toThrow('missing.yaml: no such scenario file');
  });
});

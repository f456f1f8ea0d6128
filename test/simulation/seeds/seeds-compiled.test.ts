import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { planSeedsSync, render, type PlanResult } from '../../../simulation';
import { spotModel, spotScenario } from './fixture';

// The seed workers as a user runs them: from compiled JavaScript (dist/), where the worker is worker.js and loads
// no TypeScript. The simulation is transpiled into a temporary directory (not dist/, which the build owns), laid out
// as the build lays it out, and the sweep on two workers gives the same report as the sweep in this thread.

const ROOT = path.resolve(__dirname, '..', '..', '..');

function transpileSimulation(out: string): void {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
  for (const file of walk(path.join(ROOT, 'simulation'))) {
    const target = path.join(out, path.relative(ROOT, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true }, fileName: file });
      fs.writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
    } else {
      fs.copyFileSync(file, target);
    }
  }
}

describe('seed workers from compiled JavaScript', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-seeds-js-'));
    transpileSimulation(out);
    // Its packages (yaml, ...) resolve from the project's node_modules, as an installed package's would.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('runs worker.js without ts-node and gives the same report as one thread', async () => {
    // GIVEN the compiled simulation (its own module instances, as a user's node_modules would hold)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(path.join(out, 'simulation', 'seeds', 'index.js')) as typeof import('../../../simulation/seeds');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pool = require(path.join(out, 'simulation', 'seeds', 'pool.js')) as typeof import('../../../simulation/seeds/pool');

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runSeed = require(path.join(out, 'simulation', 'seeds', 'run-seed.js')) as typeof import('../../../simulation/seeds/run-seed');
    const scenario = spotScenario({ maxPendingSeconds: 60 });

    // WHEN one worker plans every seed, and then this thread and a worker share them (planSeeds)
    const swept = await pool.runInWorkers({ model: spotModel, scenario, options: {}, refreshed: [], seeds: [2, 3, 4, 5, 6, 7] }, 1, undefined, { callerPlans: false });
    const threaded: PlanResult = await compiled.planSeeds(spotModel, scenario, { seeds: 6, workers: 2 });

    // THEN the workers loaded the compiled worker.js, and nothing registered TypeScript
    expect(pool.workerSource()).toBe(`require(${JSON.stringify(path.join(out, 'simulation', 'seeds', 'worker.js'))});`);
    expect(swept.plannedByWorkers).toBe(6);
    // ... and the report is the one this thread computes alone
    const expected = render(planSeedsSync(spotModel, scenario, { seeds: 6 }), 'json');
    expect(render(runSeed.combineSeeds(swept.first, swept.outcomes, scenario, 'p95'), 'json')).toBe(expected);
    expect(render(threaded, 'json')).toBe(expected);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// The layering of ARCHITECTURE.md, enforced by ESLint's no-restricted-imports overrides per folder
// (eslint.config.mjs): model ← catalog ← assembly/network/scheduler ← autoscaling ← engine ← pipeline ← compare;
// report reads only the model; everything outside simulation/ goes through simulation/index.ts.
const ROOT = path.resolve(__dirname, '..', '..');

// ESLint loads its flat config (an ES module) with a dynamic import, which jest's VM does not allow: the
// cases are linted with ESLint's Node API in one child process.
const LINT_CASES = `
const { ESLint } = require('eslint');
const path = require('path');
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const [file, source] of JSON.parse(process.argv[1])) {
    const [result] = await eslint.lintText(source + '\\nexport const used = value;\\n', { filePath: path.join(process.cwd(), file) });
    out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

function lint(cases: readonly (readonly [string, string, string])[]): Map<string, string[]> {
  const run = spawnSync(process.execPath, ['-e', LINT_CASES, JSON.stringify(cases.map(([, file, source]) => [file, source]))], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  const messages = JSON.parse(run.stdout) as string[][];
  return new Map(cases.map(([name], i) => [name, messages[i]]));
}

const BACK_EDGES = [
  ['the engine importing a what-if variant (engine → compare)', 'simulation/engine/fixture.ts', "import { toAutoMode as value } from '../compare/variants';"],
  ['a controller importing the engine (autoscaling → engine)', 'simulation/autoscaling/fixture.ts', "import { workloadsOf as value } from '../engine/workloads';"],
  ['the Karpenter controller importing the engine from two levels down', 'simulation/autoscaling/karpenter/fixture.ts', "import { simulate as value } from '../../engine';"],
  ['the checks importing the scheduler (checks → scheduler)', 'simulation/checks/fixture.ts', "import { Scheduler as value } from '../scheduler/framework';"],
  ['a renderer importing the cost model (report → cost)', 'simulation/report/fixture.ts', "import { computeCost as value } from '../cost';"],
  ['the model importing the catalog (model → catalog)', 'simulation/model/fixture.ts', "import { instanceType as value } from '../catalog';"],
  ['the catalog importing the network (catalog → network)', 'simulation/catalog/fixture.ts', "import { maxPods as value } from '../network';"],
  ['compare bypassing the pipeline (compare → engine)', 'simulation/compare/fixture.ts', "import { simulate as value } from '../engine';"],
  ['the seeds sweep bypassing the pipeline (seeds → engine)', 'simulation/seeds/fixture.ts', "import { simulate as value } from '../engine';"],
  ['the cost model importing the engine (cost → engine)', 'simulation/cost/fixture.ts', "import { simulate as value } from '../engine/simulate';"],
  ['the pipeline importing compare (pipeline → compare)', 'simulation/pipeline.ts', "import { compareVariants as value } from './compare';"],
  ['a folder importing the public API (engine → simulation/index.ts)', 'simulation/engine/fixture.ts', "import { plan as value } from '..';"],
  ['the CLI reaching into the engine instead of the public API', 'bin/commands/fixture.ts', "import { simulate as value } from '../../simulation/engine';"],
  ['lib/ reaching into the cost model instead of the public API', 'lib/fixture.ts', "import { computeCost as value } from '../simulation/cost';"],
] as const;

const ALLOWED = [
  ['the engine importing a controller (engine → autoscaling)', 'simulation/engine/fixture.ts', "import { KarpenterController as value } from '../autoscaling/karpenter';"],
  ['the Karpenter controller importing the scheduler', 'simulation/autoscaling/karpenter/fixture.ts', "import { NodeInfo as value } from '../../scheduler/node-info';"],
  ['compare running the pipeline (compare → pipeline)', 'simulation/compare/fixture.ts', "import { plan as value } from '../pipeline';"],
  ['the seeds sweep running the pipeline and its one verdict (seeds → pipeline)', 'simulation/seeds/fixture.ts', "import { verdictOf as value } from '../pipeline';"],
  ['a renderer reading the result types (report → model)', 'simulation/report/fixture.ts', "import { RESULT_SCHEMA_VERSION as value } from '../model/result';"],
  ['the pipeline running the engine (pipeline → engine)', 'simulation/pipeline.ts', "import { simulate as value } from './engine';"],
  ['the CLI using the public API', 'bin/commands/fixture.ts', "import { plan as value } from '../../simulation';"],
  ['lib/ using a shared fact of the catalog', 'lib/fixture.ts', "import { instanceType as value } from '../simulation/catalog';"],
] as const;

describe('layering inside simulation/', () => {
  let messages: Map<string, string[]>;
  beforeAll(() => {
    messages = lint([...BACK_EDGES, ...ALLOWED]);
  });

  it.each(BACK_EDGES.map(([name]) => name))('fails lint on %s', (name) => {
    expect(messages.get(name)).toEqual([expect.stringMatching(/import is restricted/)]);
  });

  it.each(ALLOWED.map(([name]) => name))('passes lint on %s', (name) => {
    expect(messages.get(name)).toEqual([]);
  });
});

/** The folder-level import graph of simulation/ (pipeline.ts and index.ts count as units of their own). */
function folderGraph(): Map<string, Set<string>> {
  const root = path.join(ROOT, 'simulation');
  const unitOf = (file: string) => path.relative(root, file).split(path.sep)[0].replace(/\.ts$/, '');
  const graph = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) { walk(file); continue; }
      if (!file.endsWith('.ts')) continue;
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']*)'/g)) {
        const target = path.resolve(path.dirname(file), match[1]);
        if (!target.startsWith(root)) continue;
        const [from, to] = [unitOf(file), unitOf(target === root ? path.join(root, 'index.ts') : target)];
        if (from === to) continue;
        graph.set(from, (graph.get(from) ?? new Set()).add(to));
      }
    }
  };
  walk(root);
  return graph;
}

describe('the folder graph of simulation/', () => {
  it('has no cycle', () => {
    const graph = folderGraph();
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (unit: string, trail: string[]): void => {
      state.set(unit, 'open');
      for (const next of graph.get(unit) ?? []) {
        if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), unit, next].join(' → '));
        else if (!state.has(next)) visit(next, [...trail, unit]);
      }
      state.set(unit, 'done');
    };
    for (const unit of graph.keys()) if (!state.has(unit)) visit(unit, []);
    expect(cycles).toEqual([]);
    // Sanity: the graph is read at all (the engine drives the controllers, the pipeline the engine).
    expect(graph.get('engine')?.has('autoscaling')).toBe(true);
    expect(graph.get('pipeline')?.has('engine')).toBe(true);
  });
});

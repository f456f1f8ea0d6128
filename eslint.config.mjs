// ESLint flat config: typescript-eslint recommended rules, plus the layering rules of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const cdkPackages = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk8s', 'cdk8s-plus-28', '@aws-cdk/*'];

// simulation/ reads synthesized output only: never CDK, cdk8s, lib/ or constructs/.
const simulationOuterRing = [
  { group: cdkPackages, message: 'simulation/ must not import CDK or cdk8s: it reads synthesized output only.' },
  { group: ['**/lib/*', '**/constructs/*', '../../lib', '../../constructs'], message: 'simulation/ must not import lib/ or constructs/.' },
];

// The layers inside simulation/ (ARCHITECTURE.md, "Layout"): each folder imports only the folders listed
// (model ← catalog ← assembly/network/scheduler ← autoscaling ← engine ← pipeline ← compare; report reads
// only the model). A folder never imports simulation/index.ts, the public API that imports them all.
const SIMULATION_LAYERS = {
  model: [],
  catalog: ['model'],
  assembly: ['model', 'catalog'],
  network: ['model', 'catalog'],
  scheduler: ['model', 'catalog'],
  autoscaling: ['model', 'catalog', 'scheduler', 'network'],
  engine: ['model', 'catalog', 'scheduler', 'network', 'autoscaling'],
  cost: ['model', 'catalog'],
  checks: ['model', 'catalog', 'network'],
  compare: ['model', 'catalog', 'pipeline'],
  // A verdict over many seeds runs the pipeline per seed (in worker threads) and feeds its one verdict.
  seeds: ['model', 'catalog', 'pipeline'],
  report: ['model'],
};
// pipeline.ts sits between the engine and compare: everything in simulation except compare and report.
const PIPELINE_MAY_IMPORT = ['model', 'catalog', 'assembly', 'network', 'scheduler', 'autoscaling', 'engine', 'cost', 'checks'];
const SIMULATION_UNITS = [...Object.keys(SIMULATION_LAYERS), 'pipeline'];

/** Relative import specifiers that reach `unit` (a folder or pipeline.ts) from up to three levels below simulation/. */
function reaching(unit) {
  return ['../', '../../', '../../../'].flatMap((up) => [`${up}${unit}`, `${up}${unit}/*`, `${up}${unit}/**`]);
}

const PUBLIC_API = ['..', '../index', '../..', '../../index', '../../..', '../../../index'];

function layerRule(unit, allowed) {
  const forbidden = SIMULATION_UNITS.filter((other) => other !== unit && !allowed.includes(other));
  return {
    'no-restricted-imports': ['error', {
      paths: PUBLIC_API.map((name) => ({ name, message: 'inside simulation/, import the module you need, not simulation/index.ts (the public API imports every folder).' })),
      patterns: [
        ...simulationOuterRing,
        ...forbidden.map((other) => ({
          group: reaching(other),
          message: `simulation/${unit} may import only ${allowed.length > 0 ? allowed.join(', ') : 'itself'} (ARCHITECTURE.md layering); ${other} is not below it.`,
        })),
        ...(unit === 'model' ? [{ group: ['fs', 'node:*', 'path'], message: 'simulation/model is plain data: no I/O.' }] : []),
      ],
    }],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'dist/**', 'coverage/**', '**/*.js', '**/*.d.ts', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['simulation/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: simulationOuterRing }] },
  },
  ...Object.entries(SIMULATION_LAYERS).map(([unit, allowed]) => ({ files: [`simulation/${unit}/**/*.ts`], rules: layerRule(unit, allowed) })),
  {
    files: ['simulation/pipeline.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['.', './index'].map((name) => ({ name, message: 'simulation/pipeline.ts is imported by the public API, not the other way round.' })),
        patterns: [
          ...simulationOuterRing,
          ...SIMULATION_UNITS.filter((unit) => unit !== 'pipeline' && !PIPELINE_MAY_IMPORT.includes(unit)).map((unit) => ({
            group: [`./${unit}`, `./${unit}/*`, `./${unit}/**`],
            message: `simulation/pipeline.ts may import only ${PIPELINE_MAY_IMPORT.join(', ')} (ARCHITECTURE.md layering); ${unit} is above it.`,
          })),
        ],
      }],
    },
  },
  {
    // The CLI, lib/ and the bench reach the simulation through its public API (simulation/index.ts); the pure
    // data of simulation/model and simulation/catalog (shared facts, like constructs/ use them) is allowed too.
    files: ['bin/**/*.ts', 'lib/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/simulation/*', '!**/simulation/model', '!**/simulation/model/*', '!**/simulation/catalog', '!**/simulation/catalog/*'],
          message: 'outside simulation/, import the simulation through its public API (simulation/index.ts).',
        }],
      }],
    },
  },
  {
    // constructs/ may use simulation/catalog and simulation/model (shared facts), nothing else of ours but themselves.
    files: ['constructs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/lib/*', '../../lib'], message: 'constructs/ must not import lib/.' },
          { group: ['**/simulation/*', '!**/simulation/catalog', '!**/simulation/catalog/*', '!**/simulation/model', '!**/simulation/model/*'], message: 'constructs/ may only import simulation/catalog and simulation/model.' },
        ],
      }],
    },
  },
);

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { scenarioFor } from '../lib/plan';
import {
  loadAssembly, parseScenario, plan,
  type AssumedController, type ClusterModel, type PlanResult, type Scenario, type ScenarioTraffic, type Thresholds,
} from '../simulation';

// Planning a CDK Stack or App in-process, for unit tests: the stage is synthesized as Template.fromStack does
// (`Stage.of(stack).synth()`, cached by CDK, so a test file that also uses Template.fromStack synthesizes once),
// its assembly directory is read by the simulation's loadAssembly, and the pipeline's `plan` runs on the model.
// An App without `outdir` synthesizes into a temporary directory (58 MB for the reference platform, its Lambda
// assets) that CDK removes only when the process exits normally, which a killed jest worker never does:
// `releaseAssemblies` removes the ones planned here, and eksplan/testing/jest calls it after each test file.
// Nothing is written to the project's cdk.out. Results are memoised per stack and scenario: jest loads this
// module once per test file, so several matchers on one stack in one file plan once.

/** A scenario document as written in YAML or JSON (README "Scenario"); durations as `'24h'`, `'15s'` or seconds. */
export interface ScenarioDocument {
  readonly name?: string;
  readonly duration?: string | number;
  readonly step?: string | number;
  readonly seed?: number;
  readonly region?: string;
  readonly startDate?: string;
  readonly loads?: readonly {
    readonly workload: string;
    readonly profile: { readonly type: string; readonly [field: string]: unknown };
    readonly perRequest?: { readonly cpuMillicores: number; readonly memoryMiB: number };
    readonly baseline?: { readonly cpuMillicores: number; readonly memoryMiB: number };
  }[];
  readonly faults?: readonly { readonly type: string; readonly [field: string]: unknown }[];
  readonly thresholds?: Thresholds;
  readonly controllers?: Readonly<Record<string, unknown>>;
  readonly defaultUtilization?: number;
  readonly traffic?: ScenarioTraffic;
  readonly assume?: readonly AssumedController[];
  /** Feature gates over the cluster version's defaults (`TaintTolerationComparisonOperators`, `HPAConfigurableTolerance`). */
  readonly featureGates?: Readonly<Record<string, boolean>>;
}

/**
 * The scenario a plan runs: a file path (YAML or JSON); a scenario document; a parsed `Scenario`; or one of
 * `'default'` (the bundled reference scenario when it names the platform's workloads, else one derived from
 * them, as `eksplan plan` does), `'derived'`, `'static'` (the settled steady state, every pod placed once).
 */
export type ScenarioInput = string | ScenarioDocument | Scenario;

export interface PlanStackOptions {
  /** The scenario to run. @default - the default of `setPlanDefaults`, else `'default'` (as `eksplan plan`) */
  readonly scenario?: ScenarioInput;
  /** Seed override. @default - the scenario's seed */
  readonly seed?: number;
  /** Region override for prices and instance types. @default - the stack's region */
  readonly region?: string;
}

/** What can be planned: a Stack (in an App or Stage), an App or Stage with one EKS stack, or a plan already made. */
export type PlanSubject = IConstruct | PlanResult;

let defaults: PlanStackOptions = {};

/**
 * Options every later plan of this test file uses when it does not say otherwise (jest loads this module once per
 * test file), e.g. `setPlanDefaults({ scenario: 'load.yaml' })` in a `beforeAll`. Returns the previous defaults.
 */
export function setPlanDefaults(options: PlanStackOptions): PlanStackOptions {
  const previous = defaults;
  defaults = { ...options };
  return previous;
}

const models = new WeakMap<IConstruct, ClusterModel>();
/** CDK-made temporary assembly directories synthesized by modelOf, removed by releaseAssemblies. */
const temporaryAssemblies = new Set<string>();
const plans = new WeakMap<IConstruct, Map<string, PlanResult>>();

/**
 * Plans a CDK Stack or App in-process under a scenario and returns the pipeline's `PlanResult` (the verdict,
 * cost, findings and timeline `eksplan plan` reports). Memoised per stack and scenario.
 */
export function planStack(subject: IConstruct, options: PlanStackOptions = {}): PlanResult {
  const merged = { ...defaults, ...options };
  const input = merged.scenario ?? 'default';
  const key = JSON.stringify([scenarioKey(input), merged.seed ?? null, merged.region ?? null]);
  let byScenario = plans.get(subject);
  if (!byScenario) plans.set(subject, (byScenario = new Map()));
  const known = byScenario.get(key);
  if (known) return known;
  const model = modelOf(subject);
  const scenario = scenarioOf(model, input);
  const result = plan(model, scenario, { seed: merged.seed, region: merged.region });
  byScenario.set(key, result);
  return result;
}

/** The PlanResult of a subject: a plan given as is, else `planStack`. */
export function planOf(subject: PlanSubject, options: PlanStackOptions = {}): PlanResult {
  return isPlanResult(subject) ? subject : planStack(subject, options);
}

/** The ClusterModel the simulation reads from the subject's synthesized assembly (memoised per construct). */
export function modelOf(subject: IConstruct): ClusterModel {
  const known = models.get(subject);
  if (known) return known;
  let model: ClusterModel;
  if (Stack.isStack(subject)) {
    // The stack's own stage: a stack inside a Stage lives in that stage's nested assembly.
    const assembly = Stage.of(subject)?.synth();
    if (!assembly) throw new TypeError(`eksplan/testing: stack '${subject.node.path}' is not in an App or Stage`);
    model = { ...loadAssembly(assembly.directory, { stack: subject.artifactId }), origin: subject.node.path };
  } else if (Stage.isStage(subject)) {
    const assembly = subject.synth();
    model = { ...loadAssembly(assembly.directory), origin: subject.node.path || 'App' };
  } else {
    throw new TypeError(`eksplan/testing: expected a CDK Stack, App or Stage (or a PlanResult), got ${describe(subject)}`);
  }
  models.set(subject, model);
  const root = subject.node.root;
  if (Stage.isStage(root) && isCdkTemporaryDir(root.outdir)) temporaryAssemblies.add(root.outdir);
  return model;
}

/**
 * Removes the temporary assemblies CDK synthesized for the stacks planned so far (an App given no `outdir`,
 * in a directory `cdk.outXXXXXX` of the system temp directory); an App's own `outdir` is never touched. Call
 * it when the file's tests are done: Template.fromStack on those apps reads the removed directory afterwards.
 * Returns the directories removed.
 */
export function releaseAssemblies(): string[] {
  const removed = [...temporaryAssemblies];
  for (const dir of removed) fs.rmSync(dir, { recursive: true, force: true });
  temporaryAssemblies.clear();
  return removed;
}

/** cloud-assembly-api determineOutputDirectory: `mkdtemp(join(realpath(tmpdir()), 'cdk.out'))` when an App has no outdir. */
function isCdkTemporaryDir(dir: string): boolean {
  return path.dirname(dir) === fs.realpathSync(os.tmpdir()) && /^cdk\.out[A-Za-z0-9]{6}$/.test(path.basename(dir));
}

export function isPlanResult(value: unknown): value is PlanResult {
  return typeof value === 'object' && value !== null && 'verdict' in value && 'cost' in value && 'schemaVersion' in value;
}

function scenarioOf(model: ClusterModel, input: ScenarioInput): Scenario | undefined {
  if (typeof input === 'string') return scenarioFor(model, input);
  if (isParsedScenario(input)) return input;
  // The same validation as a scenario file, naming the document's fields.
  return parseScenario(input, input.name ? `scenario '${input.name}'` : 'scenario object');
}

function isParsedScenario(input: ScenarioDocument | Scenario): input is Scenario {
  return 'durationSeconds' in input && 'controllers' in input;
}

function scenarioKey(input: ScenarioInput): string {
  if (typeof input === 'string') return ['default', 'derived', 'static'].includes(input) ? input : `file:${path.resolve(input)}`;
  return `object:${JSON.stringify(input)}`;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return value.constructor?.name ?? 'an object';
}

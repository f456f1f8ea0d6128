import * as fs from 'fs';
import * as path from 'path';
import {
  defaultScenarioPath, deriveScenario, loadInput, loadScenario, plan, reportExtension, reportFormats, render, scenarioFits,
  type ClusterModel, type PlanResult, type ReportableResult, type ReportFormat, type Scenario,
} from '../simulation';

// What `plan` needs around the simulation: reading the input, choosing the scenario and writing report files.
// Synthesis (cdk synth into a temp dir, which CLI, which app) is lib/synth.ts's alone.
// The plan itself (simulation, cost, checks, verdict) is the pipeline's, reached through simulation/index.ts.

export interface PlanAssemblyOptions {
  /** A cloud assembly directory (`cdk.out`), a manifests directory or a manifest file. */
  readonly assemblyDir: string;
  /** The stack to read when the assembly has several. */
  readonly stack?: string;
  /** Cluster shape file for plain manifests (README "Cluster shape"). */
  readonly clusterShape?: string;
  /** Directories of rendered manifests (`helm template` output) added to the model. */
  readonly manifests?: readonly string[];
  /**
   * Scenario path; `default` for the bundled reference scenario when it fits the platform (it names the reference
   * platform's workloads), else one derived from the platform's own workloads; `derived` for the derived one
   * always; `static` for the static steady state. @default 'default'
   */
  readonly scenario?: string;
  readonly seed?: number;
  readonly region?: string;
  /** Write reports into this directory. */
  readonly outDir?: string;
  /** Formats to write into outDir. @default every registered format */
  readonly formats?: readonly ReportFormat[];
  /** Progress callback, 0..1, for long runs. */
  readonly onProgress?: (fraction: number) => void;
  /** How reports name the platform (its stack and app, lib/synth.ts platformLabel). @default the input path */
  readonly origin?: string;
}

export interface PlanOutcome {
  readonly model: ClusterModel;
  /** Undefined for a static plan. */
  readonly scenario?: Scenario;
  readonly result: PlanResult;
  readonly written: string[];
}

/** Reads an assembly and a scenario, runs the pipeline (`plan`) and (optionally) writes the reports. */
export function planAssembly(options: PlanAssemblyOptions): PlanOutcome {
  const loaded = loadInput(options.assemblyDir, { stack: options.stack, clusterShape: options.clusterShape, manifests: options.manifests });
  const model = options.origin ? { ...loaded, origin: options.origin } : loaded;
  const scenario = scenarioFor(model, options.scenario);
  const result = plan(model, scenario, { seed: options.seed, region: options.region, onProgress: options.onProgress });
  const written = options.outDir ? writeReports(result, options.outDir, options.formats) : [];
  return { model, scenario, result, written };
}

/** The scenario a plan runs: see PlanAssemblyOptions.scenario. */
export function scenarioFor(model: ClusterModel, name: string | undefined): Scenario | undefined {
  if (name === 'static') return undefined;
  if (name === 'derived') return deriveScenario(model);
  if (name !== undefined && name !== 'default') return loadScenario(name);
  const bundled = loadScenario(defaultScenarioPath());
  return scenarioFits(model, bundled) ? bundled : deriveScenario(model);
}

/** Writes a plan, check or compare result in each format as `<baseName>.<extension>` under outDir. */
export function writeReports(result: ReportableResult, outDir: string, formats: readonly ReportFormat[] = reportFormats(), baseName = 'eksplan-report'): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  return formats.map((format) => {
    const file = path.join(outDir, `${baseName}.${reportExtension(format)}`);
    fs.writeFileSync(file, render(result, format));
    return file;
  });
}

import * as fs from 'fs';
import * as path from 'path';
import { loadInput } from '../simulation/assembly';
import { applyCost } from '../simulation/cost';
import { admissionOf, defaultScenarioPath, loadScenario, placeStatic, podForWorkload, simulate, workloadsOf, type Scenario } from '../simulation/engine';
import { podRequests } from '../simulation/scheduler';
import { checkPlan } from '../simulation/checks';
import type { ClusterModel } from '../simulation/model/cluster';
import type { SimulationResult } from '../simulation/model/result';
import { render, REPORT_EXTENSIONS, type ReportFormat } from '../simulation/report';

export interface PlanOptions {
  /** A cloud assembly directory (`cdk.out`), a manifests directory or a manifest file. */
  readonly assemblyDir: string;
  /** The stack to read when the assembly has several. */
  readonly stack?: string;
  /** Scenario path, or `default` / undefined for the bundled reference scenario. */
  readonly scenario?: string;
  readonly seed?: number;
  readonly region?: string;
  /** Write reports into this directory. */
  readonly outDir?: string;
  /** Formats to write into outDir. @default all */
  readonly formats?: readonly ReportFormat[];
  /** Progress callback, 0..1, for long runs. */
  readonly onProgress?: (fraction: number) => void;
}

export interface PlanOutcome {
  readonly model: ClusterModel;
  readonly scenario: Scenario;
  readonly result: SimulationResult;
  readonly written: string[];
}

/** Reads an assembly, simulates the scenario, prices it and (optionally) writes the reports. */
export function planAssembly(options: PlanOptions): PlanOutcome {
  const model = loadInput(options.assemblyDir, { stack: options.stack });
  const scenarioPath = options.scenario === undefined || options.scenario === 'default' ? defaultScenarioPath() : options.scenario;
  const scenario = loadScenario(scenarioPath);
  const simulated = simulate(model, scenario, { seed: options.seed, region: options.region, onProgress: options.onProgress });
  const result = applyCost(model, simulated, scenario, { workloadRequests: workloadRequestsOf(model) });
  const written = options.outDir ? writeReports(result, options.outDir, options.formats) : [];
  return { model, scenario, result, written };
}

export function writeReports(result: SimulationResult, outDir: string, formats: readonly ReportFormat[] = ['text', 'json', 'html', 'junit', 'markdown']): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  return formats.map((format) => {
    const file = path.join(outDir, `eksplan-report.${REPORT_EXTENSIONS[format]}`);
    fs.writeFileSync(file, render(result, format));
    return file;
  });
}

/** Static placement (node groups at desired size), priced as one hour of that state, with the checks. */
export function planStatic(options: { assemblyDir: string; stack?: string; seed?: number; region?: string }): { model: ClusterModel; result: SimulationResult } {
  const model = loadInput(options.assemblyDir, { stack: options.stack });
  const placed = placeStatic(model, { seed: options.seed, region: options.region }).result;
  const findings = [...placed.findings, ...checkPlan(model, placed)];
  const errorFindings = findings.filter((f) => f.severity === 'error').length;
  const result = applyCost(model, { ...placed, findings, verdict: { ...placed.verdict, errorFindings, passed: errorFindings === 0 } }, undefined);
  return { model, result };
}

/** Requests of one pod of each workload (for the cost allocation by workload). */
export function workloadRequestsOf(model: ClusterModel): Map<string, { milliCpu: number; memoryBytes: number }> {
  const out = new Map<string, { milliCpu: number; memoryBytes: number }>();
  for (const workload of workloadsOf(model)) {
    const admitted = podForWorkload(workload, 0, { ...admissionOf(model), quotas: new Map() });
    if ('pod' in admitted) {
      const requests = podRequests(admitted.pod);
      out.set(workload.key, { milliCpu: requests.milliCpu, memoryBytes: requests.memoryBytes });
    }
  }
  return out;
}

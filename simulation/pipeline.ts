import { readScenarioFile } from './assembly/scenario-file';
import { checkAssembly, checkPlan } from './checks';
import { computeCost, priceBook, trafficAssumptions, type WorkloadRequests } from './cost';
import { admissionOf, parseScenario, placeStatic, podForWorkload, simulate, validateModel, withChartLoadBalancers, workloadsOf, chartEntry, type SimulateOptions } from './engine';
import type { HelmReleaseModel } from './model/cluster';
import type { ClusterModel } from './model/cluster';
import { pendingPodCount, type CheckResult, type CostBreakdown, type Finding, type PendingPod, type PlanResult, type SimulationResult, type ThresholdResult, type Verdict } from './model/result';
import type { AssumedController, Scenario, Thresholds } from './model/scenario';
import { podRequests } from './scheduler/resources';

// The one owner of a plan (ARCHITECTURE.md): model + scenario → engine → cost → checks → verdict → PlanResult.
// The verdict is computed here and nowhere else, once, after the cost, so every threshold is measured one
// way for every caller (CLI, CDK plugin, compare, bench, library users).

export interface PlanOptions extends SimulateOptions {
  /** Date for the EKS support status in the cost (yyyy-mm-dd). @default the scenario's startDate, else the price book's date */
  readonly date?: string;
  /** Controllers deployed outside the assembly, for a static plan (a scenario says it with `assume:`). @default none */
  readonly assume?: readonly AssumedController[];
}

/**
 * Plans a cluster: with a scenario, the engine replays it over time; without one, the static steady state
 * (node groups at their desired size, every pod placed once). Then the full cost, the checks and the verdict.
 * Synchronous: the CDK policy-validation plugin calls it.
 */
export function plan(assembled: ClusterModel, scenario?: Scenario, options: PlanOptions = {}): PlanResult {
  // The same input checks with and without a scenario, and for `check`: one input, one answer.
  validateModel(assembled, options.region);
  // Load balancers the modelled Helm charts create (ingress-nginx's Service) are priced and checked like the assembly's own.
  const model = withChartLoadBalancers(assembled);
  const simulated: SimulationResult = scenario
    ? simulate(model, scenario, options)
    : placeStatic(model, { seed: options.seed, region: options.region, assume: options.assume }).result;
  const cost = computeCost({
    model, result: simulated, prices: priceBook(simulated.input.region), traffic: trafficAssumptions(scenario?.traffic),
    workloadRequests: workloadRequestsOf(model), date: options.date ?? scenario?.startDate,
  });
  const findings = [...simulated.findings, ...checkPlan(model, simulated, { assume: scenario?.assume ?? options.assume, isModelledChart })];
  // Without a scenario the plan is the settled steady state: a pod that still cannot run fails it.
  const verdict = verdictOf(scenario?.thresholds ?? {}, simulated, cost, findings, { staticRun: !scenario });
  // Key order is the report's: input, verdict, summary, ..., cost, findings.
  const { schemaVersion, input, summary, nodes, placements, pendingPods, podPending, subnets, timeline, events } = simulated;
  return { schemaVersion, input, verdict, summary, nodes, placements, pendingPods, podPending, subnets, timeline, events, cost, findings };
}

/** Reads a scenario file (YAML or JSON, and the CSV series it names) and validates it. */
export function loadScenario(file: string): Scenario {
  const { raw, readCsv } = readScenarioFile(file);
  return parseScenario(raw, file, { readCsv });
}

/** The checks the assembly alone shows (`eksplan check`): error findings fail it. */
export function check(input: ClusterModel): CheckResult {
  validateModel(input);
  const model = withChartLoadBalancers(input);
  const findings = checkAssembly(model, { isModelledChart });
  return { kind: 'check', origin: model.origin, findings, passed: !findings.some((f) => f.severity === 'error') };
}

/** What one threshold measures in a run: its value (rounded as the verdict compares it), unit and direction. */
export interface ThresholdMeasure {
  readonly name: keyof Thresholds;
  readonly value: number;
  readonly unit: string;
  /** True for a `max…` threshold (the value must stay at or under the limit), false for a `min…` one. */
  readonly atMost: boolean;
}

/** Every quantity a threshold can limit, measured on one run: the verdict and the seeds sweep read the same values. */
export function thresholdMeasures(result: SimulationResult, cost: CostBreakdown): ThresholdMeasure[] {
  const measure = (name: keyof Thresholds, value: number, unit: string, atMost: boolean): ThresholdMeasure => ({ name, value: Math.round(value * 100) / 100, unit, atMost });
  return [
    measure('maxPendingSeconds', result.summary.maxPendingSeconds, 'seconds', true),
    measure('maxPendingPods', result.summary.peakPodsPending, 'pods', true),
    // The full monthly cost (EC2, EBS, control plane, NAT, load balancers, IPv4, data transfer, logs), never the EC2 share alone.
    measure('maxMonthlyCostUsd', cost.monthlyUsd, 'USD/month', true),
    measure('minFreeSubnetIpsPercent', result.summary.minFreeSubnetIpsPercent, 'percent', false),
    measure('maxNodes', result.summary.peakNodes, 'nodes', true),
  ];
}

/**
 * Each threshold with its measured value, and the verdict: every threshold met and no error finding. `measured`
 * replaces a run's values (a plan over many seeds gives the chosen quantile of each measure over the seeds).
 */
export function verdictOf(thresholds: Thresholds, result: SimulationResult, cost: CostBreakdown, findings: readonly Finding[], options: { staticRun?: boolean; measured?: Partial<Record<keyof Thresholds, number>> } = {}): Verdict {
  const measured: ThresholdResult[] = [];
  for (const { name, value, unit, atMost } of thresholdMeasures(result, cost)) {
    const limit = thresholds[name];
    if (limit === undefined) continue;
    const rounded = options.measured?.[name] ?? value;
    measured.push({ name, limit, measured: rounded, passed: atMost ? rounded <= limit : rounded >= limit, unit });
  }
  let pendingPods: PendingPod[] | undefined;
  if (options.staticRun) {
    // The steady state has every pod running: each one left pending (with its scheduler or CNI reason) fails it.
    pendingPods = result.pendingPods;
    const count = pendingPodCount(pendingPods);
    if (thresholds.maxPendingPods === undefined) measured.push({ name: 'maxPendingPods', limit: 0, measured: count, passed: count === 0, unit: 'pods' });
  }
  const errorFindings = findings.filter((f) => f.severity === 'error').length;
  return { passed: measured.every((t) => t.passed) && errorFindings === 0, thresholds: measured, errorFindings, ...(pendingPods ? { pendingPods } : {}) };
}

/** Requests of one pod of each workload, as admission would create it (for the cost allocation by workload). */
export function workloadRequestsOf(model: ClusterModel): Map<string, WorkloadRequests> {
  const out = new Map<string, WorkloadRequests>();
  const admission = { ...admissionOf(model), quotas: new Map() };
  for (const workload of workloadsOf(model)) {
    const admitted = podForWorkload(workload, 0, admission);
    if ('pod' in admitted) {
      const requests = podRequests(admitted.pod);
      out.set(workload.key, { milliCpu: requests.milliCpu, memoryBytes: requests.memoryBytes });
    }
  }
  return out;
}

function isModelledChart(release: HelmReleaseModel): boolean {
  return chartEntry(release) !== undefined;
}

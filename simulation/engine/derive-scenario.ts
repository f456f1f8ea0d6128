import type { ClusterModel } from '../model/cluster';
import type { HpaMetricModel, HpaModel } from '../model/typed-objects';
import { podRequests } from '../scheduler/resources';
import { parseScenario, type Scenario } from './scenario';
import { admissionOf, podForWorkload, workloadsOf, type WorkloadSpec } from './workloads';

// A scenario for a platform that brought none: a day in which every HorizontalPodAutoscaler target gets a
// diurnal load that moves it between its minReplicas (night) and about its maxReplicas (peak, 14:00), and every
// other workload runs at its replica count. So `plan` and the CDK gate work on any platform, not only the
// reference one whose bundled scenario names its own workloads.

/** The share of the HPA target the derived load reaches at minReplicas and maxReplicas pods (below 1: the HPA holds, not overshoots). */
const TARGET_SHARE = 0.9;
/**
 * The derived gate: no pod may wait longer than this. Ten minutes is above a node launch by the Cluster
 * Autoscaler or Karpenter plus pod start-up (two to four minutes), so only pods that capacity never reaches fail.
 */
const DERIVED_MAX_PENDING_SECONDS = 600;

interface DerivedLoad {
  readonly workload: string;
  readonly profile: { type: 'diurnal'; min: number; max: number; peakHour: number };
  readonly perRequest: { cpuMillicores: number; memoryMiB: number };
  readonly baseline: { cpuMillicores: number; memoryMiB: number };
}

/**
 * Requests per second that hold `replicas` pods at TARGET_SHARE of the HPA's first metric target, with one unit of
 * the metric per request: CPU (millicores) or memory (MiB) per request for resource metrics, the metric value
 * itself for Pods and Object metrics (the engine feeds them the offered load). Undefined when the metric cannot
 * be driven by load (External metrics, a utilization target on a resource the pods do not request).
 */
function loadFor(metric: HpaMetricModel, requests: { milliCpu: number; memoryBytes: number }): { perReplica: number; perRequest: DerivedLoad['perRequest'] } | undefined {
  const quantity = (milli: number | undefined) => (milli === undefined ? undefined : milli / 1000);
  if (metric.type === 'Resource' && (metric.name === 'cpu' || metric.name === 'memory')) {
    const cpu = metric.name === 'cpu';
    const requested = cpu ? requests.milliCpu : requests.memoryBytes / 2 ** 20;
    // AverageValue of cpu is in cores (millicores once parsed), of memory in bytes.
    const perPod = metric.targetType === 'Utilization'
      ? ((metric.averageUtilization ?? 80) / 100) * requested
      : cpu ? metric.averageValueMilli : quantity(metric.averageValueMilli) !== undefined ? (quantity(metric.averageValueMilli) as number) / 2 ** 20 : undefined;
    if (!perPod || perPod <= 0) return undefined;
    return { perReplica: perPod, perRequest: cpu ? { cpuMillicores: 1, memoryMiB: 0 } : { cpuMillicores: 0, memoryMiB: 1 } };
  }
  if (metric.type === 'Pods' || (metric.type === 'Object' && metric.targetType === 'AverageValue')) {
    const perPod = quantity(metric.averageValueMilli);
    if (!perPod || perPod <= 0) return undefined;
    return { perReplica: perPod, perRequest: { cpuMillicores: 0, memoryMiB: 0 } };
  }
  return undefined;
}

function derivedLoad(hpa: HpaModel, workload: WorkloadSpec, requests: { milliCpu: number; memoryBytes: number }): DerivedLoad | undefined {
  const metric = hpa.metrics[0];
  if (!metric) return undefined;
  const load = loadFor(metric, requests);
  if (!load) return undefined;
  const rps = (replicas: number) => Math.round(replicas * load.perReplica * TARGET_SHARE * 1000) / 1000;
  return {
    workload: workload.key,
    profile: { type: 'diurnal', min: rps(hpa.minReplicas), max: rps(hpa.maxReplicas), peakHour: 14 },
    perRequest: load.perRequest,
    baseline: { cpuMillicores: 0, memoryMiB: 0 },
  };
}

/** A day's scenario from the platform's own workloads (see the header). Pure; validated like a scenario file. */
export function deriveScenario(model: ClusterModel): Scenario {
  const workloads = workloadsOf(model);
  const admission = { ...admissionOf(model), quotas: new Map() };
  const loads: DerivedLoad[] = [];
  for (const hpa of model.hpas) {
    const workload = workloads.find((w) => w.namespace === hpa.namespace && w.kind === hpa.target.kind && w.name === hpa.target.name);
    if (!workload) continue;
    const admitted = podForWorkload(workload, 0, admission);
    if (!('pod' in admitted)) continue;
    const load = derivedLoad(hpa, workload, podRequests(admitted.pod));
    if (load) loads.push(load);
  }
  return parseScenario({
    name: 'derived', duration: '24h', step: '15s', seed: 1,
    loads, thresholds: { maxPendingSeconds: DERIVED_MAX_PENDING_SECONDS },
  }, 'derived scenario');
}

/** Whether every workload a scenario loads exists in the model (the bundled reference scenario fits only the reference platform). */
export function scenarioFits(model: ClusterModel, scenario: Scenario): boolean {
  const workloads = workloadsOf(model).filter((w) => !w.daemonSet);
  return scenario.loads.every((load) => workloads.filter((w) => w.key === load.workload || `${w.namespace}/${w.name}` === load.workload || w.name === load.workload).length === 1);
}

import type { ClusterModel } from '../model/cluster';
import type { Finding, SimulationResult } from '../model/result';
import { ClusterState } from './cluster-state';
import { buildResult, timelinePoint } from './result-builder';

export interface StaticOptions {
  readonly seed?: number;
  /** Prices in this region. @default the assembly's region, else us-east-1 */
  readonly region?: string;
}

export interface StaticPlacement {
  readonly state: ClusterState;
  readonly result: SimulationResult;
}

/**
 * Static placement: every node group at its desired size (spread over its subnets' AZs), DaemonSet pods on
 * every node they fit, then every other pod through the scheduler in priority order with preemption, each
 * getting an address from the VPC CNI model. Karpenter NodePools add no nodes here (they react to load over
 * time); pods that need them stay pending with the scheduler's reasons.
 */
export function placeStatic(model: ClusterModel, options: StaticOptions = {}): StaticPlacement {
  const seed = options.seed ?? 1;
  const region = options.region ?? model.region ?? 'us-east-1';
  const state = new ClusterState(model, { region, seed });
  state.launchNodeGroups(0, 0);
  for (const workload of state.workloads) {
    if (workload.daemonSet) continue;
    for (let ordinal = 0; ordinal < workload.replicas; ordinal += 1) state.createPod(workload, ordinal, 0);
  }
  state.schedulePending(0, { preemption: true });
  // Evicted (preempted) pods get one more pass, as the scheduling queue would retry them.
  state.schedulePending(0, { preemption: false });
  const findings: Finding[] = [];
  const pools = model.objects.filter((o) => o.object.kind === 'NodePool').map((o) => o.object.metadata.name);
  if (pools.length > 0) {
    findings.push({
      severity: 'info', code: 'static-no-karpenter', object: `NodePool ${pools.join(', ')}`,
      message: 'static placement uses node groups at their desired size; Karpenter NodePools launch nodes only in a scenario run',
      fix: 'run with --scenario to see Karpenter provision nodes for these pods',
    });
  }
  const point = timelinePoint(state, 0);
  const result = buildResult({
    state, origin: model.origin, scenario: 'static', seed, durationSeconds: 0, stepSeconds: 0, timeline: [point], events: state.events,
    thresholds: [], findings, peakNodes: point.nodes, nodesByInstanceTypeAtPeak: point.nodesByInstanceType, peakPodsPending: point.podsPending, model,
  });
  return { state, result };
}

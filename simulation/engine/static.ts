import { ClusterAutoscaler } from '../autoscaling/cluster-autoscaler';
import { clusterAutoscalerRuntime } from '../autoscaling/cluster-autoscaler-config';
import { KarpenterController } from '../autoscaling/karpenter';
import type { CapacityActions, CapacityController, ClusterView } from '../autoscaling/types';
import { DEFAULT_REGION } from '../catalog';
import { withAutoModeBuiltInPools } from '../catalog/auto-mode';
import type { ClusterModel } from '../model/cluster';
import type { Finding, SimulationResult } from '../model/result';
import type { AssumedController } from '../model/scenario';
import { createRng } from '../scheduler/rng';
import { ClusterState } from './cluster-state';
import { deployedControllers, isScalable, type DeployedControllers } from './controllers';
import { buildResult, resetMeasurements, timelinePoint } from './result-builder';
import { parseScenario } from './scenario';
import type { WorkloadSpec } from './workloads';
import { KARPENTER_BATCH_DEFAULTS } from '../model/typed-objects';

export interface StaticOptions {
  readonly seed?: number;
  /** Prices in this region. @default the assembly's region, else us-east-1 */
  readonly region?: string;
  /** Controllers deployed outside the assembly. @default none */
  readonly assume?: readonly AssumedController[];
  /** Alike replicas share their scheduling work and pending ones are counted (ClusterStateOptions.podEquivalence). @default true */
  readonly podEquivalence?: boolean;
}

export interface StaticPlacement {
  readonly state: ClusterState;
  readonly result: SimulationResult;
}

/** Simulated seconds the settling pass may take at most (node launches take one to three minutes). */
const SETTLE_SECONDS = 1800;
const SETTLE_STEP_SECONDS = 5;

/**
 * The engine's static run (the pipeline's `plan(model)` without a scenario): the steady state the deployed
 * controllers settle to. Every node group at its desired size (spread over its subnets' AZs), DaemonSet pods on
 * every node they fit, every other pod through the scheduler in priority order with preemption, each getting an
 * address from the VPC CNI model. Then, when pods are pending, a settling pass before t = 0 in which only the
 * deployed (or assumed) Karpenter provisions and the Cluster Autoscaler scales up, as they would for those pods;
 * no voluntary disruption (consolidation, scale-down) runs. The launched nodes are in the result, summarised in
 * the events at t = 0; pods still pending keep their scheduler reasons.
 */
export function placeStatic(input: ClusterModel, options: StaticOptions = {}): StaticPlacement {
  const model = withAutoModeBuiltInPools(input);
  const seed = options.seed ?? 1;
  const region = options.region ?? model.region ?? DEFAULT_REGION;
  const state = new ClusterState(model, { region, seed, podEquivalence: options.podEquivalence });
  const deployed = deployedControllers(model, options.assume);
  const controllers = capacityControllers(model, deployed, region);
  const start = controllers.length > 0 ? -SETTLE_SECONDS : 0;
  state.launchNodeGroups(start, 0);
  // Without a controller to provision for them, pending replicas are only counted in the result: keep them counted.
  for (const workload of state.workloads) if (!workload.daemonSet) state.createReplicas(workload, 0, workload.replicas, start, { counted: controllers.length === 0 });
  state.schedulePending(start, { preemption: true });
  // Evicted (preempted) pods get one more pass, as the scheduling queue would retry them.
  state.schedulePending(start, { preemption: false });
  if (start < 0) {
    const before = warmUpMark(state, []);
    settle(state, controllers, region, seed, start);
    const messages = warmUpSummary(before, warmUpMark(state, []), 'static settling (Karpenter and Cluster Autoscaler provisioning for the pending pods, before t=0)');
    resetMeasurements(state);
    for (const message of messages) state.emit(0, { type: 'warm-up', source: 'engine', object: 'Cluster', message });
  }
  // NodePools without a Karpenter controller are a finding of the controllers check (checks/controllers.ts).
  const findings: Finding[] = [];
  const point = timelinePoint(state, 0);
  const result = buildResult({
    state, origin: model.origin, scenario: 'static', seed, durationSeconds: 0, stepSeconds: 0, timeline: [point], events: state.events,
    findings, peakNodes: point.nodes, nodesByInstanceTypeAtPeak: point.nodesByInstanceType, peakPodsPending: point.podsPending, model,
  });
  return { state, result };
}

function capacityControllers(model: ClusterModel, deployed: DeployedControllers, region: string): CapacityController[] {
  // The scenario defaults (launch delays, Cluster Autoscaler expander and intervals) for a run without a scenario.
  const settings = parseScenario({}, 'static').controllers;
  const out: CapacityController[] = [];
  if (deployed.clusterAutoscaler) {
    const ca = clusterAutoscalerRuntime(model, settings.clusterAutoscaler);
    if (ca.groups.some(isScalable)) out.push(new ClusterAutoscaler(ca.groups, ca.settings));
  }
  if (deployed.karpenter && KarpenterController.hasNodePools(model)) {
    out.push(new KarpenterController(model, {
      launchDelaySeconds: settings.karpenter.launchDelaySeconds,
      // karpenter pkg/operator/options: batchIdleDuration 1s, batchMaxDuration 10s unless the chart sets them.
      batchIdleSeconds: Math.min(model.karpenterSettings?.batchIdleSeconds ?? KARPENTER_BATCH_DEFAULTS.idleSeconds, model.karpenterSettings?.batchMaxSeconds ?? KARPENTER_BATCH_DEFAULTS.maxSeconds),
      batchMaxSeconds: model.karpenterSettings?.batchMaxSeconds ?? KARPENTER_BATCH_DEFAULTS.maxSeconds,
    }, region));
  }
  return out;
}

/** Provisioning only: controllers launch for pending pods until none is left or nothing more launches. */
function settle(state: ClusterState, controllers: CapacityController[], region: string, seed: number, start: number): void {
  const random = createRng(seed ^ 0x5eed);
  let now = start;
  const view: ClusterView = state.viewAt({ now: () => now, region, model: state.model, unavailableZones: () => new Set<string>(), hasCapacity: () => true, random });

  const actions: CapacityActions = {
    launch: (request) => state.launch(request, now),
    // Steady state for the pods that exist: no consolidation or scale-down while settling.
    terminate: () => undefined,
    cordon: () => undefined,
    emit: () => undefined,
  };
  const nextRun = new Map<CapacityController, number>();
  let quietSince = now;
  for (; now < 0; now += SETTLE_STEP_SECONDS) {
    state.readyNodes(now);
    state.progressPods(now);
    state.schedulePending(now, { preemption: true });
    const nodesBefore = state.nodes.size;
    for (const controller of controllers) {
      if (now < (nextRun.get(controller) ?? start)) continue;
      nextRun.set(controller, now + controller.interval);
      controller.reconcile(view, actions);
    }
    const launching = [...state.nodes.values()].some((n) => !n.ready && !n.deleting);
    if (state.nodes.size !== nodesBefore || launching) quietSince = now;
    // Settled: nothing pending, or nothing launched for five minutes (what is left cannot be placed).
    if (!launching && (state.pendingPods().length === 0 || now - quietSince >= 300)) break;
  }
  state.readyNodes(0);
  state.progressPods(0);
  state.schedulePending(0, { preemption: true });
  state.progressPods(0);
}


/** Nodes per owner (and their instance types) and replicas per workload at one moment, to summarise a warm-up. */
export interface WarmUpMark {
  readonly nodes: Map<string, number>;
  readonly types: Map<string, Map<string, number>>;
  readonly replicas: Map<string, number>;
}

export function warmUpMark(state: ClusterState, workloads: readonly WorkloadSpec[]): WarmUpMark {
  const nodes = new Map<string, number>();
  const types = new Map<string, Map<string, number>>();
  for (const node of state.nodes.values()) {
    if (node.deleting) continue;
    const owner = `${node.owner.kind === 'nodegroup' ? 'node group' : node.owner.kind === 'nodepool' ? 'NodePool' : node.owner.kind} ${node.owner.name}`;
    nodes.set(owner, (nodes.get(owner) ?? 0) + 1);
    const byType = types.get(owner) ?? new Map<string, number>();
    byType.set(node.instanceType.name, (byType.get(node.instanceType.name) ?? 0) + 1);
    types.set(owner, byType);
  }
  const replicas = new Map<string, number>();
  for (const workload of workloads) replicas.set(workload.key, 0);
  for (const pod of state.pods.values()) {
    if (replicas.has(pod.workload.key) && pod.phase !== 'Terminating') replicas.set(pod.workload.key, (replicas.get(pod.workload.key) ?? 0) + 1);
  }
  for (const range of state.countedReplicas()) {
    if (replicas.has(range.workload.key)) replicas.set(range.workload.key, (replicas.get(range.workload.key) ?? 0) + range.to - range.from);
  }
  return { nodes, types, replicas };
}

/** One message per change between two marks (`warm-up (900s before t=0): node group ng 3 → 2 nodes`). */
export function warmUpSummary(before: WarmUpMark, after: WarmUpMark, prefix: string): string[] {
  const out: string[] = [];
  for (const owner of [...new Set([...before.nodes.keys(), ...after.nodes.keys()])].sort()) {
    const from = before.nodes.get(owner) ?? 0;
    const to = after.nodes.get(owner) ?? 0;
    if (from === to) continue;
    const types = [...(after.types.get(owner) ?? new Map<string, number>()).entries()].sort().map(([type, n]) => `${type} ×${n}`).join(', ');
    out.push(`${prefix}: ${owner} ${from} → ${to} node(s)${types ? ` (${types})` : ''}`);
  }
  for (const [workload, from] of [...before.replicas.entries()].sort()) {
    const to = after.replicas.get(workload) ?? 0;
    if (from !== to) out.push(`${prefix}: ${workload} ${from} → ${to} replicas`);
  }
  return out;
}

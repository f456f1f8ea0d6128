import { ClusterAutoscaler } from '../autoscaling/cluster-autoscaler';
import { clusterAutoscalerRuntime } from '../autoscaling/cluster-autoscaler-config';
import { HpaController, hpaReplicaCalculation, type HpaMetricInput, type HpaPodSample } from '../autoscaling/hpa';
import { KarpenterController, type KarpenterSettings } from '../autoscaling/karpenter';
import type { CapacityActions, CapacityController, CapacityType, ClusterView, LaunchRequest, LaunchResult, SimPod } from '../autoscaling/types';
import { withAutoModeBuiltInPools } from '../catalog/auto-mode';
import { DEFAULT_REGION } from '../catalog';
import type { ClusterModel } from '../model/cluster';
import { EksplanError } from '../model/errors';
import type { Pod, Taint } from '../model/kubernetes';
import { KARPENTER_BATCH_DEFAULTS, type HpaModel } from '../model/typed-objects';
import { parseBytes, parseMilliCpu, parseQuantity } from '../model/quantity';
import type { NodeLoad, SimEvent, SimulationResult, TimelinePoint } from '../model/result';
import type { ExistingNode } from '../model/karpenter-hash';
import { createRng } from '../scheduler/rng';
import { ClusterState, taintsWithout, type ViewSource } from './cluster-state';
import { objectList } from '../model/object-list';
import { deployedControllers, isScalable, type DeployedControllers } from './controllers';
import { warmUpSummary, type WarmUpMark, warmUpMark } from './static';
import { buildResult, nodeLoadsOf, resetMeasurements, timelinePoint } from './result-builder';
import { rpsAt, type Scenario, type WorkloadLoad } from './scenario';
import type { WorkloadSpec } from './workloads';
import { assertTypedObjectsValid } from '../model/typed-objects';

export interface SimulateOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Overrides the scenario's and the assembly's region (prices). */
  readonly region?: string;
  /** Called with the fraction done (0..1), at most a hundred times. */
  readonly onProgress?: (fraction: number) => void;
  /** Simulated time before t=0 to reach a steady state (not measured). @default 900 */
  readonly warmupSeconds?: number;
  /** At most this many timeline points are kept (every k-th step); peaks are tracked every step. @default 2000 */
  readonly maxTimelinePoints?: number;
  /**
   * Karpenter nodes already running when the run starts, launched under older NodePools or EC2NodeClasses (a
   * what-if deployed over a baseline, simulation/compare): the change counts as deployed at t = 0, so Karpenter
   * evaluates drift from then on. @default none
   */
  readonly existingNodes?: readonly ExistingNode[];
}

// The HPA treats a pod as ready for metrics only 30s after it became Ready (--horizontal-pod-autoscaler-initial-readiness-delay).
const HPA_INITIAL_READINESS_DELAY = 30;
const SPOT_NOTICE_SECONDS = 120;
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const UNREACHABLE_TOLERATION_SECONDS = 300;

interface HpaBinding {
  readonly hpa: HpaModel;
  readonly controller: HpaController;
  readonly workload: WorkloadSpec;
  /** The calculator's error at the last sync, so a lasting error is reported once. */
  lastError: string | undefined;
}

/**
 * Replays a scenario over the cluster: load → HPA → pods → scheduler (with the VPC CNI) → Cluster Autoscaler
 * and Karpenter → faults, every step, deterministic for a seed. The engine alone: the timeline and per-pod
 * history, no cost and no verdict (simulation/pipeline.ts computes those once). Synchronous.
 */
export function simulate(input: ClusterModel, scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  // The per-step work lives in SimulationRun's methods, compiled once per process, rather than in one loop that V8
  // would on-stack-replace into a giant function again on every call.
  const run = new SimulationRun(input, scenario, options);
  run.runSteps();
  return run.result();
}

type Outage = Extract<Scenario['faults'][number], { type: 'az-outage' }>;
type Shortage = Extract<Scenario['faults'][number], { type: 'insufficient-capacity' }>;

/**
 * What capacity controllers do to the run's cluster. A class, not closures made per run, so controller code V8
 * optimised with these calls inlined stays valid in the next run.
 */
class RunActions implements CapacityActions {
  private readonly run: SimulationRun;

  constructor(run: SimulationRun) {
    this.run = run;
  }

  launch(request: LaunchRequest): LaunchResult {
    const { run } = this;
    if (run.unavailableZones().has(request.zone)) return { error: 'ZoneUnavailable', message: `${request.zone} is unavailable` };
    if (!run.hasCapacity(request.instanceType, request.zone, request.capacityType)) return { error: 'InsufficientCapacity', message: `InsufficientInstanceCapacity: ${request.instanceType} in ${request.zone}` };
    const result = run.state.launch(request, run.nowSeconds);
    if (!('error' in result) && request.owner.kind === 'nodegroup') run.groupDesired.set(request.owner.name, (run.groupDesired.get(request.owner.name) ?? 0) + 1);
    return result;
  }

  terminate(name: string, reason: string): void {
    const { run } = this;
    const node = run.state.nodes.get(name);
    if (node && node.owner.kind === 'nodegroup' && (run.voluntary || reason.startsWith('cluster-autoscaler'))) run.groupDesired.set(node.owner.name, Math.max(0, (run.groupDesired.get(node.owner.name) ?? 1) - 1));
    run.state.terminate(name, reason, run.nowSeconds);
  }

  cordon(name: string): void {
    this.run.state.cordon(name);
  }

  taint(name: string, taint: Taint, present: boolean): void {
    this.run.state.taint(name, taint, present);
  }

  emit(event: Omit<SimEvent, 't'>): void {
    if (this.run.nowSeconds >= 0) this.run.state.emit(this.run.nowSeconds, event);
  }
}

/** One run of simulate(): the state and controllers it set up, and what it measures as the steps go by. */
class SimulationRun implements ViewSource {
  readonly scenario: Scenario;
  /** Read once: callers pass options objects of many shapes, and a per-step read of one would deoptimise step(). */
  readonly onProgress: ((fraction: number) => void) | undefined;
  readonly model: ClusterModel;
  readonly seed: number;
  private readonly rng: () => number;
  readonly state: ClusterState;
  readonly stepSeconds: number;
  readonly start: number;
  readonly loads: { workload: WorkloadSpec; load: WorkloadLoad }[];
  readonly hpas: HpaBinding[];
  /** Looked up per workload every step and every HPA sync: indexed once, so thousands of workloads stay linear. */
  readonly loadOf = new Map<WorkloadSpec, { workload: WorkloadSpec; load: WorkloadLoad }>();
  readonly hpaOf: Map<WorkloadSpec, HpaBinding>;
  readonly groupDesired: Map<string, number>;
  readonly ordinals = new Map<string, number>();
  readonly deployed: DeployedControllers;
  readonly controllers: CapacityController[] = [];
  readonly warmUpStart: WarmUpMark | undefined;
  readonly outages: Outage[];
  readonly shortages: Shortage[];
  readonly region: string;
  nowSeconds: number;
  /** True while a capacity controller reconciles: its terminations lower the node group's desired size. */
  voluntary = false;
  readonly view: ClusterView;
  readonly actions: CapacityActions;
  readonly totalSteps: number;
  readonly every: number;
  readonly timeline = objectList<TimelinePoint>();
  peakNodes = 0;
  peakPending = 0;
  peakTypes: Record<string, number> = {};
  peakAt: number | undefined = undefined;
  nodeLoadAtPeak: NodeLoad[] | undefined = undefined;
  readonly nextRun = new Map<CapacityController, number>();
  nextHpa: number;
  progressMark = 0;
  readonly usage = new Map<string, { milliCpu: number; memoryBytes: number }>();
  /** Requests per second per workload key now (the timeline point lists them in key order). */
  readonly rpsNow = new Map<string, number>();

  constructor(input: ClusterModel, scenario: Scenario, options: SimulateOptions) {
    this.scenario = scenario;
    this.onProgress = options.onProgress;
    // Objects the typed model could not read are bad input here as in plan() and check().
    assertTypedObjectsValid(input);
    // EKS Auto Mode clusters get the built-in node pools they enable, managed like Karpenter.
    const model = withAutoModeBuiltInPools(input);
    this.model = model;
    const seed = options.seed ?? scenario.seed;
    this.seed = seed;
    const region = options.region ?? scenario.region ?? model.region ?? DEFAULT_REGION;
    this.region = region;
    this.rng = createRng(seed ^ 0x5eed);
    // The scenario's feature gates (a what-if over the cluster version's defaults) reach the scheduler and the HPA.
    const state = new ClusterState(model, { region, seed, podStartupSeconds: scenario.controllers.pods.startupSeconds, featureGates: scenario.featureGates });
    this.state = state;
    const step = scenario.stepSeconds;
    this.stepSeconds = step;
    const warmup = options.warmupSeconds ?? 900;
    const start = -Math.ceil(warmup / step) * step;
    this.start = start;
    this.loads = bindLoads(scenario, state.workloads);
    this.hpas = bindHpas(model, state.workloads);
    for (const load of this.loads) if (!this.loadOf.has(load.workload)) this.loadOf.set(load.workload, load);
    this.hpaOf = new Map(this.hpas.map((h) => [h.workload, h]));

    // Node groups at their desired size, pods at their replicas (HPA targets at least minReplicas).
    state.launchNodeGroups(start, 0);
    for (const node of options.existingNodes ?? []) {
      state.launch({ ...node, subnetIds: node.subnetId ? [node.subnetId] : undefined, readyDelaySeconds: 0, karpenter: true }, start);
    }
    this.groupDesired = new Map(model.nodeGroups.map((g) => [g.name, g.desiredSize]));
    for (const workload of state.workloads) {
      if (workload.daemonSet) continue;
      const hpa = this.hpaOf.get(workload);
      const replicas = hpa ? Math.min(hpa.controller.maxReplicas, Math.max(hpa.controller.minReplicas, workload.replicas)) : workload.replicas;
      this.createPods(workload, replicas, start);
    }

    // Only the controllers the assembly deploys (or the scenario assumes) act: a node group nobody scales keeps its
    // desired size, NodePools without Karpenter launch nothing, and HPAs without a metrics API hold their replicas.
    this.deployed = deployedControllers(model, scenario.assume);
    if (this.deployed.clusterAutoscaler) {
      // The groups the deployed Cluster Autoscaler finds (--nodes, --node-group-auto-discovery), with its flags.
      const ca = clusterAutoscalerRuntime(model, scenario.controllers.clusterAutoscaler);
      if (ca.groups.some(isScalable)) this.controllers.push(new ClusterAutoscaler(ca.groups, ca.settings));
    }
    if (this.deployed.karpenter && KarpenterController.hasNodePools(model)) this.controllers.push(new KarpenterController(model, { ...karpenterSettings(model, scenario), ...(options.existingNodes?.length ? { changeDeployedAt: 0 } : {}) }, region));
    this.warmUpStart = start < 0 ? warmUpMark(state, this.hpas.map((h) => h.workload)) : undefined;

    this.outages = scenario.faults.filter((f): f is Outage => f.type === 'az-outage');
    this.shortages = scenario.faults.filter((f): f is Shortage => f.type === 'insufficient-capacity');
    this.nowSeconds = start;
    this.view = state.viewAt(this);
    this.actions = new RunActions(this);

    this.totalSteps = Math.floor((scenario.durationSeconds - start) / step) + 1;
    const measuredSteps = Math.floor(scenario.durationSeconds / step) + 1;
    this.every = Math.max(1, Math.ceil(measuredSteps / (options.maxTimelinePoints ?? 2000)));
    this.nextHpa = start;
  }

  private createPods(workload: WorkloadSpec, count: number, t: number): void {
    for (let i = 0; i < count; i += 1) {
      const ordinal = this.ordinals.get(workload.key) ?? 0;
      this.ordinals.set(workload.key, ordinal + 1);
      this.state.createPod(workload, ordinal, t);
    }
  }

  // The view's source (ClusterState.viewAt): methods, the same functions in every run.
  now(): number {
    return this.nowSeconds;
  }

  unavailableZones(): Set<string> {
    return new Set(this.outages.filter((o) => this.nowSeconds >= o.from && this.nowSeconds < o.to).map((o) => o.zone));
  }

  hasCapacity(instanceType: string, zone: string, _capacityType: CapacityType): boolean {
    return !this.shortages.some((s) => this.nowSeconds >= s.from && this.nowSeconds < s.to && s.instanceTypes.includes(instanceType) && (!s.zones || s.zones.includes(zone)));
  }

  random(): number {
    return this.rng();
  }

  /** Every step. The loop ends its function, so code V8 compiles for it on the stack (OSR) is reused by later runs. */
  runSteps(): void {
    for (let i = 0; i < this.totalSteps; i += 1) this.step(i);
  }

  /** Step `i` of the run: time start + i * step. */
  step(i: number): void {
    const { state, scenario, stepSeconds: step, start } = this;
    const now = start + i * step;
    this.nowSeconds = now;
    if (now === 0) {
      // What the warm-up changed is summarised at t = 0, so no change before the timeline goes unseen.
      if (this.warmUpStart) for (const message of warmUpSummary(this.warmUpStart, warmUpMark(state, this.hpas.map((h) => h.workload)), `warm-up (${-start}s before t=0)`)) state.emit(0, { type: 'warm-up', source: 'engine', object: 'Cluster', message });
      resetMeasurements(state);
    }
    applyFaults(scenario, state, now, step, this.rng, this.actions);

    // Load → per-pod usage.
    for (const load of this.loads) this.rpsNow.set(load.workload.key, rpsAt(load.load.profile, Math.max(0, now)));
    updateUsage(state, this.loadOf, this.rpsNow, scenario.defaultUtilization, this.usage);

    if (this.deployed.metricsApi && now >= this.nextHpa) {
      this.nextHpa = now + scenario.controllers.hpa.syncPeriodSeconds;
      this.syncHpas(now);
    }

    // Nodes that became Ready, pods that started, the scheduling queue.
    state.readyNodes(now);
    state.progressPods(now);
    state.schedulePending(now, { preemption: true });

    this.reconcileCapacity(now);
    reconcileNodeGroups(state, this.groupDesired, now, scenario.controllers.clusterAutoscaler.provisioningDelaySeconds, this.unavailableZones());

    if (now < 0) return;
    this.measure(i, now);
  }

  /** HPA sync. */
  private syncHpas(now: number): void {
    const { state, scenario, model, actions } = this;
    for (const binding of this.hpas) {
      const current = state.podsOfWorkload(binding.workload);
      const metrics = metricInputs(binding, current, now, this.usage, this.loadOf.get(binding.workload), this.rpsNow);
      // Per-HPA tolerances (behavior.scaleUp/scaleDown.tolerance) apply as the cluster's version enables them.
      const calculation = hpaReplicaCalculation({ currentReplicas: current.length, metrics, behavior: binding.hpa.behavior, kubernetesVersion: model.cluster?.version, featureGates: scenario.featureGates });
      // kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler: when computeReplicasForMetrics
      // fails (every metric invalid, or some invalid while the rest would scale down) the sync ends before
      // normalizeDesiredReplicas, so no recommendation enters the stabilization window and nothing is scaled.
      if (calculation.error !== undefined) {
        // Reported once per error from t=0 (warm-up events are summarized, not listed).
        if (now >= 0 && binding.lastError !== calculation.error) actions.emit({ type: 'hpa', source: 'horizontal-pod-autoscaler', object: `HorizontalPodAutoscaler ${binding.hpa.namespace}/${binding.hpa.name}`, message: `FailedComputeMetricsReplicas: ${calculation.error}; replicas stay ${current.length}` });
        if (now >= 0) binding.lastError = calculation.error;
        continue;
      }
      binding.lastError = undefined;
      const proposal = calculation.replicas;
      const desired = binding.controller.decide(now, current.length, proposal);
      if (desired > current.length) this.createPods(binding.workload, desired - current.length, now);
      if (desired < current.length) removePods(state, current, current.length - desired, now);
      if (desired !== current.length) actions.emit({ type: 'hpa', source: 'horizontal-pod-autoscaler', object: `HorizontalPodAutoscaler ${binding.hpa.namespace}/${binding.hpa.name}`, message: `${current.length} → ${desired} replicas (metrics propose ${proposal})` });
    }
  }

  /** Capacity controllers, each at its interval. */
  private reconcileCapacity(now: number): void {
    for (const controller of this.controllers) {
      if (now < (this.nextRun.get(controller) ?? this.start)) continue;
      this.nextRun.set(controller, now + controller.interval);
      this.voluntary = true;
      controller.reconcile(this.view, this.actions);
      this.voluntary = false;
    }
  }

  /** Peaks are measured every step; the per-workload records only for the points the timeline keeps. */
  private measure(i: number, now: number): void {
    const { state, scenario, stepSeconds: step } = this;
    const kept = (now / step) % this.every === 0 || now + step > scenario.durationSeconds;
    const point = timelinePoint(state, now, this.loads.length > 0 ? this.rpsNow : undefined, this.usage, kept);
    if (point.nodes > this.peakNodes) { this.peakNodes = point.nodes; this.peakTypes = point.nodesByInstanceType; this.peakAt = now; this.nodeLoadAtPeak = nodeLoadsOf(state); }
    this.peakPending = Math.max(this.peakPending, point.podsPending);
    if (kept) this.timeline.push(point);
    if (this.onProgress && i / this.totalSteps >= this.progressMark) {
      this.onProgress(i / this.totalSteps);
      this.progressMark += 0.01;
    }
  }

  result(): SimulationResult {
    const { state, scenario, model } = this;
    this.onProgress?.(1);
    return buildResult({
      state, origin: model.origin, scenario: scenario.name, seed: this.seed, durationSeconds: scenario.durationSeconds, stepSeconds: this.stepSeconds, timeline: this.timeline, events: state.events,
      findings: [], peakNodes: this.peakNodes, nodesByInstanceTypeAtPeak: this.peakTypes, peakPodsPending: this.peakPending, model, peakAt: this.peakAt, nodeLoadAtPeak: this.nodeLoadAtPeak,
    });
  }
}


/**
 * Karpenter's settings: the launch delay from the scenario, the batch windows from the chart values the
 * assembly deploys. The batcher (karpenter pkg/controllers/provisioning/batcher.go) closes a batch after
 * batchIdleDuration without a new pod, or after batchMaxDuration in all; pods of one step arrive together,
 * so a batch closes after the shorter of the two.
 */
function karpenterSettings(model: ClusterModel, scenario: Scenario): KarpenterSettings {
  const idle = model.karpenterSettings?.batchIdleSeconds ?? KARPENTER_BATCH_DEFAULTS.idleSeconds;
  const max = model.karpenterSettings?.batchMaxSeconds ?? KARPENTER_BATCH_DEFAULTS.maxSeconds;
  // Scheduled disruption budgets are cron windows in UTC: t = 0 is midnight UTC of the scenario's start date.
  const startEpochSeconds = scenario.startDate ? Date.parse(`${scenario.startDate}T00:00:00Z`) / 1000 : undefined;
  return { launchDelaySeconds: scenario.controllers.karpenter.launchDelaySeconds, batchIdleSeconds: Math.min(idle, max), batchMaxSeconds: max, startEpochSeconds };
}


function bindLoads(scenario: Scenario, workloads: readonly WorkloadSpec[]): { workload: WorkloadSpec; load: WorkloadLoad }[] {
  // A load names its workload as `Kind namespace/name`, `namespace/name` or `name`: every spelling indexed once.
  const byName = new Map<string, WorkloadSpec[]>();
  for (const w of workloads) {
    if (w.daemonSet) continue;
    for (const name of new Set([w.key, `${w.namespace}/${w.name}`, w.name])) {
      const list = byName.get(name);
      if (list) list.push(w); else byName.set(name, [w]);
    }
  }
  return scenario.loads.map((load, i) => {
    const match = byName.get(load.workload) ?? [];
    if (match.length !== 1) {
      const known = workloads.filter((w) => !w.daemonSet && !w.system).map((w) => w.key).join(', ');
      throw new EksplanError(match.length === 0 ? `unknown workload '${load.workload}'; the assembly has ${known || 'none'}` : `'${load.workload}' matches several workloads; use Kind namespace/name`, { input: scenario.file ?? scenario.name, field: `loads[${i}].workload` });
    }
    return { workload: match[0], load };
  });
}

function bindHpas(model: ClusterModel, workloads: readonly WorkloadSpec[]): HpaBinding[] {
  // The typed HPAs (model/typed-objects.ts) carry the API server's defaults and validated min/max replicas.
  const out: HpaBinding[] = [];
  const byTarget = new Map<string, WorkloadSpec>();
  for (const w of [...workloads].reverse()) byTarget.set(`${w.kind} ${w.namespace}/${w.name}`, w);
  const bound = new Map<WorkloadSpec, HpaBinding>();
  for (const hpa of model.hpas) {
    const { namespace, target, source } = hpa;
    const workload = byTarget.get(`${target.kind} ${namespace}/${target.name}`);
    if (!workload) {
      throw new EksplanError(`scaleTargetRef ${target.kind} ${namespace}/${target.name} does not exist in the assembly`, { input: `${source.file}: HorizontalPodAutoscaler ${namespace}/${hpa.name}`, field: 'spec.scaleTargetRef' });
    }
    const other = bound.get(workload);
    if (other) {
      // The HPA controller refuses targets scaled by several HPAs (horizontal.go: "ambiguous selector").
      throw new EksplanError(`${workload.key} is already scaled by HorizontalPodAutoscaler ${namespace}/${other.hpa.name}; two HPAs on one target fight each other`, { input: `${source.file}: HorizontalPodAutoscaler ${namespace}/${hpa.name}`, field: 'spec.scaleTargetRef' });
    }
    // lastError is declared from the start so every binding keeps one hidden class (V8).
    const binding: HpaBinding = { hpa, controller: new HpaController({ minReplicas: hpa.minReplicas, maxReplicas: hpa.maxReplicas, behavior: hpa.behavior }), workload, lastError: undefined };
    out.push(binding);
    bound.set(workload, binding);
  }
  return out;
}


/** Scale down removes unscheduled pods first, then the newest (ReplicaSet controller getPodsToDelete ranking). */
function removePods(state: ClusterState, pods: SimPod[], count: number, t: number): void {
  const ranked = [...pods].sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt || (a.key < b.key ? 1 : -1));
  for (const pod of ranked.slice(0, count)) state.deletePod(pod.key, t);
}

function rank(pod: SimPod): number {
  return pod.phase === 'Pending' ? 0 : pod.phase === 'ContainerCreating' ? 1 : 2;
}

function updateUsage(state: ClusterState, loadOf: ReadonlyMap<WorkloadSpec, { workload: WorkloadSpec; load: WorkloadLoad }>, rps: ReadonlyMap<string, number>, defaultUtilization: number, usage: Map<string, { milliCpu: number; memoryBytes: number }>): void {
  // One pass over each workload's own pods (ClusterState indexes them), not over every pod per workload. Entries
  // are updated in place: they live for one step (read by the HPA sync and the timeline point).
  const put = (key: string, milliCpu: number, memoryBytes: number) => {
    const entry = usage.get(key);
    if (entry) { entry.milliCpu = milliCpu; entry.memoryBytes = memoryBytes; } else usage.set(key, { milliCpu, memoryBytes });
  };
  for (const workload of state.workloads) {
    if (workload.daemonSet) continue;
    const load = loadOf.get(workload);
    if (load) {
      let running = 0;
      for (const pod of state.allPodsOfWorkload(workload)) if (pod.phase === 'Running') running += 1;
      const perPod = (rps.get(workload.key) ?? 0) / Math.max(1, running);
      put(workload.key, load.load.baseline.cpuMillicores + perPod * load.load.perRequest.cpuMillicores, (load.load.baseline.memoryMiB + perPod * load.load.perRequest.memoryMiB) * 2 ** 20);
      continue;
    }
    // Without a load, a pod uses the default share of its requests (the workload's oldest pod speaks for all);
    // a workload without pods has no entry.
    let oldest: SimPod | undefined;
    for (const pod of state.allPodsOfWorkload(workload)) { oldest = pod; break; }
    if (oldest) put(workload.key, oldest.requests.milliCpu * defaultUtilization, oldest.requests.memoryBytes * defaultUtilization);
    else usage.delete(workload.key);
  }
}

function metricInputs(binding: HpaBinding, pods: SimPod[], t: number, usage: Map<string, { milliCpu: number; memoryBytes: number }>, load: { load: WorkloadLoad } | undefined, rps: ReadonlyMap<string, number>): HpaMetricInput[] {
  // HpaModel.metrics already holds autoscaling/v2's default (cpu at 80%) when the HPA lists none.
  const u = usage.get(binding.workload.key) ?? { milliCpu: 0, memoryBytes: 0 };
  const ready = (p: SimPod) => p.phase === 'Running' && p.readyAt !== undefined && p.readyAt <= t - HPA_INITIAL_READINESS_DELAY;
  const runningCount = pods.filter((p) => p.phase === 'Running').length;
  const out: HpaMetricInput[] = [];
  for (const { spec: metric } of binding.hpa.metrics) {
    if (metric.type === 'Resource' && metric.resource && (metric.resource.name === 'cpu' || metric.resource.name === 'memory')) {
      const cpu = metric.resource.name === 'cpu';
      // replica_calculator.go calculatePodRequests: the sum over the pod's containers, undefined when one sets none.
      // Replicas share their template's spec: the sum is looked up once per run of pods with one spec.
      let lastSpec: Pod['spec'] | undefined;
      let lastRequest: number | undefined;
      // Samples go into objectList()s: one elements kind, empty or not, for the calculator's loops over them (V8).
      const samples = objectList<HpaPodSample>();
      for (const p of pods) {
        if (p.pod.spec !== lastSpec) { lastSpec = p.pod.spec; lastRequest = containersRequest(p.pod, cpu ? 'cpu' : 'memory'); }
        const request = lastRequest;
        samples.push(p.phase === 'Running' ? { ready: ready(p), value: cpu ? u.milliCpu : u.memoryBytes, request } : { ready: false, value: 0, request });
      }
      const target = metric.resource.target;
      const named = { source: 'Resource' as const, name: metric.resource.name };
      if (target.type === 'Utilization') out.push({ kind: 'Utilization', targetPercent: target.averageUtilization ?? 80, pods: samples, ...named });
      else if (target.averageValue !== undefined) out.push({ kind: 'AverageValue', target: cpu ? parseMilliCpu(target.averageValue) : parseBytes(target.averageValue), pods: samples, ...named });
    } else if (metric.type === 'ContainerResource' && metric.containerResource && (metric.containerResource.name === 'cpu' || metric.containerResource.name === 'memory')) {
      // replica_calculator.go GetResourceReplicas with a container name: usage and requests of that container only.
      const { name, container, target } = metric.containerResource;
      const samples = objectList<HpaPodSample>();
      for (const p of pods) {
        const share = containerShare(p.pod, container, name);
        const podUsage = name === 'cpu' ? u.milliCpu : u.memoryBytes;
        samples.push(p.phase !== 'Running' ? { ready: false, value: 0, request: share.request } : { ready: ready(p), value: share.present ? podUsage * share.fraction : undefined, request: share.request });
      }
      // The resource name decides readiness handling (groupPods: cpu only), as for a Resource metric.
      const named = { source: 'ContainerResource' as const, name };
      if (target.type === 'Utilization') out.push({ kind: 'Utilization', targetPercent: target.averageUtilization ?? 80, pods: samples, ...named });
      else if (target.averageValue !== undefined) out.push({ kind: 'AverageValue', target: name === 'cpu' ? parseMilliCpu(target.averageValue) : parseBytes(target.averageValue), pods: samples, ...named });
    } else if (metric.type === 'Pods' && metric.pods) {
      const perPod = load ? (rps.get(binding.workload.key) ?? 0) / Math.max(1, runningCount) : 0;
      // request is declared (unread for a Pods metric) so every sample has one hidden class (V8).
      const samples = objectList<HpaPodSample>();
      for (const p of pods) samples.push(p.phase === 'Running' ? { ready: ready(p), value: perPod, request: undefined } : { ready: false, value: 0, request: undefined });
      out.push({ kind: 'AverageValue', target: parseQuantity(metric.pods.target.averageValue ?? 1), pods: samples });
    } else if (metric.type === 'Object' && metric.object) {
      const value = load ? rps.get(binding.workload.key) ?? 0 : 0;
      const target = metric.object.target;
      if (target.type === 'AverageValue') out.push({ kind: 'ObjectAverageValue', value, target: parseQuantity(target.averageValue ?? 1) });
      else out.push({ kind: 'ObjectValue', value, target: parseQuantity(target.value ?? 1), readyPods: pods.filter(ready).length });
    }
  }
  return out;
}

// A pod's container requests never change, and the HPA reads them every sync for every pod: parsed once per pod.
const cpuRequests = new WeakMap<Pod, readonly (number | undefined)[]>();
const memoryRequests = new WeakMap<Pod, readonly (number | undefined)[]>();

function containerRequests(pod: Pod, resource: 'cpu' | 'memory'): readonly (number | undefined)[] {
  const cache = resource === 'cpu' ? cpuRequests : memoryRequests;
  let requests = cache.get(pod);
  if (!requests) {
    requests = pod.spec.containers.map((c) => {
      const value = c.resources?.requests?.[resource];
      return value === undefined ? undefined : resource === 'cpu' ? parseMilliCpu(value) : parseBytes(value);
    });
    cache.set(pod, requests);
  }
  return requests;
}

const cpuRequestSums = new WeakMap<Pod, number | undefined>();
const memoryRequestSums = new WeakMap<Pod, number | undefined>();

/** The pod's request of a resource as the HPA reads it: the containers' sum, undefined when one sets none. */
function containersRequest(pod: Pod, resource: 'cpu' | 'memory'): number | undefined {
  const cache = resource === 'cpu' ? cpuRequestSums : memoryRequestSums;
  if (cache.has(pod)) return cache.get(pod);
  let total: number | undefined = 0;
  for (const request of containerRequests(pod, resource)) {
    if (request === undefined) { total = undefined; break; }
    total += request;
  }
  cache.set(pod, total);
  return total;
}

/**
 * One container's part of a pod's usage. The scenario's load model gives usage per pod; it is split over the
 * pod's containers by their requests of the resource (evenly when some container requests none), which is
 * what a metrics-server sample of that container would show for a pod whose containers scale with its load.
 * `request` is undefined when the container sets none (the HPA then reports a missing request).
 */
function containerShare(pod: Pod, container: string, resource: 'cpu' | 'memory'): { present: boolean; fraction: number; request?: number } {
  const containers = pod.spec.containers;
  const requests = containerRequests(pod, resource);
  const index = containers.findIndex((c) => c.name === container);
  if (index < 0) return { present: false, fraction: 0 };
  const total = requests.reduce<number>((sum, r) => sum + (r ?? 0), 0);
  const fraction = requests.every((r) => r !== undefined) && total > 0 ? (requests[index] as number) / total : 1 / containers.length;
  return { present: true, fraction, request: requests[index] };
}

function applyFaults(scenario: Scenario, state: ClusterState, t: number, step: number, random: () => number, actions: CapacityActions): void {
  for (const fault of scenario.faults) {
    if (fault.type === 'az-outage') {
      const inZone = [...state.nodes.values()].filter((n) => n.zone === fault.zone);
      if (t >= fault.from && t - step < fault.from) {
        // The node lifecycle controller marks unreachable nodes with NoSchedule/NoExecute taints
        // (pkg/controller/nodelifecycle); they stay in the cluster, so their zone still counts for topology spread.
        actions.emit({ type: 'fault', source: 'scenario', object: `Zone ${fault.zone}`, message: `AZ outage for ${Math.round((fault.to - fault.from) / 60)}m: ${inZone.length} node(s) unreachable` });
        for (const node of inZone) {
          node.node.spec.taints = [...taintsWithout(node.node.spec.taints, UNREACHABLE), { key: UNREACHABLE, effect: 'NoSchedule' }, { key: UNREACHABLE, effect: 'NoExecute' }];
        }
      }
      // Pods tolerate node.kubernetes.io/unreachable for 300s by default (DefaultTolerationSeconds admission), then are evicted.
      if (t >= fault.from + UNREACHABLE_TOLERATION_SECONDS && t - step < fault.from + UNREACHABLE_TOLERATION_SECONDS && t < fault.to) {
        for (const node of inZone) {
          for (const pod of state.podsOn(node.name)) if (!pod.workload.daemonSet) state.evict(pod, t, `node ${node.name} unreachable (AZ ${fault.zone} outage)`);
        }
      }
      if (t >= fault.to && t - step < fault.to) {
        for (const node of inZone) node.node.spec.taints = taintsWithout(node.node.spec.taints, UNREACHABLE);
        actions.emit({ type: 'fault', source: 'scenario', object: `Zone ${fault.zone}`, message: 'AZ outage over: nodes reachable again' });
      }
    }
    if (fault.type === 'node-failure' && t >= fault.at && t - step < fault.at) {
      const candidates = [...state.nodes.values()].filter((n) => n.ready && (!fault.nodeGroup || n.owner.name === fault.nodeGroup || n.owner.name.includes(fault.nodeGroup))).sort((a, b) => a.name.localeCompare(b.name));
      for (let i = 0; i < fault.count && candidates.length > 0; i += 1) {
        const node = candidates.splice(Math.floor(random() * candidates.length), 1)[0];
        actions.emit({ type: 'fault', source: 'scenario', object: `Node ${node.name}`, message: 'node failure' });
        state.terminate(node.name, 'node failure', t);
      }
    }
    if (fault.type === 'spot-interruption') {
      const spot = [...state.nodes.values()].filter((n) => n.capacityType === 'spot' && n.interruptAt === undefined && !n.deleting).sort((a, b) => a.name.localeCompare(b.name));
      let chosen: typeof spot = [];
      if (fault.at !== undefined && t >= fault.at && t - step < fault.at) {
        const count = Math.round(spot.length * (fault.fraction ?? 1));
        chosen = [...spot].sort(() => random() - 0.5).slice(0, count).sort((a, b) => a.name.localeCompare(b.name));
      } else if (fault.ratePerHour !== undefined && t >= 0) {
        chosen = spot.filter(() => random() < (fault.ratePerHour as number) * (step / 3600));
      }
      for (const node of chosen) {
        node.interruptAt = t + SPOT_NOTICE_SECONDS;
        actions.emit({ type: 'interruption', source: 'ec2', object: `Node ${node.name}`, message: `spot interruption warning: ${node.instanceType.name} reclaimed in ${SPOT_NOTICE_SECONDS}s` });
      }
    }
  }
  for (const node of [...state.nodes.values()]) {
    if (node.interruptAt !== undefined && node.interruptAt <= t) state.terminate(node.name, 'spot instance reclaimed', t);
  }
}

/** The node group (ASG) replaces nodes lost involuntarily, keeping its desired size. */
function reconcileNodeGroups(state: ClusterState, desired: Map<string, number>, t: number, delay: number, unavailable: ReadonlySet<string>): void {
  for (const group of state.model.nodeGroups) {
    const want = Math.min(group.maxSize, Math.max(group.minSize, desired.get(group.name) ?? group.desiredSize));
    const have = [...state.nodes.values()].filter((n) => n.owner.kind === 'nodegroup' && n.owner.name === group.name && !n.deleting).length;
    for (let i = have; i < want; i += 1) {
      const result = state.launchNodeGroupNode(group.name, t, delay, (z) => !unavailable.has(z));
      if ('error' in result) break;
    }
  }
}

// npm run bench: figures for the simulation's hot paths against the targets of the benchmark issue.
// Prints a table and writes bench-results.json. Each figure is the median of several runs.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import {
  autoscaling, buildNode, ClusterSnapshot, defaultScenarioPath, loadAssembly, loadScenario, NodeInfo, parseScenario, plan, podRequests, Scheduler, simulate,
  typedObjects, type KarpenterNodePool, type Pod, type PodSpec,
} from '../simulation';

const { binPack, templateNode, prepareNodePool, solveProvisioning } = autoscaling;
type ClusterView = autoscaling.ClusterView;
type SimPod = autoscaling.SimPod;

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const results: Record<string, number | string> = {};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeIt(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

function pod(name: string, cpu: string, memory: string, spec: Partial<PodSpec> = {}, labels: Record<string, string> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', resources: { requests: { cpu, memory } } }], ...spec } };
}

function cluster(nodes: number): ClusterSnapshot {
  const infos: NodeInfo[] = [];
  for (let i = 0; i < nodes; i += 1) {
    infos.push(new NodeInfo(buildNode({ name: `node-${i}`, instanceType: 'm5.4xlarge', zone: ZONES[i % 3], capacityType: 'on-demand', maxPods: 110 })));
  }
  return new ClusterSnapshot(infos);
}

/** Schedules `count` pods made by `make` onto a fresh cluster, binding each; returns pods per second. */
function scheduling(nodes: number, existing: number, count: number, make: (i: number) => Pod, percentage = 0): number {
  const snapshot = cluster(nodes);
  const scheduler = new Scheduler({ seed: 1, percentageOfNodesToScore: percentage });
  for (let i = 0; i < existing; i += 1) {
    const p = pod(`existing-${i}`, '100m', '128Mi');
    const r = scheduler.schedule(p, snapshot);
    if (r.node) snapshot.addPod(p, r.node);
  }
  const pods = Array.from({ length: count }, (_, i) => make(i));
  const start = performance.now();
  for (const p of pods) {
    const r = scheduler.schedule(p, snapshot);
    if (r.node) snapshot.addPod(p, r.node);
  }
  return count / ((performance.now() - start) / 1000);
}

const plain = (i: number) => pod(`p-${i}`, '100m', '128Mi');
const selector = (i: number) => pod(`s-${i}`, '100m', '128Mi', { nodeSelector: { 'topology.kubernetes.io/zone': ZONES[i % 3] } });
const anti = (i: number) => pod(`a-${i}`, '100m', '128Mi', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { group: `g${i % 50}` } }, topologyKey: 'kubernetes.io/hostname' }] } } }, { group: `g${i % 50}` });
const spread = (i: number) => pod(`t-${i}`, '100m', '128Mi', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: `w${i % 20}` } } }] }, { app: `w${i % 20}` });
const affinity = (i: number) => pod(`f-${i}`, '100m', '128Mi', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: `w${i % 20}` } }, topologyKey: 'topology.kubernetes.io/zone' }] } } }, { app: `w${i % 20}` });

/** A synthetic large platform: Karpenter NodePool, 30 Deployments with HPAs and diurnal load. */
export function largePlatform() {
  const workloads = Array.from({ length: 30 }, (_, i) => i);
  const objects = [
    { object: { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'general' }, spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }, { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }] } }, disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' }, limits: { cpu: '4000' } } }, source: { file: 'bench', id: 'NodePool general' } },
    { object: { apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'default' }, spec: {} }, source: { file: 'bench', id: 'EC2NodeClass default' } },
    ...workloads.flatMap((i) => [
      { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `svc${i}`, namespace: 'apps' }, spec: { replicas: 5, selector: { matchLabels: { app: `svc${i}` } }, template: { metadata: { labels: { app: `svc${i}` } }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: ['250m', '500m', '1'][i % 3], memory: ['256Mi', '512Mi', '1Gi'][i % 3] } } }], topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: `svc${i}` } } }] } } } }, source: { file: 'bench', id: `Deployment apps/svc${i}` } },
      { object: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: `svc${i}`, namespace: 'apps' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `svc${i}` }, minReplicas: 5, maxReplicas: 150, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } }, source: { file: 'bench', id: `HorizontalPodAutoscaler apps/svc${i}` } },
    ]),
  ];
  const subnets = ZONES.map((zone, i) => ({ id: `Private${i}`, cidr: `10.${i}.0.0/16`, availabilityZone: zone, public: false, tags: {} }));
  const model = {
    origin: 'bench', region: 'us-east-1', availabilityZones: ZONES, subnets, natGateways: [], nodeGroups: [], fargateProfiles: [], addons: [],
    vpcCni: { prefixDelegation: false, warmEniTarget: 1, customNetworking: false, podEni: false }, helmReleases: [], iamRoles: [], accessEntries: [],
    podIdentityAssociations: [], loadBalancers: [], objects, ...typedObjects(objects), resources: {},
  } as Parameters<typeof simulate>[0];
  const scenario = parseScenario({
    name: 'large', duration: '24h', step: '15s', seed: 9,
    loads: workloads.map((i) => ({ workload: `apps/svc${i}`, profile: { type: 'diurnal', min: 300, max: 9000, peakHour: 10 + (i % 8) }, perRequest: { cpuMillicores: [2, 3, 5][i % 3] }, baseline: { cpuMillicores: 20 } })),
  });
  return { model, scenario };
}

/** The work of one consolidation check: can a node's pods move to the other 999 nodes? */
function consolidationCandidate(nodes: number): void {
  const snapshot = cached1000 ?? (cached1000 = (() => {
    const snap = cluster(nodes);
    const scheduler = new Scheduler({ seed: 3 });
    for (let i = 0; i < nodes * 20; i += 1) {
      const p = pod(`c-${i}`, '250m', '256Mi', {}, { app: `a${i % 40}` });
      const r = scheduler.schedule(p, snap);
      if (r.node) snap.addPod(p, r.node);
    }
    return snap;
  })());
  // As the disruption controller does it: take the candidate out, try its pods on the rest, undo.
  const candidate = snapshot.nodes[0];
  const pods = candidate.pods;
  snapshot.removeNode(candidate.name);
  const scheduler = new Scheduler({ seed: 4 });
  const moved: string[] = [];
  for (const p of pods) {
    const r = scheduler.schedule(p, snapshot);
    if (!r.node) break;
    snapshot.addPod(p, r.node);
    moved.push(`${p.metadata.namespace}/${p.metadata.name}`);
  }
  for (const key of moved) snapshot.removePod(key);
  snapshot.addNode(candidate);
}

let cached1000: ClusterSnapshot | undefined;

function row(name: string, value: string, target: string, ok?: boolean): void {
  process.stdout.write(`${name.padEnd(64)} ${value.padStart(14)}   ${target.padEnd(16)} ${ok === undefined ? '' : ok ? 'ok' : 'MISSED'}\n`);
}

function main(): void {
  process.stdout.write(`${'benchmark'.padEnd(64)} ${'figure'.padStart(14)}   ${'target'.padEnd(16)}\n${'-'.repeat(100)}\n`);
  // 1. SchedulingBasic 5000Nodes_10000Pods (scheduler_perf): 1,000 existing pods, 10,000 measured pods.
  const basic = median([1, 2, 3, 4, 5].map(() => scheduling(5000, 1000, 10000, plain)));
  results.schedulingBasicPodsPerSecond = Math.round(basic);
  row('1. SchedulingBasic 5000 nodes / 10000 pods (adaptive)', `${Math.round(basic)} pods/s`, '>= 15000', basic >= 15000);
  const all = median([1, 2, 3].map(() => scheduling(5000, 1000, 2000, plain, 100)));
  results.schedulingAllFeasiblePodsPerSecond = Math.round(all);
  row('   every feasible node scored', `${Math.round(all)} pods/s`, '>= 2000', all >= 2000);

  // 2. Constraint cost relative to plain pods at 1000 nodes.
  const base1k = median([1, 2, 3].map(() => scheduling(1000, 0, 3000, plain)));
  for (const [name, make, limit] of [['node affinity / nodeSelector', selector, 3], ['required hostname anti-affinity', anti, 10], ['zone topology spread', spread, 20], ['zone pod affinity', affinity, 20]] as const) {
    const rate = median([1, 2, 3].map(() => scheduling(1000, 0, 3000, make)));
    const ratio = base1k / rate;
    results[`constraintRatio:${name}`] = Number(ratio.toFixed(2));
    row(`2. ${name} (cost ratio to plain)`, `${ratio.toFixed(2)}x`, `<= ${limit}x`, ratio <= limit);
  }

  // 3. Scaling table.
  const perPod: Record<string, number> = {};
  for (const nodes of [100, 1000, 5000]) {
    for (const pods of [1000, 5000, 20000]) {
      if (pods > nodes * 100) continue;
      const rate = scheduling(nodes, 0, pods, plain);
      perPod[`${nodes}x${pods}`] = 1e6 / rate;
      row(`3. ${nodes} nodes, ${pods} pods`, `${(1e6 / rate).toFixed(1)} µs/pod`, '');
    }
  }
  const growth = (perPod['5000x5000'] ?? 0) / (scheduling(500, 0, 5000, plain) ? 1e6 / scheduling(500, 0, 5000, plain) : 1);
  results.scaling500to5000 = Number(growth.toFixed(2));
  row('   per-pod cost 500 → 5000 nodes', `${growth.toFixed(2)}x`, '<= 2.5x', growth <= 2.5);

  // 4. Karpenter-style provisioning: 5000 mixed pending pods against the catalog's instance types.
  const pool = prepareNodePool({ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'general' }, spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }] } } } } as KarpenterNodePool, undefined, 'us-east-1');
  const mixed: SimPod[] = Array.from({ length: 5000 }, (_, i) => {
    const p = [plain, spread, anti, affinity][i % 4](i);
    p.spec.containers[0].resources = { requests: { cpu: ['250m', '500m', '1', '2'][i % 4], memory: ['256Mi', '1Gi', '2Gi', '4Gi'][(i >> 2) % 4] } };
    return { key: `default/${p.metadata.name}`, pod: p, workload: { key: 'Deployment default/x', kind: 'Deployment', namespace: 'default', name: 'x', replicas: 1, template: { spec: p.spec }, daemonSet: false, volumeClaims: 0, system: false }, requests: podRequests(p), ordinal: i, phase: 'Pending', createdAt: 0, pendingSeconds: 0, lastMessage: 'x' };
  });
  let claims = 0;
  const solveMs = timeIt(5, () => {
    claims = solveProvisioning({ pods: mixed, pools: [pool], daemonSetPods: [0, 1, 2, 3].map((i) => pod(`agent-${i}`, '50m', '64Mi')), zones: ZONES, poolZones: () => ZONES, zoneCounts: () => new Map(), poolUsage: () => ({ milliCpu: 0, memoryBytes: 0, nodes: 0 }) }).claims.length;
  });
  results.karpenterSolveMs = Math.round(solveMs);
  row(`4. Karpenter solve: 5000 mixed pods x ${pool.types.length} types (${claims} NodeClaims)`, `${Math.round(solveMs)} ms`, '<= 1000 ms', solveMs <= 1000);

  // 5. Cluster-Autoscaler-style estimate: 51,000 identical pods into one template node (first-fit-decreasing count).
  const scheduler = new Scheduler();
  const view = { scheduler, daemonSetPodsFor: () => [] } as unknown as ClusterView;
  const identical: SimPod[] = mixed.slice(0, 1).flatMap((template) => Array.from({ length: 51000 }, (_, i) => ({ ...template, key: `default/same-${i}`, pod: { ...pod(`same-${i}`, '500m', '512Mi') } })));
  for (const p of identical) (p as { requests: unknown }).requests = podRequests(p.pod);
  let estimated = 0;
  const estimateMs = timeIt(3, () => {
    let n = 0;
    estimated = binPack(scheduler, identical, [], () => templateNode(view, { instanceType: 'm5.4xlarge', zone: 'us-east-1a', capacityType: 'on-demand', maxPods: 234, labels: { n: String(n++) }, taints: [], karpenter: false }), 100000).newNodes.length;
  });
  const template = templateNode(view, { instanceType: 'm5.4xlarge', zone: 'us-east-1a', capacityType: 'on-demand', maxPods: 234, labels: {}, taints: [], karpenter: false });
  const perNode = Math.min(Math.floor(template.allocatable.milliCpu / 500), Math.floor(template.allocatable.memoryBytes / (512 * 2 ** 20)), 234);
  const ffd = Math.ceil(51000 / perNode);
  results.caEstimateNodes = estimated;
  results.caEstimateMs = Math.round(estimateMs);
  row(`5. CA estimate: 51000 pods, ${estimated} nodes (FFD ${ffd})`, `${Math.round(estimateMs)} ms`, '<= 1000 ms, exact', estimateMs <= 1000 && estimated === ffd);

  // 6. Time simulation: 24h at 15s on the reference platform (needs cdk.out from `npm run synth`).
  const assembly = path.resolve('cdk.out');
  if (fs.existsSync(path.join(assembly, 'manifest.json'))) {
    const model = loadAssembly(assembly);
    const scenario = loadScenario(defaultScenarioPath());
    const simMs = timeIt(5, () => simulate(model, scenario));
    results.referenceDayMs = Math.round(simMs);
    row('6. reference platform, 24h at 15s steps (simulate)', `${Math.round(simMs)} ms`, '< 2000 ms', simMs < 2000);
    // The whole pipeline as `eksplan plan` runs it: engine, cost, checks, verdict.
    const planMs = timeIt(5, () => plan(model, scenario));
    results.referencePlanMs = Math.round(planMs);
    row('6. reference platform, 24h at 15s steps (plan)', `${Math.round(planMs)} ms`, '< 2000 ms', planMs < 2000);
  } else {
    row('6. reference platform, 24h at 15s steps', 'skipped', 'run npm run synth first');
  }

  // 6b. A large platform: 30 HPA workloads peaking near 3,000 pods on Karpenter, consolidation on, 24h at 15s.
  const large = largePlatform();
  let largeResult: ReturnType<typeof simulate> | undefined;
  const largeMs = timeIt(1, () => { largeResult = simulate(large.model, large.scenario); });
  const peakPods = Math.max(...(largeResult?.timeline ?? []).map((p) => p.podsRunning + p.podsPending));
  results.largePlatformDayMs = Math.round(largeMs);
  results.largePlatformPeakPods = peakPods;
  results.largePlatformPeakNodes = largeResult?.summary.peakNodes ?? 0;
  row(`6. large platform day (${peakPods} pods peak, ${largeResult?.summary.peakNodes} nodes peak)`, `${(largeMs / 1000).toFixed(1)} s`, '< 60 s', largeMs < 60000);

  // 6c. One consolidation candidate at 1,000 nodes: do its pods fit on the other 999 (a scratch snapshot)?
  const candidateMs = timeIt(5, () => consolidationCandidate(1000));
  results.consolidationCandidateMs = Number(candidateMs.toFixed(2));
  row('6. one consolidation candidate at 1000 nodes', `${candidateMs.toFixed(2)} ms`, '<= 5 ms', candidateMs <= 5);

  // 7. Memory: 50,000 pods scheduled onto 5,000 nodes.
  const before = process.memoryUsage().rss;
  scheduling(5000, 0, 50000, plain);
  const peakRss = Math.max(process.resourceUsage().maxRSS * 1024, process.memoryUsage().rss, before);
  results.peakRssMbAt5000Nodes50000Pods = Math.round(peakRss / 2 ** 20);
  row('7. peak RSS, 5000 nodes / 50000 pods', `${Math.round(peakRss / 2 ** 20)} MB`, '<= 500 MB', peakRss <= 500 * 2 ** 20);

  // 7. Synth wall time with the aws-cdk-lib template validation on and off.
  if (process.env.EKSPLAN_BENCH_SYNTH !== '0') {
    for (const validation of ['true', 'false']) {
      const started = performance.now();
      const run = spawnSync(path.resolve('node_modules/.bin/cdk'), ['synth', '--quiet', '-o', fs.mkdtempSync('/tmp/bench-synth-')], { env: { ...process.env, CDK_VALIDATION: validation, CDK_DISABLE_VERSION_CHECK: 'true' }, encoding: 'utf8' });
      const seconds = (performance.now() - started) / 1000;
      results[`synthSeconds:validation=${validation}`] = Number(seconds.toFixed(2));
      row(`7. cdk synth (CDK_VALIDATION=${validation})`, run.status === 0 ? `${seconds.toFixed(2)} s` : 'failed', '');
    }
  }
  // 8. CLI start-up: `eksplan --help` from the compiled CLI (what `npx eksplan --help` runs), against an empty Node.
  const cli = path.resolve(__dirname, '..', 'bin', 'eksplan.js');
  const startup = (args: string[]) => median(Array.from({ length: 5 }, () => {
    const started = performance.now();
    spawnSync(process.execPath, args, { encoding: 'utf8' });
    return performance.now() - started;
  }));
  const helpMs = startup([cli, '--help']);
  const nodeMs = startup(['-e', '']);
  results.cliHelpMs = Math.round(helpMs);
  results.nodeStartMs = Math.round(nodeMs);
  row('8. eksplan --help (dist/bin/eksplan.js; empty node -e in brackets)', `${Math.round(helpMs)} ms (${Math.round(nodeMs)} ms)`, '< 1 s', helpMs < 1000);
  fs.writeFileSync('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('wrote bench-results.json\n');
}

if (require.main === module) main();

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PlanResult } from '../../simulation';
import { runCli } from '../support/cli';

// Issue 20/21: many HPAs over an hour once took minutes (every HPA sync and every step scanned every workload and
// every pod). The bench times 5,000 of them (figure 13); this test runs 500 through the CLI and checks what the
// run computes, never how long it takes: every HPA reaches the replica count its load calls for, nothing pends.

const COUNT = 500;
// Ramp end per i % 5 (rps) and the replicas upstream's calculator settles on for it (replica_calculator.go
// GetResourceReplicas, tolerance 0.1): each pod uses 5m + rps × 2m / r against a target of 60% × 50m = 30m, so
// the ratio is (5 + 2·rps / r) / 30. 30 rps: 1.17 at 2 → 3, then 0.83 proposes ceil(3 × 0.83) = 3. 40 rps: 1.06
// at 3, within. 50 rps: 1.28 at 3 → 4, then 1.0. 60 rps: 1.17 at 4 → 5, then 0.97. 70 rps: 1.1 at 5, within.
const SETTLED: Record<number, number> = { 30: 3, 40: 3, 50: 4, 60: 5, 70: 5 };

describe('eksplan simulate: 500 HPAs over one hour', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-many-hpas-'));
  const manifests = path.join(dir, 'manifests');
  fs.mkdirSync(manifests);
  const docs: unknown[] = [];
  for (let i = 0; i < COUNT; i += 1) {
    docs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `hpa${i}`, namespace: 'apps' }, spec: { replicas: 2, selector: { matchLabels: { app: `hpa${i}` } }, template: { metadata: { labels: { app: `hpa${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '50m', memory: '64Mi' } } }] } } } });
    docs.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: `hpa${i}`, namespace: 'apps' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `hpa${i}` }, minReplicas: 2, maxReplicas: 8, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } });
  }
  fs.writeFileSync(path.join(manifests, 'apps.yaml'), docs.map((d) => JSON.stringify(d)).join('\n---\n'));
  const shape = path.join(dir, 'shape.json');
  fs.writeFileSync(shape, JSON.stringify({ name: 'many', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], nodeGroups: [{ name: 'workers', instanceTypes: ['m5.4xlarge'], desiredSize: Math.ceil((COUNT * 5) / 100), maxPods: 110 }], controllers: ['metrics-server'] }));
  const scenario = path.join(dir, 'hour.json');
  const rampEnd = (i: number) => 30 + (i % 5) * 10;
  fs.writeFileSync(scenario, JSON.stringify({
    name: 'many-hpas', duration: '1h', step: '15s', seed: 5,
    loads: Array.from({ length: COUNT }, (_, i) => ({ workload: `apps/hpa${i}`, profile: { type: 'ramp', from: 20, to: rampEnd(i), start: `${(i % 6) * 5}m`, end: `${30 + (i % 6) * 5}m` }, perRequest: { cpuMillicores: 2 }, baseline: { cpuMillicores: 5 } })),
  }));

  let result: PlanResult;
  beforeAll(async () => {
    const run = await runCli(['simulate', manifests, '--cluster-shape', shape, '--scenario', scenario, '--format', 'json']);
    expect(run.stderr).toBe('');
    result = JSON.parse(run.stdout) as PlanResult;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('settles every HPA on the replicas its load calls for, with every pod running', () => {
    const last = result.timeline[result.timeline.length - 1];
    const wrong = Array.from({ length: COUNT }, (_, i) => i).filter((i) => last.replicas[`Deployment apps/hpa${i}`] !== SETTLED[rampEnd(i)]);
    expect(wrong).toEqual([]);
    expect(last.podsPending).toBe(0);
    expect(result.summary.peakPodsPending).toBe(0);
  });

  it('only scales up under a rising load, and reports each change as an event', () => {
    const hpaEvents = result.events.filter((e) => e.type === 'hpa');
    const changes = hpaEvents.map((e) => /^(\d+) → (\d+) replicas/.exec(e.message)).filter((m): m is RegExpExecArray => m !== null);
    expect(changes).toHaveLength(hpaEvents.length);
    expect(changes.filter((m) => Number(m[2]) <= Number(m[1]))).toEqual([]);
    // Each HPA's changes add up from 2 to where it settled.
    const total = changes.reduce((sum, m) => sum + Number(m[2]) - Number(m[1]), 0);
    expect(total).toBe(Array.from({ length: COUNT }, (_, i) => SETTLED[rampEnd(i)] - 2).reduce((a, b) => a + b, 0));
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../bin/eksplan';
import { placeStatic } from '../../../simulation/engine/static';
import { plan } from '../../../simulation/pipeline';
import { model, nodeGroup, object } from '../checks/fixture';

// Static mode is the steady state the deployed controllers settle to: Karpenter provisions and the Cluster
// Autoscaler scales up for pending pods (only when deployed or assumed); pods that still cannot run fail the verdict.

function deployment(name: string, replicas: number, cpu: string, extra: Record<string, unknown> = {}) {
  const labels = { app: name };
  return object('Deployment', `default/${name}`, { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu, memory: '256Mi' } } }], ...extra } } });
}

const nodePool = object('NodePool', 'general', {
  template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }, { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] }] } },
  disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s' },
});
const nodeClass = object('EC2NodeClass', 'default', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }] });
const karpenterChart = { chart: 'karpenter', release: 'karpenter', namespace: 'kube-system', values: {} };

// A private endpoint and IMDSv2 on the nodes, so no security error finding takes part in the verdicts below.
const cluster = { ...(model().cluster as NonNullable<ReturnType<typeof model>['cluster']>), endpointPublicAccess: false };
// m5.large: 1930m allocatable; aws-node 25m + kube-proxy 100m leave 1805m: one 1500m pod per node.
const tight = (extra: Partial<ReturnType<typeof model>> = {}) => model({ cluster, nodeGroups: [nodeGroup({ minSize: 1, desiredSize: 1, maxSize: 4, imdsv2Required: true })], objects: [deployment('web', 4, '1500m')], ...extra });

describe('static plan', () => {
  it('fails with each pending pod and its reason when no controller can add capacity', () => {
    const result = plan(tight());
    expect(result.verdict.passed).toBe(false);
    expect(result.verdict.errorFindings).toBe(0);
    expect(result.verdict.thresholds).toEqual([{ name: 'maxPendingPods', limit: 0, measured: 3, passed: false, unit: 'pods' }]);
    expect(result.verdict.pendingPods?.map((p) => p.workload)).toEqual(Array(3).fill('Deployment default/web'));
    expect(result.verdict.pendingPods?.every((p) => /^0\/1 nodes are available: 1 Insufficient cpu/.test(p.message))).toBe(true);
  });

  it('passes when the Cluster Autoscaler (assumed) scales the group up, and shows the launched nodes', () => {
    const result = plan(tight(), undefined, { assume: ['cluster-autoscaler'] });
    expect(result.verdict.passed).toBe(true);
    expect(result.verdict.pendingPods).toEqual([]);
    expect(result.nodes.map((n) => n.instanceType)).toEqual(Array(4).fill('m5.large'));
    expect(result.events.filter((e) => e.type === 'warm-up').map((e) => e.message)).toEqual([
      'static settling (Karpenter and Cluster Autoscaler provisioning for the pending pods, before t=0): node group general 1 → 4 node(s) (m5.large ×4)',
    ]);
  });

  it('passes when the cluster-autoscaler chart is deployed, and stops at maxSize', () => {
    const chart = { chart: 'cluster-autoscaler', release: 'cluster-autoscaler', namespace: 'kube-system', values: { autoDiscovery: { clusterName: 'platform' } } };
    // Six 1500m pods and the autoscaler's own pod (no requests) on at most 4 nodes: 2 stay pending.
    const result = plan(tight({ helmReleases: [chart], objects: [deployment('web', 6, '1500m')] }));
    expect(result.summary.peakNodes).toBe(4);
    expect(result.verdict.passed).toBe(false);
    expect(result.verdict.pendingPods).toHaveLength(2);
  });

  it('runs one Karpenter provisioning pass for the pods the node groups cannot hold', () => {
    const m = model({
      nodeGroups: [nodeGroup({ name: 'system', minSize: 2, desiredSize: 2, maxSize: 2, instanceTypes: ['m5.large'] })],
      helmReleases: [karpenterChart], objects: [nodePool, nodeClass, deployment('web', 3, '1500m', { nodeSelector: { 'karpenter.sh/nodepool': 'general' } })],
    });
    const { result } = placeStatic(m);
    expect(result.pendingPods).toEqual([]);
    expect(result.nodes.filter((n) => n.owner.kind === 'nodepool').map((n) => n.instanceType)).toEqual(Array(3).fill('m5.large'));
    expect(result.nodes.every((n) => n.launchedAt === 0)).toBe(true);
  });

  it('leaves NodePool pods pending when no Karpenter controller is deployed', () => {
    const m = model({ nodeGroups: [nodeGroup({ name: 'system', minSize: 2, desiredSize: 2, maxSize: 2 })], objects: [nodePool, nodeClass, deployment('web', 3, '1500m', { nodeSelector: { 'karpenter.sh/nodepool': 'general' } })] });
    const result = plan(m);
    expect(result.verdict.pendingPods).toHaveLength(3);
    expect(result.findings.map((f) => f.code)).toContain('nodepool-no-karpenter');
  });
});

describe('eksplan simulate (static) exit status', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return { code: await main(args), stdout: out.join('') };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  };

  it('exits 1 with the reasons when pods can never run on the cluster shape, 0 when they fit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-static-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.yaml'), [
        'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: big, namespace: default }',
        'spec: { replicas: 2, selector: { matchLabels: { app: big } }, template: { metadata: { labels: { app: big } }, spec: { containers: [{ name: c, image: app:1, resources: { requests: { cpu: "3", memory: 1Gi } } }] } } }',
      ].join('\n'));
      fs.writeFileSync(path.join(dir, 'small.yaml'), 'region: us-east-1\navailabilityZones: [us-east-1a]\nnodeGroups: [{ name: workers, instanceTypes: [m5.large], desiredSize: 2 }]\n');
      fs.writeFileSync(path.join(dir, 'large.yaml'), 'region: us-east-1\navailabilityZones: [us-east-1a]\nnodeGroups: [{ name: workers, instanceTypes: [m5.xlarge], desiredSize: 2 }]\n');
      const failing = await run(['simulate', path.join(dir, 'app.yaml'), '--cluster-shape', path.join(dir, 'small.yaml'), '--format', 'json']);
      expect(failing.code).toBe(1);
      const report = JSON.parse(failing.stdout) as { verdict: { passed: boolean; pendingPods: { pod: string; message: string }[] } };
      expect(report.verdict.passed).toBe(false);
      // m5.large has 2 vCPU: a 3-CPU pod fits no node.
      expect(report.verdict.pendingPods.map((p) => p.message.split(':')[1].trim())).toEqual(['2 Insufficient cpu.', '2 Insufficient cpu.']);
      const passing = await run(['simulate', path.join(dir, 'app.yaml'), '--cluster-shape', path.join(dir, 'large.yaml'), '--format', 'json']);
      expect(passing.code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

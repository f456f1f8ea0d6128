import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAssembly, plan, type ClusterModel, type PlanResult } from '../../simulation';
import { clusterAutoscalerGroups } from '../../simulation/model/cluster-autoscaler-settings';
import { synthBlueprintsQuickstart } from './blueprints-quickstart-app';

// Corpus (e): the EKS Blueprints quickstart, rebuilt with aws-cdk-lib (why, and from what:
// test/fixtures/third-party/eks-blueprints/PROVENANCE.md), synthesized offline and planned statically.
// m5.large by hand: max pods 3 × 9 + 2 = 29; CPU 2,000 − 70 = 1,930m; memory 8,192 − 615 − 574 − 100 = 6,903 MiB.

let dir: string;
let model: ClusterModel;
let result: PlanResult;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-blueprints-'));
  synthBlueprintsQuickstart(dir);
  model = loadAssembly(dir);
  result = plan(model);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('(e) EKS Blueprints quickstart', () => {
  it('reads the default node group, the three EKS add-ons and the four Helm add-ons', () => {
    expect(model.nodeGroups).toEqual([expect.objectContaining({ instanceTypes: ['m5.large'], minSize: 1, desiredSize: 1, maxSize: 3, amiType: 'AL2023_x86_64_STANDARD' })]);
    expect(model.addons.map((a) => a.name).sort()).toEqual(['coredns', 'kube-proxy', 'vpc-cni']);
    expect(model.helmReleases.map((h) => h.chart).sort()).toEqual(['argo-cd', 'aws-load-balancer-controller', 'cluster-autoscaler', 'metrics-server']);
  });

  it("its Cluster Autoscaler (chart, autoDiscovery.clusterName eks-blueprint) finds the managed node group by EKS's discovery tags", () => {
    expect(model.clusterAutoscalerSettings).toMatchObject({
      where: 'Helm release kube-system/blueprints-addon-cluster-autoscaler',
      autoDiscovery: [[{ key: 'k8s.io/cluster-autoscaler/enabled' }, { key: 'k8s.io/cluster-autoscaler/eks-blueprint' }]],
    });
    expect(clusterAutoscalerGroups(model)).toEqual({ groups: [expect.objectContaining({ minSize: 1, maxSize: 3 })], unmanaged: [] });
    expect(result.findings.filter((f) => f.code === 'nodegroup-not-discovered' || f.code === 'nodegroup-no-cluster-autoscaler')).toEqual([]);
  });

  it('places all 15 pods on the one m5.large, none pending', () => {
    expect(result.nodes.map((n) => n.instanceType)).toEqual(['m5.large']);
    expect(result.nodes[0].allocatable).toEqual({ milliCpu: 1930, memoryBytes: 6903 * 1024 * 1024, pods: 29 });
    // aws-node 1 + kube-proxy 1 (host network) + CoreDNS 2 + Argo CD 7 (server, repo-server, redis, dex,
    // applicationset, notifications, application-controller) + load balancer controller 2 (replicaCount 2)
    // + cluster-autoscaler 1 + metrics-server 1 = 15 ≤ 29 pods; 13 pod IPs ≤ 27 ENI addresses.
    const pods = result.placements.reduce((sum, p) => sum + p.running, 0);
    expect(pods).toBe(15);
    expect(result.placements.filter((p) => p.workload.startsWith('Deployment argocd/') || p.workload.startsWith('StatefulSet argocd/'))).toHaveLength(7);
    expect(result.pendingPods).toEqual([]);
  });

  it('costs one m5.large and the control plane, with no load balancer', () => {
    const monthly = (item: string | RegExp) => result.cost.lines.find((l) => (typeof item === 'string' ? l.item === item : item.test(l.item)))?.monthlyUsd;
    // $0.096 × 730 = $70.08; EKS 1.34 standard $0.10 × 730 = $73; NAT $0.045 × 730 = $32.85.
    expect(monthly('m5.large')).toBeCloseTo(70.08, 2);
    expect(monthly(/Kubernetes 1\.34, standard support/)).toBeCloseTo(73, 2);
    expect(monthly('1 NAT gateway(s)')).toBeCloseTo(32.85, 2);
    expect(result.cost.lines.filter((l) => l.category === 'Load balancers')).toEqual([]);
  });

  it('fails on the quickstart\'s real security defaults, and on nothing else', () => {
    const errors = result.findings.filter((f) => f.severity === 'error').map((f) => f.code).sort();
    expect(errors).toEqual(['control-plane-logging-off', 'endpoint-public-to-internet', 'imdsv1-allowed']);
    expect(result.verdict.passed).toBe(false);
  });
});

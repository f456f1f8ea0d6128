import * as path from 'path';
import { check, modelFromManifests, plan, type PlanResult } from '../../simulation';
import { manifestsOnShape, MIB, THIRD_PARTY } from './fixtures';

// Corpus (b) Online Boutique, (c) Karpenter examples/v1 with the getting-started workload, (d) kubernetes.io
// examples: third-party manifests on a cluster shape, planned statically (the settled steady state).
// Provenance of each input: test/fixtures/third-party/<name>/PROVENANCE.md.
//
// Node figures used below, by hand (EKS AMI formulas, amazon-eks-ami nodeadm; Karpenter's VM overhead 7.5%):
// - m5.large / m6i.large: 2 vCPU, 8,192 MiB, 3 ENIs × 10 IPs → max pods 3 × 9 + 2 = 29;
//   CPU 2,000 − (60 + 10) = 1,930m; memory 8,192 − 615 (7.5%, rounded up) − (11 × 29 + 255 = 574) − 100 = 6,903 MiB.
// - c6a.xlarge: 4 vCPU, 8,192 MiB, 4 ENIs × 15 IPs → max pods 4 × 14 + 2 = 58;
//   CPU 4,000 − (60 + 10 + 5 + 5) = 3,920m; memory 8,192 − 615 − (11 × 58 + 255 = 893) − 100 = 6,584 MiB.
// System pods EKS installs (bootstrapSelfManagedAddons): aws-node 25m per node and kube-proxy 100m per node
// (host network, no pod IP), CoreDNS 2 × (100m, 70Mi).

const byWorkload = (result: PlanResult) => Object.fromEntries(result.placements.map((p) => [p.workload, p.running]));
const monthly = (result: PlanResult, item: string | RegExp) => result.cost.lines.find((l) => (typeof item === 'string' ? l.item === item : item.test(l.item)))?.monthlyUsd;
const errors = (result: PlanResult) => result.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.object}`);

describe('(b) Online Boutique on 3 × m6i.large', () => {
  const model = manifestsOnShape('online-boutique', ['kubernetes-manifests.yaml']);
  const result = plan(model);

  it('runs all 12 services on the 3 nodes, none pending', () => {
    // 12 Deployments of 1 replica each; requests (release manifest): frontend 100m/64Mi, adservice 200m/180Mi,
    // currency 100m/64Mi, cart 200m/64Mi, redis-cart 70m/200Mi, loadgenerator 300m/256Mi, recommendation
    // 100m/220Mi, checkout, email, payment, shipping, productcatalog 100m/64Mi each:
    // CPU 100+200+100+200+70+300+100+100×5 = 1,570m; memory 64+180+64+64+200+256+220+64×5 = 1,368 Mi.
    // With the system pods: 1,570 + 3 × 25 + 3 × 100 + 2 × 100 = 2,145m of 3 × 1,930 = 5,790m (37%).
    expect(result.nodes).toHaveLength(3);
    for (const node of result.nodes) expect(node.allocatable).toEqual({ milliCpu: 1930, memoryBytes: 6903 * MIB, pods: 29 });
    const running = byWorkload(result);
    const apps = Object.entries(running).filter(([w]) => w.startsWith('Deployment default/'));
    expect(apps).toHaveLength(12);
    expect(apps.every(([, n]) => n === 1)).toBe(true);
    expect(running['DaemonSet kube-system/aws-node']).toBe(3);
    expect(running['Deployment kube-system/coredns']).toBe(2);
    expect(result.pendingPods).toEqual([]);
    // 12 app pods + 2 CoreDNS need pod IPs: at most 14 on a node, far below the 27 ENI addresses of one node.
    expect(result.subnets.every((s) => s.exhaustedPods === 0)).toBe(true);
  });

  it('prices frontend-external (type LoadBalancer, no annotation, no controller) as a Classic LB', () => {
    expect(model.loadBalancers).toEqual([expect.objectContaining({ kind: 'clb', scheme: 'internet-facing', owner: 'Service default/frontend-external' })]);
    // 3 × $0.096 × 730 = $210.24; EKS 1.34 standard $73; CLB $0.025 × 730 = $18.25;
    // public IPv4 of the internet-facing CLB in 2 AZs: 2 × $0.005 × 730 = $7.30.
    expect(monthly(result, 'm6i.large')).toBeCloseTo(210.24, 2);
    expect(monthly(result, /Kubernetes 1\.34, standard support/)).toBeCloseTo(73, 2);
    expect(monthly(result, 'CLB Service default/frontend-external')).toBeCloseTo(18.25, 2);
    expect(monthly(result, /2 load balancer IP\(s\)/)).toBeCloseTo(7.3, 2);
  });

  it('passes: every pod runs and nothing in the input is an error', () => {
    expect(errors(result)).toEqual([]);
    expect(result.verdict.passed).toBe(true);
  });
});

describe('(c) Karpenter examples/v1 NodePools with the getting-started inflate Deployment', () => {
  const dir = path.join(THIRD_PARTY, 'karpenter-examples');

  it('checked without a cluster: names each file, one info for the selectors, no false errors', () => {
    const result = check(modelFromManifests([path.join(dir, 'examples'), path.join(dir, 'workload')]));
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const info = result.findings.filter((f) => f.code === 'nodeclass-selectors-unchecked');
    expect(info).toHaveLength(1);
    // Both example files hold an EC2NodeClass named `default`: the finding tells them apart by file.
    expect(info[0].object).toBe(`EC2NodeClass default (${path.join(dir, 'examples', 'general-purpose.yaml')}), EC2NodeClass default (${path.join(dir, 'examples', 'spot.yaml')})`);
    expect(result.passed).toBe(true);
  });

  const result = plan(manifestsOnShape('karpenter-examples', ['examples', 'workload']));

  it('one provisioning pass launches one c6a.xlarge from the general-purpose NodePool for the 3 inflate pods the system nodes cannot hold', () => {
    // System nodes (2 × m5.large): 1,930 − 25 (aws-node) − 100 (kube-proxy) − 100 (one CoreDNS each; the Karpenter
    // chart's controller requests nothing by default) = 1,705m free → one 1-CPU inflate pod each; 3 stay pending.
    // New node: 3 × 1,000 + 25 + 100 = 3,125m → a 4-vCPU type (3,920m allocatable; 2-vCPU ones have 1,930m).
    // Both NodePools have weight 0, so Karpenter takes them in name order (general-purpose before spot,
    // kubernetes-sigs/karpenter provisioner: NodePools sorted by weight, ties in list order) and launches the
    // cheapest fitting on-demand type of c/m/r, generation > 2, amd64: c6a.xlarge $0.153/h (c5a.xlarge $0.154,
    // c7i-flex.xlarge $0.16958, c5.xlarge $0.17 in the catalog).
    const byPool = result.nodes.map((n) => [n.owner.name, n.instanceType, n.capacityType]);
    expect(byPool).toEqual([['system', 'm5.large', 'on-demand'], ['system', 'm5.large', 'on-demand'], ['general-purpose', 'c6a.xlarge', 'on-demand']]);
    const launched = result.nodes[2];
    expect(launched.allocatable).toEqual({ milliCpu: 3920, memoryBytes: 6584 * MIB, pods: 58 });
    const inflate = result.placements.find((p) => p.workload === 'Deployment default/inflate');
    expect(inflate?.running).toBe(5);
    expect(inflate?.nodes[launched.name]).toBe(3);
    expect(result.pendingPods).toEqual([]);
    expect(result.events).toContainEqual(expect.objectContaining({ type: 'warm-up', message: expect.stringContaining('NodePool general-purpose 0 → 1 node(s) (c6a.xlarge ×1)') }));
  });

  it('costs 2 × m5.large + 1 × c6a.xlarge and passes', () => {
    // 2 × $0.096 × 730 = $140.16; $0.153 × 730 = $111.69; EKS $73.
    expect(monthly(result, 'm5.large')).toBeCloseTo(140.16, 2);
    expect(monthly(result, 'c6a.xlarge')).toBeCloseTo(111.69, 2);
    expect(errors(result)).toEqual([]);
    expect(result.verdict.passed).toBe(true);
  });
});

describe('(d) kubernetes.io examples on 2 × m5.large with metrics-server', () => {
  const result = plan(manifestsOnShape('kubernetes-examples', ['manifests']));

  it('runs nginx-deployment (3) and php-apache (HPA min 1) on the 2 nodes', () => {
    const running = byWorkload(result);
    expect(running['Deployment default/nginx-deployment']).toBe(3);
    // php-apache has no replicas field (1) and its HPA minReplicas is 1: one pod of 200m.
    expect(running['Deployment default/php-apache']).toBe(1);
    expect(result.nodes).toHaveLength(2);
    // 2 × $0.096 × 730 = $140.16
    expect(monthly(result, 'm5.large')).toBeCloseTo(140.16, 2);
  });

  it('leaves the topology-spread example pod Pending: EKS nodes carry topology.kubernetes.io/zone, not `zone`', () => {
    // The example spreads over topologyKey "zone" with DoNotSchedule; the docs' nodes were labelled `zone` by
    // hand. PodTopologySpread filters out nodes without the key (kubernetes/kubernetes
    // pkg/scheduler/framework/plugins/podtopologyspread/filtering.go: ErrReasonNodeLabelNotMatch).
    expect(result.pendingPods).toEqual([{
      pod: 'default/mypod-00000', workload: 'Pod default/mypod', phase: 'Pending',
      message: "0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints (missing required label).",
    }]);
  });

  it('fails the static verdict on that pod alone', () => {
    expect(errors(result)).toEqual([]);
    expect(result.verdict.thresholds).toEqual([{ name: 'maxPendingPods', limit: 0, measured: 1, passed: false, unit: 'pods' }]);
    expect(result.verdict.passed).toBe(false);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { loadAssembly, plan, type ClusterModel, type PlanResult } from '../../simulation';
import { synthReadmeApp } from './cdk-readme-app';

// Corpus (a): an app written from the aws-cdk-lib aws-eks-v2 and aws-eks README examples
// (test/fixtures/third-party/cdk-readme/PROVENANCE.md), synthesized in-process, then planned statically.
//
// Hand-computed node figures (m5.large: 2 vCPU, 8,192 MiB, 3 ENIs × 10 IPv4):
// - max pods = 3 × (10 − 1) + 2 = 29 (amazon-eks-ami eni-max-pods.txt);
// - allocatable CPU = 2,000m − kube-reserved (6% of core 1 = 60m, 1% of core 2 = 10m) = 1,930m;
// - memory capacity = 8,192 − ceil(7.5% × 8,192 = 614.4) = 7,577 MiB (VM overhead); kube-reserved = 11 × 29 +
//   255 = 574 MiB; eviction-hard 100 MiB; allocatable = 7,577 − 574 − 100 = 6,903 MiB = 7,238,320,128 bytes.
// Prices (us-east-1, catalog 2026-11-01): m5.large $0.096/h, EKS $0.10/h standard and $0.60/h extended,
// NAT $0.045/h, Classic LB $0.025/h, public IPv4 $0.005/h; a month is 730 h.

const MIB = 1024 * 1024;
let dir: string;
let al2023Dir: string;
const models: Record<string, ClusterModel> = {};
const plans: Record<string, PlanResult> = {};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-readme-'));
  synthReadmeApp(dir);
  al2023Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-readme-al2023-'));
  synthReadmeApp(al2023Dir, { defaultToAl2023: true });
  for (const stack of ['ReadmeV2', 'ReadmeV1']) {
    models[stack] = loadAssembly(dir, { stack });
    plans[stack] = plan(models[stack]);
  }
});

afterAll(() => {
  for (const d of [dir, al2023Dir]) fs.rmSync(d, { recursive: true, force: true });
});

const cost = (result: PlanResult, item: string | RegExp) => result.cost.lines.find((l) => (typeof item === 'string' ? l.item === item : item.test(l.item)));

describe('aws-eks-v2 README app (ReadmeV2)', () => {
  it('reads the node group as the README wrote it: 4 × m5.large, AL2_x86_64 written by aws-cdk-lib', () => {
    // addNodegroupCapacity({ minSize: 4 }): desiredSize = minSize = 4, maxSize = desiredSize = 4 (Nodegroup defaults);
    // instanceTypes given and no amiType: the first AMI type for x86_64 without the AL2023 flag is AL2_x86_64.
    expect(models.ReadmeV2.nodeGroups).toEqual([expect.objectContaining({ instanceTypes: ['m5.large'], minSize: 4, desiredSize: 4, maxSize: 4, amiType: 'AL2_x86_64', diskSizeGiB: 100 })]);
  });

  it('places every pod: 13 pods on 4 nodes, none pending', () => {
    const result = plans.ReadmeV2;
    expect(result.nodes).toHaveLength(4);
    for (const node of result.nodes) expect(node.allocatable).toEqual({ milliCpu: 1930, memoryBytes: 6903 * MIB, pods: 29 });
    // aws-node and kube-proxy on each of the 4 nodes (EKS installs them: bootstrapSelfManagedAddons), CoreDNS
    // 2 replicas, hello-kubernetes 3 replicas: 4 + 4 + 2 + 3 = 13; at most 4 on a node, far below 29.
    const running = Object.fromEntries(result.placements.map((p) => [p.workload, p.running]));
    expect(running).toEqual({ 'DaemonSet kube-system/aws-node': 4, 'DaemonSet kube-system/kube-proxy': 4, 'Deployment kube-system/coredns': 2, 'Deployment default/hello-kubernetes': 3 });
    expect(result.pendingPods).toEqual([]);
  });

  it('prices the README Service as a Classic Load Balancer, and the main lines', () => {
    const result = plans.ReadmeV2;
    expect(models.ReadmeV2.loadBalancers).toEqual([expect.objectContaining({ kind: 'clb', scheme: 'internet-facing', owner: 'Service default/hello-kubernetes' })]);
    // 4 nodes × $0.096 × 730 = $280.32
    expect(cost(result, 'm5.large')?.monthlyUsd).toBeCloseTo(280.32, 2);
    // 1.34 is in standard support on 2026-11-01: $0.10 × 730 = $73
    expect(cost(result, /Kubernetes 1\.34, standard support/)?.monthlyUsd).toBeCloseTo(73, 2);
    // Classic LB: $0.025 × 730 = $18.25 (no ALB line)
    expect(cost(result, 'CLB Service default/hello-kubernetes')?.monthlyUsd).toBeCloseTo(18.25, 2);
    expect(result.cost.lines.some((l) => l.item.startsWith('ALB'))).toBe(false);
    // 1 NAT gateway: $0.045 × 730 = $32.85
    expect(cost(result, '1 NAT gateway(s)')?.monthlyUsd).toBeCloseTo(32.85, 2);
    // Public IPv4: 1 NAT EIP + the internet-facing CLB in 2 AZs = 3 × $0.005 × 730 = $10.95
    expect(cost(result, /1 NAT EIP\(s\), 2 load balancer IP\(s\)/)?.monthlyUsd).toBeCloseTo(10.95, 2);
  });

  it('fails the verdict on the AL2 node group (deploy would fail on 1.34) and reports the unmodelled chart', () => {
    const result = plans.ReadmeV2;
    expect(result.verdict.passed).toBe(false);
    expect(result.findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'al2-ami', object: 'NodeGroup helloeksNodegroupcustomnodegroup15184D0E' }));
    expect(result.findings.find((f) => f.code === 'al2-ami')?.fix).toContain('AL2023_x86_64_STANDARD');
    // The NGINX Inc. nginx-ingress chart (helm.nginx.com) is not in the chart table: a warning, not silence.
    expect(result.findings).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'helm-chart-not-modelled' }));
  });

  it('with the @aws-cdk/aws-eks:defaultToAL2023 flag (cdk init writes it) the node group is AL2023 and not flagged', () => {
    const model = loadAssembly(al2023Dir, { stack: 'ReadmeV2' });
    expect(model.nodeGroups[0].amiType).toBe('AL2023_x86_64_STANDARD');
    expect(plan(model).findings.map((f) => f.code)).not.toContain('al2-ami');
  });
});

describe('aws-eks README app (ReadmeV1)', () => {
  it('default capacity: 2 × m5.large with AL2_x86_64 on 1.33, flagged as an error', () => {
    // aws-eks Cluster defaultCapacity 2, defaultCapacityInstance m5.large, in a managed node group.
    expect(models.ReadmeV1.nodeGroups).toEqual([expect.objectContaining({ instanceTypes: ['m5.large'], desiredSize: 2, amiType: 'AL2_x86_64' })]);
    expect(plans.ReadmeV1.findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'al2-ami' }));
    expect(plans.ReadmeV1.verdict.passed).toBe(false);
  });

  it('places mypod and the EKS add-ons on the 2 nodes, and prices 1.33 at extended support', () => {
    const result = plans.ReadmeV1;
    expect(result.nodes).toHaveLength(2);
    const running = Object.fromEntries(result.placements.map((p) => [p.workload, p.running]));
    // aws-node 2 + kube-proxy 2 + CoreDNS 2 + mypod 1 = 7 pods.
    expect(running).toEqual({ 'DaemonSet kube-system/aws-node': 2, 'DaemonSet kube-system/kube-proxy': 2, 'Deployment kube-system/coredns': 2, 'Pod default/mypod': 1 });
    expect(result.pendingPods).toEqual([]);
    // 2 × $0.096 × 730 = $140.16; 1.33 left standard support in 2026, so $0.60 × 730 = $438.
    expect(cost(result, 'm5.large')?.monthlyUsd).toBeCloseTo(140.16, 2);
    expect(cost(result, /Kubernetes 1\.33, extended support/)?.monthlyUsd).toBeCloseTo(438, 2);
  });
});

describe('eksplan validate on the two-cluster README assembly', () => {
  const run = runCli;

  it('fails without --stack: two stacks hold an EKS cluster', async () => {
    const { code, stderr } = await run(['validate', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('choose one with --stack');
  });

  it('validates one stack with --stack, with only that stack\'s nested templates', async () => {
    const v2 = await run(['validate', dir, '--stack', 'ReadmeV2', '--json']);
    const v1 = await run(['validate', dir, '--stack', 'ReadmeV1']);
    expect(v2.stderr).toBe('');
    expect(JSON.parse(v2.stdout)).toEqual(expect.objectContaining({ templates: expect.any(Array), manifests: [] }));
    // ReadmeV1 has its own template plus the aws-eks cluster-resource and kubectl-provider nested stacks.
    expect(v1.stdout).toMatch(/in 3 template\(s\)/);
  });

  it('fails when --stack names no stack', async () => {
    const { code, stderr } = await run(['validate', dir, '--stack', 'Nope']);
    expect(code).toBe(2);
    expect(stderr).toContain("has no stack 'Nope'");
  });
});

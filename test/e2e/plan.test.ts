import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planAssembly } from '../../lib/plan';
import { loadAssembly } from '../../simulation/assembly';
import { checkAssembly } from '../../simulation/checks';
import { render } from '../../simulation/report';
import { synthesizeToDir } from '../support/reference-stack';

// End to end: synthesize the reference platform in-process, write the assembly to a temp dir, load and simulate it.
describe('reference platform, synthesized then simulated', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthesizeToDir();
  });

  it('reads the synthesized assembly into a model of the platform', () => {
    const model = loadAssembly(dir);
    expect(model.cluster?.logging).toHaveLength(5);
    expect(model.nodeGroups.map((g) => [g.instanceTypes, g.desiredSize, g.taints[0]?.key])).toEqual([[['m7i.large'], 3, 'CriticalAddonsOnly']]);
    expect(model.objects.filter((o) => o.object.kind === 'NodePool').map((o) => o.object.metadata.name)).toEqual(['general']);
    expect(model.loadBalancers).toEqual([expect.objectContaining({ kind: 'alb', scheme: 'internet-facing', group: 'reference-public' })]);
    expect(model.subnets.filter((s) => !s.public).map((s) => s.cidr)).toEqual(['10.0.32.0/19', '10.0.64.0/19', '10.0.96.0/19']);
  });

  it('passes every deploy-time check', () => {
    expect(checkAssembly(loadAssembly(dir)).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('static placement: add-ons on the system nodes, one Karpenter provisioning pass for the workloads (the chart is deployed)', () => {
    const { result } = planAssembly({ assemblyDir: dir, scenario: 'static' });
    // The system node group at its desired 3; the workloads tolerate none of its taints, so Karpenter launches for them.
    expect(result.nodes.filter((n) => n.owner.kind === 'nodegroup')).toHaveLength(3);
    expect(result.nodes.filter((n) => n.owner.kind === 'nodepool').length).toBeGreaterThan(0);
    const running = Object.fromEntries(result.placements.map((p) => [p.workload, p.running]));
    expect(running['Deployment kube-system/coredns']).toBe(2);
    expect(running['Deployment karpenter/karpenter']).toBe(2);
    expect(running['Deployment web/api']).toBe(3);
    expect(result.verdict.pendingPods).toEqual([]);
    expect(result.events.some((e) => e.type === 'warm-up' && /NodePool general 0 → \d+ node\(s\)/.test(e.message))).toBe(true);
  });

  it('the default scenario passes its thresholds, with Karpenter providing the workload capacity', () => {
    const { result } = planAssembly({ assemblyDir: dir });
    expect(result.verdict.passed).toBe(true);
    expect(result.summary.peakNodes).toBeGreaterThan(3);
    expect(result.nodes.some((n) => n.owner.kind === 'nodepool')).toBe(true);
    expect(result.cost.monthlyUsd).toBeGreaterThan(300);
    // Requests are allocated per workload in the pipeline: the idle share is not 100%.
    expect(result.cost.idleShare).toBeLessThan(1);
    for (const format of ['text', 'json', 'html', 'junit', 'markdown']) expect(render(result, format).length).toBeGreaterThan(200);
  });

  it('writes every report format and byte-identical JSON for the same seed', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-out-'));
    const a = planAssembly({ assemblyDir: dir, outDir: out });
    expect(a.written.map((f) => path.basename(f)).sort()).toEqual(['eksplan-report.html', 'eksplan-report.json', 'eksplan-report.junit.xml', 'eksplan-report.md', 'eksplan-report.txt']);
    const b = planAssembly({ assemblyDir: dir });
    expect(render(b.result, 'json')).toEqual(fs.readFileSync(path.join(out, 'eksplan-report.json'), 'utf8'));
  });
});

// The gate: `cdk synth` with the eksplan policy-validation plugin fails before any deploy when a threshold fails.
describe('the cdk synth gate', () => {
  const root = path.resolve(__dirname, '..', '..');
  const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
  const synth = (scenario: string) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-gate-'));
    return spawnSync(cdk, ['synth', '--quiet', '-c', `eksplan:scenario=${scenario}`, '-o', out], { cwd: root, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' }, timeout: 180000 });
  };

  it('fails synth with the violation when the reference platform is over budget', () => {
    const scenario = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-scenario-')), 'budget.yaml');
    fs.writeFileSync(scenario, 'name: too-tight-budget\nduration: 6h\nthresholds: { maxMonthlyCostUsd: 100 }\n');
    const run = synth(scenario);
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/maxMonthlyCostUsd measured [\d.]+ USD\/month, limit <= 100 USD\/month/);
  });

  it('passes synth with the bundled scenario', () => {
    const run = synth('default');
    expect(run.status).toBe(0);
  });
});

describe('security defaults of the reference platform', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { referenceTemplate } = require('../support/reference-stack') as typeof import('../support/reference-stack');
  const { template } = referenceTemplate();

  it('requires IMDSv2 on every launch template and encrypts secrets, with all control-plane logs', () => {
    for (const lt of Object.values(template.findResources('AWS::EC2::LaunchTemplate')) as { Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: string } } } }[]) {
      expect(lt.Properties.LaunchTemplateData.MetadataOptions.HttpTokens).toBe('required');
    }
    const cluster = Object.values(template.findResources('AWS::EKS::Cluster'))[0] as { Properties: { EncryptionConfig: unknown[]; Logging: { ClusterLogging: { EnabledTypes: unknown[] } } } };
    expect(cluster.Properties.EncryptionConfig).toHaveLength(1);
    expect(cluster.Properties.Logging.ClusterLogging.EnabledTypes).toHaveLength(5);
  });

  it('requires IMDSv2 on Karpenter nodes too, with a hop limit that keeps pods off the node role', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { manifestObjects } = require('../support/reference-stack') as typeof import('../support/reference-stack');
    const classes = manifestObjects(template).filter((o) => o.kind === 'EC2NodeClass') as { spec: { metadataOptions: { httpTokens: string; httpPutResponseHopLimit: number } } }[];
    expect(classes.length).toBeGreaterThan(0);
    for (const nodeClass of classes) expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
  });

  it('opens no security group to 0.0.0.0/0 on ingress', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) => JSON.stringify(r).includes('0.0.0.0/0'));
    expect(ingress).toEqual([]);
    for (const sg of Object.values(template.findResources('AWS::EC2::SecurityGroup')) as { Properties: { SecurityGroupIngress?: { CidrIp?: string }[] } }[]) {
      expect((sg.Properties.SecurityGroupIngress ?? []).filter((r) => r.CidrIp === '0.0.0.0/0')).toEqual([]);
    }
  });

  it('gives node roles no administrator policy', () => {
    const roles = JSON.stringify(template.findResources('AWS::IAM::Role'));
    expect(roles).not.toContain('AdministratorAccess');
    expect(roles).not.toContain('PowerUserAccess');
  });

  it('has valid Kubernetes objects only', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkKubernetesSchemas } = require('../../simulation/checks') as typeof import('../../simulation/checks');
    expect(checkKubernetesSchemas(loadAssembly(synthesizeToDir()))).toEqual([]);
  });
});

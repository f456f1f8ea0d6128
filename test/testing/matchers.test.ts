import '../../testing/jest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EksPlatformStack } from '../../lib/eks-platform-stack';
import type { PlatformSpec } from '../../lib/platform-spec';
import { referencePlatform } from '../../lib/reference';
import { planStack, releaseAssemblies, setPlanDefaults } from '../../testing';
import { projectContext } from '../support/reference-stack';

// The matchers of eksplan/testing on the reference platform (which passes each) and on a platform built to fail
// each one, asserting the failure message says what to fix. The two stacks synthesize once each for the whole
// file: planStack memoises per stack and scenario, and shares CDK's cached assembly with Template.fromStack.

const app = new App({ context: projectContext() });
const reference = new EksPlatformStack(app, 'ReferencePlatform', { spec: referencePlatform });

/**
 * An undersized platform: a public API endpoint open to the internet (an error finding), four small nodes and no
 * Karpenter that hoard pod addresses (a warm prefix target), and a web service whose pods ask for more CPU than any node has.
 */
const undersizedSpec: PlatformSpec = {
  name: 'undersized', region: 'us-east-1', account: '111111111111', availabilityZones: ['us-east-1a', 'us-east-1b'],
  network: { cidr: '10.9.0.0/20', natGateways: 1, expectedPods: 100 },
  cluster: {
    endpointAccess: 'public-and-private', publicAccessCidrs: ['0.0.0.0/0'], openPublicEndpoint: { reason: 'a demo cluster built to fail the findings matcher' },
    authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false,
  },
  // Prefix delegation with a warm target of 16 prefixes: each node holds 256 addresses of its /22 subnet, used or not.
  vpcCni: { prefixDelegation: true, warmPrefixTarget: 16 },
  nodeGroups: [{ name: 'system', instanceTypes: ['m7i.large'], capacityType: 'ON_DEMAND', minSize: 4, desiredSize: 4, maxSize: 4 }],
  workloads: [
    { kind: 'web', name: 'api', namespace: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', cpu: '3', memory: '1Gi', replicas: 4, port: 8080 },
    { kind: 'worker', name: 'batch', namespace: 'jobs', image: 'public.ecr.aws/docker/library/busybox:1.36', cpu: '10m', memory: '16Mi', replicas: 60 },
  ],
};
const undersizedApp = new App({ context: projectContext() });
const undersized = new EksPlatformStack(undersizedApp, 'Undersized', { spec: undersizedSpec });

/** The message a failing matcher gives jest. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the matcher passed; it was expected to fail');
}

describe('on the reference platform with its bundled scenario', () => {
  it('passes every matcher', () => {
    expect(reference).toScheduleAllPods();
    expect(reference).toPassScenario();
    expect(reference).toCostAtMostPerMonth(3500);
    expect(reference).toHaveNoFindings({ severity: 'error' });
    expect(reference).toKeepFreeSubnetIpsAbove(20);
  });

  it('plans once for several matchers, and shares the synthesized assembly with Template.fromStack', () => {
    const first = planStack(reference);
    expect(reference).toCostAtMostPerMonth(first.cost.monthlyUsd);
    expect(planStack(reference)).toBe(first);
    expect(first.input.scenario).toBe('reference-day');
    // The same plan the matchers measured: a PlanResult is accepted as the subject too.
    expect(first).toPassScenario();
    Template.fromStack(reference).resourceCountIs('AWS::EKS::Cluster', 1);
  });

  it('.not inverts each matcher and says what was measured', () => {
    expect(reference).not.toCostAtMostPerMonth(100);
    expect(reference).not.toKeepFreeSubnetIpsAbove(100);
    expect(failure(() => expect(reference).not.toCostAtMostPerMonth(100_000))).toMatch(/Expected it to fail, but maxMonthlyCostUsd: measured [\d,.]+ USD\/month, limit <= 100,000 USD\/month/);
    expect(failure(() => expect(reference).not.toScheduleAllPods())).toMatch(/Expected some pod to stay unscheduled, but all \d+ pods of \d+ workloads were scheduled/);
    expect(failure(() => expect(reference).not.toPassScenario())).toMatch(/every threshold was met[\s\S]*maxNodes: measured \d+ nodes, limit <= 40 nodes/);
  });

  it('takes a scenario as a document, and fails it with each threshold measured against its limit and the fixes', () => {
    const tight = { name: 'tight-budget', duration: '6h', step: '30s', thresholds: { maxMonthlyCostUsd: 100, maxNodes: 40 } };
    const message = failure(() => expect(reference).toPassScenario(tight));
    expect(message).toContain("expect(ReferencePlatform).toPassScenario() — scenario 'tight-budget'");
    expect(message).toMatch(/maxMonthlyCostUsd: measured [\d,.]+ USD\/month, limit <= 100 USD\/month \(failed\)/);
    expect(message).toMatch(/Projected .* per month/);
    expect(message).toMatch(/To fix:\n\s+- /);
    // The threshold that passed is not reported as a failure.
    expect(message).not.toContain('maxNodes');
  });

  it('plans an App with one EKS stack as it plans that stack', () => {
    expect(app).toCostAtMostPerMonth(3500);
    const fromApp = planStack(app);
    expect(fromApp).not.toBe(planStack(reference));
    expect(fromApp.cost.monthlyUsd).toBe(planStack(reference).cost.monthlyUsd);
    expect(fromApp.summary).toEqual(planStack(reference).summary);
  });

  it('takes a scenario file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-testing-'));
    const file = path.join(dir, 'short.yaml');
    fs.writeFileSync(file, 'name: short-day\nduration: 2h\nstep: 30s\nthresholds: { maxPendingSeconds: 600 }\n');
    try {
      expect(reference).toPassScenario(file);
      expect(planStack(reference, { scenario: file }).input.scenario).toBe('short-day');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails when the scenario document is invalid, naming the field', () => {
    expect(() => expect(reference).toPassScenario({ name: 'typo', thresholds: { maxMonthlyCost: 5 } as never })).toThrow(/thresholds.*maxMonthlyCost/);
  });

  it('fails when given something that is not a Stack, App or PlanResult', () => {
    expect(() => expect({ not: 'a stack' }).toScheduleAllPods()).toThrow(/expected a CDK Stack, App or Stage \(or a PlanResult\), got Object/);
  });
});

describe('on a platform built to fail each matcher', () => {
  beforeAll(() => {
    // The steady state: node groups at their desired size, every pod placed once.
    setPlanDefaults({ scenario: 'static' });
  });
  afterAll(() => {
    setPlanDefaults({});
  });

  it('fails toScheduleAllPods with the pending pods and kube-scheduler\'s reason', () => {
    const message = failure(() => expect(undersized).toScheduleAllPods());
    expect(message).toContain("expect(Undersized).toScheduleAllPods() — the steady state (scenario 'static')");
    expect(message).toMatch(/Deployment web\/api: 4 pod\(s\) \(web\/api-[^,]+, web\/api-[^,]+, …\)/);
    expect(message).toMatch(/0\/4 nodes are available: 4 Insufficient cpu/);
  });

  it('fails toScheduleAllPods under a scenario with the pods that never ran, and the fixes for their reason', () => {
    const message = failure(() => expect(undersized).toScheduleAllPods({ scenario: { name: 'one-hour', duration: '1h', step: '60s' } }));
    expect(message).toContain("expect(Undersized).toScheduleAllPods() — scenario 'one-hour'");
    expect(message).toMatch(/4 pod\(s\) never ran or were still pending at the end of the run:\n\s+Deployment web\/api: 4 pod\(s\) .*, pending up to 1\.0 h\n\s+0\/4 nodes are available: 4 Insufficient cpu/);
    expect(message).toMatch(/To fix:\n\s+- .*maxSize/);
  });

  it('fails toPassScenario with the pods left pending and the error findings with their fixes', () => {
    const message = failure(() => expect(undersized).toPassScenario());
    expect(message).toMatch(/maxPendingPods: measured \d+ pods, limit <= 0 pods \(failed\)/);
    expect(message).toContain('[error] endpoint-public-to-internet');
    expect(message).toMatch(/fix: make the endpoint private/);
  });

  it('fails toCostAtMostPerMonth with the measured cost, its largest categories and the fixes', () => {
    const message = failure(() => expect(undersized).toCostAtMostPerMonth(50));
    expect(message).toContain('expect(Undersized).toCostAtMostPerMonth(50)');
    expect(message).toMatch(/maxMonthlyCostUsd: measured [\d,.]+ USD\/month, limit <= 50 USD\/month \(failed\)/);
    expect(message).toMatch(/Largest contributors:\n\s+EC2 on-demand: /);
    expect(message).toMatch(/To fix:\n\s+- /);
  });

  it('fails toHaveNoFindings with each finding and its fix', () => {
    const message = failure(() => expect(undersized).toHaveNoFindings({ severity: 'error' }));
    expect(message).toMatch(/\d+ findings of severity error:/);
    expect(message).toMatch(/\[error\] endpoint-public-to-internet — Cluster [^:]+: the Kubernetes API endpoint is public/);
    expect(message).toMatch(/fix: make the endpoint private/);
    // Accepting the code on purpose passes; a lower severity counts the warnings too.
    expect(undersized).toHaveNoFindings({ severity: 'error', except: ['endpoint-public-to-internet'] });
    expect(failure(() => expect(undersized).toHaveNoFindings({ severity: 'warning', except: ['endpoint-public-to-internet'] })))
      .toMatch(/1 findings of severity warning or error:\n\s+\[warning\] no-readiness-probe — Deployment jobs\/batch: no container has a readiness probe[^\n]*\n\s+fix: add a readinessProbe/);
  });

  it('fails toKeepFreeSubnetIpsAbove with the subnets measured against the limit and the fixes', () => {
    const message = failure(() => expect(undersized).toKeepFreeSubnetIpsAbove(50));
    expect(message).toMatch(/minFreeSubnetIpsPercent: measured 43.1 percent, limit >= 50 percent \(failed\)/);
    expect(message).toMatch(/NetworkPrivateSubnet1Subnet\w+: 439 free of 1019 \(43.1%\) in us-east-1a, 10.9.4.0\/22/);
    expect(message).toMatch(/To fix:\n\s+- /);
  });

  it('fails when a limit is not a number', () => {
    expect(() => expect(undersized).toKeepFreeSubnetIpsAbove(120)).toThrow('toKeepFreeSubnetIpsAbove: percent must be a number from 0 to 100, got 120');
    expect(() => expect(undersized).toCostAtMostPerMonth(Number.NaN)).toThrow(/toCostAtMostPerMonth: usd must be a number/);
  });
});

describe('clean-up', () => {
  it('removes the temporary assemblies it synthesized, and only those', () => {
    const dirs = [app.outdir, undersizedApp.outdir];
    for (const dir of dirs) expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(true);
    expect(releaseAssemblies().sort()).toEqual(dirs.sort());
    for (const dir of dirs) expect(fs.existsSync(dir)).toBe(false);
    expect(releaseAssemblies()).toEqual([]);
  });
});

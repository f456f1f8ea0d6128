import { compareVariants, parseScenario, parseVariant, plan, render, simulate } from '../../simulation';
import { model, nodeGroup, object } from './checks/fixture';

const app = object('Deployment', 'default/app', { replicas: 6, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } } }] } } });
const base = model({ nodeGroups: [nodeGroup({ name: 'workers', instanceTypes: ['m5.xlarge'], minSize: 1, desiredSize: 2, maxSize: 6 })], objects: [app] });
const scenario = parseScenario({ duration: '2h', step: '30s', seed: 2 });

describe('what-if variants', () => {
  it('runs the same scenario on each variant and reports cost deltas against the assembly as is', () => {
    const comparison = compareVariants(base, scenario, ['karpenter', 'auto-mode', 'spot=70%', 'families=m7g', 'prefix-delegation=on']);
    const rows = comparison.rows;
    expect(rows.map((r) => r.variant)).toEqual(['as-is', 'karpenter', 'auto-mode', 'spot=70%', 'families=m7g', 'prefix-delegation=on']);
    expect(rows[0].deltaUsd).toBe(0);
    const byName = Object.fromEntries(rows.map((r) => [r.variant, r]));
    // Karpenter right-sizes the nodes for 6 × 500m pods; Auto Mode adds its management fee on top of similar nodes.
    expect(byName.karpenter.result.nodes.some((n) => n.owner.kind === 'nodepool')).toBe(true);
    expect(byName['auto-mode'].result.cost?.byCategory['EKS Auto Mode fee']).toBeGreaterThan(0);
    expect(byName['spot=70%'].result.nodes.some((n) => n.capacityType === 'spot')).toBe(true);
    expect(byName['families=m7g'].result.nodes.filter((n) => n.owner.kind === 'nodegroup').every((n) => n.instanceType === 'm7g.xlarge')).toBe(true);
    expect(render(comparison, 'text')).toMatch(/^variant\s+peak nodes/);
    expect(render(comparison, 'markdown')).toContain('| karpenter |');
    expect(JSON.parse(render(comparison, 'json')).rows).toHaveLength(6);
  });

  it('runs each variant through the pipeline: the as-is row is exactly what plan gives, idle share included', () => {
    const loaded = parseScenario({ duration: '2h', step: '30s', seed: 2, loads: [{ workload: 'default/app', profile: { type: 'constant', rps: 50 } }] });
    const [asIs] = compareVariants(base, loaded, []).rows;
    const planned = plan(base, loaded);
    expect(asIs.result).toEqual(planned);
    expect(asIs.monthlyUsd).toBe(planned.cost.monthlyUsd);
    // 6 × 500m of 2 × m5.xlarge is requested: the idle share is well below 100%, in compare as in plan.
    expect(planned.cost.idleShare).toBeLessThan(0.8);
    expect(asIs.result.cost.byWorkload['Deployment default/app']).toBeGreaterThan(0);
  });

  it('models an Auto Mode cluster from its built-in node pools', () => {
    const auto = model({ cluster: { ...(base.cluster as NonNullable<typeof base.cluster>), autoMode: true }, objects: [app] });
    const result = simulate(auto, scenario);
    expect(result.nodes.every((n) => n.owner.kind === 'automode')).toBe(true);
    expect(result.placements.find((p) => p.workload === 'Deployment default/app')?.running).toBe(6);
  });

  it.each([['spot=150%', 'spot must be a percentage'], ['families=zz9', 'unknown: zz9'], ['magic', "unknown variant 'magic'"]])('fails on variant %s', (text, message) => {
    expect(() => parseVariant(text)).toThrow(message);
  });
});

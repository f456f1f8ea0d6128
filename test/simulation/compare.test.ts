import { compareVariants, parseVariant, renderComparison } from '../../simulation/compare';
import { parseScenario, simulate } from '../../simulation/engine';
import { model, nodeGroup, object } from './checks/fixture';

const app = object('Deployment', 'default/app', { replicas: 6, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } } }] } } });
const base = model({ nodeGroups: [nodeGroup({ name: 'workers', instanceTypes: ['m5.xlarge'], minSize: 1, desiredSize: 2, maxSize: 6 })], objects: [app] });
const scenario = parseScenario({ duration: '2h', step: '30s', seed: 2 });

describe('what-if variants', () => {
  it('runs the same scenario on each variant and reports cost deltas against the assembly as is', () => {
    const rows = compareVariants(base, scenario, ['karpenter', 'auto-mode', 'spot=70%', 'families=m7g', 'prefix-delegation=on']);
    expect(rows.map((r) => r.variant)).toEqual(['as-is', 'karpenter', 'auto-mode', 'spot=70%', 'families=m7g', 'prefix-delegation=on']);
    expect(rows[0].deltaUsd).toBe(0);
    const byName = Object.fromEntries(rows.map((r) => [r.variant, r]));
    // Karpenter right-sizes the nodes for 6 × 500m pods; Auto Mode adds its management fee on top of similar nodes.
    expect(byName.karpenter.result.nodes.some((n) => n.owner.kind === 'nodepool')).toBe(true);
    expect(byName['auto-mode'].result.cost?.byCategory['EKS Auto Mode fee']).toBeGreaterThan(0);
    expect(byName['spot=70%'].result.nodes.some((n) => n.capacityType === 'spot')).toBe(true);
    expect(byName['families=m7g'].result.nodes.filter((n) => n.owner.kind === 'nodegroup').every((n) => n.instanceType === 'm7g.xlarge')).toBe(true);
    expect(renderComparison(rows)).toMatch(/^variant\s+peak nodes/);
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

import type { ComparisonResult, PlanResult } from '../../../simulation/model/result';
import { render } from '../../../simulation/report';
import { sampleResult } from './fixture';

function row(variant: string, result: PlanResult): ComparisonResult['rows'][number] {
  return {
    variant, peakNodes: result.summary.peakNodes, pendingPodSeconds: result.summary.pendingPodSeconds, minFreeSubnetIpsPercent: result.summary.minFreeSubnetIpsPercent,
    monthlyUsd: result.cost.monthlyUsd, deltaUsd: 0, passed: result.verdict.passed, result,
  };
}

const passing = sampleResult({ verdict: { passed: true, errorFindings: 0, thresholds: [{ name: 'maxPendingSeconds', limit: 600, measured: 300, passed: true, unit: 'seconds' }] } });
const failing = sampleResult();
const comparison: ComparisonResult = { kind: 'comparison', scenario: 'reference', rows: [row('as-is', failing), row('spot=70%', passing)] };

describe('comparison reports', () => {
  it('text: the table names each variant\'s failed thresholds, then why', () => {
    const text = render(comparison, 'text');
    expect(text).toMatch(/as-is .*FAIL\s+maxPendingSeconds 5m \(limit ≤ 2m\)/);
    expect(text).toMatch(/spot=70% .*pass\s+-/);
    expect(text).toContain('as-is: FAIL\n  maxPendingSeconds: 1 pod(s) waited longer than 2m');
  });

  it('JSON: each row with its failed thresholds, why and fixes', () => {
    const json = JSON.parse(render(comparison, 'json'));
    expect(json.rows.map((r: { variant: string; failedThresholds: { name: string }[] }) => [r.variant, r.failedThresholds.map((t) => t.name)])).toEqual([
      ['as-is', ['maxPendingSeconds']],
      ['spot=70%', []],
    ]);
    expect(json.rows[0].failedThresholds[0].fixes.length).toBeGreaterThan(0);
    expect(json.rows[0].result).toBeUndefined();
  });

  it('HTML: variants overlaid on the same nodes, pending and cost charts, one line each', () => {
    const html = render(comparison, 'html');
    expect([...html.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['compare-nodes', 'compare-pending', 'compare-cost']);
    for (const id of ['compare-nodes', 'compare-pending', 'compare-cost']) {
      const figure = html.slice(html.indexOf(`data-chart="${id}"`), html.indexOf('</figure>', html.indexOf(`data-chart="${id}"`)));
      expect(figure.match(/<polyline /g)).toHaveLength(2);
      expect(figure).toContain('<title>spot=70%</title>');
    }
    expect(html).not.toContain('<iframe');
    expect(html).toContain('maxPendingSeconds 5m (limit ≤ 2m)');
  });

  it('JUnit: a failing variant names its thresholds', () => {
    expect(render(comparison, 'junit')).toContain('<failure message="maxPendingSeconds 5m (limit ≤ 2m)" type="verdict">');
  });
});

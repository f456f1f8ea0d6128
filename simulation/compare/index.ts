import { applyCost } from '../cost';
import { simulate, type Scenario } from '../engine';
import type { ClusterModel } from '../model/cluster';
import type { SimulationResult } from '../model/result';
import { escapeXml, table, usd } from '../report/format';
import { renderHtml } from '../report/html';
import { parseVariant, type Variant } from './variants';

export { parseVariant, toAutoMode, type Variant } from './variants';

export interface ComparisonRow {
  readonly variant: string;
  readonly peakNodes: number;
  readonly pendingPodSeconds: number;
  readonly minFreeSubnetIpsPercent: number;
  readonly monthlyUsd: number;
  readonly deltaUsd: number;
  readonly passed: boolean;
  readonly result: SimulationResult;
}

/** Runs the same scenario on the assembly as synthesized (`as-is`) and on each variant. */
export function compareVariants(model: ClusterModel, scenario: Scenario, variantTexts: readonly string[], options: { seed?: number; region?: string } = {}): ComparisonRow[] {
  const variants: Variant[] = [parseVariant('as-is'), ...variantTexts.map(parseVariant)];
  const rows: ComparisonRow[] = [];
  for (const variant of variants) {
    const variantModel = variant.apply(model);
    const result = applyCost(variantModel, simulate(variantModel, scenario, options), scenario);
    rows.push({
      variant: variant.label,
      peakNodes: result.summary.peakNodes,
      pendingPodSeconds: Math.round(result.summary.pendingPodSeconds),
      minFreeSubnetIpsPercent: result.summary.minFreeSubnetIpsPercent,
      monthlyUsd: result.cost?.monthlyUsd ?? 0,
      deltaUsd: 0,
      passed: result.verdict.passed,
      result,
    });
  }
  const base = rows[0].monthlyUsd;
  return rows.map((row) => ({ ...row, deltaUsd: Math.round((row.monthlyUsd - base) * 100) / 100 }));
}

export function renderComparison(rows: readonly ComparisonRow[]): string {
  return `${table(['variant', 'peak nodes', 'pending pod-s', 'free IPs at peak', 'per month', 'delta', 'verdict'], rows.map((row) => [
    row.variant, row.peakNodes, row.pendingPodSeconds, `${row.minFreeSubnetIpsPercent.toFixed(1)}%`, usd(row.monthlyUsd),
    `${row.deltaUsd >= 0 ? '+' : ''}${usd(row.deltaUsd)}`, row.passed ? 'pass' : 'FAIL',
  ]), 100)}\n`;
}

/** One HTML page: the comparison table, then each variant's report side by side (two columns). */
export function renderComparisonHtml(rows: readonly ComparisonRow[]): string {
  const tableRows = rows.map((row) => `<tr><td>${escapeXml(row.variant)}</td><td>${row.peakNodes}</td><td>${row.pendingPodSeconds}</td>` +
    `<td>${row.minFreeSubnetIpsPercent.toFixed(1)}%</td><td>${usd(row.monthlyUsd)}</td><td>${row.deltaUsd >= 0 ? '+' : ''}${usd(row.deltaUsd)}</td><td>${row.passed ? 'pass' : 'FAIL'}</td></tr>`).join('');
  const frames = rows.map((row) => `<section><h2>${escapeXml(row.variant)}</h2><iframe title="${escapeXml(row.variant)}" srcdoc="${escapeXml(renderHtml(row.result))}"></iframe></section>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>eksplan comparison</title><style>
body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border-bottom:1px solid #e2e8f0;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}iframe{width:100%;height:1400px;border:1px solid #e2e8f0}
</style></head><body><h1>eksplan: what-if comparison</h1>
<table><tr><th>variant</th><th>peak nodes</th><th>pending pod-s</th><th>free IPs at peak</th><th>per month</th><th>delta</th><th>verdict</th></tr>${tableRows}</table>
<div class="grid">${frames}</div></body></html>
`;
}

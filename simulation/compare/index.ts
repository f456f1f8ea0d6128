import type { ClusterModel } from '../model/cluster';
import type { ComparisonResult, ComparisonRow, PlanResult } from '../model/result';
import type { Scenario } from '../model/scenario';
import { withObjects } from '../model/typed-objects';
import { plan, type PlanOptions } from '../pipeline';
import { parseVariant, type Variant } from './variants';

export { parseVariant, toAutoMode, type Variant } from './variants';

/**
 * Runs the same scenario through the pipeline on the assembly as synthesized (`as-is`) and on each variant,
 * so every row's cost, idle share and verdict are the ones `plan` gives for that model.
 */
export function compareVariants(model: ClusterModel, scenario: Scenario, variantTexts: readonly string[], options: Pick<PlanOptions, 'seed' | 'region' | 'date'> = {}): ComparisonResult {
  const variants: Variant[] = [parseVariant('as-is'), ...variantTexts.map(parseVariant)];
  // The first variant is the assembly as synthesized: its plan is the baseline variants take shares of (spot=N%).
  let baseline: PlanResult | undefined;
  const rows: ComparisonRow[] = variants.map((variant) => {
    const changed = variant.apply(model, baseline);
    // A variant edits raw objects (NodePools, EC2NodeClasses) and Helm releases: its typed entries are derived again.
    const result = plan(changed === model ? model : withObjects(changed, changed.objects), scenario, options);
    baseline ??= result;
    return {
      variant: variant.label,
      peakNodes: result.summary.peakNodes,
      pendingPodSeconds: Math.round(result.summary.pendingPodSeconds),
      minFreeSubnetIpsPercent: result.summary.minFreeSubnetIpsPercent,
      monthlyUsd: result.cost.monthlyUsd,
      deltaUsd: 0,
      passed: result.verdict.passed,
      result,
    };
  });
  const base = rows[0].monthlyUsd;
  return { kind: 'comparison', scenario: scenario.name, rows: rows.map((row) => ({ ...row, deltaUsd: Math.round((row.monthlyUsd - base) * 100) / 100 })) };
}

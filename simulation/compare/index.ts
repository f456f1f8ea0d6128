import type { ClusterModel } from '../model/cluster';
import type { ComparisonResult, ComparisonRow, PlanResult } from '../model/result';
import type { Scenario } from '../model/scenario';
import { withObjects } from '../model/typed-objects';
import { plan, type PlanOptions } from '../pipeline';
import { existingNodesFrom, parseVariant, type Variant } from './variants';

export { existingNodesFrom, parseVariant, toAutoMode, type Variant } from './variants';

/**
 * Runs the same scenario through the pipeline on the assembly as synthesized (`as-is`) and on each variant,
 * so every row's cost, idle share and verdict are the ones `plan` gives for that model. A variant is deployed over
 * the baseline: it starts from the Karpenter nodes the as-is run has at t = 0 (launched under the as-is NodePools
 * and EC2NodeClasses), so a changed template shows as drift and replacement, not as a new cluster. Variants are
 * `--variant` texts or `Variant` objects (any change a library user writes).
 */
export function compareVariants(model: ClusterModel, scenario: Scenario, variantInputs: readonly (string | Variant)[], options: Pick<PlanOptions, 'seed' | 'region' | 'date'> = {}): ComparisonResult {
  const variants: Variant[] = [parseVariant('as-is'), ...variantInputs.map((v) => (typeof v === 'string' ? parseVariant(v) : v))];
  // The first variant is the assembly as synthesized: its plan is the baseline variants take shares of (spot=N%).
  let baseline: PlanResult | undefined;
  const rows: ComparisonRow[] = variants.map((variant) => {
    const changed = variant.apply(model, baseline);
    // A variant edits raw objects (NodePools, EC2NodeClasses) and Helm releases: its typed entries are derived again.
    const typed = changed === model ? model : withObjects(changed, changed.objects);
    const existingNodes = baseline && changed !== model ? existingNodesFrom(model, baseline, typed) : [];
    const result = plan(typed, scenario, existingNodes.length > 0 ? { ...options, existingNodes } : options);
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

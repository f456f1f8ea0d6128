import type { ClusterModel } from '../model/cluster';
import type { ComparisonResult, ComparisonRow, PlanResult, SeedMeasure } from '../model/result';
import type { Scenario } from '../model/scenario';
import { withObjects } from '../model/typed-objects';
import { plan, type PlanOptions } from '../pipeline';
import { existingNodesFrom, parseVariant, type Variant } from './variants';

export { existingNodesFrom, parseVariant, toAutoMode, type Variant } from './variants';

/** How compareVariants plans: the shared pipeline options, and optionally the planner. */
export interface CompareOptions extends Pick<PlanOptions, 'seed' | 'region' | 'date'> {
  /**
   * Plans one variant (the model as changed, the scenario, the options with the variant's existing nodes). A planner
   * over many seeds (seeds/planSeedsSync, as `compare --seeds N` passes) returns the first seed's run with the verdict
   * on the chosen quantile; each row then shows that quantile of every threshold measure. compare/ never computes a
   * verdict itself: the planner's (pipeline.ts verdictOf) is the row's.
   * @default the pipeline's plan (one seed)
   */
  readonly planVariant?: (model: ClusterModel, scenario: Scenario, options: PlanOptions) => PlanResult;
}

/**
 * A threshold measure of a row: over seeds, its chosen quantile (seeds/aggregate.ts, rounded as the verdict compares
 * it); else, and for a single seed (whose every quantile is its own run), the run's own value.
 */
function measureOf(result: PlanResult, name: SeedMeasure['name'], runValue: number): number {
  const seeds = result.seeds;
  const measure = seeds?.measures.find((m) => m.name === name);
  return seeds && seeds.count > 1 && measure ? measure[seeds.quantile] : runValue;
}

/**
 * Runs the same scenario through the pipeline on the assembly as synthesized (`as-is`) and on each variant,
 * so every row's cost, idle share and verdict are the ones `plan` gives for that model. A variant is deployed over
 * the baseline: it starts from the Karpenter nodes the as-is run has at t = 0 (launched under the as-is NodePools
 * and EC2NodeClasses), so a changed template shows as drift and replacement, not as a new cluster. Variants are
 * `--variant` texts or `Variant` objects (any change a library user writes).
 */
export function compareVariants(model: ClusterModel, scenario: Scenario, variantInputs: readonly (string | Variant)[], compareOptions: CompareOptions = {}): ComparisonResult {
  const { planVariant = plan, ...options } = compareOptions;
  const variants: Variant[] = [parseVariant('as-is'), ...variantInputs.map((v) => (typeof v === 'string' ? parseVariant(v) : v))];
  // The first variant is the assembly as synthesized: its plan is the baseline variants take shares of (spot=N%).
  let baseline: PlanResult | undefined;
  const rows: ComparisonRow[] = variants.map((variant) => {
    const changed = variant.apply(model, baseline);
    // A variant edits raw objects (NodePools, EC2NodeClasses) and Helm releases: its typed entries are derived again.
    const typed = changed === model ? model : withObjects(changed, changed.objects);
    const existingNodes = baseline && changed !== model ? existingNodesFrom(model, baseline, typed) : [];
    const result = planVariant(typed, scenario, existingNodes.length > 0 ? { ...options, existingNodes } : options);
    // Over seeds, later variants start from the baseline's first-seed nodes (the run the seeds' result carries).
    baseline ??= result;
    return {
      variant: variant.label,
      peakNodes: measureOf(result, 'maxNodes', result.summary.peakNodes),
      // Not a threshold measure: the (first seed's) run's own.
      pendingPodSeconds: Math.round(result.summary.pendingPodSeconds),
      minFreeSubnetIpsPercent: measureOf(result, 'minFreeSubnetIpsPercent', result.summary.minFreeSubnetIpsPercent),
      monthlyUsd: measureOf(result, 'maxMonthlyCostUsd', result.cost.monthlyUsd),
      deltaUsd: 0,
      passed: result.verdict.passed,
      result,
    };
  });
  const base = rows[0].monthlyUsd;
  return { kind: 'comparison', scenario: scenario.name, rows: rows.map((row) => ({ ...row, deltaUsd: Math.round((row.monthlyUsd - base) * 100) / 100 })) };
}

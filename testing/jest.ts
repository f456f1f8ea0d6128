// Registers the eksplan matchers with jest, from a setup file: either
// `setupFilesAfterEnv: ['eksplan/testing/jest']` in the jest config or `import 'eksplan/testing/jest'` in a setup file.
// The declarations below extend jest's `Matchers` (@types/jest 29) so editors complete and type-check them.
import { eksplanMatchers, type FindingsOptions } from './matchers';
import { releaseAssemblies, type PlanStackOptions, type ScenarioInput } from './plan';

const jestExpect = (globalThis as { expect?: { extend?: (matchers: Record<string, unknown>) => void } }).expect;
if (typeof jestExpect?.extend !== 'function') {
  throw new Error('eksplan/testing/jest registers jest matchers: load it from jest (setupFilesAfterEnv), where the global expect exists');
}
jestExpect.extend(eksplanMatchers);
// A setup file runs once per test file: its afterAll removes the temporary assemblies that file's plans synthesized.
(globalThis as { afterAll?: (hook: () => void) => void }).afterAll?.(() => {
  releaseAssemblies();
});

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The type parameters must be exactly @types/jest's for the declarations to merge.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /**
       * Every pod runs: none is left pending at the end of the scenario or never started (in the steady state
       * with `{ scenario: 'static' }`). On failure, the pending pods by workload with kube-scheduler's reason and the fixes.
       */
      toScheduleAllPods(options?: PlanStackOptions): R;
      /** The scenario's verdict passes: every threshold met and no error finding. On failure, each threshold measured vs its limit, why, and the fixes. */
      toPassScenario(scenario?: ScenarioInput, options?: Omit<PlanStackOptions, 'scenario'>): R;
      /** The full projected monthly cost (EC2, EBS, control plane, NAT, load balancers, ...) is at most `usd`. */
      toCostAtMostPerMonth(usd: number, options?: PlanStackOptions): R;
      /** No finding of `severity` or worse (every finding by default), besides the codes in `except`; on failure each finding with its fix. */
      toHaveNoFindings(options?: FindingsOptions): R;
      /** Every subnet keeps at least `percent` of its IPs free over the whole run (the scenario threshold minFreeSubnetIpsPercent). */
      toKeepFreeSubnetIpsAbove(percent: number, options?: PlanStackOptions): R;
    }
  }
}

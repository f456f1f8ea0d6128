import type { CheckResult, ComparisonResult, PlanResult } from '../model/result';

/**
 * One report format: how it renders each kind of result. A new format (say SARIF or CSV) is one file that
 * exports a `ReportRenderer` and one entry in the registry (report/index.ts); the CLI's `--format` and
 * `--out`, and the CDK plugin's `outDir`, take their formats from the registry.
 */
export interface ReportRenderer {
  /** File name extension under `--out` (without the dot), e.g. `junit.xml`. */
  readonly extension: string;
  /** One line for `--format` help. */
  readonly description: string;
  plan(result: PlanResult, options?: RenderOptions): string;
  check(result: CheckResult, options?: RenderOptions): string;
  comparison(result: ComparisonResult, options?: RenderOptions): string;
}

/** How to render, decided by the caller (the CLI), never read from the process inside simulation/. */
export interface RenderOptions {
  /**
   * The terminal's width when stdout is a terminal (`process.stdout.columns`): text tables are narrowed
   * and long lines wrapped to fit. Left out (piped output, files), every line is printed whole.
   */
  readonly columns?: number;
}

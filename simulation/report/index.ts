import { EksplanError } from '../model/errors';
import type { CheckResult, ComparisonResult, PlanResult, ReportableResult } from '../model/result';
import { comparisonSummary, renderComparisonHtml, renderComparisonJunit, renderComparisonMarkdown, renderComparisonText } from './comparison';
import { renderCheckHtml, renderCheckJunit, renderCheckMarkdown, renderCheckText } from './findings';
import { renderHtml } from './html';
import { renderJson, renderPlanJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import type { RenderOptions, ReportRenderer } from './renderer';
import { renderText } from './text';
import { stripControls } from './escape';

// The one registry of report formats, for plan, check and compare results alike. The compiler checks that
// every entry renders every kind of result; the format list, extensions and help text are read from here.
const REGISTRY = {
  text: {
    extension: 'txt', description: 'plain text for a terminal',
    plan: renderText, check: renderCheckText, comparison: renderComparisonText,
  },
  json: {
    extension: 'json', description: 'the result as JSON, keys sorted (byte-identical for the same inputs and seed)',
    plan: renderPlanJson, check: (result) => renderJson(result), comparison: (result) => renderJson(comparisonSummary(result)),
  },
  html: {
    extension: 'html', description: 'a self-contained page with SVG charts',
    plan: renderHtml, check: renderCheckHtml, comparison: renderComparisonHtml,
  },
  junit: {
    extension: 'junit.xml', description: 'JUnit XML for CI: one test case per threshold and error finding',
    plan: renderJunit, check: renderCheckJunit, comparison: renderComparisonJunit,
  },
  markdown: {
    extension: 'md', description: 'Markdown for a pull-request comment',
    plan: renderMarkdown, check: renderCheckMarkdown, comparison: renderComparisonMarkdown,
  },
} as const satisfies Record<string, ReportRenderer>;

export type ReportFormat = keyof typeof REGISTRY;

/** Every registered format, in registry order (the first is the default for stdout). */
export const REPORT_FORMATS = Object.keys(REGISTRY) as ReportFormat[];

export function reportFormats(): readonly ReportFormat[] {
  return REPORT_FORMATS;
}

/** The file name extension of a format under `--out`. */
export function reportExtension(format: ReportFormat): string {
  return REGISTRY[format].extension;
}

/** `name: description` of each format, for help text. */
export function reportFormatHelp(): string {
  return REPORT_FORMATS.map((format) => `${format} (${REGISTRY[format].description})`).join(', ');
}

export function isReportFormat(value: string): value is ReportFormat {
  return Object.prototype.hasOwnProperty.call(REGISTRY, value);
}

function isCheck(result: ReportableResult): result is CheckResult {
  return 'kind' in result && result.kind === 'check';
}

function isComparison(result: ReportableResult): result is ComparisonResult {
  return 'kind' in result && result.kind === 'comparison';
}

/** Renders a plan, check or compare result in one of the registered formats (options: see RenderOptions). */
export function render(result: ReportableResult, format: ReportFormat | string, options?: RenderOptions): string {
  if (!isReportFormat(format)) {
    throw new EksplanError(`unknown report format '${format}': expected one of ${REPORT_FORMATS.join(', ')}`, { field: '--format' });
  }
  const renderer: ReportRenderer = REGISTRY[format];
  const output = isCheck(result) ? renderer.check(result, options) : isComparison(result) ? renderer.comparison(result, options) : renderer.plan(result as PlanResult, options);
  // Names, paths and messages come from the input: no format passes a terminal escape sequence, a bidi
  // override or a character XML forbids (JSON already escapes control characters as \u00XX).
  return format === 'json' ? output : stripControls(output);
}

export type { RenderOptions, ReportRenderer } from './renderer';
export { renderHtml, renderJson, renderJunit, renderMarkdown, renderText };
export { compactTimeline } from './timeline';
export { explainFailures, type FailureReport, type ThresholdFailure, type Culprit } from './failures';
/** The fixed-width text table of the text reports, for other text output of the CLI. */
export { table as textTable } from './format';

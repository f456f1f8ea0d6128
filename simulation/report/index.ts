import { EksplanError } from '../model/errors';
import type { SimulationResult } from '../model/result';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderText } from './text';

export const REPORT_FORMATS = ['text', 'json', 'html', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_EXTENSIONS: Record<ReportFormat, string> = {
  text: 'txt', json: 'json', html: 'html', junit: 'junit.xml', markdown: 'md',
};

const RENDERERS: Record<ReportFormat, (result: SimulationResult) => string> = {
  text: renderText, json: renderJson, html: renderHtml, junit: renderJunit, markdown: renderMarkdown,
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** Renders a SimulationResult in one of the report formats. */
export function render(result: SimulationResult, format: ReportFormat | string): string {
  if (!isReportFormat(format)) {
    throw new EksplanError(`unknown report format '${format}': expected one of ${REPORT_FORMATS.join(', ')}`, { field: '--format' });
  }
  return RENDERERS[format](result);
}

export { renderHtml, renderJson, renderJunit, renderMarkdown, renderText };
export { compactTimeline } from './timeline';

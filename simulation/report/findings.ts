import type { CheckResult, Finding } from '../model/result';
import { escapeXml } from './format';
import { markdownCode, markdownText } from './escape';

// `eksplan check` results (findings from the assembly alone) in each report format.

function counts(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}

export function renderCheckText(result: CheckResult): string {
  if (result.findings.length === 0) return 'eksplan check: no findings\n';
  const { errors } = counts(result.findings);
  const lines = result.findings.map((f) => `${f.severity.toUpperCase().padEnd(7)} ${f.code} ${f.object}: ${f.message}${f.fix ? `\n        fix: ${f.fix}` : ''}`);
  return `eksplan check: ${errors} error(s), ${result.findings.length - errors} warning(s)\n${lines.join('\n')}\n`;
}

export function renderCheckMarkdown(result: CheckResult): string {
  const { errors, warnings, infos } = counts(result.findings);
  const cell = markdownText;
  const rows = result.findings.map((f) => `| ${f.severity} | ${markdownCode(f.code)} | ${cell(f.object)} | ${cell(f.message)} | ${cell(f.fix ?? '')} |`);
  return [
    `## eksplan check: ${result.passed ? 'pass' : 'FAIL'}`,
    '',
    `${errors} error(s), ${warnings} warning(s), ${infos} note(s) in ${markdownCode(result.origin)}.`,
    ...(rows.length > 0 ? ['', '| severity | code | object | message | fix |', '| --- | --- | --- | --- | --- |', ...rows] : []),
    '',
  ].join('\n');
}

export function renderCheckHtml(result: CheckResult): string {
  const rows = result.findings.map((f) => `<tr class="${f.severity}"><td>${f.severity}</td><td><code>${escapeXml(f.code)}</code></td><td>${escapeXml(f.object)}</td>` +
    `<td>${escapeXml(f.message)}</td><td>${escapeXml(f.fix ?? '')}</td></tr>`).join('\n');
  const { errors, warnings } = counts(result.findings);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>eksplan check</title><style>
body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border-bottom:1px solid #e2e8f0;padding:4px 10px;text-align:left;vertical-align:top}
tr.error td:first-child{color:#b91c1c;font-weight:600}tr.warning td:first-child{color:#b45309}
</style></head><body><h1>eksplan check: ${result.passed ? 'pass' : 'FAIL'}</h1>
<p>${errors} error(s), ${warnings} warning(s) in <code>${escapeXml(result.origin)}</code>.</p>
<table><tr><th>severity</th><th>code</th><th>object</th><th>message</th><th>fix</th></tr>
${rows}
</table></body></html>
`;
}

/** One test case per error finding (failed) and per warning (passed, noted in system-out). */
export function renderCheckJunit(result: CheckResult): string {
  const reported = result.findings.filter((f) => f.severity !== 'info');
  const failures = reported.filter((f) => f.severity === 'error').length;
  const cases = reported.map((f) => {
    const name = escapeXml(`${f.code} ${f.object}`);
    return f.severity === 'error'
      ? `    <testcase classname="eksplan.checks" name="${name}">\n      <failure message="${escapeXml(f.message)}" type="${escapeXml(f.code)}">${escapeXml(f.fix ?? '')}</failure>\n    </testcase>`
      : `    <testcase classname="eksplan.checks" name="${name}">\n      <system-out>${escapeXml(f.message)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eksplan" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="eksplan check" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

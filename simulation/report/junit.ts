import type { PlanResult } from '../model/result';
import { explainFailures, type ThresholdFailure } from './failures';
import { clock, escapeXml, thresholdComparator, thresholdValue } from './format';

/**
 * JUnit XML for CI systems: one test case per threshold, and one per error finding. A failed threshold's
 * `<failure>` carries why (report/failures.ts): the summary as its message, the reasons, the pods, nodes or
 * subnets behind it with their times, and the fixes as its text, so a CI test view explains the failure.
 */
export function renderJunit(result: PlanResult): string {
  const explained = new Map(explainFailures(result).failures.map((f) => [f.threshold.name, f]));
  const thresholdCases = result.verdict.thresholds.map((th) => {
    const name = `${th.name} ${thresholdComparator(th)} ${thresholdValue(th, 'limit')}`;
    const failure = explained.get(th.name);
    const body = th.passed || !failure
      ? ''
      : `\n      <failure message="${escapeXml(`measured ${thresholdValue(th, 'measured')}, limit ${thresholdComparator(th)} ${thresholdValue(th, 'limit')}: ${failure.summary}`)}" type="threshold">` +
        `${escapeXml(failureText(failure))}</failure>\n    `;
    return `    <testcase classname="eksplan.thresholds" name="${escapeXml(name)}">${body}</testcase>`;
  });
  const errors = result.findings.filter((f) => f.severity === 'error');
  const findingCases = errors.map((f) => `    <testcase classname="eksplan.checks" name="${escapeXml(`${f.code} ${f.object}`)}">\n` +
    `      <failure message="${escapeXml(f.message)}" type="${escapeXml(f.code)}">${escapeXml(f.fix ?? '')}</failure>\n    </testcase>`);
  const cases = [...thresholdCases, ...findingCases];
  const failures = result.verdict.thresholds.filter((th) => !th.passed).length + errors.length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').map((f) => `${f.code} ${f.object}: ${f.message}`);
  const output = warnings.length > 0 ? `    <system-out>${escapeXml(warnings.join('\n'))}</system-out>` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eksplan" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="eksplan ${escapeXml(result.input.scenario)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    ...(output ? [output] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function failureText(failure: ThresholdFailure): string {
  const lines: string[] = [];
  for (const reason of failure.reasons.slice(0, 6)) lines.push(`reason: ${reason.pods} pod(s): ${reason.reason}`);
  for (const c of failure.culprits) {
    const when = c.from !== undefined ? ` ${clock(c.from)}${c.to !== undefined && c.to !== c.from ? `–${clock(c.to)}` : ''}` : '';
    lines.push(`${c.kind} ${c.name}: ${c.detail}${when}${c.reason ? `: ${c.reason}` : ''}`);
  }
  if (failure.moreCulprits > 0) lines.push(`… ${failure.moreCulprits} more`);
  for (const event of failure.events) lines.push(`event ${clock(event.t)} ${event.source} ${event.type} ${event.object}: ${event.message}`);
  for (const fix of failure.fixes) lines.push(`fix: ${fix}`);
  return lines.join('\n');
}

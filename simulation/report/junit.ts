import type { SimulationResult } from '../model/result';
import { escapeXml, thresholdComparator, thresholdValue } from './format';

/** JUnit XML for CI systems: one test case per threshold, and one per error finding. */
export function renderJunit(result: SimulationResult): string {
  const thresholdCases = result.verdict.thresholds.map((th) => {
    const name = `${th.name} ${thresholdComparator(th)} ${thresholdValue(th, 'limit')}`;
    const body = th.passed
      ? ''
      : `\n      <failure message="${escapeXml(`measured ${thresholdValue(th, 'measured')}, limit ${thresholdComparator(th)} ${thresholdValue(th, 'limit')}`)}" type="threshold"/>\n    `;
    return `    <testcase classname="eksplan.thresholds" name="${escapeXml(name)}">${body}</testcase>`;
  });
  const errors = result.findings.filter((f) => f.severity === 'error');
  const findingCases = errors.map((f) => `    <testcase classname="eksplan.checks" name="${escapeXml(`${f.code} ${f.object}`)}">\n` +
    `      <failure message="${escapeXml(f.message)}" type="${escapeXml(f.code)}">${escapeXml(f.fix ?? '')}</failure>\n    </testcase>`);
  const cases = [...thresholdCases, ...findingCases];
  const failures = result.verdict.thresholds.filter((th) => !th.passed).length + errors.length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').map((f) => `${f.code} ${f.object}: ${f.message}`);
  const output = warnings.length > 0 ? `\n    <system-out>${escapeXml(warnings.join('\n'))}</system-out>` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eksplan" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="eksplan ${escapeXml(result.input.scenario)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    `${output ? output.slice(1) : ''}`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].filter((line, i, all) => line !== '' || i === all.length - 1).join('\n');
}

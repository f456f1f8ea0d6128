import type { ComparisonResult, ComparisonRow, PlanResult, ThresholdResult, TimelinePoint } from '../model/result';
import { explainFailures } from './failures';
import { duration, escapeXml, table, thresholdComparator, thresholdValue, usd, wrapLine } from './format';
import { failureSection, markersOf } from './html';
import { collapsible, esc, htmlTable, page } from './html-page';
import type { RenderOptions } from './renderer';
import { chart, type Series } from './svg';
import { markdownText } from './escape';

// `eksplan compare` results (the same scenario on what-if variants) in each report format: one table that
// names each variant's failed thresholds, and in HTML the variants overlaid on the same charts.

const HEADER = ['variant', 'peak nodes', 'pending pod-s', 'longest wait', 'min free IPs', 'per month', 'delta', 'verdict', 'failed thresholds'];

function failedOf(result: PlanResult): ThresholdResult[] {
  return result.verdict.thresholds.filter((t) => !t.passed);
}

/** `maxPendingSeconds 8m12s > 2m` for each failed threshold, plus error findings. */
function failedText(result: PlanResult): string {
  const parts = failedOf(result).map((t) => `${t.name} ${thresholdValue(t, 'measured')} (limit ${thresholdComparator(t)} ${thresholdValue(t, 'limit')})`);
  if (result.verdict.errorFindings > 0) parts.push(`${result.verdict.errorFindings} error finding(s)`);
  return parts.join('; ') || '-';
}

/** The longest wait of a row: over several seeds (compare --seeds N), its chosen quantile, as the row's other measures. */
function longestWait(row: ComparisonRow): number {
  const seeds = row.result.seeds;
  const measure = seeds && seeds.count > 1 ? seeds.measures.find((m) => m.name === 'maxPendingSeconds') : undefined;
  return seeds && measure ? measure[seeds.quantile] : row.result.summary.maxPendingSeconds;
}

/** What the figures of a comparison over seeds are (compare --seeds N), or undefined for a one-run comparison. */
function seedsNote(result: ComparisonResult): string | undefined {
  const first = result.rows[0]?.result;
  const seeds = first?.seeds;
  if (!first || !seeds) return undefined;
  const last = (first.input.seed + seeds.count - 1) % 2 ** 32;
  return `Over ${seeds.count} seed(s) (${first.input.seed}..${last}): peak nodes, longest wait, min free IPs, per month and each verdict are the ` +
    `${seeds.quantile} over the seeds (nearest rank, in the worse direction); pending pod-s is seed ${first.input.seed}'s run.`;
}

function cells(row: ComparisonRow): string[] {
  return [row.variant, String(row.peakNodes), String(row.pendingPodSeconds), duration(longestWait(row)), `${row.minFreeSubnetIpsPercent.toFixed(1)}%`,
    usd(row.monthlyUsd), `${row.deltaUsd >= 0 ? '+' : ''}${usd(row.deltaUsd)}`, row.passed ? 'pass' : 'FAIL', failedText(row.result)];
}

export function renderComparisonText(result: ComparisonResult, options: RenderOptions = {}): string {
  const out = [table(HEADER, result.rows.map(cells), options.columns)];
  const note = seedsNote(result);
  if (note) out.push('', wrapLine(note, options.columns, ''));
  for (const row of result.rows.filter((r) => !r.passed)) {
    out.push('', `${row.variant}: FAIL`);
    for (const failure of explainFailures(row.result).failures) {
      out.push(wrapLine(`  ${failure.threshold.name}: ${failure.summary}`, options.columns, '    '));
      out.push(wrapLine(`    fix: ${failure.fixes[0]}`, options.columns, '      '));
    }
  }
  return `${out.join('\n')}\n`;
}

export function renderComparisonMarkdown(result: ComparisonResult): string {
  const out = [
    `## eksplan compare: scenario \`${result.scenario}\``,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...result.rows.map((row) => `| ${cells(row).map(markdownText).join(' | ')} |`),
    '',
  ];
  const note = seedsNote(result);
  if (note) out.push(markdownText(note), '');
  for (const row of result.rows.filter((r) => !r.passed)) {
    out.push(`### ❌ ${row.variant}`, '');
    for (const failure of explainFailures(row.result).failures) out.push(`- **${failure.threshold.name}**: ${failure.summary.replace(/\|/g, '\\|')} Fix: ${failure.fixes[0]}`);
    out.push('');
  }
  return out.join('\n');
}

export interface ComparisonSummaryRow extends Omit<ComparisonRow, 'result'> {
  readonly maxPendingSeconds: number;
  /** Each failed threshold with why and the first fix (report/failures.ts). */
  readonly failedThresholds: { name: string; limit: number; measured: number; unit: string; summary: string; fixes: readonly string[] }[];
  readonly errorFindings: number;
  /** Over seeds (compare --seeds N): the seeds, the quantile the row's figures are, and each measure's spread. */
  readonly seeds?: { readonly seeds: number[]; readonly quantile: string; readonly failedSeeds: number; readonly measures: readonly { name: string; p50: number; p95: number; max: number; worstSeed: number }[] };
}

/** The rows without each variant's full result (that is in each variant's own plan report), with the failed thresholds named. */
export function comparisonSummary(result: ComparisonResult): { kind: 'comparison'; scenario: string; rows: ComparisonSummaryRow[] } {
  return {
    kind: 'comparison',
    scenario: result.scenario,
    rows: result.rows.map(({ result: plan, ...row }) => ({
      ...row,
      maxPendingSeconds: longestWait({ result: plan, ...row }),
      failedThresholds: explainFailures(plan).failures.map((f) => ({
        name: f.threshold.name, limit: f.threshold.limit, measured: f.threshold.measured, unit: f.threshold.unit, summary: f.summary, fixes: f.fixes,
      })),
      errorFindings: plan.verdict.errorFindings,
      ...(plan.seeds ? { seeds: {
        seeds: plan.seeds.runs.map((r) => r.seed), quantile: plan.seeds.quantile, failedSeeds: plan.seeds.failedSeeds,
        measures: plan.seeds.measures.map(({ name, p50, p95, max, worstSeed }) => ({ name, p50, p95, max, worstSeed })),
      } } : {}),
    })),
  };
}

/** One test case per variant; a variant whose verdict fails is a failure naming its thresholds. */
export function renderComparisonJunit(result: ComparisonResult): string {
  const failures = result.rows.filter((r) => !r.passed).length;
  const cases = result.rows.map((row) => {
    const explained = explainFailures(row.result);
    const text = explained.failures.map((f) => `${f.threshold.name}: ${f.summary}\nfix: ${f.fixes.join('\nfix: ')}`).join('\n\n');
    const body = row.passed ? '' : `\n      <failure message="${escapeXml(failedText(row.result))}" type="verdict">${escapeXml(text)}</failure>\n    `;
    return `    <testcase classname="eksplan.compare" name="${escapeXml(row.variant)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="eksplan" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="eksplan compare ${escapeXml(result.scenario)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The value of a figure at each of `times`: the last timeline point at or before it (variants may sample differently). */
function resample(timeline: readonly TimelinePoint[], times: readonly number[], pick: (p: TimelinePoint) => number): number[] {
  const out: number[] = [];
  let j = 0;
  for (const t of times) {
    while (j + 1 < timeline.length && timeline[j + 1].t <= t) j += 1;
    out.push(timeline.length > 0 ? pick(timeline[j]) : 0);
  }
  return out;
}

function overlay(result: ComparisonResult, times: readonly number[], pick: (p: TimelinePoint) => number): Series[] {
  // Every other variant dashed, so two variants that ran alike still both show.
  return result.rows.map((row, index) => ({ name: row.variant, values: resample(row.result.timeline, times, pick), dashed: index % 2 === 1 }));
}

/** One page: the table naming failed thresholds, the variants overlaid on the same charts, then why each failing variant failed. */
export function renderComparisonHtml(result: ComparisonResult): string {
  const first = result.rows[0]?.result;
  const times = first ? first.timeline.map((p) => p.t) : [];
  const limit = (name: string, scale = 1) => {
    const th = first?.verdict.thresholds.find((t) => t.name === name);
    return th ? [{ value: th.limit * scale, label: `${name} ${thresholdComparator(th)} ${thresholdValue(th, 'limit')}` }] : [];
  };
  const charts = [
    chart({ id: 'compare-nodes', title: 'Nodes, per variant', times, integer: true, series: overlay(result, times, (p) => p.nodes), limits: limit('maxNodes'), markers: first ? markersOf(first.events) : [] }),
    chart({ id: 'compare-pending', title: 'Pending pods, per variant', times, integer: true, step: true, series: overlay(result, times, (p) => p.podsPending), limits: limit('maxPendingPods'), markers: first ? markersOf(first.events) : [] }),
    chart({ id: 'compare-cost', title: 'Node cost rate (USD per hour), per variant', times, unit: '$', series: overlay(result, times, (p) => p.usdPerHour) }),
  ];
  // The failed thresholds go on a full-width line under their variant's row, so the figures stay one line each at any width.
  const rows = result.rows.map((row) => cells(row).slice(0, 8).map((c, i) => (i === 7 && c === 'FAIL' ? '<b>FAIL</b>' : esc(c))));
  const tableHtml = htmlTable(HEADER.slice(0, 8).map((header, i) => ({ header, numeric: i >= 1 && i <= 6 })), rows, (i) => (result.rows[i].passed ? undefined : 'fail'),
    (i) => (result.rows[i].passed ? undefined : `<b>failed thresholds:</b> ${esc(failedText(result.rows[i].result))}`));
  const details = result.rows.map((row, index) => ({ row, index })).filter(({ row }) => !row.passed).map(({ row, index }) =>
    collapsible(`${row.variant}: why it failed`, failureSection(explainFailures(row.result), `${row.variant}: why it failed`, `failures-${index}`), false)).join('\n');
  const failing = result.rows.filter((r) => !r.passed).length;
  const body = `<header><h1>eksplan: what-if comparison <span class="badge ${failing === 0 ? 'pass' : 'fail'}">${failing === 0 ? 'ALL PASS' : `${failing} FAIL`}</span></h1>
<p class="meta">scenario ${esc(result.scenario)} · ${result.rows.length} variant(s) · times are simulated (day hh:mm:ss)</p></header>
<section id="comparison"><h2>Variants</h2>${tableHtml}</section>
<section id="charts"><h2>Variants overlaid</h2><div class="charts">${charts.join('\n')}</div></section>
${details ? `<section id="variant-failures"><h2>Failing variants</h2>${details}</section>` : ''}`;
  return page(`eksplan comparison: ${result.scenario}`, body);
}

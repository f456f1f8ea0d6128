import * as path from 'path';
import { compareVariants, defaultScenarioPath, instanceType, loadAssembly, loadScenario, render, type ComparisonResult, type PlanResult } from '../../simulation';
import { synthesizeToDir } from '../support/reference-stack';
import { checkHtml, launchChromium, requireChromium, type Chromium } from './chromium';

// The HTML reports in a real browser engine (Debian's Chromium through playwright-core): the plan and
// compare reports of the reference platform (passing) and of a failing run, at a phone, a narrow laptop
// window and a desktop width. Part of `npm test`; CI installs Chromium (.ci/run).

const WIDTHS = [360, 760, 1400];
const PLAN_CHARTS = ['nodes', 'pending', 'replicas', 'subnet-ips', 'cost'];
const COMPARE_CHARTS = ['compare-nodes', 'compare-pending', 'compare-cost'];

interface Report {
  readonly html: string;
  readonly charts: string[];
  /** The section whose heading must show without scrolling. */
  readonly aboveFold: string;
}

describe('HTML reports in Chromium', () => {
  let chromium: Chromium;
  let reference: ComparisonResult;
  const reports: Record<string, Report> = {};

  beforeAll(async () => {
    requireChromium();
    const model = loadAssembly(synthesizeToDir());
    // The as-is row of a comparison is the plan of the assembly as synthesized: one run serves both reports.
    const passing = compareVariants(model, loadScenario(defaultScenarioPath()), ['spot=70%']);
    reference = passing;
    const failing = compareVariants(model, loadScenario(path.join(__dirname, 'failing-day.yaml')), ['karpenter']);
    expect(passing.rows[0].result.verdict.passed).toBe(true);
    expect(failing.rows[0].result.verdict.passed).toBe(false);
    reports['reference plan'] = { html: render(passing.rows[0].result, 'html'), charts: PLAN_CHARTS, aboveFold: '#verdict' };
    reports['failing plan'] = { html: render(failing.rows[0].result, 'html'), charts: PLAN_CHARTS, aboveFold: '#failures' };
    reports['reference compare'] = { html: render(passing, 'html'), charts: COMPARE_CHARTS, aboveFold: '#comparison' };
    reports['failing compare'] = { html: render(failing, 'html'), charts: COMPARE_CHARTS, aboveFold: '#comparison' };
    chromium = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await chromium?.close();
  });

  const cases = ['reference plan', 'failing plan', 'reference compare', 'failing compare'].flatMap((name) => WIDTHS.map((width) => [name, width] as const));

  it.each(cases)('%s at %i px: no sideways scroll, no clipped axis label, every chart, no external request, the key section above the fold', async (name, width) => {
    const report = reports[name];
    const check = await checkHtml(chromium.context, report.html, width, { aboveFold: report.aboveFold });
    expect(check.scrollWidth).toBeLessThanOrEqual(check.innerWidth);
    expect(check.clippedLabels).toEqual([]);
    expect(check.charts).toEqual(report.charts);
    expect(check.externalRequests).toEqual([]);
    expect(check.aboveFold).toBe(true);
  });

  it('the failing plan\'s report explains each failed threshold with a fix', async () => {
    const html = reports['failing plan'].html;
    for (const name of ['maxPendingSeconds', 'maxPendingPods', 'maxMonthlyCostUsd', 'minFreeSubnetIpsPercent', 'maxNodes']) {
      expect(html).toContain(`data-threshold="${name}"`);
    }
    const page = await chromium.context.newPage();
    try {
      await page.setViewportSize({ width: 760, height: 900 });
      await page.setContent(html);
      // The failure section comes before everything else in the page.
      const order = await page.locator('body > section').evaluateAll((sections) => sections.map((s) => s.id));
      expect(order[0]).toBe('failures');
      expect(await page.locator('#failures .fixes li').count()).toBeGreaterThanOrEqual(5);
    } finally {
      await page.close();
    }
  });

  // spot=N% as users read it: N% of the NodePool's vCPU on spot at the peak (it used to cap a limit never reached, equal to as-is).
  it('spot=70% runs about 70% of the NodePool vCPU on spot at the peak, where as-is runs all of it on spot', () => {
    const spotShareAtPeak = (result: PlanResult) => {
      const pool = result.nodes.filter((n) => n.owner.kind === 'nodepool');
      let best = { spot: 0, total: 0 };
      for (const t of new Set(pool.map((n) => n.launchedAt))) {
        const alive = pool.filter((n) => n.launchedAt <= t && (n.terminatedAt === undefined || n.terminatedAt > t));
        const total = alive.reduce((sum, n) => sum + instanceType(n.instanceType).vcpu, 0);
        if (total > best.total) best = { total, spot: alive.filter((n) => n.capacityType === 'spot').reduce((sum, n) => sum + instanceType(n.instanceType).vcpu, 0) };
      }
      return best.spot / best.total;
    };
    const [asIs, spot] = reference.rows;
    expect(spotShareAtPeak(asIs.result)).toBe(1);
    expect(spotShareAtPeak(spot.result)).toBeGreaterThanOrEqual(0.6);
    expect(spotShareAtPeak(spot.result)).toBeLessThanOrEqual(0.8);
    expect(spot.monthlyUsd).toBeGreaterThan(asIs.monthlyUsd);
  });

  // The checker itself must catch what it guards against: a chart drawn at a fixed width wider than the page.
  it('reports sideways scroll for a deliberately broken chart (a fixed 2000 px SVG)', async () => {
    const broken = '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head><body>' +
      '<figure data-chart="broken"><svg xmlns="http://www.w3.org/2000/svg" width="2000" height="200" viewBox="0 0 2000 200"><text x="10" y="20">ok</text></svg></figure></body></html>';
    const check = await checkHtml(chromium.context, broken, 760);
    expect(check.overflow).toBe(true);
    expect(check.scrollWidth).toBeGreaterThan(760);
  });

  it('reports an axis label drawn outside its viewBox, and a request that leaves the page', async () => {
    const broken = '<!DOCTYPE html><html><body><figure data-chart="clipped"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100" width="100%">' +
      '<text x="395" y="50">1d 00:00</text></svg></figure><img src="https://example.invalid/pixel.png" alt=""></body></html>';
    const check = await checkHtml(chromium.context, broken, 760);
    expect(check.clippedLabels).toEqual(['clipped: "1d 00:00"']);
    expect(check.externalRequests).toEqual(['https://example.invalid/pixel.png']);
  });
});

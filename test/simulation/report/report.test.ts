import { compactTimeline, render, renderHtml, renderJson, renderJunit, renderMarkdown, renderText, REPORT_FORMATS } from '../../../simulation/report';
import { clock, table } from '../../../simulation/report/format';
import { sampleResult } from './fixture';

describe('text report', () => {
  const text = renderText(sampleResult());

  it('puts the verdict first, then why it failed, before the threshold table', () => {
    expect(text.split('\n')[0]).toMatch(/^eksplan: FAIL/);
    expect(text.indexOf('Why it failed')).toBeGreaterThan(0);
    expect(text.indexOf('Why it failed')).toBeLessThan(text.indexOf('Thresholds'));
    expect(text.indexOf('maxPendingSeconds')).toBeLessThan(text.indexOf('Capacity'));
  });

  it('fits the terminal width it is given', () => {
    for (const columns of [60, 80, 100]) {
      const wide = renderText(sampleResult(), { columns }).split('\n').filter((line) => [...line].length > columns);
      expect(wide).toEqual([]);
    }
  });

  it('prints whole lines when piped (no width given)', () => {
    const message = `spot interruption notice: draining 4 pod(s) before EC2 reclaims it in 120s ${'and a long tail '.repeat(8)}`.trim();
    const result = sampleResult({ events: [{ t: 54120, type: 'interruption', source: 'karpenter', object: 'Node general-x7', message }] });
    expect(renderText(result).split('\n')).toContain(`  0d 15:02:00 karpenter interruption Node general-x7: ${message}`);
    expect(renderText(result, { columns: 80 })).not.toContain(message);
  });

  it('shows the failed threshold with measured and limit', () => {
    expect(text).toMatch(/maxPendingSeconds\s+≤ 2m\s+5m\s+FAIL/);
  });

  it('groups pending pods by workload and reason', () => {
    expect(text).toContain('Deployment web/api: 2 Pending (e.g. web/api-7): 0/3 nodes are available: 3 Insufficient cpu.');
  });

  it('lists every event in one time format (day hh:mm:ss), with no cut', () => {
    const events = Array.from({ length: 45 }, (_, i) => ({ t: 3600 + 60 * i, type: 'launch' as const, source: 'karpenter', object: `NodeClaim n${i}`, message: 'launched' }));
    const out = renderText(sampleResult({ events }));
    expect(out).toContain('Events (45)');
    expect(out).toContain('  0d 01:00:00 karpenter launch NodeClaim n0: launched');
    expect(out).toContain('  0d 01:44:00 karpenter launch NodeClaim n44: launched');
  });

  it('says the workloads table shows the end of the run', () => {
    expect(text).toContain('Workloads at the end of the run (0d 03:00:00)');
  });

  it('shows findings with their fix', () => {
    expect(text.replace(/\s+/g, ' ')).toContain('WARNING no-pdb Deployment jobs/worker: 2 replicas without a PodDisruptionBudget Fix: add a PodDisruptionBudget');
  });
});

describe('table', () => {
  it('narrows the widest text column to fit a width, never a number', () => {
    const out = table(['name', 'reason', 'n'], [['a', 'x'.repeat(60), 12345], ['b', 'short', 7]], 40);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(out).toContain('12345');
    expect(out).toContain('…');
  });

  it('keeps whole cells without a width', () => {
    expect(table(['name', 'reason'], [['a', 'x'.repeat(150)]])).toContain('x'.repeat(150));
  });
});

describe('time format', () => {
  it.each([
    [0, '0d 00:00:00'],
    [54120, '0d 15:02:00'],
    [86399, '0d 23:59:59'],
    [86400, '1d 00:00:00'],
    [90061, '1d 01:01:01'],
  ])('clock(%i) is %s', (t, expected) => {
    expect(clock(t)).toBe(expected);
  });
});

describe('compact timeline', () => {
  it('buckets on round intervals and keeps the peak of each', () => {
    const rows = compactTimeline(sampleResult(), 24);
    expect(rows.map((r) => r.t)).toEqual([0, 3600, 7200]);
    expect(rows[1].podsPending).toBe(3);
    expect(rows[2].minFreeIps).toBe(180);
  });
});

describe('JSON report', () => {
  it('a plan starts with why it failed, then the result', () => {
    const parsed = JSON.parse(render(sampleResult(), 'json'));
    expect(Object.keys(parsed)[0]).toBe('failures');
    expect(parsed.failures.failures.map((f: { threshold: { name: string } }) => f.threshold.name)).toEqual(['maxPendingSeconds']);
    expect(parsed.podPending[0].pod).toBe('web/api-7');
  });

  it('is stable: sorted keys, same bytes for the same result', () => {
    const a = renderJson(sampleResult());
    const b = renderJson(JSON.parse(JSON.stringify(sampleResult())));
    expect(a).toEqual(b);
    const parsed = JSON.parse(a);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed.schemaVersion).toBe(1);
  });

  it('writes non-finite numbers as strings rather than null', () => {
    const result = sampleResult({ summary: { ...sampleResult().summary, maxPendingSeconds: Infinity } });
    expect(JSON.parse(renderJson(result)).summary.maxPendingSeconds).toBe('Infinity');
  });
});

describe('JUnit report', () => {
  const xml = renderJunit(sampleResult());

  it('has one test case per threshold and counts failures', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('tests="3" failures="1"');
    expect(xml).toContain('<failure message="measured 5m, limit ≤ 2m: 1 pod(s) waited longer than 2m (longest 5m): 1 of Deployment web/api, at 0d 01:00:00–0d 01:05:00." type="threshold">');
    expect(xml).toContain('pod web/api-7: pending 5m (Deployment web/api) 0d 01:00:00–0d 01:05:00: 0/3 nodes are available: 3 Insufficient cpu.');
    expect(xml).toMatch(/fix: Keep headroom/);
  });

  it('adds error findings as failed cases', () => {
    const withError = sampleResult({ findings: [{ severity: 'error', code: 'alb-subnets', object: 'Ingress web/api', message: 'needs <2> AZs' }] });
    const out = renderJunit(withError);
    expect(out).toContain('name="alb-subnets Ingress web/api"');
    expect(out).toContain('needs &lt;2&gt; AZs');
    expect(out).toContain('failures="2"');
  });
});

describe('Markdown report', () => {
  it('has a verdict table a pull request can show', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain('## eksplan: ❌ fail');
    expect(md).toContain('| maxPendingSeconds | ≤ 2m | 5m | ❌ |');
    expect(md).toContain('| warning | no-pdb | `Deployment jobs/worker` |');
  });
});

describe('HTML report', () => {
  const html = renderHtml(sampleResult());

  it('is self-contained: no scripts, no external URLs', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
  });

  it('has the five charts as responsive inline SVG (viewBox, width 100%, no fixed pixel width)', () => {
    const charts = [...html.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1]);
    expect(charts).toEqual(['nodes', 'pending', 'replicas', 'subnet-ips', 'cost']);
    expect(html.match(/<svg /g)).toHaveLength(5);
    for (const svg of html.match(/<svg [^>]*>/g) ?? []) {
      expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
      expect(svg).toContain('width="100%"');
      expect(svg).not.toMatch(/ height="\d+"/);
    }
  });

  it('puts why it failed first, with each threshold\'s fix', () => {
    expect(html.indexOf('id="failures"')).toBeLessThan(html.indexOf('id="verdict"'));
    expect(html).toContain('data-threshold="maxPendingSeconds"');
    expect(html).toMatch(/<li><b>Fix:<\/b> Keep headroom/);
  });

  it('draws threshold lines and fault markers', () => {
    const result = sampleResult({
      verdict: { ...sampleResult().verdict, thresholds: [...sampleResult().verdict.thresholds, { name: 'maxPendingPods', limit: 2, measured: 3, passed: false, unit: 'pods' }] },
      events: [{ t: 3600, type: 'fault', source: 'scenario', object: 'Zone us-east-1a', message: 'AZ outage for 60m' }],
    });
    const out = renderHtml(result);
    expect(out).toContain('maxPendingPods ≤ 2</text>');
    expect(out).toContain('minFreeSubnetIpsPercent ≥ 20.0%</text>');
    expect(out).toContain('<title>0d 01:00:00 Zone us-east-1a: AZ outage for 60m</title>');
  });

  it('has every section of the text report, events collapsible', () => {
    for (const id of ['nodes', 'workloads', 'pending', 'subnets', 'cost', 'events', 'findings']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('Workloads at the end of the run');
    expect(html).toContain('<details open><summary>All 2 events</summary>');
    expect(html).toContain('<th>workload</th><th class="num">per month</th>');
  });

  it('shows the nodes at the peak with requests against allocatable, grouped by pool', () => {
    const result = sampleResult({
      summary: { ...sampleResult().summary, peakAt: 3600, nodeLoadAtPeak: [
        { name: 'system-a-1', requestedMilliCpu: 965, requestedMemoryBytes: 2 ** 30, pods: 5 },
        { name: 'general-x7', requestedMilliCpu: 3920, requestedMemoryBytes: 2 ** 30, pods: 9 },
      ] },
    });
    const out = renderHtml(result);
    expect(out).toContain('Nodes at the peak (0d 01:00:00)');
    expect(out).toContain('<h3>nodepool general: 1 node(s), cpu 3.92 of 3.92 requested (100%), $0.0612/h</h3>');
    expect(out).toContain('<div class="bar full" title="cpu 3.92 / 3.92">');
    expect(out).toContain('<div class="bar" title="cpu 965m / 1.93"><i style="width:50.0%"></i>');
  });

  it('stacks instance types and escapes names', () => {
    const result = sampleResult();
    const evil = renderHtml({ ...result, input: { ...result.input, scenario: '<b>x</b>' } });
    expect(evil).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('<title>c7g.xlarge</title></polygon>');
  });
});

describe('render', () => {
  it.each(REPORT_FORMATS)('renders %s', (format) => {
    expect(render(sampleResult(), format).length).toBeGreaterThan(100);
  });

  it('fails when the format is unknown', () => {
    expect(() => render(sampleResult(), 'pdf')).toThrow("--format: unknown report format 'pdf': expected one of text, json, html, junit, markdown");
  });
});

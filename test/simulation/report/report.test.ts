import { compactTimeline, render, renderHtml, renderJson, renderJunit, renderMarkdown, renderText, REPORT_FORMATS } from '../../../simulation/report';
import { sampleResult } from './fixture';

describe('text report', () => {
  const text = renderText(sampleResult());

  it('puts the verdict first', () => {
    expect(text.split('\n')[0]).toMatch(/^eksplan: FAIL/);
    expect(text.indexOf('maxPendingSeconds')).toBeLessThan(text.indexOf('Capacity'));
  });

  it('fits 100 columns', () => {
    const wide = text.split('\n').filter((line) => [...line].length > 100);
    expect(wide).toEqual([]);
  });

  it('shows the failed threshold with measured and limit', () => {
    expect(text).toMatch(/maxPendingSeconds\s+≤ 2m\s+5m\s+FAIL/);
  });

  it('groups pending pods by workload and reason', () => {
    expect(text).toContain('Deployment web/api: 2 Pending (e.g. web/api-7): 0/3 nodes are available: 3 Insufficient cpu.');
  });

  it('shows findings with their fix', () => {
    expect(text.replace(/\s+/g, ' ')).toContain('WARNING no-pdb Deployment jobs/worker: 2 replicas without a PodDisruptionBudget Fix: add a PodDisruptionBudget');
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
    expect(xml).toContain('<failure message="measured 5m, limit ≤ 2m" type="threshold"/>');
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

  it('has the five charts as inline SVG', () => {
    expect(html.match(/<svg /g)).toHaveLength(5);
    for (const title of ['Nodes by instance type', 'Pending pods', 'Replicas per workload', 'Free IPs per subnet', 'Cumulative cost of nodes']) {
      expect(html).toContain(title);
    }
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

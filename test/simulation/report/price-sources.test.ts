import { STATIC_PRICE_LIST } from '../../../simulation/catalog/instance-data';
import { clearRefreshedPrices, registerRefreshedPrices, SPOT_MODEL_SOURCE } from '../../../simulation/catalog/ec2-prices';
import { priceBook } from '../../../simulation/cost/catalog-prices';
import type { CostBreakdown, CostLine } from '../../../simulation/model/result';
import { renderHtml, renderMarkdown, renderText } from '../../../simulation/report';
import { priceSourceNotes } from '../../../simulation/report/price-sources';
import { sampleResult } from './fixture';

// Issue 17: every report states the price source of each cost line, and says that Spot prices are a model.

const line = (category: string, item: string, monthlyUsd: number, priceSource: string): CostLine =>
  ({ category, item, quantity: 3, unit: 'instance-hours', unitPriceUsd: 0.1, windowUsd: monthlyUsd / 243, monthlyUsd, priceSource });

function costWith(region: string, lines: CostLine[]): CostBreakdown {
  return { ...sampleResult().cost, region, lines };
}

afterEach(() => clearRefreshedPrices());

describe('instance price sources from the catalog', () => {
  it('us-east-1 On-Demand names the static list and its date', () => {
    const source = priceBook('us-east-1').instancePriceSource('m5.large', 'on-demand');
    expect(source).toBe(STATIC_PRICE_LIST);
    expect(source).toMatch(/static us-east-1 On-Demand list of \d{4}-\d{2}-\d{2}/);
  });

  it('another region is an estimate from us-east-1 × the region factor', () => {
    const source = priceBook('eu-west-1').instancePriceSource('m5.large', 'on-demand');
    expect(source).toMatch(/^catalog estimate: us-east-1 static list of \d{4}-\d{2}-\d{2} × [\d.]+, the eu-west-1 factor/);
  });

  it('Spot is the Spot model unless refreshed, then the price history and its date', () => {
    expect(priceBook('us-east-1').instancePriceSource('m5.large', 'spot')).toContain(SPOT_MODEL_SOURCE);
    registerRefreshedPrices({ region: 'us-east-2', date: '2026-11-20', onDemand: { 'm5.large': 0.096 }, spot: { 'm5.large': { 'us-east-2a': 0.04 } } });
    expect(priceBook('us-east-2').instancePriceSource('m5.large', 'on-demand')).toBe('AWS Pricing API, us-east-2, refreshed 2026-11-20');
    expect(priceBook('us-east-2').instancePriceSource('m5.large', 'spot')).toBe('EC2 DescribeSpotPriceHistory, mean of us-east-2 zones, refreshed 2026-11-20');
  });
});

describe('priceSourceNotes', () => {
  it('numbers each distinct source once, lines largest first', () => {
    const notes = priceSourceNotes(costWith('us-east-1', [
      line('EKS control plane', 'c', 73, 'EKS pricing'),
      line('EC2 on-demand', 'm5.large', 140, STATIC_PRICE_LIST),
      line('EC2 on-demand', 'c5.large', 120, STATIC_PRICE_LIST),
    ]));
    expect(notes.sources).toEqual([STATIC_PRICE_LIST, 'EKS pricing']);
    expect(notes.lines.map((l) => [l.line.item, l.note])).toEqual([['m5.large', 1], ['c5.large', 1], ['c', 2]]);
    expect(notes.estimateNote).toBeUndefined();
  });

  it.each([
    ['no Spot line', [line('EC2 on-demand', 'm5.large', 1, STATIC_PRICE_LIST)], /a model, not market prices, unless refreshed .*uses no Spot capacity/],
    ['a modelled Spot line', [line('EC2 spot', 'm5.large', 1, `${SPOT_MODEL_SOURCE}; On-Demand: x`)], /a model, not market prices: 1 of 1 Spot line\(s\) use the catalog Spot model/],
    ['only refreshed Spot lines', [line('EC2 spot', 'm5.large', 1, 'EC2 DescribeSpotPriceHistory, us-east-1a, refreshed 2026-11-20')], /read from EC2 DescribeSpotPriceHistory/],
  ])('says what Spot prices are with %s', (_name, lines, expected) => {
    expect(priceSourceNotes(costWith('us-east-1', lines)).spotNote).toMatch(expected);
  });

  it('counts the lines estimated from us-east-1', () => {
    const notes = priceSourceNotes(costWith('eu-west-1', [line('EC2 on-demand', 'm5.large', 1, 'catalog estimate: us-east-1 static list × 1.1'), line('EKS control plane', 'c', 1, 'EKS pricing')]));
    expect(notes.estimateNote).toMatch(/^1 line\(s\) are estimated from us-east-1 prices × the eu-west-1 factor/);
  });
});

describe('renderers show the source of every cost line', () => {
  const spotSource = `${SPOT_MODEL_SOURCE}; On-Demand: ${STATIC_PRICE_LIST}`;
  const result = sampleResult({
    cost: costWith('us-east-1', [
      line('EC2 on-demand', 'm6i.large', 140.16, STATIC_PRICE_LIST),
      line('EC2 spot', 'c7g.xlarge', 50, spotSource),
      line('EKS control plane', 'standard support', 73, 'aws.amazon.com/eks/pricing, 2026-11-01'),
    ]),
  });

  it('text: a source column with numbered notes and the Spot sentence', () => {
    const text = renderText(result);
    expect(text).toMatch(/m6i\.large .*\$140 +\[1\]/);
    expect(text).toMatch(/standard support .*\[2\]/);
    expect(text).toMatch(/c7g\.xlarge .*\[3\]/);
    expect(text).toContain(`[1] ${STATIC_PRICE_LIST}`);
    expect(text).toContain('[2] aws.amazon.com/eks/pricing, 2026-11-01');
    expect(text).toContain('Spot prices are a model, not market prices');
  });

  it('markdown: a source column, a numbered list of sources and the Spot sentence', () => {
    const markdown = renderMarkdown(result);
    expect(markdown).toMatch(/\| EC2 on-demand \| m6i\.large \|.*\| \[1\] \|/);
    expect(markdown).toContain('2. aws.amazon.com/eks/pricing, 2026-11-01');
    expect(markdown).toContain('Spot prices are a model, not market prices');
  });

  it('html: each line links to its numbered source and the Spot sentence is shown', () => {
    const html = renderHtml(result);
    expect(html).toContain('<a href="#price-source-3">[3]</a>');
    expect(html).toContain('<li id="price-source-2">aws.amazon.com/eks/pricing, 2026-11-01</li>');
    expect(html).toContain('Spot prices are a model, not market prices');
  });
});

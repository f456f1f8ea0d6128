import type { CostBreakdown, CostLine } from '../model/result';

// Every report states where each cost line's price comes from (issue 17): the lines carry their source, the
// renderers number the distinct sources as footnotes, and one sentence says what the Spot prices are.

export interface PriceSourceNotes {
  /** The cost lines, largest monthly cost first, each with the number of its source footnote (1-based). */
  readonly lines: readonly { readonly line: CostLine; readonly note: number }[];
  /** The distinct sources, footnote n at index n − 1. */
  readonly sources: readonly string[];
  /** What the Spot prices are: the catalog's model unless `catalog refresh` read the price history. */
  readonly spotNote: string;
  /** Lines whose price is estimated from us-east-1 by the regional factor, when there are any. */
  readonly estimateNote?: string;
}

export function priceSourceNotes(cost: CostBreakdown): PriceSourceNotes {
  const sources: string[] = [];
  const numbers = new Map<string, number>();
  const sorted = [...cost.lines].sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.category.localeCompare(b.category) || a.item.localeCompare(b.item));
  const lines = sorted.map((line) => {
    let note = numbers.get(line.priceSource);
    if (note === undefined) {
      sources.push(line.priceSource);
      note = sources.length;
      numbers.set(line.priceSource, note);
    }
    return { line, note };
  });
  const spotLines = cost.lines.filter((l) => l.category === 'EC2 spot');
  // A Spot line is a market price only when `catalog refresh` read it from the price history (catalog/ec2-prices.ts
  // names that API in the source); every other Spot line comes from the catalog's Spot model.
  const modelled = spotLines.filter((l) => !l.priceSource.includes('DescribeSpotPriceHistory')).length;
  const refresh = `\`eksplan catalog refresh --region ${cost.region}\` with AWS credentials reads EC2 DescribeSpotPriceHistory instead`;
  const spotNote = spotLines.length === 0
    ? `Spot prices are a model, not market prices, unless refreshed (${refresh}); this plan uses no Spot capacity.`
    : modelled > 0
      ? `Spot prices are a model, not market prices: ${modelled} of ${spotLines.length} Spot line(s) use the catalog Spot model (${refresh}).`
      : `Spot prices were read from EC2 DescribeSpotPriceHistory at the refresh date in their source; Spot prices change hourly.`;
  const estimated = cost.lines.filter((l) => l.priceSource.includes('catalog estimate')).length;
  const estimateNote = estimated > 0
    ? `${estimated} line(s) are estimated from us-east-1 prices × the ${cost.region} factor, not ${cost.region}'s own prices; \`eksplan catalog refresh --region ${cost.region}\` replaces EC2 estimates with the AWS Pricing API's.`
    : undefined;
  return { lines, sources, spotNote, estimateNote };
}

import type { Command } from 'commander';
import {
  CATALOG_SOURCE, DEFAULT_REGION, instanceTypes, onDemandPrice, REGION_FACTOR_DATE, REGION_FACTOR_SOURCE, REGION_LIST_SOURCE, REGION_TABLE, regionInfo, refreshedPrices,
} from '../../simulation/catalog';
import { EksplanError } from '../../simulation/model/errors';
import { textTable as table } from '../../simulation';

export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('The instance-type and price catalog the simulation uses.');
  catalog.command('list')
    .description('List instance types with vCPU, memory, ENIs, IPs per ENI and on-demand price (and where the price comes from).')
    .option('--region <region>', 'price region (any commercial region)', DEFAULT_REGION)
    .option('--family <families>', 'only these families (comma separated), e.g. m7g,c7g')
    .option('--category <categories>', 'only these categories (karpenter.k8s.aws/instance-category, comma separated), e.g. c,m,r')
    .option('--json', 'print JSON')
    .action((options: { region: string; family?: string; category?: string; json?: boolean }) => {
      regionInfo(options.region, '--region');
      const list = (value?: string) => value?.split(',').map((f) => f.trim()).filter(Boolean);
      const families = list(options.family);
      const categories = list(options.category);
      const types = instanceTypes(options.region).filter((t) => (!families || families.includes(t.family)) && (!categories || categories.includes(t.category)));
      if ((families || categories) && types.length === 0) {
        throw new EksplanError(`no instance types in ${families ? `families ${families.join(', ')}` : `categories ${categories?.join(', ')}`}`, { field: families ? '--family' : '--category' });
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(types.map((t) => {
          const price = onDemandPrice(t.name, options.region);
          return { ...t, onDemandUsdPerHour: price.usd, priceSource: price.source };
        }), null, 2)}\n`);
        return;
      }
      process.stdout.write(`${table(['type', 'vCPU', 'memory GiB', 'arch', 'GPUs', 'ENIs', 'IPv4/ENI', 'max pods', '$/hour'], types.map((t) => [
        t.name, t.vcpu, Number((t.memoryMiB / 1024).toFixed(1)), t.arch, t.gpus, t.maxEnis, t.ipv4PerEni, t.eniMaxPods, t.onDemandUsdPerHour(options.region).toFixed(4),
      ]), 140)}\n`);
      const sample = types[0] ? onDemandPrice(types[0].name, options.region).source : '';
      process.stderr.write(`${types.length} instance types; ${CATALOG_SOURCE.description}; generated from ${CATALOG_SOURCE.sources.map((s) => `${s.upstream} @ ${s.commit.slice(0, 8)}`).join(', ')}\n`);
      process.stderr.write(`prices: ${sample}${refreshedPrices(options.region) ? '' : options.region === DEFAULT_REGION ? '' : ' (run eksplan catalog refresh --region ' + options.region + ' for the region\'s own prices)'}\n`);
    });
  catalog.command('regions')
    .description('The commercial regions eksplan accepts, with the price factor used until a refresh.')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const rows = REGION_TABLE.map((r) => ({ ...r, refreshed: refreshedPrices(r.region)?.date }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ regionsSource: REGION_LIST_SOURCE, factorSource: REGION_FACTOR_SOURCE, factorDate: REGION_FACTOR_DATE, regions: rows }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${table(['region', 'location', 'price factor', 'basis', 'refreshed'], rows.map((r) => [r.region, r.location, r.priceFactor.toFixed(4), r.basis, r.refreshed ?? '-']), 160)}\n`);
      process.stderr.write(`regions: ${REGION_LIST_SOURCE}; factors: ${REGION_FACTOR_SOURCE}, ${REGION_FACTOR_DATE}\n`);
    });
  catalog.command('refresh')
    .description('Read a region\'s instance types, On-Demand prices (Pricing API) and Spot prices (DescribeSpotPriceHistory) from AWS (needs AWS credentials).')
    .requiredOption('--region <region>', 'region to read instance types and prices for')
    .option('--out <file>', 'output data file (default .eksplan/catalog/<region>.json, read by every later plan)')
    .option('--no-spot', 'skip the Spot price history')
    .option('--timeout <seconds>', 'give up on one AWS call after this many seconds', '30')
    .action(async (options: { region: string; out?: string; spot: boolean; timeout: string }) => {
      const seconds = Number(options.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new EksplanError(`must be a positive number of seconds, got '${options.timeout}'`, { field: '--timeout' });
      regionInfo(options.region, '--region');
      const { refreshCatalog } = await import('../../lib/aws/catalog-refresh');
      const summary = await refreshCatalog({ region: options.region, outFile: options.out, spot: options.spot, callTimeoutMs: seconds * 1000 });
      process.stderr.write(`eksplan: ${JSON.stringify(summary)}\n`);
    });
}

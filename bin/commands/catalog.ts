import type { Command } from 'commander';
import { refreshCatalog } from '../../lib/aws/catalog-refresh';
import { CATALOG_SOURCE, instanceTypes, REGIONS } from '../../simulation/catalog';
import { EksplanError } from '../../simulation/model/errors';
import { table } from '../../simulation/report/format';

export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('The instance-type and price catalog the simulation uses.');
  catalog.command('list')
    .description('List instance types with vCPU, memory, ENIs, IPs per ENI and on-demand price.')
    .option('--region <region>', 'price region', 'us-east-1')
    .option('--family <families>', 'only these families (comma separated), e.g. m7g,c7g')
    .option('--json', 'print JSON')
    .action((options: { region: string; family?: string; json?: boolean }) => {
      if (!REGIONS.includes(options.region)) {
        throw new EksplanError(`unknown region '${options.region}': the catalog has ${REGIONS.join(', ')}`, { field: '--region' });
      }
      const families = options.family?.split(',').map((f) => f.trim()).filter(Boolean);
      const types = instanceTypes(options.region).filter((t) => !families || families.includes(t.family));
      if (families && types.length === 0) throw new EksplanError(`no instance types in families ${families.join(', ')}`, { field: '--family' });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(types.map((t) => ({ ...t, onDemandUsdPerHour: t.onDemandUsdPerHour(options.region) })), null, 2)}\n`);
        return;
      }
      process.stdout.write(`${table(['type', 'vCPU', 'memory GiB', 'arch', 'GPUs', 'ENIs', 'IPv4/ENI', '$/hour'], types.map((t) => [
        t.name, t.vcpu, Number((t.memoryMiB / 1024).toFixed(1)), t.arch, t.gpus, t.maxEnis, t.ipv4PerEni, t.onDemandUsdPerHour(options.region).toFixed(4),
      ]), 120)}\n`);
      process.stderr.write(`${types.length} instance types; source: ${CATALOG_SOURCE.description} (${CATALOG_SOURCE.date})\n`);
    });
  catalog.command('refresh')
    .description('Regenerate the catalog from EC2 DescribeInstanceTypes and the Pricing API (needs AWS credentials).')
    .requiredOption('--region <region>', 'region to read instance types and prices for')
    .option('--out <file>', 'output data file')
    .action(async (options: { region: string; out?: string }) => {
      const summary = await refreshCatalog({ region: options.region, outFile: options.out });
      process.stderr.write(`eksplan: ${JSON.stringify(summary)}\n`);
    });
}

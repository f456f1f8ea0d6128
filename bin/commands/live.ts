import { requestExit } from './exit';
import * as path from 'path';
import type { Command } from 'commander';
import { resolveAddonVersions, writePinnedVersions } from '../../lib/live/addons-pin';
import { describeLiveCluster, eksClient } from '../../lib/live/describe';
import { diffPlanAndLive, renderDrift } from '../../lib/live/drift';
import { loadAssembly } from '../../simulation/assembly';

export const PINNED_ADDONS_FILE = path.resolve(__dirname, '..', '..', 'simulation', 'catalog', 'eks-addon-versions.json');

export function registerLiveCommands(program: Command): void {
  program.command('live')
    .description('Compare a live EKS cluster with the synthesized plan (version, add-ons, node groups, access, logging, endpoint). Exit 1 on drift.')
    .requiredOption('--cluster <name>', 'the EKS cluster name')
    .option('--assembly <dir>', 'the synthesized cloud assembly', 'cdk.out')
    .option('--stack <name>', 'the stack when the assembly has several')
    .option('--region <region>', 'AWS region (default: the SDK\'s, e.g. AWS_REGION)')
    .option('--json', 'print the drift as JSON')
    .action(async (options: { cluster: string; assembly: string; stack?: string; region?: string; json?: boolean }) => {
      const model = loadAssembly(options.assembly, { stack: options.stack });
      const live = await describeLiveCluster(eksClient(options.region ?? model.region), options.cluster);
      const drifts = diffPlanAndLive(model, live);
      process.stdout.write(options.json ? `${JSON.stringify(drifts, null, 2)}\n` : renderDrift(drifts, options.cluster));
      if (drifts.length > 0) requestExit(1);
    });

  const addons = program.command('addons').description('Managed add-on versions.');
  addons.command('pin')
    .description('Ask EKS for the default core add-on versions of a Kubernetes version and write them to the pinned-versions file, so synth stays offline.')
    .requiredOption('--version <1.NN>', 'Kubernetes version')
    .option('--region <region>', 'AWS region')
    .option('--file <file>', 'pinned-versions file', PINNED_ADDONS_FILE)
    .action(async (options: { version: string; region?: string; file: string }) => {
      const versions = await resolveAddonVersions(eksClient(options.region), options.version);
      writePinnedVersions(options.file, options.version, versions);
      process.stdout.write(`${Object.entries(versions).map(([name, v]) => `${name} ${v}`).join('\n')}\n`);
      process.stderr.write(`eksplan: pinned Kubernetes ${options.version} add-ons in ${options.file}\n`);
    });
}

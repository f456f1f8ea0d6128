import { requestExit } from './exit';
import type { Command } from 'commander';
import { describeLiveCluster, eksClient } from '../../lib/live/describe';
import { diffPlanAndLive, renderDrift } from '../../lib/live/drift';
import { loadAssembly } from '../../simulation';

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
}

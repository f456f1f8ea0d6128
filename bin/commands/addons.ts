import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { EksplanError } from '../../simulation/model/errors';

/**
 * The pinned-versions file of the project this CLI runs from: `simulation/catalog/eks-addon-versions.json`
 * next to `bin/` (sources, ts-node) or one level above `dist/bin/` (compiled), so `npm start` and
 * `npm run eksplan` update the committed file rather than the build output.
 */
export function pinnedAddonsFile(): string {
  const relative = path.join('simulation', 'catalog', 'eks-addon-versions.json');
  const candidates = [path.resolve(__dirname, '..', '..', '..', relative), path.resolve(__dirname, '..', '..', relative)];
  const source = candidates.find((file) => !file.split(path.sep).includes('dist') && fs.existsSync(file));
  return source ?? candidates[candidates.length - 1];
}

export function registerAddonsCommands(program: Command): void {
  const addons = program.command('addons').description('Managed add-on versions.');
  addons.command('pin')
    .description('Ask EKS for the default core add-on versions of a Kubernetes version and write them to the pinned-versions file, so synth stays offline.')
    .option('--kubernetes-version <1.NN>', 'Kubernetes version, e.g. 1.34')
    // Kept for the messages and scripts that already say `addons pin --version 1.NN` (the root's --version
    // is positional: it only counts before the command).
    .option('--version <1.NN>', 'same as --kubernetes-version')
    .option('--region <region>', 'AWS region')
    .option('--file <file>', 'pinned-versions file (default: simulation/catalog/eks-addon-versions.json of this project)')
    .action(async (options: { kubernetesVersion?: string; version?: string; region?: string; file?: string }) => {
      const version = options.kubernetesVersion ?? options.version;
      if (version === undefined) throw new EksplanError('required: the Kubernetes version to pin, e.g. --kubernetes-version 1.34', { field: '--kubernetes-version' });
      if (options.kubernetesVersion !== undefined && options.version !== undefined && options.kubernetesVersion !== options.version) {
        throw new EksplanError(`--kubernetes-version ${options.kubernetesVersion} and --version ${options.version} disagree: give one`, { field: '--kubernetes-version' });
      }
      if (!/^1\.\d{2}$/.test(version)) throw new EksplanError(`invalid Kubernetes version '${version}': expected 1.NN, e.g. 1.34`, { field: '--kubernetes-version' });
      const file = options.file ?? pinnedAddonsFile();
      // The AWS SDK loads only here: every other command (and --help) starts without it.
      const { resolveAddonVersions, writePinnedVersions } = await import('../../lib/live/addons-pin');
      const { eksClient } = await import('../../lib/live/describe');
      const versions = await resolveAddonVersions(eksClient(options.region), version);
      writePinnedVersions(file, version, versions);
      process.stdout.write(`${Object.entries(versions).map(([name, v]) => `${name} ${v}`).join('\n')}\n`);
      process.stderr.write(`eksplan: pinned Kubernetes ${version} add-ons in ${file}\n`);
    });
}

import type { Command } from 'commander';
import { EksplanError } from '../../simulation/model/errors';

export function registerSpecCommand(program: Command): void {
  program.command('spec')
    .description('Validate a PlatformSpec (.ts, .js, .json or .yaml): unknown keys, wrong types and bad values are errors naming the path,\n' +
      'with a "did you mean" for near-misses. With --resolved, print the platform with every default filled in (subnet masks,\n' +
      'max pods, add-on and chart versions, AMI alias), read from the constructs the stack builds, as eksctl --dry-run does.')
    .argument('[file]', 'the spec file (default: -c eksplan:spec=..., else the reference platform)')
    .option('-c, --context <key=value...>', 'CDK context, as for cdk synth and plan; eksplan:spec=FILE names the spec')
    .option('--resolved', 'print the fully defaulted platform')
    .option('--json', 'print JSON instead of YAML')
    .action(async (file: string | undefined, options: { context?: string[]; resolved?: boolean; json?: boolean }) => {
      const fromContext = (options.context ?? []).map((c) => /^eksplan:spec=(.*)$/.exec(c)?.[1]).find((v) => v !== undefined);
      if (file && fromContext && file !== fromContext) throw new EksplanError(`two specs given: ${file} and -c eksplan:spec=${fromContext}`, { field: 'file' });
      const source = file ?? fromContext;
      // aws-cdk-lib and the constructs load only here (a second or two), not at CLI start.
      const { loadPlatformSpec } = await import('../../lib/spec-load');
      const { referencePlatform } = await import('../../lib/reference');
      const spec = source ? loadPlatformSpec(source) : referencePlatform;
      if (!options.resolved) {
        process.stdout.write(`eksplan spec: ${source ?? 'the reference platform'} is a valid PlatformSpec (${spec.name}, ${spec.region})\n`);
        return;
      }
      const { resolvePlatform } = await import('../../lib/spec-resolve');
      const resolved = resolvePlatform(spec);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(resolved, null, 2)}\n`);
      } else {
        const { stringify } = await import('yaml');
        process.stdout.write(`# ${source ?? 'reference platform'} resolved: every default filled in, as cdk synth builds it\n${stringify(resolved, { lineWidth: 0 })}`);
      }
    });
}

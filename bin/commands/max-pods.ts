import type { Command } from 'commander';
import { instanceType } from '../../simulation/catalog';
import { eniMaxPods, maxPods } from '../../simulation/network';

export function registerMaxPodsCommand(program: Command): void {
  program.command('max-pods')
    .description('Max pods for an instance type as the VPC CNI and the EKS AMI compute it.')
    .argument('<type>', 'instance type, e.g. m6i.large')
    .option('--prefix-delegation', 'VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION=true)')
    .option('--custom-networking', 'VPC CNI custom networking (the primary ENI holds no pod IPs)')
    .option('--no-cap', 'the raw ENI/prefix limit, without the 110/250 recommendation')
    .option('--json', 'print JSON')
    .action((type: string, options: { prefixDelegation?: boolean; customNetworking?: boolean; cap: boolean; json?: boolean }) => {
      const info = instanceType(type);
      const value = maxPods(type, { prefixDelegation: options.prefixDelegation, customNetworking: options.customNetworking, cap: options.cap });
      const details = {
        instanceType: info.name, vcpu: info.vcpu, enis: info.maxEnis, ipv4PerEni: info.ipv4PerEni,
        prefixDelegation: Boolean(options.prefixDelegation), customNetworking: Boolean(options.customNetworking), capped: options.cap,
        maxPods: value, eniMaxPods: eniMaxPods(type),
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
      } else {
        process.stdout.write(`${value}\n`);
        process.stderr.write(`${info.name}: ${info.vcpu} vCPU, ${info.maxEnis} ENIs × ${info.ipv4PerEni} IPv4; ` +
          `${options.prefixDelegation ? 'prefix delegation' : 'secondary IPs'}${options.customNetworking ? ', custom networking' : ''}` +
          `${options.cap ? '' : ', uncapped'} (eni-max-pods: ${details.eniMaxPods})\n`);
      }
    });
}

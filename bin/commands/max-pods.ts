import type { Command } from 'commander';
import { instanceType, karpenterPods, nodeadmMaxPodsDetail } from '../../simulation/catalog';
import { EksplanError } from '../../simulation/model/errors';
import { eniMaxPods, maxPods } from '../../simulation';

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new EksplanError(`must be a whole number ≥ 0, got '${value}'`, { field: flag });
  return n;
}

export function registerMaxPodsCommand(program: Command): void {
  program.command('max-pods')
    .description('Max pods for an instance type as the VPC CNI, the EKS AMI (nodeadm) and Karpenter compute it.')
    .argument('<type>', 'instance type, e.g. m6i.large')
    .option('--prefix-delegation', 'VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION=true)')
    .option('--custom-networking', 'VPC CNI custom networking (the primary ENI holds no pod IPs)')
    .option('--no-cap', 'the raw ENI/prefix limit, without the 110/250 recommendation')
    .option('--max-pods-expression <cel>', 'nodeadm NodeConfig spec.kubelet.maxPodsExpression (CEL: default_enis, ips_per_eni, max_pods, vcpus, memory_mib)')
    .option('--reserved-enis <n>', 'Karpenter --reserved-enis (ENIs kept from pods, e.g. for custom networking)')
    .option('--efa-only-interfaces <n>', 'EFA-only interfaces the EC2NodeClass puts on network card 0 (Karpenter)')
    .option('--json', 'print JSON')
    .action((type: string, options: {
      prefixDelegation?: boolean; customNetworking?: boolean; cap: boolean; maxPodsExpression?: string; reservedEnis?: string; efaOnlyInterfaces?: string; json?: boolean;
    }) => {
      const info = instanceType(type);
      const value = maxPods(info, { prefixDelegation: options.prefixDelegation, customNetworking: options.customNetworking, cap: options.cap });
      const nodeadm = nodeadmMaxPodsDetail(info, { maxPodsExpression: options.maxPodsExpression, customNetworking: options.customNetworking });
      const karpenter = karpenterPods(info, { reservedEnis: count(options.reservedEnis, '--reserved-enis'), efaOnlyInterfacesOnCard0: count(options.efaOnlyInterfaces, '--efa-only-interfaces') });
      const details = {
        instanceType: info.name, vcpu: info.vcpu, enis: info.maxEnis, ipv4PerEni: info.ipv4PerEni, networkCards: info.enisPerNetworkCard.length, hypervisor: info.hypervisor || 'none (bare metal)',
        prefixDelegation: Boolean(options.prefixDelegation), customNetworking: Boolean(options.customNetworking), capped: options.cap,
        maxPods: value, eniMaxPods: eniMaxPods(info), nodeadmMaxPods: nodeadm.maxPods, karpenterPods: karpenter,
        ...(options.maxPodsExpression !== undefined ? { maxPodsExpression: options.maxPodsExpression } : {}),
        ...(nodeadm.expressionError ? { maxPodsExpressionError: nodeadm.expressionError } : {}),
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
      } else {
        process.stdout.write(`${value}\n`);
        process.stderr.write(`${info.name}: ${info.vcpu} vCPU, ${info.maxEnis} ENIs × ${info.ipv4PerEni} IPv4 on the default card` +
          `${info.enisPerNetworkCard.length > 1 ? ` (${info.enisPerNetworkCard.length} network cards)` : ''}; ` +
          `${options.prefixDelegation ? 'prefix delegation' : 'secondary IPs'}${options.customNetworking ? ', custom networking' : ''}` +
          `${options.cap ? '' : ', uncapped'} (eni-max-pods: ${details.eniMaxPods}; nodeadm: ${nodeadm.maxPods}; Karpenter: ${karpenter})\n`);
        if (nodeadm.expressionError) process.stderr.write(`maxPodsExpression not used (nodeadm falls back to the standard value): ${nodeadm.expressionError}\n`);
      }
    });
}

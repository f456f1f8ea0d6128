import type { ClusterModel, SubnetModel } from '../model/cluster';
import type { Finding, SimulationResult } from '../model/result';
import { eniMaxPods, nodeOfEniLimitMessage } from '../network';

// AWS Load Balancer Controller subnet discovery: internet-facing ALBs need subnets tagged
// kubernetes.io/role/elb, internal ones kubernetes.io/role/internal-elb, in at least two AZs
// (kubernetes-sigs/aws-load-balancer-controller docs/deploy/subnet_discovery.md).

export function checkLoadBalancerSubnets(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  for (const lb of model.loadBalancers) {
    if (lb.kind !== 'alb') continue;
    const tag = lb.scheme === 'internet-facing' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
    const candidates = model.subnets.filter((s) => (s.tags[tag] === '1' || s.tags[tag] === '') && (lb.scheme === 'internet-facing' ? s.public : true));
    const zones = new Set(candidates.map((s) => s.availabilityZone));
    if (zones.size < 2) {
      findings.push({
        severity: 'error', code: 'alb-subnets', object: lb.owner,
        message: `${lb.scheme} ALB needs subnets tagged ${tag} in at least two AZs; found ${zones.size} (${[...zones].join(', ') || 'none'})`,
        fix: `tag ${lb.scheme === 'internet-facing' ? 'public' : 'private'} subnets in two or more AZs with ${tag}=1`,
      });
    }
  }
  return findings;
}

/**
 * Pod subnets sized for the peak: addresses held at the peak (pods + warm pools, from the simulation)
 * must leave headroom; recommends the CIDR that would fit twice the peak.
 */
export function checkPodSubnetSizing(model: ClusterModel, result: SimulationResult, minFreePercent = 10): Finding[] {
  const findings: Finding[] = [];
  for (const usage of result.subnets) {
    const subnet = model.subnets.find((s) => s.id === usage.id);
    if (!subnet) continue;
    if (usage.exhaustedPods > 0 || usage.freePercentMin < minFreePercent) {
      const needed = Math.max(usage.usedPeak * 2, usage.usable + usage.exhaustedPods * 2);
      findings.push({
        severity: usage.exhaustedPods > 0 ? 'error' : 'warning', code: 'pod-subnet-too-small', object: `Subnet ${subnet.id} (${subnet.cidr}, ${subnet.availabilityZone})`,
        message: usage.exhaustedPods > 0
          ? `${usage.exhaustedPods} pod(s) could not get an IP address: the subnet's ${usage.usable} usable addresses ran out`
          : `only ${usage.freePercentMin.toFixed(1)}% of addresses stay free at the peak (${usage.usedPeak} of ${usage.usable} held by nodes, pods and warm pools)`,
        fix: `use a /${prefixFor(needed)} or larger (${recommendedCidr(subnet, needed)}), a secondary CIDR with custom networking, or prefix delegation with lower warm targets`,
      });
    }
  }
  return findings;
}

function prefixFor(addresses: number): number {
  let prefix = 28;
  while (prefix > 16 && 2 ** (32 - prefix) - 5 < addresses) prefix -= 1;
  return prefix;
}

function recommendedCidr(subnet: SubnetModel, addresses: number): string {
  const prefix = prefixFor(addresses);
  const base = subnet.cidr.split('/')[0];
  return `e.g. ${base}/${prefix} if the VPC has room`;
}

/**
 * Nodes whose ENIs were all attached and full while pods were bound to them: the kubelet's max pods is above
 * what the instance type's ENIs × IPs per ENI can address (e.g. maxPods 110 without prefix delegation), so
 * ipamd answers `failed to assign an IP address to container` although the subnet has room. One finding per
 * node group / NodePool and instance type; the fix is per node, not a larger subnet.
 */
export function checkNodeIpLimits(result: SimulationResult): Finding[] {
  const nodes = new Map(result.nodes.map((n) => [n.name, n]));
  const pods = new Map<string, Set<string>>();
  const note = (pod: string, message: string | undefined) => {
    const node = nodes.get(nodeOfEniLimitMessage(message) ?? '');
    if (!node) return;
    const key = `${node.owner.kind === 'nodepool' ? 'NodePool' : 'NodeGroup'} ${node.owner.name}|${node.instanceType}|${node.maxPods}`;
    pods.set(key, (pods.get(key) ?? new Set()).add(pod));
  };
  for (const pending of result.pendingPods) note(pending.pod, pending.message);
  for (const record of result.podPending) for (const interval of record.intervals ?? []) note(record.pod, interval.reason);
  return [...pods.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, stuck]): Finding => {
    const [object, type, maxPods] = key.split('|');
    const eniLimit = eniMaxPods(type);
    return {
      severity: 'error', code: 'node-ip-limit', object,
      message: `${stuck.size} pod(s) could not get an IP address on ${type} nodes: the node's ENIs × IPs per ENI were all in use ` +
        `(kubelet max pods ${maxPods}, above the ENI limit of ${eniLimit} pods); the subnet was not the limit`,
      fix: `turn on VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION=true, Nitro instances), use larger instance types (more ENIs and IPs per ENI), or set max pods to ${eniLimit}`,
    };
  });
}

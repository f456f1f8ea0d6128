import type { ClusterModel, SubnetModel } from '../model/cluster';
import type { Finding, SimulationResult } from '../model/result';

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

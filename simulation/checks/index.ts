import type { ClusterModel } from '../model/cluster';
import type { Finding, SimulationResult } from '../model/result';
import { checkAddonVersions } from './addons';
import { checkIdentity } from './identity';
import { checkKubernetesSchemas } from './kubernetes-schema';
import { checkKarpenterWiring } from './karpenter-wiring';
import { checkMaxPods } from './max-pods';
import { checkLoadBalancerSubnets, checkPodSubnetSizing } from './networking';
import { lintWorkloads } from './workload-lint';

export { checkAddonVersions, checkKubernetesSchemas, checkIdentity, checkKarpenterWiring, checkMaxPods, checkLoadBalancerSubnets, checkPodSubnetSizing, lintWorkloads };

/** The checks that need only the synthesized assembly (`eksplan check`). */
export function checkAssembly(model: ClusterModel): Finding[] {
  return sortFindings([
    ...checkMaxPods(model),
    ...checkKarpenterWiring(model),
    ...checkIdentity(model),
    ...checkLoadBalancerSubnets(model),
    ...checkAddonVersions(model),
    ...checkKubernetesSchemas(model),
    ...lintWorkloads(model),
  ]);
}

/** Assembly checks plus those that need a simulation result (subnet sizing at the peak). */
export function checkPlan(model: ClusterModel, result: SimulationResult): Finding[] {
  return sortFindings([...checkAssembly(model), ...checkPodSubnetSizing(model, result)]);
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code) || a.object.localeCompare(b.object) || a.message.localeCompare(b.message));
}

import type { ClusterModel, HelmReleaseModel } from '../model/cluster';
import type { AssumedController } from '../model/scenario';
import type { Finding, SimulationResult } from '../model/result';
import { checkAddonVersions } from './addons';
import { checkAmiTypes } from './ami';
import { checkControllers } from './controllers';
import { checkHelmCharts } from './helm-charts';
import { checkIdentity } from './identity';
import { checkKubernetesSchemas } from './kubernetes-schema';
import { checkKarpenterWiring } from './karpenter-wiring';
import { checkMaxPods } from './max-pods';
import { checkLoadBalancerSubnets, checkNodeIpLimits, checkPodSubnetSizing } from './networking';
import { checkSecurity } from './security';
import { lintWorkloads } from './workload-lint';

export { checkAmiTypes, checkControllers, checkHelmCharts, checkAddonVersions, checkKubernetesSchemas, checkIdentity, checkKarpenterWiring, checkMaxPods, checkLoadBalancerSubnets, checkNodeIpLimits, checkPodSubnetSizing, checkSecurity, lintWorkloads };

/** What the checks need besides the model: controllers deployed elsewhere, and which Helm charts the engine models. */
export interface CheckOptions {
  readonly assume?: readonly AssumedController[];
  /** Whether the engine's chart table models a release; without it, Helm releases are not checked. */
  readonly isModelledChart?: (release: HelmReleaseModel) => boolean;
}

/** The checks that need only the synthesized assembly (`eksplan check`). */
export function checkAssembly(model: ClusterModel, options: CheckOptions = {}): Finding[] {
  return sortFindings([
    ...checkControllers(model, options.assume),
    ...(options.isModelledChart ? checkHelmCharts(model, options.isModelledChart) : []),
    ...checkMaxPods(model),
    ...checkAmiTypes(model),
    ...checkKarpenterWiring(model),
    ...checkIdentity(model),
    ...checkLoadBalancerSubnets(model),
    ...checkAddonVersions(model),
    ...checkKubernetesSchemas(model),
    ...checkSecurity(model),
    ...lintWorkloads(model),
  ]);
}

/** Assembly checks plus those that need a simulation result (subnet sizing at the peak). */
export function checkPlan(model: ClusterModel, result: SimulationResult, options: CheckOptions = {}): Finding[] {
  return sortFindings([...checkAssembly(model, options), ...checkPodSubnetSizing(model, result), ...checkNodeIpLimits(result)]);
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code) || a.object.localeCompare(b.object) || a.message.localeCompare(b.message));
}

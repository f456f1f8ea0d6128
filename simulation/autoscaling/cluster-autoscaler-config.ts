import type { ClusterModel, NodeGroupModel } from '../model/cluster';
import { clusterAutoscalerGroups, type UnmanagedGroup } from '../model/cluster-autoscaler-settings';
import type { ControllerSettings } from '../model/scenario';

// The Cluster Autoscaler the platform runs: the settings its flags give (over the scenario's defaults; what a
// scenario sets explicitly wins, as a what-if), and the node groups it manages: those its --nodes flags name or
// its --node-group-auto-discovery tags find. A group it does not find keeps its desired size, as in the real
// cluster.

export type CaScenarioSettings = ControllerSettings['clusterAutoscaler'];

export interface CaRuntime {
  readonly settings: CaScenarioSettings;
  /** The node groups it manages (with `--nodes` bounds applied). */
  readonly groups: readonly NodeGroupModel[];
  readonly unmanaged: readonly UnmanagedGroup[];
}

/** The Cluster Autoscaler's settings and node groups for this model. Pure. */
export function clusterAutoscalerRuntime(model: ClusterModel, scenario: CaScenarioSettings): CaRuntime {
  const deployed = model.clusterAutoscalerSettings;
  if (!deployed) return { settings: scenario, groups: model.nodeGroups, unmanaged: [] };
  const explicit = new Set(scenario.explicit ?? []);
  const pick = <T>(key: string, flag: T | undefined, fallback: T): T => (explicit.has(key) || flag === undefined ? fallback : flag);
  const settings: CaScenarioSettings = {
    ...scenario,
    expander: pick('expander', deployed.expander, scenario.expander),
    balanceSimilarNodeGroups: pick('balanceSimilarNodeGroups', deployed.balanceSimilarNodeGroups, scenario.balanceSimilarNodeGroups),
    priorities: pick('priorities', deployed.priorities, scenario.priorities),
    scanIntervalSeconds: pick('scanInterval', deployed.scanIntervalSeconds, scenario.scanIntervalSeconds),
    scaleDownUtilizationThreshold: pick('scaleDownUtilizationThreshold', deployed.scaleDownUtilizationThreshold, scenario.scaleDownUtilizationThreshold),
    scaleDownUnneededSeconds: pick('scaleDownUnneededTime', deployed.scaleDownUnneededSeconds, scenario.scaleDownUnneededSeconds),
    scaleDownDelayAfterAddSeconds: pick('scaleDownDelayAfterAdd', deployed.scaleDownDelayAfterAddSeconds, scenario.scaleDownDelayAfterAddSeconds),
    scaleDownEnabled: deployed.scaleDownEnabled ?? scenario.scaleDownEnabled,
  };
  const { groups, unmanaged } = clusterAutoscalerGroups(model);
  return { settings, groups, unmanaged };
}

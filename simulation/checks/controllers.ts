import type { ClusterModel } from '../model/cluster';
import { deployedControllers, scalableNodeGroups } from '../model/controllers';
import type { Finding } from '../model/result';
import type { AssumedController } from '../model/scenario';
import { clusterAutoscalerGroups } from '../model/cluster-autoscaler-settings';

// Autoscaling needs its controller in the cluster: the HPA controller (kube-controller-manager) reads resource
// metrics from the metrics.k8s.io API, which only metrics-server (or an adapter) serves; an Auto Scaling group's
// desired size changes only when the Cluster Autoscaler (kubernetes/autoscaler cluster-autoscaler) sets it; a
// NodePool launches nodes only when the Karpenter controller runs. Each missing one is reported here, and the
// engine does not run it (simulation/engine/simulate.ts).

export function checkControllers(model: ClusterModel, assume: readonly AssumedController[] = []): Finding[] {
  const deployed = deployedControllers(model, assume);
  const findings: Finding[] = [];
  if (!deployed.metricsApi) {
    for (const hpa of model.hpas) {
      findings.push({
        severity: 'warning', code: 'hpa-no-metrics-api', object: `HorizontalPodAutoscaler ${hpa.namespace}/${hpa.name}`,
        message: `HorizontalPodAutoscaler ${hpa.namespace}/${hpa.name} cannot scale: no metrics API in the assembly (no metrics-server chart, Deployment or EKS add-on); it holds its target between minReplicas and maxReplicas`,
        fix: 'deploy metrics-server (the EKS metrics-server add-on or its Helm chart), or say `assume: [metrics-server]` in the scenario when it is installed elsewhere',
      });
    }
  }
  if (!deployed.clusterAutoscaler) {
    for (const name of scalableNodeGroups(model)) {
      const group = model.nodeGroups.find((g) => g.name === name);
      if (!group) continue;
      findings.push({
        severity: 'warning', code: 'nodegroup-no-cluster-autoscaler', object: `NodeGroup ${name}`,
        message: `node group ${name} can scale (min ${group.minSize}, desired ${group.desiredSize}, max ${group.maxSize}) but no Cluster Autoscaler is deployed; it stays at ${group.desiredSize} node(s)`,
        fix: 'deploy the cluster-autoscaler chart (with auto-discovery of this group), or set minSize = desiredSize = maxSize, or say `assume: [cluster-autoscaler]` in the scenario when it runs elsewhere',
      });
    }
  }
  else {
    // A deployed Cluster Autoscaler scales only the groups its --nodes flags name or its auto-discovery tags find.
    for (const { group, reason } of clusterAutoscalerGroups(model).unmanaged) {
      const g = model.nodeGroups.find((n) => n.name === group);
      findings.push({
        severity: 'warning', code: 'nodegroup-not-discovered', object: `NodeGroup ${group}`,
        message: `node group ${group} can scale (min ${g?.minSize}, desired ${g?.desiredSize}, max ${g?.maxSize}) but the Cluster Autoscaler does not manage it: ${reason}; it stays at ${g?.desiredSize} node(s)`,
        fix: 'set the chart\'s autoDiscovery.clusterName to this cluster\'s name (or Ref), tag the Auto Scaling group with the discovery tags, or list it with --nodes',
      });
    }
  }
  if (!deployed.karpenter && model.nodePools.length > 0) {
    findings.push({
      severity: 'warning', code: 'nodepool-no-karpenter', object: `NodePool ${model.nodePools.map((p) => p.name).join(', ')}`,
      message: 'no Karpenter controller is deployed (no karpenter chart or controller Deployment), so these NodePools launch no nodes',
      fix: 'deploy the Karpenter chart, or say `assume: [karpenter]` in the scenario when it is installed elsewhere',
    });
  }
  return findings;
}

import { EksplanError } from '../model/errors';

// The kinds each built-in API group version serves (Kubernetes API reference, v1.34), plus Karpenter v1.
// An object of a built-in group with another kind, or a removed apiVersion of a known kind, would be refused
// by the API server at deploy time, so it is refused here. Custom resources of other groups pass through.
const GROUP_KINDS: Record<string, readonly string[]> = {
  v1: ['Pod', 'Service', 'ServiceAccount', 'ConfigMap', 'Secret', 'Namespace', 'PersistentVolumeClaim', 'PersistentVolume', 'LimitRange', 'ResourceQuota', 'Endpoints', 'Node', 'Event', 'ReplicationController', 'List'],
  'apps/v1': ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
  'batch/v1': ['Job', 'CronJob'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'policy/v1': ['PodDisruptionBudget'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'storage.k8s.io/v1': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'karpenter.sh/v1': ['NodePool', 'NodeClaim'],
  'karpenter.k8s.aws/v1': ['EC2NodeClass'],
};

/** API versions that served a kind once and were removed (Kubernetes deprecated API migration guide). */
const REMOVED: Record<string, string> = {
  'extensions/v1beta1': 'apps/v1 or networking.k8s.io/v1', 'apps/v1beta1': 'apps/v1', 'apps/v1beta2': 'apps/v1', 'policy/v1beta1': 'policy/v1',
  'autoscaling/v2beta1': 'autoscaling/v2', 'autoscaling/v2beta2': 'autoscaling/v2', 'batch/v1beta1': 'batch/v1', 'networking.k8s.io/v1beta1': 'networking.k8s.io/v1',
  'karpenter.sh/v1beta1': 'karpenter.sh/v1', 'karpenter.sh/v1alpha5': 'karpenter.sh/v1', 'karpenter.k8s.aws/v1beta1': 'karpenter.k8s.aws/v1',
};

export function checkKind(apiVersion: string, kind: string, input: string, field: string): void {
  if (apiVersion in REMOVED) {
    throw new EksplanError(`${kind}: apiVersion ${apiVersion} is no longer served; use ${REMOVED[apiVersion]}`, { input, field: `${field}.apiVersion` });
  }
  const kinds = GROUP_KINDS[apiVersion];
  if (kinds && !kinds.includes(kind)) {
    throw new EksplanError(`unknown kind ${kind} for apiVersion ${apiVersion}; it serves ${kinds.join(', ')}`, { input, field: `${field}.kind` });
  }
}

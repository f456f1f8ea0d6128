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

// kind is a CamelCase identifier and apiVersion `[group/]version` (k8s.io/apimachinery pkg/runtime/schema, and
// the CRD validation of spec.names.kind and spec.group); anything else cannot be served.
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const API_VERSION = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v\d+((alpha|beta)\d+)?$/;

export function checkKind(apiVersion: string, kind: string, input: string, field: string): void {
  if (!API_VERSION.test(apiVersion) || apiVersion.length > 253) {
    throw new EksplanError(`apiVersion '${printableName(apiVersion)}' is not a Kubernetes API version like apps/v1`, { input, field: `${field}.apiVersion` });
  }
  if (!KIND.test(kind)) throw new EksplanError(`kind '${printableName(kind)}' is not a Kubernetes kind like Deployment`, { input, field: `${field}.kind` });
  // Own keys only: an apiVersion of 'constructor' or '__proto__' must not find Object.prototype's members.
  if (Object.hasOwn(REMOVED, apiVersion)) {
    throw new EksplanError(`${printableName(kind)}: apiVersion ${apiVersion} is no longer served; use ${REMOVED[apiVersion]}`, { input, field: `${field}.apiVersion` });
  }
  const kinds = Object.hasOwn(GROUP_KINDS, apiVersion) ? GROUP_KINDS[apiVersion] : undefined;
  if (kinds && !kinds.includes(kind)) {
    throw new EksplanError(`unknown kind ${printableName(kind)} for apiVersion ${apiVersion}; it serves ${kinds.join(', ')}`, { input, field: `${field}.kind` });
  }
}

// Object names as the API server validates them (k8s.io/apimachinery pkg/util/validation/validation.go:
// IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label; pkg/api/validation/path/name.go: IsValidPathSegmentName).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
type NameRule = 'label' | 'subdomain' | 'dns1035' | 'path-segment';
const NAME_RULE_TEXT: Record<NameRule, string> = {
  label: 'a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit',
  subdomain: 'a DNS-1123 subdomain: at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit',
  dns1035: 'a DNS-1035 label: at most 63 lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit',
  'path-segment': 'a path segment: not \'.\' or \'..\', without \'/\' or \'%\', at most 253 characters',
};

/**
 * The rule for a kind's metadata.name (pkg/apis/core/validation/validation.go: ValidateNamespaceName is a
 * DNS-1123 label, ValidateServiceName a DNS-1035 label; pkg/apis/rbac/validation: ValidateRBACName a path
 * segment; every other built-in kind and custom resources use NameIsDNSSubdomain).
 */
function nameRule(apiVersion: string, kind: string): NameRule {
  if (apiVersion === 'v1' && kind === 'Namespace') return 'label';
  if (apiVersion === 'v1' && kind === 'Service') return 'dns1035';
  if (apiVersion.startsWith('rbac.authorization.k8s.io/')) return 'path-segment';
  return 'subdomain';
}

// A name CloudFormation resolves at deploy time (`${Token[Ref:Param]}`) is judged on its literal parts only.
const TOKEN = /\$\{Token\[[A-Za-z0-9:._-]{1,255}\]\}/g;

function isValidName(raw: string, rule: NameRule): boolean {
  const name = raw.replace(TOKEN, 'x');
  switch (rule) {
    case 'label': return name.length <= 63 && DNS1123_LABEL.test(name);
    case 'dns1035': return name.length <= 63 && DNS1035_LABEL.test(name);
    case 'subdomain': return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    case 'path-segment': return name.length <= 253 && name !== '.' && name !== '..' && !/[/%]/.test(name) && !/[\u0000-\u001f\u007f-\u009f]/.test(name);
  }
}

/** A name from the input for an error message: control characters and non-ASCII shown as `?`, long names cut. */
export function printableName(name: string): string {
  const clean = name.slice(0, 80).replace(/[^\x20-\x7e]/g, '?');
  return name.length > 80 ? `${clean}... (${name.length} characters)` : clean;
}

/** Refuses metadata.name and metadata.namespace values the API server would refuse. */
export function checkObjectName(apiVersion: string, kind: string, metadata: Record<string, unknown>, input: string, field: string): void {
  const name = metadata.name as string;
  const rule = nameRule(apiVersion, kind);
  if (!isValidName(name, rule)) {
    throw new EksplanError(`${printableName(kind)} name '${printableName(name)}' is not valid: it must be ${NAME_RULE_TEXT[rule]}`, { input, field: `${field}.metadata.name` });
  }
  const namespace = metadata.namespace;
  if (namespace === undefined || namespace === null) return;
  if (typeof namespace !== 'string' || !isValidName(namespace, 'label')) {
    throw new EksplanError(`${printableName(kind)} ${printableName(name)}: namespace '${printableName(String(namespace))}' is not valid: it must be ${NAME_RULE_TEXT.label}`, { input, field: `${field}.metadata.namespace` });
  }
}

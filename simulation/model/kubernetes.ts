// Kubernetes JSON shapes (the subset the simulation reads), so users can feed real objects.
// Field names follow the upstream API (k8s.io/api/core/v1, apps/v1, autoscaling/v2, policy/v1, ...).
/* eslint-disable @typescript-eslint/no-explicit-any */

export type Quantity = string | number;
export type ResourceMap = Record<string, Quantity>;

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid?: string; controller?: boolean }[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}
export interface NodeSelector { nodeSelectorTerms: NodeSelectorTerm[] }
export interface PreferredSchedulingTerm { weight: number; preference: NodeSelectorTerm }
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}
export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}
export interface WeightedPodAffinityTerm { weight: number; podAffinityTerm: PodAffinityTerm }
export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}
export interface Affinity {
  nodeAffinity?: NodeAffinity;
  podAffinity?: PodAffinity;
  podAntiAffinity?: PodAffinity;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
export interface Taint { key: string; value?: string; effect: TaintEffect }
export interface Toleration {
  key?: string;
  /** Lt/Gt compare integers (feature gate TaintTolerationComparisonOperators, alpha in 1.35). */
  operator?: 'Exists' | 'Equal' | 'Lt' | 'Gt';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

export interface ResourceRequirements { requests?: ResourceMap; limits?: ResourceMap }
export interface ContainerPort { containerPort: number; hostPort?: number; protocol?: string; hostIP?: string; name?: string }
export interface Probe { [key: string]: unknown }
export interface Container {
  name: string;
  image?: string;
  resources?: ResourceRequirements;
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: {
    privileged?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
  };
  restartPolicy?: 'Always';
  [key: string]: unknown;
}
export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  [key: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  overhead?: ResourceMap;
  runtimeClassName?: string;
  schedulerName?: string;
  serviceAccountName?: string;
  hostNetwork?: boolean;
  volumes?: Volume[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; [key: string]: unknown };
  terminationGracePeriodSeconds?: number;
  [key: string]: unknown;
}

export interface PodTemplateSpec { metadata?: ObjectMeta; spec: PodSpec }

export interface Pod extends KubernetesObject {
  kind: 'Pod';
  spec: PodSpec;
  status?: { phase?: string; nominatedNodeName?: string; conditions?: { type: string; status: string; reason?: string }[] };
}

export interface Node extends KubernetesObject {
  kind: 'Node';
  spec: { unschedulable?: boolean; taints?: Taint[]; providerID?: string };
  status: { capacity: ResourceMap; allocatable: ResourceMap; conditions?: { type: string; status: string }[] };
}

/** A workload controller with a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job). */
export interface WorkloadObject extends KubernetesObject {
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template: PodTemplateSpec;
    parallelism?: number;
    completions?: number;
    volumeClaimTemplates?: KubernetesObject[];
    serviceName?: string;
    [key: string]: unknown;
  };
}

export interface MetricTarget { type: 'Utilization' | 'Value' | 'AverageValue'; averageUtilization?: number; averageValue?: Quantity; value?: Quantity }
export interface MetricSpec {
  type: 'Resource' | 'Pods' | 'Object' | 'External' | 'ContainerResource';
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; container: string; target: MetricTarget };
  pods?: { metric: { name: string; selector?: LabelSelector }; target: MetricTarget };
  object?: { metric: { name: string }; describedObject: { apiVersion?: string; kind: string; name: string }; target: MetricTarget };
  external?: { metric: { name: string; selector?: LabelSelector }; target: MetricTarget };
}
export interface HpaScalingPolicy { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }
export interface HpaScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: HpaScalingPolicy[];
  tolerance?: Quantity;
}
export interface HorizontalPodAutoscaler extends KubernetesObject {
  kind: 'HorizontalPodAutoscaler';
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: MetricSpec[];
    behavior?: { scaleUp?: HpaScalingRules; scaleDown?: HpaScalingRules };
  };
}

export interface PodDisruptionBudget extends KubernetesObject {
  kind: 'PodDisruptionBudget';
  spec: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
}

// Karpenter v1 (karpenter.sh/v1 NodePool, karpenter.k8s.aws/v1 EC2NodeClass).
export interface NodePoolRequirement extends NodeSelectorRequirement { minValues?: number }
export interface DisruptionBudget { nodes: string; schedule?: string; duration?: string; reasons?: string[] }
export interface KarpenterNodePool extends KubernetesObject {
  apiVersion: 'karpenter.sh/v1';
  kind: 'NodePool';
  spec: {
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        nodeClassRef: { group: string; kind: string; name: string };
        requirements?: NodePoolRequirement[];
        taints?: Taint[];
        startupTaints?: Taint[];
        expireAfter?: string;
        terminationGracePeriod?: string;
      };
    };
    disruption?: {
      consolidationPolicy?: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
      consolidateAfter?: string;
      budgets?: DisruptionBudget[];
    };
    limits?: ResourceMap;
    weight?: number;
  };
}
export interface KarpenterEc2NodeClass extends KubernetesObject {
  apiVersion: 'karpenter.k8s.aws/v1';
  kind: 'EC2NodeClass';
  spec: {
    amiSelectorTerms?: { alias?: string; id?: string; tags?: Record<string, string>; name?: string }[];
    amiFamily?: string;
    role?: string;
    instanceProfile?: string;
    subnetSelectorTerms?: { tags?: Record<string, string>; id?: string }[];
    securityGroupSelectorTerms?: { tags?: Record<string, string>; id?: string; name?: string }[];
    metadataOptions?: { httpEndpoint?: string; httpPutResponseHopLimit?: number; httpTokens?: string; httpProtocolIPv6?: string };
    blockDeviceMappings?: { deviceName: string; rootVolume?: boolean; ebs?: { volumeSize?: string; volumeType?: string; encrypted?: boolean; iops?: number; throughput?: number } }[];
    kubelet?: {
      maxPods?: number;
      podsPerCore?: number;
      kubeReserved?: ResourceMap;
      systemReserved?: ResourceMap;
      evictionHard?: Record<string, string>;
      evictionSoft?: Record<string, string>;
      clusterDNS?: string[];
    };
    associatePublicIPAddress?: boolean;
    tags?: Record<string, string>;
  };
}

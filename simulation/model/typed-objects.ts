import { parseDurationSeconds } from './duration';
import { EksplanError } from './errors';
import type {
  DisruptionBudget, HorizontalPodAutoscaler, HpaScalingRules, KarpenterEc2NodeClass, KarpenterNodePool, KubernetesObject, LabelSelector,
  MetricSpec, NodePoolRequirement, NodeSelector, PodDisruptionBudget, ResourceMap, Taint,
} from './kubernetes';
import { parseBytes, parseMilliCpu, parseQuantity } from './quantity';
import { clusterAutoscalerSettingsOf, type ClusterAutoscalerSettingsModel } from './cluster-autoscaler-settings';
import type { ClusterModel, HelmReleaseModel, KubernetesObjectWithSource, SourceRef } from './cluster';

// Typed entries for the Kubernetes and Karpenter objects the simulation acts on, derived once from the raw
// objects (assembly reader, manifests, what-if variants). Consumers read these, never raw objects, so a
// quantity or a duration is parsed in one place with one error message.

/** karpenter.sh/v1 NodePool, defaulted as the v1 CRD defaults it (karpenter `pkg/apis/v1/nodepool.go`). */
export interface NodePoolModel {
  readonly name: string;
  /** Higher weight is tried first (karpenter.sh/v1 `spec.weight`, 0 when unset). */
  readonly weight: number;
  readonly nodeClassRef?: { readonly group?: string; readonly kind?: string; readonly name?: string };
  readonly requirements: readonly NodePoolRequirement[];
  /** `spec.template.metadata.labels`: put on every node. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  /** `spec.limits`, parsed: absent fields are unlimited. */
  readonly limits: { readonly milliCpu?: number; readonly memoryBytes?: number; readonly nodes?: number; readonly other: Readonly<Record<string, number>> };
  /** v1 default WhenEmptyOrUnderutilized. */
  readonly consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
  /** Seconds; Infinity for `Never`. v1 default 0s. */
  readonly consolidateAfterSeconds: number;
  /** v1 default: one budget of `nodes: 10%`. */
  readonly budgets: readonly DisruptionBudgetModel[];
  /** Seconds; Infinity for `Never`. v1 default 720h. */
  readonly expireAfterSeconds: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly object: KarpenterNodePool;
  readonly source: SourceRef;
}

export interface DisruptionBudgetModel {
  /** `10%` or `5`. */
  readonly nodes: string;
  /** Empty: every reason (Empty, Drifted, Underutilized). */
  readonly reasons: readonly string[];
  /** Cron schedule (UTC) of the window in which the budget applies; absent: always. */
  readonly schedule?: string;
  /** Length of the window in seconds (required with `schedule`). */
  readonly durationSeconds?: number;
}

export type AmiFamily = 'AL2023' | 'AL2' | 'Bottlerocket' | 'Windows2019' | 'Windows2022' | 'Windows2025' | 'Custom';

export interface ReservedResources { readonly milliCpu?: number; readonly memoryBytes?: number; readonly ephemeralStorageBytes?: number }

/** karpenter.k8s.aws/v1 EC2NodeClass (aws/karpenter-provider-aws `pkg/apis/v1/ec2nodeclass.go`). */
export interface Ec2NodeClassModel {
  readonly name: string;
  /** From `amiSelectorTerms[].alias` (`al2023@latest` → AL2023) or `amiFamily`; Custom when neither says. */
  readonly amiFamily: AmiFamily;
  readonly amiAlias?: string;
  readonly kubelet: {
    readonly maxPods?: number;
    readonly podsPerCore?: number;
    readonly kubeReserved: ReservedResources;
    readonly systemReserved: ReservedResources;
    /** Signal → threshold as written (`memory.available: 100Mi` or `5%`). */
    readonly evictionHard: Readonly<Record<string, string>>;
    readonly evictionSoft: Readonly<Record<string, string>>;
  };
  /** The root volume (the mapping with rootVolume: true, else the first), exact bytes. */
  readonly rootVolume?: { readonly sizeBytes: number; readonly volumeType: string; readonly encrypted?: boolean };
  readonly role?: string;
  readonly instanceProfile?: string;
  readonly subnetSelectorTerms: readonly { readonly tags?: Record<string, string>; readonly id?: string }[];
  readonly securityGroupSelectorTerms: readonly { readonly tags?: Record<string, string>; readonly id?: string; readonly name?: string }[];
  readonly metadataOptions?: { readonly httpEndpoint?: string; readonly httpPutResponseHopLimit?: number; readonly httpTokens?: string };
  readonly object: KarpenterEc2NodeClass;
  readonly source: SourceRef;
}

/** policy/v1 PodDisruptionBudget. */
export interface PodDisruptionBudgetModel {
  readonly name: string;
  readonly namespace: string;
  /** Absent selector: selects nothing in policy/v1. */
  readonly selector?: LabelSelector;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
  readonly unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  readonly source: SourceRef;
}

/** A metric target with its quantities parsed once (milli-units, as the HPA controller computes). */
export interface HpaMetricModel {
  readonly spec: MetricSpec;
  readonly type: MetricSpec['type'];
  /** Resource or metric name (`cpu`, `memory`, `requests_per_second`). */
  readonly name: string;
  readonly container?: string;
  readonly targetType: 'Utilization' | 'Value' | 'AverageValue';
  readonly averageUtilization?: number;
  /** Milli-units (a CPU of `500m` is 500; `1k` requests is 1,000,000). */
  readonly averageValueMilli?: number;
  readonly valueMilli?: number;
}

/** autoscaling/v2 HorizontalPodAutoscaler, defaulted as the API server defaults it. */
export interface HpaModel {
  readonly name: string;
  readonly namespace: string;
  readonly target: { readonly apiVersion?: string; readonly kind: string; readonly name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** autoscaling/v2 defaulting: no metrics means CPU at 80% utilization (pkg/apis/autoscaling/v2/defaults.go). */
  readonly metrics: readonly HpaMetricModel[];
  readonly behavior?: { readonly scaleUp?: HpaScalingRules; readonly scaleDown?: HpaScalingRules };
  /** Per-direction tolerances (`behavior.scaleUp/scaleDown.tolerance`), as fractions, when set. */
  readonly tolerance: { readonly scaleUp?: number; readonly scaleDown?: number };
  readonly object: HorizontalPodAutoscaler;
  readonly source: SourceRef;
}

/** A storage class (parameters decide the EBS volume type). */
export interface StorageClassModel {
  readonly name: string;
  readonly provisioner: string;
  /** EBS volume type (`gp3`, `gp2`, `io2`, ...) from `parameters.type`; the in-tree default is gp2, the CSI default gp3. */
  readonly volumeType: string;
  readonly isDefault: boolean;
  readonly volumeBindingMode: 'Immediate' | 'WaitForFirstConsumer';
  readonly source: SourceRef;
}

/** A PersistentVolumeClaim, standalone or a StatefulSet's volumeClaimTemplate (one volume per replica). */
export interface VolumeClaimModel {
  /** `PersistentVolumeClaim ns/name`, or `StatefulSet ns/name` for a template. */
  readonly owner: string;
  readonly namespace: string;
  readonly name: string;
  readonly storageClassName?: string;
  readonly requestBytes: number;
  /** True for a StatefulSet template: one volume per replica. */
  readonly perReplica: boolean;
  readonly source: SourceRef;
}

/**
 * Karpenter's provisioning batch windows when the chart sets none (karpenter pkg/operator/options/options.go:
 * BATCH_IDLE_DURATION 1s, BATCH_MAX_DURATION 10s), in seconds; the one place eksplan keeps them.
 */
export const KARPENTER_BATCH_DEFAULTS = { idleSeconds: 1, maxSeconds: 10 } as const;

/** Karpenter's controller settings from the chart values the assembly deploys (karpenter chart `settings.*`). */
export interface KarpenterSettingsModel {
  /** The Helm release that sets them. */
  readonly release: string;
  readonly version?: string;
  /** `settings.batchIdleDuration`, default 1s (karpenter `pkg/operator/options/options.go`). */
  readonly batchIdleSeconds: number;
  /** `settings.batchMaxDuration`, default 10s. */
  readonly batchMaxSeconds: number;
  /** `settings.featureGates.*`. */
  readonly featureGates: { readonly spotToSpotConsolidation: boolean; readonly nodeRepair: boolean; readonly reservedCapacity: boolean };
  /** `settings.reservedENIs`, default 0: ENIs kept out of Karpenter's max-pods computation. */
  readonly reservedENIs: number;
  readonly source?: SourceRef;
}

/** resource.k8s.io DeviceClass: the extended resource it backs (KEP-5004) and its CEL selectors. */
export interface DeviceClassModel {
  readonly name: string;
  /** `spec.extendedResourceName`. */
  readonly extendedResourceName?: string;
  readonly selectors: readonly { readonly cel?: { readonly expression: string } }[];
  readonly source: SourceRef;
}

/** A device of a ResourceSlice (resource.k8s.io/v1 Device; v1beta1's `basic` flattened). */
export interface DeviceModel {
  readonly name: string;
  readonly nodeName?: string;
  readonly allNodes?: boolean;
  readonly nodeSelector?: NodeSelector;
  readonly attributes?: Readonly<Record<string, DeviceAttributeModel>>;
  /** Capacity per name, as quantities (`16Gi`). */
  readonly capacity?: Readonly<Record<string, { readonly value: string }>>;
}

/** A typed device attribute (resource.k8s.io/v1 DeviceAttribute). */
export interface DeviceAttributeModel {
  readonly string?: string;
  readonly int?: number;
  readonly bool?: boolean;
  readonly version?: string;
}

/** resource.k8s.io ResourceSlice: a driver's devices and the node(s) they are on. */
export interface ResourceSliceModel {
  readonly name: string;
  readonly driver: string;
  readonly pool?: string;
  readonly nodeName?: string;
  readonly allNodes?: boolean;
  readonly nodeSelector?: NodeSelector;
  readonly perDeviceNodeSelection?: boolean;
  readonly devices: readonly DeviceModel[];
  readonly source: SourceRef;
}

/** An object the typed model could not read: the error names the file, the object and the field. */
export interface InvalidObject {
  readonly message: string;
  readonly input?: string;
  readonly field?: string;
}

/** Every typed entry derived from raw objects. */
export interface TypedObjects {
  /**
   * Objects left out of the typed entries because a field is invalid. Every command that plans or checks
   * refuses them as bad input (`validateModel`); `eksplan validate` lists its schema findings for them instead.
   */
  readonly invalidObjects: readonly InvalidObject[];
  readonly nodePools: readonly NodePoolModel[];
  readonly nodeClasses: readonly Ec2NodeClassModel[];
  readonly pdbs: readonly PodDisruptionBudgetModel[];
  readonly hpas: readonly HpaModel[];
  readonly storageClasses: readonly StorageClassModel[];
  readonly volumeClaims: readonly VolumeClaimModel[];
  readonly deviceClasses: readonly DeviceClassModel[];
  readonly resourceSlices: readonly ResourceSliceModel[];
  readonly karpenterSettings?: KarpenterSettingsModel;
  /** The deployed Cluster Autoscaler's flags and priority ConfigMap, when one is deployed. */
  readonly clusterAutoscalerSettings?: ClusterAutoscalerSettingsModel;
}

const DEFAULT_BUDGETS: readonly DisruptionBudgetModel[] = Object.freeze([{ nodes: '10%', reasons: [] }]);
const DEFAULT_EXPIRE_AFTER_SECONDS = 720 * 3600;

/** Derives the typed entries from raw objects and Helm releases. Throws EksplanError naming the object and field. */
export function typedObjects(objects: readonly KubernetesObjectWithSource[], helmReleases: readonly HelmReleaseModel[] = []): TypedObjects {
  const nodePools: NodePoolModel[] = [];
  const nodeClasses: Ec2NodeClassModel[] = [];
  const pdbs: PodDisruptionBudgetModel[] = [];
  const hpas: HpaModel[] = [];
  const storageClasses: StorageClassModel[] = [];
  const volumeClaims: VolumeClaimModel[] = [];
  const deviceClasses: DeviceClassModel[] = [];
  const resourceSlices: ResourceSliceModel[] = [];
  const invalidObjects: InvalidObject[] = [];
  for (const { object, source } of objects) {
    try {
      addTyped(object, source);
    } catch (error) {
      if (!(error instanceof EksplanError)) throw error;
      invalidObjects.push({ message: error.message, input: error.input, field: error.field });
    }
  }
  let karpenterSettings: KarpenterSettingsModel | undefined;
  try {
    karpenterSettings = karpenterSettingsOf(helmReleases);
  } catch (error) {
    if (!(error instanceof EksplanError)) throw error;
    invalidObjects.push({ message: error.message, input: error.input, field: error.field });
  }
  let clusterAutoscalerSettings: ClusterAutoscalerSettingsModel | undefined;
  try {
    clusterAutoscalerSettings = clusterAutoscalerSettingsOf(objects, helmReleases);
  } catch (error) {
    if (!(error instanceof EksplanError)) throw error;
    invalidObjects.push({ message: error.message, input: error.input, field: error.field });
  }
  return { invalidObjects, nodePools, nodeClasses, pdbs, hpas, storageClasses, volumeClaims, deviceClasses, resourceSlices, karpenterSettings, clusterAutoscalerSettings };

  function addTyped(object: KubernetesObject, source: SourceRef): void {
    switch (object.kind) {
      case 'NodePool': if (object.apiVersion.startsWith('karpenter.sh/')) nodePools.push(nodePoolOf(object as KarpenterNodePool, source)); break;
      case 'EC2NodeClass': nodeClasses.push(nodeClassOf(object as KarpenterEc2NodeClass, source)); break;
      case 'PodDisruptionBudget': pdbs.push(pdbOf(object as PodDisruptionBudget, source)); break;
      case 'HorizontalPodAutoscaler': hpas.push(hpaOf(object as HorizontalPodAutoscaler, source)); break;
      case 'StorageClass': storageClasses.push(storageClassOf(object, source)); break;
      case 'DeviceClass': if (object.apiVersion.startsWith('resource.k8s.io/')) deviceClasses.push(deviceClassOf(object, source)); break;
      case 'ResourceSlice': if (object.apiVersion.startsWith('resource.k8s.io/')) resourceSlices.push(resourceSliceOf(object, source)); break;
      case 'PersistentVolumeClaim': volumeClaims.push(claimOf(object, source, `PersistentVolumeClaim ${namespaceOf(object)}/${object.metadata.name}`, false, 'spec')); break;
      case 'StatefulSet': {
        const templates: unknown = object.spec?.volumeClaimTemplates;
        if (Array.isArray(templates)) {
          templates.forEach((template: KubernetesObject, i) => volumeClaims.push(claimOf({ ...template, metadata: { ...(template?.metadata ?? {}), namespace: namespaceOf(object) } }, source,
            `StatefulSet ${namespaceOf(object)}/${object.metadata.name}`, true, `spec.volumeClaimTemplates[${i}].spec`)));
        }
        break;
      }
      default: break;
    }
  }
}

/** Throws the first invalid object's error (the commands that plan or check refuse bad objects). */
export function assertTypedObjectsValid(typed: Pick<TypedObjects, 'invalidObjects'>): void {
  const first = typed.invalidObjects[0];
  if (first) throw new EksplanError(first.message);
}

function namespaceOf(object: KubernetesObject): string {
  return object.metadata.namespace ?? 'default';
}

function where(source: SourceRef, object: KubernetesObject): { input: string } {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return { input: `${source.file}: ${object.kind} ${ns}${object.metadata.name}` };
}

function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(recordOf(value))) out[k] = String(v);
  return out;
}

function duration(value: unknown, fallback: number, at: { input: string; field: string }): number {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string' && typeof value !== 'number') throw new EksplanError(`must be a duration like 30s or Never, got ${JSON.stringify(value)}`, at);
  return parseDurationSeconds(value, at);
}

function nodePoolOf(pool: KarpenterNodePool, source: SourceRef): NodePoolModel {
  const at = where(source, pool);
  const spec = recordOf(pool.spec);
  const template = recordOf(recordOf(spec.template).spec);
  const disruption = recordOf(spec.disruption);
  const weight = spec.weight === undefined ? 0 : spec.weight;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100) {
    throw new EksplanError(`weight must be an integer from 0 to 100, got ${JSON.stringify(weight)}`, { ...at, field: 'spec.weight' });
  }
  const limits = limitsOf(recordOf(spec.limits), at);
  const policy = disruption.consolidationPolicy ?? 'WhenEmptyOrUnderutilized';
  if (policy !== 'WhenEmpty' && policy !== 'WhenEmptyOrUnderutilized') {
    throw new EksplanError(`must be WhenEmpty or WhenEmptyOrUnderutilized, got ${JSON.stringify(policy)}`, { ...at, field: 'spec.disruption.consolidationPolicy' });
  }
  const budgets = Array.isArray(disruption.budgets)
    ? (disruption.budgets as DisruptionBudget[]).map((b, i) => budgetOf(b, { ...at, field: `spec.disruption.budgets[${i}]` }))
    : DEFAULT_BUDGETS;
  const requirements = Array.isArray(template.requirements) ? (template.requirements as NodePoolRequirement[]) : [];
  const ref = recordOf(template.nodeClassRef);
  return {
    name: String(pool.metadata.name),
    weight,
    nodeClassRef: template.nodeClassRef === undefined ? undefined : { group: optionalString(ref.group), kind: optionalString(ref.kind), name: optionalString(ref.name) },
    requirements,
    labels: stringRecord(recordOf(recordOf(spec.template).metadata).labels),
    taints: Array.isArray(template.taints) ? (template.taints as Taint[]) : [],
    startupTaints: Array.isArray(template.startupTaints) ? (template.startupTaints as Taint[]) : [],
    limits,
    consolidationPolicy: policy,
    consolidateAfterSeconds: duration(disruption.consolidateAfter, 0, { ...at, field: 'spec.disruption.consolidateAfter' }),
    budgets,
    expireAfterSeconds: duration(template.expireAfter, DEFAULT_EXPIRE_AFTER_SECONDS, { ...at, field: 'spec.template.spec.expireAfter' }),
    terminationGracePeriodSeconds: template.terminationGracePeriod === undefined ? undefined : duration(template.terminationGracePeriod, 0, { ...at, field: 'spec.template.spec.terminationGracePeriod' }),
    object: pool,
    source,
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function limitsOf(limits: Record<string, unknown>, at: { input: string }): NodePoolModel['limits'] {
  const other: Record<string, number> = {};
  let milliCpu: number | undefined;
  let memoryBytes: number | undefined;
  let nodes: number | undefined;
  for (const [name, value] of Object.entries(limits)) {
    const field = `spec.limits.${name}`;
    if (typeof value !== 'string' && typeof value !== 'number') throw new EksplanError(`must be a quantity, got ${JSON.stringify(value)}`, { ...at, field });
    if (name === 'cpu') milliCpu = parseMilliCpu(value, { ...at, field });
    else if (name === 'memory') memoryBytes = parseBytes(value, { ...at, field });
    else if (name === 'nodes') nodes = parseQuantity(value, { ...at, field });
    else other[name] = parseQuantity(value, { ...at, field });
  }
  return { milliCpu, memoryBytes, nodes, other };
}

function budgetOf(budget: DisruptionBudget, at: { input: string; field: string }): DisruptionBudgetModel {
  const nodes = String(budget?.nodes ?? '10%');
  if (!/^(\d+|\d+%)$/.test(nodes)) throw new EksplanError(`nodes must be a count or a percentage like 10%, got ${JSON.stringify(budget?.nodes)}`, { ...at, field: `${at.field}.nodes` });
  if ((budget.schedule === undefined) !== (budget.duration === undefined)) {
    throw new EksplanError('schedule and duration must be set together (karpenter.sh/v1 validation)', { ...at, field: `${at.field}.${budget.schedule === undefined ? 'schedule' : 'duration'}` });
  }
  return {
    nodes,
    reasons: Array.isArray(budget.reasons) ? budget.reasons.map(String) : [],
    ...(budget.schedule !== undefined ? { schedule: String(budget.schedule), durationSeconds: duration(budget.duration, 0, { ...at, field: `${at.field}.duration` }) } : {}),
  };
}

/** The AMI family an alias names (`al2023@latest`, `bottlerocket@v1.20`, `windows2022@latest`). */
function familyOfAlias(alias: string): AmiFamily {
  const family = alias.split('@')[0].toLowerCase();
  const known: Record<string, AmiFamily> = { al2023: 'AL2023', al2: 'AL2', bottlerocket: 'Bottlerocket', windows2019: 'Windows2019', windows2022: 'Windows2022', windows2025: 'Windows2025' };
  return Object.prototype.hasOwnProperty.call(known, family) ? known[family] : 'Custom';
}

function reservedOf(value: unknown, at: { input: string; field: string }): ReservedResources {
  const map = recordOf(value) as ResourceMap;
  const out: { milliCpu?: number; memoryBytes?: number; ephemeralStorageBytes?: number } = {};
  if (map.cpu !== undefined) out.milliCpu = parseMilliCpu(map.cpu, { ...at, field: `${at.field}.cpu` });
  if (map.memory !== undefined) out.memoryBytes = parseBytes(map.memory, { ...at, field: `${at.field}.memory` });
  if (map['ephemeral-storage'] !== undefined) out.ephemeralStorageBytes = parseBytes(map['ephemeral-storage'], { ...at, field: `${at.field}.ephemeral-storage` });
  return out;
}

function nodeClassOf(nodeClass: KarpenterEc2NodeClass, source: SourceRef): Ec2NodeClassModel {
  const at = where(source, nodeClass);
  const spec = recordOf(nodeClass.spec);
  const kubelet = recordOf(spec.kubelet);
  const alias = (Array.isArray(spec.amiSelectorTerms) ? Array.from(spec.amiSelectorTerms) : []).map(recordOf).find((t) => typeof t.alias === 'string')?.alias as string | undefined;
  const declared = typeof spec.amiFamily === 'string' ? spec.amiFamily : undefined;
  const amiFamily: AmiFamily = alias ? familyOfAlias(alias) : declared && ['AL2023', 'AL2', 'Bottlerocket', 'Windows2019', 'Windows2022', 'Windows2025', 'Custom'].includes(declared) ? declared as AmiFamily : 'Custom';
  const intOrUndefined = (value: unknown, field: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new EksplanError(`must be a non-negative integer, got ${JSON.stringify(value)}`, { ...at, field });
    return value;
  };
  const mappings = Array.isArray(spec.blockDeviceMappings) ? Array.from(spec.blockDeviceMappings).map(recordOf) : [];
  const rootIndex = mappings.findIndex((m) => m.rootVolume === true);
  const root = mappings[rootIndex >= 0 ? rootIndex : 0];
  const ebs = recordOf(root?.ebs);
  const rootField = `spec.blockDeviceMappings[${rootIndex >= 0 ? rootIndex : 0}].ebs`;
  const size = ebs.volumeSize;
  const metadata = recordOf(spec.metadataOptions);
  return {
    name: String(nodeClass.metadata.name),
    amiFamily,
    amiAlias: alias,
    kubelet: {
      maxPods: intOrUndefined(kubelet.maxPods, 'spec.kubelet.maxPods'),
      podsPerCore: intOrUndefined(kubelet.podsPerCore, 'spec.kubelet.podsPerCore'),
      kubeReserved: reservedOf(kubelet.kubeReserved, { ...at, field: 'spec.kubelet.kubeReserved' }),
      systemReserved: reservedOf(kubelet.systemReserved, { ...at, field: 'spec.kubelet.systemReserved' }),
      evictionHard: stringRecord(kubelet.evictionHard),
      evictionSoft: stringRecord(kubelet.evictionSoft),
    },
    rootVolume: root && (typeof size === 'string' || typeof size === 'number')
      ? { sizeBytes: parseBytes(size, { ...at, field: `${rootField}.volumeSize` }), volumeType: typeof ebs.volumeType === 'string' ? ebs.volumeType : 'gp3', ...(typeof ebs.encrypted === 'boolean' ? { encrypted: ebs.encrypted } : {}) }
      : undefined,
    role: optionalString(spec.role),
    instanceProfile: optionalString(spec.instanceProfile),
    subnetSelectorTerms: Array.isArray(spec.subnetSelectorTerms) ? (spec.subnetSelectorTerms as Ec2NodeClassModel['subnetSelectorTerms']) : [],
    securityGroupSelectorTerms: Array.isArray(spec.securityGroupSelectorTerms) ? (spec.securityGroupSelectorTerms as Ec2NodeClassModel['securityGroupSelectorTerms']) : [],
    metadataOptions: spec.metadataOptions === undefined ? undefined : {
      httpEndpoint: optionalString(metadata.httpEndpoint), httpTokens: optionalString(metadata.httpTokens),
      httpPutResponseHopLimit: typeof metadata.httpPutResponseHopLimit === 'number' ? metadata.httpPutResponseHopLimit : undefined,
    },
    object: nodeClass,
    source,
  };
}

function intOrPercent(value: unknown, at: { input: string; field: string }): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  throw new EksplanError(`must be a non-negative integer or a percentage like 50%, got ${JSON.stringify(value)}`, at);
}

function pdbOf(pdb: PodDisruptionBudget, source: SourceRef): PodDisruptionBudgetModel {
  const at = where(source, pdb);
  const spec = recordOf(pdb.spec);
  const minAvailable = intOrPercent(spec.minAvailable, { ...at, field: 'spec.minAvailable' });
  const maxUnavailable = intOrPercent(spec.maxUnavailable, { ...at, field: 'spec.maxUnavailable' });
  if (minAvailable !== undefined && maxUnavailable !== undefined) {
    // policy/v1 validation (pkg/apis/policy/validation): minAvailable and maxUnavailable are mutually exclusive.
    throw new EksplanError('minAvailable and maxUnavailable cannot both be set', { ...at, field: 'spec' });
  }
  const policy = spec.unhealthyPodEvictionPolicy;
  return {
    name: String(pdb.metadata.name), namespace: namespaceOf(pdb),
    selector: spec.selector === undefined || spec.selector === null ? undefined : (spec.selector as LabelSelector),
    minAvailable, maxUnavailable,
    unhealthyPodEvictionPolicy: policy === 'AlwaysAllow' || policy === 'IfHealthyBudget' ? policy : undefined,
    source,
  };
}

// autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: CPU at 80% average utilization when no metrics are given.
const DEFAULT_HPA_METRICS: readonly MetricSpec[] = Object.freeze([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);

function hpaOf(hpa: HorizontalPodAutoscaler, source: SourceRef): HpaModel {
  const at = where(source, hpa);
  const spec = recordOf(hpa.spec);
  const ref = recordOf(spec.scaleTargetRef);
  if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') {
    throw new EksplanError('scaleTargetRef must name a kind and a name', { ...at, field: 'spec.scaleTargetRef' });
  }
  const minReplicas = spec.minReplicas === undefined ? 1 : spec.minReplicas;
  if (typeof minReplicas !== 'number' || !Number.isInteger(minReplicas) || minReplicas < 0) {
    throw new EksplanError(`must be a non-negative integer, got ${JSON.stringify(spec.minReplicas)}`, { ...at, field: 'spec.minReplicas' });
  }
  const maxReplicas = spec.maxReplicas;
  if (typeof maxReplicas !== 'number' || !Number.isInteger(maxReplicas) || maxReplicas < Math.max(1, minReplicas)) {
    throw new EksplanError(`maxReplicas must be an integer ≥ minReplicas (${minReplicas}) and ≥ 1, got ${JSON.stringify(maxReplicas)}`, { ...at, field: 'spec.maxReplicas' });
  }
  const metrics = Array.isArray(spec.metrics) && spec.metrics.length > 0 ? (spec.metrics as MetricSpec[]) : DEFAULT_HPA_METRICS;
  const behavior = spec.behavior === undefined ? undefined : (spec.behavior as HpaModel['behavior']);
  const tolerance = (rules: HpaScalingRules | undefined, field: string): number | undefined => {
    if (rules?.tolerance === undefined) return undefined;
    return parseQuantity(rules.tolerance, { ...at, field });
  };
  return {
    name: String(hpa.metadata.name), namespace: namespaceOf(hpa),
    target: { apiVersion: optionalString(ref.apiVersion), kind: ref.kind, name: ref.name },
    minReplicas, maxReplicas,
    metrics: metrics.map((m, i) => metricOf(m, { ...at, field: `spec.metrics[${i}]` })),
    behavior,
    tolerance: { scaleUp: tolerance(behavior?.scaleUp, 'spec.behavior.scaleUp.tolerance'), scaleDown: tolerance(behavior?.scaleDown, 'spec.behavior.scaleDown.tolerance') },
    object: hpa,
    source,
  };
}

function metricOf(spec: MetricSpec, at: { input: string; field: string }): HpaMetricModel {
  const source = spec.type === 'Resource' ? spec.resource : spec.type === 'ContainerResource' ? spec.containerResource : spec.type === 'Pods' ? spec.pods
    : spec.type === 'Object' ? spec.object : spec.type === 'External' ? spec.external : undefined;
  if (!source) throw new EksplanError(`metric type must be Resource, ContainerResource, Pods, Object or External with its matching section, got ${JSON.stringify(spec?.type)}`, { ...at, field: `${at.field}.type` });
  const name = 'name' in source && typeof source.name === 'string' ? source.name : 'metric' in source && typeof source.metric?.name === 'string' ? source.metric.name : undefined;
  if (!name) throw new EksplanError('metric has no name', { ...at, field: `${at.field}.${spec.type.charAt(0).toLowerCase()}${spec.type.slice(1)}` });
  const target = recordOf(source.target);
  const targetType = target.type;
  if (targetType !== 'Utilization' && targetType !== 'Value' && targetType !== 'AverageValue') {
    throw new EksplanError(`target.type must be Utilization, Value or AverageValue, got ${JSON.stringify(targetType)}`, { ...at, field: `${at.field}.target.type` });
  }
  const milli = (value: unknown, field: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw new EksplanError(`must be a quantity, got ${JSON.stringify(value)}`, { ...at, field });
    return Math.round(parseQuantity(value, { ...at, field }) * 1000);
  };
  const averageUtilization = target.averageUtilization;
  if (averageUtilization !== undefined && (typeof averageUtilization !== 'number' || !Number.isInteger(averageUtilization) || averageUtilization <= 0)) {
    throw new EksplanError(`averageUtilization must be a positive integer percent, got ${JSON.stringify(averageUtilization)}`, { ...at, field: `${at.field}.target.averageUtilization` });
  }
  return {
    spec, type: spec.type, name,
    container: spec.type === 'ContainerResource' ? spec.containerResource?.container : undefined,
    targetType,
    averageUtilization: averageUtilization as number | undefined,
    averageValueMilli: milli(target.averageValue, `${at.field}.target.averageValue`),
    valueMilli: milli(target.value, `${at.field}.target.value`),
  };
}

// The EBS CSI driver's default type is gp3; the in-tree kubernetes.io/aws-ebs provisioner's is gp2.
// staging/src/k8s.io/api/resource/v1/types.go DeviceClassSpec: extendedResourceName, selectors[].cel.expression.
function deviceClassOf(object: KubernetesObject, source: SourceRef): DeviceClassModel {
  const input = `DeviceClass ${object.metadata.name}`;
  const spec = (object.spec ?? {}) as { extendedResourceName?: unknown; selectors?: unknown };
  if (spec.extendedResourceName !== undefined && (typeof spec.extendedResourceName !== 'string' || !spec.extendedResourceName.includes('/'))) {
    throw new EksplanError(`must be an extended resource name like example.com/gpu, got ${JSON.stringify(spec.extendedResourceName)}`, { input, field: 'spec.extendedResourceName' });
  }
  const selectors = spec.selectors === undefined ? [] : spec.selectors;
  if (!Array.isArray(selectors)) throw new EksplanError(`must be a list, got ${JSON.stringify(selectors)}`, { input, field: 'spec.selectors' });
  return {
    name: String(object.metadata.name),
    ...(spec.extendedResourceName ? { extendedResourceName: spec.extendedResourceName } : {}),
    selectors: selectors.map((selector: { cel?: { expression?: unknown } }, i) => {
      if (selector?.cel === undefined) return {};
      if (typeof selector.cel.expression !== 'string') throw new EksplanError('must be a CEL expression string', { input, field: `spec.selectors[${i}].cel.expression` });
      return { cel: { expression: selector.cel.expression } };
    }),
    source,
  };
}

// staging/src/k8s.io/api/resource/v1/types.go ResourceSliceSpec: driver, pool, node selection, devices.
function resourceSliceOf(object: KubernetesObject, source: SourceRef): ResourceSliceModel {
  const input = `ResourceSlice ${object.metadata.name}`;
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  if (typeof spec.driver !== 'string' || spec.driver === '') throw new EksplanError(`must name the DRA driver, got ${JSON.stringify(spec.driver)}`, { input, field: 'spec.driver' });
  const devices = spec.devices === undefined ? [] : spec.devices;
  if (!Array.isArray(devices)) throw new EksplanError(`must be a list, got ${JSON.stringify(devices)}`, { input, field: 'spec.devices' });
  const pool = (spec.pool as { name?: unknown } | undefined)?.name;
  return {
    name: String(object.metadata.name), driver: spec.driver,
    ...(typeof pool === 'string' ? { pool } : {}),
    ...(typeof spec.nodeName === 'string' ? { nodeName: spec.nodeName } : {}),
    ...(spec.allNodes === true ? { allNodes: true } : {}),
    ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector as NodeSelector } : {}),
    ...(spec.perDeviceNodeSelection === true ? { perDeviceNodeSelection: true } : {}),
    devices: devices.map((raw: Record<string, unknown>, i): DeviceModel => {
      // v1beta1 nests a device's fields under `basic`; v1 has them on the device.
      const device = { ...raw, ...((raw?.basic ?? {}) as Record<string, unknown>) };
      if (typeof device.name !== 'string' || device.name === '') throw new EksplanError('every device needs a name', { input, field: `spec.devices[${i}].name` });
      return {
        name: device.name,
        ...(typeof device.nodeName === 'string' ? { nodeName: device.nodeName } : {}),
        ...(device.allNodes === true ? { allNodes: true } : {}),
        ...(device.nodeSelector ? { nodeSelector: device.nodeSelector as NodeSelector } : {}),
        ...(device.attributes ? { attributes: device.attributes as DeviceModel['attributes'] } : {}),
        ...(device.capacity ? { capacity: device.capacity as DeviceModel['capacity'] } : {}),
      };
    }),
    source,
  };
}

function storageClassOf(object: KubernetesObject, source: SourceRef): StorageClassModel {
  const parameters = stringRecord((object as { parameters?: unknown }).parameters);
  const provisioner = String((object as { provisioner?: unknown }).provisioner ?? '');
  const mode = (object as { volumeBindingMode?: unknown }).volumeBindingMode;
  return {
    name: String(object.metadata.name), provisioner,
    volumeType: parameters.type ?? parameters.volumeType ?? (provisioner === 'kubernetes.io/aws-ebs' ? 'gp2' : 'gp3'),
    isDefault: object.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    volumeBindingMode: mode === 'WaitForFirstConsumer' ? 'WaitForFirstConsumer' : 'Immediate',
    source,
  };
}

function claimOf(claim: KubernetesObject, source: SourceRef, owner: string, perReplica: boolean, field: string): VolumeClaimModel {
  const spec = recordOf(claim.spec);
  const storage = recordOf(recordOf(spec.resources).requests).storage;
  const at = { input: `${source.file}: ${owner}`, field: `${field}.resources.requests.storage` };
  if (storage === undefined) throw new EksplanError('a volume claim must request storage', at);
  if (typeof storage !== 'string' && typeof storage !== 'number') throw new EksplanError(`must be a quantity, got ${JSON.stringify(storage)}`, at);
  return {
    owner, namespace: namespaceOf(claim), name: String(claim.metadata?.name ?? 'volume'),
    storageClassName: optionalString(spec.storageClassName),
    requestBytes: parseBytes(storage, at),
    perReplica,
    source,
  };
}

function karpenterSettingsOf(releases: readonly HelmReleaseModel[]): KarpenterSettingsModel | undefined {
  const release = releases.find((r) => r.chart === 'karpenter' || /\/karpenter$/.test(r.repository ?? '') && r.chart.endsWith('karpenter'));
  if (!release) return undefined;
  const at = { input: `${release.source?.file ?? 'assembly'}: HelmChart ${release.release}` };
  const settings = recordOf(release.values.settings);
  const gates = recordOf(settings.featureGates);
  const flag = (name: string, fallback: boolean): boolean => {
    const value = gates[name];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new EksplanError(`must be true or false, got ${JSON.stringify(value)}`, { ...at, field: `values.settings.featureGates.${name}` });
  };
  const reservedENIs = settings.reservedENIs === undefined ? 0 : Number(settings.reservedENIs);
  if (!Number.isInteger(reservedENIs) || reservedENIs < 0) throw new EksplanError(`must be a non-negative integer, got ${JSON.stringify(settings.reservedENIs)}`, { ...at, field: 'values.settings.reservedENIs' });
  return {
    release: release.release, version: release.version,
    batchIdleSeconds: duration(settings.batchIdleDuration, KARPENTER_BATCH_DEFAULTS.idleSeconds, { ...at, field: 'values.settings.batchIdleDuration' }),
    batchMaxSeconds: duration(settings.batchMaxDuration, KARPENTER_BATCH_DEFAULTS.maxSeconds, { ...at, field: 'values.settings.batchMaxDuration' }),
    // karpenter pkg/operator/options: SpotToSpotConsolidation and ReservedCapacity off, NodeRepair off by default.
    featureGates: { spotToSpotConsolidation: flag('spotToSpotConsolidation', false), nodeRepair: flag('nodeRepair', false), reservedCapacity: flag('reservedCapacity', false) },
    reservedENIs,
    source: release.source,
  };
}

/** The model with other objects (a what-if variant), its typed entries derived again from them. */
export function withObjects(model: ClusterModel, objects: KubernetesObjectWithSource[]): ClusterModel {
  return { ...model, objects, ...typedObjects(objects, model.helmReleases) };
}

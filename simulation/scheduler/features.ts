import { EKS_VERSIONS } from '../catalog/eks-versions';
import { EksplanError } from '../model/errors';

/** The newest Kubernetes version of the catalog's EKS calendar: what a scheduler or HPA with no version follows. */
export const DEFAULT_KUBERNETES_VERSION = EKS_VERSIONS[EKS_VERSIONS.length - 1].version;

/** The feature gates the scheduler and HPA models read, with the release each default changed in. */
export type FeatureGateName = 'TaintTolerationComparisonOperators' | 'HPAConfigurableTolerance' | 'DRAExtendedResource';

interface GateStage {
  /** First minor version with this default. */
  readonly since: number;
  readonly enabled: boolean;
}

// pkg/features/kube_features.go (versioned feature specs): each gate's default per release.
const GATES: Record<FeatureGateName, readonly GateStage[]> = {
  // KEP-5471: one spec only, {1.35, Alpha, off}, in kube_features.go of the 1.35 and 1.36 releases and still in the
  // 1.37 development tree (the scheduler gates' versioned specs): alpha and off by default through 1.36.
  TaintTolerationComparisonOperators: [{ since: 35, enabled: false }],
  // KEP-5004: alpha in 1.34 (off), beta in 1.36 (on by default), GA in 1.37.
  DRAExtendedResource: [{ since: 34, enabled: false }, { since: 36, enabled: true }],
  // KEP-4951: alpha in 1.33 (off), beta in 1.35 (on by default).
  HPAConfigurableTolerance: [{ since: 33, enabled: false }, { since: 35, enabled: true }],
};

/** Every gate the simulation reads, for validating a scenario's `featureGates`. */
export const FEATURE_GATE_NAMES: readonly FeatureGateName[] = Object.freeze(Object.keys(GATES) as FeatureGateName[]);

/** What the version-aware models read: the cluster's minor version and the gates it enables. */
export interface Features {
  readonly kubernetesVersion: string;
  /** The minor version number (36 for 1.36). */
  readonly minor: number;
  readonly gates: Readonly<Record<FeatureGateName, boolean>>;
}

export interface FeatureOptions {
  /** Kubernetes minor version like `1.36`. @default the newest version of the catalog's EKS calendar */
  readonly kubernetesVersion?: string;
  /** Gates turned on or off over the version's defaults (a what-if, as `--feature-gates` would). */
  readonly featureGates?: Readonly<Record<string, boolean>>;
}

export function minorOf(version: string, where = 'kubernetesVersion'): number {
  const match = /^1\.(\d+)$/.exec(version);
  if (!match) throw new EksplanError(`Kubernetes version '${version}' is not a version like 1.36`, { field: where });
  return Number(match[1]);
}

/** A gate's default in a release (false before the gate existed, as an unknown gate is off). */
export function gateDefault(name: FeatureGateName, minor: number): boolean {
  let enabled = false;
  for (const stage of GATES[name]) if (minor >= stage.since) enabled = stage.enabled;
  return enabled;
}

const CACHE = new Map<string, Features>();

/** The features of a cluster version with optional gate overrides; unknown gate names are refused. */
export function resolveFeatures(options: FeatureOptions = {}): Features {
  const version = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const overrides = options.featureGates ?? {};
  const cacheKey = Object.keys(overrides).length === 0 ? version : '';
  if (cacheKey) {
    const cached = CACHE.get(cacheKey);
    if (cached) return cached;
  }
  const minor = minorOf(version);
  const gates = {} as Record<FeatureGateName, boolean>;
  for (const name of Object.keys(GATES) as FeatureGateName[]) gates[name] = gateDefault(name, minor);
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in GATES)) {
      throw new EksplanError(`unknown feature gate '${name}': the simulation reads ${Object.keys(GATES).join(', ')}`, { field: `featureGates.${name}` });
    }
    if (typeof value !== 'boolean') throw new EksplanError(`feature gate '${name}' must be true or false, got ${JSON.stringify(value)}`, { field: `featureGates.${name}` });
    gates[name as FeatureGateName] = value;
  }
  const features: Features = Object.freeze({ kubernetesVersion: version, minor, gates: Object.freeze(gates) });
  if (cacheKey) CACHE.set(cacheKey, features);
  return features;
}

import type { KubernetesObjectWithSource } from './cluster';
import type { LabelSelector, PodTemplateSpec } from './kubernetes';

// The engine creates pods from workloads; the controllers see them on pods (SimPod.workload), so the type lives below both.

/** A controller that creates pods from a template. */
export interface WorkloadSpec {
  /** `Kind namespace/name`, the key used in results and scenarios. */
  readonly key: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Desired replicas (Jobs: parallelism; DaemonSets: one per matching node). */
  readonly replicas: number;
  readonly template: PodTemplateSpec;
  readonly daemonSet: boolean;
  readonly selector?: LabelSelector;
  /** PersistentVolumeClaim templates (StatefulSet): pods get zonal volumes on first placement. */
  readonly volumeClaims: number;
  /** Installed by an add-on or Helm chart rather than a manifest. */
  readonly system: boolean;
  readonly source?: KubernetesObjectWithSource['source'];
}

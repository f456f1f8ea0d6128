import type { InstanceTypeInfo } from '../catalog';
import type { ClusterModel } from '../model/cluster';
import type { Node, Pod, Taint } from '../model/kubernetes';
import type { NodeRecord, OwnerRef, SimEvent } from '../model/result';
import type { NodeIpState } from '../network';
import type { NodeInfo } from '../scheduler/node-info';
import type { Resources } from '../scheduler/resources';
import type { Scheduler } from '../scheduler/framework';
import type { ClusterSnapshot } from '../scheduler/snapshot';
import type { WorkloadSpec } from '../model/workload';

export type CapacityType = 'on-demand' | 'spot';

/** A node in the simulation: launched, maybe not yet Ready, maybe being deleted. */
export interface SimNode {
  readonly name: string;
  readonly node: Node;
  readonly info: NodeInfo;
  readonly instanceType: InstanceTypeInfo;
  readonly zone: string;
  readonly subnetId?: string;
  readonly capacityType: CapacityType;
  readonly owner: OwnerRef;
  readonly launchedAt: number;
  readonly readyAt: number;
  ready: boolean;
  deleting: boolean;
  readonly usdPerHour: number;
  readonly maxPods: number;
  readonly ip?: NodeIpState;
  readonly record: NodeRecord;
  /** Last time a pod was bound to or left the node (Karpenter's consolidateAfter clock). */
  lastPodChangeAt: number;
  /** A spot interruption notice was received; the node goes away at this time. */
  interruptAt?: number;
}

export type PodPhase = 'Pending' | 'ContainerCreating' | 'Running' | 'Terminating';

export interface SimPod {
  readonly key: string;
  readonly pod: Pod;
  readonly workload: WorkloadSpec;
  readonly requests: Resources;
  readonly ordinal: number;
  phase: PodPhase;
  nodeName?: string;
  readonly createdAt: number;
  /** Start of the current pending stretch. */
  pendingSince?: number;
  pendingSeconds: number;
  scheduledAt?: number;
  readyAt?: number;
  /** Why it is not running (scheduler message or CNI failure). */
  lastMessage?: string;
  /** Closed pending stretches since t=0 (from, to, the last reason while it waited), for the failure report. */
  pendingIntervals?: { from: number; to: number; reason?: string }[];
  /** Zone of its bound EBS volume(s), once placed (StatefulSet with volume claims). */
  volumeZone?: string;
}

export interface LaunchRequest {
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: CapacityType;
  readonly owner: OwnerRef;
  readonly labels: Record<string, string>;
  readonly taints: Taint[];
  readonly maxPods: number;
  readonly readyDelaySeconds: number;
  readonly karpenter: boolean;
  /** Candidate subnets (logical ids); the one with the most free addresses is used. */
  readonly subnetIds?: string[];
  readonly diskGiB?: number;
  /**
   * Allocatable CPU and memory the kubelet will report when the launcher sized it (Karpenter: the EC2NodeClass
   * kubelet settings and AMI family); otherwise the EKS AMI defaults for the type.
   */
  readonly allocatable?: { readonly milliCpu: number; readonly memoryBytes: number };
  /** Annotations the node carries from launch (Karpenter's NodePool and EC2NodeClass hashes, for drift). */
  readonly annotations?: Record<string, string>;
}

export type LaunchResult = SimNode | { readonly error: 'InsufficientCapacity' | 'SubnetFull' | 'ZoneUnavailable'; readonly message: string };

/** What a capacity controller may read. */
export interface ClusterView {
  readonly now: number;
  readonly region: string;
  readonly model: ClusterModel;
  readonly scheduler: Scheduler;
  readonly snapshot: ClusterSnapshot;
  nodes(): readonly SimNode[];
  pendingPods(): readonly SimPod[];
  podsOn(nodeName: string): readonly SimPod[];
  /** DaemonSet pods that would run on a node with these labels and taints. */
  daemonSetPodsFor(node: Node): Pod[];
  /** One pod per DaemonSet (its template), whatever node it would run on. */
  daemonSetPods(): readonly Pod[];
  /** Whether evicting the pod now respects its PodDisruptionBudgets and safe-to-evict annotations. */
  canEvict(pod: SimPod): boolean;
  /** Zones where no launch is possible now (AZ outage). */
  unavailableZones(): ReadonlySet<string>;
  /** Whether EC2 has capacity for a type in a zone now (insufficient-capacity faults). */
  hasCapacity(instanceType: string, zone: string, capacityType: CapacityType): boolean;
  /** Seeded random number in [0, 1). */
  random(): number;
}

/** What a capacity controller may do. */
export interface CapacityActions {
  launch(request: LaunchRequest): LaunchResult;
  /** Drains (evicting pods back to Pending) and terminates a node. */
  terminate(nodeName: string, reason: string): void;
  cordon(nodeName: string): void;
  /**
   * Adds the taint to the node (replacing a taint with its key) or, with `present` false, removes the taints with its
   * key (Karpenter's karpenter.sh/disrupted:NoSchedule while a disruption command runs).
   * @default engines without it leave node taints as they are
   */
  taint?(nodeName: string, taint: Taint, present: boolean): void;
  emit(event: Omit<SimEvent, 't'>): void;
}

export interface CapacityController {
  readonly name: string;
  /** Seconds between reconciles. */
  readonly interval: number;
  reconcile(view: ClusterView, actions: CapacityActions): void;
}

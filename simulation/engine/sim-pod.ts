import type { SimPod } from '../autoscaling/types';

/** What a new pod record starts from; the rest starts empty (pending, unbound, never waited). */
export interface SimPodInit {
  readonly key: string;
  readonly pod: SimPod['pod'];
  readonly workload: SimPod['workload'];
  readonly requests: SimPod['requests'];
  readonly ordinal: number;
  readonly createdAt: number;
  readonly pendingSince: number | undefined;
  readonly lastMessage: string | undefined;
}

/**
 * A pending pod of the simulation. Every field is present from creation, in one order (undefined when absent), so
 * all pods share one hidden class in V8 and the code reading them is not deoptimised by fields added later.
 */
export function newSimPod(init: SimPodInit): SimPod {
  return {
    key: init.key, pod: init.pod, workload: init.workload, requests: init.requests, ordinal: init.ordinal, phase: 'Pending', nodeName: undefined,
    createdAt: init.createdAt, pendingSince: init.pendingSince, pendingSeconds: 0, scheduledAt: undefined, readyAt: undefined,
    lastMessage: init.lastMessage, pendingIntervals: undefined, volumeZone: undefined,
  };
}

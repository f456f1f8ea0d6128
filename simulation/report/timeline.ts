import type { PlanResult, TimelinePoint } from '../model/result';

/** One row per bucket of the timeline: the peak of each figure within the bucket (peaks matter for capacity). */
export interface TimelineRow {
  readonly t: number;
  readonly nodes: number;
  readonly podsRunning: number;
  readonly podsPending: number;
  readonly replicas: number;
  readonly usdPerHour: number;
  readonly minFreeIps: number;
}

export function compactTimeline(result: PlanResult, rows = 24): TimelineRow[] {
  const points = result.timeline;
  if (points.length === 0) return [];
  const end = points[points.length - 1].t;
  const bucket = niceBucket((end + 1) / rows);
  const out: TimelineRow[] = [];
  let current: TimelineRow | undefined;
  let currentBucket = -1;
  for (const point of points) {
    const index = Math.floor(point.t / bucket);
    const row = rowOf(point, index * bucket);
    if (index !== currentBucket) {
      if (current) out.push(current);
      current = row;
      currentBucket = index;
    } else if (current) {
      current = {
        t: current.t,
        nodes: Math.max(current.nodes, row.nodes),
        podsRunning: Math.max(current.podsRunning, row.podsRunning),
        podsPending: Math.max(current.podsPending, row.podsPending),
        replicas: Math.max(current.replicas, row.replicas),
        usdPerHour: Math.max(current.usdPerHour, row.usdPerHour),
        minFreeIps: Math.min(current.minFreeIps, row.minFreeIps),
      };
    }
  }
  if (current) out.push(current);
  return out;
}

function rowOf(point: TimelinePoint, t: number): TimelineRow {
  const free = Object.values(point.freeIpsBySubnet);
  return {
    t,
    nodes: point.nodes,
    podsRunning: point.podsRunning,
    podsPending: point.podsPending,
    replicas: Object.values(point.replicas).reduce((sum, n) => sum + n, 0),
    usdPerHour: point.usdPerHour,
    minFreeIps: free.length === 0 ? 0 : Math.min(...free),
  };
}

const NICE_BUCKETS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest round interval (15s ... 1 day, then whole days) at least `seconds` long. */
function niceBucket(seconds: number): number {
  for (const bucket of NICE_BUCKETS) if (bucket >= seconds) return bucket;
  return Math.ceil(seconds / 86400) * 86400;
}

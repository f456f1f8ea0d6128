import type { ScenarioTraffic, TrafficCall } from '../model/scenario';

// Traffic assumptions that turn the scenario's request rates into load-balancer capacity units and bytes.
// Each field can be set in the scenario under `traffic:` (validated by the scenario reader); the defaults are
// stated here so a reviewer can judge them.

export interface TrafficAssumptions {
  /** Average response + request size through load balancers and NAT. */
  readonly bytesPerRequest: number;
  /** Requests carried per new client connection (HTTP keep-alive). */
  readonly requestsPerConnection: number;
  /** Average lifetime of a client connection, seconds (for active-connection LCUs). */
  readonly connectionSeconds: number;
  /** Listener rules evaluated per request beyond the 10 free ones. */
  readonly ruleEvaluationsPerRequest: number;
  /** Data processed by the NAT gateways per month (image pulls skip NAT through VPC endpoints). */
  readonly natProcessedGbPerMonth: number;
  /** Control-plane log ingestion per enabled log type per month, GB; audit logs scale with nodes. */
  readonly controlPlaneLogGbPerTypeMonth: number;
  readonly auditLogGbPerNodeMonth: number;
  /** Calls between workloads (service mesh of the app) for the cross-AZ estimate. */
  readonly calls: readonly TrafficCall[];
}

export const DEFAULT_TRAFFIC: TrafficAssumptions = {
  bytesPerRequest: 20 * 1024,
  requestsPerConnection: 10,
  connectionSeconds: 30,
  ruleEvaluationsPerRequest: 0,
  natProcessedGbPerMonth: 100,
  controlPlaneLogGbPerTypeMonth: 1,
  auditLogGbPerNodeMonth: 0.5,
  calls: [],
};

/** The scenario's typed `traffic:` section over the defaults (a missing section means all defaults). */
export function trafficAssumptions(section: ScenarioTraffic | undefined): TrafficAssumptions {
  return {
    bytesPerRequest: section?.bytesPerRequest ?? DEFAULT_TRAFFIC.bytesPerRequest,
    requestsPerConnection: section?.requestsPerConnection ?? DEFAULT_TRAFFIC.requestsPerConnection,
    connectionSeconds: section?.connectionSeconds ?? DEFAULT_TRAFFIC.connectionSeconds,
    ruleEvaluationsPerRequest: section?.ruleEvaluationsPerRequest ?? DEFAULT_TRAFFIC.ruleEvaluationsPerRequest,
    natProcessedGbPerMonth: section?.natProcessedGbPerMonth ?? DEFAULT_TRAFFIC.natProcessedGbPerMonth,
    controlPlaneLogGbPerTypeMonth: section?.controlPlaneLogGbPerTypeMonth ?? DEFAULT_TRAFFIC.controlPlaneLogGbPerTypeMonth,
    auditLogGbPerNodeMonth: section?.auditLogGbPerNodeMonth ?? DEFAULT_TRAFFIC.auditLogGbPerNodeMonth,
    calls: section?.calls ?? DEFAULT_TRAFFIC.calls,
  };
}

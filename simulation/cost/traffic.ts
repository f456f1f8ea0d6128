// Traffic assumptions that turn the scenario's request rates into load-balancer capacity units and bytes.
// Each field can be set in the scenario under `traffic:`; the defaults are stated so a reviewer can judge them.

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
  readonly calls: readonly { from: string; to: string; bytesPerRequest?: number; requestsPerSecond?: number; ratio?: number }[];
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

/** Reads `traffic:` overrides from a parsed scenario object without depending on the scenario's type. */
export function trafficFrom(scenario: unknown): TrafficAssumptions {
  const section = scenario !== null && typeof scenario === 'object' ? (scenario as Record<string, unknown>).traffic : undefined;
  if (section === null || typeof section !== 'object') return DEFAULT_TRAFFIC;
  const raw = section as Record<string, unknown>;
  const num = (key: keyof TrafficAssumptions): number => (typeof raw[key] === 'number' && Number.isFinite(raw[key]) && (raw[key] as number) >= 0 ? raw[key] as number : DEFAULT_TRAFFIC[key] as number);
  const calls = Array.isArray(raw.calls) ? raw.calls.filter((c): c is TrafficAssumptions['calls'][number] =>
    c !== null && typeof c === 'object' && typeof (c as Record<string, unknown>).from === 'string' && typeof (c as Record<string, unknown>).to === 'string') : [];
  return {
    bytesPerRequest: num('bytesPerRequest'),
    requestsPerConnection: Math.max(1, num('requestsPerConnection')),
    connectionSeconds: num('connectionSeconds'),
    ruleEvaluationsPerRequest: num('ruleEvaluationsPerRequest'),
    natProcessedGbPerMonth: num('natProcessedGbPerMonth'),
    controlPlaneLogGbPerTypeMonth: num('controlPlaneLogGbPerTypeMonth'),
    auditLogGbPerNodeMonth: num('auditLogGbPerNodeMonth'),
    calls,
  };
}

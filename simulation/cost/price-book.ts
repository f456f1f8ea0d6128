// The prices the cost model needs for one region, read from the catalog (each with its source and date).

export interface UnitPrice {
  readonly usd: number;
  readonly source: string;
}

export interface PriceBook {
  readonly region: string;
  readonly eksStandardPerHour: UnitPrice;
  readonly eksExtendedPerHour: UnitPrice;
  readonly natPerHour: UnitPrice;
  readonly natPerGb: UnitPrice;
  readonly publicIpv4PerHour: UnitPrice;
  readonly albPerHour: UnitPrice;
  readonly albLcuPerHour: UnitPrice;
  readonly nlbPerHour: UnitPrice;
  readonly nlbNlcuPerHour: UnitPrice;
  /** Classic Load Balancer, which the in-tree cloud provider creates for a Service the LB controller does not handle. */
  readonly clbPerHour: UnitPrice;
  readonly clbPerGb: UnitPrice;
  readonly gp3PerGbMonth: UnitPrice;
  readonly gp2PerGbMonth: UnitPrice;
  /** Charged in each direction for traffic between AZs. */
  readonly interAzPerGbEachWay: UnitPrice;
  readonly logsIngestionPerGb: UnitPrice;
  /**
   * Where an EC2 instance price comes from, for the cost line: the static us-east-1 list and its date, an estimate
   * from it for other regions, a refresh and its date; for Spot, the Spot model (or a refreshed price history).
   */
  instancePriceSource(instanceType: string, capacityType: 'on-demand' | 'spot'): string;
  /** EKS Auto Mode management fee per instance-hour for a type. */
  autoModeFeePerHour(instanceType: string): UnitPrice;
  /** Whether a Kubernetes version is in standard or extended support at a date (ISO yyyy-mm-dd). */
  supportStatus(version: string, date: string): 'standard' | 'extended' | 'unsupported';
  /** The date used for support status when the scenario gives none. */
  readonly referenceDate: string;
}

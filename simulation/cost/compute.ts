import type { ClusterModel } from '../model/cluster';
import { GiB } from '../model/quantity';
import { HOURS_PER_MONTH, type CostBreakdown, type CostLine, type NodeRecord, type SimulationResult, type TimelinePoint } from '../model/result';
import type { PriceBook, UnitPrice } from './price-book';
import type { TrafficAssumptions } from './traffic';

export { HOURS_PER_MONTH };

// OpenCost's default split of a node's hourly cost between CPU and memory (opencost/opencost
// configs/default.json: CPU 0.031611 USD per vCPU-hour, RAM 0.004237 USD per GiB-hour).
const OPENCOST_CPU_PER_VCPU_HOUR = 0.031611;
const OPENCOST_RAM_PER_GIB_HOUR = 0.004237;

export interface WorkloadRequests {
  readonly milliCpu: number;
  readonly memoryBytes: number;
}

export interface CostInputs {
  readonly model: ClusterModel;
  readonly result: SimulationResult;
  readonly prices: PriceBook;
  readonly traffic: TrafficAssumptions;
  /** Requests of one pod of each workload, keyed like the timeline's `replicas` (`Kind namespace/name`). */
  readonly workloadRequests: ReadonlyMap<string, WorkloadRequests>;
  /** Date for the EKS support status (yyyy-mm-dd). @default prices.referenceDate */
  readonly date?: string;
  /** Root volume size per node when the node's owner gives none (Karpenter's AL2023 default is 20Gi). */
  readonly defaultRootVolumeGiB?: number;
}

/** Prices a simulation run: every AWS charge the platform incurs, over the window and per month. */
export function computeCost(inputs: CostInputs): CostBreakdown {
  const { model, result, prices, traffic } = inputs;
  const windowSeconds = result.input.durationSeconds;
  // A static placement is a snapshot: price it as one hour of that state.
  const windowHours = windowSeconds > 0 ? windowSeconds / 3600 : 1;
  const endT = windowSeconds > 0 ? windowSeconds : 3600;
  const monthly = (windowUsd: number) => (windowUsd * HOURS_PER_MONTH) / windowHours;
  const lines: CostLine[] = [];
  const add = (category: string, item: string, quantity: number, unit: string, price: UnitPrice, windowUsd: number) => {
    if (quantity <= 0 && windowUsd === 0) return;
    lines.push({ category, item, quantity: round(quantity, 4), unit, unitPriceUsd: price.usd, windowUsd: round(windowUsd, 6), monthlyUsd: round(monthly(windowUsd), 4), priceSource: price.source });
  };

  // EC2 instance-hours, by instance type and purchase option; Auto Mode adds its per-instance fee.
  const nodeHours = (node: NodeRecord) => Math.max(0, Math.min(node.terminatedAt ?? endT, endT) - Math.min(node.launchedAt, endT)) / 3600;
  const groups = new Map<string, { type: string; capacity: string; owner: string; hours: number; usd: number; rate: number }>();
  for (const node of result.nodes) {
    const hours = nodeHours(node);
    const category = node.owner.kind === 'fargate' ? 'Fargate' : node.capacityType === 'spot' ? 'EC2 spot' : 'EC2 on-demand';
    const key = `${category}|${node.instanceType}|${node.usdPerHour}`;
    const group = groups.get(key) ?? { type: node.instanceType, capacity: category, owner: node.owner.kind, hours: 0, usd: 0, rate: node.usdPerHour };
    group.hours += hours;
    group.usd += hours * node.usdPerHour;
    groups.set(key, group);
  }
  for (const group of [...groups.values()].sort((a, b) => a.capacity.localeCompare(b.capacity) || a.type.localeCompare(b.type))) {
    // A Fargate node is priced like the On-Demand type that stands in for it (engine/cluster-state.ts launch).
    const source = prices.instancePriceSource(group.type, group.capacity === 'EC2 spot' ? 'spot' : 'on-demand');
    add(group.capacity, group.type, group.hours, 'instance-hours', { usd: group.rate, source }, group.usd);
  }
  const autoModeHours = new Map<string, number>();
  for (const node of result.nodes) {
    if (node.owner.kind === 'automode') autoModeHours.set(node.instanceType, (autoModeHours.get(node.instanceType) ?? 0) + nodeHours(node));
  }
  for (const [type, hours] of [...autoModeHours].sort()) {
    const fee = prices.autoModeFeePerHour(type);
    add('EKS Auto Mode fee', type, hours, 'instance-hours', fee, hours * fee.usd);
  }

  // EBS: node root volumes (gp3) and persistent volume claims.
  let rootGbHours = 0;
  for (const node of result.nodes) {
    if (node.owner.kind === 'fargate') continue;
    rootGbHours += nodeHours(node) * rootVolumeGiB(model, node, inputs.defaultRootVolumeGiB ?? 20);
  }
  add('EBS', 'node root volumes (gp3)', rootGbHours / HOURS_PER_MONTH, 'GB-month', prices.gp3PerGbMonth, (rootGbHours / HOURS_PER_MONTH) * prices.gp3PerGbMonth.usd);
  for (const volume of persistentVolumes(model, result)) {
    const price = volume.type === 'gp2' ? prices.gp2PerGbMonth : prices.gp3PerGbMonth;
    const gbMonths = (volume.gib * windowHours) / HOURS_PER_MONTH;
    add('EBS', `${volume.name} (${volume.type}, ${volume.gib} GiB)`, gbMonths, 'GB-month', price, gbMonths * price.usd);
  }

  // EKS control plane: standard support, or the extended-support rate for versions past it.
  if (model.cluster) {
    const status = prices.supportStatus(model.cluster.version, inputs.date ?? prices.referenceDate);
    const price = status === 'standard' ? prices.eksStandardPerHour : prices.eksExtendedPerHour;
    add('EKS control plane', `${model.cluster.name} (Kubernetes ${model.cluster.version}, ${status} support)`, windowHours, 'cluster-hours', price, windowHours * price.usd);
  }

  // NAT gateways: hours plus data processed.
  const natCount = model.natGateways.length;
  if (natCount > 0) {
    add('NAT gateway', `${natCount} NAT gateway(s)`, natCount * windowHours, 'gateway-hours', prices.natPerHour, natCount * windowHours * prices.natPerHour.usd);
    const gb = (traffic.natProcessedGbPerMonth * windowHours) / HOURS_PER_MONTH;
    add('NAT gateway', 'data processed', gb, 'GB', prices.natPerGb, gb * prices.natPerGb.usd);
  }

  // Load balancers: hours plus (N)LCU-hours from the scenario's traffic through them.
  const balancers = distinctLoadBalancers(model);
  const timeline = result.timeline;
  for (const lb of balancers) {
    const backends = backendWorkloads(model, lb.owners);
    const unitsHours = capacityUnitHours(timeline, backends, traffic, lb.kind, endT);
    if (lb.kind === 'nlb') {
      add('Load balancers', `NLB ${lb.name}`, windowHours, 'LB-hours', prices.nlbPerHour, windowHours * prices.nlbPerHour.usd);
      add('Load balancers', `NLB ${lb.name} NLCU`, unitsHours, 'NLCU-hours', prices.nlbNlcuPerHour, unitsHours * prices.nlbNlcuPerHour.usd);
    } else if (lb.kind === 'clb') {
      // A Classic LB is billed per hour and per GB processed, with no capacity units (ELB pricing, Classic tab).
      add('Load balancers', `CLB ${lb.name}`, windowHours, 'LB-hours', prices.clbPerHour, windowHours * prices.clbPerHour.usd);
      add('Load balancers', `CLB ${lb.name} data processed`, unitsHours, 'GB', prices.clbPerGb, unitsHours * prices.clbPerGb.usd);
    } else {
      add('Load balancers', `ALB ${lb.name}`, windowHours, 'LB-hours', prices.albPerHour, windowHours * prices.albPerHour.usd);
      add('Load balancers', `ALB ${lb.name} LCU`, unitsHours, 'LCU-hours', prices.albLcuPerHour, unitsHours * prices.albLcuPerHour.usd);
    }
  }

  // Public IPv4 addresses: NAT EIPs, internet-facing load balancer nodes (one per AZ), public nodes.
  const publicAzs = Math.max(2, new Set(model.subnets.filter((s) => s.public).map((s) => s.availabilityZone)).size);
  const publicLbIps = balancers.filter((lb) => lb.scheme === 'internet-facing').length * publicAzs;
  const publicSubnets = new Set(model.subnets.filter((s) => s.public).map((s) => s.id));
  const publicNodeHours = result.nodes.filter((n) => n.subnetId !== undefined && publicSubnets.has(n.subnetId)).reduce((sum, n) => sum + nodeHours(n), 0);
  const ipHours = (natCount + publicLbIps) * windowHours + publicNodeHours;
  add('Public IPv4', `${natCount} NAT EIP(s), ${publicLbIps} load balancer IP(s)${publicNodeHours > 0 ? ', public nodes' : ''}`, ipHours, 'IP-hours', prices.publicIpv4PerHour, ipHours * prices.publicIpv4PerHour.usd);

  // Cross-AZ data transfer between communicating workloads, from where their pods land.
  for (const call of traffic.calls) {
    const gb = crossAzGb(result, call, traffic, endT);
    const usd = gb * prices.interAzPerGbEachWay.usd * 2;
    add('Data transfer', `cross-AZ ${call.from} → ${call.to}`, gb, 'GB', { usd: prices.interAzPerGbEachWay.usd * 2, source: `${prices.interAzPerGbEachWay.source} (both directions)` }, usd);
  }

  // Control-plane logs into CloudWatch Logs.
  if (model.cluster && model.cluster.logging.length > 0) {
    const avgNodes = averageNodes(timeline, result.nodes.length);
    const monthlyGb = model.cluster.logging.length * traffic.controlPlaneLogGbPerTypeMonth +
      (model.cluster.logging.includes('audit') ? traffic.auditLogGbPerNodeMonth * avgNodes : 0);
    const gb = (monthlyGb * windowHours) / HOURS_PER_MONTH;
    add('CloudWatch Logs', `control-plane logs (${model.cluster.logging.join(', ')})`, gb, 'GB ingested', prices.logsIngestionPerGb, gb * prices.logsIngestionPerGb.usd);
  }

  const windowUsd = lines.reduce((sum, line) => sum + line.windowUsd, 0);
  const byCategory: Record<string, number> = {};
  for (const line of lines) byCategory[line.category] = round((byCategory[line.category] ?? 0) + line.monthlyUsd, 2);

  const allocation = allocateNodeCost(result, inputs.workloadRequests, endT);
  const byWorkload: Record<string, number> = {};
  for (const [workload, usd] of [...allocation.byWorkload].sort((a, b) => a[0].localeCompare(b[0]))) byWorkload[workload] = round(monthly(usd), 2);

  return {
    region: prices.region,
    currency: 'USD',
    windowHours: round(windowHours, 4),
    windowUsd: round(windowUsd, 4),
    monthlyUsd: round(monthly(windowUsd), 2),
    byCategory,
    byWorkload,
    idleShare: round(allocation.idleShare, 4),
    lines,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function rootVolumeGiB(model: ClusterModel, node: NodeRecord, fallback: number): number {
  if (node.owner.kind === 'nodegroup') {
    const group = model.nodeGroups.find((g) => g.name === node.owner.name);
    if (group && group.diskSizeGiB > 0) return group.diskSizeGiB;
  }
  if (node.owner.kind === 'nodepool') {
    const classRef = model.nodePools.find((p) => p.name === node.owner.name)?.nodeClassRef?.name;
    const root = model.nodeClasses.find((c) => c.name === classRef)?.rootVolume;
    if (root) return root.sizeBytes / GiB;
  }
  return fallback;
}

interface PersistentVolume { name: string; gib: number; type: string }

/** Standalone PVCs and StatefulSet volumeClaimTemplates (one volume per peak replica), with their EBS type. */
function persistentVolumes(model: ClusterModel, result: SimulationResult): PersistentVolume[] {
  const defaultClass = model.storageClasses.find((c) => c.isDefault);
  const typeOf = (className: string | undefined): string => {
    const cls = className !== undefined ? model.storageClasses.find((c) => c.name === className) : defaultClass;
    // EKS clusters come with a default `gp2` StorageClass (in-tree kubernetes.io/aws-ebs) when the app defines none.
    if (!cls) return className !== undefined && className.includes('gp3') ? 'gp3' : 'gp2';
    return cls.volumeType;
  };
  const fallbackReplicas = new Map<string, number>();
  for (const { object } of model.objects) {
    if (object.kind === 'StatefulSet') fallbackReplicas.set(`StatefulSet ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`, typeof object.spec?.replicas === 'number' ? object.spec.replicas : 1);
  }
  return model.volumeClaims.map((claim): PersistentVolume => {
    const gib = claim.requestBytes / GiB;
    if (!claim.perReplica) return { name: `PVC ${claim.namespace}/${claim.name}`, gib, type: typeOf(claim.storageClassName) };
    const replicas = peakReplicas(result, claim.owner, fallbackReplicas.get(claim.owner) ?? 1);
    return { name: `${claim.owner} ${claim.name} ×${replicas}`, gib: gib * replicas, type: typeOf(claim.storageClassName) };
  });
}

function peakReplicas(result: SimulationResult, workload: string, fallback: number): number {
  let peak = 0;
  for (const point of result.timeline) peak = Math.max(peak, point.replicas[workload] ?? 0);
  const placed = result.placements.find((p) => p.workload === workload);
  return peak > 0 ? peak : placed ? Math.max(placed.desired, 1) : fallback;
}

interface LoadBalancer { name: string; kind: 'alb' | 'nlb' | 'clb'; scheme: string; owners: string[] }

/** One ALB per IngressGroup (or per Ingress without a group), one NLB or Classic LB per Service. */
function distinctLoadBalancers(model: ClusterModel): LoadBalancer[] {
  const byName = new Map<string, LoadBalancer>();
  for (const lb of model.loadBalancers) {
    const kind = lb.kind;
    const name = lb.group ? `group ${lb.group}` : lb.owner;
    const entry = byName.get(`${kind}|${name}`) ?? { name, kind, scheme: lb.scheme, owners: [] };
    entry.owners.push(lb.owner);
    if (lb.scheme === 'internet-facing') entry.scheme = 'internet-facing';
    byName.set(`${kind}|${name}`, entry);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Workload keys behind Ingresses/Services (`Ingress ns/name` or `Service ns/name` owners), by label selector. */
export function backendWorkloads(model: ClusterModel, owners: readonly string[]): string[] {
  const services = new Set<string>();
  for (const owner of owners) {
    const match = /^(Ingress|Service)\s+([^/\s]+)\/(\S+)$/.exec(owner);
    if (!match) continue;
    const [, kind, namespace, name] = match;
    if (kind === 'Service') { services.add(`${namespace}/${name}`); continue; }
    const ingress = model.objects.find((o) => o.object.kind === 'Ingress' && o.object.metadata.name === name && (o.object.metadata.namespace ?? 'default') === namespace)?.object;
    const spec = ingress?.spec ?? {};
    const backendNames: string[] = [];
    if (spec.defaultBackend?.service?.name) backendNames.push(spec.defaultBackend.service.name);
    for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
      for (const p of Array.isArray(rule?.http?.paths) ? rule.http.paths : []) if (p?.backend?.service?.name) backendNames.push(p.backend.service.name);
    }
    for (const svc of backendNames) services.add(`${namespace}/${svc}`);
  }
  const workloads = new Set<string>();
  for (const key of services) {
    const [namespace, name] = key.split('/');
    const service = model.objects.find((o) => o.object.kind === 'Service' && o.object.metadata.name === name && (o.object.metadata.namespace ?? 'default') === namespace)?.object;
    const selector: Record<string, string> | undefined = service?.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) continue;
    for (const { object } of model.objects) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(object.kind)) continue;
      if ((object.metadata.namespace ?? 'default') !== namespace) continue;
      const labels: Record<string, string> = object.spec?.template?.metadata?.labels ?? {};
      if (Object.entries(selector).every(([k, v]) => labels[k] === v)) workloads.add(`${object.kind} ${namespace}/${object.metadata.name}`);
    }
  }
  return [...workloads].sort();
}

/**
 * (N)LCU-hours over the window. ALB LCU dimensions: 25 new connections/s, 3,000 active connections/min,
 * 1 GB/h processed for EC2/IP targets, 1,000 rule evaluations/s; NLB NLCU (TCP): 800 new flows/s,
 * 100,000 active flows, 1 GB/h (aws.amazon.com/elasticloadbalancing/pricing). The highest dimension is billed.
 * For a Classic LB: GB processed over the window.
 */
function capacityUnitHours(timeline: readonly TimelinePoint[], workloads: readonly string[], traffic: TrafficAssumptions, kind: 'alb' | 'nlb' | 'clb', endT: number): number {
  let total = 0;
  for (let i = 0; i < timeline.length; i += 1) {
    const point = timeline[i];
    const dt = ((i + 1 < timeline.length ? timeline[i + 1].t : endT) - point.t) / 3600;
    if (dt <= 0) continue;
    const rps = workloads.reduce((sum, w) => sum + (point.requestsPerSecond?.[w] ?? 0), 0);
    const newConnections = rps / traffic.requestsPerConnection;
    const activeConnections = newConnections * traffic.connectionSeconds;
    const gbPerHour = (rps * traffic.bytesPerRequest * 3600) / 1e9;
    // A Classic LB bills GB processed only, so its "units" are GB.
    const units = kind === 'alb'
      ? Math.max(newConnections / 25, activeConnections / 3000, gbPerHour / 1, (rps * traffic.ruleEvaluationsPerRequest) / 1000)
      : kind === 'nlb' ? Math.max(newConnections / 800, activeConnections / 100000, gbPerHour / 1) : gbPerHour;
    total += units * dt;
  }
  return total;
}

/** GB crossing AZs for one call edge: traffic × the chance that caller and callee pods sit in different AZs. */
function crossAzGb(result: SimulationResult, call: TrafficAssumptions['calls'][number], traffic: TrafficAssumptions, endT: number): number {
  const zonesOf = (workload: string) => result.placements.find((p) => p.workload === workload || p.workload.endsWith(` ${workload}`) || p.workload.endsWith(`/${workload}`))?.zones ?? {};
  const from = normalise(zonesOf(call.from));
  const to = normalise(zonesOf(call.to));
  let sameZone = 0;
  for (const [zone, share] of Object.entries(from)) sameZone += share * (to[zone] ?? 0);
  const crossShare = Object.keys(from).length === 0 || Object.keys(to).length === 0 ? 0 : 1 - sameZone;
  const bytes = call.bytesPerRequest ?? traffic.bytesPerRequest;
  let requests = 0;
  if (call.requestsPerSecond !== undefined) {
    requests = call.requestsPerSecond * endT;
  } else {
    const timeline = result.timeline;
    for (let i = 0; i < timeline.length; i += 1) {
      const dt = (i + 1 < timeline.length ? timeline[i + 1].t : endT) - timeline[i].t;
      const rps = Object.entries(timeline[i].requestsPerSecond ?? {}).filter(([w]) => w === call.from || w.endsWith(`/${call.from}`)).reduce((s, [, v]) => s + v, 0);
      requests += rps * (call.ratio ?? 1) * Math.max(0, dt);
    }
  }
  return (requests * bytes * crossShare) / 1e9;
}

function normalise(zones: Record<string, number>): Record<string, number> {
  const total = Object.values(zones).reduce((s, v) => s + v, 0);
  const out: Record<string, number> = {};
  if (total > 0) for (const [zone, n] of Object.entries(zones)) out[zone] = n / total;
  return out;
}

function averageNodes(timeline: readonly TimelinePoint[], fallback: number): number {
  if (timeline.length === 0) return fallback;
  return timeline.reduce((sum, p) => sum + p.nodes, 0) / timeline.length;
}

/**
 * Allocates node cost to workloads by their share of requested CPU and memory (OpenCost's allocation:
 * a node's cost is split into CPU and RAM by the default unit prices; each workload pays for its requests;
 * what nobody requests is idle).
 */
function allocateNodeCost(result: SimulationResult, requests: ReadonlyMap<string, WorkloadRequests>, endT: number): { byWorkload: Map<string, number>; idleShare: number } {
  const byWorkload = new Map<string, number>();
  let total = 0;
  let allocated = 0;
  const points = result.timeline.length > 0 ? result.timeline : [];
  for (let i = 0; i < points.length; i += 1) {
    const point = points[i];
    const dtHours = ((i + 1 < points.length ? points[i + 1].t : endT) - point.t) / 3600;
    if (dtHours <= 0 || point.allocatableMilliCpu <= 0 || point.allocatableMemoryBytes <= 0) continue;
    const cost = point.usdPerHour * dtHours;
    total += cost;
    const vcpu = point.allocatableMilliCpu / 1000;
    const gib = point.allocatableMemoryBytes / GiB;
    const cpuWeight = vcpu * OPENCOST_CPU_PER_VCPU_HOUR;
    const memWeight = gib * OPENCOST_RAM_PER_GIB_HOUR;
    const cpuCost = (cost * cpuWeight) / (cpuWeight + memWeight);
    const memCost = cost - cpuCost;
    for (const [workload, replicas] of Object.entries(point.replicas)) {
      const perPod = requests.get(workload);
      if (!perPod || replicas <= 0) continue;
      const running = Math.max(0, replicas - (point.pendingByWorkload[workload] ?? 0));
      const share = cpuCost * Math.min(1, (perPod.milliCpu * running) / point.allocatableMilliCpu) +
        memCost * Math.min(1, (perPod.memoryBytes * running) / point.allocatableMemoryBytes);
      byWorkload.set(workload, (byWorkload.get(workload) ?? 0) + share);
      allocated += share;
    }
  }
  return { byWorkload, idleShare: total > 0 ? Math.max(0, 1 - allocated / total) : 0 };
}

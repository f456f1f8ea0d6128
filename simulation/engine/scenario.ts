import { parseDurationSeconds } from '../model/duration';
import { EXPANDERS_ON_AWS } from '../model/cluster-autoscaler-settings';
import { EksplanError } from '../model/errors';
import { FEATURE_GATE_NAMES } from '../scheduler/features';
import { ASSUMABLE_CONTROLLERS, type AssumedController, type ControllerSettings, Fault, LoadProfile, Scenario, ScenarioTraffic, TrafficCall, WorkloadLoad } from '../model/scenario';

// A load scenario: duration and step, load per workload, faults, controller settings, and the thresholds
// the verdict checks. YAML or JSON; every field is validated with an error naming it.

export type { ControllerSettings, Fault, LoadProfile, Scenario, ScenarioTraffic, Thresholds, TrafficCall, WorkloadLoad } from '../model/scenario';

const TOP_KEYS = ['name', 'duration', 'step', 'seed', 'region', 'startDate', 'loads', 'faults', 'thresholds', 'controllers', 'defaultUtilization', 'traffic', 'assume', 'featureGates'];
const THRESHOLD_KEYS = ['maxPendingSeconds', 'maxPendingPods', 'maxMonthlyCostUsd', 'minFreeSubnetIpsPercent', 'maxNodes'];
const MAX_DURATION = 31 * 86400;

class Reader {
  constructor(readonly file: string) {}

  fail(field: string, message: string): never {
    throw new EksplanError(message, { input: this.file, field });
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(field, `must be an object, got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  keys(value: Record<string, unknown>, field: string, allowed: string[]): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const near = allowed.find((candidate) => editDistance(candidate.toLowerCase(), key.toLowerCase()) <= 2);
      this.fail(field ? `${field}.${key}` : key, `unknown field${near ? ` (did you mean '${near}'?)` : ''}; expected one of ${allowed.join(', ')}`);
    }
  }

  number(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) this.fail(field, `must be a number from ${min} to ${max}, got ${describe(value)}`);
    return value;
  }

  duration(value: unknown, field: string, max = MAX_DURATION): number {
    if (typeof value !== 'string' && typeof value !== 'number') this.fail(field, `must be a duration like 30s, 15m or 24h, got ${describe(value)}`);
    let seconds: number;
    try {
      seconds = parseDurationSeconds(value);
    } catch {
      return this.fail(field, `must be a duration like 30s, 15m or 24h (not negative), got ${describe(value)}`);
    }
    if (!Number.isFinite(seconds) || seconds > max) this.fail(field, `must be at most ${max / 3600}h, got ${describe(value)}`);
    return seconds;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value === '') this.fail(field, `must be a non-empty string, got ${describe(value)}`);
    return value;
  }
}

/** Levenshtein distance, for "did you mean" on a misspelled key. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Where a scenario's CSV load series come from: simulation/assembly reads them when loading a scenario file. */
export interface ScenarioSources {
  readonly readCsv?: (name: string, field: string) => string;
}

/** Validates a parsed scenario object (no I/O: CSV files named by the scenario are read through `sources`). */
export function parseScenario(raw: unknown, file = 'scenario', sources: ScenarioSources = {}): Scenario {
  const r = new Reader(file);
  const top = r.object(raw, '(top level)');
  r.keys(top, '', TOP_KEYS);
  const durationSeconds = top.duration === undefined ? 86400 : r.duration(top.duration, 'duration');
  if (durationSeconds <= 0) r.fail('duration', 'must be longer than 0s');
  const stepSeconds = top.step === undefined ? 15 : r.duration(top.step, 'step', 3600);
  if (stepSeconds < 1) r.fail('step', 'must be at least 1s');
  if (durationSeconds / stepSeconds > 1_000_000) r.fail('step', `gives ${Math.round(durationSeconds / stepSeconds)} steps; at most 1000000`);
  const seed = top.seed === undefined ? 1 : r.number(top.seed, 'seed', 0, 2 ** 32 - 1);
  if (!Number.isInteger(seed)) r.fail('seed', 'must be an integer');
  const region = top.region === undefined ? undefined : r.string(top.region, 'region');
  if (region !== undefined && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) r.fail('region', `must be an AWS region like us-east-1, got ${describe(region)}`);
  const startDate = top.startDate === undefined ? undefined : r.string(top.startDate, 'startDate');
  if (startDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) r.fail('startDate', 'must be a date yyyy-mm-dd');

  const loads = top.loads === undefined ? [] : Array.isArray(top.loads) ? top.loads.map((l, i) => parseLoad(r, l, `loads[${i}]`, durationSeconds, sources)) : r.fail('loads', 'must be a list');
  const faults = top.faults === undefined ? [] : Array.isArray(top.faults) ? top.faults.map((f, i) => parseFault(r, f, `faults[${i}]`, durationSeconds)) : r.fail('faults', 'must be a list');

  const thresholds: Record<string, number> = {};
  if (top.thresholds !== undefined) {
    const t = r.object(top.thresholds, 'thresholds');
    r.keys(t, 'thresholds', THRESHOLD_KEYS);
    for (const key of THRESHOLD_KEYS) {
      if (t[key] === undefined) continue;
      const max = key === 'minFreeSubnetIpsPercent' ? 100 : 1e12;
      thresholds[key] = r.number(t[key], `thresholds.${key}`, 0, max);
    }
  }
  const defaultUtilization = top.defaultUtilization === undefined ? 0.5 : r.number(top.defaultUtilization, 'defaultUtilization', 0, 10);
  const traffic = top.traffic === undefined ? undefined : parseTraffic(r, top.traffic);
  const assume = top.assume === undefined ? undefined : parseAssume(r, top.assume);
  const featureGates = top.featureGates === undefined ? undefined : parseFeatureGates(r, top.featureGates);
  return {
    name: top.name === undefined ? (file.split(/[\\/]/).pop() ?? file).replace(/\.(ya?ml|json)$/, '') : r.string(top.name, 'name'),
    file, durationSeconds, stepSeconds, seed, region, startDate, loads, faults, thresholds, controllers: parseControllers(r, top.controllers), defaultUtilization, traffic,
    ...(assume ? { assume } : {}),
    ...(featureGates ? { featureGates } : {}),
  };
}

/** `featureGates: { Name: true|false }`: only the gates the scheduler and HPA models read (scheduler/features.ts). */
function parseFeatureGates(r: Reader, value: unknown): Record<string, boolean> {
  const gates = r.object(value, 'featureGates');
  r.keys(gates, 'featureGates', [...FEATURE_GATE_NAMES]);
  const out: Record<string, boolean> = {};
  for (const [name, enabled] of Object.entries(gates)) {
    if (typeof enabled !== 'boolean') r.fail(`featureGates.${name}`, `must be true or false, got ${describe(enabled)}`);
    out[name] = enabled;
  }
  return out;
}

// Upper bounds only catch nonsense (a typo of several orders of magnitude); money, bytes and rates may
// never be negative or non-finite, or a negative cost would pass a maxMonthlyCostUsd gate.
const TRAFFIC_NUMBERS: Record<Exclude<keyof ScenarioTraffic, 'calls'>, { min: number; max: number }> = {
  bytesPerRequest: { min: 0, max: 1e12 },
  requestsPerConnection: { min: 1, max: 1e9 },
  connectionSeconds: { min: 0, max: 31 * 86400 },
  ruleEvaluationsPerRequest: { min: 0, max: 1e4 },
  natProcessedGbPerMonth: { min: 0, max: 1e9 },
  controlPlaneLogGbPerTypeMonth: { min: 0, max: 1e9 },
  auditLogGbPerNodeMonth: { min: 0, max: 1e9 },
};
const TRAFFIC_CALL_KEYS = ['from', 'to', 'bytesPerRequest', 'requestsPerSecond', 'ratio'];

function parseTraffic(r: Reader, value: unknown): ScenarioTraffic {
  const o = r.object(value, 'traffic');
  r.keys(o, 'traffic', [...Object.keys(TRAFFIC_NUMBERS), 'calls']);
  const out: { -readonly [K in keyof ScenarioTraffic]: ScenarioTraffic[K] } = {};
  for (const [key, range] of Object.entries(TRAFFIC_NUMBERS) as [keyof typeof TRAFFIC_NUMBERS, { min: number; max: number }][]) {
    if (o[key] !== undefined) out[key] = r.number(o[key], `traffic.${key}`, range.min, range.max);
  }
  if (o.calls !== undefined) {
    if (!Array.isArray(o.calls)) r.fail('traffic.calls', `must be a list of {from, to}, got ${describe(o.calls)}`);
    out.calls = (o.calls as unknown[]).map((c, i): TrafficCall => {
      const f = `traffic.calls[${i}]`;
      const call = r.object(c, f);
      r.keys(call, f, TRAFFIC_CALL_KEYS);
      return {
        from: r.string(call.from, `${f}.from`),
        to: r.string(call.to, `${f}.to`),
        ...(call.bytesPerRequest === undefined ? {} : { bytesPerRequest: r.number(call.bytesPerRequest, `${f}.bytesPerRequest`, 0, 1e12) }),
        ...(call.requestsPerSecond === undefined ? {} : { requestsPerSecond: r.number(call.requestsPerSecond, `${f}.requestsPerSecond`, 0, 1e9) }),
        ...(call.ratio === undefined ? {} : { ratio: r.number(call.ratio, `${f}.ratio`, 0, 1e4) }),
      };
    });
  }
  return out;
}

function parseAssume(r: Reader, value: unknown): AssumedController[] {
  if (!Array.isArray(value)) r.fail('assume', `must be a list of ${ASSUMABLE_CONTROLLERS.join(', ')}, got ${describe(value)}`);
  return (value as unknown[]).map((item, i) => {
    if (!ASSUMABLE_CONTROLLERS.includes(item as AssumedController)) r.fail(`assume[${i}]`, `must be one of ${ASSUMABLE_CONTROLLERS.join(', ')}, got ${describe(item)}`);
    return item as AssumedController;
  });
}

function parseLoad(r: Reader, value: unknown, field: string, duration: number, sources: ScenarioSources): WorkloadLoad {
  const o = r.object(value, field);
  r.keys(o, field, ['workload', 'profile', 'perRequest', 'baseline']);
  const workload = r.string(o.workload, `${field}.workload`);
  const p = r.object(o.profile, `${field}.profile`);
  const type = r.string(p.type, `${field}.profile.type`);
  const pf = `${field}.profile`;
  const rps = (v: unknown, f: string) => r.number(v, f, 0, 1e9);
  let profile: LoadProfile;
  switch (type) {
    case 'constant':
      r.keys(p, pf, ['type', 'rps']);
      profile = { type, rps: rps(p.rps, `${pf}.rps`) };
      break;
    case 'step': {
      r.keys(p, pf, ['type', 'steps']);
      if (!Array.isArray(p.steps) || p.steps.length === 0) r.fail(`${pf}.steps`, 'must be a non-empty list of {at, rps}');
      const steps = (p.steps as unknown[]).map((s, i) => {
        const so = r.object(s, `${pf}.steps[${i}]`);
        r.keys(so, `${pf}.steps[${i}]`, ['at', 'rps']);
        return { at: r.duration(so.at, `${pf}.steps[${i}].at`), rps: rps(so.rps, `${pf}.steps[${i}].rps`) };
      });
      profile = { type, steps: steps.sort((a, b) => a.at - b.at) };
      break;
    }
    case 'ramp':
      r.keys(p, pf, ['type', 'from', 'to', 'start', 'end']);
      profile = { type, from: rps(p.from, `${pf}.from`), to: rps(p.to, `${pf}.to`), start: r.duration(p.start ?? 0, `${pf}.start`), end: r.duration(p.end ?? duration, `${pf}.end`) };
      if (profile.end <= profile.start) r.fail(`${pf}.end`, 'must be after start');
      break;
    case 'diurnal':
      r.keys(p, pf, ['type', 'min', 'max', 'peakHour']);
      profile = { type, min: rps(p.min, `${pf}.min`), max: rps(p.max, `${pf}.max`), peakHour: r.number(p.peakHour ?? 14, `${pf}.peakHour`, 0, 23.99) };
      if (profile.max < profile.min) r.fail(`${pf}.max`, 'must not be below min');
      break;
    case 'spike':
      r.keys(p, pf, ['type', 'base', 'multiplier', 'at', 'duration']);
      profile = { type, base: rps(p.base, `${pf}.base`), multiplier: r.number(p.multiplier, `${pf}.multiplier`, 0, 1000), at: r.duration(p.at, `${pf}.at`), duration: r.duration(p.duration, `${pf}.duration`) };
      break;
    case 'csv': {
      r.keys(p, pf, ['type', 'file', 'data']);
      let text: string;
      if (typeof p.data === 'string') text = p.data;
      else {
        const name = r.string(p.file, `${pf}.file`);
        if (!sources.readCsv) return r.fail(`${pf}.file`, 'a CSV file can be read only when the scenario is loaded from a file (loadScenario); give the rows as data');
        text = sources.readCsv(name, `${pf}.file`);
      }
      const points: { t: number; rps: number }[] = [];
      text.split(/\r?\n/).forEach((line, i) => {
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('#') || /^[a-z_]+\s*,/i.test(trimmed)) return;
        const [tText, rpsText] = trimmed.split(',').map((s) => s.trim());
        const t = /^\d+(\.\d+)?$/.test(tText) ? Number(tText) : r.duration(tText, `${pf} line ${i + 1}`);
        const value = Number(rpsText);
        if (!Number.isFinite(value) || value < 0) r.fail(`${pf} line ${i + 1}`, `requests/second must be a non-negative number, got ${describe(rpsText)}`);
        points.push({ t, rps: value });
      });
      if (points.length === 0) r.fail(pf, 'the CSV has no rows of seconds,rps');
      profile = { type: 'series', points: points.sort((a, b) => a.t - b.t) };
      break;
    }
    default:
      return r.fail(`${pf}.type`, `must be constant, step, ramp, diurnal, spike or csv, got ${describe(type)}`);
  }
  const pair = (v: unknown, f: string, defaults: { cpuMillicores: number; memoryMiB: number }) => {
    if (v === undefined) return defaults;
    const o2 = r.object(v, f);
    r.keys(o2, f, ['cpuMillicores', 'memoryMiB']);
    return {
      cpuMillicores: o2.cpuMillicores === undefined ? defaults.cpuMillicores : r.number(o2.cpuMillicores, `${f}.cpuMillicores`, 0, 1e6),
      memoryMiB: o2.memoryMiB === undefined ? defaults.memoryMiB : r.number(o2.memoryMiB, `${f}.memoryMiB`, 0, 1e7),
    };
  };
  return { workload, profile, perRequest: pair(o.perRequest, `${field}.perRequest`, { cpuMillicores: 1, memoryMiB: 0 }), baseline: pair(o.baseline, `${field}.baseline`, { cpuMillicores: 10, memoryMiB: 64 }) };
}

function parseFault(r: Reader, value: unknown, field: string, duration: number): Fault {
  const o = r.object(value, field);
  const type = r.string(o.type, `${field}.type`);
  switch (type) {
    case 'az-outage': {
      r.keys(o, field, ['type', 'zone', 'from', 'to']);
      const from = r.duration(o.from, `${field}.from`);
      const to = o.to === undefined ? duration : r.duration(o.to, `${field}.to`);
      if (to <= from) r.fail(`${field}.to`, 'must be after from');
      return { type, zone: r.string(o.zone, `${field}.zone`), from, to };
    }
    case 'spot-interruption': {
      r.keys(o, field, ['type', 'at', 'fraction', 'ratePerHour']);
      if (o.at === undefined && o.ratePerHour === undefined) r.fail(field, 'needs either at (with fraction) or ratePerHour');
      return {
        type,
        at: o.at === undefined ? undefined : r.duration(o.at, `${field}.at`),
        fraction: o.fraction === undefined ? (o.at === undefined ? undefined : 1) : r.number(o.fraction, `${field}.fraction`, 0, 1),
        ratePerHour: o.ratePerHour === undefined ? undefined : r.number(o.ratePerHour, `${field}.ratePerHour`, 0, 1),
      };
    }
    case 'node-failure':
      r.keys(o, field, ['type', 'at', 'count', 'nodeGroup']);
      return { type, at: r.duration(o.at, `${field}.at`), count: o.count === undefined ? 1 : r.number(o.count, `${field}.count`, 1, 10000), nodeGroup: o.nodeGroup === undefined ? undefined : r.string(o.nodeGroup, `${field}.nodeGroup`) };
    case 'insufficient-capacity': {
      r.keys(o, field, ['type', 'instanceTypes', 'from', 'to', 'zones']);
      if (!Array.isArray(o.instanceTypes) || o.instanceTypes.length === 0) r.fail(`${field}.instanceTypes`, 'must be a non-empty list of instance types');
      const from = o.from === undefined ? 0 : r.duration(o.from, `${field}.from`);
      const to = o.to === undefined ? duration : r.duration(o.to, `${field}.to`);
      return {
        type, instanceTypes: (o.instanceTypes as unknown[]).map((t, i) => r.string(t, `${field}.instanceTypes[${i}]`)), from, to,
        zones: o.zones === undefined ? undefined : Array.isArray(o.zones) ? o.zones.map((z, i) => r.string(z, `${field}.zones[${i}]`)) : r.fail(`${field}.zones`, 'must be a list'),
      };
    }
    default:
      return r.fail(`${field}.type`, `must be az-outage, spot-interruption, node-failure or insufficient-capacity, got ${describe(type)}`);
  }
}

function parseControllers(r: Reader, value: unknown): ControllerSettings {
  const o = value === undefined ? {} : r.object(value, 'controllers');
  r.keys(o, 'controllers', ['clusterAutoscaler', 'karpenter', 'hpa', 'pods']);
  const ca = o.clusterAutoscaler === undefined ? {} : r.object(o.clusterAutoscaler, 'controllers.clusterAutoscaler');
  r.keys(ca, 'controllers.clusterAutoscaler', ['expander', 'balanceSimilarNodeGroups', 'priorities', 'provisioningDelay', 'scanInterval', 'scaleDownUtilizationThreshold', 'scaleDownUnneededTime', 'scaleDownDelayAfterAdd']);
  const expander = ca.expander === undefined ? 'least-waste' : r.string(ca.expander, 'controllers.clusterAutoscaler.expander');
  // cluster-autoscaler --expander: one expander or a comma-separated chain. `price` needs a pricing model the AWS
  // provider does not implement (its Pricing() returns ErrNotImplemented), so the Cluster Autoscaler exits at start.
  for (const name of expander.split(',').map((e) => e.trim())) {
    if (name === 'price') r.fail('controllers.clusterAutoscaler.expander', "price is not available on AWS (the Cluster Autoscaler's AWS provider has no pricing model); use least-waste, most-pods, least-nodes, priority or random");
    if (!EXPANDERS_ON_AWS.includes(name)) r.fail('controllers.clusterAutoscaler.expander', `must be random, least-waste, most-pods, least-nodes or priority (or a comma-separated chain), got ${describe(expander)}`);
  }
  const balanceSimilarNodeGroups = ca.balanceSimilarNodeGroups === undefined ? false : ca.balanceSimilarNodeGroups === true || ca.balanceSimilarNodeGroups === false
    ? ca.balanceSimilarNodeGroups : r.fail('controllers.clusterAutoscaler.balanceSimilarNodeGroups', `must be true or false, got ${describe(ca.balanceSimilarNodeGroups)}`);
  const priorities: Record<string, number> = {};
  if (ca.priorities !== undefined) {
    for (const [pattern, prio] of Object.entries(r.object(ca.priorities, 'controllers.clusterAutoscaler.priorities'))) {
      priorities[pattern] = r.number(prio, `controllers.clusterAutoscaler.priorities.${pattern}`, -1e6, 1e6);
    }
  }
  const k = o.karpenter === undefined ? {} : r.object(o.karpenter, 'controllers.karpenter');
  for (const key of ['batchIdle', 'batchMax']) {
    if (k[key] !== undefined) r.fail(`controllers.karpenter.${key}`, `is read from the Karpenter chart values the assembly deploys (settings.${key}Duration), not from the scenario`);
  }
  r.keys(k, 'controllers.karpenter', ['launchDelay']);
  const h = o.hpa === undefined ? {} : r.object(o.hpa, 'controllers.hpa');
  r.keys(h, 'controllers.hpa', ['syncPeriod']);
  const p = o.pods === undefined ? {} : r.object(o.pods, 'controllers.pods');
  r.keys(p, 'controllers.pods', ['startupTime']);
  const d = (v: unknown, f: string, fallback: number) => (v === undefined ? fallback : r.duration(v, f));
  return {
    clusterAutoscaler: {
      expander, balanceSimilarNodeGroups, priorities,
      // What the scenario sets wins over the flags of the Cluster Autoscaler the platform deploys (a what-if).
      explicit: Object.keys(ca),
      // Defaults from cluster-autoscaler FAQ "What are the parameters to CA?" and EKS node launch times.
      provisioningDelaySeconds: d(ca.provisioningDelay, 'controllers.clusterAutoscaler.provisioningDelay', 180),
      scanIntervalSeconds: d(ca.scanInterval, 'controllers.clusterAutoscaler.scanInterval', 10),
      scaleDownUtilizationThreshold: ca.scaleDownUtilizationThreshold === undefined ? 0.5 : r.number(ca.scaleDownUtilizationThreshold, 'controllers.clusterAutoscaler.scaleDownUtilizationThreshold', 0, 1),
      scaleDownUnneededSeconds: d(ca.scaleDownUnneededTime, 'controllers.clusterAutoscaler.scaleDownUnneededTime', 600),
      scaleDownDelayAfterAddSeconds: d(ca.scaleDownDelayAfterAdd, 'controllers.clusterAutoscaler.scaleDownDelayAfterAdd', 600),
    },
    karpenter: {
      launchDelaySeconds: d(k.launchDelay, 'controllers.karpenter.launchDelay', 60),
    },
    hpa: { syncPeriodSeconds: d(h.syncPeriod, 'controllers.hpa.syncPeriod', 15) },
    pods: { startupSeconds: d(p.startupTime, 'controllers.pods.startupTime', 20) },
  };
}

/** Requests per second of a profile at simulated time t (seconds from the start, day starting at midnight). */
export function rpsAt(profile: LoadProfile, t: number): number {
  switch (profile.type) {
    case 'constant': return profile.rps;
    case 'step': {
      let value = 0;
      for (const step of profile.steps) if (step.at <= t) value = step.rps;
      return value;
    }
    case 'ramp':
      if (t <= profile.start) return profile.from;
      if (t >= profile.end) return profile.to;
      return profile.from + ((profile.to - profile.from) * (t - profile.start)) / (profile.end - profile.start);
    case 'diurnal': {
      const hour = (t / 3600) % 24;
      const phase = ((hour - profile.peakHour) / 24) * 2 * Math.PI;
      return profile.min + ((profile.max - profile.min) * (1 + Math.cos(phase))) / 2;
    }
    case 'spike':
      return t >= profile.at && t < profile.at + profile.duration ? profile.base * profile.multiplier : profile.base;
    case 'series': {
      const points = profile.points;
      if (t <= points[0].t) return points[0].rps;
      for (let i = 1; i < points.length; i += 1) {
        if (t < points[i].t) {
          const a = points[i - 1];
          const b = points[i];
          return a.rps + ((b.rps - a.rps) * (t - a.t)) / (b.t - a.t);
        }
      }
      return points[points.length - 1].rps;
    }
  }
}

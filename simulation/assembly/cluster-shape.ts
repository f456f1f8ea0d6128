import { EKS_VERSIONS, hasInstanceType, REGIONS } from '../catalog';
import { DEFAULT_VPC_CNI, type ClusterModel, type HelmReleaseModel, type NodeGroupModel, type SubnetModel, type VpcCniConfig } from '../model/cluster';
import { EksplanError } from '../model/errors';
import type { Taint } from '../model/kubernetes';
import { withObjects } from '../model/typed-objects';
import { ASSUMABLE_CONTROLLERS, type AssumedController } from '../model/scenario';
import { readYamlDocuments } from './files';

// A cluster shape gives plain manifests (no CDK assembly) the capacity they run on: region, version, zones,
// subnets, node groups and the controllers that run in the cluster. The README ("Cluster shape") documents the
// format; every field is validated with its path. The EKS-bootstrapped add-ons (aws-node, kube-proxy, CoreDNS)
// come with the cluster, as on a new EKS cluster.

export interface ClusterShape {
  readonly file: string;
  readonly name: string;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly availabilityZones: string[];
  readonly vpcCni: VpcCniConfig;
  readonly subnets: SubnetModel[];
  readonly nodeGroups: NodeGroupModel[];
  readonly controllers: AssumedController[];
}

const TOP_KEYS = ['name', 'region', 'kubernetesVersion', 'availabilityZones', 'vpcCni', 'subnets', 'nodeGroups', 'controllers'];
const CNI_KEYS = ['prefixDelegation', 'warmEniTarget', 'warmIpTarget', 'minimumIpTarget', 'warmPrefixTarget'];
const SUBNET_KEYS = ['id', 'cidr', 'availabilityZone', 'public', 'tags'];
const GROUP_KEYS = ['name', 'instanceTypes', 'desiredSize', 'minSize', 'maxSize', 'zones', 'labels', 'taints', 'capacityType', 'amiType', 'maxPods', 'diskSizeGiB'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

class ShapeReader {
  constructor(readonly file: string) {}

  fail(field: string, message: string): never {
    throw new EksplanError(message, { input: this.file, field });
  }

  object(value: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(field, `must be an object, got ${describe(value)}`);
    for (const key of Object.keys(value as object)) {
      if (!keys.includes(key)) this.fail(field ? `${field}.${key}` : key, `unknown field; expected one of ${keys.join(', ')}`);
    }
    return value as Record<string, unknown>;
  }

  list(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `must be a list, got ${describe(value)}`);
    return value as unknown[];
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value === '') this.fail(field, `must be a non-empty string, got ${describe(value)}`);
    return value as string;
  }

  integer(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
    return value as number;
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, `must be true or false, got ${describe(value)}`);
    return value as boolean;
  }

  stringMap(value: unknown, field: string): Record<string, string> {
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(field, `must be a map of strings, got ${describe(value)}`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as object)) {
      if (typeof v !== 'string') this.fail(`${field}.${k}`, `must be a string, got ${describe(v)}`);
      out[k] = v as string;
    }
    return out;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The default subnets: one /19 per zone from 10.0.0.0/16 (8,187 usable addresses each, as the reference VPC's). */
function defaultSubnets(zones: readonly string[]): SubnetModel[] {
  return zones.map((zone, i) => ({ id: `pods-${zone}`, cidr: `10.0.${i * 32}.0/19`, availabilityZone: zone, public: false, tags: {} }));
}

/** Validates a parsed cluster shape (no I/O). */
export function parseClusterShape(raw: unknown, file = 'cluster shape'): ClusterShape {
  const r = new ShapeReader(file);
  const top = r.object(raw, '', TOP_KEYS);
  const region = top.region === undefined ? 'us-east-1' : r.string(top.region, 'region');
  if (!REGIONS.includes(region)) r.fail('region', `must be a region in the price catalog (${REGIONS.join(', ')}), got ${describe(region)}`);
  const versions = EKS_VERSIONS.map((v) => v.version);
  // Left out: the newest version the EKS calendar gives as released (not a projected one).
  const released = EKS_VERSIONS.filter((v) => !v.projected).map((v) => v.version);
  const kubernetesVersion = top.kubernetesVersion === undefined ? released[released.length - 1] : String(top.kubernetesVersion);
  if (!versions.includes(kubernetesVersion)) r.fail('kubernetesVersion', `must be an EKS version (${versions.join(', ')}) as a string, got ${describe(top.kubernetesVersion)}`);

  const cniRaw = top.vpcCni === undefined ? {} : r.object(top.vpcCni, 'vpcCni', CNI_KEYS);
  const cniNumber = (key: string) => (cniRaw[key] === undefined ? undefined : r.integer(cniRaw[key], `vpcCni.${key}`, 0, 1000));
  const vpcCni: VpcCniConfig = {
    ...DEFAULT_VPC_CNI,
    prefixDelegation: cniRaw.prefixDelegation === undefined ? false : r.boolean(cniRaw.prefixDelegation, 'vpcCni.prefixDelegation'),
    ...(cniRaw.warmEniTarget === undefined ? {} : { warmEniTarget: cniNumber('warmEniTarget') as number }),
    ...(cniRaw.warmIpTarget === undefined ? {} : { warmIpTarget: cniNumber('warmIpTarget') }),
    ...(cniRaw.minimumIpTarget === undefined ? {} : { minimumIpTarget: cniNumber('minimumIpTarget') }),
    ...(cniRaw.warmPrefixTarget === undefined ? {} : { warmPrefixTarget: cniNumber('warmPrefixTarget') }),
  };

  let subnets: SubnetModel[] | undefined;
  if (top.subnets !== undefined) {
    subnets = r.list(top.subnets, 'subnets').map((item, i) => {
      const f = `subnets[${i}]`;
      const s = r.object(item, f, SUBNET_KEYS);
      const cidr = r.string(s.cidr, `${f}.cidr`);
      const m = CIDR.exec(cidr);
      if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) < 16 || Number(m[5]) > 28) r.fail(`${f}.cidr`, `must be an IPv4 CIDR from /16 to /28 (the VPC subnet limits), got ${describe(cidr)}`);
      return {
        id: r.string(s.id, `${f}.id`), cidr, availabilityZone: r.string(s.availabilityZone, `${f}.availabilityZone`),
        public: s.public === undefined ? false : r.boolean(s.public, `${f}.public`), tags: r.stringMap(s.tags, `${f}.tags`),
      };
    });
    if (subnets.length === 0) r.fail('subnets', 'must list at least one subnet (or be left out for one /19 per zone)');
    const ids = subnets.map((s) => s.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) r.fail('subnets', `subnet id ${describe(duplicate)} is listed twice`);
  }

  const zonesGiven = top.availabilityZones === undefined ? undefined : r.list(top.availabilityZones, 'availabilityZones').map((z, i) => r.string(z, `availabilityZones[${i}]`));
  const availabilityZones = zonesGiven ?? [...new Set((subnets ?? []).map((s) => s.availabilityZone))];
  if (availabilityZones.length === 0) r.fail('availabilityZones', `must list the cluster's zones (e.g. [${region}a, ${region}b]) when no subnets are given`);
  for (const [i, zone] of availabilityZones.entries()) {
    if (!zone.startsWith(region)) r.fail(`availabilityZones[${i}]`, `must be a zone of ${region} (like ${region}a), got ${describe(zone)}`);
  }
  subnets ??= defaultSubnets(availabilityZones);
  for (const [i, subnet] of subnets.entries()) {
    if (!availabilityZones.includes(subnet.availabilityZone)) r.fail(`subnets[${i}].availabilityZone`, `must be one of availabilityZones (${availabilityZones.join(', ')}), got ${describe(subnet.availabilityZone)}`);
  }

  const groupsRaw = top.nodeGroups === undefined ? [] : r.list(top.nodeGroups, 'nodeGroups');
  const nodeGroups = groupsRaw.map((item, i) => parseNodeGroup(r, item, `nodeGroups[${i}]`, availabilityZones, subnets as SubnetModel[]));
  const names = nodeGroups.map((g) => g.name);
  const duplicateGroup = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicateGroup) r.fail('nodeGroups', `node group name ${describe(duplicateGroup)} is used twice`);

  const controllers = top.controllers === undefined ? [] : r.list(top.controllers, 'controllers').map((c, i) => {
    if (!ASSUMABLE_CONTROLLERS.includes(c as AssumedController)) r.fail(`controllers[${i}]`, `must be one of ${ASSUMABLE_CONTROLLERS.join(', ')}, got ${describe(c)}`);
    return c as AssumedController;
  });
  return { file, name: top.name === undefined ? 'cluster' : r.string(top.name, 'name'), region, kubernetesVersion, availabilityZones, vpcCni, subnets, nodeGroups, controllers };
}

function parseNodeGroup(r: ShapeReader, item: unknown, f: string, zones: readonly string[], subnets: readonly SubnetModel[]): NodeGroupModel {
  const g = r.object(item, f, GROUP_KEYS);
  const name = r.string(g.name, `${f}.name`);
  const instanceTypes = r.list(g.instanceTypes, `${f}.instanceTypes`).map((t, j) => {
    const type = r.string(t, `${f}.instanceTypes[${j}]`);
    if (!hasInstanceType(type)) r.fail(`${f}.instanceTypes[${j}]`, `unknown instance type ${describe(type)} (not in the instance catalog)`);
    return type;
  });
  if (instanceTypes.length === 0) r.fail(`${f}.instanceTypes`, 'must list at least one instance type');
  // EKS managed node groups: minSize ≤ desiredSize ≤ maxSize, maxSize at least 1 (CreateNodegroup scalingConfig).
  const desiredSize = r.integer(g.desiredSize, `${f}.desiredSize`, 0, 1000);
  const minSize = g.minSize === undefined ? desiredSize : r.integer(g.minSize, `${f}.minSize`, 0, 1000);
  const maxSize = g.maxSize === undefined ? Math.max(1, desiredSize) : r.integer(g.maxSize, `${f}.maxSize`, 1, 1000);
  if (minSize > desiredSize) r.fail(`${f}.minSize`, `must not exceed desiredSize ${desiredSize}, got ${minSize}`);
  if (desiredSize > maxSize) r.fail(`${f}.maxSize`, `must be at least desiredSize ${desiredSize}, got ${maxSize}`);
  const groupZones = g.zones === undefined ? [...zones] : r.list(g.zones, `${f}.zones`).map((z, j) => {
    const zone = r.string(z, `${f}.zones[${j}]`);
    if (!zones.includes(zone)) r.fail(`${f}.zones[${j}]`, `must be one of availabilityZones (${zones.join(', ')}), got ${describe(zone)}`);
    return zone;
  });
  const subnetIds = subnets.filter((s) => !s.public && groupZones.includes(s.availabilityZone)).map((s) => s.id);
  if (subnetIds.length === 0) r.fail(`${f}.zones`, `no private subnet in ${groupZones.join(', ')}`);
  const taints: Taint[] = g.taints === undefined ? [] : r.list(g.taints, `${f}.taints`).map((t, j) => {
    const tf = `${f}.taints[${j}]`;
    const o = r.object(t, tf, ['key', 'value', 'effect']);
    const effect = r.string(o.effect, `${tf}.effect`);
    if (!TAINT_EFFECTS.includes(effect)) r.fail(`${tf}.effect`, `must be one of ${TAINT_EFFECTS.join(', ')}, got ${describe(effect)}`);
    return { key: r.string(o.key, `${tf}.key`), ...(o.value === undefined ? {} : { value: String(o.value) }), effect: effect as Taint['effect'] };
  });
  const capacityType = g.capacityType === undefined ? 'ON_DEMAND' : r.string(g.capacityType, `${f}.capacityType`);
  if (capacityType !== 'ON_DEMAND' && capacityType !== 'SPOT') r.fail(`${f}.capacityType`, `must be ON_DEMAND or SPOT, got ${describe(capacityType)}`);
  return {
    name, kind: 'managed', instanceTypes, capacityType, minSize, desiredSize, maxSize, labels: r.stringMap(g.labels, `${f}.labels`), taints, subnetIds,
    amiType: g.amiType === undefined ? 'AL2023_x86_64_STANDARD' : r.string(g.amiType, `${f}.amiType`),
    diskSizeGiB: g.diskSizeGiB === undefined ? 20 : r.integer(g.diskSizeGiB, `${f}.diskSizeGiB`, 1, 16384), diskType: 'gp3',
    ...(g.maxPods === undefined ? {} : { maxPods: r.integer(g.maxPods, `${f}.maxPods`, 1, 737) }),
    imdsv2Required: true,
    source: { file: r.file, id: f },
  };
}

// Each controller a shape says runs in the cluster is its chart at default values, so its pods take their place
// on the nodes as they would (the chart table in simulation/engine/helm-charts.ts).
const CONTROLLER_RELEASES: Record<AssumedController, { chart: string; namespace: string }> = {
  'cluster-autoscaler': { chart: 'cluster-autoscaler', namespace: 'kube-system' },
  karpenter: { chart: 'karpenter', namespace: 'kube-system' },
  'metrics-server': { chart: 'metrics-server', namespace: 'kube-system' },
};

/** A manifests-only model placed on the shape's capacity. An assembly defines its own cluster and takes no shape. */
export function withClusterShape(model: ClusterModel, shape: ClusterShape): ClusterModel {
  if (model.cluster || model.nodeGroups.length > 0) {
    throw new EksplanError('a cluster shape is for plain manifests; this assembly defines its own cluster', { input: shape.file, field: '--cluster-shape' });
  }
  const releases: HelmReleaseModel[] = shape.controllers.map((name, i) => ({
    ...CONTROLLER_RELEASES[name], release: CONTROLLER_RELEASES[name].chart, source: { file: shape.file, id: `controllers[${i}]` },
    // The Cluster Autoscaler a shape names finds its node groups: the chart's auto-discovery of this cluster's tags.
    values: name === 'cluster-autoscaler' ? { autoDiscovery: { clusterName: shape.name } } : {},
  }));
  return withObjects({
    ...model,
    region: shape.region,
    availabilityZones: shape.availabilityZones,
    vpc: { id: 'vpc', cidrs: [...new Set(shape.subnets.map((s) => s.cidr))].slice(0, 1) },
    subnets: shape.subnets,
    cluster: {
      // The shape says nothing about endpoint, logging or encryption: assume the secure settings, so the
      // security checks (about the CloudFormation cluster) do not fail plain manifests on settings never given.
      name: shape.name, version: shape.kubernetesVersion, endpointPublicAccess: false, endpointPrivateAccess: true,
      logging: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], ipFamily: 'ipv4',
      secretsEncryption: true, autoMode: false, source: { file: shape.file, id: '(cluster shape)' },
    },
    nodeGroups: shape.nodeGroups,
    vpcCni: shape.vpcCni,
    helmReleases: [...model.helmReleases, ...releases],
  }, model.objects);
}

/** Reads a cluster shape file (YAML or JSON, one document). */
export function readClusterShape(file: string): ClusterShape {
  const documents = readYamlDocuments(file);
  if (documents.length !== 1) throw new EksplanError(`must hold one YAML/JSON document, got ${documents.length}`, { input: file });
  return parseClusterShape(documents[0], file);
}

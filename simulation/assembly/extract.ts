import { DEFAULT_VPC_CNI, referencedLogicalIds, type AccessEntryModel, type AddonModel, type ClusterInfo, type ClusterModel, type FargateProfileModel,
  type HelmReleaseModel, type IamRoleModel, type KubernetesObjectWithSource, type LoadBalancerModel, type NatGatewayModel, type NodeGroupModel,
  type PodIdentityAssociationModel, type RawResource, type SubnetModel, type VpcCniConfig } from '../model/cluster';
import { EKS_VERSIONS } from '../catalog/eks-versions';
import { EksplanError } from '../model/errors';
import type { KubernetesObject, Taint } from '../model/kubernetes';
import type { ResolvedResource, StackTemplates } from './cloud-assembly';
import { parseJson } from './files';
import { checkKind, checkObjectName } from './kinds';
import { labelsFromUserData, maxPodsExpressionFromUserData, maxPodsFromUserData } from './user-data';
import { cidrsOverlap, parseCidr } from '../model/cidr';
import { typedObjects } from '../model/typed-objects';
import { POD_SUBNET_TAG } from '../model/tags';

/** A template naming no version gets the newest version of the catalog's calendar, as the constructs default to the newest. */
export const EKS_DEFAULT_VERSION = EKS_VERSIONS[EKS_VERSIONS.length - 1].version;
const KUBERNETES_RESOURCE = /^Custom::AWSCDK-EKS-KubernetesResource/;
const HELM_CHART = /^Custom::AWSCDK-EKS-HelmChart/;
const CLUSTER_V1 = 'Custom::AWSCDK-EKS-Cluster';
const FARGATE_V1 = 'Custom::AWSCDK-EKS-FargateProfile';

/** An EKS cluster resource in either form: AWS::EKS::Cluster (aws-eks-v2, L1) or the aws-eks v1 custom resource. */
export function isClusterType(type: string): boolean {
  return type === 'AWS::EKS::Cluster' || type === CLUSTER_V1;
}
const TAINT_EFFECTS: Record<string, Taint['effect']> = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };

/** Builds the ClusterModel from a stack's resolved resources. */
export function extractModel(stack: StackTemplates, origin: string): ClusterModel {
  const byId = new Map(stack.resources.map((r) => [r.logicalId, r]));
  const ofType = (type: string | RegExp) => stack.resources.filter((r) => (typeof type === 'string' ? r.type === type : type.test(r.type)));
  // aws-eks-v2 synthesizes AWS::EKS::Cluster; aws-eks (v1) a Custom::AWSCDK-EKS-Cluster whose `Config` is the
  // EKS CreateCluster request in camelCase (aws-cdk-lib/aws-eks/lib/cluster-resource.ts).
  const clusters = [...ofType('AWS::EKS::Cluster'), ...ofType(CLUSTER_V1).map(clusterFromV1)];
  if (clusters.length > 1) {
    throw new EksplanError(`has ${clusters.length} EKS clusters (${clusters.map((c) => c.logicalId).join(', ')}); eksplan simulates one cluster per stack`, { input: clusters[0].file });
  }

  const objects = kubernetesObjects(ofType(KUBERNETES_RESOURCE));
  const subnets = extractSubnets(stack);
  const addons = ofType('AWS::EKS::Addon').map(addonOf);
  const vpcCni = vpcCniOf(addons.find((a) => a.name === 'vpc-cni'));
  const helmReleases = ofType(HELM_CHART).map(helmOf);
  const resources: Record<string, RawResource> = {};
  for (const r of stack.resources) resources[r.logicalId] = { type: r.type, properties: r.properties, file: r.file, dependsOn: r.dependsOn };

  return {
    origin,
    stackName: stack.stackName,
    region: stack.region,
    account: stack.account,
    availabilityZones: subnets.length > 0 ? [...new Set(subnets.map((s) => s.availabilityZone))].sort() : stack.availabilityZones,
    vpc: vpcOf(ofType('AWS::EC2::VPC')[0], ofType('AWS::EC2::VPCCidrBlock')),
    subnets,
    natGateways: ofType('AWS::EC2::NatGateway').map((r): NatGatewayModel => {
      const subnetId = referencedLogicalIds(r.properties.SubnetId)[0] ?? String(r.properties.SubnetId ?? '');
      return { id: r.logicalId, subnetId, availabilityZone: subnets.find((s) => s.id === subnetId)?.availabilityZone, source: { file: r.file, id: r.logicalId } };
    }),
    cluster: clusters[0] ? clusterOf(clusters[0]) : undefined,
    nodeGroups: [...ofType('AWS::EKS::Nodegroup').map((r) => nodeGroupOf(r, byId)), ...selfManagedGroups(ofType('AWS::AutoScaling::AutoScalingGroup'), byId, clusters[0])],
    fargateProfiles: [...ofType('AWS::EKS::FargateProfile'), ...ofType(FARGATE_V1).map(fargateFromV1)].map(fargateOf),
    addons,
    vpcCni,
    helmReleases,
    iamRoles: ofType('AWS::IAM::Role').map((r): IamRoleModel => ({
      id: r.logicalId, roleName: typeof r.properties.RoleName === 'string' ? r.properties.RoleName : undefined,
      trustPolicy: r.properties.AssumeRolePolicyDocument, managedPolicyArns: stringList(r.properties.ManagedPolicyArns), source: { file: r.file, id: r.logicalId },
    })),
    accessEntries: ofType('AWS::EKS::AccessEntry').map((r): AccessEntryModel => ({
      principal: String(r.properties.PrincipalArn ?? ''), type: String(r.properties.Type ?? 'STANDARD'), kubernetesGroups: stringList(r.properties.KubernetesGroups),
      accessPolicies: (Array.isArray(r.properties.AccessPolicies) ? r.properties.AccessPolicies : []).map((p: { PolicyArn?: unknown; AccessScope?: { Type?: unknown; Namespaces?: unknown } }) => ({
        policyArn: String(p?.PolicyArn ?? ''), scope: { type: String(p?.AccessScope?.Type ?? 'cluster'), namespaces: stringList(p?.AccessScope?.Namespaces) },
      })),
      source: { file: r.file, id: r.logicalId },
    })),
    podIdentityAssociations: [
      ...ofType('AWS::EKS::PodIdentityAssociation').map((r): PodIdentityAssociationModel => ({
        namespace: String(r.properties.Namespace ?? ''), serviceAccount: String(r.properties.ServiceAccount ?? ''),
        roleId: referencedLogicalIds(r.properties.RoleArn)[0] ?? String(r.properties.RoleArn ?? ''), source: { file: r.file, id: r.logicalId },
      })),
      ...ofType('AWS::EKS::Addon').flatMap((r) => (Array.isArray(r.properties.PodIdentityAssociations) ? r.properties.PodIdentityAssociations : []).map((a: { ServiceAccount?: unknown; RoleArn?: unknown }) => ({
        namespace: 'kube-system', serviceAccount: String(a?.ServiceAccount ?? ''), roleId: referencedLogicalIds(a?.RoleArn)[0] ?? String(a?.RoleArn ?? ''), source: { file: r.file, id: r.logicalId },
      }))),
    ],
    loadBalancers: loadBalancersOf(objects, ofType(/^AWS::ElasticLoadBalancingV2::LoadBalancer$/), helmReleases),
    objects,
    ...typedObjects(objects, helmReleases),
    resources,
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function tagsOf(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (Array.isArray(value)) for (const t of value) { if (t && typeof t === 'object' && 'Key' in t) tags[String(t.Key)] = String((t as { Value?: unknown }).Value ?? ''); }
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) tags[k] = String(v);
  return tags;
}

function vpcOf(vpc: ResolvedResource | undefined, blocks: ResolvedResource[]): ClusterModel['vpc'] {
  if (!vpc) return undefined;
  const cidrs = [String(vpc.properties.CidrBlock ?? '')].filter(Boolean);
  for (const block of blocks) if (typeof block.properties.CidrBlock === 'string') cidrs.push(block.properties.CidrBlock);
  return { id: vpc.logicalId, cidrs, source: { file: vpc.file, id: vpc.logicalId } };
}

function extractSubnets(stack: StackTemplates): SubnetModel[] {
  // Public: a route table with a route to an internet gateway (VPC docs, "Subnet types").
  const internetGateways = new Set(stack.resources.filter((r) => r.type === 'AWS::EC2::InternetGateway').map((r) => r.logicalId));
  const publicRouteTables = new Set<string>();
  for (const route of stack.resources.filter((r) => r.type === 'AWS::EC2::Route')) {
    if (referencedLogicalIds(route.properties.GatewayId).some((id) => internetGateways.has(id))) {
      for (const id of referencedLogicalIds(route.properties.RouteTableId)) publicRouteTables.add(id);
    }
  }
  const publicSubnets = new Set<string>();
  for (const association of stack.resources.filter((r) => r.type === 'AWS::EC2::SubnetRouteTableAssociation')) {
    if (referencedLogicalIds(association.properties.RouteTableId).some((id) => publicRouteTables.has(id))) {
      for (const id of referencedLogicalIds(association.properties.SubnetId)) publicSubnets.add(id);
    }
  }
  const subnets = stack.resources.filter((r) => r.type === 'AWS::EC2::Subnet').map((r): SubnetModel => {
    const cidr = r.properties.CidrBlock;
    if (typeof cidr === 'string' && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr)) parseCidr(cidr, { input: r.file, field: `Resources.${r.logicalId}.Properties.CidrBlock` });
    if (typeof cidr !== 'string' || !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(cidr)) {
      throw new EksplanError(`subnet CIDR is not known at synth time (${JSON.stringify(cidr)}); give subnets literal CIDRs`, { input: r.file, field: `Resources.${r.logicalId}.Properties.CidrBlock` });
    }
    const tags = tagsOf(r.properties.Tags);
    const az = String(r.properties.AvailabilityZone ?? stack.availabilityZones[0]);
    return {
      id: r.logicalId, cidr, availabilityZone: az, tags,
      public: publicSubnets.has(r.logicalId) || r.properties.MapPublicIpOnLaunch === true,
      podSubnet: tags[POD_SUBNET_TAG] === 'true' || cidr.startsWith('100.64.'),
      source: { file: r.file, id: r.logicalId },
    };
  });
  // Subnets of one VPC may not overlap (EC2 CreateSubnet fails with InvalidSubnet.Conflict).
  for (let i = 0; i < subnets.length; i += 1) {
    for (let j = i + 1; j < subnets.length; j += 1) {
      if (cidrsOverlap(subnets[i].cidr, subnets[j].cidr)) {
        throw new EksplanError(`subnet ${subnets[j].cidr} overlaps subnet ${subnets[i].id} (${subnets[i].cidr}); deploying would fail with InvalidSubnet.Conflict`, { input: subnets[j].source?.file, field: `Resources.${subnets[j].id}.Properties.CidrBlock` });
      }
    }
  }
  return subnets;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** CloudFormation takes booleans as `true` or `"true"`. */
function boolOf(value: unknown, fallback: boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fallback;
}

/** The aws-eks v1 custom resource, reshaped into the AWS::EKS::Cluster properties it stands for. */
function clusterFromV1(r: ResolvedResource): ResolvedResource {
  const c = record(r.properties.Config);
  const vpc = record(c.resourcesVpcConfig);
  const logging = (Array.isArray(record(c.logging).clusterLogging) ? record(c.logging).clusterLogging as unknown[] : [])
    .map(record).filter((l) => l.enabled !== false).flatMap((l) => (Array.isArray(l.types) ? l.types : []));
  return {
    ...r,
    properties: {
      Name: c.name, Version: c.version,
      ResourcesVpcConfig: { EndpointPublicAccess: vpc.endpointPublicAccess, EndpointPrivateAccess: vpc.endpointPrivateAccess, PublicAccessCidrs: vpc.publicAccessCidrs, SubnetIds: vpc.subnetIds },
      Logging: { ClusterLogging: { EnabledTypes: logging.map((type) => ({ Type: type })) } },
      KubernetesNetworkConfig: { IpFamily: record(c.kubernetesNetworkConfig).ipFamily },
      EncryptionConfig: c.encryptionConfig,
      AccessConfig: { AuthenticationMode: record(c.accessConfig).authenticationMode },
    },
  };
}

function fargateFromV1(r: ResolvedResource): ResolvedResource {
  const c = record(r.properties.Config);
  const selectors = (Array.isArray(c.selectors) ? c.selectors : []).map(record).map((s) => ({
    Namespace: s.namespace, Labels: Object.entries(record(s.labels)).map(([Key, Value]) => ({ Key, Value })),
  }));
  return { ...r, properties: { FargateProfileName: c.fargateProfileName, Selectors: selectors, Subnets: c.subnets } };
}

function clusterOf(r: ResolvedResource): ClusterInfo {
  const p = r.properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const vpcConfig = record(p.ResourcesVpcConfig);
  const enabledTypes: unknown = p.Logging?.ClusterLogging?.EnabledTypes;
  const logging = (Array.isArray(enabledTypes) ? enabledTypes : []).map((t: { Type?: unknown }) => String(t?.Type ?? '')).filter(Boolean);
  const version = p.Version === undefined ? EKS_DEFAULT_VERSION : String(p.Version);
  if (!/^1\.\d+$/.test(version)) throw new EksplanError(`Kubernetes version '${version}' is not a version like 1.34`, { input: r.file, field: `Resources.${r.logicalId}.Properties.Version` });
  return {
    name: typeof p.Name === 'string' ? p.Name : r.logicalId,
    version,
    // AWS::EKS::Cluster ResourcesVpcConfig defaults: public endpoint on, private off (CloudFormation reference).
    endpointPublicAccess: boolOf(vpcConfig.EndpointPublicAccess, true),
    endpointPrivateAccess: boolOf(vpcConfig.EndpointPrivateAccess, false),
    publicAccessCidrs: Array.isArray(vpcConfig.PublicAccessCidrs) ? vpcConfig.PublicAccessCidrs.map(String) : undefined,
    logging,
    ipFamily: p.KubernetesNetworkConfig?.IpFamily === 'ipv6' ? 'ipv6' : 'ipv4',
    secretsEncryption: Array.isArray(p.EncryptionConfig) && p.EncryptionConfig.length > 0,
    // EKS API: AuthenticationMode defaults to CONFIG_MAP; UpgradePolicy.SupportType defaults to EXTENDED.
    authenticationMode: typeof p.AccessConfig?.AuthenticationMode === 'string' ? p.AccessConfig.AuthenticationMode : 'CONFIG_MAP',
    bootstrapSelfManagedAddons: boolOf(p.BootstrapSelfManagedAddons, true),
    autoMode: boolOf(p.ComputeConfig?.Enabled, false),
    // AWS::EKS::Cluster ComputeConfig.NodePools: the built-in pools to create; none when the list is absent.
    autoModeNodePools: boolOf(p.ComputeConfig?.Enabled, false) ? (Array.isArray(p.ComputeConfig?.NodePools) ? p.ComputeConfig.NodePools.map(String) : []) : undefined,
    upgradePolicy: p.UpgradePolicy?.SupportType === 'STANDARD' || p.UpgradePolicy?.SupportType === 'EXTENDED' ? p.UpgradePolicy.SupportType : undefined,
    source: { file: r.file, id: r.logicalId },
  };
}

function launchTemplateData(ref: unknown, byId: Map<string, ResolvedResource>): Record<string, any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  const id = referencedLogicalIds(ref)[0];
  const lt = id ? byId.get(id) : undefined;
  if (lt?.type === 'AWS::EC2::LaunchTemplate') return record(lt.properties.LaunchTemplateData);
  // A launch configuration carries the same fields at the top level (InstanceType, UserData, MetadataOptions).
  if (lt?.type === 'AWS::AutoScaling::LaunchConfiguration') return lt.properties;
  return undefined;
}

function nonNegativeInt(value: unknown, r: ResolvedResource, field: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new EksplanError(`must be a non-negative integer known at synth time, got ${JSON.stringify(value)}`, { input: r.file, field: `Resources.${r.logicalId}.Properties.${field}` });
  }
  return n;
}

function nodeGroupOf(r: ResolvedResource, byId: Map<string, ResolvedResource>): NodeGroupModel {
  const p = r.properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const lt = launchTemplateData(p.LaunchTemplate?.Id ?? p.LaunchTemplate?.Name, byId);
  // EKS CreateNodegroup: without instance types (here or in the launch template) EKS uses t3.medium.
  const instanceTypes = stringList(p.InstanceTypes).length > 0 ? stringList(p.InstanceTypes) : lt?.InstanceType ? [String(lt.InstanceType)] : ['t3.medium'];
  const scaling = p.ScalingConfig ?? {};
  const minSize = nonNegativeInt(scaling.MinSize, r, 'ScalingConfig.MinSize', 1);
  const maxSize = nonNegativeInt(scaling.MaxSize, r, 'ScalingConfig.MaxSize', 2);
  const desiredSize = nonNegativeInt(scaling.DesiredSize, r, 'ScalingConfig.DesiredSize', minSize);
  if (minSize > maxSize || desiredSize < minSize || desiredSize > maxSize) {
    throw new EksplanError(`ScalingConfig is inconsistent: min ${minSize}, desired ${desiredSize}, max ${maxSize}`, { input: r.file, field: `Resources.${r.logicalId}.Properties.ScalingConfig` });
  }
  const taints = (Array.isArray(p.Taints) ? p.Taints : []).map((t: { Key?: unknown; Value?: unknown; Effect?: unknown }, i: number): Taint => {
    const effect = TAINT_EFFECTS[String(t?.Effect)];
    if (!effect) throw new EksplanError(`taint effect must be NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE, got ${JSON.stringify(t?.Effect)}`, { input: r.file, field: `Resources.${r.logicalId}.Properties.Taints[${i}].Effect` });
    return { key: String(t.Key ?? ''), ...(t.Value !== undefined ? { value: String(t.Value) } : {}), effect };
  });
  const userData = typeof lt?.UserData === 'string' ? lt.UserData : undefined;
  const rootVolume = Array.isArray(lt?.BlockDeviceMappings) ? lt?.BlockDeviceMappings[0]?.Ebs : undefined;
  return {
    name: typeof p.NodegroupName === 'string' ? p.NodegroupName : r.logicalId,
    kind: 'managed',
    instanceTypes,
    capacityType: p.CapacityType === 'SPOT' ? 'SPOT' : 'ON_DEMAND',
    minSize, desiredSize, maxSize,
    labels: Object.fromEntries(Object.entries(p.Labels ?? {}).map(([k, v]) => [k, String(v)])),
    taints,
    subnetIds: (Array.isArray(p.Subnets) ? p.Subnets : []).map((s: unknown) => referencedLogicalIds(s)[0] ?? String(s)),
    amiType: String(p.AmiType ?? 'AL2023_x86_64_STANDARD'),
    // EKS CreateNodegroup: DiskSize defaults to 20 GiB for Linux AMIs.
    diskSizeGiB: nonNegativeInt(rootVolume?.VolumeSize ?? p.DiskSize, r, rootVolume?.VolumeSize !== undefined ? 'LaunchTemplate(BlockDeviceMappings[0].Ebs.VolumeSize)' : 'DiskSize', 20),
    diskType: String(rootVolume?.VolumeType ?? 'gp2'),
    maxPods: userData ? maxPodsFromUserData(userData) : undefined,
    maxPodsExpression: userData ? maxPodsExpressionFromUserData(userData) : undefined,
    imdsv2Required: lt?.MetadataOptions?.HttpTokens === 'required',
    imdsHopLimit: hopLimitOf(lt),
    source: { file: r.file, id: r.logicalId },
  };
}

function selfManagedGroups(asgs: ResolvedResource[], byId: Map<string, ResolvedResource>, cluster: ResolvedResource | undefined): NodeGroupModel[] {
  if (!cluster) return [];
  const clusterName = String(cluster.properties.Name ?? cluster.logicalId);
  return asgs.flatMap((r): NodeGroupModel[] => {
    const p = r.properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const lt = launchTemplateData(p.LaunchTemplate?.LaunchTemplateId ?? p.LaunchTemplate?.LaunchTemplateName ?? p.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId ?? p.LaunchConfigurationName, byId);
    const userData = typeof lt?.UserData === 'string' ? lt.UserData : '';
    const tags = tagsOf(p.Tags);
    const joins = userData.includes(clusterName) || `kubernetes.io/cluster/${clusterName}` in tags || referencedLogicalIds(userData).includes(cluster.logicalId);
    if (!joins) return [];
    const overrides = p.MixedInstancesPolicy?.LaunchTemplate?.Overrides;
    const types = Array.isArray(overrides) ? overrides.map((o: { InstanceType?: unknown }) => String(o?.InstanceType)) : lt?.InstanceType ? [String(lt.InstanceType)] : [];
    const minSize = nonNegativeInt(p.MinSize, r, 'MinSize');
    const maxSize = nonNegativeInt(p.MaxSize, r, 'MaxSize');
    return [{
      name: r.logicalId, kind: 'self-managed', instanceTypes: types.length > 0 ? types : ['m5.large'],
      capacityType: p.MixedInstancesPolicy?.InstancesDistribution?.OnDemandPercentageAboveBaseCapacity === 0 ? 'SPOT' : 'ON_DEMAND',
      minSize, maxSize, desiredSize: nonNegativeInt(p.DesiredCapacity, r, 'DesiredCapacity', minSize),
      labels: labelsFromUserData(userData), taints: [],
      subnetIds: (Array.isArray(p.VPCZoneIdentifier) ? p.VPCZoneIdentifier : []).map((s: unknown) => referencedLogicalIds(s)[0] ?? String(s)),
      amiType: 'CUSTOM', diskSizeGiB: 20, diskType: 'gp3', maxPods: maxPodsFromUserData(userData), maxPodsExpression: maxPodsExpressionFromUserData(userData),
      imdsv2Required: lt?.MetadataOptions?.HttpTokens === 'required', imdsHopLimit: hopLimitOf(lt), asgTags: tags, source: { file: r.file, id: r.logicalId },
    }];
  });
}

/** The launch template's IMDS hop limit, when it sets a number. */
function hopLimitOf(lt: Record<string, any> | undefined): number | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  const value: unknown = lt?.MetadataOptions?.HttpPutResponseHopLimit;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function fargateOf(r: ResolvedResource): FargateProfileModel {
  const p = r.properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    name: typeof p.FargateProfileName === 'string' ? p.FargateProfileName : r.logicalId,
    selectors: (Array.isArray(p.Selectors) ? p.Selectors : []).map((s: { Namespace?: unknown; Labels?: unknown }) => ({
      namespace: String(s?.Namespace ?? ''),
      labels: Array.isArray(s?.Labels) ? Object.fromEntries(s.Labels.map((l: { Key?: unknown; Value?: unknown }) => [String(l?.Key), String(l?.Value)])) : undefined,
    })),
    subnetIds: (Array.isArray(p.Subnets) ? p.Subnets : []).map((s: unknown) => referencedLogicalIds(s)[0] ?? String(s)),
    source: { file: r.file, id: r.logicalId },
  };
}

function addonOf(r: ResolvedResource): AddonModel {
  const raw = r.properties.ConfigurationValues;
  let configuration: Record<string, unknown> = {};
  if (typeof raw === 'string' && raw.trim() !== '') {
    const parsed = parseJson(raw, r.file, `Resources.${r.logicalId}.Properties.ConfigurationValues`);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) configuration = parsed as Record<string, unknown>;
  } else if (raw && typeof raw === 'object') {
    configuration = raw as Record<string, unknown>;
  }
  return {
    name: String(r.properties.AddonName ?? r.logicalId),
    version: typeof r.properties.AddonVersion === 'string' ? r.properties.AddonVersion : undefined,
    configuration, source: { file: r.file, id: r.logicalId },
  };
}

/** The VPC CNI settings from the vpc-cni add-on env (amazon-vpc-cni-k8s README, "Environment variables"). */
function vpcCniOf(addon: AddonModel | undefined): VpcCniConfig {
  const env = (addon?.configuration.env ?? {}) as Record<string, unknown>;
  const flag = (name: string) => String(env[name] ?? '').toLowerCase() === 'true';
  const int = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new EksplanError(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`, { input: addon?.source?.file, field: `Resources.${addon?.source?.id}.Properties.ConfigurationValues.env.${name}` });
    }
    return n;
  };
  const prefixDelegation = flag('ENABLE_PREFIX_DELEGATION');
  return {
    ...DEFAULT_VPC_CNI,
    prefixDelegation,
    warmEniTarget: int('WARM_ENI_TARGET') ?? DEFAULT_VPC_CNI.warmEniTarget,
    warmIpTarget: int('WARM_IP_TARGET'),
    minimumIpTarget: int('MINIMUM_IP_TARGET'),
    warmPrefixTarget: int('WARM_PREFIX_TARGET'),
    customNetworking: flag('AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG'),
    podEni: flag('ENABLE_POD_ENI'),
  };
}

function helmOf(r: ResolvedResource): HelmReleaseModel {
  const p = r.properties;
  let values: Record<string, unknown> = {};
  if (typeof p.Values === 'string' && p.Values.trim() !== '') {
    const parsed = parseJson(p.Values, r.file, `Resources.${r.logicalId}.Properties.Values`);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
  }
  return {
    chart: String(p.Chart ?? ''), release: String(p.Release ?? r.logicalId), namespace: String(p.Namespace ?? 'default'),
    repository: typeof p.Repository === 'string' ? p.Repository : undefined, version: typeof p.Version === 'string' ? p.Version : undefined,
    values, source: { file: r.file, id: r.logicalId },
  };
}

/** Every object in Custom::AWSCDK-EKS-KubernetesResource manifests (a JSON array, tokens as placeholders). */
function kubernetesObjects(resources: ResolvedResource[]): KubernetesObjectWithSource[] {
  const out: KubernetesObjectWithSource[] = [];
  for (const r of resources) {
    const field = `Resources.${r.logicalId}.Properties.Manifest`;
    const raw = r.properties.Manifest;
    if (raw === undefined) continue;
    const parsed = typeof raw === 'string' ? parseManifest(raw, r.file, field) : raw;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    list.forEach((object, index) => {
      for (const item of flattenList(object)) {
        validateObject(item, r.file, `${field}[${index}]`);
        const k8s = item as KubernetesObject;
        out.push({ object: k8s, source: { file: r.file, id: `${r.logicalId} ${k8s.kind} ${k8s.metadata.namespace ? `${k8s.metadata.namespace}/` : ''}${k8s.metadata.name}` } });
      }
    });
  }
  return out;
}

/**
 * A manifest string from Fn::Join. A token CDK rendered in a number or boolean position (`"replicas":${Token[Ref:P]}`)
 * is a bare placeholder, so quote those and parse again before reporting the JSON as broken.
 */
function parseManifest(text: string, file: string, field: string): unknown {
  try {
    return parseJson(text, file, field);
  } catch (error) {
    const quoted = text.replace(/([:[,]\s*)(\$\{Token\[[^\]"]*\]\})(?=\s*[,}\]])/g, '$1"$2"');
    if (quoted === text) throw error;
    try {
      return parseJson(quoted, file, field);
    } catch {
      throw error;
    }
  }
}

export function flattenList(object: unknown): unknown[] {
  if (object && typeof object === 'object' && (object as { kind?: unknown }).kind === 'List' && Array.isArray((object as { items?: unknown }).items)) {
    return ((object as { items: unknown[] }).items).flatMap(flattenList);
  }
  return [object];
}

export function validateObject(object: unknown, input: string, field: string): asserts object is KubernetesObject {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) throw new EksplanError('is not a Kubernetes object', { input, field });
  const o = object as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') throw new EksplanError('Kubernetes object has no apiVersion', { input, field: `${field}.apiVersion` });
  if (typeof o.kind !== 'string' || o.kind === '') throw new EksplanError('Kubernetes object has no kind', { input, field: `${field}.kind` });
  const metadata = o.metadata as Record<string, unknown> | undefined;
  if (!metadata || typeof metadata !== 'object' || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new EksplanError(`${o.kind} has no metadata.name`, { input, field: `${field}.metadata.name` });
  }
  checkKind(o.apiVersion, o.kind, input, field);
  checkObjectName(o.apiVersion, o.kind, metadata, input, field);
}

/** Load balancers the AWS Load Balancer Controller (or CloudFormation) will create. */
/**
 * Whether the AWS Load Balancer Controller's Service mutator webhook runs: it gives every new Service of type
 * LoadBalancer with no loadBalancerClass the class service.k8s.aws/nlb (aws-load-balancer-controller
 * webhooks/core/service_mutator.go MutateCreate). The chart turns it on by default (values.yaml
 * `enableServiceMutatorWebhook: true`, chart 1.5 / controller v2.5 on); in plain manifests it is the
 * MutatingWebhookConfiguration webhook `mservice.elbv2.k8s.aws`.
 */
export function loadBalancerControllerMutatesServices(objects: readonly KubernetesObjectWithSource[], helmReleases: readonly HelmReleaseModel[]): boolean {
  for (const release of helmReleases) {
    if (release.chart !== 'aws-load-balancer-controller') continue;
    const enabled = release.values.enableServiceMutatorWebhook;
    if (enabled !== false && enabled !== 'false') return true;
  }
  return objects.some(({ object }) => object.kind === 'MutatingWebhookConfiguration'
    && Array.isArray(object.webhooks) && object.webhooks.some((w: { name?: unknown }) => w?.name === 'mservice.elbv2.k8s.aws'));
}

export function loadBalancersOf(objects: KubernetesObjectWithSource[], cfn: ResolvedResource[], helmReleases: readonly HelmReleaseModel[] = []): LoadBalancerModel[] {
  const out: LoadBalancerModel[] = [];
  const serviceMutator = loadBalancerControllerMutatesServices(objects, helmReleases);
  // IngressClasses served by the AWS Load Balancer Controller (spec.controller ingress.k8s.aws/alb), and the
  // default class that Ingresses without a class get (Kubernetes docs, "Default IngressClass").
  const albClasses = new Set(['alb']);
  let defaultClass: string | undefined;
  for (const { object } of objects) {
    if (object.kind !== 'IngressClass') continue;
    if (object.spec?.controller === 'ingress.k8s.aws/alb') albClasses.add(object.metadata.name as string);
    if (record(object.metadata.annotations)['ingressclass.kubernetes.io/is-default-class'] === 'true') defaultClass = object.metadata.name;
  }
  for (const { object, source } of objects) {
    const annotations = record(object.metadata.annotations) as Record<string, string | undefined>;
    const owner = `${object.kind} ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
    if (object.kind === 'Ingress') {
      const ingressClass = object.spec?.ingressClassName ?? annotations['kubernetes.io/ingress.class'] ?? defaultClass;
      if (!albClasses.has(ingressClass)) continue;
      // The controller's default scheme is internal (aws-load-balancer-controller docs, ingress annotations).
      out.push({ kind: 'alb', scheme: annotations['alb.ingress.kubernetes.io/scheme'] === 'internet-facing' ? 'internet-facing' : 'internal', owner, group: annotations['alb.ingress.kubernetes.io/group.name'], source });
    } else if (object.kind === 'Service' && object.spec?.type === 'LoadBalancer') {
      const type = annotations['service.beta.kubernetes.io/aws-load-balancer-type'];
      const declaredClass = typeof object.spec?.loadBalancerClass === 'string' && object.spec.loadBalancerClass !== '' ? object.spec.loadBalancerClass : undefined;
      const loadBalancerClass = declaredClass ?? (serviceMutator ? 'service.k8s.aws/nlb' : undefined);
      // The NLB classes of the load balancer controller and of EKS Auto Mode (`eks.amazonaws.com/nlb`); a class
      // no AWS controller owns is skipped by the in-tree provider too (KEP-1959), so no AWS LB at all.
      const nlbClass = loadBalancerClass === 'service.k8s.aws/nlb' || loadBalancerClass === 'eks.amazonaws.com/nlb';
      if (loadBalancerClass !== undefined && !nlbClass) continue;
      // The controller (class, `external`, `nlb-ip`) makes an NLB, internal unless the scheme annotation says
      // internet-facing; the in-tree provider makes an internet-facing Classic LB, or an NLB for type `nlb`
      // (kubernetes/cloud-provider-aws pkg/providers/v1/aws.go EnsureLoadBalancer).
      const byController = nlbClass || type === 'external' || type === 'nlb-ip';
      const nlb = byController || type === 'nlb';
      const internal = byController
        ? annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'] !== 'internet-facing'
        : (annotations['service.beta.kubernetes.io/aws-load-balancer-internal'] ?? 'false') !== 'false';
      out.push({ kind: nlb ? 'nlb' : 'clb', scheme: internal ? 'internal' : 'internet-facing', owner, source });
    }
  }
  for (const r of cfn) {
    out.push({ kind: r.properties.Type === 'network' ? 'nlb' : 'alb', scheme: r.properties.Scheme === 'internal' ? 'internal' : 'internet-facing', owner: r.logicalId, source: { file: r.file, id: r.logicalId } });
  }
  return out;
}

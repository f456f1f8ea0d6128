import {
  DescribeAddonCommand, DescribeClusterCommand, DescribeNodegroupCommand, EKSClient, ListAccessEntriesCommand, ListAddonsCommand,
  ListFargateProfilesCommand, ListNodegroupsCommand, ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { AWS_CLIENT_SETTINGS, awsError, collectPages } from './aws-errors';

/** What a live cluster looks like, in the same terms as the synthesized plan. */
export interface LiveCluster {
  readonly name: string;
  readonly version: string;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly logging: string[];
  readonly nodegroups: LiveNodegroup[];
  readonly addons: { name: string; version: string }[];
  readonly accessEntries: { principalArn: string; type?: string }[];
  readonly podIdentityAssociations: { namespace: string; serviceAccount: string }[];
  readonly fargateProfiles: string[];
}

export interface LiveNodegroup {
  readonly name: string;
  readonly instanceTypes: string[];
  readonly capacityType: string;
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly amiType?: string;
  readonly labels: Record<string, string>;
}

export function eksClient(region?: string): EKSClient {
  return new EKSClient({ region, ...AWS_CLIENT_SETTINGS });
}

/** Reads a cluster, its node groups, add-ons, access entries, Pod Identity associations and Fargate profiles. */
export async function describeLiveCluster(client: EKSClient, clusterName: string): Promise<LiveCluster> {
  const what = `describe EKS cluster '${clusterName}'`;
  try {
    const cluster = (await client.send(new DescribeClusterCommand({ name: clusterName }))).cluster;
    if (!cluster) throw Object.assign(new Error(`cluster ${clusterName} not found`), { name: 'ResourceNotFoundException' });
    const nodegroupNames = await collectPages(async (nextToken) => {
      const page = await client.send(new ListNodegroupsCommand({ clusterName, nextToken }));
      return { items: page.nodegroups ?? [], nextToken: page.nextToken };
    });
    const nodegroups: LiveNodegroup[] = [];
    for (const nodegroupName of nodegroupNames.sort()) {
      const ng = (await client.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup;
      if (!ng) continue;
      nodegroups.push({
        name: nodegroupName,
        instanceTypes: ng.instanceTypes ?? [],
        capacityType: ng.capacityType ?? 'ON_DEMAND',
        minSize: ng.scalingConfig?.minSize ?? 0,
        desiredSize: ng.scalingConfig?.desiredSize ?? 0,
        maxSize: ng.scalingConfig?.maxSize ?? 0,
        amiType: ng.amiType,
        labels: ng.labels ?? {},
      });
    }
    const addonNames = await collectPages(async (nextToken) => {
      const page = await client.send(new ListAddonsCommand({ clusterName, nextToken }));
      return { items: page.addons ?? [], nextToken: page.nextToken };
    });
    const addons: { name: string; version: string }[] = [];
    for (const addonName of addonNames.sort()) {
      const addon = (await client.send(new DescribeAddonCommand({ clusterName, addonName }))).addon;
      addons.push({ name: addonName, version: addon?.addonVersion ?? 'unknown' });
    }
    const accessEntries = await collectPages(async (nextToken) => {
      const page = await client.send(new ListAccessEntriesCommand({ clusterName, nextToken }));
      return { items: (page.accessEntries ?? []).map((principalArn) => ({ principalArn })), nextToken: page.nextToken };
    });
    const podIdentityAssociations = await collectPages(async (nextToken) => {
      const page = await client.send(new ListPodIdentityAssociationsCommand({ clusterName, nextToken }));
      return { items: (page.associations ?? []).map((a) => ({ namespace: a.namespace ?? '', serviceAccount: a.serviceAccount ?? '' })), nextToken: page.nextToken };
    });
    const fargateProfiles = await collectPages(async (nextToken) => {
      const page = await client.send(new ListFargateProfilesCommand({ clusterName, nextToken }));
      return { items: page.fargateProfileNames ?? [], nextToken: page.nextToken };
    });
    const enabledLogs = (cluster.logging?.clusterLogging ?? []).filter((l) => l.enabled).flatMap((l) => l.types ?? []);
    return {
      name: clusterName,
      version: cluster.version ?? 'unknown',
      endpointPublicAccess: cluster.resourcesVpcConfig?.endpointPublicAccess ?? true,
      endpointPrivateAccess: cluster.resourcesVpcConfig?.endpointPrivateAccess ?? false,
      logging: [...enabledLogs].sort(),
      nodegroups,
      addons,
      accessEntries,
      podIdentityAssociations,
      fargateProfiles: fargateProfiles.sort(),
    };
  } catch (error) {
    return awsError(error, what);
  }
}

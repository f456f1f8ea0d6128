import * as fs from 'fs';
import { DescribeAddonVersionsCommand, type EKSClient } from '@aws-sdk/client-eks';
import { EksplanError } from '../../simulation/model/errors';
import { awsError, collectPages } from './aws-errors';

/** The EKS managed add-ons eksplan installs and pins. */
export const CORE_ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'aws-ebs-csi-driver'] as const;

export type PinnedAddonVersions = Record<string, Record<string, string>>;

/**
 * Asks EKS which version of each core add-on is the default for a Kubernetes version
 * (DescribeAddonVersions: `compatibilities[].defaultVersion`), falling back to the newest compatible one.
 */
export async function resolveAddonVersions(client: EKSClient, kubernetesVersion: string): Promise<Record<string, string>> {
  if (!/^1\.\d{2}$/.test(kubernetesVersion)) {
    throw new EksplanError(`invalid Kubernetes version '${kubernetesVersion}': expected 1.NN, e.g. 1.34`, { field: '--version' });
  }
  const pinned: Record<string, string> = {};
  for (const addonName of CORE_ADDONS) {
    let addons;
    try {
      addons = await collectPages(async (nextToken) => {
        const page = await client.send(new DescribeAddonVersionsCommand({ addonName, kubernetesVersion, nextToken }));
        return { items: page.addons ?? [], nextToken: page.nextToken };
      });
    } catch (error) {
      return awsError(error, `read the ${addonName} add-on versions for Kubernetes ${kubernetesVersion}`);
    }
    const versions = addons.flatMap((a) => a.addonVersions ?? []);
    const compatible = versions.filter((v) => (v.compatibilities ?? []).some((c) => c.clusterVersion === kubernetesVersion));
    const preferred = compatible.find((v) => (v.compatibilities ?? []).some((c) => c.clusterVersion === kubernetesVersion && c.defaultVersion));
    const chosen = preferred ?? [...compatible].sort((a, b) => compareAddonVersions(b.addonVersion ?? '', a.addonVersion ?? ''))[0];
    if (!chosen?.addonVersion) {
      throw new EksplanError(`EKS lists no ${addonName} version compatible with Kubernetes ${kubernetesVersion}`, { field: '--version' });
    }
    pinned[addonName] = chosen.addonVersion;
  }
  return pinned;
}

/** `v1.19.2-eksbuild.3` style versions compared numerically. */
export function compareAddonVersions(a: string, b: string): number {
  const parts = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Writes the pinned versions of one Kubernetes version into the project's pinned-versions JSON file. */
export function writePinnedVersions(file: string, kubernetesVersion: string, versions: Record<string, string>): PinnedAddonVersions {
  let current: PinnedAddonVersions = {};
  if (fs.existsSync(file)) {
    try {
      current = JSON.parse(fs.readFileSync(file, 'utf8')) as PinnedAddonVersions;
    } catch (error) {
      throw new EksplanError(`not valid JSON: ${(error as Error).message}`, { input: file });
    }
  }
  const next: PinnedAddonVersions = { ...current, [kubernetesVersion]: { ...(current[kubernetesVersion] ?? {}), ...versions } };
  const sorted: PinnedAddonVersions = {};
  for (const key of Object.keys(next).sort(compareAddonVersions)) sorted[key] = Object.fromEntries(Object.entries(next[key]).sort());
  fs.writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
  return sorted;
}

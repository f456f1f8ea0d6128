import { EksplanError } from '../model/errors';
import pinned from './eks-addon-versions.json';

// The managed add-on versions eksplan pins per Kubernetes version, written by `eksplan addons pin --version 1.NN`
// from EKS DescribeAddonVersions (the default version for that Kubernetes version), so synthesis stays offline.
// Constructs install these versions; the checks flag add-ons pinned for another Kubernetes version.
// 1.32-1.34 were added without AWS access. kube-proxy and CoreDNS: the "latest version of the Amazon EKS add-on
// type" tables of the EKS user guide (managing-kube-proxy.md, managing-coredns.md, the docs.amazonaws.cn/zh_cn
// snapshot that lists 1.30-1.35, checked 2026-12-01; the snapshot carries no date), which give the latest, not the
// default, version. The earlier pins (v1.32.3-eksbuild.7, v1.33.3-eksbuild.11, v1.34.0-eksbuild.5, CoreDNS
// v1.13.1-eksbuild.1) appear in no add-on table (two were self-managed image tags). UNVERIFIED: vpc-cni,
// eks-pod-identity-agent and aws-ebs-csi-driver for 1.32-1.34 take the 1.35 pins; no public table of their
// per-Kubernetes-version compatibility was found.
// `eksplan addons pin --version 1.NN` replaces an entry with EKS's default for that version.

export const PINNED_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = pinned;

export const CORE_ADDON_NAMES = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'aws-ebs-csi-driver'] as const;
export type CoreAddonName = (typeof CORE_ADDON_NAMES)[number];

export function pinnedAddonVersion(kubernetesVersion: string, addon: string): string {
  const versions = PINNED_ADDON_VERSIONS[kubernetesVersion];
  if (!versions) {
    throw new EksplanError(`no pinned add-on versions for Kubernetes ${kubernetesVersion}: pinned ${Object.keys(PINNED_ADDON_VERSIONS).join(', ')}; run eksplan addons pin --version ${kubernetesVersion}`, { field: 'version' });
  }
  const version = versions[addon];
  if (!version) throw new EksplanError(`no pinned version of add-on '${addon}' for Kubernetes ${kubernetesVersion}`, { field: 'addons' });
  return version;
}

/**
 * Whether an add-on version fits a Kubernetes version: kube-proxy must match the minor version (EKS docs,
 * "kube-proxy add-on": its version follows the cluster's), and every add-on should be the one pinned for
 * that Kubernetes version or newer.
 */
export function addonCompatibility(kubernetesVersion: string, addon: string, version: string): { compatible: boolean; reason?: string } {
  if (addon === 'kube-proxy') {
    const match = /^v?(\d+\.\d+)\./.exec(version);
    if (match && match[1] !== kubernetesVersion) return { compatible: false, reason: `kube-proxy ${version} is for Kubernetes ${match[1]}, the cluster runs ${kubernetesVersion}` };
  }
  const pinnedVersion = PINNED_ADDON_VERSIONS[kubernetesVersion]?.[addon];
  if (pinnedVersion && compareVersions(version, pinnedVersion) < 0) {
    return { compatible: false, reason: `${addon} ${version} is older than ${pinnedVersion}, the default for Kubernetes ${kubernetesVersion}` };
  }
  return { compatible: true };
}

function compareVersions(a: string, b: string): number {
  const pa = (a.match(/\d+/g) ?? []).map(Number);
  const pb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

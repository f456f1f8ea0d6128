import { addonCompatibility, PINNED_ADDON_VERSIONS } from '../catalog/addon-versions';
import type { ClusterModel } from '../model/cluster';
import type { Finding } from '../model/result';

// Managed add-on versions against the cluster's Kubernetes version, from the pinned table
// (simulation/catalog/eks-addon-versions.json, written by `eksplan addons pin` from DescribeAddonVersions).
export function checkAddonVersions(model: ClusterModel): Finding[] {
  const version = model.cluster?.version;
  if (!version) return [];
  const findings: Finding[] = [];
  for (const addon of model.addons) {
    if (!addon.version || addon.version.includes('${Token')) continue;
    const { compatible, reason } = addonCompatibility(version, addon.name, addon.version);
    if (!compatible) {
      findings.push({
        severity: addon.name === 'kube-proxy' ? 'error' : 'warning', code: 'addon-version', object: `Addon ${addon.name}`,
        message: reason ?? `${addon.name} ${addon.version} does not fit Kubernetes ${version}`,
        fix: PINNED_ADDON_VERSIONS[version]?.[addon.name] ? `use ${PINNED_ADDON_VERSIONS[version][addon.name]}` : `run eksplan addons pin --version ${version}`,
      });
    }
  }
  return findings;
}

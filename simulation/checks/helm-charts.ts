import type { ClusterModel, HelmReleaseModel } from '../model/cluster';
import type { Finding } from '../model/result';

// Every Helm release is either modelled or reported. The engine's chart table (simulation/engine/helm-charts.ts)
// knows the pods, requests and load balancers of the common charts; for any other chart the simulation would
// silently miss its pods, so it is a warning with the way to supply the rendered manifests.

export function checkHelmCharts(model: ClusterModel, isModelled: (release: HelmReleaseModel) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const release of model.helmReleases) {
    if (isModelled(release) || release.renderedManifests !== undefined) continue;
    const version = release.version ?? '(no version pinned)';
    const repo = release.repository ? ` --repo ${release.repository}` : '';
    findings.push({
      severity: 'warning', code: 'helm-chart-not-modelled', object: `HelmRelease ${release.namespace}/${release.release}`,
      message: `chart ${release.chart} ${version} is not modelled: its pods, requests and load balancers are missing from the simulation`,
      fix: `render it (helm template ${release.release} ${release.chart}${repo}${release.version ? ` --version ${release.version}` : ''} --namespace ${release.namespace} -f values.yaml > DIR/${release.release}.yaml) and pass --manifests DIR`,
    });
  }
  return findings;
}

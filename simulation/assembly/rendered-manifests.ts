import type { ClusterModel, HelmReleaseModel, KubernetesObjectWithSource } from '../model/cluster';
import { withObjects } from '../model/typed-objects';
import { loadBalancersOf } from './extract';
import { modelFromManifests } from './manifests';

// `--manifests DIR`: `helm template` output (or any manifests) added to the model. Objects that carry a release's
// Helm labels stand for that release: the chart table's pods are not added for it again and the unmodelled-chart
// warning no longer applies. Helm's chart templates label objects `app.kubernetes.io/instance: <release>` and
// `helm.sh/chart: <chart>-<version>` (Helm docs, "Labels and Annotations"); older charts use `release: <release>`.

function labelsOf(item: KubernetesObjectWithSource): Record<string, string> {
  return (item.object.metadata.labels ?? {}) as Record<string, string>;
}

function belongsTo(item: KubernetesObjectWithSource, release: HelmReleaseModel): boolean {
  const labels = labelsOf(item);
  const chart = release.chart.split('/').pop() ?? release.chart;
  if (labels['app.kubernetes.io/instance'] === release.release || labels.release === release.release) return true;
  return typeof labels['helm.sh/chart'] === 'string' && labels['helm.sh/chart'].startsWith(`${chart}-`);
}

/** The model with every object under `dirs` added, and the Helm releases those objects render marked as rendered. */
export function withRenderedManifests(model: ClusterModel, dirs: readonly string[]): ClusterModel {
  if (dirs.length === 0) return model;
  const added = modelFromManifests([...dirs]).objects;
  const releases = model.helmReleases.map((release): HelmReleaseModel => {
    const rendered = added.find((item) => belongsTo(item, release));
    return rendered ? { ...release, renderedManifests: rendered.source.file } : release;
  });
  const existing = new Set(model.objects.map((o) => `${o.object.kind} ${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`));
  const fresh = added.filter((o) => !existing.has(`${o.object.kind} ${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`));
  const merged = withObjects({ ...model, helmReleases: releases }, [...model.objects, ...fresh]);
  return { ...merged, loadBalancers: [...model.loadBalancers, ...loadBalancersOf(fresh, [])] };
}

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withRenderedManifests } from '../../../simulation/assembly/rendered-manifests';
import { checkHelmCharts } from '../../../simulation/checks/helm-charts';
import { chartEntry } from '../../../simulation/engine/helm-charts';
import { workloadsOf } from '../../../simulation/engine/workloads';
import type { HelmReleaseModel } from '../../../simulation/model/cluster';
import { check } from '../../../simulation/pipeline';
import { model } from './fixture';

// Every Helm release is modelled (the chart table) or reported, with the way to supply its rendered manifests.
const modelled = (r: HelmReleaseModel) => chartEntry(r) !== undefined;
const redis: HelmReleaseModel = { chart: 'redis', release: 'cache', namespace: 'data', version: '20.1.0', repository: 'https://charts.bitnami.com/bitnami', values: {} };

describe('helm-chart-not-modelled', () => {
  it.each([
    ['an unknown chart with its version', [redis], [
      'WARNING HelmRelease data/cache: chart redis 20.1.0 is not modelled: its pods, requests and load balancers are missing from the simulation ' +
      '| render it (helm template cache redis --repo https://charts.bitnami.com/bitnami --version 20.1.0 --namespace data -f values.yaml > DIR/cache.yaml) and pass --manifests DIR']],
    ['an unknown chart without a pinned version', [{ ...redis, version: undefined, repository: undefined }], [
      'WARNING HelmRelease data/cache: chart redis (no version pinned) is not modelled: its pods, requests and load balancers are missing from the simulation ' +
      '| render it (helm template cache redis --namespace data -f values.yaml > DIR/cache.yaml) and pass --manifests DIR']],
    ['a chart of the table', [{ ...redis, chart: 'cert-manager', release: 'cert-manager' }], []],
    ['an unknown chart whose manifests were given', [{ ...redis, renderedManifests: 'rendered/cache.yaml' }], []],
  ])('%s', (_name, helmReleases, expected) => {
    const findings = checkHelmCharts(model({ helmReleases }), modelled);
    expect(findings.map((f) => `${f.severity.toUpperCase()} ${f.object}: ${f.message} | ${f.fix}`)).toEqual(expected);
  });

  it('is part of eksplan check', () => {
    expect(check(model({ helmReleases: [redis] })).findings.filter((f) => f.code === 'helm-chart-not-modelled')).toHaveLength(1);
  });
});

describe('--manifests: rendered charts join the model as their release', () => {
  it('adds the objects, marks the release they render, and the warning goes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-rendered-'));
    try {
      // What `helm template cache bitnami/redis` labels its objects with (app.kubernetes.io/instance: the release).
      fs.writeFileSync(path.join(dir, 'cache.yaml'), [
        'apiVersion: apps/v1', 'kind: StatefulSet',
        'metadata: { name: cache-redis-master, namespace: data, labels: { app.kubernetes.io/instance: cache, helm.sh/chart: redis-20.1.0 } }',
        'spec: { replicas: 1, selector: { matchLabels: { app: redis } }, template: { metadata: { labels: { app: redis } }, spec: { containers: [{ name: redis, image: redis:7, resources: { requests: { cpu: 250m, memory: 256Mi } } }] } } }',
      ].join('\n'));
      const m = withRenderedManifests(model({ helmReleases: [redis] }), [dir]);
      expect(m.helmReleases[0].renderedManifests).toBe(path.join(dir, 'cache.yaml'));
      expect(workloadsOf(m).filter((w) => !w.system).map((w) => w.key)).toEqual(['StatefulSet data/cache-redis-master']);
      expect(checkHelmCharts(m, modelled)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { chartLoadBalancers, chartWorkloads, HELM_CHARTS, mergeValues } from '../../../simulation/engine/helm-charts';
import { withChartLoadBalancers } from '../../../simulation/engine/system-workloads';
import { workloadsOf } from '../../../simulation/engine/workloads';
import type { HelmReleaseModel } from '../../../simulation/model/cluster';
import { model } from '../checks/fixture';

// Each chart's default pods as its values.yaml (version cited in simulation/engine/helm-charts.ts) renders them,
// and the values an app sets merged over them as Helm merges values.
function release(chart: string, name: string, namespace: string, values: Record<string, unknown> = {}): HelmReleaseModel {
  return { chart, release: name, namespace, values, version: '1.0.0' };
}

const summary = (r: HelmReleaseModel) => chartWorkloads(r).map((w) => [w.key, w.replicas, w.template.spec.containers[0].resources?.requests ?? {}]);

describe('chart defaults (values.yaml of each chart)', () => {
  it.each([
    ['cluster-autoscaler 9.59.0: replicaCount 1, resources {}', release('cluster-autoscaler', 'cluster-autoscaler', 'kube-system'),
      [['Deployment kube-system/cluster-autoscaler', 1, {}]]],
    ['cluster-autoscaler under another release name gets release-chart', release('cluster-autoscaler', 'ca', 'kube-system'),
      [['Deployment kube-system/ca-cluster-autoscaler', 1, {}]]],
    ['ingress-nginx 4.15.1: controller replicaCount 1, 100m / 90Mi', release('ingress-nginx', 'ingress-nginx', 'ingress-nginx'),
      [['Deployment ingress-nginx/ingress-nginx-controller', 1, { cpu: '100m', memory: '90Mi' }]]],
    ['cert-manager (main after v1.21.0): controller, webhook, cainjector, 1 each', release('cert-manager', 'cert-manager', 'cert-manager'),
      [['Deployment cert-manager/cert-manager', 1, {}], ['Deployment cert-manager/cert-manager-webhook', 1, {}], ['Deployment cert-manager/cert-manager-cainjector', 1, {}]]],
    ['external-dns 1.21.1: replicaCount 1', release('external-dns', 'external-dns', 'external-dns'),
      [['Deployment external-dns/external-dns', 1, {}]]],
    ['argo-cd 10.1.1: seven components, 1 replica each', release('argo-cd', 'argocd', 'argocd'), [
      ['StatefulSet argocd/argocd-application-controller', 1, {}], ['Deployment argocd/argocd-server', 1, {}], ['Deployment argocd/argocd-repo-server', 1, {}],
      ['Deployment argocd/argocd-applicationset-controller', 1, {}], ['Deployment argocd/argocd-notifications-controller', 1, {}],
      ['Deployment argocd/argocd-dex-server', 1, {}], ['Deployment argocd/argocd-redis', 1, {}]]],
    ['aws-for-fluent-bit 0.2.0: a DaemonSet, 50m / 50Mi', release('aws-for-fluent-bit', 'aws-for-fluent-bit', 'kube-system'),
      [['DaemonSet kube-system/aws-for-fluent-bit', 0, { cpu: '50m', memory: '50Mi' }]]],
    ['kube-prometheus-stack 88.5.3: operator, Prometheus, Alertmanager, Grafana, kube-state-metrics, node-exporter', release('kube-prometheus-stack', 'kps', 'monitoring'), [
      ['Deployment monitoring/kps-kube-prometheus-stack-operator', 1, {}], ['StatefulSet monitoring/prometheus-kps-kube-prometheus-stack-prometheus', 1, {}],
      ['StatefulSet monitoring/alertmanager-kps-kube-prometheus-stack-alertmanager', 1, {}], ['Deployment monitoring/kps-grafana', 1, {}],
      ['Deployment monitoring/kps-kube-state-metrics', 1, {}], ['DaemonSet monitoring/kps-prometheus-node-exporter', 0, {}]]],
    ['karpenter: replicas 2, controller.resources {}', release('karpenter', 'karpenter', 'kube-system'),
      [['Deployment kube-system/karpenter', 2, {}]]],
    ['aws-load-balancer-controller 3.5.0: replicaCount 2', release('aws-load-balancer-controller', 'aws-load-balancer-controller', 'kube-system'),
      [['Deployment kube-system/aws-load-balancer-controller', 2, {}]]],
    ['metrics-server 3.13.1: replicas 1, 100m / 200Mi', release('metrics-server', 'metrics-server', 'kube-system'),
      [['Deployment kube-system/metrics-server', 1, { cpu: '100m', memory: '200Mi' }]]],
    ['a chart named with its repository prefix', release('oci://public.ecr.aws/karpenter/karpenter', 'karpenter', 'kube-system'),
      [['Deployment kube-system/karpenter', 2, {}]]],
  ])('%s', (_name, r, expected) => {
    expect(summary(r)).toEqual(expected);
  });

  it('node-exporter runs on the host network and tolerates NoSchedule taints (prometheus-node-exporter values.yaml)', () => {
    const exporter = chartWorkloads(release('kube-prometheus-stack', 'kps', 'monitoring')).find((w) => w.daemonSet);
    expect(exporter?.template.spec.hostNetwork).toBe(true);
    expect(exporter?.template.spec.tolerations).toEqual([{ effect: 'NoSchedule', operator: 'Exists' }]);
  });

  it('every chart of the issue is in the table', () => {
    expect(Object.keys(HELM_CHARTS).sort()).toEqual(['argo-cd', 'aws-for-fluent-bit', 'aws-load-balancer-controller', 'cert-manager', 'cluster-autoscaler',
      'external-dns', 'ingress-nginx', 'karpenter', 'kube-prometheus-stack', 'metrics-server']);
  });
});

describe('values the app sets', () => {
  it.each([
    ['replicas and a partial resources map (Helm merges maps: memory stays 200Mi)', release('metrics-server', 'metrics-server', 'kube-system', { replicas: 3, resources: { requests: { cpu: '250m' } } }),
      [['Deployment kube-system/metrics-server', 3, { cpu: '250m', memory: '200Mi' }]]],
    ['ingress-nginx controller.replicaCount and resources', release('ingress-nginx', 'edge', 'ingress', { controller: { replicaCount: 3, resources: { requests: { cpu: '500m', memory: '512Mi' } } } }),
      [['Deployment ingress/edge-ingress-nginx-controller', 3, { cpu: '500m', memory: '512Mi' }]]],
    ['ingress-nginx as a DaemonSet with the default backend on', release('ingress-nginx', 'ingress-nginx', 'ingress', { controller: { kind: 'DaemonSet' }, defaultBackend: { enabled: true } }),
      [['DaemonSet ingress/ingress-nginx-controller', 0, { cpu: '100m', memory: '90Mi' }], ['Deployment ingress/ingress-nginx-defaultbackend', 1, {}]]],
    ['cert-manager with cainjector disabled and 2 webhook replicas', release('cert-manager', 'cert-manager', 'cert-manager', { cainjector: { enabled: false }, webhook: { replicaCount: 2 } }),
      [['Deployment cert-manager/cert-manager', 1, {}], ['Deployment cert-manager/cert-manager-webhook', 2, {}]]],
    ['argo-cd with redis-ha (replaces redis), dex and notifications off, 2 servers', release('argo-cd', 'argocd', 'argocd', { 'redis-ha': { enabled: true }, dex: { enabled: false }, notifications: { enabled: false }, server: { replicas: 2 } }), [
      ['StatefulSet argocd/argocd-application-controller', 1, {}], ['Deployment argocd/argocd-server', 2, {}], ['Deployment argocd/argocd-repo-server', 1, {}],
      ['Deployment argocd/argocd-applicationset-controller', 1, {}]]],
    ['kube-prometheus-stack without Grafana and node-exporter, Prometheus at 2 replicas with requests', release('kube-prometheus-stack', 'kps', 'monitoring', {
      grafana: { enabled: false }, nodeExporter: { enabled: false }, prometheus: { prometheusSpec: { replicas: 2, resources: { requests: { cpu: '1', memory: '4Gi' } } } },
    }), [
      ['Deployment monitoring/kps-kube-prometheus-stack-operator', 1, {}], ['StatefulSet monitoring/prometheus-kps-kube-prometheus-stack-prometheus', 2, { cpu: '1', memory: '4Gi' }],
      ['StatefulSet monitoring/alertmanager-kps-kube-prometheus-stack-alertmanager', 1, {}], ['Deployment monitoring/kps-kube-state-metrics', 1, {}]]],
    ['fullnameOverride names the workload', release('external-dns', 'dns', 'kube-system', { fullnameOverride: 'route53-dns' }),
      [['Deployment kube-system/route53-dns', 1, {}]]],
  ])('%s', (_name, r, expected) => {
    expect(summary(r)).toEqual(expected);
  });

  it('merges nodeSelector maps key by key and replaces tolerations (Helm coalesce)', () => {
    const [controller] = chartWorkloads(release('ingress-nginx', 'ingress-nginx', 'ingress', { controller: { nodeSelector: { role: 'edge' }, tolerations: [{ key: 'edge', operator: 'Exists', effect: 'NoSchedule' }] } }));
    expect(controller.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', role: 'edge' });
    expect(controller.template.spec.tolerations).toEqual([{ key: 'edge', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it.each([
    ['a map merges', { a: { b: 1, c: 2 } }, { a: { c: 3 } }, { a: { b: 1, c: 3 } }],
    ['a list replaces', { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ['null deletes a default', { a: { b: 1 } }, { a: null }, { a: undefined }],
  ])('mergeValues: %s', (_name, defaults, user, expected) => {
    expect(mergeValues(defaults, user)).toEqual(expected);
  });

  it('adds the chart pods to the model workloads (system workloads)', () => {
    const m = model({ cluster: undefined, helmReleases: [release('external-dns', 'external-dns', 'kube-system')] });
    expect(workloadsOf(m).filter((w) => w.system).map((w) => w.key)).toEqual(['Deployment kube-system/external-dns']);
  });
});

describe('load balancers of chart Services', () => {
  const ingress = (service: Record<string, unknown>) => release('ingress-nginx', 'ingress-nginx', 'ingress', { controller: { service } });
  it.each([
    // kubernetes/cloud-provider-aws: a Service of type LoadBalancer without a type annotation gets a Classic LB.
    ['no annotations: a Classic LB, internet-facing', ingress({}), [{ kind: 'clb', scheme: 'internet-facing' }]],
    ['aws-load-balancer-type: nlb (in-tree): an NLB, internet-facing', ingress({ annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } }), [{ kind: 'nlb', scheme: 'internet-facing' }]],
    ['aws-load-balancer-type: external (AWS Load Balancer Controller): an NLB, internal by default', ingress({ annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } }), [{ kind: 'nlb', scheme: 'internal' }]],
    ['external with scheme internet-facing', ingress({ annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } }), [{ kind: 'nlb', scheme: 'internet-facing' }]],
    ['in-tree internal annotation', ingress({ annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } }), [{ kind: 'clb', scheme: 'internal' }]],
    ['type NodePort: no load balancer', ingress({ type: 'NodePort' }), []],
    ['external Service disabled: no load balancer', ingress({ external: { enabled: false } }), []],
    ['plus an internal Service with annotations: two', ingress({ internal: { enabled: true, annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } } }), [{ kind: 'clb', scheme: 'internet-facing' }, { kind: 'clb', scheme: 'internal' }]],
  ])('%s', (_name, r, expected) => {
    expect(chartLoadBalancers(r).map(({ kind, scheme }) => ({ kind, scheme }))).toEqual(expected);
  });

  it('adds them to the model once (the pipeline prices them like the assembly own)', () => {
    const m = model({ helmReleases: [ingress({})] });
    const once = withChartLoadBalancers(m);
    expect(once.loadBalancers.map((lb) => lb.owner)).toEqual(['Service ingress/ingress-nginx-controller']);
    expect(withChartLoadBalancers(once).loadBalancers).toHaveLength(1);
  });

  it('a release with rendered manifests adds no pods or load balancers from the table', () => {
    const m = model({ helmReleases: [{ ...ingress({}), renderedManifests: 'rendered/ingress.yaml' }] });
    expect(withChartLoadBalancers(m).loadBalancers).toEqual([]);
    expect(workloadsOf(m).some((w) => w.key.includes('ingress-nginx'))).toBe(false);
  });
});

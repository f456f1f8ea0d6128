import { checkControllers } from '../../../simulation/checks/controllers';
import { deployedControllers } from '../../../simulation/engine/controllers';
import { parseScenario } from '../../../simulation/engine/scenario';
import { simulate } from '../../../simulation/engine/simulate';
import { isEksplanError } from '../../../simulation/model/errors';
import type { AssumedController } from '../../../simulation/model/scenario';
import { model, nodeGroup, object } from '../checks/fixture';

// Controllers act only when the assembly deploys them (or the scenario assumes them): the HPA controller needs
// the metrics.k8s.io API (metrics-server), a node group changes size only through the Cluster Autoscaler, and
// NodePools launch nodes only through the Karpenter controller.

function deployment(namespace: string, name: string, image: string, replicas = 1, cpu = '100m') {
  const labels = { app: name };
  return object('Deployment', `${namespace}/${name}`, { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu, memory: '128Mi' } } }] } } });
}

function hpa(namespace: string, name: string, min: number, max: number) {
  return object('HorizontalPodAutoscaler', `${namespace}/${name}`, {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  }, { apiVersion: 'autoscaling/v2' });
}

const chart = (name: string) => ({ chart: name, release: name, namespace: 'kube-system', values: {} });

describe('deployedControllers', () => {
  it.each([
    ['nothing deployed', model(), [], {}],
    ['the cluster-autoscaler chart', model({ helmReleases: [{ ...chart('cluster-autoscaler'), release: 'ca' }] }), [], { clusterAutoscaler: 'Helm release kube-system/ca (chart cluster-autoscaler)' }],
    ['a Cluster Autoscaler Deployment (registry.k8s.io image)', model({ objects: [deployment('kube-system', 'cluster-autoscaler', 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0')] }), [], { clusterAutoscaler: 'Deployment kube-system/cluster-autoscaler' }],
    ['a Karpenter controller Deployment', model({ objects: [deployment('karpenter', 'karpenter', 'public.ecr.aws/karpenter/controller:1.8.0')] }), [], { karpenter: 'Deployment karpenter/karpenter' }],
    ['the metrics-server Deployment of components.yaml', model({ objects: [deployment('kube-system', 'metrics-server', 'registry.k8s.io/metrics-server/metrics-server:v0.8.0')] }), [], { metricsApi: 'Deployment kube-system/metrics-server' }],
    ['the EKS metrics-server add-on', model({ addons: [{ name: 'metrics-server', configuration: {} }] }), [], { metricsApi: 'EKS add-on metrics-server' }],
    ['EKS Auto Mode (Karpenter in the control plane)', model({ cluster: { ...(model().cluster as NonNullable<ReturnType<typeof model>['cluster']>), autoMode: true } }), [], { karpenter: 'EKS Auto Mode' }],
    ['an image that only contains the name', model({ objects: [deployment('tools', 'dash', 'example.com/my-cluster-autoscaler-dashboard:1')] }), [], {}],
    ['what the scenario assumes', model(), ['cluster-autoscaler', 'metrics-server'], { clusterAutoscaler: 'scenario assume', metricsApi: 'scenario assume' }],
  ] as [string, ReturnType<typeof model>, AssumedController[], Record<string, string>][])('%s', (_name, m, assume, expected) => {
    expect(deployedControllers(m, assume)).toEqual(expected);
  });
});

describe('checkControllers findings', () => {
  const scalable = nodeGroup({ name: 'general', minSize: 1, desiredSize: 2, maxSize: 5 });
  const fixed = nodeGroup({ name: 'fixed', minSize: 2, desiredSize: 2, maxSize: 2 });
  it.each([
    ['an HPA without a metrics API', model({ objects: [deployment('web', 'api', 'app:1'), hpa('web', 'api', 2, 10)] }), [],
      ['hpa-no-metrics-api HorizontalPodAutoscaler web/api: HorizontalPodAutoscaler web/api cannot scale: no metrics API in the assembly (no metrics-server chart, Deployment or EKS add-on); it holds its target between minReplicas and maxReplicas']],
    ['an HPA with metrics-server deployed', model({ objects: [deployment('web', 'api', 'app:1'), hpa('web', 'api', 2, 10)], helmReleases: [chart('metrics-server')] }), [], []],
    ['an HPA with metrics-server assumed', model({ objects: [deployment('web', 'api', 'app:1'), hpa('web', 'api', 2, 10)] }), ['metrics-server'], []],
    ['a scalable node group without a Cluster Autoscaler', model({ nodeGroups: [scalable, fixed] }), [],
      ['nodegroup-no-cluster-autoscaler NodeGroup general: node group general can scale (min 1, desired 2, max 5) but no Cluster Autoscaler is deployed; it stays at 2 node(s)']],
    ['a scalable node group with the chart discovering this cluster', model({ nodeGroups: [scalable], helmReleases: [{ ...chart('cluster-autoscaler'), values: { autoDiscovery: { clusterName: 'platform' } } }] }), [], []],
    ['a scalable node group with the chart at its defaults (no auto-discovery, no autoscalingGroups)', model({ nodeGroups: [scalable], helmReleases: [chart('cluster-autoscaler')] }), [],
      ['nodegroup-not-discovered NodeGroup general: node group general can scale (min 1, desired 2, max 5) but the Cluster Autoscaler does not manage it: Helm release kube-system/cluster-autoscaler has neither --nodes nor --node-group-auto-discovery (the chart renders no Deployment without autoDiscovery.clusterName or autoscalingGroups); it stays at 2 node(s)']],
    ['a scalable node group with the chart discovering another cluster', model({ nodeGroups: [scalable], helmReleases: [{ ...chart('cluster-autoscaler'), values: { autoDiscovery: { clusterName: 'staging' } } }] }), [],
      ["nodegroup-not-discovered NodeGroup general: node group general can scale (min 1, desired 2, max 5) but the Cluster Autoscaler does not manage it: Helm release kube-system/cluster-autoscaler discovers asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/staging; the group's Auto Scaling group has no k8s.io/cluster-autoscaler/staging tag; it stays at 2 node(s)"]],
    ['NodePools without a Karpenter controller', model({ objects: [object('NodePool', 'general', { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [] } } })] }), [],
      ['nodepool-no-karpenter NodePool general: no Karpenter controller is deployed (no karpenter chart or controller Deployment), so these NodePools launch no nodes']],
  ] as [string, ReturnType<typeof model>, AssumedController[], string[]][])('%s', (_name, m, assume, expected) => {
    expect(checkControllers(m, assume).map((f) => `${f.code} ${f.object}: ${f.message}`)).toEqual(expected);
  });
});

describe('scenario assume', () => {
  it('reads the list', () => {
    expect(parseScenario({ assume: ['cluster-autoscaler', 'karpenter', 'metrics-server'] }).assume).toEqual(['cluster-autoscaler', 'karpenter', 'metrics-server']);
    expect(parseScenario({}).assume).toBeUndefined();
  });

  it.each([
    ['not a list', { assume: 'metrics-server' }, 'assume', 'must be a list of cluster-autoscaler, karpenter, metrics-server, got "metrics-server"'],
    ['an unknown name', { assume: ['metrics-server', 'keda'] }, 'assume[1]', 'must be one of cluster-autoscaler, karpenter, metrics-server, got "keda"'],
  ])('fails when given %s', (_name, raw, field, message) => {
    let error: unknown;
    try { parseScenario(raw, 's.yaml'); } catch (e) { error = e; }
    expect(isEksplanError(error) && { field: error.field, message: error.message.includes(message) }).toEqual({ field, message: true });
  });
});

describe('the engine runs only deployed controllers', () => {
  // 3 fixed m5.large nodes; web/api requests 100m, HPA 1..5 at 50% CPU; 400 rps × 1m = 400m per pod at 1 pod,
  // so the HPA wants ceil(400 / 50) = 8 → maxReplicas 5 (horizontal.go), when it has metrics.
  const m = model({ nodeGroups: [nodeGroup({ minSize: 3, desiredSize: 3, maxSize: 3 })], objects: [deployment('web', 'api', 'app:1'), hpa('web', 'api', 1, 5)] });
  const scenario = (assume?: AssumedController[]) => parseScenario({
    duration: '10m', step: '15s', ...(assume ? { assume } : {}),
    loads: [{ workload: 'Deployment web/api', profile: { type: 'constant', rps: 400 }, perRequest: { cpuMillicores: 1 }, baseline: { cpuMillicores: 0 } }],
  });
  const finalReplicas = (assume?: AssumedController[]) => {
    const result = simulate(m, scenario(assume), { warmupSeconds: 0 });
    return result.timeline[result.timeline.length - 1].replicas['Deployment web/api'];
  };

  it('an HPA without a metrics API holds minReplicas (1)', () => {
    expect(finalReplicas()).toBe(1);
  });

  it('with metrics-server assumed it scales to maxReplicas (5)', () => {
    expect(finalReplicas(['metrics-server'])).toBe(5);
  });

  it('a node group nobody scales keeps its desired size even with pods pending', () => {
    const small = model({ nodeGroups: [nodeGroup({ minSize: 1, desiredSize: 1, maxSize: 4 })], objects: [deployment('web', 'api', 'app:1', 4, '1500m')] });
    const run = (assume?: AssumedController[]) => simulate(small, parseScenario({ duration: '15m', step: '15s', ...(assume ? { assume } : {}) }), { warmupSeconds: 0 }).summary.peakNodes;
    expect(run()).toBe(1);
    // m5.large: 1930m allocatable − 125m of DaemonSets leaves room for one 1500m pod per node: 4 nodes.
    expect(run(['cluster-autoscaler'])).toBe(4);
  });

  it('summarises what the warm-up changed at t = 0', () => {
    const small = model({ nodeGroups: [nodeGroup({ minSize: 1, desiredSize: 1, maxSize: 4 })], objects: [deployment('web', 'api', 'app:1', 4, '1500m')] });
    const result = simulate(small, parseScenario({ duration: '5m', step: '15s', assume: ['cluster-autoscaler'] }), { warmupSeconds: 900 });
    expect(result.events.filter((e) => e.type === 'warm-up').map((e) => [e.t, e.message])).toEqual([
      [0, 'warm-up (900s before t=0): node group general 1 → 4 node(s) (m5.large ×4)'],
    ]);
    expect(result.events.every((e) => e.t >= 0)).toBe(true);
  });
});

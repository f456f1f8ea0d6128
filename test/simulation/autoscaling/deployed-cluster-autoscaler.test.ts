import { clusterAutoscalerRuntime } from '../../../simulation/autoscaling/cluster-autoscaler-config';
import { simulate } from '../../../simulation/engine';
import { parseScenario } from '../../../simulation/engine/scenario';
import type { HelmReleaseModel, KubernetesObjectWithSource, NodeGroupModel } from '../../../simulation/model/cluster';
import { clusterAutoscalerGroups, clusterAutoscalerSettingsOf } from '../../../simulation/model/cluster-autoscaler-settings';
import { isEksplanError } from '../../../simulation/model/errors';
import { plan } from '../../../simulation/pipeline';
import { object } from '../checks/fixture';
import { clusterModel, deployment, nodeGroup, SUBNETS } from './fixtures';

// The Cluster Autoscaler the platform deploys is the one the simulation runs: its flags (from a Deployment's
// command line, or the cluster-autoscaler chart's values rendered as charts/cluster-autoscaler/templates/
// deployment.yaml renders them), its priority ConfigMap, and the node groups its --nodes and
// --node-group-auto-discovery find.

const release = (values: Record<string, unknown>): HelmReleaseModel => ({ chart: 'cluster-autoscaler', release: 'cluster-autoscaler', namespace: 'kube-system', values, source: { file: 'Platform.template.json', id: 'CaChart' } });

function caDeployment(command: string[], args: string[] = []): KubernetesObjectWithSource {
  return object('Deployment', 'kube-system/cluster-autoscaler', {
    replicas: 1, selector: { matchLabels: { app: 'ca' } },
    template: { metadata: { labels: { app: 'ca' } }, spec: { containers: [{ name: 'ca', image: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0', command, args }] } },
  });
}

describe('the deployed Cluster Autoscaler flags', () => {
  it.each([
    ['chart: autoDiscovery.clusterName with the default tags (values.yaml), extraArgs as flags', [], [release({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { expander: 'priority,least-waste', 'balance-similar-node-groups': true, 'scale-down-utilization-threshold': 0.7, 'scale-down-unneeded-time': '5m', 'scale-down-delay-after-add': '2m0s', 'scan-interval': '30s', 'scale-down-enabled': false, v: 4 } })],
      { expander: 'priority,least-waste', balanceSimilarNodeGroups: true, scaleDownUtilizationThreshold: 0.7, scaleDownUnneededSeconds: 300, scaleDownDelayAfterAddSeconds: 120, scanIntervalSeconds: 30, scaleDownEnabled: false, autoDiscovery: [[{ key: 'k8s.io/cluster-autoscaler/enabled' }, { key: 'k8s.io/cluster-autoscaler/platform' }]], explicitGroups: [] }],
    ['chart: custom tags with values, run through tpl', [], [release({ autoDiscovery: { clusterName: 'platform', tags: ['k8s.io/cluster-autoscaler/enabled=true', 'team={{ .Values.autoDiscovery.clusterName }}'] } })],
      { autoDiscovery: [[{ key: 'k8s.io/cluster-autoscaler/enabled', value: 'true' }, { key: 'team', value: 'platform' }]] }],
    ['chart: autoscalingGroups become --nodes', [], [release({ autoscalingGroups: [{ name: 'asg-a', minSize: 1, maxSize: 4 }, { name: 'asg-b', minSize: 0, maxSize: 9 }] })],
      { explicitGroups: [{ name: 'asg-a', minSize: 1, maxSize: 4 }, { name: 'asg-b', minSize: 0, maxSize: 9 }], autoDiscovery: [] }],
    ['Deployment: --flag=value, --flag value and a bare bool flag, in command and args', [caDeployment(['./cluster-autoscaler', '--cloud-provider=aws', '--expander', 'most-pods', '--balance-similar-node-groups'], ['--scan-interval', '1m', '--nodes=2:6:eks-workers-1234'])], [],
      { where: 'Deployment kube-system/cluster-autoscaler', expander: 'most-pods', balanceSimilarNodeGroups: true, scanIntervalSeconds: 60, explicitGroups: [{ name: 'eks-workers-1234', minSize: 2, maxSize: 6 }] }],
    ['Deployment wins over the chart values (it is the rendered command line)', [caDeployment(['./cluster-autoscaler', '--expander=least-nodes'])], [release({ extraArgs: { expander: 'random' } })],
      { where: 'Deployment kube-system/cluster-autoscaler', expander: 'least-nodes' }],
    ['priority ConfigMap in the namespace (expander/priority/priority.go)', [object('ConfigMap', 'kube-system/cluster-autoscaler-priority-expander', {}, { data: { priorities: '10:\n  - .*small.*\n50:\n  - .*big.*\n  - .*small-b.*\n' } } as never)], [release({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { expander: 'priority' } })],
      { priorities: { '.*small.*': 10, '.*big.*': 50, '.*small-b.*': 50 } }],
    ['chart expanderPriorities as a map (templates/priority-expander-configmap.yaml)', [], [release({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { expander: 'priority' }, expanderPriorities: { 10: ['.*'], 20: ['.*spot.*'] } })],
      { priorities: { '.*': 10, '.*spot.*': 20 } }],
  ] as [string, KubernetesObjectWithSource[], HelmReleaseModel[], Record<string, unknown>][])('%s', (_name, objects, releases, expected) => {
    expect(clusterAutoscalerSettingsOf(objects, releases)).toMatchObject(expected);
  });

  it('a bad flag is bad input for every command: plan refuses the model, naming the chart and the field', () => {
    const m = clusterModel([], [nodeGroup({ name: 'workers' })], { helmReleases: [release({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { 'scan-interval': 'often' } })] });
    expect(() => plan(m)).toThrow("Platform.template.json: HelmChart cluster-autoscaler: values.extraArgs.scan-interval: must be a Go duration like 10s or 10m0s, got 'often'");
  });

  it('none deployed: undefined', () => {
    expect(clusterAutoscalerSettingsOf([deployment('api', 1, '100m', '64Mi')], [])).toBeUndefined();
  });

  it.each([
    ['a threshold above 1', release({ extraArgs: { 'scale-down-utilization-threshold': 1.5 } }), 'values.extraArgs.scale-down-utilization-threshold', "must be a number from 0 to 1, got '1.5'"],
    ['the price expander on AWS', release({ extraArgs: { expander: 'price' } }), 'values.extraArgs.expander', 'pricing model'],
    ['an unknown expander', release({ extraArgs: { expander: 'cheapest' } }), 'values.extraArgs.expander', "unknown expander 'cheapest'"],
    ['a bad duration', release({ extraArgs: { 'scale-down-unneeded-time': 'ten minutes' } }), 'values.extraArgs.scale-down-unneeded-time', 'Go duration'],
    ['min above max in autoscalingGroups', release({ autoscalingGroups: [{ name: 'a', minSize: 5, maxSize: 2 }] }), 'values.extraArgs.nodes', 'minimum 5 is above maximum 2'],
    ['priorities that are not YAML', release({ extraArgs: { expander: 'priority' }, expanderPriorities: '10: [unclosed' }), 'values.expanderPriorities', 'is not YAML'],
    ['a priority that is not an integer', release({ extraArgs: { expander: 'priority' }, expanderPriorities: { high: ['.*'] } }), 'values.expanderPriorities', "priority 'high' is not an integer"],
  ] as const)('rejects %s, naming the file, the chart and the field', (_name, chart, field, message) => {
    let thrown: unknown;
    try { clusterAutoscalerSettingsOf([], [chart]); } catch (error) { thrown = error; }
    expect(isEksplanError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ input: 'Platform.template.json: HelmChart cluster-autoscaler', field });
    expect((thrown as Error).message).toContain(message);
  });
});

describe('the node groups it manages', () => {
  const managed = nodeGroup({ name: 'workers', minSize: 1, desiredSize: 1, maxSize: 5 });
  const selfManaged = (tags: Record<string, string>): NodeGroupModel => ({ ...nodeGroup({ name: 'SelfAsg', minSize: 1, desiredSize: 1, maxSize: 5 }), kind: 'self-managed', asgTags: tags });
  const groupsOf = (releases: HelmReleaseModel[], groups: NodeGroupModel[], cluster?: { name: string; logicalId: string }) => {
    const m = clusterModel([], groups, { helmReleases: releases });
    const withCluster = cluster && m.cluster ? { ...m, cluster: { ...m.cluster, name: cluster.name, source: { file: 'Platform.template.json', id: cluster.logicalId } } } : m;
    return clusterAutoscalerGroups(withCluster);
  };

  it.each([
    // EKS tags a managed node group's ASG k8s.io/cluster-autoscaler/enabled and k8s.io/cluster-autoscaler/<cluster>.
    ['managed group, auto-discovery of this cluster', [release({ autoDiscovery: { clusterName: 'platform' } })], [managed], undefined, ['workers'], []],
    ['managed group, the chart given the cluster Ref (a CDK token)', [release({ autoDiscovery: { clusterName: '${Token[Ref:Cluster9EE0221C]}' } })], [managed], { name: 'Cluster9EE0221C', logicalId: 'Cluster9EE0221C' }, ['workers'], []],
    ['managed group, the Ref of a cluster with a given name', [release({ autoDiscovery: { clusterName: '${Token[Ref:Cluster9EE0221C]}' } })], [managed], { name: 'prod', logicalId: 'Cluster9EE0221C' }, ['workers'], []],
    ['managed group, auto-discovery of another cluster', [release({ autoDiscovery: { clusterName: 'staging' } })], [managed], undefined, [], ['workers']],
    ['managed group, a tag value EKS does not set', [release({ autoDiscovery: { clusterName: 'platform', tags: ['k8s.io/cluster-autoscaler/enabled=yes'] } })], [managed], undefined, [], ['workers']],
    ['self-managed group with the discovery tags on its ASG', [release({ autoDiscovery: { clusterName: 'platform' } })], [selfManaged({ 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/platform': 'owned' })], undefined, ['SelfAsg'], []],
    ['self-managed group without them', [release({ autoDiscovery: { clusterName: 'platform' } })], [selfManaged({ 'kubernetes.io/cluster/platform': 'owned' })], undefined, [], ['SelfAsg']],
    ['--nodes naming the managed group\'s ASG (eks-<name>-<uuid>)', [release({ autoscalingGroups: [{ name: 'eks-workers-6ac1b2', minSize: 2, maxSize: 3 }] })], [managed], undefined, ['workers'], []],
  ] as [string, HelmReleaseModel[], NodeGroupModel[], { name: string; logicalId: string } | undefined, string[], string[]][])('%s', (_name, releases, groups, cluster, expectManaged, expectUnmanaged) => {
    const result = groupsOf(releases, groups, cluster);
    expect(result.groups.map((g) => g.name)).toEqual(expectManaged);
    expect(result.unmanaged.map((g) => g.group)).toEqual(expectUnmanaged);
  });

  it('--nodes bounds replace the group\'s own', () => {
    const result = groupsOf([release({ autoscalingGroups: [{ name: 'eks-workers-6ac1b2', minSize: 2, maxSize: 3 }] })], [managed]);
    expect(result.groups[0]).toMatchObject({ minSize: 2, maxSize: 3 });
  });

  it('what the scenario sets wins over the deployed flags; the rest come from the flags', () => {
    const m = clusterModel([], [managed], { helmReleases: [release({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { expander: 'priority', 'scan-interval': '20s' } })] });
    const fromFlags = clusterAutoscalerRuntime(m, parseScenario({}).controllers.clusterAutoscaler).settings;
    expect(fromFlags).toMatchObject({ expander: 'priority', scanIntervalSeconds: 20, scaleDownUnneededSeconds: 600 });
    const overridden = clusterAutoscalerRuntime(m, parseScenario({ controllers: { clusterAutoscaler: { expander: 'most-pods' } } }).controllers.clusterAutoscaler).settings;
    expect(overridden).toMatchObject({ expander: 'most-pods', scanIntervalSeconds: 20 });
  });
});

describe('the simulation runs the deployed Cluster Autoscaler', () => {
  // Two empty groups that could each hold the pods: small (m5.large) and big (m5.2xlarge); three 1.5-CPU pods.
  const groups = [
    nodeGroup({ name: 'small', instanceTypes: ['m5.large'], minSize: 0, desiredSize: 0, maxSize: 10, subnetIds: [SUBNETS[0].id] }),
    nodeGroup({ name: 'big', instanceTypes: ['m5.2xlarge'], minSize: 0, desiredSize: 0, maxSize: 10, subnetIds: [SUBNETS[0].id] }),
  ];
  const run = (values: Record<string, unknown>, objects: ReturnType<typeof object>[] = [], controllers: Record<string, unknown> = {}) => {
    const m = clusterModel([deployment('api', 3, '1500m', '512Mi'), ...objects], groups, { helmReleases: [release(values)] });
    return simulate(m, parseScenario({ duration: '15m', step: '15s', seed: 1, assume: ['metrics-server'], controllers }), { warmupSeconds: 0 });
  };
  const nodesPerGroup = (result: ReturnType<typeof simulate>) => {
    const counts: Record<string, number> = {};
    for (const n of result.nodes) if (n.owner.kind === 'nodegroup') counts[n.owner.name] = (counts[n.owner.name] ?? 0) + 1;
    return counts;
  };

  it('a chart discovering another cluster scales nothing: the pods stay pending, as in the real cluster', () => {
    const result = run({ autoDiscovery: { clusterName: 'staging' } });
    expect(result.nodes).toHaveLength(0);
    expect(result.pendingPods.filter((p) => p.workload.endsWith('default/api')).reduce((sum, p) => sum + (p.count ?? 1), 0)).toBe(3);
  });

  it('least-waste (the flag) picks small: three m5.large, one pod each (1.5 of 1.93 CPU)', () => {
    expect(nodesPerGroup(run({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { expander: 'least-waste' } }))).toEqual({ small: 3 });
  });

  it('the priority expander with the priority ConfigMap picks big: one m5.2xlarge holds the three pods (4.5 of 7.91 CPU)', () => {
    const priorities = object('ConfigMap', 'kube-system/cluster-autoscaler-priority-expander', {}, { data: { priorities: '10:\n  - small\n50:\n  - big\n' } } as never);
    expect(nodesPerGroup(run({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { expander: 'priority' } }, [priorities]))).toEqual({ big: 1 });
  });

  it('a scenario expander overrides the flag', () => {
    const priorities = object('ConfigMap', 'kube-system/cluster-autoscaler-priority-expander', {}, { data: { priorities: '10:\n  - small\n50:\n  - big\n' } } as never);
    expect(nodesPerGroup(run({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { expander: 'priority' } }, [priorities], { clusterAutoscaler: { expander: 'least-waste' } }))).toEqual({ small: 3 });
  });

  it('--scale-down-enabled=false keeps an idle node group at its size', () => {
    const idle = [nodeGroup({ name: 'idle', instanceTypes: ['m5.large'], minSize: 1, desiredSize: 3, maxSize: 5, subnetIds: [SUBNETS[0].id] })];
    const go = (enabled: boolean) => simulate(clusterModel([], idle, { helmReleases: [release({ autoDiscovery: { clusterName: 'platform' }, extraArgs: { 'scale-down-enabled': enabled } })] }),
      parseScenario({ duration: '30m', step: '15s', seed: 1, assume: ['metrics-server'] }), { warmupSeconds: 0 });
    // Scale-down removes empty nodes after scale-down-unneeded-time (10m) down to minSize 1.
    expect(go(true).nodes.filter((n) => n.terminatedAt === undefined)).toHaveLength(1);
    expect(go(false).nodes.filter((n) => n.terminatedAt === undefined)).toHaveLength(3);
  });
});

import {
  ClusterSnapshot, DEFAULT_KUBERNETES_VERSION, profileFromConfiguration, resolveFeatures, Scheduler, type KubeSchedulerConfiguration, type KubeSchedulerProfile,
} from '../../../simulation/scheduler';
import { EKS_VERSIONS } from '../../../simulation/catalog/eks-versions';
import { makePod, nodeInfo } from '../helpers';

// The scheduler profile as data (pkg/scheduler/apis/config/v1/default_plugins.go, v1/defaults.go mergePlugins,
// framework/runtime/framework.go), status codes and preemption candidates (preemption.go nodesWherePreemptionMightHelp).

describe('the default profile', () => {
  it("runs upstream's default filter and score plugins with their default weights", () => {
    const scheduler = new Scheduler();
    expect(scheduler.filters.map((p) => p.name)).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity']);
    expect(Object.fromEntries(scheduler.scorers.map((p) => [p.name, scheduler.weightOf(p.name)]))).toEqual({
      TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1,
    });
  });

  it('follows the newest Kubernetes version of the EKS calendar by default', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe(EKS_VERSIONS[EKS_VERSIONS.length - 1].version);
    expect(new Scheduler().features.kubernetesVersion).toBe(DEFAULT_KUBERNETES_VERSION);
  });
});

describe('a profile shaped like KubeSchedulerConfiguration', () => {
  const nodes = () => [nodeInfo('empty', { cpu: '4', memory: '8Gi', pods: '10' }), nodeInfo('busy', { cpu: '4', memory: '8Gi', pods: '10' }, [makePod('x', { cpu: '2', memory: '4Gi' })])];

  it('NodeResourcesFit MostAllocated (with BalancedAllocation off) packs onto the busier node', () => {
    const profile: KubeSchedulerProfile = {
      plugins: { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }] } },
      pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } }],
    };
    expect(new Scheduler({ profile }).schedule(makePod('p', { cpu: '1', memory: '1Gi' }), nodes()).node).toBe('busy');
    expect(new Scheduler().schedule(makePod('p', { cpu: '1', memory: '1Gi' }), nodes()).node).toBe('empty');
    expect(new Scheduler({ profile }).scorers.map((p) => p.name)).not.toContain('NodeResourcesBalancedAllocation');
  });

  it('multiPoint disabled "*" keeps only the plugins enabled again, with their weights', () => {
    const profile: KubeSchedulerProfile = { plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeResourcesFit', weight: 5 }, { name: 'TaintToleration' }] } } };
    const scheduler = new Scheduler({ profile });
    expect(scheduler.filters.map((p) => p.name)).toEqual(['NodeResourcesFit', 'TaintToleration']);
    // framework.go: a weight of 0 (omitted) becomes 1.
    expect([scheduler.weightOf('NodeResourcesFit'), scheduler.weightOf('TaintToleration')]).toEqual([5, 1]);
  });

  it('a score entry overrides the MultiPoint weight; a filter can be disabled alone', () => {
    const scheduler = new Scheduler({ profile: { plugins: { score: { enabled: [{ name: 'PodTopologySpread', weight: 7 }] }, filter: { disabled: [{ name: 'TaintToleration' }] } } } });
    expect(scheduler.weightOf('PodTopologySpread')).toBe(7);
    expect(scheduler.filters.map((p) => p.name)).not.toContain('TaintToleration');
    expect(scheduler.scorers.map((p) => p.name)).toContain('TaintToleration');
  });

  it('reads the named profile of a configuration, with the configuration-wide percentageOfNodesToScore', () => {
    const configuration: KubeSchedulerConfiguration = {
      apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', percentageOfNodesToScore: 30,
      profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'bin-packing', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] }],
    };
    expect(profileFromConfiguration(configuration, 'bin-packing')).toMatchObject({ schedulerName: 'bin-packing', percentageOfNodesToScore: 30 });
    expect(() => profileFromConfiguration(configuration, 'other')).toThrow('no profile for scheduler "other"');
  });

  it.each<[string, KubeSchedulerProfile, string]>([
    ['an unknown plugin', { plugins: { score: { enabled: [{ name: 'NodeResourcesLeastAllocated' }] } } }, 'plugins.score.enabled[0].name: plugin "NodeResourcesLeastAllocated" does not exist'],
    ['a negative weight', { plugins: { score: { enabled: [{ name: 'TaintToleration', weight: -1 }] } } }, 'plugins.score.enabled[0].weight'],
    ['a resource weight over 100', { pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { resources: [{ name: 'cpu', weight: 101 }] } } }] }, 'pluginConfig[NodeResourcesFit].args.scoringStrategy.resources[0].weight'],
    ['a BalancedAllocation weight other than 1', { pluginConfig: [{ name: 'NodeResourcesBalancedAllocation', args: { resources: [{ name: 'cpu', weight: 2 }] } }] }, 'pluginConfig[NodeResourcesBalancedAllocation].args.resources[0].weight'],
    ['two configs for one plugin', { pluginConfig: [{ name: 'NodeResourcesFit', args: {} }, { name: 'NodeResourcesFit', args: {} }] }, 'pluginConfig[1].name: duplicate pluginConfig'],
    ['percentageOfNodesToScore over 100', { percentageOfNodesToScore: 101 }, 'percentageOfNodesToScore: not in valid range [0, 100]'],
    ['System defaulting with default constraints', { pluginConfig: [{ name: 'PodTopologySpread', args: { defaultingType: 'System', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] } }] }, 'defaultConstraints must be empty'],
  ])('fails when given %s', (_name, profile, message) => {
    expect(() => new Scheduler({ profile })).toThrow(message);
  });

  it('fails when given an unknown feature gate', () => {
    expect(() => resolveFeatures({ featureGates: { NotAGate: true } })).toThrow("unknown feature gate 'NotAGate'");
  });
});

describe('status codes and preemption candidates', () => {
  it('Insufficient cpu is Unschedulable, a request over the whole allocatable UnschedulableAndUnresolvable (fit.go)', () => {
    const full = nodeInfo('full', { cpu: '4', memory: '8Gi', pods: '10' }, [makePod('x', { cpu: '3' })]);
    const scheduler = new Scheduler();
    expect(scheduler.canSchedule(makePod('p', { cpu: '2' }), full)).toMatchObject({ fits: false, reasons: ['Insufficient cpu'], code: 'Unschedulable' });
    expect(scheduler.canSchedule(makePod('p', { cpu: '8' }), full)).toMatchObject({ fits: false, reasons: ['Insufficient cpu'], code: 'UnschedulableAndUnresolvable' });
  });

  it('preemption tries only nodes where removing pods could help (a taint or an oversize request cannot be fixed)', () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    const snapshot = new ClusterSnapshot([
      nodeInfo('full', { cpu: '4', memory: '8Gi', pods: '10' }, [makePod('x', { cpu: '3' })]),
      nodeInfo('tainted', { cpu: '4', memory: '8Gi', pods: '10' }, [], {}, [taint]),
      nodeInfo('small', { cpu: '1', memory: '8Gi', pods: '10' }),
    ]);
    const scheduler = new Scheduler();
    const pod = makePod('p', { cpu: '2' });
    const result = scheduler.schedule(pod, snapshot);
    expect(result.node).toBeUndefined();
    expect(result.unresolvableNodes).toBe(2);
    expect(scheduler.nodesWherePreemptionMightHelp(pod, snapshot).map((n) => n.name)).toEqual(['full']);
    expect(snapshot.nodes.map((n) => scheduler.preemptionMightHelp(pod, n, snapshot))).toEqual([true, false, false]);
  });
});

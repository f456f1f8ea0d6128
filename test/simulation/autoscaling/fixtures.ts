import { KarpenterController } from '../../../simulation/autoscaling/karpenter/controller';
import type { CapacityActions, CapacityType, SimNode, SimPod } from '../../../simulation/autoscaling/types';
import { ClusterState } from '../../../simulation/engine/cluster-state';
import type { SimEvent } from '../../../simulation/model/result';
import { parseScenario } from '../../../simulation/engine';
import type { ClusterModel, NodeGroupModel } from '../../../simulation/model/cluster';
import type { KubernetesObject, Pod } from '../../../simulation/model/kubernetes';
import { podRequests } from '../../../simulation/scheduler';
import { model, nodeGroup, object } from '../checks/fixture';
import { makePod } from '../helpers';

export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
type Source = ReturnType<typeof object>;

/** Three private subnets, one per zone, all discovered by the EC2NodeClass. */
export const SUBNETS: ClusterModel['subnets'] = ZONES.map((zone, i) => ({
  id: `Private${'ABC'[i]}`, cidr: `10.0.${i * 32}.0/19`, availabilityZone: zone, public: false, tags: { 'karpenter.sh/discovery': 'platform' },
}));

export function deployment(name: string, replicas: number, cpu: string, memory: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: name }): Source {
  return object('Deployment', `default/${name}`, {
    replicas, selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu, memory } } }], ...spec } },
  });
}

export function daemonSet(name: string, cpu: string, memory: string, spec: Record<string, unknown> = {}): Source {
  return object('DaemonSet', `kube-system/${name}`, {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i@sha256:1', resources: { requests: { cpu, memory } } }], ...spec } },
  }, { apiVersion: 'apps/v1' } as Partial<KubernetesObject>);
}

export function nodePool(name: string, requirements: unknown[], spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}): Source {
  return object('NodePool', name, {
    template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements, ...template } },
    disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s' },
    ...spec,
  });
}

export const nodeClass = (spec: Record<string, unknown> = {}): Source => object('EC2NodeClass', 'default', { subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'platform' } }], amiSelectorTerms: [{ alias: 'al2023@latest' }], ...spec });

export function clusterModel(objects: Source[], nodeGroups: NodeGroupModel[] = [], overrides: Partial<ClusterModel> = {}): ClusterModel {
  return model({ subnets: SUBNETS, objects, nodeGroups, ...overrides });
}

export { nodeGroup };

/** A pending pod as the provisioner sees it. */
export function simPod(name: string, cpu: string, memory: string, spec: Partial<Pod['spec']> = {}, labels: Record<string, string> = {}): SimPod {
  const pod = makePod(name, { cpu, memory }, spec, labels);
  return {
    key: `default/${name}`, pod, requests: podRequests(pod), ordinal: 0, phase: 'Pending', createdAt: 0, pendingSeconds: 0, lastMessage: 'unschedulable',
    workload: { key: 'Deployment default/x', kind: 'Deployment', namespace: 'default', name: 'x', replicas: 1, template: { spec: pod.spec }, daemonSet: false, volumeClaims: 0, system: false },
  } as unknown as SimPod;
}

/** A scenario in which the autoscalers under test run (the hand-made models deploy no controller charts). */
export function scenario(input: Record<string, unknown>): ReturnType<typeof parseScenario> {
  return parseScenario({ assume: ['karpenter', 'cluster-autoscaler', 'metrics-server'], ...input });
}

/**
 * A cluster a test builds by hand (nodes and pods placed directly) and the Karpenter controller acting on it, one
 * pass at a time: the actions apply to the state as the engine applies them; `clock.now` is the simulated time.
 */
export function karpenterHarness(objects: Source[], launchDelaySeconds = 60) {
  const model = clusterModel([nodeClass(), ...objects]);
  const state = new ClusterState(model, { region: 'us-east-1', seed: 1 });
  const clock = { now: 0 };
  const events: Omit<SimEvent, 't'>[] = [];
  const view = state.viewAt({ now: () => clock.now, region: 'us-east-1', model, unavailableZones: () => new Set(), hasCapacity: () => true, random: () => 0.5 });
  const actions: CapacityActions = {
    launch: (request) => state.launch(request, clock.now),
    terminate: (name, reason) => { events.push({ type: 'terminate', source: 'test', object: `Node ${name}`, message: reason }); state.terminate(name, reason, clock.now); },
    cordon: (name) => state.cordon(name),
    taint: (name, taint, present) => state.taint(name, taint, present),
    emit: (event) => events.push(event),
  };
  const karpenter = new KarpenterController(model, { launchDelaySeconds, batchIdleSeconds: 1, batchMaxSeconds: 10 }, 'us-east-1');
  return {
    model, state, clock, events, view, actions, karpenter,
    /** A node of a NodePool, Ready after `readyDelaySeconds` (a launching NodeClaim until then). */
    node(pool: string, instanceType: string, zone: string, readyDelaySeconds = 0, labels: Record<string, string> = {}, capacityType: CapacityType = 'on-demand'): SimNode {
      const node = state.launch({ instanceType, zone, capacityType, owner: { kind: 'nodepool', name: pool }, labels: { 'karpenter.sh/nodepool': pool, ...labels }, taints: [], maxPods: 29, readyDelaySeconds, karpenter: true }, clock.now);
      if ('error' in node) throw new Error(node.message);
      return node;
    },
    /** One more pod of a Deployment in `default`, bound to the node, or pending without one. */
    pod(workload: string, node?: SimNode): SimPod {
      const spec = state.workloads.find((w) => w.key === `Deployment default/${workload}`);
      if (!spec) throw new Error(`no workload ${workload}`);
      const pod = state.createPod(spec, state.podsOfWorkload(spec).length, clock.now);
      if (!pod) throw new Error('not admitted');
      if (node) state.bind(pod, node, clock.now);
      return pod;
    },
    /**
     * One step at `t`, the events it emitted: with `schedule`, nodes become Ready and the kube-scheduler binds what it
     * can first; `between` runs next; then Karpenter reconciles.
     */
    step(t: number, options: { schedule?: boolean; between?: () => void } = {}): Omit<SimEvent, 't'>[] {
      clock.now = t;
      const before = events.length;
      if (options.schedule) {
        state.readyNodes(t);
        state.schedulePending(t, { preemption: false });
      }
      options.between?.();
      karpenter.reconcile(view, actions);
      return events.slice(before);
    },
  };
}

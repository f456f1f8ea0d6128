import type { SimPod } from '../../../simulation/autoscaling/types';
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

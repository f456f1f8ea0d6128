import type { ClusterModel } from '../model/cluster';
import type { Container, KubernetesObject, PodSpec } from '../model/kubernetes';
import type { Finding } from '../model/result';
import { matchesLabelSelector } from '../model/labels';

// The production checklist for workloads (EKS Best Practices Guide, "Reliability: Applications", and the
// Kubernetes "Configuration best practices"): each miss is a warning in every report format.

const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

export function lintWorkloads(model: ClusterModel): Finding[] {
  const findings: Finding[] = [];
  const objects = model.objects.map((o) => o.object);
  for (const object of objects) {
    if (!CONTROLLERS.has(object.kind) && object.kind !== 'Pod') continue;
    const spec = podSpecOf(object);
    if (!spec) continue;
    const id = `${object.kind} ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
    const warn = (code: string, message: string, fix: string) => findings.push({ severity: 'warning', code, object: id, message, fix });
    const containers: Container[] = Array.isArray(spec.containers) ? spec.containers : [];

    for (const container of containers) {
      const requests = container.resources?.requests ?? {};
      if (requests.cpu === undefined || requests.memory === undefined) {
        warn('no-requests', `container '${container.name}' has no ${requests.cpu === undefined ? 'cpu' : 'memory'} request: the scheduler and autoscalers cannot size for it`,
          'set resources.requests.cpu and resources.requests.memory');
      }
      if (container.resources?.limits?.memory === undefined) {
        warn('no-memory-limit', `container '${container.name}' has no memory limit: it can exhaust the node and be OOM-killed with its neighbours`,
          'set resources.limits.memory equal to the memory request');
      }
      const image = container.image ?? '';
      if (!image.includes('@sha256:')) {
        const tag = imageTag(image);
        if (tag === undefined || tag === 'latest') {
          warn('mutable-image', `container '${container.name}' image '${image}' ${tag === undefined ? 'has no tag' : 'uses :latest'}: rollouts are not reproducible`,
            'pin the image by digest (image@sha256:...) or an immutable version tag');
        }
      }
      const sc = container.securityContext ?? {};
      if (sc.privileged) warn('privileged', `container '${container.name}' runs privileged`, 'drop privileged: true and grant only the capabilities it needs');
      const runAsNonRoot = sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
      const runAsUser = sc.runAsUser ?? spec.securityContext?.runAsUser;
      if (runAsUser === 0 || (runAsNonRoot !== true && runAsUser === undefined)) {
        warn('runs-as-root', `container '${container.name}' may run as root (no runAsNonRoot/runAsUser)`, 'set securityContext.runAsNonRoot: true and a non-zero runAsUser');
      }
    }
    const servesTraffic = object.kind === 'Deployment' || object.kind === 'StatefulSet';
    if (servesTraffic && containers.length > 0 && containers.every((c) => c.readinessProbe === undefined)) {
      warn('no-readiness-probe', 'no container has a readiness probe: traffic reaches pods before they are ready', 'add a readinessProbe');
    }
    const replicas = typeof object.spec?.replicas === 'number' ? object.spec.replicas : 1;
    const labels = object.spec?.template?.metadata?.labels ?? {};
    const namespace = object.metadata.namespace ?? 'default';
    if ((object.kind === 'Deployment' || object.kind === 'StatefulSet') && replicas > 1) {
      // policy/v1: a PDB without a selector selects no pods.
      const covered = model.pdbs.some((pdb) => pdb.namespace === namespace && pdb.selector !== undefined && matchesLabelSelector(pdb.selector, labels));
      if (!covered) warn('no-pdb', `${replicas} replicas without a PodDisruptionBudget: a drain or consolidation can take them all down at once`, 'add a PodDisruptionBudget (e.g. maxUnavailable: 1)');
      if (!spec.topologySpreadConstraints?.length && !spec.affinity?.podAntiAffinity) {
        warn('no-topology-spread', `${replicas} replicas with no topology spread: they may all land in one zone or on one node`,
          'add topologySpreadConstraints on topology.kubernetes.io/zone and kubernetes.io/hostname');
      }
    }
  }
  return findings;
}

function podSpecOf(object: KubernetesObject): PodSpec | undefined {
  if (object.kind === 'Pod') return object.spec as PodSpec;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template?.spec;
  return object.spec?.template?.spec;
}

function imageTag(image: string): string | undefined {
  const lastSlash = image.lastIndexOf('/');
  const name = image.slice(lastSlash + 1);
  const colon = name.lastIndexOf(':');
  return colon < 0 ? undefined : name.slice(colon + 1);
}


import { assertTypedObjectsValid, typedObjects, withObjects } from '../../../simulation/model/typed-objects';
import type { HelmReleaseModel, KubernetesObjectWithSource } from '../../../simulation/model/cluster';
import { GiB, MiB } from '../../../simulation/model/quantity';
import { checkKarpenterWiring } from '../../../simulation/checks/karpenter-wiring';
import { model, object } from '../checks/fixture';

// The typed entries, with the defaults each upstream API applies (sources in simulation/model/typed-objects.ts).

/** A NodePool whose `template.spec` extra fields are merged over a valid default. */
function pool(spec: { template?: { spec?: object }; [key: string]: unknown }, name = 'general'): KubernetesObjectWithSource {
  const templateSpec = { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [], ...(spec.template?.spec ?? {}) };
  return object('NodePool', name, { ...spec, template: { spec: templateSpec } });
}

describe('typed NodePools (karpenter.sh/v1 defaults)', () => {
  it('defaults weight, consolidation, budgets and expiry as the v1 CRD does', () => {
    const [p] = typedObjects([pool({})]).nodePools;
    expect(p).toMatchObject({
      name: 'general', weight: 0, consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfterSeconds: 0,
      budgets: [{ nodes: '10%', reasons: [] }], expireAfterSeconds: 720 * 3600, limits: { other: {} },
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
    });
  });

  it.each([
    ['cpu and memory limits in base units', { limits: { cpu: '1000', memory: '1000Gi' } }, { limits: { milliCpu: 1_000_000, memoryBytes: 1000 * GiB, other: {} } }],
    ['Never means no consolidation and no expiry', { disruption: { consolidateAfter: 'Never' }, template: { spec: { expireAfter: 'Never' } } }, { consolidateAfterSeconds: Infinity, expireAfterSeconds: Infinity }],
    ['a scheduled budget keeps its window', { disruption: { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Underutilized'] }] } }, { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', durationSeconds: 8 * 3600, reasons: ['Underutilized'] }] }],
    ['a weight', { weight: 50 }, { weight: 50 }],
  ])('%s', (_name, spec, expected) => {
    expect(typedObjects([pool(spec)]).nodePools[0]).toMatchObject(expected);
  });

  it.each([
    ['a weight above 100', { weight: 101 }, 'spec.weight: weight must be an integer from 0 to 100, got 101'],
    ['a budget schedule without a duration', { disruption: { budgets: [{ nodes: '1', schedule: '@daily' }] } }, 'spec.disruption.budgets[0].duration: schedule and duration must be set together'],
    ['a budget of nodes that is no count', { disruption: { budgets: [{ nodes: 'many' }] } }, 'spec.disruption.budgets[0].nodes: nodes must be a count or a percentage'],
    ['a limit that is no quantity', { limits: { cpu: 'lots' } }, "spec.limits.cpu: invalid quantity 'lots'"],
    ['an unknown consolidation policy', { disruption: { consolidationPolicy: 'Always' } }, 'spec.disruption.consolidationPolicy: must be WhenEmpty or WhenEmptyOrUnderutilized'],
    ['a duration that is no duration', { disruption: { consolidateAfter: 'soon' } }, "spec.disruption.consolidateAfter: invalid duration 'soon'"],
  ])('fails when given %s, naming the object and field', (_name, spec, message) => {
    const typed = typedObjects([pool(spec)]);
    expect(typed.nodePools).toEqual([]);
    expect(typed.invalidObjects[0].message).toContain(`Platform.template.json: NodePool general: ${message}`);
    expect(() => assertTypedObjectsValid(typed)).toThrow(`Platform.template.json: NodePool general: ${message}`);
  });
});

describe('typed EC2NodeClasses', () => {
  it.each([
    ['al2023@latest', 'AL2023'], ['bottlerocket@v1.40.0', 'Bottlerocket'], ['al2@v20240807', 'AL2'], ['windows2022@latest', 'Windows2022'], ['something@else', 'Custom'],
  ])('alias %s is the %s family', (alias, family) => {
    expect(typedObjects([object('EC2NodeClass', 'default', { amiSelectorTerms: [{ alias }] })]).nodeClasses[0].amiFamily).toBe(family);
  });

  it('parses the root volume exactly once, in bytes (no rounding), and the kubelet settings', () => {
    const [nodeClass] = typedObjects([object('EC2NodeClass', 'default', {
      amiSelectorTerms: [{ alias: 'al2023@latest' }], role: 'KarpenterNodeRole',
      blockDeviceMappings: [{ deviceName: '/dev/xvdb', ebs: { volumeSize: '10Gi' } }, { deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '100G', volumeType: 'gp3', encrypted: true } }],
      kubelet: { maxPods: 110, podsPerCore: 10, kubeReserved: { cpu: '200m', memory: '1Gi' }, systemReserved: { memory: '500Mi' }, evictionHard: { 'memory.available': '5%' } },
    })]).nodeClasses;
    expect(nodeClass.rootVolume).toEqual({ sizeBytes: 100e9, volumeType: 'gp3', encrypted: true });
    expect(nodeClass.kubelet).toEqual({
      maxPods: 110, podsPerCore: 10, kubeReserved: { milliCpu: 200, memoryBytes: GiB }, systemReserved: { memoryBytes: 500 * MiB },
      evictionHard: { 'memory.available': '5%' }, evictionSoft: {},
    });
    expect(nodeClass.role).toBe('KarpenterNodeRole');
  });

  it('fails when kubelet.maxPods is not a count', () => {
    expect(() => assertTypedObjectsValid(typedObjects([object('EC2NodeClass', 'default', { kubelet: { maxPods: -1 } })]))).toThrow('EC2NodeClass default: spec.kubelet.maxPods: must be a non-negative integer, got -1');
  });
});

describe('typed PDBs, HPAs and volumes', () => {
  it('keeps a PDB without a selector as selecting nothing, and refuses both minAvailable and maxUnavailable', () => {
    expect(typedObjects([object('PodDisruptionBudget', 'apps/web', { minAvailable: '50%' })]).pdbs[0]).toMatchObject({ namespace: 'apps', selector: undefined, minAvailable: '50%' });
    expect(() => assertTypedObjectsValid(typedObjects([object('PodDisruptionBudget', 'apps/web', { minAvailable: 1, maxUnavailable: 1 })]))).toThrow('minAvailable and maxUnavailable cannot both be set');
  });

  it('defaults an HPA without metrics to CPU at 80% (autoscaling/v2 defaults.go) and minReplicas to 1', () => {
    const [hpa] = typedObjects([object('HorizontalPodAutoscaler', 'apps/web', { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5 })]).hpas;
    expect(hpa).toMatchObject({ minReplicas: 1, maxReplicas: 5, target: { kind: 'Deployment', name: 'web' }, metrics: [{ type: 'Resource', name: 'cpu', targetType: 'Utilization', averageUtilization: 80 }] });
  });

  it('parses metric targets to milli-units and per-direction tolerances once', () => {
    const [hpa] = typedObjects([object('HorizontalPodAutoscaler', 'apps/web', {
      scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } }],
      behavior: { scaleUp: { tolerance: '0.05' }, scaleDown: { tolerance: 0.2 } },
    })]).hpas;
    expect(hpa.metrics[0]).toMatchObject({ type: 'Pods', name: 'rps', targetType: 'AverageValue', averageValueMilli: 1_000_000 });
    expect(hpa.tolerance).toEqual({ scaleUp: 0.05, scaleDown: 0.2 });
  });

  it.each([
    ['maxReplicas below minReplicas', { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 5, maxReplicas: 2 }, 'spec.maxReplicas: maxReplicas must be an integer ≥ minReplicas (5)'],
    ['a metric of an unknown type', { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 2, metrics: [{ type: 'Magic' }] }, 'spec.metrics[0].type: metric type must be'],
    ['a scaleTargetRef without a name', { scaleTargetRef: { kind: 'Deployment' }, maxReplicas: 2 }, 'spec.scaleTargetRef: scaleTargetRef must name a kind and a name'],
  ])('fails when an HPA has %s', (_name, spec, message) => {
    expect(() => assertTypedObjectsValid(typedObjects([object('HorizontalPodAutoscaler', 'apps/web', spec)]))).toThrow(message);
  });

  it('reads standalone claims and StatefulSet templates (one per replica) with their storage class', () => {
    const typed = typedObjects([
      object('StorageClass', 'fast', {}, { provisioner: 'ebs.csi.aws.com', parameters: { type: 'io2' } } as never),
      object('PersistentVolumeClaim', 'data/shared', { storageClassName: 'fast', resources: { requests: { storage: '100Gi' } } }),
      { object: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' }, spec: { replicas: 3, volumeClaimTemplates: [{ metadata: { name: 'pgdata' }, spec: { resources: { requests: { storage: '20Gi' } } } }] } }, source: { file: 't.json', id: 'StatefulSet data/db' } },
    ]);
    expect(typed.storageClasses).toMatchObject([{ name: 'fast', volumeType: 'io2', provisioner: 'ebs.csi.aws.com', isDefault: false }]);
    expect(typed.volumeClaims).toMatchObject([
      { owner: 'PersistentVolumeClaim data/shared', name: 'shared', storageClassName: 'fast', requestBytes: 100 * GiB, perReplica: false },
      { owner: 'StatefulSet data/db', namespace: 'data', name: 'pgdata', requestBytes: 20 * GiB, perReplica: true },
    ]);
  });
});

describe("Karpenter's settings from the chart values", () => {
  const chart = (values: Record<string, unknown>): HelmReleaseModel => ({ chart: 'karpenter', release: 'karpenter', namespace: 'karpenter', repository: 'oci://public.ecr.aws/karpenter/karpenter', version: '1.8.1', values, source: { file: 't.json', id: 'KarpenterChart' } });

  it('uses the controller defaults when the values say nothing (batch 1s idle / 10s max, gates off)', () => {
    expect(typedObjects([], [chart({})]).karpenterSettings).toMatchObject({ batchIdleSeconds: 1, batchMaxSeconds: 10, reservedENIs: 0, featureGates: { spotToSpotConsolidation: false } });
  });

  it('reads batch windows, feature gates and reserved ENIs the platform deploys', () => {
    const settings = typedObjects([], [chart({ settings: { batchIdleDuration: '2s', batchMaxDuration: '30s', reservedENIs: '1', featureGates: { spotToSpotConsolidation: true } } })]).karpenterSettings;
    expect(settings).toMatchObject({ batchIdleSeconds: 2, batchMaxSeconds: 30, reservedENIs: 1, featureGates: { spotToSpotConsolidation: true } });
  });

  it('is absent without a Karpenter chart, and fails on a gate that is no boolean', () => {
    expect(typedObjects([], []).karpenterSettings).toBeUndefined();
    expect(() => assertTypedObjectsValid(typedObjects([], [chart({ settings: { featureGates: { spotToSpotConsolidation: 'yes' } } })]))).toThrow('values.settings.featureGates.spotToSpotConsolidation: must be true or false');
  });
});

describe('withObjects (what-if variants)', () => {
  it('derives the typed entries again from the new objects', () => {
    const before = model({ objects: [pool({}, 'a')] });
    const after = withObjects(before, [pool({}, 'b'), pool({ weight: 10 }, 'c')]);
    expect(after.nodePools.map((p) => p.name)).toEqual(['b', 'c']);
    expect(before.nodePools.map((p) => p.name)).toEqual(['a']);
  });
});

// Misdiagnosis (issue: platforms we did not write): Karpenter's EC2NodeClass names the node role by name, while
// the access entry names it by ARN; that role can join.
describe('node-role-access-entry with the role by name and the entry by ARN', () => {
  const nodeClass = object('EC2NodeClass', 'default', { role: 'KarpenterNodeRole-demo', amiSelectorTerms: [{ alias: 'al2023@latest' }] });
  const base = { iamRoles: [{ id: 'KarpenterNodeRole1234', roleName: 'KarpenterNodeRole-demo', trustPolicy: {}, managedPolicyArns: [] }] };

  it.each([
    ['a literal ARN', 'arn:aws:iam::111122223333:role/KarpenterNodeRole-demo'],
    ['an ARN with a path', 'arn:aws:iam::111122223333:role/platform/KarpenterNodeRole-demo'],
    ['a token to the role', '${Token[GetAtt:KarpenterNodeRole1234.Arn]}'],
  ])('does not fire for %s', (_name, principal) => {
    const m = model({ ...base, objects: [nodeClass], accessEntries: [{ principal, type: 'EC2_LINUX', kubernetesGroups: [], accessPolicies: [] }] });
    expect(checkKarpenterWiring(m).map((f) => f.code)).not.toContain('node-role-access-entry');
  });

  it.each([
    ['another role', 'arn:aws:iam::111122223333:role/SomeOtherRole', 'EC2_LINUX'],
    ['the right role as a STANDARD entry', 'arn:aws:iam::111122223333:role/KarpenterNodeRole-demo', 'STANDARD'],
  ])('fires for %s', (_name, principal, type) => {
    const m = model({ ...base, objects: [nodeClass], accessEntries: [{ principal, type, kubernetesGroups: [], accessPolicies: [] }] });
    expect(checkKarpenterWiring(m).map((f) => f.code)).toContain('node-role-access-entry');
  });
});

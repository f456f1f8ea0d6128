import { workloadsOf } from '../../../simulation/engine/workloads';
import { model } from '../checks/fixture';

// EKS installs vpc-cni (aws-node), kube-proxy and CoreDNS as self-managed add-ons on every new cluster unless
// BootstrapSelfManagedAddons is false (EKS User Guide, "Amazon EKS add-ons"); Auto Mode runs none of them as pods.
const systemKeys = (m: ReturnType<typeof model>) => workloadsOf(m).filter((w) => w.system).map((w) => w.key).sort();
const cluster = model().cluster as NonNullable<ReturnType<typeof model>['cluster']>;

describe('what EKS installs without AWS::EKS::Addon resources', () => {
  it.each([
    ['a cluster that declares no add-ons (CloudFormation default)', {}, ['DaemonSet kube-system/aws-node', 'DaemonSet kube-system/kube-proxy', 'Deployment kube-system/coredns']],
    ['BootstrapSelfManagedAddons: true', { bootstrapSelfManagedAddons: true }, ['DaemonSet kube-system/aws-node', 'DaemonSet kube-system/kube-proxy', 'Deployment kube-system/coredns']],
    ['BootstrapSelfManagedAddons: false', { bootstrapSelfManagedAddons: false }, []],
    ['Auto Mode', { autoMode: true, bootstrapSelfManagedAddons: false }, []],
  ])('%s', (_name, overrides, expected) => {
    expect(systemKeys(model({ cluster: { ...cluster, ...overrides } }))).toEqual(expected);
  });

  it('does not duplicate an add-on the template declares (the managed one replaces the bootstrapped one)', () => {
    const m = model({ addons: [{ name: 'coredns', version: 'v1.12.4-eksbuild.1', configuration: {} }] });
    expect(systemKeys(m)).toEqual(['DaemonSet kube-system/aws-node', 'DaemonSet kube-system/kube-proxy', 'Deployment kube-system/coredns']);
  });

  it('gives the bootstrapped pods the add-ons requests (aws-node 25m, kube-proxy 100m, CoreDNS 2 × 100m/70Mi)', () => {
    const byKey = new Map(workloadsOf(model()).map((w) => [w.key, w]));
    expect(byKey.get('DaemonSet kube-system/aws-node')?.template.spec.containers[0].resources?.requests).toEqual({ cpu: '25m' });
    expect(byKey.get('DaemonSet kube-system/kube-proxy')?.template.spec.containers[0].resources?.requests).toEqual({ cpu: '100m' });
    const coredns = byKey.get('Deployment kube-system/coredns');
    expect(coredns?.replicas).toBe(2);
    expect(coredns?.template.spec.containers[0].resources?.requests).toEqual({ cpu: '100m', memory: '70Mi' });
  });

  it('adds nothing to a manifests-only model (no cluster resource)', () => {
    expect(systemKeys(model({ cluster: undefined }))).toEqual([]);
  });
});

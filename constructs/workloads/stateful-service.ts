import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { parseBytes } from '../../simulation/model/quantity';
import { constructError } from '../errors';
import { workloadNetworkPolicy } from './network-policy';
import { container, disruptionBudget, labelsOf, podSpec, selectorLabels, serviceAccount, validateWorkload, type WorkloadOptions } from './options';

export interface StatefulServiceProps extends WorkloadOptions {
  readonly port: number;
  /** Size of each replica's gp3 volume, e.g. '100Gi'. */
  readonly storage: string;
  /** Mount path of the volume. @default '/data' */
  readonly mountPath?: string;
  /** StorageClass name (created here: EBS CSI gp3, encrypted, WaitForFirstConsumer). @default 'gp3-encrypted' */
  readonly storageClassName?: string;
  /** Create the StorageClass in this chart. @default true */
  readonly createStorageClass?: boolean;
}

/**
 * A StatefulSet with one encrypted gp3 volume per replica (EBS CSI, WaitForFirstConsumer so the volume is
 * created in the zone the pod lands in), a headless Service, a PDB and a ServiceAccount.
 */
export class StatefulService extends Chart {
  public readonly warnings: string[];

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    const { replicas, warnings } = validateWorkload(this, props);
    this.warnings = warnings;
    let bytes = 0;
    try { bytes = parseBytes(props.storage); } catch { /* reported below */ }
    if (bytes < 2 ** 30) throw constructError(this, 'storage', `must be a quantity of at least 1Gi, like '100Gi', got '${props.storage}'`);
    const storageClassName = props.storageClassName ?? 'gp3-encrypted';
    const labels = labelsOf(props);
    if (props.createStorageClass ?? true) {
      new k8s.KubeStorageClass(this, 'StorageClass', {
        metadata: { name: storageClassName },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
        volumeBindingMode: 'WaitForFirstConsumer',
        reclaimPolicy: 'Retain',
        allowVolumeExpansion: true,
      });
    }
    serviceAccount(this, props);
    new k8s.KubeService(this, 'Headless', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: { clusterIp: 'None', selector: selectorLabels(props), ports: [{ name: 'tcp', port: props.port, targetPort: k8s.IntOrString.fromNumber(props.port) }] },
    });
    const tcp = { tcpSocket: { port: k8s.IntOrString.fromNumber(props.port) } };
    const main = container(props, {
      ports: [{ name: 'tcp', containerPort: props.port }],
      readinessProbe: { ...tcp, periodSeconds: 5 }, livenessProbe: { ...tcp, periodSeconds: 10 }, startupProbe: { ...tcp, periodSeconds: 5, failureThreshold: 60 },
    });
    new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        serviceName: props.name,
        replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selectorLabels(props) },
        template: {
          metadata: { labels },
          spec: podSpec(props, [{ ...main, volumeMounts: [...(main.volumeMounts ?? []), { name: 'data', mountPath: props.mountPath ?? '/data' }] }]),
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: k8s.Quantity.fromString(props.storage) } } },
        }],
      },
    });
    // Its port from its own namespace (peers and clients) and the namespaces named in `network`.
    workloadNetworkPolicy(this, props, { ports: [props.port] });
    disruptionBudget(this, props, replicas);
  }
}

import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { CHARTS } from '../cluster/versions';
import { deepMerge } from './load-balancer-controller';

export interface MetricsServerProps {
  readonly cluster: eks.Cluster;
  /** Helm values merged over the defaults. @default none */
  readonly values?: Record<string, unknown>;
}

/** metrics-server (pinned Helm chart): the resource metrics the HPA scales on. */
export class MetricsServer extends Construct {
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    this.chart = props.cluster.addHelmChart('MetricsServer', {
      ...CHARTS.metricsServer,
      release: 'metrics-server',
      namespace: 'kube-system',
      values: deepMerge({
        replicas: 2,
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
        resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '200Mi' } },
      }, props.values ?? {}),
    });
  }
}

import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { workloadNetworkPolicy } from './network-policy';
import { autoscaler, container, deployment, disruptionBudget, podSpec, serviceAccount, validateWorkload, type WorkloadOptions } from './options';

export interface WorkerProps extends WorkloadOptions {
  /** Liveness and readiness command. @default a TCP check on `healthPort` when given, else none but a startup grace */
  readonly healthCommand?: string[];
  /** Port of a health endpoint. @default none */
  readonly healthPort?: number;
}

/** A queue worker: Deployment without a Service, HPA, PDB, ServiceAccount (usually bound to an IAM role). */
export class Worker extends Chart {
  public readonly warnings: string[];

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    const { replicas, warnings } = validateWorkload(this, props);
    this.warnings = warnings;
    const probe: k8s.Probe | undefined = props.healthCommand
      ? { exec: { command: props.healthCommand }, periodSeconds: 10, failureThreshold: 3 }
      : props.healthPort ? { tcpSocket: { port: k8s.IntOrString.fromNumber(props.healthPort) }, periodSeconds: 10, failureThreshold: 3 } : undefined;
    serviceAccount(this, props);
    deployment(this, props, replicas,
      podSpec(props, [container(props, probe ? { readinessProbe: probe, livenessProbe: probe, startupProbe: { ...probe, failureThreshold: 30 } } : {})], { terminationGracePeriodSeconds: 120 }));
    // No ingress (probes come from the node, which the policy agent always admits); egress per identity and options.
    workloadNetworkPolicy(this, props, {});
    autoscaler(this, props, 'Deployment');
    disruptionBudget(this, props, replicas);
  }
}

import { Annotations, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import type { Construct } from 'constructs';
import { CoreAddons } from '../constructs/addons/core-addons';
import { LoadBalancerController } from '../constructs/addons/load-balancer-controller';
import { MetricsServer } from '../constructs/addons/metrics-server';
import { Karpenter } from '../constructs/capacity/karpenter';
import { ManagedNodeGroup } from '../constructs/capacity/managed-node-group';
import type { NodePoolRequirement } from '../constructs/capacity/node-pool';
import { EksCluster } from '../constructs/cluster/eks-cluster';
import { IrsaServiceAccount } from '../constructs/identity/irsa-service-account';
import { PodIdentityRole } from '../constructs/identity/pod-identity-role';
import { acceptNagFindings } from '../constructs/nag';
import { EksVpc } from '../constructs/network/eks-vpc';
import { AppNamespace } from '../constructs/workloads/app-namespace';
import { StatefulService } from '../constructs/workloads/stateful-service';
import { WebService } from '../constructs/workloads/web-service';
import { Worker } from '../constructs/workloads/worker';
import type { WorkloadIdentityRef } from '../constructs/workloads/options';
import { validatePlatformSpec, type NodePoolSpec, type PlatformSpec, type WorkloadSpec } from './platform-spec';

export interface EksPlatformStackProps extends StackProps {
  readonly spec: PlatformSpec;
}

const SYSTEM_LABELS = { role: 'system' };
/** EksVpc's default primary CIDR. */
const DEFAULT_VPC_CIDR = '10.0.0.0/16';

/** Builds a whole platform from one PlatformSpec: network, cluster, add-ons, capacity, identity, workloads. */
export class EksPlatformStack extends Stack {
  public readonly network: EksVpc;
  public readonly eksCluster: EksCluster;
  public readonly karpenter?: Karpenter;
  public readonly nodeGroups: ManagedNodeGroup[] = [];
  private explicitAzs: string[] = [];

  /** The spec's AZs: synth never looks them up (no AWS call, no context lookup). */
  public override get availabilityZones(): string[] {
    return this.explicitAzs;
  }

  constructor(scope: Construct, id: string, props: EksPlatformStackProps) {
    const spec = props.spec;
    validatePlatformSpec(spec);
    super(scope, id, { ...props, env: { account: spec.account ?? '111111111111', region: spec.region } });
    const azs = spec.availabilityZones ?? ['a', 'b', 'c'].map((s) => `${spec.region}${s}`);
    this.explicitAzs = azs;
    const prefixDelegation = spec.vpcCni?.prefixDelegation ?? false;

    this.network = new EksVpc(this, 'Network', {
      clusterName: spec.name, availabilityZones: azs, cidr: spec.network?.cidr, natGateways: spec.network?.natGateways,
      expectedPods: spec.network?.expectedPods, secondaryCidr: spec.network?.secondaryCidr, podIpMode: prefixDelegation ? 'prefix-delegation' : 'secondary-ip',
    });
    const c = spec.cluster ?? {};
    this.eksCluster = new EksCluster(this, 'Cluster', {
      vpc: this.network.vpc, clusterName: spec.name, version: c.version, compute: c.compute,
      endpointAccess: c.endpointAccess, publicAccessCidrs: c.publicAccessCidrs, openPublicEndpoint: c.openPublicEndpoint,
      authenticationMode: c.authenticationMode, roleMappings: c.roleMappings, bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions,
      logRetentionDays: c.logRetentionDays, adminRoleArn: c.adminRoleArn, teams: c.teams,
    });
    const cluster = this.eksCluster.cluster;
    const version = this.eksCluster.kubernetesVersion;

    const addons = new CoreAddons(this, 'Addons', {
      cluster, kubernetesVersion: version, ebsCsiDriver: spec.addons?.ebsCsiDriver, oidcProvider: this.eksCluster.oidcProvider,
      vpcCni: {
        prefixDelegation, warmPrefixTarget: spec.vpcCni?.warmPrefixTarget, warmIpTarget: spec.vpcCni?.warmIpTarget, minimumIpTarget: spec.vpcCni?.minimumIpTarget,
        podSubnets: this.network.podSubnets.map((s, i) => ({ availabilityZone: azs[i], subnetId: s.ref })),
      },
    });

    for (const group of spec.nodeGroups ?? []) {
      const ng = new ManagedNodeGroup(this, `NodeGroup-${group.name}`, {
        cluster, kubernetesVersion: version, instanceTypes: group.instanceTypes, amiType: group.amiType, capacityType: group.capacityType,
        minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize, diskSizeGiB: group.diskSizeGiB, prefixDelegation,
        labels: { ...(group.criticalAddonsOnly ? SYSTEM_LABELS : {}), ...(group.labels ?? {}) },
        taints: [...(group.criticalAddonsOnly ? [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' as const }] : []), ...(group.taints ?? [])],
      });
      // Node groups join once the CNI is configured, so their max pods matches the CNI mode from the start.
      ng.node.addDependency(addons.vpcCni);
      this.nodeGroups.push(ng);
    }
    const systemGroup = (spec.nodeGroups ?? []).find((g) => g.criticalAddonsOnly);

    if (spec.addons?.loadBalancerController ?? true) {
      const lbc = new LoadBalancerController(this, 'LoadBalancerController', { cluster, clusterName: spec.name, vpcId: this.network.vpc.vpcId, region: spec.region });
      lbc.node.addDependency(addons.podIdentityAgent);
    }
    if (spec.addons?.metricsServer ?? true) new MetricsServer(this, 'MetricsServer', { cluster });

    if (spec.karpenter) {
      this.karpenter = new Karpenter(this, 'Karpenter', {
        cluster, clusterName: spec.name, identity: spec.karpenter.identity, oidcProvider: this.eksCluster.oidcProvider,
        controllerNodeSelector: systemGroup ? SYSTEM_LABELS : undefined,
      });
      this.karpenter.node.addDependency(addons.podIdentityAgent);
      for (const pool of spec.karpenter.nodePools) {
        const nodeClass = this.karpenter.addEc2NodeClass(`NodeClass-${pool.name}`, {
          name: pool.name, discoveryTag: spec.name,
          kubelet: pool.maxPods !== undefined ? { maxPods: pool.maxPods } : prefixDelegation ? { maxPods: 110 } : undefined,
        });
        this.karpenter.addNodePool(`NodePool-${pool.name}`, { ...nodePoolOptions(pool), nodeClassName: nodeClass.name });
      }
    }

    this.addWorkloads(spec, cluster, [spec.network?.cidr ?? DEFAULT_VPC_CIDR]);
  }

  /** Workloads in app namespaces (restricted Pod Security, default-deny NetworkPolicy); load balancers forward from the VPC CIDRs. */
  private addWorkloads(spec: PlatformSpec, cluster: eks.Cluster, vpcCidrs: string[]): void {
    const app = new cdk8s.App();
    const namespaces = new Map<string, eks.KubernetesManifest>();
    for (const namespace of [...new Set((spec.workloads ?? []).map((w) => w.namespace))].sort()) {
      namespaces.set(namespace, cluster.addCdk8sChart(`Namespace-${namespace}`, new AppNamespace(app, `namespace-${namespace}`, { name: namespace })));
    }
    for (const workload of spec.workloads ?? []) {
      const id = `${workload.namespace}-${workload.name}`;
      const identity = this.identityFor(workload, cluster);
      const common = {
        namespace: workload.namespace, name: workload.name, image: workload.image, cpu: workload.cpu, memory: workload.memory,
        replicas: workload.replicas, placement: workload.placement, autoscaling: workload.autoscaling, spread: workload.spread, env: { ...(workload.env ?? {}), ...identity.env }, identity: identity.ref,
        network: workload.network,
      };
      let chart: cdk8s.Chart & { warnings: string[] };
      switch (workload.kind) {
        case 'web': chart = new WebService(app, id, { ...common, port: workload.port, healthPath: workload.healthPath, exposure: workload.exposure, loadBalancerSourceCidrs: vpcCidrs }); break;
        case 'worker': chart = new Worker(app, id, { ...common, healthCommand: workload.healthCommand }); break;
        case 'stateful': chart = new StatefulService(app, id, { ...common, port: workload.port, storage: workload.storage }); break;
      }
      chart.warnings.forEach((warning, index) => Annotations.of(this).addWarningV2(`eksplan:workload:${id}:${index}`, warning));
      const manifest = cluster.addCdk8sChart(`Workload-${id}`, chart);
      const namespace = namespaces.get(workload.namespace);
      if (namespace) manifest.node.addDependency(namespace);
      if (identity.dependency) manifest.node.addDependency(identity.dependency);
    }
  }

  private accessLogs?: s3.Bucket;

  /** One server access log bucket for the platform's data buckets, created with the first of them. */
  private accessLogBucket(): s3.Bucket {
    if (!this.accessLogs) {
      this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true,
        lifecycleRules: [{ expiration: Duration.days(365) }], removalPolicy: RemovalPolicy.RETAIN,
      });
      acceptNagFindings(this.accessLogs, [{
        id: 'AwsSolutions-S1',
        reason: 'This is the server access log destination; S3 does not log a log bucket into itself, and a second log bucket would only move the finding.',
      }]);
    }
    return this.accessLogs;
  }

  private identityFor(workload: WorkloadSpec, cluster: eks.Cluster): { ref?: WorkloadIdentityRef; env: Record<string, string>; dependency?: Construct } {
    if (!workload.iam) return { env: {} };
    const id = `Identity-${workload.namespace}-${workload.name}`;
    const serviceAccountName = workload.name;
    const identity = workload.iam.mode === 'irsa'
      ? new IrsaServiceAccount(this, id, { oidcProvider: this.eksCluster.oidcProvider, namespace: workload.namespace, serviceAccountName })
      : new PodIdentityRole(this, id, { cluster, namespace: workload.namespace, serviceAccountName });
    const env: Record<string, string> = {};
    if (workload.iam.s3ReadBucket) {
      const bucket = new s3.Bucket(this, `${id}-Bucket`, {
        encryption: s3.BucketEncryption.S3_MANAGED, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true, versioned: true, removalPolicy: RemovalPolicy.RETAIN,
        serverAccessLogsBucket: this.accessLogBucket(), serverAccessLogsPrefix: `${id}/`,
      });
      // Read only what a reader needs (grantRead would add s3:GetObject*, s3:GetBucket* and s3:List*).
      identity.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      identity.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
      acceptNagFindings(identity.role, [{
        id: 'AwsSolutions-IAM5',
        reason: 'Reads any object of the workload\'s own bucket (<bucket ARN>/*): object keys are the workload\'s data and not known at deploy time; no other bucket is reachable.',
        appliesTo: [{ regex: '/^Resource::<\\w*Bucket\\w*\\.Arn>\\/\\*$/' }],
      }]);
      env.BUCKET_NAME = bucket.bucketName;
    }
    if (workload.iam.sqsConsumeQueue) {
      const dlq = new sqs.Queue(this, `${id}-Dlq`, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
      const queue = new sqs.Queue(this, `${id}-Queue`, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
      queue.grantConsumeMessages(identity.role);
      env.QUEUE_URL = queue.queueUrl;
    }
    return { ref: { annotations: identity.annotations, serviceAccountName, kind: workload.iam.mode }, env, dependency: identity instanceof PodIdentityRole ? identity.association : undefined };
  }
}

/** NodePool options from the spec's shorthand (capacity types, categories, families, architectures, generation). */
export function nodePoolOptions(pool: NodePoolSpec): Omit<import('../constructs/capacity/node-pool').NodePoolOptions, 'nodeClassName'> {
  const requirements: NodePoolRequirement[] = [];
  requirements.push({ key: 'karpenter.sh/capacity-type', operator: 'In', values: pool.capacityTypes ?? ['on-demand'] });
  if (pool.categories) requirements.push({ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: pool.categories });
  if (pool.families) requirements.push({ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: pool.families });
  requirements.push({ key: 'kubernetes.io/arch', operator: 'In', values: pool.architectures ?? ['amd64'] });
  if (pool.minGeneration !== undefined) requirements.push({ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: [String(pool.minGeneration - 1)] });
  requirements.push(...(pool.requirements ?? []));
  return {
    name: pool.name, requirements, limits: pool.limits, consolidationPolicy: pool.consolidationPolicy, consolidateAfter: pool.consolidateAfter,
    expireAfter: pool.expireAfter, budgets: pool.budgets, taints: pool.taints, weight: pool.weight,
  };
}

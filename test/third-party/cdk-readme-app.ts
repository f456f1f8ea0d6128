import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksV1 from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';

// An app a new user writes from the aws-cdk-lib EKS READMEs (aws-eks-v2/README.md and aws-eks/README.md, see
// test/fixtures/third-party/cdk-readme/PROVENANCE.md): the README's snippets, in two stacks of one app, with
// only what a synth needs offline added (an explicit VPC with literal zones, a kubectl layer).

const ENV = { account: '111111111111', region: 'us-east-1' };
const ZONES = ['us-east-1a', 'us-east-1b'];

/** The README "hello-kubernetes" objects: a Deployment of 3 replicas and a Service of type LoadBalancer. */
function helloKubernetes(): Record<string, unknown>[] {
  const appLabel = { app: 'hello-kubernetes' };
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello-kubernetes' },
    spec: {
      replicas: 3, selector: { matchLabels: appLabel },
      template: { metadata: { labels: appLabel }, spec: { containers: [{ name: 'hello-kubernetes', image: 'paulbouwer/hello-kubernetes:1.5', ports: [{ containerPort: 8080 }] }] } },
    },
  };
  const service = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello-kubernetes' },
    spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080 }], selector: appLabel },
  };
  return [service, deployment];
}

export interface ReadmeAppOptions {
  /** The `@aws-cdk/aws-eks:defaultToAL2023` feature flag (`cdk init` writes it for new projects). @default false */
  readonly defaultToAl2023?: boolean;
}

/** Synthesizes the README app into `outdir`: stacks `ReadmeV2` (aws-eks-v2) and `ReadmeV1` (aws-eks). */
export function synthReadmeApp(outdir: string, options: ReadmeAppOptions = {}): void {
  const app = new App({ outdir, context: options.defaultToAl2023 ? { '@aws-cdk/aws-eks:defaultToAL2023': true } : {} });

  // aws-eks-v2 README: "Managed node groups" (defaultCapacityType NODEGROUP, addNodegroupCapacity with
  // instanceTypes m5.large and minSize 4), "Applying Kubernetes Resources" (addManifest of hello-kubernetes)
  // and "Helm Charts" (addHelmChart of the NGINX Inc. nginx-ingress chart).
  const v2 = new Stack(app, 'ReadmeV2', { env: ENV });
  const v2Cluster = new eks.Cluster(v2, 'hello-eks', {
    version: eks.KubernetesVersion.V1_34,
    vpc: new ec2.Vpc(v2, 'Vpc', { availabilityZones: ZONES, natGateways: 1 }),
    defaultCapacity: 0,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    kubectlProviderOptions: { kubectlLayer: new KubectlV34Layer(v2, 'kubectl') },
  });
  v2Cluster.addNodegroupCapacity('custom-node-group', { instanceTypes: [new ec2.InstanceType('m5.large')], minSize: 4, diskSize: 100 });
  v2Cluster.addManifest('hello-kub', ...helloKubernetes());
  v2Cluster.addHelmChart('NginxIngress', { chart: 'nginx-ingress', repository: 'https://helm.nginx.com/stable', namespace: 'kube-system' });

  // aws-eks README: the quick start cluster with its default capacity (2 × m5.large in a managed node group)
  // and the "mypod" manifest.
  const v1 = new Stack(app, 'ReadmeV1', { env: ENV });
  const v1Cluster = new eksV1.Cluster(v1, 'hello-eks', {
    version: eksV1.KubernetesVersion.V1_33,
    vpc: new ec2.Vpc(v1, 'Vpc', { availabilityZones: ZONES, natGateways: 1 }),
    kubectlLayer: new KubectlV34Layer(v1, 'kubectl'),
  });
  v1Cluster.addManifest('mypod', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mypod' },
    spec: { containers: [{ name: 'hello', image: 'paulbouwer/hello-kubernetes:1.5', ports: [{ containerPort: 8080 }] }] },
  });
  app.synth();
}

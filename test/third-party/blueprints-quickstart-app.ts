import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';

// The EKS Blueprints quickstart (aws-quickstart/cdk-eks-blueprints README: EksBlueprint.builder() with the
// ArgoCD, MetricsServer, ClusterAutoScaler, AwsLoadBalancerController, VpcCni, CoreDns and KubeProxy add-ons
// on the default MngClusterProvider), rebuilt resource for resource with aws-cdk-lib, because the
// @aws-quickstart/eks-blueprints package pins aws-cdk-lib 2.261.0 as a peer and this project is on 2.276.
// What each piece stands for is in test/fixtures/third-party/eks-blueprints/PROVENANCE.md.

export const BLUEPRINT = { stack: 'eks-blueprint', region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b'] } as const;

export function synthBlueprintsQuickstart(outdir: string): void {
  // A `cdk init` project: the AL2023 default flag is among its recommended flags.
  const app = new App({ outdir, context: { '@aws-cdk/aws-eks:defaultToAL2023': true } });
  const stack = new Stack(app, BLUEPRINT.stack, { env: { account: '111111111111', region: BLUEPRINT.region } });
  // Blueprints' VpcProvider: a new VPC (maxAzs 3 in Blueprints; two literal zones here for an offline synth).
  const vpc = new ec2.Vpc(stack, `${BLUEPRINT.stack}-vpc`, { availabilityZones: [...BLUEPRINT.zones], natGateways: 1 });
  // MngClusterProvider: aws-eks Cluster with defaultCapacity 0 and one managed node group
  // `<id>-ng` of m5.large, minSize 1, maxSize 3, desiredSize = minSize (lib/cluster-providers/constants.ts).
  const cluster = new eks.Cluster(stack, BLUEPRINT.stack, {
    vpc, clusterName: BLUEPRINT.stack, version: eks.KubernetesVersion.V1_34, defaultCapacity: 0,
    endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE, kubectlLayer: new KubectlV34Layer(stack, 'kubectl'),
  });
  const ng = cluster.addNodegroupCapacity(`${BLUEPRINT.stack}-ng`, { instanceTypes: [new ec2.InstanceType('m5.large')], minSize: 1, maxSize: 3, desiredSize: 1 });
  // VpcCniAddOn, CoreDnsAddOn, KubeProxyAddOn: EKS managed add-ons (CfnAddon).
  for (const name of ['vpc-cni', 'coredns', 'kube-proxy']) new eks.CfnAddon(stack, `${name}-addon`, { addonName: name, clusterName: cluster.clusterName, resolveConflicts: 'OVERWRITE' });
  // ArgoCDAddOn: chart argo-cd from argo-helm into namespace argocd, server service account not created.
  cluster.addHelmChart('argocd-addon', {
    chart: 'argo-cd', release: 'blueprints-addon-argocd', repository: 'https://argoproj.github.io/argo-helm', namespace: 'argocd', createNamespace: true,
    values: { server: { serviceAccount: { create: false } } },
  });
  // MetricsServerAddOn: chart metrics-server into kube-system at its defaults.
  cluster.addHelmChart('metrics-server-addon', { chart: 'metrics-server', release: 'blueprints-addon-metrics-server', repository: 'https://kubernetes-sigs.github.io/metrics-server', namespace: 'kube-system' });
  // ClusterAutoScalerAddOn: chart cluster-autoscaler with auto-discovery of the tagged node group.
  cluster.addHelmChart('cluster-autoscaler-addon', {
    chart: 'cluster-autoscaler', release: 'blueprints-addon-cluster-autoscaler', repository: 'https://kubernetes.github.io/autoscaler', namespace: 'kube-system',
    values: { cloudProvider: 'aws', autoDiscovery: { clusterName: BLUEPRINT.stack }, awsRegion: BLUEPRINT.region, rbac: { serviceAccount: { create: false, name: 'blueprints-addon-cluster-autoscaler' } } },
  });
  // Blueprints tags the node group for the autoscaler's auto-discovery.
  Tags.of(ng).add('k8s.io/cluster-autoscaler/enabled', 'true');
  Tags.of(ng).add(`k8s.io/cluster-autoscaler/${BLUEPRINT.stack}`, 'owned');
  // AwsLoadBalancerControllerAddOn: chart aws-load-balancer-controller from eks-charts, IngressClass alb.
  cluster.addHelmChart('aws-load-balancer-controller-addon', {
    chart: 'aws-load-balancer-controller', release: 'aws-load-balancer-controller', repository: 'https://aws.github.io/eks-charts', namespace: 'kube-system',
    values: {
      clusterName: BLUEPRINT.stack, serviceAccount: { create: false, name: 'aws-load-balancer-controller' }, enableShield: false, enableWaf: false, enableWafv2: false,
      createIngressClassResource: true, ingressClass: 'alb', region: BLUEPRINT.region, vpcId: vpc.vpcId,
    },
  });
  app.synth();
}

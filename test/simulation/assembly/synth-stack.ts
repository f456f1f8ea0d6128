import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';

/** Names the test asserts on; they are what the stack below synthesizes. */
export const SYNTH = {
  stackName: 'EksStack',
  account: '111111111111',
  region: 'us-east-1',
  zones: ['us-east-1a', 'us-east-1b'],
  maxPods: 58,
} as const;

/**
 * A small but realistic aws-eks-v2 platform: VPC with a secondary CIDR and pod subnets, a managed node group
 * with labels, taints and a nodeadm launch template, the vpc-cni add-on in prefix mode, a Helm chart and
 * manifests whose fields hold tokens. Synthesized to `outdir`.
 */
export function synthPlatform(outdir: string): void {
  const app = new App({ outdir });
  const stack = new Stack(app, SYNTH.stackName, { env: { account: SYNTH.account, region: SYNTH.region } });

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    availabilityZones: [...SYNTH.zones],
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  const secondary = new ec2.CfnVPCCidrBlock(stack, 'PodCidr', { vpcId: vpc.vpcId, cidrBlock: '100.64.0.0/16' });
  SYNTH.zones.forEach((zone, i) => {
    const podSubnet = new ec2.CfnSubnet(stack, `PodSubnet${i}`, {
      vpcId: vpc.vpcId, availabilityZone: zone, cidrBlock: `100.64.${i * 64}.0/18`,
      tags: [{ key: 'eksplan.io/pod-subnet', value: 'true' }],
    });
    podSubnet.node.addDependency(secondary);
  });

  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34,
    vpc,
    clusterName: 'demo',
    defaultCapacity: 0,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'Kubectl') },
    clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT],
    endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE,
  });

  // AL2023 nodeadm NodeConfig in a MIME multipart part (EKS docs, "Customize managed nodes with launch templates").
  const userData = ec2.UserData.custom([
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="BOUNDARY"',
    '',
    '--BOUNDARY',
    'Content-Type: application/node.eks.aws',
    '',
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  kubelet:',
    '    config:',
    `      maxPods: ${SYNTH.maxPods}`,
    '',
    '--BOUNDARY--',
  ].join('\n'));
  const launchTemplate = new ec2.LaunchTemplate(stack, 'NodeTemplate', {
    userData,
    requireImdsv2: true,
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(50, { volumeType: ec2.EbsDeviceVolumeType.GP3 }) }],
  });
  cluster.addNodegroupCapacity('System', {
    nodegroupName: 'system',
    instanceTypes: [new ec2.InstanceType('m6i.large'), new ec2.InstanceType('m6a.large')],
    capacityType: eks.CapacityType.SPOT,
    minSize: 2, desiredSize: 3, maxSize: 6,
    labels: { role: 'system' },
    taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
    launchTemplateSpec: { id: launchTemplate.launchTemplateId!, version: launchTemplate.latestVersionNumber },
    amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
  });

  new eks.CfnAddon(stack, 'VpcCni', {
    clusterName: cluster.clusterName,
    addonName: 'vpc-cni',
    addonVersion: 'v1.20.4-eksbuild.1',
    configurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1', AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true' } }),
  });

  cluster.addHelmChart('MetricsServer', {
    chart: 'metrics-server',
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    release: 'metrics-server',
    namespace: 'kube-system',
    version: '3.13.0',
    values: { replicas: 2, args: ['--kubelet-insecure-tls'] },
  });

  cluster.addManifest('Web',
    {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27',
              resources: { requests: { cpu: '250m', memory: '256Mi' } },
              // Tokens inside a manifest: resolved to values or placeholders by the reader.
              env: [
                { name: 'CLUSTER', value: cluster.clusterName },
                { name: 'REGION', value: Stack.of(stack).region },
                { name: 'VPC', value: vpc.vpcId },
                { name: 'FIRST_AZ', value: Fn.select(0, Fn.getAzs()) },
              ],
            }],
          },
        },
      },
    },
    {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 3, maxReplicas: 12,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/group.name': 'shared' } },
      spec: { ingressClassName: 'alb', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
  );
  cluster.addManifest('Karpenter', {
    apiVersion: 'karpenter.sh/v1', kind: 'NodePool',
    metadata: { name: 'default' },
    spec: {
      template: {
        metadata: { labels: { 'eksplan.io/cluster': cluster.clusterName } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: vpc.privateSubnets.map((s) => s.availabilityZone) }],
        },
      },
      limits: { cpu: '100' },
    },
  });
  app.synth();
}

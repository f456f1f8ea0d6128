import type { PlatformSpec } from './platform-spec';

/**
 * The reference platform: a system node group for add-ons and Karpenter, a general-purpose spot + on-demand
 * Karpenter NodePool, and three workloads (a public web API behind an HTTPS ALB, a queue worker with IRSA, and a
 * stateful service with EBS volumes), on a private API endpoint, each app namespace denying traffic by default.
 */
export const referencePlatform: PlatformSpec = {
  name: 'reference',
  region: 'us-east-1',
  account: '111111111111',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  network: { cidr: '10.0.0.0/16', natGateways: 3, expectedPods: 3000 },
  // The API stays inside the VPC (kubectl through a VPN, a bastion or CI runners in the VPC); the deployment role
  // gets no standing cluster admin, and access entries only (no aws-auth).
  cluster: { endpointAccess: 'private', authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
  vpcCni: { prefixDelegation: false },
  // A fixed system group, one node per zone: no Cluster Autoscaler is deployed (Karpenter scales the workers),
  // so a max above desired would only be capacity nothing ever adds.
  nodeGroups: [
    { name: 'system', instanceTypes: ['m7i.large'], capacityType: 'ON_DEMAND', minSize: 3, desiredSize: 3, maxSize: 3, criticalAddonsOnly: true },
  ],
  karpenter: {
    identity: 'pod-identity',
    nodePools: [{
      name: 'general',
      capacityTypes: ['spot', 'on-demand'],
      categories: ['c', 'm', 'r'],
      architectures: ['amd64', 'arm64'],
      minGeneration: 6,
      limits: { cpu: '200', memory: '800Gi' },
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '1m',
      expireAfter: '720h',
      budgets: [{ nodes: '10%' }],
    }],
  },
  workloads: [
    {
      kind: 'web', name: 'api', namespace: 'web', image: 'public.ecr.aws/nginx/nginx@sha256:6c3ff9d4b2f1b0d5e7e8a1c2b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6',
      cpu: '500m', memory: '512Mi', replicas: 3, port: 8080, healthPath: '/healthz',
      autoscaling: { minReplicas: 3, maxReplicas: 30, cpuUtilization: 60 },
      // HTTPS with a redirect from HTTP; replace the certificate with your ACM certificate's ARN.
      exposure: {
        type: 'alb', scheme: 'internet-facing', groupName: 'reference-public', healthCheckPath: '/healthz',
        certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-4000-8000-000000000000',
      },
      placement: { nodePool: 'general' },
    },
    {
      kind: 'worker', name: 'worker', namespace: 'jobs', image: 'public.ecr.aws/docker/library/busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7',
      cpu: '250m', memory: '256Mi', replicas: 2, healthCommand: ['/bin/sh', '-c', 'test -f /tmp/healthy'],
      autoscaling: { minReplicas: 2, maxReplicas: 20, cpuUtilization: 70 },
      iam: { mode: 'irsa', s3ReadBucket: true, sqsConsumeQueue: true },
      placement: { nodePool: 'general' },
    },
    {
      kind: 'stateful', name: 'cache', namespace: 'data', image: 'public.ecr.aws/docker/library/redis@sha256:3e2f4a7c1b8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081',
      cpu: '500m', memory: '1Gi', replicas: 3, port: 6379, storage: '20Gi', spread: 'DoNotSchedule',
      placement: { nodePool: 'general' },
    },
  ],
};

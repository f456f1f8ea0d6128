// A platform team's CDK app: the eksplan constructs from npm, one typed spec, one stack.
import { App } from 'aws-cdk-lib';
import { EksPlatformStack, type PlatformSpec } from 'eksplan';

export const spec: PlatformSpec = {
  name: 'shop', region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  network: { cidr: '10.20.0.0/18', expectedPods: 1500 },
  nodeGroups: [{ name: 'system', instanceTypes: ['m7g.large'], minSize: 2, desiredSize: 2, maxSize: 3, criticalAddonsOnly: true }],
  karpenter: { nodePools: [{ name: 'general', capacityTypes: ['spot', 'on-demand'], categories: ['c', 'm'], architectures: ['arm64', 'amd64'], limits: { cpu: '64' } }] },
  workloads: [{ kind: 'web', name: 'api', namespace: 'shop', image: 'public.ecr.aws/nginx/nginx:1.27', cpu: '250m', memory: '256Mi', autoscaling: { minReplicas: 2, maxReplicas: 12 }, placement: { nodePool: 'general' } }],
};

/** The platform's stack: `cdk synth` runs this file, and platform.test.ts builds the same stack in its own App. */
export function shopPlatform(app: App = new App()): EksPlatformStack {
  return new EksPlatformStack(app, 'ShopPlatform', { spec });
}

if (require.main === module) shopPlatform();

import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAssembly } from '../../../simulation/assembly';
import type { ClusterModel } from '../../../simulation/model';

// The aws-eks (v1) form: the cluster is a Custom::AWSCDK-EKS-Cluster whose Config is the EKS CreateCluster
// request, Fargate profiles are custom resources too, and the kubectl provider lives in nested stacks.
// Synthesized twice: with asset metadata (nested templates found by aws:asset:path) and without it (found
// through the asset hash in TemplateURL and the assembly's *.assets.json).

function synth(outdir: string, assetMetadata: boolean): void {
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': assetMetadata } });
  const stack = new Stack(app, 'V1Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 1 });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33, vpc, clusterName: 'legacy', defaultCapacity: 0,
    kubectlLayer: new KubectlV36Layer(stack, 'Kubectl'),
    clusterLogging: [eks.ClusterLoggingTypes.SCHEDULER],
    endpointAccess: eks.EndpointAccess.PRIVATE,
  });
  cluster.addFargateProfile('System', { selectors: [{ namespace: 'kube-system', labels: { app: 'dns' } }], fargateProfileName: 'system' });
  cluster.addNodegroupCapacity('Workers', { nodegroupName: 'workers', instanceTypes: [new ec2.InstanceType('c6g.xlarge')], minSize: 1, maxSize: 4, amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD });
  cluster.addManifest('Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  app.synth();
}

const dirs: string[] = [];
const models: Record<string, ClusterModel> = {};

beforeAll(() => {
  for (const assetMetadata of [true, false]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-v1-'));
    dirs.push(dir);
    synth(dir, assetMetadata);
    models[String(assetMetadata)] = loadAssembly(dir);
  }
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(['true', 'false'])('loadAssembly on an aws-eks v1 stack (asset metadata %s)', (assetMetadata) => {
  it('reads the cluster from the Custom::AWSCDK-EKS-Cluster Config', () => {
    expect(models[assetMetadata].cluster).toMatchObject({
      name: 'legacy', version: '1.33', endpointPublicAccess: false, endpointPrivateAccess: true, logging: ['scheduler'],
    });
  });

  it('reads the Fargate profile from its custom resource', () => {
    expect(models[assetMetadata].fargateProfiles).toEqual([expect.objectContaining({
      name: 'system', selectors: [{ namespace: 'kube-system', labels: { app: 'dns' } }],
    })]);
  });

  it('reads the managed node group and its defaults', () => {
    // minSize 1 and no desiredSize: aws-eks sets DesiredSize to minSize; no launch template: DiskSize 20 GiB.
    expect(models[assetMetadata].nodeGroups).toEqual([expect.objectContaining({
      name: 'workers', instanceTypes: ['c6g.xlarge'], capacityType: 'ON_DEMAND', minSize: 1, maxSize: 4, desiredSize: 1,
      amiType: 'AL2023_ARM_64_STANDARD', diskSizeGiB: 20,
    })]);
  });

  it('reads resources of the nested kubectl provider stacks, with the nested template as their file', () => {
    const nested = Object.values(models[assetMetadata].resources).filter((r) => r.file.endsWith('.nested.template.json'));
    expect(nested.length).toBeGreaterThan(0);
    expect(nested.some((r) => r.type === 'AWS::Lambda::Function')).toBe(true);
  });

  it('reads the manifest and the aws-auth ConfigMap aws-eks writes for the node role', () => {
    expect(models[assetMetadata].objects.map((o) => `${o.object.kind} ${o.object.metadata.name}`).sort()).toEqual(['ConfigMap aws-auth', 'Namespace apps']);
  });
});

import { KubectlV32Layer } from '@aws-cdk/lambda-layer-kubectl-v32';
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { PINNED_ADDON_VERSIONS } from '../../simulation/catalog/addon-versions';

// Every pinned version in one place: Kubernetes versions with their kubectl layer (one npm package per
// version), and the Helm charts. Managed add-on versions per Kubernetes version are in
// simulation/catalog/eks-addon-versions.json (written by `eksplan addons pin`), shared with the simulation.

export interface KubernetesVersionPin {
  readonly version: eks.KubernetesVersion;
  readonly kubectlLayer: (scope: Construct, id: string) => lambda.ILayerVersion;
}

/**
 * Every Kubernetes version EKS supports (standard or extended support, simulation/catalog/eks-versions.ts), each
 * with its kubectl layer package (@aws-cdk/lambda-layer-kubectl-vNN, pinned exactly in package.json).
 */
export const KUBERNETES_VERSIONS: Record<string, KubernetesVersionPin> = {
  '1.32': { version: eks.KubernetesVersion.V1_32, kubectlLayer: (scope, id) => new KubectlV32Layer(scope, id) },
  '1.33': { version: eks.KubernetesVersion.V1_33, kubectlLayer: (scope, id) => new KubectlV33Layer(scope, id) },
  '1.34': { version: eks.KubernetesVersion.V1_34, kubectlLayer: (scope, id) => new KubectlV34Layer(scope, id) },
  '1.35': { version: eks.KubernetesVersion.V1_35, kubectlLayer: (scope, id) => new KubectlV35Layer(scope, id) },
  '1.36': { version: eks.KubernetesVersion.V1_36, kubectlLayer: (scope, id) => new KubectlV36Layer(scope, id) },
};

export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));

/** The newest Kubernetes version with a kubectl layer: the default. */
export const DEFAULT_KUBERNETES_VERSION = SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1];

export const CHARTS = {
  karpenter: { repository: 'oci://public.ecr.aws/karpenter/karpenter', chart: 'karpenter', version: '1.14.1' },
  awsLoadBalancerController: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '1.14.1' },
  metricsServer: { repository: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.13.0' },
} as const;

export { PINNED_ADDON_VERSIONS };

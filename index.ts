// The package's main entry (`import { ... } from 'eksplan'`): the constructs and the platform built from one
// PlatformSpec. The simulation's public API is `eksplan/simulation` (simulation/index.ts).
export * from './constructs/network/eks-vpc';
export * from './constructs/cluster/eks-cluster';
export { KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS, DEFAULT_KUBERNETES_VERSION, CHARTS, PINNED_ADDON_VERSIONS } from './constructs/cluster/versions';
export type { KubernetesVersionPin } from './constructs/cluster/versions';
export * from './constructs/capacity';
export * from './constructs/identity';
export * from './constructs/addons';
export * from './constructs/workloads';
export { ConstructValidationError } from './constructs/errors';
export { acceptNagFindings } from './constructs/nag';
export type { NagAcceptance } from './constructs/nag';

export * from './lib/platform-spec';
export { EksPlatformStack } from './lib/eks-platform-stack';
export type { EksPlatformStackProps } from './lib/eks-platform-stack';
export { referencePlatform } from './lib/reference';
export { EksplanValidationPlugin } from './lib/validation-plugin';
export type { EksplanValidationPluginProps } from './lib/validation-plugin';

import * as fs from 'fs';
import * as path from 'path';
import type { ClusterModel } from '../model/cluster';
import { EksplanError } from '../model/errors';
import { listStacks, readStack } from './cloud-assembly';
import { extractModel, isClusterType } from './extract';
import type { KubernetesObject } from '../model/kubernetes';
import * as manifests from './manifests';
import { readClusterShape, withClusterShape } from './cluster-shape';
import { withRenderedManifests } from './rendered-manifests';

export { parseClusterShape, readClusterShape, withClusterShape, type ClusterShape } from './cluster-shape';
export { withRenderedManifests } from './rendered-manifests';

export { manifestFiles } from './manifests';
export { resolveIntrinsics, refPlaceholder, getAttPlaceholder } from './intrinsics';
export { maxPodsFromUserData } from './user-data';

export interface LoadOptions {
  /** The stack to read when the assembly has several. @default the one stack with an EKS cluster */
  readonly stack?: string;
  /** Cluster shape file (YAML/JSON) that gives plain manifests their capacity (README "Cluster shape"). @default none */
  readonly clusterShape?: string;
  /** Directories of rendered manifests (`helm template` output) added to the model, with the releases they render. @default none */
  readonly manifests?: readonly string[];
}

/**
 * Bad input must end in an EksplanError: a stack overflow (absurd nesting that slipped past the depth guards)
 * or an allocation failure on a huge value is reported against the input rather than escaping as a crash.
 */
function guarded<T>(input: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) throw new EksplanError(`could not be read: ${error.message} (nested too deep or too large)`, { input, cause: error });
    throw error;
  }
}

/** Reads a synthesized cloud assembly (`cdk.out`) into a ClusterModel. */
export function loadAssembly(dir: string, options: LoadOptions = {}): ClusterModel {
  return guarded(dir, () => readAssembly(dir, options));
}

/** Every Kubernetes object in YAML/JSON manifest files or directories (cdk8s dist/, kubectl output). */
export function loadManifests(paths: string[]): KubernetesObject[] {
  return guarded(paths.join(', '), () => manifests.loadManifests(paths));
}

/** A ClusterModel with only Kubernetes objects and no infrastructure: for manifests not synthesized by CDK. */
export function modelFromManifests(paths: string[]): ClusterModel {
  return guarded(paths.join(', '), () => manifests.modelFromManifests(paths));
}

function readAssembly(dir: string, options: LoadOptions): ClusterModel {
  const stacks = listStacks(dir);
  if (stacks.length === 0) throw new EksplanError('has no CloudFormation stacks', { input: path.join(dir, 'manifest.json') });
  let chosen = stacks;
  if (options.stack) {
    chosen = stacks.filter((s) => s.name === options.stack || s.name.endsWith(`/${options.stack}`));
    if (chosen.length === 0) throw new EksplanError(`has no stack '${options.stack}'; stacks: ${stacks.map((s) => s.name).join(', ')}`, { input: dir, field: '--stack' });
  }
  const read = chosen.map((s) => readStack(dir, s));
  const withCluster = read.filter((s) => s.resources.some((r) => isClusterType(r.type)));
  if (withCluster.length > 1) {
    throw new EksplanError(`has several stacks with an EKS cluster (${withCluster.map((s) => s.stackName).join(', ')}); choose one with --stack`, { input: dir, field: '--stack' });
  }
  if (withCluster.length === 0) {
    throw new EksplanError(`no EKS cluster (AWS::EKS::Cluster or Custom::AWSCDK-EKS-Cluster) in ${options.stack ? `stack ${options.stack}` : `any stack (${read.map((s) => s.stackName).join(', ')})`}`, { input: dir });
  }
  return extractModel(withCluster[0], dir);
}

/** A cloud assembly directory (has manifest.json), or manifest files/directories; then the cluster shape and rendered manifests. */
export function loadInput(input: string, options: LoadOptions = {}): ClusterModel {
  let model = guarded(input, () => readInput(input, options));
  if (options.manifests && options.manifests.length > 0) {
    const dirs = options.manifests;
    model = guarded(dirs.join(', '), () => withRenderedManifests(model, dirs));
  }
  if (options.clusterShape) {
    const file = options.clusterShape;
    model = guarded(file, () => withClusterShape(model, readClusterShape(file)));
  }
  return model;
}

function readInput(input: string, options: LoadOptions): ClusterModel {
  if (!fs.existsSync(input)) throw new EksplanError('no such file or directory', { input });
  if (fs.statSync(input).isDirectory() && fs.existsSync(path.join(input, 'manifest.json'))) return loadAssembly(input, options);
  // A directory of CloudFormation templates without manifest.json is a broken assembly, not a manifests directory.
  if (fs.statSync(input).isDirectory() && fs.readdirSync(input).some((f) => f.endsWith('.template.json'))) return loadAssembly(input, options);
  return modelFromManifests([input]);
}

export { loadManifests as readManifests };

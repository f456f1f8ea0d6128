import * as fs from 'fs';
import * as path from 'path';
import type { ClusterModel } from '../model/cluster';
import { EksplanError } from '../model/errors';
import { listStacks, readStack } from './cloud-assembly';
import { extractModel } from './extract';
import { loadManifests, modelFromManifests } from './manifests';

export { loadManifests, modelFromManifests } from './manifests';
export { resolveIntrinsics, refPlaceholder, getAttPlaceholder } from './intrinsics';
export { maxPodsFromUserData } from './user-data';

export interface LoadOptions {
  /** The stack to read when the assembly has several. @default the one stack with an EKS cluster */
  readonly stack?: string;
}

/** Reads a synthesized cloud assembly (`cdk.out`) into a ClusterModel. */
export function loadAssembly(dir: string, options: LoadOptions = {}): ClusterModel {
  const stacks = listStacks(dir);
  if (stacks.length === 0) throw new EksplanError('has no CloudFormation stacks', { input: path.join(dir, 'manifest.json') });
  let chosen = stacks;
  if (options.stack) {
    chosen = stacks.filter((s) => s.name === options.stack || s.name.endsWith(`/${options.stack}`));
    if (chosen.length === 0) throw new EksplanError(`has no stack '${options.stack}'; stacks: ${stacks.map((s) => s.name).join(', ')}`, { input: dir, field: '--stack' });
  }
  const read = chosen.map((s) => readStack(dir, s));
  const withCluster = read.filter((s) => s.resources.some((r) => r.type === 'AWS::EKS::Cluster'));
  if (withCluster.length > 1) {
    throw new EksplanError(`has several stacks with an EKS cluster (${withCluster.map((s) => s.stackName).join(', ')}); choose one with --stack`, { input: dir, field: '--stack' });
  }
  if (withCluster.length === 0) {
    throw new EksplanError(`no AWS::EKS::Cluster in ${options.stack ? `stack ${options.stack}` : `any stack (${read.map((s) => s.stackName).join(', ')})`}`, { input: dir });
  }
  return extractModel(withCluster[0], dir);
}

/** A cloud assembly directory (has manifest.json), or manifest files/directories. */
export function loadInput(input: string, options: LoadOptions = {}): ClusterModel {
  if (!fs.existsSync(input)) throw new EksplanError('no such file or directory', { input });
  if (fs.statSync(input).isDirectory() && fs.existsSync(path.join(input, 'manifest.json'))) return loadAssembly(input, options);
  return modelFromManifests([input]);
}

export { loadManifests as readManifests };

import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_VPC_CNI, type ClusterModel, type KubernetesObjectWithSource } from '../model/cluster';
import { EksplanError } from '../model/errors';
import type { KubernetesObject } from '../model/kubernetes';
import { flattenList, loadBalancersOf, validateObject } from './extract';
import { readYamlDocuments } from './files';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const MAX_FILES = 10000;

/** Manifest files under the given paths (files, or directories searched recursively), sorted for determinism. */
export function manifestFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (p: string, depth: number) => {
    if (depth > 20) return;
    let stat: fs.Stats;
    try { stat = fs.statSync(p); } catch { throw new EksplanError('no such file or directory', { input: p }); }
    if (stat.isDirectory()) {
      let entries: string[];
      try { entries = fs.readdirSync(p).sort(); } catch { throw new EksplanError('cannot be read (permission denied?)', { input: p }); }
      for (const entry of entries) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        const child = path.join(p, entry);
        let isDirectory: boolean;
        // A dangling symlink holds no manifest: skip it rather than fail the whole walk.
        try { isDirectory = fs.statSync(child).isDirectory(); } catch { continue; }
        if (isDirectory || MANIFEST_EXTENSIONS.test(entry)) visit(child, depth + 1);
      }
    } else {
      files.push(p);
    }
    if (files.length > MAX_FILES) throw new EksplanError(`more than ${MAX_FILES} manifest files`, { input: paths.join(', ') });
  };
  for (const p of paths) visit(p, 0);
  return files;
}

function loadWithSource(paths: string[]): KubernetesObjectWithSource[] {
  const out: KubernetesObjectWithSource[] = [];
  for (const file of manifestFiles(paths)) {
    readYamlDocuments(file).forEach((document, index) => {
      // A JSON file may hold an array of objects, as the aws-eks KubernetesManifest property does.
      for (const item of (Array.isArray(document) ? document : [document]).flatMap(flattenList)) {
        validateObject(item, file, `document ${index + 1}`);
        const object = item as KubernetesObject;
        out.push({ object, source: { file, id: `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}` } });
      }
    });
  }
  return out;
}

/** Every Kubernetes object in YAML/JSON manifest files or directories (cdk8s dist/, kubectl output). */
export function loadManifests(paths: string[]): KubernetesObject[] {
  return loadWithSource(paths).map((o) => o.object);
}

/** A ClusterModel with only Kubernetes objects: for manifests that were not synthesized by CDK. */
export function modelFromManifests(paths: string[]): ClusterModel {
  const objects = loadWithSource(paths);
  if (objects.length === 0) throw new EksplanError('holds no Kubernetes objects', { input: paths.join(', ') });
  return {
    origin: paths.join(', '), availabilityZones: [], subnets: [], natGateways: [], nodeGroups: [], fargateProfiles: [], addons: [],
    vpcCni: DEFAULT_VPC_CNI, helmReleases: [], iamRoles: [], accessEntries: [], podIdentityAssociations: [], loadBalancers: loadBalancersOf(objects, []), objects, resources: {},
  };
}

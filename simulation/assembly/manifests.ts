import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_VPC_CNI, type ClusterModel, type KubernetesObjectWithSource } from '../model/cluster';
import { EksplanError } from '../model/errors';
import type { KubernetesObject } from '../model/kubernetes';
import { flattenList, loadBalancersOf, validateObject } from './extract';
import { readYamlDocuments, realPathInside } from './files';
import { typedObjects } from '../model/typed-objects';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const MAX_FILES = 10000;
/** Input limits a CI machine honours in seconds: all manifests together, and the objects they hold. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const MAX_OBJECTS = 50000;

/**
 * Manifest files under the given paths (files, or directories searched recursively), sorted for determinism.
 * Each directory and file is visited once by its real path, and a symbolic link is followed only when it
 * stays inside the input it was found in: `c -> .` loops and links to /etc are never walked.
 */
export function manifestFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const visit = (p: string, root: string, depth: number) => {
    if (depth > 20) return;
    let stat: fs.Stats;
    try { stat = fs.statSync(p); } catch { throw new EksplanError('no such file or directory', { input: p }); }
    const real = fs.realpathSync(p);
    if (visited.has(real)) return;
    visited.add(real);
    if (stat.isDirectory()) {
      let entries: string[];
      try { entries = fs.readdirSync(p).sort(); } catch { throw new EksplanError('cannot be read (permission denied?)', { input: p }); }
      for (const entry of entries) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        const child = path.join(p, entry);
        let isDirectory: boolean;
        // A dangling symlink holds no manifest: skip it rather than fail the whole walk.
        try { isDirectory = fs.statSync(child).isDirectory(); } catch { continue; }
        if (realPathInside(root, child) === undefined) continue;
        if (isDirectory || MANIFEST_EXTENSIONS.test(entry)) visit(child, root, depth + 1);
      }
    } else {
      files.push(p);
    }
    if (files.length > MAX_FILES) throw new EksplanError(`more than ${MAX_FILES} manifest files`, { input: paths.join(', ') });
  };
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new EksplanError('no such file or directory', { input: p });
    visit(p, fs.statSync(p).isDirectory() ? p : path.dirname(p), 0);
  }
  return files;
}

function loadWithSource(paths: string[]): KubernetesObjectWithSource[] {
  const out: KubernetesObjectWithSource[] = [];
  let bytes = 0;
  for (const file of manifestFiles(paths)) {
    bytes += fs.statSync(file).size;
    if (bytes > MAX_INPUT_BYTES) throw new EksplanError(`the manifests add up to more than ${MAX_INPUT_BYTES / 2 ** 20} MiB; simulate fewer at a time`, { input: file });
    readYamlDocuments(file).forEach((document, index) => {
      // A JSON file may hold an array of objects, as the aws-eks KubernetesManifest property does.
      for (const item of (Array.isArray(document) ? document : [document]).flatMap(flattenList)) {
        validateObject(item, file, `document ${index + 1}`);
        const object = item as KubernetesObject;
        if (out.length >= MAX_OBJECTS) throw new EksplanError(`the manifests hold more than ${MAX_OBJECTS} Kubernetes objects; simulate fewer at a time`, { input: file });
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
    vpcCni: DEFAULT_VPC_CNI, helmReleases: [], iamRoles: [], accessEntries: [], podIdentityAssociations: [], loadBalancers: loadBalancersOf(objects, []), objects, ...typedObjects(objects, []), resources: {},
  };
}

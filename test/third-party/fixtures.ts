import * as path from 'path';
import { modelFromManifests, type ClusterModel } from '../../simulation';
import { readClusterShape, withClusterShape } from '../../simulation/assembly/cluster-shape';

/** The third-party corpus: test/fixtures/third-party/<name>/ with a PROVENANCE.md each. */
export const THIRD_PARTY = path.join(__dirname, '..', 'fixtures', 'third-party');

/** Manifests (files or directories under the corpus folder) placed on the folder's cluster-shape.yaml. */
export function manifestsOnShape(folder: string, manifests: readonly string[]): ClusterModel {
  const dir = path.join(THIRD_PARTY, folder);
  return withClusterShape(modelFromManifests(manifests.map((m) => path.join(dir, m))), readClusterShape(path.join(dir, 'cluster-shape.yaml')));
}

export const MIB = 1024 * 1024;

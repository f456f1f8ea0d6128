import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { defaultNormalizeScore, filterStatus, FITS, SKIP, type FilterPlugin, type FilterStatus, type ScorePlugin } from '../plugin';

import { matchesNodeSelectorTerms, podMatchesNodeLabels } from '../selectors';

/** NodeAffinity's Filter status for a node whose labels do not satisfy the pod's required node selector. */
export const NODE_AFFINITY_MISMATCH = filterStatus('UnschedulableAndUnresolvable', "node(s) didn't match Pod's node affinity/selector");

// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go: nodeSelector and required node affinity
// filter; preferred terms add their weight and are normalized by the maximum.
export const NodeAffinity: FilterPlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preFilter: (state) => (state.pod.spec.nodeSelector || state.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ? undefined : SKIP),
  preScore: (state) => ((state.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0 ? undefined : SKIP),
  filter(pod: Pod, node: NodeInfo): FilterStatus {
    return podMatchesNodeLabels(pod, node.labels, node.name) ? FITS : NODE_AFFINITY_MISMATCH;
  },
  score(pod: Pod, node: NodeInfo): number {
    let total = 0;
    for (const term of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (term.weight !== 0 && matchesNodeSelectorTerms([term.preference], node.labels, node.name)) total += term.weight;
    }
    return total;
  },
  normalize(scores: number[]): void {
    defaultNormalizeScore(scores, false);
  },
};

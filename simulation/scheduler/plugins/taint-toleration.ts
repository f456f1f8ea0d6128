import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { tolerates } from '../pod-info';
import { defaultNormalizeScore, type FilterPlugin, type ScorePlugin } from '../plugin';

// pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go: NoSchedule/NoExecute taints must be
// tolerated (the first untolerated one is reported); score counts untolerated PreferNoSchedule taints, fewer is better.
const NONE: string[] = [];

export const TaintToleration: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(pod: Pod, node: NodeInfo): readonly string[] {
    const taints = node.taints;
    if (taints.length === 0) return NONE;
    for (const taint of taints) {
      if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, taint)) {
        return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
      }
    }
    return NONE;
  },
  score(pod: Pod, node: NodeInfo): number {
    if (node.taints.length === 0) return 0;
    let count = 0;
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !tolerates(pod.spec.tolerations, taint)) count += 1;
    return count;
  },
  normalize(scores: number[]): void {
    defaultNormalizeScore(scores, true);
  },
};

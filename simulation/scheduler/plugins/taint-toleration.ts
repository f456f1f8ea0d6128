import type { Pod, Taint } from '../../model/kubernetes';
import { resolveFeatures, type Features } from '../features';
import type { NodeInfo } from '../node-info';
import { tolerates } from '../pod-info';
import { defaultNormalizeScore, filterStatus, FITS, SKIP, type CycleState, type FilterPlugin, type FilterStatus, type ScorePlugin } from '../plugin';

/** The filter reason from Kubernetes 1.34 on (kubernetes/kubernetes PR #134740, in 1.35 and backported to 1.34). */
export const UNTOLERATED_TAINTS = 'node(s) had untolerated taint(s)';
const UNTOLERATED = filterStatus('UnschedulableAndUnresolvable', UNTOLERATED_TAINTS);

// Before 1.34 the reason named the first untolerated taint; one frozen status per taint object.
const LEGACY = new WeakMap<Taint, FilterStatus>();
function legacyStatus(taint: Taint): FilterStatus {
  let status = LEGACY.get(taint);
  if (!status) LEGACY.set(taint, (status = filterStatus('UnschedulableAndUnresolvable', `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`)));
  return status;
}

/**
 * pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go: a NoSchedule/NoExecute taint the pod does
 * not tolerate rejects the node (UnschedulableAndUnresolvable; preemption cannot remove a taint); the score
 * counts untolerated PreferNoSchedule taints, fewer is better (DefaultNormalizeScore, reversed). Lt/Gt
 * tolerations match only with the TaintTolerationComparisonOperators gate.
 */
export function makeTaintToleration(features: Features = resolveFeatures()): FilterPlugin & ScorePlugin {
  const comparison = features.gates.TaintTolerationComparisonOperators;
  const generic = features.minor >= 34;
  return {
    name: 'TaintToleration',
    weight: 3,
    // A node without taints fits any pod: the framework checks that inline.
    fastPass: 'untainted',
    filter(pod: Pod, node: NodeInfo): FilterStatus {
      const taints = node.taints;
      if (taints.length === 0) return FITS;
      for (const taint of taints) {
        if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, taint, comparison)) {
          return generic ? UNTOLERATED : legacyStatus(taint);
        }
      }
      return FITS;
    },
    // Skip when no node carries a PreferNoSchedule taint: every node would count 0 and normalize to 100, a
    // uniform score that cannot change the choice (the framework's PreScore Skip, as upstream plugins use it).
    preScore(state: CycleState, nodes: readonly NodeInfo[]): void | typeof SKIP {
      // The framework already saw that none of these nodes has a taint.
      if (state.feasibleUntainted === true) return SKIP;
      // The nodes' spec objects from the snapshot's node table when the framework gives the rows (one small
      // object per node instead of NodeInfo → Node → spec).
      const rows = state.rows;
      const specs = rows ? state.snapshot.nodeTable().specs : undefined;
      for (let n = 0; n < nodes.length; n += 1) {
        const taints = specs && rows ? specs[rows[n]]?.taints : nodes[n].taints;
        if (taints === undefined) continue;
        for (let i = 0; i < taints.length; i += 1) if (taints[i].effect === 'PreferNoSchedule') return undefined;
      }
      return SKIP;
    },
    score(pod: Pod, node: NodeInfo): number {
      if (node.taints.length === 0) return 0;
      let count = 0;
      for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !tolerates(pod.spec.tolerations, taint, comparison)) count += 1;
      return count;
    },
    normalize(scores: number[]): void {
      defaultNormalizeScore(scores, true);
    },
  };
}

/** The plugin for the default Kubernetes version. */
export const TaintToleration = makeTaintToleration();

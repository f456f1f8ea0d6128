import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { tolerates } from '../pod-info';
import { FITS, type FilterPlugin } from '../plugin';

// pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go: a cordoned node takes only pods
// that tolerate node.kubernetes.io/unschedulable:NoSchedule.
export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod: Pod, node: NodeInfo): readonly string[] {
    if (!node.node.spec?.unschedulable) return FITS;
    return tolerates(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }) ? FITS : ['node(s) were unschedulable'];
  },
};

import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { tolerates } from '../pod-info';
import { filterStatus, FITS, type FilterPlugin, type FilterStatus } from '../plugin';

const UNSCHEDULABLE = filterStatus('UnschedulableAndUnresolvable', 'node(s) were unschedulable');

// pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go: a cordoned node takes only pods
// that tolerate node.kubernetes.io/unschedulable:NoSchedule.
export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  // An uncordoned node fits any pod: the framework checks that inline.
  fastPass: 'schedulable',
  filter(pod: Pod, node: NodeInfo): FilterStatus {
    if (!node.node.spec?.unschedulable) return FITS;
    return tolerates(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }) ? FITS : UNSCHEDULABLE;
  },
};

import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { filterStatus, FITS, SKIP, type FilterPlugin, type FilterStatus } from '../plugin';

const OTHER_NODE = filterStatus('UnschedulableAndUnresolvable', "node(s) didn't match the requested node name");

// pkg/scheduler/framework/plugins/nodename/node_name.go: spec.nodeName pins the pod to one node.
export const NodeName: FilterPlugin = {
  name: 'NodeName',
  preFilter: (state) => (state.pod.spec.nodeName ? undefined : SKIP),
  filter(pod: Pod, node: NodeInfo): FilterStatus {
    return pod.spec.nodeName && pod.spec.nodeName !== node.name ? OTHER_NODE : FITS;
  },
};

import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { FITS, SKIP, type FilterPlugin } from '../plugin';

// pkg/scheduler/framework/plugins/nodename/node_name.go: spec.nodeName pins the pod to one node.
export const NodeName: FilterPlugin = {
  name: 'NodeName',
  preFilter: (state) => (state.pod.spec.nodeName ? undefined : SKIP),
  filter(pod: Pod, node: NodeInfo): readonly string[] {
    return pod.spec.nodeName && pod.spec.nodeName !== node.name ? ["node(s) didn't match the requested node name"] : FITS;
  },
};

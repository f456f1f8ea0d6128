import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { podInfo } from '../pod-info';
import { filterStatus, FITS, SKIP, type FilterPlugin, type FilterStatus } from '../plugin';

const PORT_TAKEN = filterStatus('Unschedulable', "node(s) didn't have free ports for the requested pod ports");

// pkg/scheduler/framework/plugins/nodeports/node_ports.go: a host port (protocol, IP, port) is taken once per
// node; 0.0.0.0 conflicts with every IP.
export const NodePorts: FilterPlugin = {
  name: 'NodePorts',
  preFilter: (state) => (state.info.hostPorts.length > 0 ? undefined : SKIP),
  filter(pod: Pod, node: NodeInfo): FilterStatus {
    for (const wanted of podInfo(pod).hostPorts) {
      const [protocol, ip, port] = wanted.split('/');
      for (const used of node.usedPorts.keys()) {
        const [p2, ip2, port2] = used.split('/');
        if (p2 === protocol && port2 === port && (ip === ip2 || ip === '0.0.0.0' || ip2 === '0.0.0.0')) {
          return PORT_TAKEN;
        }
      }
    }
    return FITS;
  },
};

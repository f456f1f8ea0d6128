import type { Pod } from '../../model/kubernetes';
import type { NodeInfo } from '../node-info';
import { filterStatus, FITS, SKIP, type FilterPlugin, type FilterStatus } from '../plugin';

const OTHER_ZONE = filterStatus('UnschedulableAndUnresolvable', 'node(s) had no available volume zone');

/** The annotation the engine sets on a pod whose PersistentVolume is bound in a zone (an EBS volume lives in one AZ). */
export const VOLUME_ZONE_ANNOTATION = 'eksplan.io/volume-zone';

// pkg/scheduler/framework/plugins/volumezone/volume_zone.go: a pod using a bound zonal volume must run in
// that volume's zone.
export const VolumeZone: FilterPlugin = {
  name: 'VolumeZone',
  preFilter: (state) => (state.pod.metadata.annotations?.[VOLUME_ZONE_ANNOTATION] ? undefined : SKIP),
  filter(pod: Pod, node: NodeInfo): FilterStatus {
    const zone = pod.metadata.annotations?.[VOLUME_ZONE_ANNOTATION];
    if (!zone) return FITS;
    return node.labels['topology.kubernetes.io/zone'] === zone ? FITS : OTHER_ZONE;
  },
};

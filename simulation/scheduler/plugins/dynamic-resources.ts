import type { DraExtendedResources } from '../dra';
import { resolveFeatures, type Features } from '../features';
import { podInfo } from '../pod-info';
import { filterStatus, FITS, SKIP, type FilterPlugin, type FilterStatus } from '../plugin';

// pkg/scheduler/framework/plugins/dynamicresources/dynamicresources.go Filter: the allocator found no devices.
const CANNOT_ALLOCATE: FilterStatus = filterStatus('Unschedulable', 'cannot allocate all claims');

/**
 * The extended-resource part of DynamicResources (KEP-5004, gate DRAExtendedResource): a request NodeResourcesFit
 * leaves to DRA (the node does not advertise it, a DeviceClass backs it) needs that many free devices of the class on
 * the node. A simplification of upstream's allocator: devices are counted, one per unit requested, without
 * constraints, admin access, partitions or consumable capacity; ResourceClaims named by the pod are not modelled.
 */
export function makeDynamicResourcesExtended(dra: DraExtendedResources, features: Features = resolveFeatures()): FilterPlugin {
  const enabled = features.gates.DRAExtendedResource;
  return {
    name: 'DynamicResources',
    // dynamicresources.go PreFilter: nothing to do for a pod without a DRA-backed extended resource.
    preFilter: (state) => (enabled && dra.backsAny(state.info.scalarRequestNames) ? undefined : SKIP),
    filter: (pod, node, state) => {
      if (!enabled) return FITS;
      const info = state?.info ?? podInfo(pod);
      for (const name of info.scalarRequestNames) {
        const amount = info.requests.scalar[name];
        if (!(amount > 0) || !dra.delegates(name, node)) continue;
        const held = dra.scoredAllocation(node, name);
        const free = held ? held.capacity - held.allocated : 0;
        if (amount > free) return CANNOT_ALLOCATE;
      }
      return FITS;
    },
  };
}

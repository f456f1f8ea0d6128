// Max pods lives in the catalog (pure data shared with the constructs); the CNI model re-exports it.
export { eniMaxPods, maxPods, type MaxPodsOptions } from '../catalog/max-pods';
export { SubnetIpPool } from './subnet-pool';
export { NodeIpState, NODE_ENI_LIMIT_REASON, nodeEniLimitMessage, nodeOfEniLimitMessage, type IpAssignFailure } from './node-ip-state';
export { cidrsOverlap, formatIp, parseCidr } from '../model/cidr';

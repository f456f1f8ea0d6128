export { eniMaxPods, maxPods, type MaxPodsOptions } from './max-pods';
export { SubnetIpPool } from './subnet-pool';
export { NodeIpState } from './node-ip-state';
export { cidrsOverlap, formatIp, parseCidr } from './ipv4';

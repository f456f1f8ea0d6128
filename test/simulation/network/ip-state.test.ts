import { instanceType } from '../../../simulation/catalog';
import { DEFAULT_VPC_CNI, type VpcCniConfig } from '../../../simulation/model/cluster';
import { NodeIpState, SubnetIpPool } from '../../../simulation/network';

const node = (type: string, pool: SubnetIpPool, config: Partial<VpcCniConfig> = {}) =>
  new NodeIpState({ nodeName: 'n', instanceType: instanceType(type), config: { ...DEFAULT_VPC_CNI, ...config }, nodeSubnet: pool });

// amazon-vpc-cni-k8s docs/eni-and-ip-target.md and docs/prefix-and-ip-target.md.
describe('VPC CNI address accounting', () => {
  it('reserves the 5 AWS addresses of a subnet', () => {
    expect(new SubnetIpPool({ id: 's', cidr: '10.0.0.0/24', availabilityZone: 'a' }).usable).toBe(251);
    expect(new SubnetIpPool({ id: 's', cidr: '10.0.0.0/28', availabilityZone: 'a' }).usable).toBe(11);
  });

  it('WARM_ENI_TARGET=1: an idle m5.large holds its primary ENI fully (10 addresses); the first pod attaches a second ENI', () => {
    const pool = new SubnetIpPool({ id: 's', cidr: '10.0.0.0/24', availabilityZone: 'a' });
    const state = node('m5.large', pool);
    expect(pool.inUse()).toBe(10);
    expect(state.assignPod('a')).toBe(true);
    expect(pool.inUse()).toBe(20);
    for (let i = 0; i < 9; i += 1) state.assignPod(`p${i}`);
    // 10 pods: two busy ENIs (9 + 1 pods) plus one warm ENI = 3 × 10 addresses
    expect(pool.inUse()).toBe(30);
  });

  it('WARM_IP_TARGET / MINIMUM_IP_TARGET size the pool in addresses', () => {
    const pool = new SubnetIpPool({ id: 's', cidr: '10.0.0.0/24', availabilityZone: 'a' });
    const state = node('m5.large', pool, { warmIpTarget: 2, minimumIpTarget: 5 });
    // 1 primary + 5 secondary (minimum)
    expect(pool.inUse()).toBe(6);
    for (let i = 0; i < 5; i += 1) state.assignPod(`p${i}`);
    // 5 pods + 2 warm = 7 secondary on one ENI (9 slots) + its primary
    expect(pool.inUse()).toBe(8);
  });

  it('prefix delegation takes aligned /28 blocks; WARM_PREFIX_TARGET=1 keeps one spare', () => {
    const pool = new SubnetIpPool({ id: 's', cidr: '10.0.0.0/24', availabilityZone: 'a' });
    const state = node('m5.large', pool, { prefixDelegation: true, warmPrefixTarget: 1 });
    expect(pool.inUse()).toBe(1 + 16);
    state.assignPod('a');
    expect(pool.inUse()).toBe(1 + 32);
  });

  it('fragmentation: single addresses in a /28 block keep it from being a prefix', () => {
    // A /26 has four /28 blocks; block 0 holds the 4 reserved addresses at its start, block 3 the broadcast address.
    const pool = new SubnetIpPool({ id: 's', cidr: '10.0.0.0/26', availabilityZone: 'a' });
    expect(pool.freePrefixes()).toBe(2);
    for (let i = 0; i < 12; i += 1) pool.allocateAddress(); // fills block 0
    expect(pool.freePrefixes()).toBe(2);
    const block = pool.allocateAddress(); // the next address lands in block 1
    expect(block).toBe(1);
    expect(pool.freePrefixes()).toBe(1);
    expect(pool.free()).toBe(59 - 13);
    pool.releaseAddress(block as number);
    expect(pool.freePrefixes()).toBe(2);
  });

  it('runs out: no address means the pod cannot be assigned', () => {
    const pool = new SubnetIpPool({ id: 's', cidr: '10.0.0.0/28', availabilityZone: 'a' });
    const state = node('m5.large', pool);
    let assigned = 0;
    for (let i = 0; i < 20; i += 1) if (state.assignPod(`p${i}`)) assigned += 1;
    // 11 usable: the primary ENI's 10 addresses give 9 pods; a second ENI needs 2 more addresses (primary + one pod slot) but only 1 remains
    expect(assigned).toBe(9);
    expect(state.canAssignPod()).toBe(false);
  });
});

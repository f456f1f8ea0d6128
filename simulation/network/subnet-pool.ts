import { parseCidr } from '../model/cidr';

/**
 * The addresses of one subnet as the VPC CNI draws on them. AWS reserves 5 addresses in every subnet: the
 * network address, +1 (router), +2 (DNS), +3 (future use) and the broadcast address (VPC docs, "Subnet CIDR
 * blocks"). Prefix delegation needs whole, aligned /28 blocks that hold no individual address
 * (VPC CNI docs, "Increase the amount of available IP addresses"), so scattered secondary IPs fragment the
 * subnet: it can run out of /28s while addresses remain free.
 */
export class SubnetIpPool {
  readonly id: string;
  readonly cidr: string;
  readonly availabilityZone: string;
  readonly size: number;
  /** Addresses usable by ENIs: size − 5. */
  readonly usable: number;
  private readonly blockUse: Uint8Array;
  private readonly prefixBlocks: Uint8Array;
  private used = 0;
  private peak = 0;
  private scanFrom = 0;
  /** Pods that could not get an address from this subnet. */
  exhaustedPods = 0;

  constructor(subnet: { id: string; cidr: string; availabilityZone: string }) {
    this.id = subnet.id;
    this.cidr = subnet.cidr;
    this.availabilityZone = subnet.availabilityZone;
    const { size } = parseCidr(subnet.cidr, { input: `subnet ${subnet.id}`, field: 'CidrBlock' });
    this.size = size;
    this.usable = Math.max(0, size - 5);
    const blocks = Math.max(1, Math.floor(size / 16));
    this.blockUse = new Uint8Array(blocks);
    this.prefixBlocks = new Uint8Array(blocks);
    // The reserved addresses: the first four and the last one.
    this.blockUse[0] = Math.min(16, 4);
    this.blockUse[blocks - 1] += 1;
    if (size < 16) this.blockUse[0] = 5;
  }

  /** Free addresses now. */
  free(): number {
    return this.usable - this.used;
  }

  freePercent(): number {
    return this.usable === 0 ? 0 : (100 * this.free()) / this.usable;
  }

  /** Addresses in use at the peak so far. */
  usedPeak(): number {
    return this.peak;
  }

  inUse(): number {
    return this.used;
  }

  /** Takes one address; returns its /28 block, or undefined when the subnet is full. */
  allocateAddress(): number | undefined {
    const capacity = Math.min(16, this.size);
    for (let scanned = 0; scanned < this.blockUse.length; scanned += 1) {
      const block = (this.scanFrom + scanned) % this.blockUse.length;
      if (this.prefixBlocks[block] === 0 && this.blockUse[block] < capacity) {
        this.blockUse[block] += 1;
        this.scanFrom = block;
        this.take(1);
        return block;
      }
    }
    return undefined;
  }

  releaseAddress(block: number): void {
    if (this.blockUse[block] > 0) {
      this.blockUse[block] -= 1;
      this.used -= 1;
      if (block < this.scanFrom) this.scanFrom = block;
    }
  }

  /** Takes a free, aligned /28 (16 addresses); returns its block, or undefined when none is whole. */
  allocatePrefix(): number | undefined {
    for (let block = this.blockUse.length - 1; block >= 0; block -= 1) {
      if (this.blockUse[block] === 0 && this.prefixBlocks[block] === 0) {
        this.prefixBlocks[block] = 1;
        this.take(16);
        return block;
      }
    }
    return undefined;
  }

  releasePrefix(block: number): void {
    if (this.prefixBlocks[block] === 1) {
      this.prefixBlocks[block] = 0;
      this.used -= 16;
    }
  }

  /** Whole /28 blocks still free for prefixes. */
  freePrefixes(): number {
    let count = 0;
    for (let block = 0; block < this.blockUse.length; block += 1) if (this.blockUse[block] === 0 && this.prefixBlocks[block] === 0) count += 1;
    return count;
  }

  private take(n: number): void {
    this.used += n;
    if (this.used > this.peak) this.peak = this.used;
  }
}

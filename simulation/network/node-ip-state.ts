import type { InstanceTypeInfo } from '../catalog';
import type { VpcCniConfig } from '../model/cluster';
import type { SubnetIpPool } from './subnet-pool';

/**
 * Why a pod got no address. ipamd logs the same `failed to assign an IP address to container` for both, but
 * the fixes differ: a node whose ENIs are all attached and full (instance type's ENIs × IPs per ENI,
 * amazon-vpc-cni-k8s pkg/ipamd/datastore "no available IP/Prefix addresses" with the ENI limit reached) needs
 * prefix delegation or a larger instance type; a subnet with no free address (EC2 AssignPrivateIpAddresses /
 * CreateNetworkInterface InsufficientFreeAddressesInSubnet) needs a larger subnet or a secondary CIDR.
 */
export type IpAssignFailure = 'node-eni-limit' | 'subnet-exhausted';

/** Marker in the pending reason of a pod stopped by its node's ENI limit (parsed back by checks and reports). */
export const NODE_ENI_LIMIT_REASON = 'ENI limit reached';

/** `failed to assign an IP address to container: node n1 (m5.large) ENI limit reached, 3 ENIs × 9 IPs = 27 pod addresses in use`. */
export function nodeEniLimitMessage(base: string, nodeName: string, limit: { instanceType: string; enis: number; slotsPerEni: number; perSlot: number }): string {
  const unit = limit.perSlot > 1 ? `${limit.slotsPerEni} /28 prefixes` : `${limit.slotsPerEni} IPs`;
  return `${base}: node ${nodeName} (${limit.instanceType}) ${NODE_ENI_LIMIT_REASON}, ${limit.enis} ENIs × ${unit} = ${limit.enis * limit.slotsPerEni * limit.perSlot} pod addresses in use`;
}

/** The node name in a message built by nodeEniLimitMessage, or undefined for any other reason. */
export function nodeOfEniLimitMessage(message: string | undefined): string | undefined {
  if (!message || !message.includes(NODE_ENI_LIMIT_REASON)) return undefined;
  return /: node (\S+) \(/.exec(message)?.[1];
}

interface Eni {
  readonly pool: SubnetIpPool;
  readonly primaryBlock: number;
  /** Secondary IPs (their /28 block each) or, in prefix mode, the /28 prefixes held. */
  readonly slots: number[];
}

/**
 * The addresses the VPC CNI (ipamd) holds for one node, from amazon-vpc-cni-k8s docs/eni-and-ip-target.md
 * and docs/prefix-and-ip-target.md:
 * - each attached ENI takes a primary address; pods get secondary IPs (or addresses from /28 prefixes);
 * - WARM_ENI_TARGET (default 1) keeps that many ENIs with no pod on them, fully allocated;
 * - WARM_IP_TARGET / MINIMUM_IP_TARGET, when set, size the pool in addresses instead;
 * - WARM_PREFIX_TARGET keeps that many unused /28 prefixes in prefix mode;
 * - with custom networking the primary ENI holds no pod addresses; pod ENIs come from the ENIConfig subnet.
 * Host-network pods take no address. Excess warm addresses are returned when the pods go away.
 */
export class NodeIpState {
  readonly nodeName: string;
  private readonly type: InstanceTypeInfo;
  private readonly config: VpcCniConfig;
  private readonly nodeSubnet: SubnetIpPool;
  private readonly podSubnet: SubnetIpPool;
  private readonly enis: Eni[] = [];
  private readonly primaryEni: Eni | undefined;
  private readonly pods = new Set<string>();
  private readonly perSlot: number;
  private readonly slotsPerEni: number;
  private readonly maxPodEnis: number;
  private failure: IpAssignFailure | undefined;

  constructor(args: { nodeName: string; instanceType: InstanceTypeInfo; config: VpcCniConfig; nodeSubnet: SubnetIpPool; podSubnet?: SubnetIpPool }) {
    this.nodeName = args.nodeName;
    this.type = args.instanceType;
    this.config = args.config;
    this.nodeSubnet = args.nodeSubnet;
    this.podSubnet = args.config.customNetworking && args.podSubnet ? args.podSubnet : args.nodeSubnet;
    this.perSlot = this.prefixMode ? 16 : 1;
    this.slotsPerEni = Math.max(0, this.type.ipv4PerEni - 1);
    this.maxPodEnis = this.config.customNetworking ? Math.max(0, this.type.maxEnis - 1) : this.type.maxEnis;
    // The node's own address: the primary IP of the primary ENI, from the node subnet.
    const primaryBlock = this.nodeSubnet.allocateAddress();
    if (primaryBlock !== undefined) {
      this.primaryEni = { pool: this.nodeSubnet, primaryBlock, slots: [] };
      if (!this.config.customNetworking) this.enis.push(this.primaryEni);
    }
    this.reconcile();
  }

  /** False when the node could not even get its own address (the subnet was full at launch). */
  get launched(): boolean {
    return this.primaryEni !== undefined;
  }

  private get prefixMode(): boolean {
    return this.config.prefixDelegation && this.type.hypervisor === 'nitro';
  }

  /** Pod addresses the node can hand out now without asking EC2 for more. */
  private capacity(): number {
    let slots = 0;
    for (const eni of this.enis) slots += eni.slots.length;
    return slots * this.perSlot;
  }

  podCount(): number {
    return this.pods.size;
  }

  /** Whether one more pod would get an address (now, or by attaching an ENI / prefix). Does not change state. */
  canAssignPod(): boolean {
    if (!this.launched) return false;
    if (this.pods.size < this.capacity()) return true;
    return this.canGrowBy(1);
  }

  /** Why the last assignPod that returned false failed; undefined after a success. */
  get lastFailure(): IpAssignFailure | undefined {
    return this.failure;
  }

  /** The node's pod-address ceiling: ENIs usable for pods × slots per ENI × addresses per slot. */
  podAddressLimit(): { instanceType: string; enis: number; slotsPerEni: number; perSlot: number } {
    return { instanceType: this.type.name, enis: this.maxPodEnis, slotsPerEni: this.slotsPerEni, perSlot: this.perSlot };
  }

  /** Gives a pod an address; false (nothing changed) when none can be had: `failed to assign an IP address to container`. */
  assignPod(podKey: string): boolean {
    if (this.pods.has(podKey)) return true;
    if (!this.launched) {
      this.failure = 'subnet-exhausted';
      return false;
    }
    if (this.pods.size >= this.capacity() && !this.grow(1)) return false;
    this.pods.add(podKey);
    this.reconcile();
    // A warm-pool top-up that could not complete is not a failed assignment.
    this.failure = undefined;
    return true;
  }

  releasePod(podKey: string): void {
    if (this.pods.delete(podKey)) this.reconcile();
  }

  /** Returns every address to the subnets (the node terminated). */
  release(): void {
    for (const eni of this.enis) this.freeEni(eni);
    this.enis.length = 0;
    if (this.primaryEni && this.config.customNetworking) this.nodeSubnet.releaseAddress(this.primaryEni.primaryBlock);
    this.pods.clear();
  }

  /** Addresses this node holds in each subnet (ENI primaries, secondary IPs, 16 per prefix). */
  heldAddresses(): Map<string, number> {
    const held = new Map<string, number>();
    const add = (pool: SubnetIpPool, n: number) => held.set(pool.id, (held.get(pool.id) ?? 0) + n);
    if (this.primaryEni && this.config.customNetworking) add(this.nodeSubnet, 1);
    for (const eni of this.enis) add(eni.pool, 1 + eni.slots.length * this.perSlot);
    return held;
  }

  /** Target pool size in slots (secondary IPs or prefixes) for the pods now on the node. */
  private targetSlots(): number {
    const used = this.pods.size;
    const usedSlots = Math.ceil(used / this.perSlot);
    const { warmIpTarget, minimumIpTarget, warmPrefixTarget, warmEniTarget } = this.config;
    let target: number;
    if (this.prefixMode && warmPrefixTarget !== undefined && warmIpTarget === undefined && minimumIpTarget === undefined) {
      target = usedSlots + warmPrefixTarget;
    } else if (warmIpTarget !== undefined || minimumIpTarget !== undefined) {
      const addresses = Math.max(used + (warmIpTarget ?? 0), minimumIpTarget ?? 0);
      target = Math.ceil(addresses / this.perSlot);
    } else {
      const busyEnis = this.slotsPerEni === 0 ? 0 : Math.ceil(usedSlots / this.slotsPerEni);
      target = (busyEnis + warmEniTarget) * this.slotsPerEni;
    }
    return Math.min(target, this.maxPodEnis * this.slotsPerEni);
  }

  private reconcile(): void {
    const target = Math.max(this.targetSlots(), Math.ceil(this.pods.size / this.perSlot));
    let have = this.enis.reduce((sum, eni) => sum + eni.slots.length, 0);
    if (have < target) {
      this.grow((target - have) * this.perSlot);
    } else if (have > target) {
      // ipamd returns excess warm addresses; keep those in use (addresses are not pinned to slots here).
      const needed = Math.ceil(this.pods.size / this.perSlot);
      for (let i = this.enis.length - 1; i >= 0 && have > target; i -= 1) {
        const eni = this.enis[i];
        while (eni.slots.length > 0 && have > target && have > needed) {
          this.releaseSlot(eni, eni.slots.pop() as number);
          have -= 1;
        }
        if (eni.slots.length === 0 && eni !== this.primaryEni && have >= needed) {
          eni.pool.releaseAddress(eni.primaryBlock);
          this.enis.splice(i, 1);
        }
      }
    }
  }

  private canGrowBy(addresses: number): boolean {
    const slotsNeeded = Math.ceil(addresses / this.perSlot);
    let free = 0;
    for (const eni of this.enis) free += this.slotsPerEni - eni.slots.length;
    const newEnis = this.maxPodEnis - this.enis.length;
    const available = this.prefixMode ? this.podSubnet.freePrefixes() : this.podSubnet.free();
    if (free >= slotsNeeded) return available >= Math.min(slotsNeeded, 1);
    if (newEnis <= 0) return false;
    return this.prefixMode ? available >= 1 && this.podSubnet.free() >= 17 : available >= 2;
  }

  /** Allocates at least `addresses` more pod addresses; false when the ENI limit or the subnet stops it. */
  private grow(addresses: number): boolean {
    let missing = Math.ceil(addresses / this.perSlot);
    while (missing > 0) {
      let eni = this.enis.find((e) => e.slots.length < this.slotsPerEni);
      if (!eni) {
        if (this.enis.length >= this.maxPodEnis) {
          this.failure = 'node-eni-limit';
          return false;
        }
        const primaryBlock = this.podSubnet.allocateAddress();
        if (primaryBlock === undefined) {
          this.failure = 'subnet-exhausted';
          return false;
        }
        eni = { pool: this.podSubnet, primaryBlock, slots: [] };
        this.enis.push(eni);
      }
      const slot = this.prefixMode ? eni.pool.allocatePrefix() : eni.pool.allocateAddress();
      if (slot === undefined) {
        this.failure = 'subnet-exhausted';
        if (eni.slots.length === 0 && eni !== this.primaryEni) {
          eni.pool.releaseAddress(eni.primaryBlock);
          this.enis.splice(this.enis.indexOf(eni), 1);
        }
        return false;
      }
      eni.slots.push(slot);
      missing -= 1;
    }
    return true;
  }

  private releaseSlot(eni: Eni, block: number): void {
    if (this.prefixMode) eni.pool.releasePrefix(block);
    else eni.pool.releaseAddress(block);
  }

  private freeEni(eni: Eni): void {
    for (const block of eni.slots) this.releaseSlot(eni, block);
    eni.slots.length = 0;
    eni.pool.releaseAddress(eni.primaryBlock);
  }
}

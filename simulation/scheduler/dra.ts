import { EksplanError } from '../model/errors';
import type { Node, NodeSelector } from '../model/kubernetes';
import type { DeviceAttributeModel, DeviceModel, ResourceSliceModel } from '../model/typed-objects';
import { parseQuantity } from '../model/quantity';
import type { NodeInfo } from './node-info';
import { matchesNodeSelectorTerms } from './selectors';

/**
 * Extended resources backed by DRA (KEP-5004, feature gate DRAExtendedResource): the DeviceClasses, ResourceSlices
 * and allocated devices the scheduler reads through its shared DRA manager, reduced to what NodeResourcesFit and
 * the extended-resource part of DynamicResources need: which class backs a resource name, and how many of the
 * class's devices a node has and how many are taken.
 */

// staging/src/k8s.io/api/resource/v1/types.go ResourceDeviceClassPrefix: the implicit extended resource name of a class.
export const DEVICE_CLASS_RESOURCE_PREFIX = 'deviceclass.resource.kubernetes.io/';

/** A `spec.selectors[]` entry of a DeviceClass (resource.k8s.io/v1 DeviceSelector). */
export interface DeviceSelector {
  readonly cel?: { readonly expression: string };
}

/** `resource.k8s.io/v1` DeviceClass, the fields the scheduler reads. */
export interface DeviceClass {
  readonly name: string;
  /** `spec.extendedResourceName`: the extended resource this class backs (besides its implicit name). */
  readonly extendedResourceName?: string;
  /** `spec.selectors`: every selector must match a device. @default none: every device matches */
  readonly selectors?: readonly DeviceSelector[];
}

/** A typed device attribute (resource.k8s.io/v1 DeviceAttribute). */
export type DeviceAttribute = DeviceAttributeModel;

/** One device of a ResourceSlice (resource.k8s.io/v1 Device), as the typed model reads it. */
export type Device = DeviceModel;

/** `resource.k8s.io/v1` ResourceSlice, the fields the scheduler reads: the typed model's, without its source. */
export type ResourceSlice = Omit<ResourceSliceModel, 'name' | 'source'> & { readonly name?: string };

/** A device allocated by a ResourceClaim (`status.allocation.devices.results[]`), shared or not. */
export interface AllocatedDevice {
  readonly driver: string;
  readonly pool: string;
  readonly device: string;
}

/** What the scheduler knows of DRA: the cluster's DeviceClasses, ResourceSlices and claimed devices. */
export interface DraObjects {
  readonly deviceClasses?: readonly DeviceClass[];
  readonly resourceSlices?: readonly ResourceSlice[];
  readonly allocatedDevices?: readonly AllocatedDevice[];
}

/** A node's devices of one class: how many there are and how many claims hold. */
export interface DeviceTotals {
  readonly capacity: number;
  readonly allocated: number;
}

type DevicePredicate = (driver: string, device: Device) => boolean;

const NONE: DeviceTotals = Object.freeze({ capacity: 0, allocated: 0 });

/**
 * The CEL subset a selector may use (a simplification: upstream compiles any CEL expression): clauses joined by
 * `&&`, each `device.driver == "d"`, `device.attributes["dom"].name == "v"`, `…name.startsWith("v")`, or
 * `device.capacity["dom"].name.compareTo(quantity("8Gi")) <op> 0`. Anything else is refused when loaded.
 */
function compileCel(expression: string, where: string): DevicePredicate {
  const clauses = expression.split('&&').map((c) => c.trim());
  const tests = clauses.map((clause): DevicePredicate => {
    let m = /^device\.driver\s*==\s*"([^"]*)"$/.exec(clause);
    if (m) {
      const driver = m[1];
      return (d) => d === driver;
    }
    m = /^device\.attributes\["([^"]+)"\]\.([A-Za-z0-9_-]+)\s*==\s*"([^"]*)"$/.exec(clause);
    if (m) {
      const [, domain, name, value] = m;
      return (driver, device) => attribute(driver, device, domain, name)?.string === value;
    }
    m = /^device\.attributes\["([^"]+)"\]\.([A-Za-z0-9_-]+)\.startsWith\("([^"]*)"\)$/.exec(clause);
    if (m) {
      const [, domain, name, prefix] = m;
      return (driver, device) => attribute(driver, device, domain, name)?.string?.startsWith(prefix) === true;
    }
    m = /^device\.capacity\["([^"]+)"\]\.([A-Za-z0-9_-]+)\.compareTo\(quantity\("([^"]+)"\)\)\s*(>=|<=|==|>|<)\s*0$/.exec(clause);
    if (m) {
      const [, domain, name, quantity, op] = m;
      const bound = parseQuantity(quantity, { input: where, field: 'spec.selectors' });
      return (driver, device) => {
        const raw = (domain === driver ? device.capacity?.[name] : undefined) ?? device.capacity?.[`${domain}/${name}`];
        if (!raw) return false;
        const value = parseQuantity(raw.value, { input: where, field: `capacity.${name}` });
        switch (op) {
          case '>=': return value >= bound;
          case '<=': return value <= bound;
          case '>': return value > bound;
          case '<': return value < bound;
          default: return value === bound;
        }
      };
    }
    throw new EksplanError(`DeviceClass selector '${clause}' is not in the CEL subset the simulation evaluates (device.driver ==, device.attributes[...] == / startsWith, device.capacity[...].compareTo(quantity(...)))`, { input: where, field: 'spec.selectors[].cel.expression' });
  });
  return (driver, device) => tests.every((t) => t(driver, device));
}

// A device's attribute by its fully qualified name; a short name belongs to the driver's domain (cel.Device).
function attribute(driver: string, device: Device, domain: string, name: string): DeviceAttribute | undefined {
  return (domain === driver ? device.attributes?.[name] : undefined) ?? device.attributes?.[`${domain}/${name}`];
}

/**
 * The scheduler's view of DRA for extended resources (upstream's SharedDRAManager: DeviceClassResolver,
 * ResourceSlices, ResourceClaims' allocated state). Static for a run; per-node totals are cached.
 */
export class DraExtendedResources {
  private readonly classByResource = new Map<string, DeviceClass>();
  private readonly matchers = new Map<DeviceClass, DevicePredicate | undefined>();
  private readonly slices: readonly ResourceSlice[];
  private readonly allocated: ReadonlySet<string>;
  private readonly totalsCache = new Map<string, DeviceTotals>();

  constructor(objects: DraObjects) {
    // dynamic-resource-allocation/deviceclass/extendedresourcecache: explicit names and the implicit
    // `deviceclass.resource.kubernetes.io/<class>` name both resolve to the class.
    for (const cls of objects.deviceClasses ?? []) {
      const where = `DeviceClass ${cls.name}`;
      this.classByResource.set(`${DEVICE_CLASS_RESOURCE_PREFIX}${cls.name}`, cls);
      if (cls.extendedResourceName) this.classByResource.set(cls.extendedResourceName, cls);
      const predicates = (cls.selectors ?? []).filter((s) => s.cel).map((s) => compileCel(s.cel?.expression ?? '', where));
      this.matchers.set(cls, predicates.length === 0 ? undefined : (driver, device) => predicates.every((p) => p(driver, device)));
    }
    this.slices = objects.resourceSlices ?? [];
    this.allocated = new Set((objects.allocatedDevices ?? []).map((d) => `${d.driver}/${d.pool}/${d.device}`));
  }

  /** The DeviceClass backing an extended resource name, if any (DeviceClassResolver.GetDeviceClass). */
  deviceClassFor(resourceName: string): DeviceClass | undefined {
    return this.classByResource.get(resourceName);
  }

  /** Whether any class backs one of these names (resource_allocation.go getDRAPreScoredParams: anyBackedByDRA). */
  backsAny(resourceNames: readonly string[]): boolean {
    return resourceNames.some((name) => this.classByResource.has(name));
  }

  /**
   * The node's devices of the class backing `resourceName` and how many claims hold
   * (resource_allocation.go calculateDRAResourceTotals): slices for the node by name, allNodes or node selector (or
   * per device with perDeviceNodeSelection); with no selectors every such device counts, else those matching all.
   */
  totals(node: Node, resourceName: string): DeviceTotals {
    const cls = this.classByResource.get(resourceName);
    if (!cls) return NONE;
    const nodeName = node.metadata.name ?? '';
    const key = `${nodeName}\u0000${cls.name}`;
    const cached = this.totalsCache.get(key);
    if (cached) return cached;
    const labels = node.metadata.labels ?? {};
    const onNode = (name: string | undefined, all: boolean | undefined, selector: NodeSelector | undefined): boolean =>
      all === true || (name !== undefined && name !== '' && name === nodeName) || (selector !== undefined && matchesNodeSelectorTerms(selector.nodeSelectorTerms, labels, nodeName));
    const matches = this.matchers.get(cls);
    let capacity = 0;
    let allocated = 0;
    for (const slice of this.slices) {
      if (!slice.perDeviceNodeSelection && !onNode(slice.nodeName, slice.allNodes, slice.nodeSelector)) continue;
      const pool = slice.pool ?? slice.nodeName ?? '';
      for (const device of slice.devices) {
        if (slice.perDeviceNodeSelection && !onNode(device.nodeName, device.allNodes, device.nodeSelector)) continue;
        if (matches && !matches(slice.driver, device)) continue;
        capacity += 1;
        if (this.allocated.has(`${slice.driver}/${pool}/${device.name}`)) allocated += 1;
      }
    }
    const totals: DeviceTotals = capacity === 0 ? NONE : Object.freeze({ capacity, allocated });
    this.totalsCache.set(key, totals);
    return totals;
  }

  /**
   * fit.go shouldDelegateResourceToDRA: a requested extended resource the node does not advertise (allocatable 0)
   * and a DeviceClass backs is left to DynamicResources instead of failing NodeResourcesFit.
   */
  delegates(resourceName: string, node: NodeInfo): boolean {
    return (node.allocatable.scalar[resourceName] ?? 0) <= 0 && this.classByResource.has(resourceName);
  }

  /**
   * resource_allocation.go calculateResourceAllocatableRequest for a DRA-backed resource: the node's device count
   * and the devices taken. Pods bound in the simulation hold their requests as devices (upstream allocates them a
   * special ResourceClaim), so the node's requested amount adds to the claims' devices. Undefined when the node
   * has no such devices (the resource is then skipped).
   */
  scoredAllocation(node: NodeInfo, resourceName: string): DeviceTotals | undefined {
    const totals = this.totals(node.node, resourceName);
    if (totals.capacity === 0) return undefined;
    const held = node.requested.scalar[resourceName] ?? 0;
    return held === 0 ? totals : { capacity: totals.capacity, allocated: totals.allocated + held };
  }
}

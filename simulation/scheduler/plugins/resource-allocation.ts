import { EksplanError } from '../../model/errors';
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';

/** A resource and its weight in a score (config.ResourceSpec). */
export interface ResourceSpec {
  readonly name: string;
  /** @default 1 (v1 defaulting sets an omitted weight to 1) */
  readonly weight?: number;
}

/** The default scored resources (pkg/scheduler/apis/config/v1/defaults.go defaultResourceSpec). */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = Object.freeze([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]);

const CPU = 0;
const MEMORY = 1;
const EPHEMERAL = 2;
const SCALAR = 3;
const UNSCORED = 4;

/** A resource spec resolved once, so scoring a node switches on a small integer instead of comparing names. */
export interface CompiledResource {
  readonly kind: number;
  readonly name: string;
  readonly weight: number;
}

// pkg/apis/core/v1/helper IsScalarResourceName: extended (domain-prefixed), hugepages-*, attachable-volumes-*.
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

export function compileResources(resources: readonly ResourceSpec[]): CompiledResource[] {
  return resources.map((r) => ({
    name: r.name,
    weight: r.weight ?? 1,
    kind: r.name === 'cpu' ? CPU : r.name === 'memory' ? MEMORY : r.name === 'ephemeral-storage' ? EPHEMERAL : isScalarResourceName(r.name) ? SCALAR : UNSCORED,
  }));
}

/** Exactly cpu then memory (in either order), weight 1 each: the default, which plugins score on a fast path. */
export function isDefaultResources(resources: readonly CompiledResource[]): boolean {
  if (resources.length !== 2 || resources[0].weight !== 1 || resources[1].weight !== 1) return false;
  return (resources[0].kind === CPU && resources[1].kind === MEMORY) || (resources[0].kind === MEMORY && resources[1].kind === CPU);
}

/**
 * The pod's request for one resource (resource_allocation.go calculatePodResourceRequest): the actual requests
 * when `useRequested`, else with upstream's non-zero defaults for containers that request no cpu/memory.
 */
export function podRequestFor(info: PodInfo, resource: CompiledResource, useRequested: boolean): number {
  switch (resource.kind) {
    case CPU: return useRequested ? info.requests.milliCpu : info.nonZero.milliCpu;
    case MEMORY: return useRequested ? info.requests.memoryBytes : info.nonZero.memoryBytes;
    case EPHEMERAL: return info.requests.ephemeralStorageBytes;
    case SCALAR: return info.requests.scalar[resource.name] ?? 0;
    default: return 0;
  }
}

/**
 * The node's allocatable for one resource as resource_allocation.go calculateResourceAllocatableRequest sees
 * it: 0 (the resource is skipped) for an extended resource the pod does not request, a resource the node
 * lacks, or a name the scorer does not know.
 */
export function allocatableFor(node: NodeInfo, resource: CompiledResource, podRequest: number): number {
  switch (resource.kind) {
    case CPU: return node.allocatable.milliCpu;
    case MEMORY: return node.allocatable.memoryBytes;
    case EPHEMERAL: return node.allocatable.ephemeralStorageBytes;
    case SCALAR: return podRequest === 0 ? 0 : node.allocatable.scalar[resource.name] ?? 0;
    default: return 0;
  }
}

/** What the node's pods request (actual requests when `useRequested`, else non-zero for cpu/memory). */
export function requestedOn(node: NodeInfo, resource: CompiledResource, useRequested: boolean): number {
  switch (resource.kind) {
    case CPU: return useRequested ? node.requested.milliCpu : node.nonZeroRequested.milliCpu;
    case MEMORY: return useRequested ? node.requested.memoryBytes : node.nonZeroRequested.memoryBytes;
    case EPHEMERAL: return node.requested.ephemeralStorageBytes;
    case SCALAR: return node.requested.scalar[resource.name] ?? 0;
    default: return 0;
  }
}

/** One `field.Error` of upstream's argument validation, as an EksplanError naming the field path. */
export function invalidArg(plugin: string, field: string, value: unknown, detail: string): EksplanError {
  return new EksplanError(`${plugin} args: ${JSON.stringify(value)} is invalid: ${detail}`, { field });
}

import type { CapacityType } from '../types';
import type { KarpenterInstanceType, PreparedNodePool } from './instance-types';
import type { Requirements } from './requirements';

const ZONE = 'topology.kubernetes.io/zone';
/** A NodeClaim carries at most this many instance types to the launch (karpenter nodeclaimtemplate.go MaxInstanceTypes). */
export const MAX_INSTANCE_TYPES = 60;

export interface Offering { type: KarpenterInstanceType; zone: string; capacityType: CapacityType; price: number }

/** What chooseOffering reads of a NodeClaim. */
export interface OfferingClaim {
  readonly pool: PreparedNodePool;
  readonly requirements: Requirements;
  readonly candidates: readonly KarpenterInstanceType[];
  readonly zones?: readonly string[];
  readonly zone?: string;
}

/**
 * The offering a NodeClaim launches. The claim's types are ordered by their cheapest offering and truncated to
 * the 60 cheapest (kubernetes-sigs/karpenter pkg/controllers/provisioning/scheduling/nodeclaim.go
 * ToNodeClaim → InstanceTypes.Truncate); CreateFleet then takes spot when the claim allows it
 * (price-capacity-optimized, approximated by price) else on-demand (lowest-price). EC2 has no preference among
 * on-demand offerings of equal price in several zones, so those ties are broken by the seeded `random`
 * (without it, by zone name).
 */
export function chooseOffering(claim: OfferingClaim, zones: readonly string[], price: (type: string, zone: string, capacityType: CapacityType) => number, available: (type: string, zone: string, capacityType: CapacityType) => boolean, random?: () => number): Offering | undefined {
  const allowed = (c: CapacityType) => claim.pool.capacityTypes.includes(c) && claim.requirements.allows('karpenter.sh/capacity-type', c);
  const capacityTypes: CapacityType[] = (['spot', 'on-demand'] as const).filter(allowed);
  const claimZones = (claim.zone ? [claim.zone] : claim.zones ?? zones).filter((z) => zones.includes(z) && claim.requirements.allows(ZONE, z));
  const ranked = truncatedTypes(claim.candidates, capacityTypes, claimZones, price, available);
  for (const capacityType of capacityTypes) {
    let best: Offering | undefined;
    let ties: Offering[] = [];
    for (const type of ranked) {
      for (const zone of claimZones) {
        if (!available(type.info.name, zone, capacityType)) continue;
        const p = price(type.info.name, zone, capacityType);
        const offering = { type, zone, capacityType, price: p };
        if (!best || p < best.price - 1e-12) { best = offering; ties = [offering]; } else if (Math.abs(p - best.price) <= 1e-12) ties.push(offering);
      }
    }
    if (!best) continue;
    ties.sort((a, b) => a.type.info.name.localeCompare(b.type.info.name) || a.zone.localeCompare(b.zone));
    if (capacityType === 'on-demand' && random) {
      const sameType = ties.filter((t) => t.type === ties[0].type);
      return sameType[Math.floor(random() * sameType.length)];
    }
    return ties[0];
  }
  return undefined;
}

/**
 * The types a NodeClaim launches with: ordered by their cheapest available offering in the claim's zones and
 * capacity types, the 60 cheapest kept (InstanceTypes.OrderByPrice, Truncate).
 */
export function truncatedTypes(types: readonly KarpenterInstanceType[], capacityTypes: readonly CapacityType[], zones: readonly string[], price: (type: string, zone: string, capacityType: CapacityType) => number, available: (type: string, zone: string, capacityType: CapacityType) => boolean): KarpenterInstanceType[] {
  const cheapest = (type: KarpenterInstanceType) => {
    let min = Number.POSITIVE_INFINITY;
    for (const c of capacityTypes) for (const z of zones) if (available(type.info.name, z, c)) min = Math.min(min, price(type.info.name, z, c));
    return min;
  };
  return types.map((type) => ({ type, price: cheapest(type) })).filter((t) => Number.isFinite(t.price))
    .sort((a, b) => a.price - b.price || a.type.info.name.localeCompare(b.type.info.name)).slice(0, MAX_INSTANCE_TYPES).map((t) => t.type);
}

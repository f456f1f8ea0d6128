import { autoModeFeePerHour, eksSupportStatus, hasInstanceType, onDemandPrice, PRICES_DATE, regionPrices, spotPrice } from '../catalog';
import type { PriceBook } from './price-book';

/** The cost model's view of the catalog's prices for one region; a GovCloud or China region is a clear error. */
export function priceBook(region: string): PriceBook {
  const prices = regionPrices(region);
  return {
    region,
    ...prices,
    instancePriceSource: (type: string, capacityType: 'on-demand' | 'spot') => {
      if (!hasInstanceType(type)) return `not in the catalog: ${type}`;
      return capacityType === 'spot' ? spotPrice(type, region).source : onDemandPrice(type, region).source;
    },
    autoModeFeePerHour: (type: string) => autoModeFeePerHour(type, region),
    supportStatus: (version: string, date: string) => eksSupportStatus(version, date),
    referenceDate: PRICES_DATE,
  };
}

import { autoModeFeePerHour, eksSupportStatus, PRICES_DATE, regionPrices } from '../catalog';
import type { PriceBook } from './price-book';

/** The cost model's view of the catalog's prices for one region. */
export function priceBook(region: string): PriceBook {
  const prices = regionPrices(region);
  return {
    region,
    ...prices,
    autoModeFeePerHour: (type: string) => autoModeFeePerHour(type, region),
    supportStatus: (version: string, date: string) => eksSupportStatus(version, date),
    referenceDate: PRICES_DATE,
  };
}

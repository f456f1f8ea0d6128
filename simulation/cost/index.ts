export { computeCost, backendWorkloads, HOURS_PER_MONTH } from './compute';
export type { CostInputs, WorkloadRequests } from './compute';
export type { PriceBook, UnitPrice } from './price-book';
export { priceBook } from './catalog-prices';
export { DEFAULT_TRAFFIC, trafficAssumptions, type TrafficAssumptions } from './traffic';

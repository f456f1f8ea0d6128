export * from './instance-types';
export * from './node-overhead';
export * from './eks-versions';
export * from './prices';
export * from './addon-versions';
export * from './max-pods';
export * from './regions';
export { ec2OnDemandPrice, ec2SpotPrice, registerRefreshedPrices, clearRefreshedPrices, refreshedPrices, SPOT_MODEL_SOURCE, type PricedValue, type RefreshedPrices } from './ec2-prices';
export { STATIC_PRICE_LIST } from './instance-data';

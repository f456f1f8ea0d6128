export * from './core-addons';
export * from './load-balancer-controller';
export * from './metrics-server';

export * from './instance-types';
export * from './node-overhead';
export * from './eks-versions';
export * from './prices';
export * from './addon-versions';
export * from './max-pods';

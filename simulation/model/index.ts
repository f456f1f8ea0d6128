export * from './errors';
export * from './quantity';
export * from './duration';
export * from './kubernetes';
export * from './cluster';
export * from './result';
export * from './cidr';

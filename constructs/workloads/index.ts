export * from './options';
export * from './web-service';
export * from './worker';
export * from './stateful-service';

export * from './options';
export * from './web-service';
export * from './worker';
export * from './stateful-service';
export * from './app-namespace';
export * from './network-policy';

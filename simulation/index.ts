// The simulation's public API (ARCHITECTURE.md "Public API of the simulation"). Stable names.
export { loadAssembly, loadManifests, loadInput, modelFromManifests } from './assembly';
export { instanceTypes, instanceType, hasInstanceType, spotUsdPerHour, REGIONS, CATALOG_SOURCE } from './catalog';
export type { InstanceTypeInfo } from './catalog';
export { maxPods, eniMaxPods } from './network';
export * as scheduler from './scheduler';
export { Scheduler, NodeInfo, podRequests } from './scheduler';
export { hpaDesiredReplicas } from './autoscaling/hpa';
export { simulate, loadScenario, parseScenario, defaultScenarioPath } from './engine';
export type { Scenario } from './engine';
export { placeStatic } from './engine/static';
export { applyCost, computeCost, priceBook } from './cost';
export { checkAssembly, checkPlan } from './checks';
export { render, REPORT_FORMATS } from './report';
export type { ReportFormat } from './report';
export * from './model';

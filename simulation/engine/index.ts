export { simulate, evaluateThresholds, type SimulateOptions } from './simulate';
export { loadScenario, parseScenario, defaultScenarioPath, rpsAt, type Scenario, type LoadProfile, type WorkloadLoad, type Fault, type Thresholds } from './scenario';
export { placeStatic, type StaticPlacement, type StaticOptions } from './static';
export { workloadsOf, admissionOf, podForWorkload, type WorkloadSpec, type Admission } from './workloads';
export { ClusterState } from './cluster-state';

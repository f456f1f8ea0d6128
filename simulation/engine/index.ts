export { simulate, type SimulateOptions } from './simulate';
export { parseScenario, rpsAt, type ScenarioSources, type Scenario, type LoadProfile, type WorkloadLoad, type Fault, type Thresholds } from './scenario';
export { placeStatic, type StaticPlacement, type StaticOptions } from './static';
export { workloadsOf, admissionOf, podForWorkload, type WorkloadSpec, type Admission } from './workloads';
export { ClusterState } from './cluster-state';
export { validateModel } from './validate-model';
export { withChartLoadBalancers, runningAddons, systemWorkloads } from './system-workloads';
export { HELM_CHARTS, chartEntry, chartWorkloads, chartLoadBalancers, serviceLoadBalancer, type ChartEntry } from './helm-charts';
export { deployedControllers, scalableNodeGroups, type DeployedControllers } from './controllers';

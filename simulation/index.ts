// The simulation's public API (ARCHITECTURE.md "Public API of the simulation"). Stable names. Every caller
// outside simulation/ (the CLI, the CDK plugin, the bench, library users) imports from here only.
export { loadAssembly, loadManifests, loadInput, modelFromManifests, parseClusterShape, readClusterShape, withClusterShape, withRenderedManifests } from './assembly';
export type { ClusterShape } from './assembly';
// Safe readers of an assembly's files (never outside the input directory), for `eksplan validate`.
export { listStacks } from './assembly/cloud-assembly';
export { readJson, realPathInside } from './assembly/files';
export { instanceTypes, instanceType, hasInstanceType, spotUsdPerHour, REGIONS, CATALOG_SOURCE, DEFAULT_REGION, buildNode } from './catalog';
export type { InstanceTypeInfo } from './catalog';
export { maxPods, eniMaxPods } from './network';
export * as scheduler from './scheduler';
export { Scheduler, NodeInfo, ClusterSnapshot, podRequests } from './scheduler';
export { hpaDesiredReplicas } from './autoscaling/hpa';
export * as autoscaling from './autoscaling';
export { simulate, parseScenario, deriveScenario, scenarioFits, deployedControllers, HELM_CHARTS } from './engine';
export { defaultScenarioPath } from './assembly/scenario-file';
export type { SimulateOptions } from './engine';
export { plan, check, loadScenario, verdictOf, thresholdMeasures, workloadRequestsOf } from './pipeline';
export type { PlanOptions, ThresholdMeasure } from './pipeline';
export { computeCost, priceBook, trafficAssumptions, DEFAULT_TRAFFIC } from './cost';
export type { TrafficAssumptions } from './cost';
export { checkAssembly, checkPlan, checkKubernetesSchemas } from './checks';
export { compareVariants, parseVariant } from './compare';
export type { CompareOptions } from './compare';
export { planSeeds, planSeedsSync, nearestRank, MAX_SEEDS, DEFAULT_SEED_QUANTILE } from './seeds';
export type { SeedsOptions } from './seeds';
export { render, reportFormats, reportExtension, reportFormatHelp, isReportFormat, textTable, explainFailures } from './report';
export type { ReportFormat, ReportRenderer, RenderOptions, FailureReport, ThresholdFailure, Culprit } from './report';
export * from './model';
export { typedObjects, withObjects } from './model/typed-objects';
export { diffPlans } from './report/diff-plans';
export type { PlanDiff, Change, CostChange, ThresholdChange } from './report/diff-plans';
export { renderPlanDiff, DIFF_FORMATS } from './report/diff-render';
export type { DiffFormat } from './report/diff-render';

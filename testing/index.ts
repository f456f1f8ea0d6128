// eksplan/testing: plan a CDK Stack or App in-process from a unit test, and the jest matchers built on it
// (register them with `import 'eksplan/testing/jest'` in a setup file, README "Testing your platform").
export { planStack, planOf, modelOf, setPlanDefaults, isPlanResult, releaseAssemblies } from './plan';
export type { PlanStackOptions, PlanSubject, ScenarioDocument, ScenarioInput } from './plan';
export { eksplanMatchers, unscheduledPods, toScheduleAllPods, toPassScenario, toCostAtMostPerMonth, toHaveNoFindings, toKeepFreeSubnetIpsAbove } from './matchers';
export type { FindingsOptions, MatcherResult, MatcherState } from './matchers';

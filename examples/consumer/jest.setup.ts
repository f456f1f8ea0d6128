// One import registers eksplan's matchers (toScheduleAllPods, toPassScenario, ...) and their types.
import 'eksplan/testing/jest';

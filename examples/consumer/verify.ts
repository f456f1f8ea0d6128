// The simulation's public API on the synthesized assembly: plan it under the team's load, print the report.
import { loadAssembly, loadScenario, plan, render } from 'eksplan/simulation';

const result = plan(loadAssembly(process.argv[2] ?? 'cdk.out'), loadScenario('load.yaml'));
process.stdout.write(render(result, 'text'));
process.exitCode = result.verdict.passed ? 0 : 1;

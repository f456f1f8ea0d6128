#!/usr/bin/env node
// The CDK app that cdk.json runs: the reference platform, or a user's spec (-c eksplan:spec=./my-spec.ts).
// With -c eksplan:scenario=default (or a path) the eksplan gate simulates the synthesized assembly and fails
// synth when a threshold or a check fails. With -c eksplan:nag=true, cdk-nag's AwsSolutionsChecks run too.
import * as path from 'path';
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { EksPlatformStack } from '../lib/eks-platform-stack';
import type { PlatformSpec } from '../lib/platform-spec';
import { referencePlatform } from '../lib/reference';

export function buildApp(app: App = new App()): App {
  const specPath = app.node.tryGetContext('eksplan:spec') as string | undefined;
  const spec = specPath ? loadSpec(specPath) : referencePlatform;
  const account = app.node.tryGetContext('eksplan:account') as string | undefined;
  const region = app.node.tryGetContext('eksplan:region') as string | undefined;
  new EksPlatformStack(app, stackName(spec.name), { spec: { ...spec, ...(account ? { account } : {}), ...(region ? { region, availabilityZones: undefined } : {}) } });
  if (app.node.tryGetContext('eksplan:nag') === true || app.node.tryGetContext('eksplan:nag') === 'true') {
    // cdk-nag's AWS Solutions rules as error annotations: synth fails on any finding not accepted with a reason.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
    Aspects.of(app).add(new AwsSolutionsChecks());
  }
  const scenario = app.node.tryGetContext('eksplan:scenario') as string | undefined;
  if (scenario) {
    // Loaded only for the gate, so a plain synth does not load the simulation.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EksplanValidationPlugin } = require('../lib/validation-plugin') as typeof import('../lib/validation-plugin');
    Validations.of(app).addPlugins(new EksplanValidationPlugin({ scenario }));
  }
  return app;
}

function stackName(name: string): string {
  return `${name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Platform`;
}

function loadSpec(specPath: string): PlatformSpec {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.resolve(specPath)) as { spec?: PlatformSpec; default?: PlatformSpec };
  const spec = module.spec ?? module.default;
  if (!spec) throw new Error(`${specPath}: export the platform as \`export const spec: PlatformSpec = {...}\``);
  return spec;
}

if (require.main === module) {
  buildApp().synth();
}

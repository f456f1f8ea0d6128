#!/usr/bin/env node
// The CDK app that cdk.json runs: the reference platform, or a user's spec (-c eksplan:spec=./my-spec.ts, .json or .yaml).
// With -c eksplan:scenario=default (or a path) the eksplan gate simulates the synthesized assembly and fails
// synth when a threshold or a check fails. With -c eksplan:nag=true, cdk-nag's AwsSolutionsChecks run too.
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { EksPlatformStack } from '../lib/eks-platform-stack';
import { referencePlatform } from '../lib/reference';
import { loadPlatformSpec } from '../lib/spec-load';
import { platformStackName } from '../lib/spec-resolve';

export function buildApp(app: App = new App()): App {
  const specPath = app.node.tryGetContext('eksplan:spec') as string | undefined;
  // A .ts/.js module, or a .json/.yaml file: validated either way (unknown keys, types, references), naming the file and path.
  const spec = specPath ? loadPlatformSpec(specPath) : referencePlatform;
  const account = app.node.tryGetContext('eksplan:account') as string | undefined;
  const region = app.node.tryGetContext('eksplan:region') as string | undefined;
  new EksPlatformStack(app, platformStackName(spec.name), { spec: { ...spec, ...(account ? { account } : {}), ...(region ? { region, availabilityZones: undefined } : {}) } });
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

if (require.main === module) {
  buildApp().synth();
}

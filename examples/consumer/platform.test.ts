// The shop's platform tests: template assertions and capacity and cost assertions side by side, in-process,
// without a cdk.out (eksplan/testing plans the synthesized stack; jest.setup.ts registers the matchers).
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { setPlanDefaults } from 'eksplan/testing';
import { shopPlatform } from './app';

const stack = shopPlatform(new App());
setPlanDefaults({ scenario: 'load.yaml' });

test('the Kubernetes API stays private', () => {
  Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', {
    ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
  });
});

test('a day of the shop\'s load fits, within budget, with subnet addresses to spare', () => {
  expect(stack).toScheduleAllPods();
  expect(stack).toPassScenario();
  expect(stack).toCostAtMostPerMonth(2500);
  expect(stack).toHaveNoFindings({ severity: 'error' });
  expect(stack).toKeepFreeSubnetIpsAbove(20);
});

test('a budget the platform cannot meet fails', () => {
  expect(stack).not.toCostAtMostPerMonth(50);
});

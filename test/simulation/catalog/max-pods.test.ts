import { evaluateMaxPodsExpression, instanceType, karpenterEniLimitedPods, karpenterPods, maxPods, nodeadmMaxPods, nodeadmMaxPodsDetail } from '../../../simulation/catalog';
import { maxPodsExpressionFromUserData } from '../../../simulation/assembly/user-data';

const INT32_MAX = 2 ** 31 - 1;
const vars = (v: Partial<Record<'default_enis' | 'ips_per_eni' | 'max_pods' | 'vcpus' | 'memory_mib', number>>) =>
  ({ default_enis: 0, ips_per_eni: 0, max_pods: 0, vcpus: 0, memory_mib: 0, ...v });

// Ported from awslabs/amazon-eks-ami nodeadm/internal/kubelet/eni_max_pods_test.go TestEvaluateCustomMaxPodsExpression.
describe('nodeadm maxPodsExpression (CEL)', () => {
  it.each([
    ['basic integer inputs should return as themselves', '417', vars({}), 417],
    ['standard equation should always work, mocks a t3.medium', '(default_enis * (ips_per_eni - 1)) + 2', vars({ default_enis: 3, ips_per_eni: 6 }), 17],
    ['emulate unbounded prefix delegation on a t3.medium', '(default_enis * ((ips_per_eni - 1) * 16)) + 2', vars({ default_enis: 3, ips_per_eni: 6 }), 242],
    ['emulate arbitrarily bounded prefix delegation on a t3.medium', '((default_enis * ((ips_per_eni * 16) - 1)) + 2) < 30 ? ((default_enis * ((ips_per_eni * 16) - 1)) + 2) : 30', vars({ default_enis: 3, ips_per_eni: 6 }), 30],
    ['emulate custom networking on a t3.medium', '((default_enis - 1) * (ips_per_eni - 1)) + 2', vars({ default_enis: 3, ips_per_eni: 6 }), 12],
    ['ternary operator should work for setting limits', 'max_pods < 30 ? max_pods : 30', vars({ max_pods: 35 }), 30],
    ['max_pods should return standard max pods value', 'max_pods', vars({ max_pods: 7 }), 7],
    ['max_pods can be offset', 'max_pods + 2', vars({ default_enis: 999, ips_per_eni: 9999, max_pods: 7 }), 9],
    ['regression: a 3-var-only expression evaluates identically with the new vars registered', 'max_pods < 110 ? max_pods : 110', vars({ max_pods: 58 }), 58],
    ['new: vcpus is usable', '(vcpus * 10) < max_pods ? (vcpus * 10) : max_pods', vars({ vcpus: 2, max_pods: 58 }), 20],
    ['new: memory_mib is usable', '(memory_mib / 1024) > 32 ? 110 : max_pods', vars({ memory_mib: 65536, max_pods: 58 }), 110],
    ['new: memory_mib comparison falls through when it doesn\'t match', '(memory_mib / 1024) > 32 ? 110 : max_pods', vars({ memory_mib: 8192, max_pods: 58 }), 58],
  ])('eni_max_pods_test.go: %s', (_name, expression, variables, expected) => {
    expect(evaluateMaxPodsExpression(expression, variables)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['false variable references should error', 'default_enis + fake_variable', vars({}), 'failed to compile custom max pods expression'],
    ['expression does not allow overflow', 'default_enis * 2', vars({ default_enis: INT32_MAX }), `value must be a positive integer less than ${INT32_MAX}`],
    ['expression cannot evaluate as a zero value, reflexivity of standard equation', 'max_pods - ((default_enis * (ips_per_eni - 1)) + 2)', vars({ default_enis: 3, ips_per_eni: 6, max_pods: 17 }),
      `max pods value 0 from custom expression evaluation is invalid: value must be a positive integer less than ${INT32_MAX}`],
    ['expression cannot evaluate as negative', 'max_pods - 2', vars({ max_pods: 1 }), `max pods value -1 from custom expression evaluation is invalid: value must be a positive integer less than ${INT32_MAX}`],
    ['cannot evaluate a boolean as the max pods value', 'true', vars({}), 'could not interpret result "true" from evaluation of custom max pods expression as an integer: type conversion error from \'bool\' to \'int\''],
  ])('eni_max_pods_test.go: %s', (_name, expression, variables, message) => {
    const result = evaluateMaxPodsExpression(expression, variables);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
  });

  // CEL semantics beyond nodeadm's own table (cel-go: no implicit int/double conversion, truncating division, int64 overflow).
  it.each([
    ['int * double does not compile', 'max_pods * 1.5', vars({ max_pods: 29 }), undefined],
    ['explicit conversions do', 'int(double(max_pods) * 1.5)', vars({ max_pods: 29 }), 43],
    ['integer division truncates toward zero', '(max_pods * 10) / 3', vars({ max_pods: 29 }), 96],
    ['modulus', 'max_pods % 10 + 1', vars({ max_pods: 29 }), 10],
    ['division by zero is an evaluation error', 'max_pods / (default_enis - 3)', vars({ max_pods: 29, default_enis: 3 }), undefined],
    ['int64 overflow is an error, not a wrap-around', '9223372036854775807 + max_pods', vars({ max_pods: 1 }), undefined],
    ['&& and || with comparisons', 'vcpus >= 4 && memory_mib >= 16384 || max_pods > 100 ? 110 : max_pods', vars({ vcpus: 4, memory_mib: 16384, max_pods: 58 }), 110],
    ['a non-bool condition does not compile', 'max_pods ? 1 : 2', vars({ max_pods: 29 }), undefined],
    ['unary minus and !', '!(max_pods < 10) ? -(-max_pods) : 1', vars({ max_pods: 29 }), 29],
    ['a syntax error', 'max_pods +', vars({ max_pods: 29 }), undefined],
    ['min() is not in nodeadm\'s environment (Karpenter\'s only)', 'min(max_pods, 20)', vars({ max_pods: 29 }), undefined],
  ])('%s', (_name, expression, variables, expected) => {
    const result = evaluateMaxPodsExpression(expression, variables);
    expect(result.ok ? result.value : undefined).toBe(expected);
  });

  // eni_max_pods_test.go TestCalcMaxPods: an invalid expression falls back to the standard value.
  it('falls back to the standard max pods when the expression fails, and says why', () => {
    expect(nodeadmMaxPods('t3.medium')).toBe(17);
    expect(nodeadmMaxPods('t3.medium', { maxPodsExpression: '(default_enis * (ips_per_eni - 1)) + 3' })).toBe(18);
    const invalid = nodeadmMaxPodsDetail('t3.medium', { maxPodsExpression: '99 - fake_variable' });
    expect(invalid.maxPods).toBe(17);
    expect(invalid.expressionError).toMatch(/undeclared reference to 'fake_variable'/);
    expect(nodeadmMaxPods('m5.large', { maxPodsExpression: 'max_pods < 20 ? max_pods : 20' })).toBe(20);
    // vcpus and memory_mib come from the catalog: m5.4xlarge has 16 vCPU, 65536 MiB.
    expect(nodeadmMaxPods('m5.4xlarge', { maxPodsExpression: 'vcpus * 10' })).toBe(160);
    expect(nodeadmMaxPods('m5.4xlarge', { maxPodsExpression: 'memory_mib / 1024' })).toBe(64);
  });

  it('keeps the boolean custom-networking form its callers use', () => {
    expect(nodeadmMaxPods('m5.large', true)).toBe(2 * 9 + 2);
    expect(nodeadmMaxPods('m5.large', false)).toBe(29);
  });
});

// aws/karpenter-provider-aws pkg/providers/instancetype/types.go ENILimitedPods and pods.
describe('Karpenter pods capacity', () => {
  it.each([
    ['m5.large, defaults', 'm5.large', 0, 0, 29],
    ['m5.large, --reserved-enis 1 (custom networking)', 'm5.large', 1, 0, 20],
    ['p5.48xlarge: only card 0 counts (2 ENIs), not 64', 'p5.48xlarge', 0, 0, 100],
    ['p5.48xlarge with one EFA-only interface on card 0', 'p5.48xlarge', 0, 1, 51],
    ['no usable ENI left gives 0 pods, not 2', 'p5.48xlarge', 1, 1, 0],
    ['more reserved than available floors at 0', 't3.micro', 5, 0, 0],
  ])('ENILimitedPods: %s', (_name, type, reserved, efa, expected) => {
    expect(karpenterEniLimitedPods(type, reserved, efa)).toBe(expected);
  });

  it('kubelet maxPods wins, podsPerCore caps (not on Bottlerocket), Windows has 110', () => {
    expect(karpenterPods('m5.xlarge', { maxPods: 20 })).toBe(20);
    expect(karpenterPods('m5.xlarge', { podsPerCore: 5 })).toBe(20);
    expect(karpenterPods('m5.xlarge', { podsPerCore: 5, amiFamily: 'Bottlerocket' })).toBe(58);
    expect(karpenterPods('m5.xlarge', { amiFamily: 'Windows2022' })).toBe(110);
  });
});

// awslabs/amazon-eks-ami max-pods-calculator.sh, with the AWS max-pods table values for the examples.
describe('max-pods-calculator', () => {
  it.each([
    ['m5.large, secondary IPs', 'm5.large', {}, 29],
    ['m5.large, prefix delegation (434 capped at 110: ≤ 30 vCPU)', 'm5.large', { prefixDelegation: true }, 110],
    ['m5.24xlarge, prefix delegation (capped at 250: > 30 vCPU)', 'm5.24xlarge', { prefixDelegation: true }, 250],
    ['m5.large, prefix delegation uncapped (--show-max-allowed)', 'm5.large', { prefixDelegation: true, cap: false }, 434],
    ['m5.large, custom networking', 'm5.large', { customNetworking: true }, 20],
    ['m5.large, --cni-max-eni 2', 'm5.large', { maxEnis: 2 }, 20],
    ['bare metal has no hypervisor: no prefix delegation', 'm5.metal', { prefixDelegation: true, cap: false }, 737],
    ['Xen types get no prefix delegation', 'm4.large', { prefixDelegation: true, cap: false }, 20],
    ['m8g.large', 'm8g.large', {}, 29],
  ])('%s', (_name, type, options, expected) => {
    expect(maxPods(type, options)).toBe(expected);
    expect(instanceType(type).name).toBe(type);
  });
});

describe('maxPodsExpression in launch-template user data', () => {
  const userData = [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="//"',
    '',
    '--//',
    'Content-Type: application/node.eks.aws',
    '',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  kubelet:',
    '    maxPodsExpression: "max_pods < 50 ? max_pods : 50"',
    '--//--',
  ].join('\n');

  it('is read from the nodeadm NodeConfig part (plain or base64) and decides the node group\'s max pods', () => {
    expect(maxPodsExpressionFromUserData(userData)).toBe('max_pods < 50 ? max_pods : 50');
    expect(maxPodsExpressionFromUserData(Buffer.from(userData).toString('base64'))).toBe('max_pods < 50 ? max_pods : 50');
    expect(maxPodsExpressionFromUserData('#!/bin/bash\n/etc/eks/bootstrap.sh c --max-pods 20')).toBeUndefined();
    expect(nodeadmMaxPods('m5.xlarge', { maxPodsExpression: maxPodsExpressionFromUserData(userData) })).toBe(50);
    expect(nodeadmMaxPods('m5.large', { maxPodsExpression: maxPodsExpressionFromUserData(userData) })).toBe(29);
  });
});

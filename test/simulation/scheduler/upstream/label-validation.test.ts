import { labelSelectorError, labelValueErrors, qualifiedNameErrors } from '../../../../simulation/model/label-validation';

// k8s.io/apimachinery pkg/util/validation/validation_test.go (TestIsQualifiedName, TestIsValidLabelValue) and
// pkg/labels/selector_test.go (TestRequirementConstructor), as LabelSelectorAsSelector applies them.

describe('validation_test.go TestIsQualifiedName', () => {
  it.each(['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes',
    'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo', 'a'.repeat(63), `${'a'.repeat(253)}/${'b'.repeat(63)}`])('good: %s', (value) => {
    expect(qualifiedNameErrors(value)).toEqual([]);
  });
  it.each(['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc', 'example.com/', '/simple',
    'a'.repeat(64), `${'a'.repeat(254)}/abc`])('bad: %s', (value) => {
    expect(qualifiedNameErrors(value).length).toBeGreaterThan(0);
  });
});

describe('validation_test.go TestIsValidLabelValue', () => {
  it.each(['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), ''])('good: %s', (value) => {
    expect(labelValueErrors(value)).toEqual([]);
  });
  it.each(['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a'.repeat(64)])('bad: %s', (value) => {
    expect(labelValueErrors(value).length).toBeGreaterThan(0);
  });
});

describe('LabelSelectorAsSelector / NewRequirement errors, with the field and message users see', () => {
  it.each<[string, Parameters<typeof labelSelectorError>[0], string | undefined]>([
    ['an absent selector (labels.Nothing) is valid', undefined, undefined],
    ['an empty selector (labels.Everything) is valid', {}, undefined],
    ['In with no values', { matchExpressions: [{ key: 'x', operator: 'In', values: [] }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    ['Exists with values', { matchExpressions: [{ key: 'x', operator: 'Exists', values: ['a'] }] }, 'values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist'],
    ['a bad key', { matchLabels: { 'x/y/z': 'a' } }, 'key: Invalid value: "x/y/z": a qualified name must consist of'],
    ['an unknown operator', { matchExpressions: [{ key: 'x', operator: 'Gt' as 'In', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
  ])('%s', (_name, selector, want) => {
    const got = labelSelectorError(selector);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(want);
  });
});

import type { LabelSelector } from './kubernetes';

// Label and selector syntax as the API server and the scheduler check it: k8s.io/apimachinery
// pkg/util/validation/validation.go (IsQualifiedName, IsValidLabelValue, IsDNS1123Subdomain),
// pkg/labels/selector.go (NewRequirement) and pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector).
// The messages are the ones users see in events and status, so they follow apimachinery's wording.

const LABEL_VALUE_MAX_LENGTH = 63;
const QUALIFIED_NAME_MAX_LENGTH = 63;
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const QUALIFIED_NAME_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FORMAT}$`);
const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FORMAT}$`);
const DNS1123_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FORMAT}$`);

const QUALIFIED_NAME_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** validation.go RegexError: the rule, examples, and the regular expression. */
function regexError(message: string, format: string, ...examples: string[]): string {
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

const maxLength = (n: number) => `must be no more than ${n} characters`;

/** IsDNS1123Subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errors.push(maxLength(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FORMAT, 'example.com'));
  }
  return errors;
}

/** IsQualifiedName (a label key): an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function qualifiedNameErrors(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else for (const message of dns1123SubdomainErrors(prefix)) errors.push(`prefix part ${message}`);
  } else {
    return [`a qualified name ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH) errors.push(`name part ${maxLength(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!QUALIFIED_NAME.test(name)) errors.push(`name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}`);
  return errors;
}

/** IsValidLabelValue: empty, or at most 63 alphanumerics, '-', '_', '.', starting and ending alphanumeric. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errors.push(maxLength(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE.test(value)) {
    errors.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FORMAT, 'MyValue', 'my_value', '12345'));
  }
  return errors;
}

/** How field.Invalid prints a value: strings quoted, string lists as Go's %#v would. */
function shown(value: string | readonly string[] | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '[]string(nil)';
  return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
}

const invalid = (field: string, value: string | readonly string[] | undefined, detail: string) => `${field}: Invalid value: ${shown(value)}: ${detail}`;

/** utilerrors.NewAggregate(...).Error(): one message alone, several in brackets. */
export function aggregate(messages: readonly string[]): string | undefined {
  if (messages.length === 0) return undefined;
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/**
 * selector.go NewRequirement for the operators a metav1.LabelSelector can use: a valid key, values as the
 * operator needs them (In/NotIn at least one, Exists/DoesNotExist none), each value a valid label value.
 * Returns the field errors (`key`, `values`, `values[i][key]`), empty when the requirement is valid.
 */
export function requirementErrors(key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals', values: readonly string[] | undefined): string[] {
  const errors: string[] = [];
  const keyErrors = qualifiedNameErrors(key);
  if (keyErrors.length > 0) errors.push(invalid('key', key, keyErrors.join('; ')));
  const count = values?.length ?? 0;
  if ((operator === 'In' || operator === 'NotIn') && count === 0) errors.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
  if (operator === 'Equals' && count !== 1) errors.push(invalid('values', values, 'exact-match compatibility requires one single value'));
  if ((operator === 'Exists' || operator === 'DoesNotExist') && count !== 0) errors.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
  for (const [i, value] of (values ?? []).entries()) {
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length > 0) errors.push(invalid(`values[${i}][${key}]`, value, valueErrors.join('; ')));
  }
  return errors;
}

/**
 * helpers.go LabelSelectorAsSelector: the first invalid requirement's error (matchLabels as Equals requirements,
 * in key order, then matchExpressions in order), or undefined when the selector parses. An absent selector
 * (labels.Nothing) and an empty one (labels.Everything) are valid.
 */
export function labelSelectorError(selector: LabelSelector | undefined): string | undefined {
  if (!selector) return undefined;
  for (const key of Object.keys(selector.matchLabels ?? {}).sort()) {
    const error = aggregate(requirementErrors(key, 'Equals', [(selector.matchLabels ?? {})[key]]));
    if (error) return error;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const operator = expression.operator as string;
    if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist') {
      return `${JSON.stringify(operator)} is not a valid label selector operator`;
    }
    const error = aggregate(requirementErrors(expression.key, operator, expression.values));
    if (error) return error;
  }
  return undefined;
}

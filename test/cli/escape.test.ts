import { checkTemplateAgainstSpec } from '../../lib/service-spec-check';
import { checkKind, checkObjectName } from '../../simulation/assembly/kinds';
import type { CheckResult } from '../../simulation/model/result';
import { render } from '../../simulation/report';
import { escapeHtml, escapeXmlText, markdownCode, markdownText, stripControls, terminalText } from '../../simulation/report/escape';

// Every output format escapes what comes from the input; the reader refuses names the API server refuses;
// names that are Object.prototype members are data, never lookups into the prototype.

const HOSTILE = 'web`<img src=x onerror=alert(1)>`\u001b[2J\u001b]0;title\u0007\u202e|*_[x](javascript:alert(1))';

function hostileCheck(): CheckResult {
  return {
    kind: 'check', origin: `cdk.out/${HOSTILE}`, passed: false,
    findings: [{ severity: 'error', code: 'max-pods', object: `Deployment app/${HOSTILE}`, message: `pods of ${HOSTILE} do not fit`, fix: `rename ${HOSTILE}` }],
  } as unknown as CheckResult;
}

describe('escaping', () => {
  it.each([
    ['ESC (ANSI CSI)', '\u001b[31m', '?[31m'],
    ['BEL', 'a\u0007b', 'a?b'],
    ['C1 CSI', 'a\u009bb', 'a?b'],
    ['bidi override (Trojan Source)', 'a\u202eb', 'a?b'],
    ['tab and newline kept', 'a\tb\nc', 'a\tb\nc'],
  ])('stripControls: %s', (_name, input, expected) => {
    expect(stripControls(input)).toBe(expected);
  });

  it('terminalText is one line', () => {
    expect(terminalText('a\nb\tc\u001b')).toBe('a b c?');
  });

  it.each([
    ['HTML', '<img src=x>', '&lt;img src=x&gt;'],
    ['an ampersand', 'a&b', 'a&amp;b'],
    ['a backtick', 'a`b', 'a\\`b'],
    ['a table pipe', 'a|b', 'a\\|b'],
    ['emphasis and links', '*a* _b_ [c](d)', '\\*a\\* \\_b\\_ \\[c\\](d)'],
  ])('markdownText escapes %s', (_name, input, expected) => {
    expect(markdownText(input)).toBe(expected);
  });

  it.each([
    ['plain', 'web', '`web`'],
    ['one backtick', 'a`b', '`` a`b ``'],
    ['two backticks', 'a``b`', '``` a``b` ```'],
    ['a pipe (GitHub splits cells first)', 'a|b', '`a\\|b`'],
    ['a newline', 'a\nb', '`a b`'],
  ])('markdownCode fences %s', (_name, input, expected) => {
    expect(markdownCode(input)).toBe(expected);
  });

  it('escapeHtml and escapeXmlText leave no markup and no forbidden character', () => {
    expect(escapeHtml('<a href="x">\'&')).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect(escapeXmlText('<x a="1">\u0000\u001b\ud800&')).toBe('&lt;x a=&quot;1&quot;&gt;???&amp;');
  });

  it.each(['text', 'markdown', 'html', 'junit'])('the %s check report carries no control character and no raw HTML from a name', (format) => {
    const output = render(hostileCheck(), format);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    // In Markdown the path sits in a code span (shown literally, never interpreted); anywhere else no raw HTML.
    const outsideCode = format === 'markdown' ? output.split(markdownCode(hostileCheck().origin)).join('') : output;
    if (format !== 'text') expect(outsideCode).not.toContain('<img');
    if (format === 'markdown') {
      // Every backtick from the input is inside a longer fence or escaped: no code span is closed early.
      expect(output).toContain('`` cdk.out/web`<img src=x onerror=alert(1)>`');
      expect(output).toContain('Deployment app/web\\`&lt;img src=x onerror=alert(1)&gt;\\`');
    }
  });
});

describe('names are validated as the API server does', () => {
  it.each([
    ['v1', 'ConfigMap', 'web.api-1', undefined],
    ['v1', 'ConfigMap', 'a'.repeat(253), undefined],
    ['v1', 'Namespace', 'team-a', undefined],
    ['v1', 'Service', 'web', undefined],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:aggregate-to-edit', undefined],
    ['apps/v1', 'Deployment', '${Token[Ref:NameParam]}-web', undefined],
  ])('accepts %s %s %s', (apiVersion, kind, name, namespace) => {
    expect(() => checkObjectName(apiVersion, kind, { name, namespace }, 'in.yaml', 'document 1')).not.toThrow();
  });

  it.each([
    ['v1', 'ConfigMap', 'a'.repeat(254), /DNS-1123 subdomain/],
    ['v1', 'Namespace', 'team.a', /DNS-1123 label/],
    ['v1', 'Namespace', 'n'.repeat(64), /DNS-1123 label/],
    ['v1', 'Service', '1web', /DNS-1035 label/],
    ['rbac.authorization.k8s.io/v1', 'Role', 'a/b', /path segment/],
    ['rbac.authorization.k8s.io/v1', 'Role', '..', /path segment/],
    ['apps/v1', 'Deployment', '-web', /DNS-1123 subdomain/],
  ])('fails when given %s %s %s', (apiVersion, kind, name, message) => {
    expect(() => checkObjectName(apiVersion, kind, { name }, 'in.yaml', 'document 1')).toThrow(message);
  });
});

describe('Object.prototype member names are data', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('apiVersion and kind %s fail with a clear error', (name) => {
    expect(() => checkKind(name, 'ConfigMap', 'in.yaml', 'document 1')).toThrow(/is not a Kubernetes API version/);
    expect(() => checkKind('v1', name, 'in.yaml', 'document 1')).toThrow(/unknown kind|is not a Kubernetes kind/);
  });

  it.each(['constructor', 'toString', '__proto__', 'valueOf'])('a template property named %s is an unknown property, not a crash', (name) => {
    const template = JSON.parse(`{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16","${name}":1}}}}`) as unknown;
    expect(checkTemplateAgainstSpec(template)).toEqual([]);
  });
});

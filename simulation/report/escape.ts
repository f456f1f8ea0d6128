// One place for escaping what reaches a report from the input (object names, paths, messages that quote
// them): a terminal must not receive escape sequences, a pull-request comment must not receive raw HTML or a
// backtick that closes a code span, and HTML and JUnit XML must stay well-formed.

/**
 * C0 and C1 control characters other than tab and newline (ESC starts ANSI/OSC sequences that recolour,
 * retitle or rewrite a terminal) and the Unicode bidirectional overrides that reorder text on screen
 * ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text with every control character (not tab or newline) and bidi override shown as `?`. */
export function stripControls(text: string): string {
  return text.replace(CONTROL, '?');
}

/** One line for a terminal: controls shown as `?`, newlines and tabs as spaces. */
export function terminalText(text: string): string {
  return stripControls(text).replace(/[\t\n]/g, ' ');
}

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return stripControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Text for XML content and attributes (JUnit): the five entities, and no character XML 1.0 forbids
 * (C0 controls other than tab, newline and return; U+FFFE, U+FFFF; lone surrogates).
 */
export function escapeXmlText(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?')
    .replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Text for Markdown prose and table cells (GitHub-flavoured): HTML is shown, never interpreted (`<`, `>`, `&`
 * as entities), and the punctuation that opens a code span, emphasis or a link, or ends a table cell, is
 * backslash-escaped; a newline cannot end the line.
 */
export function markdownText(text: string): string {
  return terminalText(text)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/**
 * An inline code span holding `text` literally (CommonMark 6.1: a span opened by N backticks ends only at a
 * run of exactly N, so the fence is one longer than the longest run inside, padded with spaces). Inside a
 * span HTML is not interpreted; `|` is still escaped because GitHub splits table cells before code spans.
 */
export function markdownCode(text: string): string {
  const content = terminalText(text).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = longest > 0 || content.startsWith(' ') || content.endsWith(' ') ? ` ${content} ` : content;
  return `${fence}${padded}${fence}`;
}

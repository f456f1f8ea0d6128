/**
 * A user error: bad input (file, object, field) rather than a bug. The CLI prints the message on one line
 * without a stack and exits with status 2; anything else that escapes is a bug and exits with status 1.
 */
export class EksplanError extends Error {
  /** Where the bad input is, e.g. `cdk.out/Platform.template.json` or `Deployment default/web`. */
  public readonly input?: string;
  /** The field path inside the input, e.g. `spec.template.spec.containers[0].resources.requests.cpu`. */
  public readonly field?: string;

  constructor(message: string, options: { input?: string; field?: string; cause?: unknown } = {}) {
    super(formatMessage(message, options.input, options.field));
    this.name = 'EksplanError';
    this.input = options.input;
    this.field = options.field;
    if (options.cause !== undefined) {
      (this as { cause?: unknown }).cause = options.cause;
    }
  }
}

function formatMessage(message: string, input?: string, field?: string): string {
  const where = [input, field].filter((part): part is string => part !== undefined && part !== '').join(': ');
  return where === '' ? message : `${where}: ${message}`;
}

export function isEksplanError(error: unknown): error is EksplanError {
  return error instanceof EksplanError;
}

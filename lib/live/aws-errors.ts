import { EksplanError } from '../../simulation/model/errors';

/**
 * Turns an AWS SDK failure into a one-line EksplanError: missing credentials, access denied, throttling
 * (after the SDK's own retries with backoff), unknown resource. Anything else is rethrown as is.
 */
export function awsError(error: unknown, what: string): never {
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message) && /provider|load/i.test(message)) {
    throw new EksplanError(`no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run in an environment with a role) to ${what}`, { cause: error });
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation' || /not authorized|AccessDenied/i.test(message)) {
    throw new EksplanError(`access denied while trying to ${what}: ${firstLine(message)}`, { cause: error });
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'Throttling' || name === 'RequestLimitExceeded') {
    throw new EksplanError(`AWS throttled the requests to ${what} even after retries with backoff; try again later or lower the request rate`, { cause: error });
  }
  if (name === 'ResourceNotFoundException') {
    throw new EksplanError(`not found while trying to ${what}: ${firstLine(message)}`, { cause: error });
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId' || name === 'ExpiredTokenException') {
    throw new EksplanError(`the AWS credentials were rejected (${name}) while trying to ${what}`, { cause: error });
  }
  throw error;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** Follows `nextToken` pagination of a list call until the last page. */
export async function collectPages<T>(fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.nextToken;
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}

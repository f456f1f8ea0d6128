import { EksplanError } from '../../simulation/model/errors';

/**
 * Options every AWS client of eksplan gets: the SDK's standard retry mode (exponential backoff with jitter on
 * throttling and 5xx), a bounded number of attempts, and timeouts, so a silent endpoint fails with a clear error
 * instead of blocking a CI job forever (the SDK sets no request timeout by default).
 */
export const AWS_CLIENT_SETTINGS = {
  maxAttempts: 4,
  retryMode: 'standard',
  // Without throwOnRequestTimeout, @smithy/node-http-handler only logs a warning when requestTimeout passes
  // and the request keeps waiting: a silent endpoint would still block forever.
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
} as const;

/**
 * Turns an AWS SDK failure into a one-line EksplanError: missing credentials, access denied, throttling
 * (after the SDK's own retries with backoff), unknown resource, a rejected signature, a 5xx, a timeout.
 * The AWS message is redacted first: a signature-mismatch message carries the canonical request and the
 * string to sign (signed headers, the session token), which must never reach a CI log.
 * Anything that is not an AWS error (a bug) is rethrown.
 */
export function awsError(error: unknown, what: string): never {
  const name = (error as { name?: string })?.name ?? '';
  const message = redactAwsText((error as { message?: string })?.message ?? String(error));
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  // The cause is kept off the EksplanError: its message and stack hold the unredacted AWS text.
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message) && /provider|load/i.test(message)) {
    throw new EksplanError(`no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run in an environment with a role) to ${what}`);
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation' || /not authorized|AccessDenied/i.test(message)) {
    throw new EksplanError(`access denied while trying to ${what}: ${firstLine(message)}`);
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'Throttling' || name === 'RequestLimitExceeded') {
    throw new EksplanError(`AWS throttled the requests to ${what} even after retries with backoff; try again later or lower the request rate`);
  }
  if (name === 'ResourceNotFoundException') {
    throw new EksplanError(`not found while trying to ${what}: ${firstLine(message)}`);
  }
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredTokenException', 'ExpiredToken', 'AuthFailure', 'InvalidSignatureException',
    'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken'].includes(name)) {
    // Not even the redacted message: a rejected signature is about the credentials, and their text is theirs.
    throw new EksplanError(`the AWS credentials were rejected (${name}) while trying to ${what}; check the keys, the session token and the clock`);
  }
  if (name === 'TimeoutError' || /ETIMEDOUT|timed out/i.test(message) || name === 'RequestTimeout' || name === 'AbortError') {
    throw new EksplanError(`AWS did not answer in time while trying to ${what} (connection timeout ${AWS_CLIENT_SETTINGS.requestHandler.connectionTimeout / 1000} s, ` +
      `request timeout ${AWS_CLIENT_SETTINGS.requestHandler.requestTimeout / 1000} s, ${AWS_CLIENT_SETTINGS.maxAttempts} attempts); check the network or the endpoint`);
  }
  if ((status !== undefined && status >= 500) || (error as { $fault?: string })?.$fault === 'server') {
    throw new EksplanError(`AWS failed (HTTP ${status ?? '5xx'} ${name || 'server error'}) while trying to ${what}, even after retries; try again later`);
  }
  if (status !== undefined || (error as { $fault?: string })?.$fault === 'client' || /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET)$/.test((error as { code?: string })?.code ?? '')) {
    throw new EksplanError(`AWS refused the request to ${what} (${name || (error as { code?: string }).code || `HTTP ${status}`}): ${firstLine(message)}`);
  }
  throw error;
}

// Secret-bearing parts of AWS error text: the canonical request and string-to-sign a signature mismatch
// echoes back, signed headers, authorization values, access key ids and session tokens.
const SECRET_PATTERNS: readonly RegExp[] = [
  /The Canonical String for this request should have been[\s\S]*$/i,
  /The String-to-Sign should have been[\s\S]*$/i,
  /\bCanonical ?Request\b[\s\S]*$/i,
  /\bString-?to-?Sign\b[\s\S]*$/i,
  /\b(authorization|x-amz-security-token|x-amz-credential|x-amz-signature|signature|credential|signedheaders)\s*[:=]\s*\S+/gi,
  /\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g,
  /\b[A-Za-z0-9/+=]{40,}\b/g,
];

/**
 * AWS error text with secrets removed: the canonical request and everything after it, signed headers and
 * authorization values, anything that looks like an access key id or a long token, and the values of the
 * credential variables of this process's environment wherever they appear.
 */
export function redactAwsText(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[redacted]');
  return redactSecrets(out);
}

/** Environment variables whose values are credentials (AWS SDK credential chain and common CI names). */
const SECRET_ENV = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|AWS_WEB_IDENTITY_TOKEN|AWS_CONTAINER_AUTHORIZATION_TOKEN|.*(SECRET|TOKEN|PASSWORD).*)$/;

/** Text with the value of every credential variable of the environment replaced by `[redacted]`. */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < 8 || !SECRET_ENV.test(name)) continue;
    out = out.split(value).join('[redacted]');
  }
  return out;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].replace(/[^\x20-\x7e]/g, '?');
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
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

import { DescribeInstanceTypesCommand, DescribeSpotPriceHistoryCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeAddonVersionsCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../bin/eksplan';
import { AWS_CLIENT_SETTINGS, redactAwsText } from '../../lib/live/aws-errors';
import { describeLiveCluster, eksClient } from '../../lib/live/describe';
import { EksplanError } from '../../simulation/model/errors';

// A gate runs in CI with cloud credentials: no AWS error path may print them. Fake credentials and a session
// token are put in the environment, every AWS call fails in each way AWS fails, and neither they nor the
// canonical request a signature mismatch echoes back may appear in any output or file eksplan writes.

const FAKE = {
  AWS_ACCESS_KEY_ID: 'ASIAFAKEKEYID7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'fakeSecretKey/K7MDENG+bPxRfiCYEXAMPLEKEYzz',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEFAKESESSIONTOKEN//////////wEaDEXAMPLEtokenValue1234567890abcdef',
};
const SIGNATURE = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';
const CANONICAL = [
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  'The Canonical String for this request should have been',
  `'POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:eks.us-east-1.amazonaws.com\nx-amz-date:20261201T120000Z\nx-amz-security-token:${FAKE.AWS_SESSION_TOKEN}\n\ncontent-type;host;x-amz-date;x-amz-security-token\n${SIGNATURE}'`,
  'The String-to-Sign should have been',
  `'AWS4-HMAC-SHA256\n20261201T120000Z\n20261201/us-east-1/eks/aws4_request\n${SIGNATURE}'`,
].join('\n');

/** An AWS SDK service error as the SDK builds it (name, message, $fault, $metadata). */
function awsFailure(name: string, message: string, status: number, fault: 'client' | 'server'): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status, requestId: 'req-1', attempts: 1 } });
}

const FAILURES: readonly [string, () => Error, RegExp][] = [
  ['throttling', () => awsFailure('ThrottlingException', 'Rate exceeded', 400, 'client'), /throttled/],
  ['access denied', () => awsFailure('AccessDeniedException', `User: arn:aws:sts::111111111111:assumed-role/ci/session is not authorized to perform: eks:DescribeCluster (credential ${FAKE.AWS_ACCESS_KEY_ID}, X-Amz-Security-Token=${FAKE.AWS_SESSION_TOKEN})`, 403, 'client'), /access denied/],
  ['signature mismatch', () => awsFailure('SignatureDoesNotMatch', CANONICAL, 403, 'client'), /credentials were rejected \(SignatureDoesNotMatch\)/],
  ['invalid signature', () => awsFailure('InvalidSignatureException', CANONICAL, 403, 'client'), /credentials were rejected \(InvalidSignatureException\)/],
  ['expired token', () => awsFailure('ExpiredTokenException', `The security token included in the request is expired: ${FAKE.AWS_SESSION_TOKEN}`, 403, 'client'), /credentials were rejected/],
  ['an unknown client error quoting the request', () => awsFailure('ValidationException', `1 validation error; Authorization: AWS4-HMAC-SHA256 Credential=${FAKE.AWS_ACCESS_KEY_ID}/20261201/us-east-1/eks/aws4_request, Signature=${SIGNATURE}`, 400, 'client'), /AWS refused the request/],
  ['5xx', () => awsFailure('InternalFailure', `Internal failure for request with token ${FAKE.AWS_SESSION_TOKEN}`, 500, 'server'), /AWS failed \(HTTP 500 InternalFailure\)/],
  ['503', () => awsFailure('ServiceUnavailableException', 'Service unavailable', 503, 'server'), /AWS failed \(HTTP 503/],
  ['timeout', () => Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT' }), /did not answer in time/],
];

const SECRETS = [...Object.values(FAKE), SIGNATURE, 'Canonical String', 'String-to-Sign', 'x-amz-security-token'];

const eks = mockClient(EKSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const savedEnv = { ...process.env };
let tmp: string;

beforeAll(() => {
  Object.assign(process.env, FAKE, { AWS_REGION: 'us-east-1' });
});
afterAll(() => {
  for (const key of Object.keys(FAKE)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});
beforeEach(() => {
  eks.reset();
  ec2.reset();
  pricing.reset();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-secrets-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; output: string }> {
  const out: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
  try {
    return { code: await main(args), output: out.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** Every file eksplan wrote under the temporary directory, concatenated. */
function written(): string {
  return fs.readdirSync(tmp).map((f) => fs.readFileSync(path.join(tmp, f), 'utf8')).join('\n');
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

const COMMANDS: readonly [string, (error: Error) => string[]][] = [
  ['catalog refresh (EC2)', (error) => {
    ec2.on(DescribeInstanceTypesCommand).rejects(error);
    return ['catalog', 'refresh', '--region', 'us-east-1', '--out', path.join(tmp, 'catalog.json')];
  }],
  ['catalog refresh (Pricing)', (error) => {
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [] });
    pricing.on(GetProductsCommand).rejects(error);
    return ['catalog', 'refresh', '--region', 'us-east-1', '--out', path.join(tmp, 'catalog.json')];
  }],
  ['live', (error) => {
    eks.on(DescribeClusterCommand).rejects(error);
    return ['live', '--cluster', 'platform', '--assembly', path.join(__dirname, 'assembly')];
  }],
  ['addons pin', (error) => {
    eks.on(DescribeAddonVersionsCommand).rejects(error);
    return ['addons', 'pin', '--kubernetes-version', '1.34', '--file', path.join(tmp, 'pins.json')];
  }],
];

describe('AWS errors never print credentials, tokens or signed requests', () => {
  it.each(COMMANDS.flatMap(([command, arrange]) => FAILURES.map(([failure, error, message]) => [command, failure, arrange, error, message] as const)))(
    '%s on %s: exit 2, one line, no secret', async (_command, _failure, arrange, error, message) => {
      const result = await run(arrange(error()));
      expect(result.code).toBe(2);
      expect(result.output).toMatch(message);
      expect(result.output.trim().split('\n')).toHaveLength(1);
      expect(result.output).not.toMatch(/\n\s+at /);
      expectNoSecrets(result.output);
      expectNoSecrets(written());
    }, 30_000);

  it('catalog refresh writes a Spot price failure into the catalog file redacted', async () => {
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [] });
    pricing.on(GetProductsCommand).resolves({ PriceList: [] });
    ec2.on(DescribeSpotPriceHistoryCommand).rejects(awsFailure('SignatureDoesNotMatch', CANONICAL, 403, 'client'));
    const result = await run(['catalog', 'refresh', '--region', 'us-east-1', '--out', path.join(tmp, 'catalog.json')]);
    expect(result.code).toBe(0);
    expect(written()).toContain('"spotError"');
    expectNoSecrets(result.output);
    expectNoSecrets(written());
  });

  it('a bug (not an AWS error) is exit 3, and its message is redacted too', async () => {
    eks.on(DescribeClusterCommand).rejects(new TypeError(`cannot read properties of undefined (token ${FAKE.AWS_SESSION_TOKEN})`));
    const result = await run(['live', '--cluster', 'platform', '--assembly', path.join(__dirname, 'assembly')]);
    expect(result.code).toBe(3);
    expectNoSecrets(result.output);
  });

  it.each([
    ['a canonical request', CANONICAL],
    ['an authorization header', `Authorization: AWS4-HMAC-SHA256 Credential=${FAKE.AWS_ACCESS_KEY_ID}/x, SignedHeaders=host, Signature=${SIGNATURE}`],
    ['a session token in the environment', `token was ${FAKE.AWS_SESSION_TOKEN}.`],
    ['an access key id', 'the key AKIAIOSFODNN7EXAMPLE is not valid'],
  ])('redactAwsText removes %s', (_name, text) => {
    const redacted = redactAwsText(text);
    expectNoSecrets(redacted);
    expect(redacted).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(redacted).toContain('[redacted]');
  });
});

describe('AWS clients have timeouts', () => {
  it('every client eksplan creates has a connection and a request timeout and bounded attempts', async () => {
    const client = eksClient('us-east-1');
    const handler = client.config.requestHandler as unknown as { configProvider: Promise<{ connectionTimeout?: number; requestTimeout?: number; throwOnRequestTimeout?: boolean }> };
    const config = await handler.configProvider;
    // Without it the handler only warns when the request timeout passes, and keeps waiting.
    expect(config.throwOnRequestTimeout).toBe(true);
    expect(config.connectionTimeout).toBe(AWS_CLIENT_SETTINGS.requestHandler.connectionTimeout);
    expect(config.requestTimeout).toBe(AWS_CLIENT_SETTINGS.requestHandler.requestTimeout);
    expect(await client.config.maxAttempts()).toBe(AWS_CLIENT_SETTINGS.maxAttempts);
  });

  it('a silent endpoint fails with a clear error instead of hanging', async () => {
    // A server that accepts connections and never answers, as a black-holed endpoint does.
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    eks.restore();
    try {
      const client = new EKSClient({
        ...AWS_CLIENT_SETTINGS, maxAttempts: 1, region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`,
        requestHandler: { ...AWS_CLIENT_SETTINGS.requestHandler, connectionTimeout: 500, requestTimeout: 500 }, credentials: { accessKeyId: FAKE.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE.AWS_SECRET_ACCESS_KEY },
      });
      const attempt = describeLiveCluster(client, 'platform');
      await expect(attempt).rejects.toThrow(EksplanError);
      await expect(attempt).rejects.toThrow(/did not answer in time while trying to describe EKS cluster 'platform'/);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
      eks.reset();
    }
  }, 30_000);
});

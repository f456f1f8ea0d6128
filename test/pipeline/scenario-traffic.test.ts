import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../bin/eksplan';
import { DEFAULT_TRAFFIC, parseScenario, trafficAssumptions } from '../../simulation';

// The scenario's `traffic:` section is typed and validated like the rest (issue 13): a misspelled key or a
// negative, non-finite or mistyped amount of money, bytes or rate is bad input, never a silent default.
describe('scenario traffic section', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a misspelled key', { bytesPerRequst: 16384 }, 'traffic.bytesPerRequst', /unknown field \(did you mean 'bytesPerRequest'\?\)/],
    ['a negative byte count', { bytesPerRequest: -1 }, 'traffic.bytesPerRequest', /must be a number from 0 to/],
    ['a negative byte count on a call', { calls: [{ from: 'web', to: 'api', bytesPerRequest: -1e9 }] }, 'traffic.calls[0].bytesPerRequest', /must be a number from 0 to/],
    ['a non-finite amount', { natProcessedGbPerMonth: Infinity }, 'traffic.natProcessedGbPerMonth', /must be a number from 0 to/],
    ['a number given as text', { connectionSeconds: '30' }, 'traffic.connectionSeconds', /must be a number from 0 to .*got "30"/],
    ['fewer than one request per connection', { requestsPerConnection: 0 }, 'traffic.requestsPerConnection', /must be a number from 1 to/],
    ['a negative call rate', { calls: [{ from: 'web', to: 'api', requestsPerSecond: -5 }] }, 'traffic.calls[0].requestsPerSecond', /must be a number from 0 to/],
    ['an unknown key on a call', { calls: [{ from: 'web', to: 'api', bytePerRequest: 10 }] }, 'traffic.calls[0].bytePerRequest', /unknown field/],
    ['a call without its callee', { calls: [{ from: 'web' }] }, 'traffic.calls[0].to', /must be a non-empty string/],
    ['calls that are not a list', { calls: { from: 'web', to: 'api' } }, 'traffic.calls', /must be a list/],
  ])('fails when given %s', (_name, traffic, field, message) => {
    expect(() => parseScenario({ traffic }, 'budget.yaml')).toThrow(expect.objectContaining({ message: expect.stringMatching(message) }));
    expect(() => parseScenario({ traffic }, 'budget.yaml')).toThrow(`budget.yaml: ${field}: `);
  });

  it('reads every field into the typed section, and the cost model fills in only what is left out', () => {
    const scenario = parseScenario({ traffic: { bytesPerRequest: 4096, calls: [{ from: 'web', to: 'api', ratio: 2 }] } });
    expect(scenario.traffic).toEqual({ bytesPerRequest: 4096, calls: [{ from: 'web', to: 'api', ratio: 2 }] });
    expect(trafficAssumptions(scenario.traffic)).toEqual({ ...DEFAULT_TRAFFIC, bytesPerRequest: 4096, calls: [{ from: 'web', to: 'api', ratio: 2 }] });
    expect(trafficAssumptions(undefined)).toEqual(DEFAULT_TRAFFIC);
  });

  it('rejects the Karpenter batch windows in the scenario: they are the chart values the assembly deploys', () => {
    expect(() => parseScenario({ controllers: { karpenter: { batchIdle: '2s' } } }, 's.yaml')).toThrow('s.yaml: controllers.karpenter.batchIdle: is read from the Karpenter chart values');
  });

  describe('through the CLI', () => {
    const input = path.join(__dirname, '..', 'fixtures', 'manifests', 'app');
    const run = async (traffic: string): Promise<{ code: number; stderr: string }> => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eksplan-traffic-')), 'scenario.yaml');
      fs.writeFileSync(file, `name: gate\nduration: 1h\nthresholds: { maxMonthlyCostUsd: 10 }\ntraffic:\n${traffic}`);
      let stderr = '';
      const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
      try {
        return { code: await main(['simulate', input, '--scenario', file]), stderr };
      } finally {
        out.mockRestore();
        err.mockRestore();
      }
    };

    it('exits 2 on a misspelled key, naming the field', async () => {
      const { code, stderr } = await run('  bytesPerRequst: 16384\n');
      expect(code).toBe(2);
      expect(stderr).toMatch(/traffic\.bytesPerRequst: unknown field \(did you mean 'bytesPerRequest'\?\)/);
    });

    it('exits 2 on a negative byte count, which would otherwise make the month cost negative and pass the budget', async () => {
      const { code, stderr } = await run('  calls:\n    - { from: web, to: api, bytesPerRequest: -1e9 }\n');
      expect(code).toBe(2);
      expect(stderr).toMatch(/traffic\.calls\[0\]\.bytesPerRequest: must be a number from 0 to 1000000000000, got -1000000000/);
    });
  });
});

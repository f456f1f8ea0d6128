import * as path from 'path';
import { EksplanError } from '../model/errors';
import type { ClusterModel } from '../model/cluster';
import type { PlanResult } from '../model/result';
import type { Scenario } from '../model/scenario';
import type { RefreshedPrices } from '../catalog';
import type { PlanOptions } from '../pipeline';
import type { SeedOutcome } from './aggregate';
import { runSeed } from './run-seed';

// The edge of a sweep: this thread and `threads - 1` worker threads plan the seeds together. Each worker gets the
// model and scenario once (structured clone: both are plain data); every thread claims the next seed from one shared
// counter (Atomics), so no thread waits for another to hand it work and a slow seed never holds up the rest. Outcomes
// are stored by seed index, so the result does not depend on which thread planned which seed, or when.

/** What a worker is started with. Functions (onProgress) do not cross threads; prices refreshed in this thread do. */
export interface WorkerInit {
  readonly model: ClusterModel;
  readonly scenario: Scenario;
  readonly options: Omit<PlanOptions, 'onProgress' | 'seed'>;
  readonly refreshed: readonly RefreshedPrices[];
  readonly seeds: readonly number[];
  /** One Int32: the index of the next seed to claim, shared by every thread of the sweep. */
  readonly next: SharedArrayBuffer;
}

/** One seed's outcome from a worker; the first seed (index 0) also sends its whole PlanResult, which the report shows. */
export type SeedReply =
  | { readonly index: number; readonly outcome: SeedOutcome; readonly result?: PlanResult }
  | { readonly index: number; readonly error: { readonly message: string; readonly user: boolean } };

/**
 * The code a worker runs. From dist/ the compiled worker.js; from the TypeScript sources (ts-node, ts-jest) there is no
 * JavaScript to load, so the worker registers ts-node first (transpile only: the main thread's build type-checked it).
 */
export function workerSource(): string {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `worker${extension}`);
  if (extension !== '.ts') return `require(${JSON.stringify(entry)});`;
  const tsNode = require.resolve('ts-node');
  return `require(${JSON.stringify(tsNode)}).register({ transpileOnly: true, projectSearchDir: ${JSON.stringify(__dirname)} });\nrequire(${JSON.stringify(entry)});`;
}

/** Claims the next seed index from the shared counter. */
export function claim(next: SharedArrayBuffer): number {
  return Atomics.add(new Int32Array(next), 0, 1);
}

/**
 * Plans every seed on `threads` threads, this one included (unless `callerPlans` is false: then `threads` workers and
 * this thread only waits); resolves with each seed's outcome in seed order, the first seed's full result, and how many
 * seeds the workers planned (which thread planned what varies from run to run; the outcomes do not).
 */
export async function runInWorkers(init: Omit<WorkerInit, 'next'>, threads: number, onDone?: (done: number) => void, options: { callerPlans?: boolean } = {}): Promise<{ outcomes: SeedOutcome[]; first: PlanResult; plannedByWorkers: number }> {
  const callerPlans = options.callerPlans ?? true;
  const { Worker } = await import('worker_threads');
  const count = init.seeds.length;
  const shared: WorkerInit = { ...init, next: new SharedArrayBuffer(4) };
  const outcomes: SeedOutcome[] = new Array(count);
  let first: PlanResult | undefined;
  let done = 0;
  let plannedByWorkers = 0;
  let failure: Error | undefined;
  let settle: (() => void) | undefined;
  let closing = false;
  const record = (index: number, outcome: SeedOutcome, result?: PlanResult) => {
    outcomes[index] = outcome;
    if (index === 0) first = result;
    done += 1;
    onDone?.(done);
    if (done === count) settle?.();
  };
  const fail = (error: Error) => {
    failure ??= error;
    settle?.();
  };
  const finished = new Promise<void>((resolve) => { settle = resolve; });
  const source = workerSource();
  const pool = Array.from({ length: Math.min(threads, count) - (callerPlans ? 1 : 0) }, () => {
    const worker = new Worker(source, { eval: true, workerData: shared });
    worker.on('message', (reply: SeedReply) => {
      // A user error (the same for every seed, e.g. an invalid model) keeps its one-line message.
      if ('error' in reply) fail(reply.error.user ? new EksplanError(reply.error.message) : new Error(`seed ${init.seeds[reply.index]}: ${reply.error.message}`));
      else {
        plannedByWorkers += 1;
        record(reply.index, reply.outcome, reply.result);
      }
    });
    worker.on('error', fail);
    // terminate() below ends a worker with code 1: only an exit while seeds are still owed is a failure.
    worker.on('exit', (code) => { if (code !== 0 && !closing) fail(new Error(`a seed worker exited with code ${code} before the sweep ended`)); });
    return worker;
  });
  try {
    // This thread claims seeds too; between two it lets the workers' replies in (progress, errors).
    for (let index = callerPlans ? claim(shared.next) : count; index < count && !failure; index = claim(shared.next)) {
      try {
        const { outcome, result } = runSeed(init.model, init.scenario, init.options, init.seeds[index]);
        record(index, outcome, result);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (done < count && !failure) await finished;
  } finally {
    closing = true;
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  if (failure) throw failure;
  if (!first) throw new Error('the first seed returned no result');
  return { outcomes, first, plannedByWorkers };
}

import { parentPort, workerData } from 'worker_threads';
import { registerRefreshedPrices } from '../catalog';
import { isEksplanError } from '../model/errors';
import { claim, type SeedReply, type WorkerInit } from './pool';
import { runSeed } from './run-seed';

// A seed worker (pool.ts): claims seeds from the shared counter and plans each with the model and scenario it was
// started with, until none is left; then it ends.

const init = workerData as WorkerInit;
// The main thread's refreshed prices (`eksplan catalog refresh`): a worker starts with only the catalog's own.
for (const prices of init.refreshed) registerRefreshedPrices(prices);

for (let index = claim(init.next); index < init.seeds.length; index = claim(init.next)) {
  let reply: SeedReply;
  try {
    const { outcome, result } = runSeed(init.model, init.scenario, init.options, init.seeds[index]);
    reply = { index, outcome, ...(index === 0 ? { result } : {}) };
  } catch (error) {
    reply = { index, error: { message: error instanceof Error ? error.message : String(error), user: isEksplanError(error) } };
  }
  parentPort?.postMessage(reply);
  if ('error' in reply) break;
}

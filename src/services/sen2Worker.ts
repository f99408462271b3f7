/**
 * A SEN2 check on a worker thread (services/sen2Schema.ts, validateSen2OffThread): a large file is read, parsed and
 * checked here, so the web service's main thread keeps answering while it runs, and the memory the check needed is
 * given back when the thread ends. Sends back the whole validation, or (`summary`) only what a page shows.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { isSen2Year } from '../domain/sen2/census.js';
import { sen2Counts } from '../domain/sen2/counts.js';
import { validateSen2Document } from './sen2Schema.js';

parentPort!.once('message', (job: { path?: string; bytes?: Uint8Array; summary: boolean }) => {
  void (async () => {
    try {
      const result = await validateSen2Document(job.path ? await readFile(job.path) : job.bytes!);
      const { ret, ...rest } = result;
      parentPort!.postMessage({
        result: job.summary
          ? {
              ...rest,
              persons: ret?.persons.length ?? null,
              counts: ret && isSen2Year(ret.header.year) ? sen2Counts(ret) : null,
            }
          : result,
      });
    } catch (error) {
      parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  })();
});

// Runs autocannon in its own thread, so the load generator does not compete with the server for the event loop.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

/** This thread's /proc stat line, for its processor time (bench/cpu.ts reads it); undefined off Linux. */
function threadStat() {
  try {
    return readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return undefined;
  }
}

const { url, connections, duration, headers } = workerData;
const times = [];
const start = threadStat();
// The bench's main thread starts its processor count now, not while this thread was still loading.
parentPort.postMessage({ started: true });
const instance = autocannon({ url, connections, duration, headers }, (err, result) => {
  if (err) throw err;
  parentPort.postMessage({
    // Responses per second over the run (autocannon's own averages are not filled in when it runs in a worker).
    requestsPerSecond: times.length / duration,
    non2xx: result.non2xx,
    errors: result.errors,
    times,
    threadStat: { start, end: threadStat() },
  });
});
instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));

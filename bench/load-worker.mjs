// Runs autocannon in its own thread, so the load generator does not compete with the server for the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

const { url, connections, duration, headers } = workerData;
const times = [];
const instance = autocannon({ url, connections, duration, headers }, (err, result) => {
  if (err) throw err;
  parentPort.postMessage({
    // Responses per second over the run (autocannon's own averages are not filled in when it runs in a worker).
    requestsPerSecond: times.length / duration,
    non2xx: result.non2xx,
    errors: result.errors,
    times,
  });
});
instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));

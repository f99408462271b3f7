/** Helpers the benchmarks share: percentiles, a process's memory, and waiting for a started service to go quiet. */
import { readFileSync } from 'node:fs';
import { cpuSnapshot, statTicks, TICKS_PER_SECOND } from './cpu.js';

/** The nearest-rank percentile of times sorted in ascending order (NaN for none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A process's resident memory in MB (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/**
 * Waits for processes to go quiet (under a tenth of a core, all threads, for two seconds running), and at least ten
 * seconds after they start: the service works out the measures and forecasts a few seconds after it starts, on
 * several threads, and a load run then would measure that too.
 */
export async function settled(pids: number[]) {
  const ticks = () => pids.reduce((sum, pid) => sum + statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')), 0);
  if (!cpuSnapshot()) return; // not Linux
  const started = Date.now();
  let quiet = 0;
  while (Date.now() - started < 180_000) {
    const before = ticks();
    await new Promise((r) => setTimeout(r, 1000));
    quiet = (ticks() - before) / TICKS_PER_SECOND < 0.1 ? quiet + 1 : 0;
    if (quiet >= 2 && Date.now() - started >= 10_000) return;
  }
}

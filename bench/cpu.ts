/**
 * Processor use during a load run, read from /proc (Linux; elsewhere nothing is reported). It tells whether a run
 * measured the service or the machine: the server's main thread (which serves the pages), the load generator's
 * thread and PostgreSQL share the machine's cores, and a run with the machine nearly all busy, or the main thread
 * nearly all of one core, is at that limit.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks a second, the unit of /proc's times (sysconf's CLK_TCK; 100 on all common Linux builds). */
export const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * User plus system ticks from a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat line. The command name (field 2, in
 * parentheses) may hold spaces and parentheses itself, so fields are counted after the last ')': utime and stime are
 * fields 14 and 15 of proc(5).
 */
export function statTicks(line: string): number {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy and total ticks of all cores from the first line of /proc/stat (idle and iowait are not busy; guest time is
 * already in user time, so only the first eight columns count). */
export function machineTicks(procStat: string): { busy: number; total: number } {
  const firstLine = procStat.slice(0, procStat.indexOf('\n'));
  const [user, nice, system, idle, iowait, irq, softirq, steal] = firstLine.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
  return { busy: total - idle! - iowait!, total };
}

export interface CpuSnapshot {
  /** Ticks of the server's main threads: this process's, or those of the server's processes. */
  mainThread: number;
  machine: { busy: number; total: number };
  at: number;
}

/** The processes whose parent is `pid`, from /proc (empty off Linux). */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The parent's pid is field 4: the second after the command name in parentheses.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // gone since the directory was read
    }
  }
  return found.sort((a, b) => a - b);
}

/** A snapshot for the server running in this process, or in the processes `serverPids`. */
export function cpuSnapshot(serverPids: number[] = [process.pid]): CpuSnapshot | undefined {
  try {
    return {
      mainThread: serverPids.reduce(
        (sum, pid) => sum + statTicks(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')),
        0,
      ),
      machine: machineTicks(readFileSync('/proc/stat', 'utf8')),
      at: performance.now(),
    };
  } catch {
    return undefined;
  }
}

const share = (value: number) => Number(value.toFixed(2));

/**
 * Shares between two snapshots: the server's main thread (summed over its processes when it runs several) and the
 * load generator's thread as shares of one core, the machine as a share of all its cores.
 */
export function cpuShares(before: CpuSnapshot, after: CpuSnapshot, loadGenerator: { start?: string; end?: string }) {
  const seconds = (after.at - before.at) / 1000;
  const generatorTicks =
    loadGenerator.start && loadGenerator.end
      ? statTicks(loadGenerator.end) - statTicks(loadGenerator.start)
      : undefined;
  return {
    cores: cpus().length,
    serverMainThread: share((after.mainThread - before.mainThread) / TICKS_PER_SECOND / seconds),
    loadGenerator: generatorTicks === undefined ? null : share(generatorTicks / TICKS_PER_SECOND / seconds),
    machine: share((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)),
  };
}

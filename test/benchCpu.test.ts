import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childrenOf, machineTicks, statTicks, TICKS_PER_SECOND } from '../bench/cpu.js';

describe("the bench's processor use (read from /proc)", () => {
  it('reads user plus system time after the command name, even one with spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime ...
    const line = '4212 (node (worker) 1) S 4100 4212 4100 0 -1 4194560 9001 0 12 0 1234 567 0 0 20 0 11 0 99 0';
    expect(statTicks(line)).toBe(1234 + 567);
  });

  it("counts the machine's busy time as all but idle and iowait, over the first eight columns", () => {
    const procStat = 'cpu  100 5 50 800 20 3 2 1 7 0\ncpu0 50 2 25 400 10 1 1 0 3 0\nintr 1\n';
    // guest (7) is already inside user (100), so it is not added again.
    expect(machineTicks(procStat)).toEqual({ busy: 100 + 5 + 50 + 3 + 2 + 1, total: 981 });
  });

  it("agrees with Node's own count of this process's processor time", () => {
    let x = 0;
    const until = performance.now() + 300;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const fromProc = (statTicks(readFileSync('/proc/self/stat', 'utf8')) / TICKS_PER_SECOND) * 1000;
    const { user, system } = process.cpuUsage();
    // /proc counts in clock ticks (10 ms at the usual CLK_TCK of 100), Node in microseconds.
    expect(Math.abs(fromProc - (user + system) / 1000)).toBeLessThan(50);
    expect(x).toBeGreaterThan(0);
  });

  it("finds a process's children (the server's processes when it runs several)", async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      expect(childrenOf(process.pid)).toContain(child.pid);
      expect(childrenOf(child.pid!)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

import cliProgress from 'cli-progress';

/** A progress bar on a terminal; elsewhere (logs, CI) a line at every tenth. */
export function progressReporter(label: string): { update(done: number, total: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {duration}s`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
      stop: () => bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        process.stderr.write(
          `${label}: ${tenth * 10}% (${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows)\n`,
        );
      }
    },
    stop: () => undefined,
  };
}

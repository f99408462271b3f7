/**
 * Work that takes longer than a page should wait for (a forecast scenario, a large import), run as a job in this
 * process: started by one person, its progress read by their page until it is done, kept for an hour. A limit on
 * how many run at once, and one at a time per person, keeps the service responsive.
 */
import { randomUUID } from 'node:crypto';

export interface Job<R> {
  id: string;
  laCode: string;
  userId: string;
  startedAt: number;
  status: 'running' | 'done' | 'failed';
  /** What it is doing now, for the progress page. */
  step: string;
  done: number;
  total: number;
  result: R | null;
  error: string | null;
}

/** A job refused before it starts (too many running): shown to the user, nothing started. */
export class BusyError extends Error {}

export interface JobBoardOptions {
  maxRunning: number;
  lifetimeMs: number;
  /** What to tell someone whose own job is still running, and someone who must wait for others'. */
  busy: { yours: string; others: string };
}

export function createJobBoard<R, X extends object = object>(options: JobBoardOptions) {
  const jobs = new Map<string, Job<R> & X>();

  const forget = () => {
    const now = Date.now();
    for (const [id, job] of jobs)
      if (job.status !== 'running' && now - job.startedAt > options.lifetimeMs) jobs.delete(id);
  };

  /** Refuses (BusyError) when too many are running or this person's last one is; call before any side effect. */
  const checkFree = (userId: string): void => {
    forget();
    const running = [...jobs.values()].filter((j) => j.status === 'running');
    if (running.some((j) => j.userId === userId)) throw new BusyError(options.busy.yours);
    if (running.length >= options.maxRunning) throw new BusyError(options.busy.others);
  };

  /** Starts `run` as a job (after checkFree); it reports by setting the job's step, done and total. */
  const start = (
    owner: { laCode: string; userId: string },
    first: { step: string; total: number },
    extra: X,
    run: (job: Job<R> & X) => Promise<R>,
  ): Job<R> & X => {
    checkFree(owner.userId);
    const job = {
      id: randomUUID(),
      laCode: owner.laCode,
      userId: owner.userId,
      startedAt: Date.now(),
      status: 'running',
      step: first.step,
      done: 0,
      total: first.total,
      result: null,
      error: null,
      ...extra,
    } as Job<R> & X;
    jobs.set(job.id, job);
    void run(job)
      .then((result) => {
        job.result = result;
        job.done = job.total;
        job.status = 'done';
      })
      .catch((error: unknown) => {
        job.status = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
      });
    return job;
  };

  /** A job of the LA's, or undefined. */
  const get = (laCode: string, id: string): (Job<R> & X) | undefined => {
    const found = jobs.get(id);
    return found && found.laCode === laCode ? found : undefined;
  };

  /** Waits for every job to finish (tests, and shutting down). */
  const settled = async (): Promise<void> => {
    while ([...jobs.values()].some((j) => j.status === 'running')) await new Promise((r) => setTimeout(r, 20));
  };

  return { checkFree, start, get, settled };
}

/** A job's progress as its page and the page's script show it. */
export function jobProgress(job: Job<unknown>) {
  const percent = job.total > 0 ? Math.min(100, Math.round((job.done / job.total) * 100)) : 0;
  return { status: job.status, step: job.step, percent, text: `${job.step}: ${percent}% done` };
}

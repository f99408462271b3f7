/**
 * The limits on the expensive routes (web/middleware/expensive.ts), counted in the database so that a person gets the
 * same limit however many processes serve them: n processes no longer mean n times the limit. Keys name the kind
 * of request and the person's user id, nothing else.
 */
import type { Database } from '../data/db.js';
import {
  claimInProgress,
  countRequest,
  deleteSpentLimits,
  forgetRequests,
  releaseInProgress,
  requestCount,
  uncountRequest,
} from '../data/repositories/requestLimits.js';

export function createRequestLimitService(database: Database) {
  const { db } = database;
  return {
    count: (key: string, windowMs: number, now: Date) => countRequest(db, key, windowMs, now),
    current: (key: string, now: Date) => requestCount(db, key, now),
    uncount: (key: string) => uncountRequest(db, key),
    forget: (key: string) => forgetRequests(db, key),
    /**
     * One request in progress per key: true when this one may go ahead. The claim runs out after `leaseMs` in any
     * case, so a process that dies mid-request does not block the person for longer.
     */
    claim: async (key: string, leaseMs: number, now: Date): Promise<{ release: () => Promise<void> } | null> => {
      const until = new Date(now.getTime() + leaseMs);
      if (!(await claimInProgress(db, key, until, now))) return null;
      return { release: () => releaseInProgress(db, key, until) };
    },
    /** Housekeeping: removes rows that limit no one any more. */
    prune: (now: Date) => deleteSpentLimits(db, now),
  };
}

export type RequestLimitService = ReturnType<typeof createRequestLimitService>;

/**
 * Limits on the routes that cost the service most (a SEN2 file checked or imported, a document uploaded, a forecast
 * scenario run): each person may have one of them in progress at a time, and send each kind only so many times a
 * minute (express-rate-limit). Over a limit, the answer is 429 with a GOV.UK page saying when to try again, before
 * the upload is read. Counted for the person signed in (sign-in itself is throttled elsewhere), in the database
 * (services/requestLimits.ts), so every process of a deployment counts the same requests: a person served by four
 * processes still gets one limit, not four.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { RequestLimitService } from '../../services/requestLimits.js';

export const EXPENSIVE_LIMITS = {
  upload: { perMinute: 10, what: 'upload up to 10 documents a minute', back: null },
  sen2: { perMinute: 5, what: 'check or import up to 5 SEN2 files a minute', back: '/sen2' },
  forecast: { perMinute: 5, what: 'start up to 5 forecast scenarios a minute', back: '/forecast/scenarios' },
  /**
   * Signing in with an identity provider, one-time links and the account pages (`accountLimit`): counted by the
   * address they come from, as most come before anyone is signed in. Far more than a person needs (a sign-in with a
   * provider is two requests); a script trying links or starting sign-ins in a loop is stopped.
   */
  account: {
    perMinute: 60,
    what: 'make up to 60 sign-in or account requests a minute from one address',
    back: '/sign-in',
  },
} as const;

export type ExpensiveKind = keyof typeof EXPENSIVE_LIMITS;

/** What the person is told a busy request should wait before trying again. */
const BUSY_RETRY_SECONDS = 10;

/**
 * How long a request in progress holds the person's turn at most: it is released when the request ends, and this is
 * only for a process that died mid-request (the largest SEN2 check takes well under a minute).
 */
const IN_PROGRESS_LEASE_MS = 5 * 60_000;

/** How long a request waits for the person's last one to give its turn back before it is refused as busy. */
const RELEASE_GRACE_MS = 1_000;

/** express-rate-limit's counts, kept in the database (its Store interface) under "<kind>:<user id>". */
class DatabaseStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly limits: RequestLimitService,
    kind: ExpensiveKind,
    private readonly now: () => Date,
  ) {
    this.prefix = `${kind}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const count = await this.limits.current(this.prefix + key, this.now());
    return count && { totalHits: count.hits, resetTime: count.resetAt };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const count = await this.limits.count(this.prefix + key, this.windowMs, this.now());
    return { totalHits: count.hits, resetTime: count.resetAt };
  }

  decrement(key: string): Promise<void> {
    return this.limits.uncount(this.prefix + key);
  }

  resetKey(key: string): Promise<void> {
    return this.limits.forget(this.prefix + key);
  }
}

const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h12',
});

function tooMany(req: Request, res: Response, kind: ExpensiveKind, seconds: number, reason: string, now: Date) {
  const at = TIME.format(new Date(now.getTime() + seconds * 1000))
    .replace(' ', '')
    .toLowerCase();
  res
    .status(429)
    .set('Retry-After', String(seconds))
    .render('errors/too-many-requests.njk', {
      reason,
      retryAfter: `${seconds} second${seconds === 1 ? '' : 's'}`,
      retryAt: at,
      // The form the request came from (an upload's form is at its own address).
      backHref: EXPENSIVE_LIMITS[kind].back ?? req.originalUrl,
    });
}

const userOf = (req: Request) => req.session?.userId;

/**
 * The limits, made once per app: `limit(kind)` is the middleware for one expensive route, mounted before the
 * route's upload is parsed. `now` is for the tests.
 */
export function expensiveLimits(limits: RequestLimitService, now: () => Date = () => new Date()) {
  const perMinuteFor = (kind: ExpensiveKind): RequestHandler =>
    rateLimit({
      store: new DatabaseStore(limits, kind, now),
      windowMs: 60_000,
      limit: EXPENSIVE_LIMITS[kind].perMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      skip: (req) => !userOf(req),
      keyGenerator: (req) => userOf(req)!,
      // Counted by the person signed in, not their address: the checks on how addresses are found do not apply.
      validate: { ip: false, trustProxy: false, xForwardedForHeader: false, forwardedHeader: false },
      handler: (req, res) => {
        const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const ms = (reset?.getTime() ?? now().getTime() + 60_000) - now().getTime();
        tooMany(req, res, kind, Math.max(1, Math.ceil(ms / 1000)), `You can ${EXPENSIVE_LIMITS[kind].what}.`, now());
      },
    });
  const perMinute = { upload: perMinuteFor('upload'), sen2: perMinuteFor('sen2'), forecast: perMinuteFor('forecast') };

  /**
   * The person's turn, waiting up to RELEASE_GRACE_MS for it: a request's turn is given back as its answer goes (after
   * the person may already have it), so one sent the moment the last answer came is not refused for that moment.
   */
  const claimTurn = async (key: string) => {
    const giveUpAt = Date.now() + RELEASE_GRACE_MS;
    for (;;) {
      const claim = await limits.claim(key, IN_PROGRESS_LEASE_MS, now());
      if (claim || Date.now() >= giveUpAt) return claim;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /** One expensive request in progress per person, in any process: refused while their last one runs. */
  const oneAtATime =
    (kind: ExpensiveKind): RequestHandler =>
    (req, res, next) => {
      const user = userOf(req);
      if (!user) {
        next();
        return;
      }
      claimTurn(`busy:${user}`).then((claim) => {
        if (!claim) {
          tooMany(
            req,
            res,
            kind,
            BUSY_RETRY_SECONDS,
            'Your last file or forecast is still being worked on: wait for it to finish.',
            now(),
          );
          return;
        }
        res.once('close', () => {
          claim
            .release()
            .catch((err: unknown) => req.log?.error({ err }, 'a request in progress could not be released'));
        });
        next();
      }, next);
    };

  return (kind: Exclude<ExpensiveKind, 'account'>): RequestHandler[] => [perMinute[kind], oneAtATime(kind)];
}

/**
 * The limit on the sign-in and account routes (EXPENSIVE_LIMITS.account), counted by the client's address (Express's
 * `req.ip`, behind the council's proxy as TRUST_PROXY says) in the database, so every process counts the same.
 */
export function accountLimit(limits: RequestLimitService, now: () => Date = () => new Date()): RequestHandler {
  return rateLimit({
    store: new DatabaseStore(limits, 'account', now),
    windowMs: 60_000,
    limit: EXPENSIVE_LIMITS.account.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // An IPv6 address counts by its /56 network (the library's helper): one household's devices share a limit.
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    // Express works out the address (its trust proxy setting); the library's own checks of that are not needed.
    validate: { ip: false, trustProxy: false, xForwardedForHeader: false, forwardedHeader: false },
    handler: (req, res) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const ms = (reset?.getTime() ?? now().getTime() + 60_000) - now().getTime();
      tooMany(
        req,
        res,
        'account',
        Math.max(1, Math.ceil(ms / 1000)),
        `You can ${EXPENSIVE_LIMITS.account.what}.`,
        now(),
      );
    },
  });
}

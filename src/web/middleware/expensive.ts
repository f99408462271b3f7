/**
 * Limits on the routes that cost the service most (a SEN2 file checked or imported, a document uploaded, a forecast
 * scenario run): each person may have one of them in progress at a time, and send each kind only so many times a
 * minute (express-rate-limit). Over a limit, the answer is 429 with a GOV.UK page saying when to try again, before
 * the upload is read. Counted per process, for the person signed in (sign-in itself is throttled elsewhere).
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';

export const EXPENSIVE_LIMITS = {
  upload: { perMinute: 10, what: 'upload up to 10 documents a minute', back: null },
  sen2: { perMinute: 5, what: 'check or import up to 5 SEN2 files a minute', back: '/sen2' },
  forecast: { perMinute: 5, what: 'start up to 5 forecast scenarios a minute', back: '/forecast/scenarios' },
} as const;

export type ExpensiveKind = keyof typeof EXPENSIVE_LIMITS;

/** What the person is told a busy request should wait before trying again. */
const BUSY_RETRY_SECONDS = 10;

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
export function expensiveLimits(now: () => Date = () => new Date()) {
  const inProgress = new Set<string>();
  const perMinuteFor = (kind: ExpensiveKind): RequestHandler =>
    rateLimit({
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

  /** One expensive request in progress per person: refused while their last one runs. */
  const oneAtATime =
    (kind: ExpensiveKind): RequestHandler =>
    (req, res, next) => {
      const user = userOf(req);
      if (!user) {
        next();
        return;
      }
      if (inProgress.has(user)) {
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
      inProgress.add(user);
      res.once('close', () => inProgress.delete(user));
      next();
    };

  return (kind: ExpensiveKind): RequestHandler[] => [perMinute[kind], oneAtATime(kind)];
}

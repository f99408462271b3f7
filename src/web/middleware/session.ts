import session, { type SessionData, Store } from 'express-session';
import type { RequestHandler } from 'express';
import type { SessionService } from '../../services/index.js';

type Callback = (err?: unknown) => void;

/** The idle timeout is kept to within this much. */
const TOUCH_INTERVAL_MS = 60_000;

/** express-session storage in the database (the sessions table), shared by PGlite and PostgreSQL. */
export class DatabaseSessionStore extends Store {
  constructor(
    private readonly sessions: SessionService,
    private readonly idleMs: number,
  ) {
    super();
  }

  private expiry(sess: SessionData): Date {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.idleMs);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.sessions.get(sid).then(
      (sess) => callback(null, (sess as SessionData | undefined) ?? null),
      (err: unknown) => callback(err),
    );
  }

  override set(sid: string, sess: SessionData, callback?: Callback): void {
    this.sessions.set(sid, sess, this.expiry(sess)).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  /** When each session's expiry was last pushed back, so an active user costs one write a minute, not one a page. */
  private readonly touched = new Map<string, number>();

  override touch(sid: string, sess: SessionData, callback?: Callback): void {
    const now = Date.now();
    const last = this.touched.get(sid);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    if (this.touched.size > 100_000) this.touched.clear();
    this.touched.set(sid, now);
    this.sessions.touch(sid, this.expiry(sess)).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    this.touched.delete(sid);
    this.sessions.destroy(sid).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }
}

export function sessionMiddleware(
  sessions: SessionService,
  options: { secret: string; idleMinutes: number; secure: boolean },
): RequestHandler {
  const idleMs = options.idleMinutes * 60_000;
  return session({
    name: 'openehcp.sid',
    secret: options.secret,
    store: new DatabaseSessionStore(sessions, idleMs),
    resave: false,
    saveUninitialized: false,
    // Every request pushes the expiry back: the idle timeout.
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge: idleMs, path: '/' },
  });
}

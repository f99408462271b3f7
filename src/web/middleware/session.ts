import session, { type SessionData, Store } from 'express-session';
import type { RequestHandler } from 'express';
import type { SignedInUser } from '../../services/auth.js';
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

  /**
   * Who was signed in to each session when a request last read it, with the session itself (one query for both),
   * until that request's loadUser takes it. A session's user never changes (signing in starts a new session), and a
   * later read of the same session replaces the entry, so what is taken is never older than the taker's own read.
   */
  private readonly usersRead = new Map<string, { userId: unknown; user: SignedInUser | undefined }>();

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.sessions.getWithUser(sid).then(
      (found) => {
        if (found) {
          if (this.usersRead.size > 100_000) this.usersRead.clear();
          this.usersRead.set(sid, { userId: (found.sess as { userId?: unknown }).userId, user: found.user });
        } else {
          this.usersRead.delete(sid);
        }
        callback(null, (found?.sess as SessionData | undefined) ?? null);
      },
      (err: unknown) => callback(err),
    );
  }

  /** The user read with session `sid`, if it was read for user `userId` and not yet taken. */
  takeUserRead(sid: string, userId: string): { user: SignedInUser | undefined } | undefined {
    const read = this.usersRead.get(sid);
    if (read === undefined) return undefined;
    this.usersRead.delete(sid);
    return read.userId === userId ? { user: read.user } : undefined;
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

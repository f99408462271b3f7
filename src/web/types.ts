import type { SignedInUser } from '../services/auth.js';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** Epoch milliseconds when the user signed in, for the absolute session limit. */
    signedInAt?: number;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: SignedInUser;
    }
  }
}

export {};

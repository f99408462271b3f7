import type { SignedInUser } from '../services/auth.js';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** Epoch milliseconds when the user signed in, for the absolute session limit. */
    signedInAt?: number;
    /** Epoch milliseconds when the user last proved who they are (sign-in or re-authentication). */
    authenticatedAt?: number;
    /** How they signed in (web/middleware/startSession.ts). */
    signInMethod?: 'password' | 'password_totp' | 'staff_oidc' | 'one_login';
    /** The LA the user is acting for, when they hold roles in more than one. */
    laCode?: string;
    /** The identity provider's ID token, to end the session there too on sign-out. */
    idToken?: string;
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

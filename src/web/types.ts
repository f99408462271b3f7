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
    /**
     * A local sign-in half done: the password was right, and the code (or setting up two-factor sign-in) is still to
     * come. Only the user's id, until `until` (epoch ms); nobody is signed in meanwhile.
     */
    pendingSignIn?: {
      userId: string;
      step: 'code' | 'set_up_two_factor';
      until: number;
      returnTo: string;
      laCode?: string;
    };
    /** A two-factor set-up in progress: the new secret, for this user, until a code from it is typed. */
    twoFactorSetUp?: { userId: string; secret: string };
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

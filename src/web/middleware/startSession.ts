import type { Request } from 'express';

/** How a user proved who they are, kept with the session (for the audit and for re-authentication). */
export type SignInMethod = 'password' | 'password_totp' | 'staff_oidc' | 'one_login';

/**
 * Starts a signed-in session for a user: always a new session id (a session fixed before sign-in is worthless), with
 * when and how they signed in. Every way of signing in (a password, with or without a code; the council's identity
 * provider; GOV.UK One Login) ends here. `extra` carries what the method needs later (for example the identity
 * provider's ID token, to sign out there too).
 */
export function startSignedInSession(
  req: Request,
  userId: string,
  method: SignInMethod,
  extra: { laCode?: string; idToken?: string } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err as Error);
      const now = Date.now();
      req.session.userId = userId;
      req.session.signedInAt = now;
      req.session.authenticatedAt = now;
      req.session.signInMethod = method;
      if (extra.laCode) req.session.laCode = extra.laCode;
      if (extra.idToken) req.session.idToken = extra.idToken;
      req.session.save((saveErr) => (saveErr ? reject(saveErr as Error) : resolve()));
    });
  });
}

/**
 * One-time links sent by email: what each is for and how long it works. A link is a random token in the address;
 * only its hash is stored (services/accountLinks.ts), it works once, and it stops working when its time is up.
 *
 * Lifetimes follow the NCSC's advice for account recovery (a reset link is short-lived) and what an invited person
 * needs: time to find the email after a weekend.
 */
export const ACCOUNT_LINK_PURPOSES = ['set_up', 'reset_password', 'link_child'] as const;
export type AccountLinkPurpose = (typeof ACCOUNT_LINK_PURPOSES)[number];

const HOUR = 3_600_000;

/** How long each kind of link works after it is made. */
export const ACCOUNT_LINK_LIFETIME_MS: Record<AccountLinkPurpose, number> = {
  /** A new account's first sign-in set-up (the first administrator, an invited member of staff): 3 days. */
  set_up: 72 * HOUR,
  /** A password reset: 1 hour. */
  reset_password: 1 * HOUR,
  /** A parent's invitation to link their account to their child: 14 days (families may take longer to act). */
  link_child: 14 * 24 * HOUR,
};

/** The lifetime in words, for the email that carries the link and the pages that explain it. */
export function lifetimeText(purpose: AccountLinkPurpose): string {
  const hours = ACCOUNT_LINK_LIFETIME_MS[purpose] / HOUR;
  if (hours < 24) return hours === 1 ? '1 hour' : `${hours} hours`;
  const days = hours / 24;
  return days === 1 ? '1 day' : `${days} days`;
}

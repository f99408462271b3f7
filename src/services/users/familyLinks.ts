/**
 * Linking a parent's or carer's account to their child, by invitation: a caseworker sends a one-time link (14 days) to
 * the family's email address; whoever opens it proves they hold that mailbox, and signs in (or creates an account) to
 * be linked. The email names the child by reference only. The link works once; the link and the parent's role are
 * made in one transaction, audited against the child.
 */
import { pgErrorCode, type Database, type Db } from '../../data/db.js';
import {
  childForInvitation,
  findUserByEmail,
  holdsStaffRole,
  insertUserWithPassword,
  requestForInvitation,
} from '../../data/repositories/users.js';
import { localAuthorityName } from '../../data/repositories/localAuthorities.js';
import { lifetimeText } from '../../domain/access/accountLinks.js';
import { passwordProblem } from '../../domain/access/passwordPolicy.js';
import { EMAIL_FORMAT_MESSAGE, isEmailAddress, NAME_MAX_LENGTH } from '../../domain/access/staff.js';
import type { EmailSender } from '../../notify/sender.js';
import { checkAccountLink, createAccountLink, hashToken } from '../accountLinks.js';
import { linkParentByInvitationHash } from '../identity/accounts.js';
import {
  deliverAccountEmail,
  recordAccountEmail,
  type AccountEmail,
  type AccountEmailResult,
} from '../accountEmails.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError } from '../errors.js';
import { hashPassword } from '../passwords.js';
import { runUseCase } from '../useCase.js';

/** What the invitation's page shows before anything is done with it. */
export type InvitationState =
  | { state: 'usable'; email: string; laName: string; childReference: string }
  | { state: 'used' | 'expired' | 'unknown' };

/** What using an invitation did (or why it could not). */
export type LinkOutcome =
  | { linked: true; childReference: string; laName: string; alreadyLinked: boolean }
  | { linked: false; why: 'staff' | 'used' | 'expired' | 'unknown' };

/** Thrown to roll back an account made for a link that could not be used after all. */
class LinkGone extends Error {
  constructor(readonly outcome: LinkOutcome & { linked: false }) {
    super('the invitation link could not be used');
  }
}

export function createFamilyLinkService(database: Database, clock: Clock, sender: EmailSender, baseUrl: string) {
  const { db } = database;

  /** The request a caseworker invites the family of: its child's reference and the family's email, if recorded. */
  async function invitationFor(ctx: RequestContext, requestId: string) {
    return runUseCase(database, ctx, 'family:invite', async ({ tx }) => {
      const found = await requestForInvitation(tx, ctx.actor.laCode, requestId);
      if (!found) throw new NotFoundError('request');
      return found;
    });
  }

  /**
   * Emails the family a one-time link (14 days) to link a parent's account to the request's child. The email names
   * the council and the child's reference, never the child's name. Audited against the child.
   */
  async function invite(ctx: RequestContext, requestId: string, email: string): Promise<AccountEmailResult> {
    const now = clock.now();
    if (!isEmailAddress(email)) throw new RuleError([{ field: 'email', text: EMAIL_FORMAT_MESSAGE }]);
    const made = await runUseCase(database, ctx, 'family:invite', async ({ tx, ...frame }) => {
      const found = await requestForInvitation(tx, ctx.actor.laCode, requestId);
      if (!found) throw new NotFoundError('request');
      const laName = (await localAuthorityName(tx, ctx.actor.laCode)) ?? ctx.actor.laCode;
      const { token, link } = await createAccountLink(
        tx,
        {
          purpose: 'link_child',
          userId: null,
          email,
          laCode: ctx.actor.laCode,
          childId: found.childId,
          createdBy: ctx.actor.userId,
        },
        now,
      );
      const message: AccountEmail = {
        laCode: ctx.actor.laCode,
        dedupeKey: `account-link:${link.id}`,
        kind: 'parent_invitation',
        to: email,
        subject: `See your child’s EHC needs assessment with ${laName}`,
        body: (address) =>
          [
            `${laName} has invited you to see your child’s education, health and care (EHC) needs assessment online, in OpenEHCP.`,
            '',
            `Your child’s reference is ${found.childReference}.`,
            '',
            'Use this link to sign in, or to create an account, and link it to your child:',
            '',
            address,
            '',
            `The link works once and stops working after ${lifetimeText('link_child')}.`,
            '',
            `If you were not expecting this email, you can ignore it, or tell ${laName}'s SEND team.`,
          ].join('\n'),
        link: `${baseUrl}/account/link-child/${token}`,
      };
      const notificationId = await recordAccountEmail(tx, message);
      await frame.audit(
        'create',
        'parent_invitation',
        link.id,
        { requestId, expiresAt: link.expiresAt.toISOString() },
        found.childId,
      );
      return notificationId ? { notificationId, message } : undefined;
    });
    if (!made) throw new Error('the invitation email was not recorded');
    return deliverAccountEmail(db, sender, made.notificationId, made.message);
  }

  /** What an invitation link is now, to show the right page (nothing is used). */
  async function invitation(token: string): Promise<InvitationState> {
    const checked = await checkAccountLink(db, token, 'link_child', clock.now());
    if (checked.state !== 'usable') return { state: checked.state };
    const { link } = checked;
    const child = link.laCode && link.childId ? await childForInvitation(db, link.laCode, link.childId) : undefined;
    if (!child) return { state: 'unknown' };
    return { state: 'usable', email: link.email, laName: child.laName, childReference: child.childReference };
  }

  /**
   * Uses the link and links the account to its child (in the caller's transaction), audited against the child: the
   * same step as a parent's first sign-in with GOV.UK One Login from the invitation (services/identity).
   */
  async function linkInTransaction(
    tx: Db,
    token: string,
    userId: string,
    ip: string,
    requestId: string,
    created: boolean,
  ): Promise<LinkOutcome> {
    const now = clock.now();
    const linked = await linkParentByInvitationHash(tx, hashToken(token), userId, now, {
      ip,
      requestId,
      accountCreated: created,
    });
    if (!linked) {
      const checked = await checkAccountLink(tx, token, 'link_child', now);
      return { linked: false, why: checked.state === 'usable' ? 'unknown' : checked.state };
    }
    const child = await childForInvitation(tx, linked.laCode, linked.childId);
    // The link's child is kept by its foreign key; a child gone all the same undoes the link (the transaction).
    if (!child) throw new Error('the invitation’s child is not in its LA');
    return {
      linked: true,
      childReference: child.childReference,
      laName: child.laName,
      alreadyLinked: linked.alreadyLinked,
    };
  }

  /** Links the signed-in account to the invitation's child; a member of staff's account is never linked to a child. */
  async function linkSignedIn(token: string, userId: string, ip: string, requestId: string): Promise<LinkOutcome> {
    return db.transaction(async (tx) => {
      if (await holdsStaffRole(tx, userId)) return { linked: false, why: 'staff' } as const;
      return linkInTransaction(tx, token, userId, ip, requestId, false);
    });
  }

  /**
   * Creates a parent's account with the invitation's email address and a password (the password policy), and links
   * it to the child, in one transaction: both or neither. Returns the new account's id, to sign in with.
   */
  async function createAndLink(
    token: string,
    form: { name: string; password: string; confirm: string },
    ip: string,
    requestId: string,
  ): Promise<{ userId: string; outcome: LinkOutcome } | { userId: null; outcome: LinkOutcome & { linked: false } }> {
    const state = await invitation(token);
    if (state.state !== 'usable') return { userId: null, outcome: { linked: false, why: state.state } };
    const problems: { field: string; text: string }[] = [];
    const name = form.name.trim();
    if (!name) problems.push({ field: 'name', text: 'Enter your full name' });
    else if (name.length > NAME_MAX_LENGTH) {
      problems.push({ field: 'name', text: `Your name must be ${NAME_MAX_LENGTH} characters or fewer` });
    }
    const passwordError = passwordProblem(form.password, {
      email: state.email,
      displayName: name,
      laName: state.laName,
    });
    if (passwordError) problems.push({ field: 'password', text: passwordError });
    else if (form.confirm !== form.password) problems.push({ field: 'confirm', text: 'The passwords do not match' });
    if (!problems.length && (await findUserByEmail(db, state.email))) {
      problems.push({
        field: 'name',
        text: `There is already an account for ${state.email}. Sign in to it to link it to your child`,
      });
    }
    if (problems.length) throw new RuleError(problems);
    const passwordHash = await hashPassword(form.password);
    try {
      return await db.transaction(async (tx) => {
        const userId = await insertUserWithPassword(tx, {
          email: state.email,
          displayName: name,
          passwordHash,
          passwordChangedAt: clock.now(),
        });
        const outcome = await linkInTransaction(tx, token, userId, ip, requestId, true);
        // The link was used meanwhile (the same form sent twice): the account is not made either.
        if (!outcome.linked) throw new LinkGone(outcome);
        return { userId, outcome };
      });
    } catch (err) {
      if (err instanceof LinkGone) return { userId: null, outcome: err.outcome };
      if (pgErrorCode(err) === '23505') {
        throw new RuleError([
          {
            field: 'name',
            text: `There is already an account for ${state.email}. Sign in to it to link it to your child`,
          },
        ]);
      }
      throw err;
    }
  }

  return { invitationFor, invite, invitation, linkSignedIn, createAndLink };
}

export type FamilyLinkService = ReturnType<typeof createFamilyLinkService>;

/**
 * The administrator's users pages: the list (filtered by role and state, paged), inviting a member of staff, one
 * account (roles and team, disable and enable, unlock, a sign-in link, sessions) and importing staff from a CSV (dry
 * run, then confirm). Every change that touches roles is posted under /admin/users/:id/... or /admin/users/invite and
 * /admin/users/import, so re-authentication can be put in front of them.
 */
import { Router, type Request, type Response } from 'express';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { can, isRole, ROLE_NAMES, ROLES, STAFF_ROLES } from '../../../domain/access/roles.js';
import {
  ACCOUNT_STATUS_NAMES,
  ACCOUNT_STATUSES,
  EMAIL_FORMAT_MESSAGE,
  isEmailAddress,
  NAME_MAX_LENGTH,
  STAFF_IMPORT_COLUMNS,
  STAFF_IMPORT_MAX_ROWS,
  TEAM_MAX_LENGTH,
  type AccountStatus,
} from '../../../domain/access/staff.js';
import { lifetimeText } from '../../../domain/access/accountLinks.js';
import { isValidUrn } from '../../../domain/casework/codes.js';
import { ADVICE_TYPE_NAMES } from '../../../domain/casework/stages.js';
import type { Services } from '../../../services/index.js';
import { toCsv } from '../../../services/csv.js';
import type { AccountEmailResult } from '../../../services/accountEmails.js';
import { rolesInWords } from '../../../services/users/index.js';
import { attempt } from '../../formFailures.js';
import { text, type Body } from '../../forms.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { uuidParams } from '../../middleware/params.js';
import { noStore } from '../../middleware/security.js';
import { pageSummary, paginationItems } from '../../pagination.js';
import { choices, field, optionalText, pageForm, readForm, requiredText } from '../../validation.js';

const staffRoleItems = STAFF_ROLES.map((r) => ({ value: r, text: ROLE_NAMES[r] }));

const emailField = requiredText('Enter an email address', 'Email address', 254).refine(isEmailAddress, {
  error: EMAIL_FORMAT_MESSAGE,
});

/** The professionals' scope on their roles: an advice giver's service (or none), a school user's setting URN. */
const scopeFields = {
  adviceService: optionalText('Service').refine((v) => v === '' || Object.hasOwn(ADVICE_TYPE_NAMES, v), {
    error: 'Select a service from the list',
  }),
  settingUrn: optionalText('URN', 6).refine((v) => v === '' || isValidUrn(v), {
    error: 'Enter the setting’s URN: 6 digits, like 117000',
  }),
};
/** A school or setting's user answers for one setting: its URN is needed. */
const scopeRules = (body: Body) =>
  ([] as unknown[]).concat(body.roles ?? []).includes('school') && !text(body, 'settingUrn')
    ? [{ text: 'Enter the URN of the school or setting this user answers for', href: '#settingUrn' }]
    : [];

/** The advice services to choose from, for an advice giver. */
const adviceServiceItems = (selected: unknown) => [
  { value: '', text: 'None: only requests addressed to them by name' },
  ...Object.entries(ADVICE_TYPE_NAMES).map(([value, text]) => ({ value, text, selected: value === selected })),
];

const inviteForm = pageForm(
  {
    name: requiredText('Enter their full name', 'Full name', NAME_MAX_LENGTH),
    email: emailField,
    roles: choices(STAFF_ROLES as unknown as readonly [string, ...string[]], 'Select at least one role'),
    team: optionalText('Team', TEAM_MAX_LENGTH),
    ...scopeFields,
  },
  { lists: ['roles'] },
);

const accessForm = pageForm(
  {
    roles: z
      .preprocess(
        (v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : v === undefined ? [] : [v]),
        z.array(z.unknown()),
      )
      .transform((v) => v.filter((x): x is string => typeof x === 'string')),
    team: optionalText('Team', TEAM_MAX_LENGTH),
    ...scopeFields,
    version: field.pipe(z.string().regex(/^\d{1,9}$/, { error: 'The form is out of date: open the page again' })),
  },
  { lists: ['roles'] },
);

/** The roles ticked, each a staff role; anything else (a role that does not exist, a parent's) is named. */
function staffRolesFrom(values: string[]): { roles: (typeof STAFF_ROLES)[number][]; unknown: string[] } {
  const roles = STAFF_ROLES.filter((r) => values.includes(r));
  return { roles, unknown: values.filter((v) => !(STAFF_ROLES as readonly string[]).includes(v)) };
}

/** The list's filters from the address: a role and a state, each one of those the page offers, and the page. */
function listFilter(query: Request['query']) {
  const role = typeof query.role === 'string' && isRole(query.role) ? query.role : undefined;
  const status =
    typeof query.status === 'string' && (ACCOUNT_STATUSES as readonly string[]).includes(query.status)
      ? (query.status as AccountStatus)
      : undefined;
  const page = typeof query.page === 'string' && /^\d{1,6}$/.test(query.page) ? Math.max(1, Number(query.page)) : 1;
  return { role, status, page };
}

/** What a page says about an email with a link: sent, or (without Notify) the link to pass on, shown this once. */
function delivery(sent: AccountEmailResult | { delivered: 'notice' }) {
  if (sent.delivered === 'not_sent') {
    return {
      emailed: false,
      link: sent.link,
      why:
        sent.reason === 'no_notify'
          ? 'This service does not send email yet (GOV.UK Notify is not set up), so the email was not sent.'
          : 'GOV.UK Notify did not take the email, so it was not sent.',
    };
  }
  return { emailed: true, link: null, why: null };
}

export function userRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { userId: 'user', importId: 'staff_import', identityId: 'external_identity' });
  const canView = requirePermission('users:view');
  const canManage = requirePermission('users:manage');

  router.get('/admin/users', canView, noStore, async (req, res) => {
    const filter = listFilter(req.query);
    const result = await services.users.list(requestContext(req), filter);
    const href = (p: number) => {
      const params = new URLSearchParams();
      if (filter.role) params.set('role', filter.role);
      if (filter.status) params.set('status', filter.status);
      params.set('page', String(p));
      return `/admin/users?${params.toString()}`;
    };
    res.render('admin/users.njk', {
      users: result.rows.map((u) => ({
        ...u,
        href: `/admin/users/${u.id}`,
        rolesText: rolesInWords(u.roles),
        statusText: ACCOUNT_STATUS_NAMES[u.status],
      })),
      filter,
      roleItems: [
        { value: '', text: 'Any role' },
        ...ROLES.map((r) => ({ value: r, text: ROLE_NAMES[r], selected: filter.role === r })),
      ],
      statusItems: [
        { value: '', text: 'Any' },
        ...ACCOUNT_STATUSES.map((s) => ({ value: s, text: ACCOUNT_STATUS_NAMES[s], selected: filter.status === s })),
      ],
      filtered: Boolean(filter.role || filter.status),
      shown: pageSummary(result.page, result.pageSize, result.total),
      lastPageHref: href(result.pageCount),
      pagination: paginationItems(result.page, result.pageCount, href),
      canManage: can(req.user!.roles, 'users:manage'),
    });
  });

  const renderInvite = (res: Response, status: number, extra: { errors?: unknown; values?: Body } = {}) =>
    res.status(status).render('admin/invite.njk', {
      roleItems: staffRoleItems.map((i) => ({
        ...i,
        checked: ((extra.values?.roles as string[] | undefined) ?? []).includes(i.value),
      })),
      lifetime: lifetimeText('set_up'),
      adviceServiceItems: adviceServiceItems(extra.values?.adviceService),
      values: extra.values ?? {},
      errors: extra.errors,
    });

  router.get('/admin/users/invite', canManage, noStore, (_req, res) => {
    renderInvite(res, 200);
  });

  router.post('/admin/users/invite', canManage, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const form = readForm(inviteForm, body);
    // A role the form never offers (one that does not exist, or a parent's) is named, not dropped.
    const { unknown } = staffRolesFrom(form.values.roles as string[]);
    if (unknown.length) {
      form.errors.push({
        text: `${unknown.map((u) => `"${u}"`).join(', ')} is not a role you can give here`,
        href: '#roles',
      });
    }
    form.errors.push(...scopeRules(body));
    if (!form.data || unknown.length || form.errors.length) {
      renderInvite(res, 400, { errors: form.errors, values: form.values });
      return;
    }
    const data = form.data;
    const outcome = await attempt(() =>
      services.users.invite(requestContext(req), {
        name: data.name,
        email: data.email,
        roles: staffRolesFrom(data.roles).roles,
        team: data.team || null,
        adviceService: data.adviceService || null,
        settingUrn: data.settingUrn || null,
      }),
    );
    if (!outcome.ok) {
      renderInvite(res, outcome.failure.status, { errors: outcome.failure.errors, values: form.values });
      return;
    }
    const result = outcome.value;
    res.render('admin/invited.njk', {
      name: data.name,
      email: result.email,
      outcome: result.outcome,
      rolesText: rolesInWords(staffRolesFrom(data.roles).roles),
      laName: req.user!.laName,
      lifetime: lifetimeText('set_up'),
      userHref: `/admin/users/${result.userId}`,
      ...delivery(result.sent),
    });
  });

  // Importing staff from a CSV: the form, the template, the dry run and the confirmation.
  const renderImport = (res: Response, status: number, errors?: unknown) =>
    res.status(status).render('admin/import.njk', {
      errors,
      columns: STAFF_IMPORT_COLUMNS,
      maxRows: STAFF_IMPORT_MAX_ROWS,
      roleCodes: STAFF_ROLES.map((r) => ({ code: r, name: ROLE_NAMES[r] })),
    });

  router.get('/admin/users/import', canManage, noStore, (_req, res) => {
    renderImport(res, 200);
  });

  router.get('/admin/users/import/template.csv', canManage, (_req, res) => {
    res
      .type('text/csv')
      .attachment('staff-import-template.csv')
      .send(
        toCsv(
          [
            [...STAFF_IMPORT_COLUMNS],
            ['Sam Example', 'sam.example@council.gov.uk', 'caseworker', 'North team'],
            ['Alex Example', 'alex.example@council.gov.uk', 'SEND manager; Quality assurance auditor', ''],
          ],
          { lineEnding: 'windows' },
        ),
      );
  });

  const renderCheck = (
    res: Response,
    status: number,
    check: Awaited<ReturnType<Services['staffImport']['check']>>,
    errors: { text: string; href: string }[],
  ) =>
    res.status(status).render('admin/import-check.njk', {
      check,
      errors,
      rows: check.rows.map((r) => [
        { text: String(r.row) },
        { text: r.name, attributes: { 'data-label': 'Name' } },
        { text: r.email, attributes: { 'data-label': 'Email' } },
        { text: r.roles.length ? rolesInWords(r.roles) : r.rolesText, attributes: { 'data-label': 'Roles' } },
        { text: r.team ?? '', attributes: { 'data-label': 'Team' } },
        {
          text:
            r.outcome === 'invite'
              ? 'Would invite'
              : r.outcome === 'add_roles'
                ? 'Would add roles (has an account at another council)'
                : `Error: ${r.problems.join('; ')}`,
          attributes: { 'data-label': 'What would happen', id: `row-${r.row}` },
        },
      ]),
    });

  /** The row errors of a dry run, for the error summary: each row once, linked to its line of the table. */
  const rowErrors = (check: Awaited<ReturnType<Services['staffImport']['check']>>) =>
    check.rows
      .filter((r) => r.outcome === 'error')
      .map((r) => ({ text: `Row ${r.row}: ${r.problems.join('; ')}`, href: `#row-${r.row}` }));

  router.post('/admin/users/import', canManage, noStore, async (req, res) => {
    const file = req.file;
    if (res.locals.uploadTooLarge) {
      renderImport(res, 400, [{ text: 'The selected file must be smaller than 1 MB', href: '#staffFile' }]);
      return;
    }
    if (!file) {
      renderImport(res, 400, [{ text: 'Select a CSV file of staff', href: '#staffFile' }]);
      return;
    }
    const content = await readFile(file.path);
    const outcome = await attempt(() => services.staffImport.check(requestContext(req), file.originalname, content));
    if (!outcome.ok) {
      renderImport(res, outcome.failure.status, outcome.failure.errors);
      return;
    }
    const errors = rowErrors(outcome.value);
    renderCheck(res, errors.length ? 400 : 200, outcome.value, errors);
  });

  router.post('/admin/users/import/:importId', canManage, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const importId = req.params.importId as string;
    const outcome = await attempt(() => services.staffImport.confirm(ctx, importId));
    if (!outcome.ok) {
      // A row that became wrong since the dry run (an account made meanwhile): nothing imported; the rows again.
      const check = await services.staffImport.checked(ctx, importId);
      renderCheck(res, outcome.failure.status, { ...check, importId: null }, rowErrors(check));
      return;
    }
    res.render('admin/imported.njk', {
      result: outcome.value,
      lifetime: lifetimeText('set_up'),
      linkRows: outcome.value.notSent.map((n) => [
        { text: n.name },
        { text: n.email, attributes: { 'data-label': 'Email' } },
        { text: n.link, classes: 'app-link-once', attributes: { 'data-label': 'Set-up link' } },
      ]),
    });
  });

  // One account.
  async function renderAccount(
    req: Request,
    res: Response,
    status: number,
    extra: { errors?: unknown; values?: Body; stale?: unknown; done?: string; sent?: unknown } = {},
  ) {
    const page = await services.users.account(requestContext(req), req.params.userId as string);
    const { account } = page;
    const manage = can(req.user!.roles, 'users:manage');
    const values = extra.values ?? {
      roles: page.staffRoles,
      team: page.team ?? '',
      adviceService: page.adviceService ?? '',
      settingUrn: page.settingUrn ?? '',
    };
    const ticked = (values.roles as string[] | undefined) ?? [];
    res.status(status).render('admin/user.njk', {
      page,
      account,
      statusText: ACCOUNT_STATUS_NAMES[account.status],
      rolesText: rolesInWords(page.staffRoles),
      children: page.children,
      roleItems: staffRoleItems.map((i) => ({ ...i, checked: ticked.includes(i.value) })),
      adviceServiceItems: adviceServiceItems(values.adviceService),
      adviceServiceName: page.adviceService
        ? ADVICE_TYPE_NAMES[page.adviceService as keyof typeof ADVICE_TYPE_NAMES]
        : null,
      values,
      version: account.version,
      canManage: manage,
      canUnlock: can(req.user!.roles, 'users:unlock') && account.status === 'locked',
      sessions: page.sessions.map((s) => ({
        ...s,
        methodText:
          {
            password: 'Password',
            password_totp: 'Password and code',
            staff_oidc: 'Council sign-in',
            one_login: 'GOV.UK One Login',
          }[s.method ?? ''] ?? 'Not recorded',
      })),
      linkWord: account.status === 'invited' ? 'set-up' : 'password-reset',
      errors: extra.errors,
      stale: extra.stale,
      done: extra.done,
      sent: extra.sent,
    });
  }

  const DONE: Record<string, string> = {
    access: 'Roles and team saved.',
    disabled: 'Account disabled. Their sessions have ended.',
    enabled: 'Account enabled. They can sign in again.',
    unlocked: 'Account unlocked. They can sign in again now.',
    'sessions-one': 'Session ended.',
    'sessions-all': 'All their sessions have ended.',
    identity: 'Unlinked. Their next sign-in with that provider is matched by their email address again.',
    'two-factor': 'Two-factor sign-in reset. They will set it up again with a new key when they next sign in.',
  };

  router.get('/admin/users/:userId', canView, noStore, async (req, res) => {
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    await renderAccount(req, res, 200, { done });
  });

  const back = (req: Request, res: Response, done: string) =>
    res.redirect(303, `/admin/users/${req.params.userId as string}?done=${done}`);

  router.post('/admin/users/:userId/access', canManage, noStore, async (req, res) => {
    const form = readForm(accessForm, req.body);
    const { roles, unknown } = staffRolesFrom((form.values.roles as string[]) ?? []);
    if (unknown.length) {
      form.errors.push({
        text: `${unknown.map((u) => `"${u}"`).join(', ')} is not a role you can give here`,
        href: '#roles',
      });
    }
    form.errors.push(...scopeRules((req.body ?? {}) as Body));
    if (!form.data || unknown.length || form.errors.length) {
      await renderAccount(req, res, 400, { errors: form.errors, values: form.values });
      return;
    }
    const { team, version, adviceService, settingUrn } = form.data;
    const outcome = await attempt(
      () =>
        services.users.changeAccess(requestContext(req), req.params.userId as string, {
          roles,
          team: team || null,
          adviceService: adviceService || null,
          settingUrn: settingUrn || null,
          version: Number(version),
        }),
      { what: 'this account' },
    );
    if (!outcome.ok) {
      await renderAccount(req, res, outcome.failure.status, {
        errors: outcome.failure.errors,
        stale: outcome.failure.stale,
        values: form.values,
      });
      return;
    }
    back(req, res, 'access');
  });

  /**
   * A change to the account made on the version the page showed (`version`): a form opened before someone else's
   * change is shown again with it (409), and what the person meant to do is not lost.
   */
  const versionedChange = (
    path: string,
    change: (ctx: ReturnType<typeof requestContext>, userId: string, version: number) => Promise<void>,
    done: string,
  ) =>
    router.post(`/admin/users/:userId/${path}`, canManage, noStore, async (req, res) => {
      const body = (req.body ?? {}) as Body;
      const version = typeof body.version === 'string' && /^\d{1,9}$/.test(body.version) ? Number(body.version) : -1;
      const outcome = await attempt(() => change(requestContext(req), req.params.userId as string, version), {
        what: 'this account',
      });
      if (!outcome.ok) {
        await renderAccount(req, res, outcome.failure.status, {
          errors: outcome.failure.errors,
          stale: outcome.failure.stale,
        });
        return;
      }
      back(req, res, done);
    });
  versionedChange('disable', (ctx, id, version) => services.users.setDisabled(ctx, id, true, version), 'disabled');
  versionedChange('enable', (ctx, id, version) => services.users.setDisabled(ctx, id, false, version), 'enabled');
  versionedChange('two-factor', (ctx, id, version) => services.users.resetTwoFactor(ctx, id, version), 'two-factor');

  router.post('/admin/users/:userId/identities/:identityId/remove', canManage, noStore, async (req, res) => {
    await services.users.removeIdentity(
      requestContext(req),
      req.params.userId as string,
      req.params.identityId as string,
    );
    back(req, res, 'identity');
  });

  router.post('/admin/users/:userId/unlock', requirePermission('users:unlock'), noStore, async (req, res) => {
    await services.users.unlock(requestContext(req), req.params.userId as string);
    back(req, res, 'unlocked');
  });

  router.post('/admin/users/:userId/sessions', canManage, noStore, async (req, res) => {
    const body = (req.body ?? {}) as Body;
    const handle = typeof body.session === 'string' && /^[0-9a-f]{32}$/.test(body.session) ? body.session : undefined;
    await services.users.endSessions(requestContext(req), req.params.userId as string, handle);
    back(req, res, handle ? 'sessions-one' : 'sessions-all');
  });

  router.post('/admin/users/:userId/sign-in-link', canManage, noStore, async (req, res) => {
    const result = await services.users.sendSignInLink(requestContext(req), req.params.userId as string);
    res.render('admin/link-sent.njk', {
      kind: result.kind,
      email: result.email,
      lifetime: lifetimeText(result.kind === 'reset' ? 'reset_password' : 'set_up'),
      userHref: `/admin/users/${req.params.userId as string}`,
      ...delivery(result.sent),
    });
  });

  return router;
}

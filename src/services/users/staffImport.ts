/**
 * Importing staff from a CSV (columns name, email, roles, team): the file is checked row by row first (the dry run,
 * nothing made), kept for its confirmation, and on confirmation checked again against the accounts as they are then and
 * imported whole in one transaction: every row, or (if any row is wrong by then) none.
 */
import { parse } from 'csv-parse/sync';
import type { Database, Db } from '../../data/db.js';
import { deleteStaffImport, findStaffImport, putStaffImport, usersByEmail } from '../../data/repositories/users.js';
import {
  checkStaffRows,
  STAFF_IMPORT_COLUMNS,
  STAFF_IMPORT_MAX_BYTES,
  STAFF_IMPORT_MAX_ROWS,
  type StaffRow,
  type StaffRowInput,
} from '../../domain/access/staff.js';
import type { StaffRole } from '../../domain/access/roles.js';
import type { RequestContext } from '../cases.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';
import type { AccountEmailResult } from '../accountEmails.js';
import type { UserService } from './index.js';

/** One row as the dry run shows it: what confirming would do with it, or what is wrong. */
export interface PlannedRow {
  row: number;
  name: string;
  email: string;
  roles: StaffRole[];
  rolesText: string;
  team: string | null;
  outcome: 'invite' | 'add_roles' | 'error';
  problems: string[];
}

export interface StaffImportCheck {
  importId: string | null;
  fileName: string;
  rows: PlannedRow[];
  counts: { invite: number; addRoles: number; errors: number };
}

export interface StaffImportResult {
  invited: number;
  rolesAdded: number;
  /** Invitations whose email did not go (no Notify, or Notify refused it): the link to pass on, shown once. */
  notSent: { name: string; email: string; link: string }[];
}

/** The file's problem when it cannot be read as a staff CSV at all (linked to the file field). */
function unreadable(text: string): RuleError {
  return new RuleError([{ field: 'staffFile', text }]);
}

/** The rows of a staff CSV as written (header row first: name, email, roles, team in any order; team may be left out). */
export function readStaffCsv(content: Buffer): StaffRowInput[] {
  if (content.length === 0) throw unreadable('The selected file is empty');
  if (content.length > STAFF_IMPORT_MAX_BYTES) throw unreadable('The selected file must be smaller than 1 MB');
  let records: string[][];
  try {
    const parsed: unknown = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true });
    records = parsed as string[][];
  } catch {
    throw unreadable('The selected file must be a CSV (comma-separated values) file');
  }
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = STAFF_IMPORT_COLUMNS.filter((c) => c !== 'team' && !header.includes(c));
  if (missing.length) {
    throw unreadable(
      `The selected file’s first row must name its columns: name, email, roles and team (${missing.join(' and ')} missing)`,
    );
  }
  const body = records.slice(1);
  if (body.length === 0) throw unreadable('The selected file has no rows of staff under its first row');
  if (body.length > STAFF_IMPORT_MAX_ROWS) {
    throw unreadable(
      `The selected file must have ${STAFF_IMPORT_MAX_ROWS.toLocaleString('en-GB')} rows of staff or fewer`,
    );
  }
  const at = (record: string[], column: string) => {
    const i = header.indexOf(column);
    return i < 0 ? '' : (record[i] ?? '');
  };
  return body.map((r) => ({ name: at(r, 'name'), email: at(r, 'email'), roles: at(r, 'roles'), team: at(r, 'team') }));
}

export function createStaffImportService(database: Database, clock: Clock, users: UserService) {
  const { db } = database;

  /** Every row checked on its own, against the others, and against the accounts as they are now. */
  async function plan(tx: Db, ctx: RequestContext, rows: StaffRowInput[]): Promise<PlannedRow[]> {
    const checked = checkStaffRows(rows);
    const existing = await usersByEmail(
      tx,
      checked.flatMap((c) => (c.ok ? [c.value.email] : [])),
      ctx.actor.laCode,
    );
    const laName = await users.laNameOf(tx, ctx.actor.laCode);
    return checked.map((c) => {
      const shown = {
        row: c.row,
        name: c.input.name.trim(),
        email: c.input.email.trim(),
        rolesText: c.input.roles.trim(),
      };
      if (!c.ok)
        return { ...shown, roles: [], team: c.input.team.trim() || null, outcome: 'error', problems: c.problems };
      const found = existing.get(c.value.email.toLowerCase());
      if (found?.inLa) {
        return {
          ...shown,
          roles: c.value.roles,
          team: c.value.team,
          outcome: 'error',
          problems: [`${c.value.email} already has an account in ${laName}`],
        };
      }
      return {
        ...shown,
        roles: c.value.roles,
        team: c.value.team,
        outcome: found ? 'add_roles' : 'invite',
        problems: [],
      };
    });
  }

  const countsOf = (rows: PlannedRow[]) => ({
    invite: rows.filter((r) => r.outcome === 'invite').length,
    addRoles: rows.filter((r) => r.outcome === 'add_roles').length,
    errors: rows.filter((r) => r.outcome === 'error').length,
  });

  /**
   * The dry run: reads and checks the file, makes nothing, and keeps the file for its confirmation when every row can
   * be imported (a file with any error is not kept: it is corrected and uploaded again). Audited.
   */
  async function check(ctx: RequestContext, fileName: string, content: Buffer): Promise<StaffImportCheck> {
    requirePermission(ctx, 'users:manage');
    const rows = readStaffCsv(content);
    return runUseCase(database, ctx, 'users:manage', async ({ tx, ...frame }) => {
      const planned = await plan(tx, ctx, rows);
      const counts = countsOf(planned);
      const importId =
        counts.errors === 0
          ? await putStaffImport(
              tx,
              { laCode: ctx.actor.laCode, createdBy: ctx.actor.userId, fileName, content: content.toString('utf8') },
              clock.now(),
            )
          : null;
      await frame.audit('check', 'staff_import', importId, { rows: planned.length, ...counts });
      return { importId, fileName, rows: planned, counts };
    });
  }

  /** The dry run of a kept file, to show again. */
  async function checked(ctx: RequestContext, importId: string): Promise<StaffImportCheck> {
    requirePermission(ctx, 'users:manage');
    const kept = await findStaffImport(db, importId, ctx.actor.laCode, ctx.actor.userId);
    if (!kept) throw new NotFoundError('staff import');
    const planned = await plan(db, ctx, readStaffCsv(Buffer.from(kept.content, 'utf8')));
    return { importId, fileName: kept.fileName, rows: planned, counts: countsOf(planned) };
  }

  /**
   * Imports a checked file whole, in one transaction: each row invited (a set-up link emailed) or given its roles;
   * checked again first, so that a row that became wrong since the dry run (an account made meanwhile) stops the whole
   * import, with the rows at fault. Then the emails are sent.
   */
  async function confirm(ctx: RequestContext, importId: string): Promise<StaffImportResult> {
    const now = clock.now();
    const done = await runUseCase(database, ctx, 'users:manage', async ({ tx, ...frame }) => {
      const kept = await findStaffImport(tx, importId, ctx.actor.laCode, ctx.actor.userId);
      if (!kept) throw new NotFoundError('staff import');
      const planned = await plan(tx, ctx, readStaffCsv(Buffer.from(kept.content, 'utf8')));
      const wrong = planned.filter((r) => r.outcome === 'error');
      if (wrong.length) {
        throw new RuleError(
          wrong.map((r) => ({ field: `row-${r.row}`, text: `Row ${r.row}: ${r.problems.join('; ')}` })),
        );
      }
      const laName = await users.laNameOf(tx, ctx.actor.laCode);
      const granted = [];
      for (const r of planned) {
        const person: StaffRow = { name: r.name, email: r.email, roles: r.roles, team: r.team };
        granted.push({ person, ...(await users.grantStaffAccess(tx, ctx, laName, person, now, `row-${r.row}`)) });
      }
      await deleteStaffImport(tx, importId);
      await frame.audit('import', 'staff_import', importId, { rows: planned.length, ...countsOf(planned) });
      return granted;
    });
    const notSent: StaffImportResult['notSent'] = [];
    for (const g of done) {
      const sent: AccountEmailResult | { delivered: 'notice' } = await users.sendPending(g.pending);
      if (sent.delivered === 'not_sent') notSent.push({ name: g.person.name, email: g.person.email, link: sent.link });
    }
    return {
      invited: done.filter((g) => g.outcome === 'invited').length,
      rolesAdded: done.filter((g) => g.outcome === 'roles_added').length,
      notSent,
    };
  }

  return { check, checked, confirm };
}

export type StaffImportService = ReturnType<typeof createStaffImportService>;

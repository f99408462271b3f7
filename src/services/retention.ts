/**
 * The retention schedule applied (domain/retention/schedule.ts): which closed cases are due for deletion, and their
 * deletion, each case in its own transaction with an audit record that names the case by its reference and the rule
 * that applied, never by the child's personal data. Audit rows about a deleted child stay (they hold identifiers
 * only), so the audit log's hash chain still verifies.
 */
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { closedCases, deleteCase, type ClosedCaseRow, type DeletedCounts } from '../data/repositories/retention.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import { auditAction } from './auditTrail.js';
import type { RequestContext } from './cases.js';
import { describeRule, retentionDue, type RecordKind, type RetentionSchedule } from '../domain/retention/schedule.js';
import { requirePermission } from './useCase.js';

export interface DueCase {
  laCode: string;
  childId: string;
  /** The child's reference: what the report and the audit record name the case by. */
  reference: string;
  kind: RecordKind;
  /** The rule in words (describeRule). */
  rule: string;
  closedOn: LocalDate;
  dueOn: LocalDate;
}

export interface RetentionRun {
  /** The cases deleted (or, in a dry run, that would be). */
  cases: (DueCase & { deleted: DeletedCounts | null })[];
  dryRun: boolean;
}

function due(row: ClosedCaseRow, schedule: RetentionSchedule, asOf: LocalDate): DueCase | undefined {
  const { kind, rule, dueOn } = retentionDue(
    { dateOfBirth: row.dateOfBirth as LocalDate, closedOn: row.closedOn as LocalDate, hadPlan: row.hadPlan },
    schedule,
  );
  if (dueOn > asOf) return undefined;
  return {
    laCode: row.laCode,
    childId: row.childId,
    reference: row.reference,
    kind,
    rule: describeRule(kind, rule),
    closedOn: row.closedOn as LocalDate,
    dueOn,
  };
}

export function createRetentionService(database: Database, schedule: RetentionSchedule) {
  const { db } = database;

  /** The closed cases whose records are due for deletion on `asOf`, by LA and reference. */
  const report = async (asOf: LocalDate, laCode?: string): Promise<DueCase[]> =>
    (await closedCases(db, { laCode })).flatMap((row) => due(row, schedule, asOf) ?? []);

  /**
   * Deletes every case due on `asOf` (only lists them when `dryRun`). Each case is checked again, locked, in the
   * transaction that deletes it: one reopened since the report is left alone.
   */
  const run = async (options: { asOf: LocalDate; laCode?: string; dryRun: boolean }): Promise<RetentionRun> => {
    const listed = await report(options.asOf, options.laCode);
    if (options.dryRun) return { dryRun: true, cases: listed.map((c) => ({ ...c, deleted: null })) };
    const cases: RetentionRun['cases'] = [];
    for (const listedCase of listed) {
      const done = await db.transaction(async (tx) => {
        const [row] = await closedCases(tx, { laCode: listedCase.laCode, childId: listedCase.childId, lockIt: true });
        const still = row && due(row, schedule, options.asOf);
        if (!still) return undefined;
        const deleted = await deleteCase(tx, still.laCode, still.childId);
        await appendAudit(tx, {
          userId: null,
          laCode: still.laCode,
          action: 'retention_delete',
          entityType: 'child',
          entityId: still.childId,
          childId: still.childId,
          detail: {
            reference: still.reference,
            kind: still.kind,
            rule: still.rule,
            closedOn: still.closedOn,
            dueOn: still.dueOn,
            deleted,
          },
        });
        return { ...still, deleted };
      });
      if (done) cases.push(done);
    }
    return { dryRun: false, cases };
  };

  /**
   * The administrator's page (read-only): the schedule and the LA's cases due for deletion on `asOf`, as `openehcp
   * retention report` lists them. Its reading is audited (how many were listed; the references stay on the page).
   */
  const forAdministrator = async (ctx: RequestContext, asOf: LocalDate) => {
    requirePermission(ctx, 'retention:view');
    const cases = await report(asOf, ctx.actor.laCode);
    await auditAction(db, ctx, 'read', 'retention_report', null, { asOf, due: cases.length });
    return { schedule, cases };
  };

  return { report, run, forAdministrator };
}

export type RetentionService = ReturnType<typeof createRetentionService>;

import { localAuthorityName } from '../../data/repositories/localAuthorities.js';
import { isOverdue } from '../../domain/commitments/plan.js';
import { formatLongDate, formatMonth, type LocalDate } from '../../domain/dates/localDate.js';
import { auditAction } from '../auditTrail.js';
import type { RequestContext } from '../cases.js';
import { requirePermission } from '../useCase.js';
import { assembled } from './commitmentViews.js';
import { requirePlan, type PlanDeps } from './shared.js';
import { fmt } from './words.js';

/** The board report: every commitment's icons by priority, and the exceptions that need the board's attention. */
export async function boardReport(deps: PlanDeps, ctx: RequestContext) {
  requirePermission(ctx, 'plan:view');
  const { db } = deps.database;
  const laCode = ctx.actor.laCode;
  const plan = await requirePlan(db, laCode);
  const { objectives, groups } = await assembled(deps, laCode, plan, false);
  await auditAction(db, ctx, 'read', 'improvement_plan', plan.id, { view: 'board_report' });
  const today = deps.clock.today();
  const exceptions: {
    reference: string;
    commitmentId: string;
    kind: 'concern' | 'off_track' | 'process_fails' | 'milestone_missed' | 'action_overdue' | 'draft';
    text: string;
  }[] = [];
  for (const g of groups) {
    for (const c of g.commitments) {
      if (c.row.status === 'draft') {
        exceptions.push({
          reference: c.reference,
          commitmentId: c.row.id,
          kind: 'draft',
          text: `Not yet measurable: ${c.flags.length} ${c.flags.length === 1 ? 'problem' : 'problems'}`,
        });
      }
      if (c.assurance?.concern) {
        exceptions.push({
          reference: c.reference,
          commitmentId: c.row.id,
          kind: 'concern',
          text: 'The latest month is a special cause of concern',
        });
      }
      const latest = c.assurance?.latest;
      if (latest && c.assurance?.status === 'off_track') {
        exceptions.push({
          reference: c.reference,
          commitmentId: c.row.id,
          kind: 'off_track',
          text: `Behind trajectory in ${formatMonth(latest.month)}: ${fmt(latest.value, c.unit)} against ${fmt(latest.expected!, c.unit)} expected`,
        });
      }
      if (latest && c.assurance?.status === 'on_trajectory_process_fails') {
        exceptions.push({
          reference: c.reference,
          commitmentId: c.row.id,
          kind: 'process_fails',
          text: `On trajectory in ${formatMonth(latest.month)}, but the process fails the target consistently: as it runs, it will not reach the target`,
        });
      }
      for (const m of c.assurance?.milestones ?? []) {
        if (m.status === 'missed') {
          exceptions.push({
            reference: c.reference,
            commitmentId: c.row.id,
            kind: 'milestone_missed',
            text: `${m.isTarget ? 'Target' : 'Milestone'} for ${formatMonth(m.month)} missed: ${fmt(m.actual!, c.unit)} against ${fmt(m.value, c.unit)}`,
          });
        }
      }
      for (const a of c.actions) {
        if (isOverdue(a, today)) {
          exceptions.push({
            reference: c.reference,
            commitmentId: c.row.id,
            kind: 'action_overdue',
            text: `Action overdue since ${formatLongDate(a.dueDate as LocalDate)}: ${a.title} (${a.ownerName})`,
          });
        }
      }
    }
  }
  const name = await localAuthorityName(db, laCode);
  return { plan, laName: name ?? laCode, objectives, groups, exceptions, today };
}

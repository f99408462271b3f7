/**
 * Mediations and appeals in the demo county's history (issue 28): added after everything else, from a stream of their
 * own, so every other record and figure is as it was. Each is written as the disagreement casework writes it (a
 * `disagreements` row with its steps' dates, and a timeline event for each step), so /disagreements, the case pages
 * and the tribunal-orders measure read them as they read the council's own.
 *
 * How many, from Hertfordshire's 2024 figures in DfE's "Education, health and care plans" 2025 release (SEN2;
 * shared/reference/statistics/dfe-ehcp-2025, OGL v3), applied to the demo's own decisions of each kind:
 * - refusals to assess (requests.csv): 39 mediations and 171 Tribunal appeals against 775 refusals; 9 of the 39
 *   mediations went on to the Tribunal;
 * - after an assessment (assessments.csv): 8 mediations and 45 appeals about the assessment's outcome against 89
 *   decisions not to issue a plan; 3 mediations and 121 appeals for other reasons (taken here as the plan's content,
 *   sections B, F and I) against 1,894 plans issued.
 * That is about 340 of the 613 appeals the Tribunal registered for Hertfordshire in 2024 (4.4% of its 13,889 appealable
 * decisions; send_tribunal_appeal_rate_2014_2024.csv); the rest, about existing plans after reviews and ceasing, are
 * not drawn (stated assumption: SEN2 does not say what they were about).
 *
 * Stated assumptions, where no published figure is to hand: of appeals decided, 35 in 100 the council does not oppose
 * (reg 45), 35 end in an order (reg 44), 10 are dismissed and 20 withdrawn; an appeal is lodged 3 to 7 weeks after the
 * decision (or the certificate), never after the family's last day; it is decided 4 to 6 months later (an appeal not
 * opposed 1 to 3 months later). The council does each ordered step by its date about 7 times in 10, otherwise 1 to 5
 * weeks late. Of the plans ordered after an assessment, about 1 in 20 ends with a "no plan" notice (Hertfordshire:
 * 89 of 1,983 assessments). Mediation takes place 2 to 5 weeks after the council is told (a few after the 30 days),
 * its certificate 1 to 5 days after it; 3 in 10 reach an agreement, done within 1 to 3 weeks. Families of the demo's
 * sign-in accounts are left as they are. Everything is as of the demo's date: a step after it has not happened.
 */
import {
  applyDisagreementStep,
  checkDisagreementStep,
  disagreementClosed,
  disagreementDuties,
  disagreementNextDeadline,
  familyDeadlines,
  newDisagreement,
  ORDERS_FOR,
  type DisagreementAbout,
  type DisagreementRecord,
  type DisagreementStepInput,
  type TribunalOutcome,
} from '../domain/casework/disagreement.js';
import { addDays, type LocalDate } from '../domain/dates/localDate.js';
import { addMonths } from '../domain/dates/months.js';
import type { WorkingDayCalendar } from '../domain/dates/workingDays.js';
import { TRIBUNAL_ORDER_DAYS } from '../domain/statutory/periods.js';
import type { disagreements } from '../data/schema.js';
import { disagreementColumns } from '../data/repositories/disagreements.js';
import { STEP_EVENTS, stepData } from '../services/disagreements/index.js';
import type { DemoCounty } from './generate.js';
import type { Random } from './random.js';

export type DemoDisagreement = typeof disagreements.$inferInsert & { id: string };

/** How far back the disagreements are drawn (the demo's five years). */
const HISTORY_MONTHS = 60;

/** Hertfordshire 2024 (SEN2): mediations, appeals, and the decisions they followed (see above). */
export const HERTS_2024 = {
  not_assess: { decisions: 775, mediations: 39, appeals: 171 },
  not_issue: { decisions: 89, mediations: 8, appeals: 45 },
  plan_content: { decisions: 1894, mediations: 3, appeals: 121 },
  /** Mediations about a refusal to assess that went on to the Tribunal. */
  appealsAfterMediation: 9 / 39,
} as const;

const OUTCOMES: [TribunalOutcome, number][] = [
  ['unopposed', 35],
  ['order', 35],
  ['dismissed', 10],
  ['withdrawn', 20],
];

const AGREEMENT = 'Meet the family and the school’s SENCo to agree how the support will be checked each term';

export function disagreementHistory(
  out: DemoCounty,
  asOf: LocalDate,
  rnd: Random,
  calendar: WorkingDayCalendar,
): DemoDisagreement[] {
  const family = new Set(out.roleAssignments.filter((a) => a.role === 'parent').map((a) => a.childId));
  const historyFrom = addMonths(asOf, -HISTORY_MONTHS);
  const rows: DemoDisagreement[] = [];
  for (const q of out.requests) {
    if (family.has(q.childId)) continue;
    const decisions: [DisagreementAbout, string | null | undefined][] = [
      ['not_assess', q.assessmentDecision === 'not_assess' ? q.assessmentDecisionDate : null],
      ['not_issue', q.issueDecision === 'not_issue' ? q.issueDecisionDate : null],
      ['plan_content', q.finalIssuedDate],
    ];
    for (const [about, date] of decisions) {
      if (!date || date < historyFrom || date > asOf) continue;
      const rate = HERTS_2024[about as keyof typeof HERTS_2024] as {
        decisions: number;
        mediations: number;
        appeals: number;
      };
      const mediation = rnd.chance(rate.mediations / rate.decisions);
      const appeal = mediation
        ? rnd.chance(HERTS_2024.appealsAfterMediation)
        : rnd.chance(rate.appeals / rate.decisions);
      if (!mediation && !appeal) continue;
      const row = disagreement(about, date as LocalDate, mediation, appeal, asOf, rnd, calendar);
      if (!row) continue;
      const id = rnd.uuid();
      const next = nextDeadline(row.record, asOf, calendar);
      rows.push({
        id,
        laCode: q.laCode,
        childId: q.childId,
        requestId: q.id,
        about,
        decisionDate: date,
        status: disagreementClosed(row.record) ? 'closed' : 'open',
        ...disagreementColumns(row.record),
        nextDuty: next?.duty ?? null,
        nextDue: next?.due ?? null,
      });
      const actorId = q.caseworkerId ?? null;
      const event = (type: string, occurredOn: LocalDate, data: Record<string, unknown>) =>
        out.events.push({
          laCode: q.laCode,
          childId: q.childId,
          requestId: q.id,
          actorId,
          type,
          occurredOn,
          data: { ...data, disagreementId: id },
        });
      event('disagreement_started', row.steps[0]!.date, { about, decisionDate: date });
      for (const s of row.steps) event(STEP_EVENTS[s.input.step], s.date, stepData(s.input));
    }
  }
  return rows;
}

interface Drawn {
  record: DisagreementRecord;
  steps: { input: DisagreementStepInput; date: LocalDate }[];
}

/** One disagreement's steps, as of `asOf` (null when its first step has not come yet). */
function disagreement(
  about: DisagreementAbout,
  decisionDate: LocalDate,
  mediation: boolean,
  appeal: boolean,
  asOf: LocalDate,
  rnd: Random,
  calendar: WorkingDayCalendar,
): Drawn | null {
  let record = newDisagreement(about, decisionDate);
  const steps: Drawn['steps'] = [];
  // Each step only if its day has come; the draws are made either way, so the county does not depend on the day.
  const take = (input: DisagreementStepInput, date: LocalDate): boolean => {
    if (date > asOf) return false;
    // Each step as the forms allow it on its day (a demo that broke the casework's rules would be a bug here).
    const errors = checkDisagreementStep(record, input, date);
    if (errors.length) throw new Error(`demo disagreement: ${errors.map((e) => e.text).join('; ')}`);
    record = applyDisagreementStep(record, input);
    steps.push({ input, date });
    return true;
  };
  let from = decisionDate;
  if (mediation) {
    const told = addDays(decisionDate, rnd.int(10, 40));
    const held = addDays(told, rnd.chance(0.9) ? rnd.int(14, 30) : rnd.int(31, 40));
    const certificate = addDays(held, rnd.int(1, 5));
    const agreed = rnd.chance(0.3);
    const done = addDays(held, rnd.int(7, 21));
    if (!take({ step: 'mediation', mediationToldDate: told }, told)) return null;
    const ok =
      take(
        {
          step: 'mediated',
          mediationHeldDate: held,
          agreement: agreed,
          agreementActions: agreed ? AGREEMENT : null,
          agreementKind: agreed ? 'other' : null,
        },
        held,
      ) && take({ step: 'certificate', certificateDate: certificate }, certificate);
    if (ok && agreed) take({ step: 'agreement_done', agreementDoneDate: done }, done);
    if (!ok) return { record, steps };
    from = certificate;
  }
  const lastDay = familyDeadlines(record, calendar).appealBy.date;
  const lodged = addDays(from, rnd.int(21, 49));
  const appealDate = lodged < lastDay ? lodged : lastDay;
  const outcome = rnd.weighted(OUTCOMES);
  const outcomeDate = addDays(appealDate, outcome === 'unopposed' ? rnd.int(30, 90) : rnd.int(120, 180));
  const orders = ORDERS_FOR[about];
  const order = outcome === 'order' || outcome === 'unopposed' ? rnd.pick(orders) : null;
  const noPlan = rnd.chance(89 / 1983);
  const lateness = [0, 1, 2].map(() => (rnd.chance(0.7) ? -rnd.int(0, 10) : rnd.int(7, 35)));
  const closeAfter = rnd.int(1, 14);
  if (!appeal) {
    const closed = addDays(lastDay, closeAfter);
    if (steps.length) take({ step: 'close', closedDate: closed }, closed);
    return steps.length ? { record, steps } : null;
  }
  if (!take({ step: 'appeal', appealDate }, appealDate)) return steps.length ? { record, steps } : null;
  if (!take({ step: 'outcome', outcome, outcomeDate, order }, outcomeDate) || order === null) return { record, steps };
  const stepIds =
    order === 'make_and_maintain'
      ? (['make_and_maintain_draft', 'make_and_maintain_final'] as const)
      : order === 'assess'
        ? (['assess_notify', noPlan ? 'assess_no_plan' : 'assess_final'] as const)
        : order === 'maintain'
          ? []
          : ([order] as const);
  let previous = outcomeDate;
  for (const [i, step] of stepIds.entries()) {
    const due = addDays(outcomeDate, TRIBUNAL_ORDER_DAYS[step]);
    const late = addDays(due, lateness[i]!);
    const done = late < previous ? previous : late;
    if (!take({ step: 'complied', orderStep: step, compliedDate: done }, done)) break;
    previous = done;
  }
  return { record, steps };
}

function nextDeadline(r: DisagreementRecord, asOf: LocalDate, calendar: WorkingDayCalendar) {
  const duties = disagreementDuties(r, asOf, calendar);
  return disagreementNextDeadline(r, duties, familyDeadlines(r, calendar).appealBy.date);
}

/**
 * The demo county's improvement plan, modelled on what Hertfordshire published after its 2023 inspection: priority
 * areas from the inspection's areas for priority action; measurable commitments (60% of new plans within 20 weeks as
 * an early milestone, the backlog over 20 weeks, audited plans rated good or better, families kept informed); and some
 * commitments left vague, as real plans have them, so that the checks have something to show.
 *
 * Baselines are the demo county's own figures, worked out from its generated casework, so the charts and the
 * baselines agree. Dates are relative to the county's "as of" date.
 */
import type { Db } from '../data/db.js';
import { loadMeasureCases } from '../data/repositories/measures.js';
import {
  commitmentActions,
  commitmentHistory,
  commitments,
  commitmentValues,
  improvementPlans,
  planObjectives,
  planPriorities,
} from '../data/schema.js';
import { monthAt, monthIndex } from '../domain/commitments/assurance.js';
import { monthEnd } from '../domain/commitments/plan.js';
import { addDays, formatMonth } from '../domain/dates/localDate.js';
import { monthlyMeasures } from '../domain/measures/monthly.js';
import { trackedFields } from '../services/improvementPlan/index.js';
import { DEMO_LA, type DemoCounty } from './generate.js';
import { Random } from './random.js';
import { englandAndWales } from '../domain/dates/workingDays.js';

const plus = (month: string, n: number) => monthAt(monthIndex(month) + n);
const round1 = (n: number) => Math.round(n * 10) / 10;

export async function seedDemoImprovementPlan(tx: Db, county: DemoCounty, seed: number): Promise<void> {
  const laCode = DEMO_LA.laCode;
  const asOf = county.asOf;
  const thisMonth = asOf.slice(0, 7);
  const lastMonth = plus(thisMonth, -1);
  const byEmail = (email: string) => county.users.find((u) => u.email === email)?.id ?? null;
  const manager = byEmail('manager@demo-county.example');
  const board = byEmail('board@demo-county.example');
  const qa = byEmail('qa@demo-county.example');
  const rnd = new Random(seed + 6);

  // The county's own figures: the baselines are those of the month the plan was written, 14 months ago.
  const written = plus(thisMonth, -14);
  const values = monthlyMeasures(await loadMeasureCases(tx, laCode), plus(written, -12), lastMonth, englandAndWales);
  const figure = (measure: string, month: string) =>
    values.find((v) => v.measure === measure && v.month === month && v.dimension === 'all')?.value ?? null;
  const timelinessBase = round1(figure('plans_within_20_weeks_excl', written) ?? 35);
  const backlogBase = Math.round(figure('waiting_over_20_weeks', written) ?? 200);
  const healthBase = round1(figure('advice_within_6_weeks', written) ?? 60);

  const writtenAt = new Date(`${monthEnd(written)}T10:00:00Z`);
  const [plan] = await tx
    .insert(improvementPlans)
    .values({
      laCode,
      title: 'Demo County SEND Priority Action Plan',
      partners: ['Demo County Council', 'Demo Integrated Care Board', 'Demo Parent Carer Forum'],
      periodStart: monthEnd(plus(written, -1)).replace(/-\d\d$/, '-01'),
      periodEnd: monthEnd(plus(written, 35)),
      chair: 'Prof. Margaret Ellis (independent chair)',
      published: true,
    })
    .returning({ id: improvementPlans.id });
  const planId = plan!.id;

  await tx.insert(planObjectives).values([
    {
      laCode,
      planId,
      text: 'Children and young people with SEND have their needs identified early and met without waiting: at least 80% of EHC plans issued within 20 weeks, every year.',
      horizon: monthEnd(plus(written, 36)),
    },
    {
      laCode,
      planId,
      text: 'Families trust the local area: most parents and carers say they were listened to and kept informed.',
      horizon: monthEnd(plus(written, 48)),
    },
  ]);

  const priorityRows = await tx
    .insert(planPriorities)
    .values([
      {
        laCode,
        planId,
        position: 1,
        title: 'Timeliness of EHC needs assessments and plans',
        description: 'Area for priority action 1: too many children wait too long for their needs to be assessed.',
      },
      {
        laCode,
        planId,
        position: 2,
        title: 'Quality of EHC plans',
        description: 'Area for priority action 2: plans do not consistently capture children’s needs and outcomes.',
      },
      {
        laCode,
        planId,
        position: 3,
        title: 'Communication with families',
        description: 'Area for priority action 3: parents are not told what is happening.',
      },
    ])
    .returning({ id: planPriorities.id });
  const [timeliness, quality, communication] = priorityRows.map((p) => p.id) as [string, string, string];

  const base = { laCode, planId, frequency: 'monthly', lagMonths: 1, createdAt: writtenAt, updatedAt: writtenAt };
  const early = plus(written, 9);
  const rows = await tx
    .insert(commitments)
    .values([
      {
        ...base,
        priorityId: timeliness,
        status: 'measurable',
        statement: `60% of new EHC plans issued within 20 weeks (excluding exceptions) by ${formatMonth(early)}, rising to 80% within two years`,
        measureId: 'plans_within_20_weeks_excl',
        polarity: 'increase',
        baselineValue: timelinessBase,
        baselinePeriod: written,
        targetValue: 80,
        targetDate: monthEnd(plus(written, 24)),
        milestones: [
          { date: monthEnd(plus(written, 4)), value: round1(timelinessBase + (60 - timelinessBase) / 2) },
          { date: monthEnd(early), value: 60 },
          { date: monthEnd(plus(written, 16)), value: 70 },
        ],
        ownerRole: 'Head of SEND Statutory Services',
        ownerOrganisation: 'Demo County Council',
      },
      {
        ...base,
        priorityId: timeliness,
        status: 'measurable',
        statement: 'Halve the number of requests waiting more than 20 weeks within a year',
        measureId: 'waiting_over_20_weeks',
        polarity: 'decrease',
        baselineValue: backlogBase,
        baselinePeriod: written,
        targetValue: Math.round(backlogBase / 2),
        targetDate: monthEnd(plus(written, 12)),
        milestones: [{ date: monthEnd(plus(written, 6)), value: Math.round(backlogBase * 0.75) }],
        ownerRole: 'Head of SEND Statutory Services',
        ownerOrganisation: 'Demo County Council',
      },
      {
        ...base,
        priorityId: timeliness,
        status: 'measurable',
        statement:
          '90% of advice for EHC needs assessments returned within 6 weeks by the end of the plan’s first year',
        measureId: 'advice_within_6_weeks',
        polarity: 'increase',
        baselineValue: healthBase,
        baselinePeriod: written,
        targetValue: 90,
        targetDate: monthEnd(plus(written, 12)),
        milestones: [{ date: monthEnd(plus(written, 6)), value: round1((healthBase + 90) / 2) }],
        ownerRole: 'Designated Clinical Officer',
        ownerOrganisation: 'Demo Integrated Care Board',
      },
      {
        ...base,
        priorityId: quality,
        status: 'measurable',
        statement: '70% of EHC plans audited each month rated good or better within 18 months',
        seriesName: 'EHC plans rated good or better in the monthly audit',
        seriesSource: 'Monthly multi-agency audit of a random sample of plans issued that month',
        seriesNumerator: 'Plans in the sample rated good or outstanding',
        seriesDenominator: 'Plans in the sample audited',
        seriesUnit: '%',
        // The same definition as the live measure from the plan audits recorded in the service: the page sets the
        // two side by side, and they disagree (the figures typed from the audit spreadsheet are not the audits).
        liveMeasureId: 'plans_good_or_better',
        polarity: 'increase',
        baselineValue: 38,
        baselinePeriod: written,
        baselineN: 12,
        targetValue: 70,
        targetDate: monthEnd(plus(written, 18)),
        milestones: [
          { date: monthEnd(plus(written, 6)), value: 50 },
          { date: monthEnd(plus(written, 12)), value: 60 },
        ],
        ownerRole: 'SEND Quality Assurance Lead',
        ownerOrganisation: 'Demo County Council',
      },
      {
        ...base,
        priorityId: quality,
        status: 'draft',
        statement: 'Improve the quality of EHC plans through training and a stronger quality assurance framework',
        ownerRole: 'SEND Quality Assurance Lead',
        ownerOrganisation: 'Demo County Council',
      },
      {
        ...base,
        priorityId: communication,
        status: 'measurable',
        statement:
          '75% of parents and carers say they were kept informed during the assessment, by the end of the plan’s second year',
        seriesName: 'Parents and carers who say they were kept informed',
        seriesSource: 'Demo Parent Carer Forum’s survey of families whose assessment ended that month',
        seriesNumerator: 'Respondents answering “always” or “mostly” kept informed',
        seriesDenominator: 'Respondents',
        seriesUnit: '%',
        polarity: 'increase',
        baselineValue: 31,
        baselinePeriod: written,
        baselineN: 26,
        targetValue: 75,
        targetDate: monthEnd(plus(written, 24)),
        milestones: [
          { date: monthEnd(plus(written, 6)), value: 42 },
          { date: monthEnd(plus(written, 12)), value: 55 },
          { date: monthEnd(plus(written, 18)), value: 65 },
        ],
        ownerRole: 'Assistant Director, SEND',
        ownerOrganisation: 'Demo County Council',
      },
      {
        ...base,
        priorityId: communication,
        status: 'draft',
        statement: 'Strengthen communication with families and ensure parents are kept informed at every stage',
      },
      {
        ...base,
        priorityId: communication,
        status: 'draft',
        statement:
          'Work towards joint commissioning between the council and the ICB, exploring options for more specialist places',
      },
    ])
    .returning();
  const [c1, c2, c3, c4, , c6] = rows.map((r) => r.id);

  // The history of each measurable commitment starts when it was made measurable, as the service records it; the first
  // commitment's 60% milestone was moved once, in public, with its reason.
  const originalMilestones = `${formatMonth(plus(written, 3))} 60`;
  const firstEntry = (r: (typeof rows)[number]) =>
    Object.entries(trackedFields(r))
      .filter(([, to]) => to !== null)
      .map(([field, to]) => ({
        field,
        from: null,
        to: r.id === c1 && field === 'Milestones' ? originalMilestones : to,
      }));
  await tx.insert(commitmentHistory).values(
    rows
      .filter((r) => r.status === 'measurable')
      .map((r) => ({
        laCode,
        commitmentId: r.id,
        at: writtenAt,
        changedBy: board,
        changes: firstEntry(r),
        reason: 'Agreed by the improvement board',
      })),
  );
  await tx.insert(commitmentHistory).values({
    laCode,
    commitmentId: c1!,
    at: new Date(`${monthEnd(plus(written, 2))}T15:00:00Z`),
    changedBy: board,
    changes: [{ field: 'Milestones', from: originalMilestones, to: trackedFields(rows[0]!).Milestones ?? null }],
    reason:
      'Clearing the oldest cases first lowers the share on time for some months: the board agreed a later date for 60% rather than leave the backlog waiting.',
  });

  // Figures entered by hand: the monthly plan audit (about 12 plans) and the parents' survey (about 25 replies).
  const manual: (typeof commitmentValues.$inferInsert)[] = [];
  for (let i = -13; i <= 0; i++) {
    const month = plus(lastMonth, i);
    const progress = (i + 13) / 13;
    const audited = 10 + rnd.int(0, 5);
    const good = Math.min(audited, Math.round(audited * (0.36 + 0.14 * progress) + rnd.int(-1, 1)));
    manual.push({
      laCode,
      commitmentId: c4!,
      month,
      value: round1((100 * good) / audited),
      n: audited,
      enteredBy: qa,
      enteredAt: new Date(`${monthEnd(month)}T12:00:00Z`),
    });
    const replies = 18 + rnd.int(0, 14);
    const informed = Math.min(replies, Math.round(replies * (0.3 + 0.12 * progress) + rnd.int(-2, 2)));
    manual.push({
      laCode,
      commitmentId: c6!,
      month,
      value: round1((100 * informed) / replies),
      n: replies,
      enteredBy: manager,
      enteredAt: new Date(`${monthEnd(month)}T12:00:00Z`),
    });
  }
  await tx.insert(commitmentValues).values(manual);

  // Actions, two of them adding capacity (for the forecast); one overdue.
  await tx.insert(commitmentActions).values([
    {
      laCode,
      commitmentId: c1!,
      title: 'Recruit three more educational psychologists',
      ownerId: manager!,
      dueDate: monthEnd(plus(thisMonth, 2)),
      status: 'in_progress',
      evidence: 'Posts advertised; interviews booked',
      capacityStage: 'educational_psychology',
      capacityChange: 3,
      capacityFrom: monthEnd(plus(thisMonth, 3)).replace(/-\d\d$/, '-01'),
    },
    {
      laCode,
      commitmentId: c1!,
      title: 'Recruit four more EHC caseworkers',
      ownerId: manager!,
      dueDate: monthEnd(plus(thisMonth, -1)),
      status: 'done',
      evidence: 'Four caseworkers started; see the staffing report to the board',
      capacityStage: 'casework',
      capacityChange: 4,
      capacityFrom: monthEnd(plus(thisMonth, -1)).replace(/-\d\d$/, '-01'),
    },
    {
      laCode,
      commitmentId: c2!,
      title: 'Review every request waiting over 30 weeks with its family and agree a date',
      ownerId: manager!,
      dueDate: addDays(asOf, -14),
      status: 'in_progress',
      evidence: '',
    },
    {
      laCode,
      commitmentId: c3!,
      title: 'Agree a service level for health advice with each NHS provider',
      ownerId: board!,
      dueDate: monthEnd(plus(thisMonth, 1)),
      status: 'not_started',
      evidence: '',
    },
  ]);
}

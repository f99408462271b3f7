/**
 * Plan quality assurance (domain/quality): the LA's rubric in versions, the monthly sample shared among auditors
 * with moderation, audits graded from the criteria met, findings tracked on the case until corrected, and the
 * results: the share of audited plans rated good or better by month, team, need and section, and how far auditors
 * agree. Auditors see only the audits given to them; managers see all; families never see audits. Every read and
 * write is audited.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../data/db.js';
import { planVersionsFor } from '../data/repositories/plans.js';
import {
  auditsForMonth,
  closeFinding,
  completedAuditsOn,
  finalPlansIssued,
  findAudit,
  insertAudits,
  insertFinding,
  insertRubric,
  latestRubric,
  listAudits,
  listAuditors,
  listFindings,
  rubricById,
  rubricsByIds,
  updateAudit,
  updateRubricContent,
  type RubricRow,
} from '../data/repositories/quality.js';
import { can } from '../domain/access/roles.js';
import { readPlanContent } from '../domain/casework/planContent.js';
import { addDays, type LocalDate } from '../domain/dates/localDate.js';
import { monthAt, monthIndex } from '../domain/commitments/assurance.js';
import { shareAgreeing, weightedKappa } from '../domain/quality/agreement.js';
import {
  ANSWERS,
  changesGrades,
  DEFAULT_RUBRIC,
  GRADES,
  gradeAudit,
  rubricProblems,
  unanswered,
  type Answer,
  type Grade,
  type Rubric,
} from '../domain/quality/rubric.js';
import { assignAuditors, stratifiedSample } from '../domain/quality/sampling.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { auditAction } from './auditTrail.js';
import { NotFoundError, RuleError, StaleFormError } from './errors.js';
import { staleDetail } from './staleForm.js';
import { isUuid } from '../domain/identifiers/uuid.js';
import { requirePermission } from './useCase.js';

export const AGENCIES = { education: 'Education', health: 'Health', social_care: 'Social care' } as const;
export type Agency = keyof typeof AGENCIES;

/** Grades counted as good or better. */
const GOOD_OR_BETTER = new Set<string>(['outstanding', 'good']);

/** What a rubric form was opened against: the version and its content, so an edit in place since is noticed. */
/** A rubric as its form has it, field by field, for a stale form to be shown what changed. */
function rubricWords(r: Rubric): Record<string, string> {
  const words: Record<string, string> = {
    'Outstanding from': String(r.boundaries.outstanding),
    'Good from': String(r.boundaries.good),
    'Requires improvement from': String(r.boundaries.requiresImprovement),
  };
  for (const [i, section] of r.sections.entries()) {
    words[`Section ${i + 1}: name`] = section.name;
    words[`Section ${i + 1}: weight`] = String(section.weight);
    words[`Section ${i + 1}: limits the grade`] = section.limiting ? 'Yes' : 'No';
    words[`Section ${i + 1}: criteria`] = section.criteria.map((c) => c.text).join('; ');
  }
  return words;
}

const ANSWER_WORDS: Record<Answer, string> = { met: 'Met', not_met: 'Not met', not_applicable: 'Not applicable' };

/** An audit's answers and comments as its form has them, criterion by criterion. */
function auditWords(
  rubric: Rubric,
  a: { answers: Record<string, string>; comments: Record<string, string>; agency: string | null },
): Record<string, string> {
  const words: Record<string, string> = { 'Audited for': a.agency ? (AGENCIES[a.agency as Agency] ?? a.agency) : '' };
  for (const section of rubric.sections) {
    for (const c of section.criteria) {
      const answer = a.answers[c.id];
      words[`${c.id}. ${c.text}`] = answer ? (ANSWER_WORDS[answer as Answer] ?? answer) : '';
    }
    words[`${section.name}: comments`] = a.comments[section.key] ?? '';
  }
  return words;
}

function rubricStamp(row: RubricRow): string {
  return `${row.version}:${createHash('sha256').update(JSON.stringify(row.content)).digest('hex').slice(0, 16)}`;
}

export function createQualityService(database: Database, clock: Clock) {
  const { db } = database;

  const requireManage = (ctx: RequestContext) => {
    requirePermission(ctx, 'quality:manage');
  };
  const requireQuality = (ctx: RequestContext) => {
    if (!can(ctx.actor.roles, 'quality:manage')) requirePermission(ctx, 'quality:audit');
  };

  /** The LA's current rubric, starting it from the default on first use. */
  async function currentRubric(laCode: string, on: Database['db'] = db): Promise<RubricRow> {
    const found = await latestRubric(on, laCode);
    if (found) return found;
    return insertRubric(on, { laCode, version: 1, content: DEFAULT_RUBRIC });
  }

  async function rubric(ctx: RequestContext) {
    requireQuality(ctx);
    const row = await currentRubric(ctx.actor.laCode);
    await auditAction(db, ctx, 'read', 'qa_rubric', row.id);
    return { id: row.id, version: row.version, stamp: rubricStamp(row), rubric: row.content as Rubric };
  }

  /**
   * Saves an edited rubric. If it would move the grade of an audit already completed with the current version, it
   * becomes a new version (those audits keep theirs); otherwise the current version is corrected in place.
   */
  async function saveRubric(ctx: RequestContext, openedStamp: string, next: Rubric) {
    requireManage(ctx);
    const problems = rubricProblems(next);
    if (problems.length) throw new RuleError(problems);
    return db.transaction(async (tx) => {
      const current = await currentRubric(ctx.actor.laCode, tx);
      // Opened against another version, or this one changed in place since: nothing is overwritten.
      if (rubricStamp(current) !== openedStamp) {
        throw new StaleFormError(
          await staleDetail(
            tx,
            ctx.actor.laCode,
            { type: 'qa_rubric', id: current.id, version: current.version },
            rubricWords(current.content as Rubric),
            rubricWords(next),
          ),
        );
      }
      const completed = await completedAuditsOn(tx, ctx.actor.laCode, current.id);
      const moves = changesGrades(
        current.content as Rubric,
        next,
        completed.map((a) => ({ answers: a.answers as Record<string, Answer> })),
      );
      let version = current.version;
      if (moves) {
        const created = await insertRubric(tx, {
          laCode: ctx.actor.laCode,
          version: current.version + 1,
          content: next,
          createdBy: ctx.actor.userId,
        });
        version = created.version;
        await auditAction(tx, ctx, 'create', 'qa_rubric', created.id, { version });
      } else {
        await updateRubricContent(tx, ctx.actor.laCode, current.id, next);
        await auditAction(tx, ctx, 'update', 'qa_rubric', current.id, { version });
      }
      return { newVersion: moves, version, completedOnPrevious: completed.length };
    });
  }

  /** What the sample form offers: the LA's auditors, and the months with samples already drawn. */
  async function sampleForm(ctx: RequestContext) {
    requireManage(ctx);
    const auditors = await listAuditors(db, ctx.actor.laCode);
    await auditAction(db, ctx, 'read', 'qa_sample_form');
    return { auditors };
  }

  /**
   * Draws a month's sample: the chosen percentage of the final plans issued that month, stratified by team and need,
   * shared among the chosen auditors, a share with a moderating second auditor. Once per month.
   */
  async function drawSample(
    ctx: RequestContext,
    input: { month: string; percent: number; moderationPercent: number; auditorIds: string[]; seed: number },
  ) {
    requireManage(ctx);
    const laCode = ctx.actor.laCode;
    const auditors = await listAuditors(db, laCode);
    const chosenAuditors = input.auditorIds.filter((id) => auditors.some((a) => a.id === id));
    if (chosenAuditors.length === 0) {
      throw new RuleError([{ field: 'auditorIds', text: 'Select at least one auditor' }]);
    }
    const from = `${input.month}-01` as LocalDate;
    const to = `${monthAt(monthIndex(input.month) + 1)}-01` as LocalDate;
    if (from > clock.today()) throw new RuleError([{ field: 'month', text: 'The month must not be in the future' }]);
    return db.transaction(async (tx) => {
      if ((await auditsForMonth(tx, laCode, input.month)).length > 0) {
        throw new RuleError([{ field: 'month', text: 'The sample for this month has already been drawn' }]);
      }
      const issued = await finalPlansIssued(tx, laCode, from, to);
      if (issued.length === 0) {
        throw new RuleError([{ field: 'month', text: 'No final plans were issued in this month' }]);
      }
      const { chosen, strata } = stratifiedSample(issued, input.percent, input.seed);
      const assigned = assignAuditors(chosen, chosenAuditors, input.moderationPercent, input.seed);
      const rubricRow = await currentRubric(laCode, tx);
      const versionOf = new Map(issued.map((p) => [p.requestId, p.versionNo]));
      const firsts = await insertAudits(
        tx,
        assigned.map((a) => ({
          laCode,
          requestId: a.requestId,
          planVersionNo: versionOf.get(a.requestId)!,
          rubricId: rubricRow.id,
          auditorId: a.auditorId,
          kind: 'first',
          sampleMonth: input.month,
          status: 'assigned',
        })),
      );
      const firstFor = new Map(firsts.map((f) => [f.requestId, f.id]));
      const moderations = await insertAudits(
        tx,
        assigned
          .filter((a) => a.moderatorId !== null)
          .map((a) => ({
            laCode,
            requestId: a.requestId,
            planVersionNo: versionOf.get(a.requestId)!,
            rubricId: rubricRow.id,
            auditorId: a.moderatorId!,
            kind: 'moderation',
            firstAuditId: firstFor.get(a.requestId)!,
            sampleMonth: input.month,
            status: 'assigned',
          })),
      );
      await auditAction(tx, ctx, 'create', 'qa_sample', null, {
        ...input,
        issued: issued.length,
        sampled: firsts.length,
        moderated: moderations.length,
      });
      return { issued: issued.length, sampled: firsts.length, moderated: moderations.length, strata };
    });
  }

  /** The audits the user may see: an auditor their own; a manager everyone's. */
  async function audits(ctx: RequestContext) {
    requireQuality(ctx);
    const all = can(ctx.actor.roles, 'quality:manage');
    const rows = await listAudits(db, ctx.actor.laCode, all ? null : ctx.actor.userId);
    await auditAction(db, ctx, 'read', 'qa_audits', null, { all });
    return { rows, all };
  }

  /** One audit with its rubric and the plan version audited; only its auditor or a manager may open it. */
  async function auditFor(ctx: RequestContext, id: string) {
    requireQuality(ctx);
    const row = isUuid(id) ? await findAudit(db, ctx.actor.laCode, id) : null;
    if (!row || (row.auditorId !== ctx.actor.userId && !can(ctx.actor.roles, 'quality:manage'))) {
      throw new NotFoundError(id);
    }
    const [rubricRow, versions, findings] = await Promise.all([
      rubricById(db, ctx.actor.laCode, row.rubricId),
      planVersionsFor(db, ctx.actor.laCode, row.requestId),
      listFindings(db, ctx.actor.laCode, { auditId: row.id }),
    ]);
    const version = versions.find((v) => v.versionNo === row.planVersionNo);
    await auditAction(db, ctx, 'read', 'qa_audit', row.id);
    return {
      audit: row,
      rubric: rubricRow!.content as Rubric,
      rubricVersion: rubricRow!.version,
      plan: version ? readPlanContent(version.content) : null,
      findings,
      canEdit: row.auditorId === ctx.actor.userId && row.status !== 'completed',
    };
  }

  /**
   * Saves an audit's answers as a draft, or submits it: a submitted audit must answer every criterion (else it is
   * refused, naming the first unanswered, and nothing is saved) and is graded from the answers.
   */
  async function saveAudit(
    ctx: RequestContext,
    id: string,
    input: {
      version: number;
      answers: Record<string, Answer>;
      comments: Record<string, string>;
      agency: Agency | null;
      submit: boolean;
    },
  ) {
    requireQuality(ctx);
    return db.transaction(async (tx) => {
      const row = isUuid(id) ? await findAudit(tx, ctx.actor.laCode, id, true) : null;
      if (!row || row.auditorId !== ctx.actor.userId) throw new NotFoundError(id);
      if (row.status === 'completed') {
        throw new RuleError([{ field: '', text: 'This audit has been submitted: it cannot be changed' }]);
      }
      const rubricRow = (await rubricById(tx, ctx.actor.laCode, row.rubricId))!;
      const rubricContent = rubricRow.content as Rubric;
      const known = new Set(rubricContent.sections.flatMap((s) => s.criteria.map((c) => c.id)));
      const answers = Object.fromEntries(
        Object.entries(input.answers).filter(([k, v]) => known.has(k) && ANSWERS.includes(v)),
      ) as Record<string, Answer>;
      let patch: Parameters<typeof updateAudit>[4] = {
        answers,
        comments: input.comments,
        agency: input.agency,
        status: 'draft',
      };
      if (input.submit) {
        const errors: { field: string; text: string }[] = [];
        if (!input.agency) errors.push({ field: 'agency', text: 'Select whom you audit for' });
        const missing = unanswered(rubricContent, answers);
        if (missing.length) {
          errors.push({
            field: `c-${missing[0]!.id}`,
            text: `Answer every criterion before submitting, or save as a draft: ${missing.length} not answered, the first “${missing[0]!.text}”`,
          });
        }
        if (errors.length) throw new RuleError(errors);
        const result = gradeAudit(rubricContent, answers);
        patch = { ...patch, status: 'completed', grade: result.grade, score: result.score, completedAt: new Date() };
      }
      if (!(await updateAudit(tx, ctx.actor.laCode, row.id, input.version, patch))) {
        throw new StaleFormError(
          await staleDetail(
            tx,
            ctx.actor.laCode,
            { type: 'qa_audit', id: row.id, version: row.version },
            auditWords(rubricContent, {
              answers: row.answers,
              comments: row.comments,
              agency: row.agency,
            }),
            auditWords(rubricContent, { answers, comments: input.comments, agency: input.agency }),
          ),
        );
      }
      await auditAction(tx, ctx, input.submit ? 'submit' : 'update', 'qa_audit', row.id);
      return patch.grade ?? null;
    });
  }

  /** A finding from a completed audit, for the plan to be corrected: tracked on the case until closed. */
  async function addFinding(ctx: RequestContext, auditId: string, input: { section: string; text: string }) {
    requireQuality(ctx);
    const errors: { field: string; text: string }[] = [];
    if (!input.section) errors.push({ field: 'section', text: 'Select the section of the plan' });
    if (!input.text.trim()) errors.push({ field: 'text', text: 'Enter what needs correcting' });
    else if (input.text.length > 2000)
      errors.push({ field: 'text', text: 'What needs correcting must be 2,000 characters or fewer' });
    if (errors.length) throw new RuleError(errors);
    return db.transaction(async (tx) => {
      const row = isUuid(auditId) ? await findAudit(tx, ctx.actor.laCode, auditId) : null;
      if (!row || row.auditorId !== ctx.actor.userId) throw new NotFoundError(auditId);
      const finding = await insertFinding(tx, {
        laCode: ctx.actor.laCode,
        auditId: row.id,
        requestId: row.requestId,
        section: input.section,
        text: input.text.trim(),
        createdBy: ctx.actor.userId,
      });
      await auditAction(tx, ctx, 'create', 'qa_finding', finding.id);
      return finding;
    });
  }

  /** Findings on a case, for those who may read the case (the case page audits the case read itself). */
  async function findingsForCase(ctx: RequestContext, requestId: string) {
    if (!can(ctx.actor.roles, 'case:read_any')) return [];
    return listFindings(db, ctx.actor.laCode, { requestId });
  }

  /** A caseworker or manager closes a finding once the plan is corrected, saying how. */
  async function closeFindingOnCase(ctx: RequestContext, findingId: string, input: { version: number; note: string }) {
    requirePermission(ctx, 'case:write');
    if (!input.note.trim())
      throw new RuleError([{ field: `note-${findingId}`, text: 'Say how the plan was corrected' }]);
    return db.transaction(async (tx) => {
      const ok = isUuid(findingId)
        ? await closeFinding(tx, ctx.actor.laCode, findingId, input.version, {
            closingNote: input.note.trim(),
            closedBy: ctx.actor.userId,
          })
        : false;
      if (!ok) throw new StaleFormError();
      await auditAction(tx, ctx, 'update', 'qa_finding', findingId, { status: 'closed' });
    });
  }

  /**
   * The results for managers: by month, team, need and section, the share of first audits completed rated good or
   * better; and, over moderated plans, how far the two auditors agree.
   */
  async function results(ctx: RequestContext) {
    requireManage(ctx);
    const rows = await listAudits(db, ctx.actor.laCode, null);
    const rubrics = new Map(
      (await rubricsByIds(db, ctx.actor.laCode, [...new Set(rows.map((r) => r.rubricId))])).map((r) => [
        r.id,
        r.content as Rubric,
      ]),
    );
    await auditAction(db, ctx, 'read', 'qa_results');
    const done = rows.filter((r) => r.kind === 'first' && r.status === 'completed');
    const share = (list: typeof done) => ({
      n: list.length,
      good: list.filter((r) => GOOD_OR_BETTER.has(r.grade ?? '')).length,
    });
    const by = (key: (r: (typeof done)[number]) => string) => {
      const groups = new Map<string, typeof done>();
      for (const r of done) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
      return [...groups.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, list]) => ({ key: k, ...share(list) }));
    };
    const sectionScores = new Map<string, { name: string; total: number; n: number }>();
    for (const r of done) {
      const rubricContent = rubrics.get(r.rubricId);
      if (!rubricContent) continue;
      const graded = gradeAudit(rubricContent, r.answers as Record<string, Answer>);
      graded.sections.forEach((s, i) => {
        if (s.score === null) return;
        const name = rubricContent.sections[i]!.name;
        const acc = sectionScores.get(s.key) ?? { name, total: 0, n: 0 };
        acc.total += s.score;
        acc.n += 1;
        sectionScores.set(s.key, acc);
      });
    }
    // Moderation: pairs of completed first and moderation audits of the same plan.
    const byId = new Map(rows.map((r) => [r.id, r]));
    const pairs = rows
      .filter((r) => r.kind === 'moderation' && r.status === 'completed' && r.firstAuditId)
      .map((m) => [byId.get(m.firstAuditId!), m] as const)
      .filter(([f]) => f?.status === 'completed') as [(typeof rows)[number], (typeof rows)[number]][];
    const gradeIndex = (g: string | null) => GRADES.indexOf((g ?? 'inadequate') as Grade);
    const gradePairs = pairs.map(([f, m]) => [gradeIndex(f.grade), gradeIndex(m.grade)] as [number, number]);
    const criterionPairs = new Map<string, [string, string][]>();
    for (const [f, m] of pairs) {
      const fa = f.answers;
      const ma = m.answers;
      for (const id of Object.keys(fa)) {
        if (ma[id] === undefined) continue;
        criterionPairs.set(id, [...(criterionPairs.get(id) ?? []), [fa[id]!, ma[id]]]);
      }
    }
    const allCriterionPairs = [...criterionPairs.values()].flat();
    const answerIndex = (a: string) => ANSWERS.indexOf(a as Answer);
    return {
      overall: share(done),
      byMonth: by((r) => r.sampleMonth),
      byTeam: by((r) => r.team ?? 'No team'),
      byNeed: by((r) => r.need ?? 'Not recorded'),
      bySection: [...sectionScores.entries()].map(([key, s]) => ({ key, name: s.name, mean: s.total / s.n, n: s.n })),
      moderation: {
        pairs: pairs.length,
        gradeKappa: weightedKappa(gradePairs, GRADES.length, 'quadratic'),
        gradeAgreement: shareAgreeing(gradePairs),
        criterionAgreement: shareAgreeing(allCriterionPairs),
        criterionKappa: weightedKappa(
          allCriterionPairs.map(([a, b]) => [answerIndex(a), answerIndex(b)] as [number, number]),
          ANSWERS.length,
          'none',
        ),
        byCriterion: [...criterionPairs.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([id, list]) => ({ id, n: list.length, agreement: shareAgreeing(list) })),
      },
    };
  }

  /** The default seed for a month's sample: the same month gives the same sample unless a seed is chosen. */
  function defaultSeed(month: string): number {
    return monthIndex(month);
  }

  /** The last whole month, the usual month to sample. */
  function lastMonth(): string {
    return addDays(`${clock.today().slice(0, 7)}-01` as LocalDate, -1).slice(0, 7);
  }

  return {
    rubric,
    saveRubric,
    sampleForm,
    drawSample,
    audits,
    auditFor,
    saveAudit,
    addFinding,
    findingsForCase,
    closeFindingOnCase,
    results,
    defaultSeed,
    lastMonth,
  };
}

export type QualityService = ReturnType<typeof createQualityService>;

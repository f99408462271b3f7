/**
 * Plan quality assurance pages: the audits (an auditor's own; a manager's all), an audit form beside the plan it
 * audits, the rubric and its editing, the monthly sample, the results with auditors' agreement, and closing a
 * finding on the case page.
 */
import { Router, type Request, type Response } from 'express';
import { can } from '../../../domain/access/roles.js';
import { SECTION_NAMES, type PlanContent } from '../../../domain/casework/planContent.js';
import { formatMonth } from '../../../domain/dates/localDate.js';
import { kappaWords } from '../../../domain/quality/agreement.js';
import {
  ANSWERS,
  GRADE_NAMES,
  gradeAudit,
  type Answer,
  type Grade,
  type Rubric,
} from '../../../domain/quality/rubric.js';
import { qualityChecks } from '../../../domain/quality/writingChecks.js';
import type { Services } from '../../../services/index.js';
import { AGENCIES, type Agency } from '../../../services/quality.js';
import { formatValue } from '../../charts/spcChart.js';
import { list, text, type Body, type FormError } from '../../forms.js';
import { attempt, type FormFailure } from '../../formFailures.js';
import { checkForm } from '../../validation.js';
import { rubricForm, sampleForm } from './validation.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { CASE_PARAMS, uuidParams } from '../../middleware/params.js';

const STATUS_NAMES: Record<string, string> = { assigned: 'Not started', draft: 'In progress', completed: 'Submitted' };
const ANSWER_NAMES: Record<Answer, string> = { met: 'Met', not_met: 'Not met', not_applicable: 'Not applicable' };
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatValue(v * 100, '%'));
const share = (g: { n: number; good: number }) => (g.n === 0 ? '' : `${pct(g.good / g.n)} (${g.good} of ${g.n})`);

/** The plan's sections as the audit shows them beside the criteria (the rubric's H covers H1 and H2). */
function sectionText(plan: PlanContent | null, key: string): { heading: string; lines: string[] }[] {
  if (!plan) return [];
  const keys: string[] = key === 'H' ? ['H1', 'H2'] : [key];
  return keys
    .filter((k): k is keyof PlanContent => k in plan)
    .map((k) => {
      const v = plan[k];
      let lines: string[];
      if (k === 'B') lines = plan.B.map((n, i) => `Need ${i + 1}: ${n.text}`);
      else if (k === 'E')
        lines = plan.E.map((o, i) => `Outcome ${i + 1}: ${o.text} (${o.timeframe || 'no timeframe'})`);
      else if (k === 'F') {
        lines = plan.F.map(
          (p, i) =>
            `Provision ${i + 1}: ${p.what}. Who: ${p.who || 'not said'}. How often: ${p.frequency || 'not said'}. For how long: ${p.duration || 'not said'}`,
        );
      } else if (k === 'I') lines = plan.I ? [`${plan.I.settingName} (${plan.I.settingType})`] : [];
      else if (k === 'K') lines = plan.K.map((a) => `${a.adviceType.replace('_', ' ')} advice from ${a.provider}`);
      else lines = typeof v === 'string' && v.trim() ? [v] : [];
      return { heading: SECTION_NAMES[k], lines };
    });
}

export function qualityRoutes(services: Services): Router {
  const router = Router();
  uuidParams(router, services, { id: 'qa_audit', requestId: CASE_PARAMS.requestId, findingId: CASE_PARAMS.findingId });
  const any = requirePermission('quality:audit', 'quality:manage');
  const manage = requirePermission('quality:manage');

  router.get('/quality', any, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const { rows, all } = await services.quality.audits(ctx);
    res.render('quality/overview.njk', {
      all,
      canManage: can(ctx.actor.roles, 'quality:manage'),
      rows: rows.map((r) => ({
        ...r,
        month: formatMonth(r.sampleMonth),
        statusName: STATUS_NAMES[r.status] ?? r.status,
        gradeName: r.grade ? GRADE_NAMES[r.grade as Grade] : '',
        kindName: r.kind === 'moderation' ? 'Moderation' : 'First audit',
      })),
    });
  });

  // The rubric.
  router.get('/quality/rubric', any, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const current = await services.quality.rubric(ctx);
    res.render('quality/rubric.njk', { ...current, canManage: can(ctx.actor.roles, 'quality:manage') });
  });

  const rubricValues = (rubric: Rubric, stamp: string) => ({
    stamp,
    outstanding: String(rubric.boundaries.outstanding),
    good: String(rubric.boundaries.good),
    requiresImprovement: String(rubric.boundaries.requiresImprovement),
    sections: rubric.sections.map((s) => ({
      key: s.key,
      name: s.name,
      weight: String(s.weight),
      limiting: s.limiting,
      criteria: s.criteria.map((c) => c.text).join('\n'),
    })),
  });

  router.get('/quality/rubric/edit', manage, noStore, async (req, res) => {
    const current = await services.quality.rubric(requestContext(req));
    res.render('quality/rubric-form.njk', { values: rubricValues(current.rubric, current.stamp) });
  });

  router.post('/quality/rubric/edit', manage, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const body = req.body as Body;
    const current = await services.quality.rubric(ctx);
    const stamp = text(body, 'stamp');
    const form = checkForm(rubricForm(current.rubric.sections.length), body);
    const values = {
      stamp,
      outstanding: text(body, 'outstanding'),
      good: text(body, 'good'),
      requiresImprovement: text(body, 'requiresImprovement'),
      sections: current.rubric.sections.map((s, i) => ({
        key: s.key,
        name: text(body, `section-${i}-name`),
        weight: text(body, `section-${i}-weight`),
        limiting: text(body, `section-${i}-limiting`) === 'yes',
        criteria: text(body, `section-${i}-criteria`),
      })),
    };
    const fail = (errors: FormError[], status = 400, stale?: FormFailure['stale']) =>
      res.status(status).render('quality/rubric-form.njk', { values, errors, stale });
    if (!form.ok) return fail(form.errors);
    const typed = form.data;
    // Each section keeps its key; criteria keep their ids line by line, new lines get new ids.
    const sections = current.rubric.sections.map((s, i) => {
      const lines = text(body, `section-${i}-criteria`)
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
      const used = new Set(s.criteria.map((c) => c.id));
      let next = s.criteria.length + 1;
      const criteria = lines.map((line, k) => {
        if (s.criteria[k]) return { id: s.criteria[k].id, text: line };
        while (used.has(`${s.key}${next}`)) next++;
        used.add(`${s.key}${next}`);
        return { id: `${s.key}${next}`, text: line };
      });
      return {
        key: s.key,
        name: values.sections[i]!.name,
        weight: typed.weights[i] ?? NaN,
        limiting: values.sections[i]!.limiting,
        criteria,
      };
    });
    const next: Rubric = {
      boundaries: {
        outstanding: typed.outstanding ?? NaN,
        good: typed.good ?? NaN,
        requiresImprovement: typed.requiresImprovement ?? NaN,
      },
      sections,
    };
    const outcome = await attempt(() => services.quality.saveRubric(ctx, stamp, next), { what: 'the rubric' });
    if (outcome.ok) {
      res.redirect(303, `/quality/rubric?saved=${outcome.value.newVersion ? 'new' : 'same'}`);
      return;
    }
    // A stale form is shown again with what was typed, against the rubric saved now: saving again is a choice.
    if (outcome.failure.status === 409) values.stamp = (await services.quality.rubric(ctx)).stamp;
    return fail(outcome.failure.errors, outcome.failure.status, outcome.failure.stale);
  });

  // The monthly sample.
  router.get('/quality/sample', manage, noStore, async (req, res) => {
    const { auditors } = await services.quality.sampleForm(requestContext(req));
    const last = services.quality.lastMonth();
    res.render('quality/sample.njk', {
      auditors,
      values: {
        month: { month: String(Number(last.slice(5, 7))), year: last.slice(0, 4) },
        percent: '10',
        moderation: '20',
        auditorIds: auditors.map((a) => a.id),
      },
    });
  });

  router.post('/quality/sample', manage, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const body = req.body as Body;
    const auditorIds = list(body, 'auditorIds');
    const values = {
      month: { month: text(body, 'month-month'), year: text(body, 'month-year') },
      percent: text(body, 'percent'),
      moderation: text(body, 'moderation'),
      auditorIds,
    };
    // The auditors are read (and the read audited) only to show the form again.
    const fail = async (errors: FormError[]) => {
      const { auditors } = await services.quality.sampleForm(ctx);
      res.status(400).render('quality/sample.njk', { auditors, values, errors });
    };
    const form = checkForm(sampleForm, body);
    if (!form.ok) return fail(form.errors);
    const { month, percent, moderation } = form.data;
    const outcome = await attempt(() =>
      services.quality.drawSample(ctx, {
        month,
        percent,
        moderationPercent: moderation,
        auditorIds,
        seed: services.quality.defaultSeed(month),
      }),
    );
    if (outcome.ok) {
      res.render('quality/sample-drawn.njk', { drawn: outcome.value, monthName: formatMonth(month) });
      return;
    }
    // The month is a month-and-year input: its problems link to the month box.
    return fail(outcome.failure.errors.map((e) => (e.href === '#month' ? { ...e, href: '#month-month' } : e)));
  });

  // An audit.
  const renderAudit = async (
    req: Request,
    res: Response,
    state: {
      values?: { answers: Record<string, string>; comments: Record<string, string>; agency: string };
      errors?: FormError[];
      status?: number;
      stale?: FormFailure['stale'];
    },
  ) => {
    const ctx = requestContext(req);
    const found = await services.quality.auditFor(ctx, String(req.params.id));
    const { audit, rubric } = found;
    const values = state.values ?? {
      answers: audit.answers,
      comments: audit.comments,
      agency: audit.agency ?? '',
    };
    const graded = audit.status === 'completed' ? gradeAudit(rubric, audit.answers as Record<string, Answer>) : null;
    const checks = found.plan ? qualityChecks(found.plan, { representationsReceived: [], lastSavedOn: null }) : [];
    res.status(state.status ?? 200).render('quality/audit.njk', {
      audit,
      rubricVersion: found.rubricVersion,
      canEdit: found.canEdit,
      values,
      errors: state.errors,
      stale: state.stale,
      agencies: AGENCIES,
      answerNames: ANSWER_NAMES,
      answers: ANSWERS,
      sections: rubric.sections.map((s, i) => ({
        ...s,
        plan: sectionText(found.plan, s.key),
        score: graded ? pct(graded.sections[i]!.score) : '',
        checks: checks.filter(
          (c) => c.section === s.key || (s.key === 'H' && (c.section === 'H1' || c.section === 'H2')),
        ),
      })),
      result: graded
        ? { gradeName: GRADE_NAMES[graded.grade], score: formatValue(graded.score, ''), limited: graded.limited }
        : null,
      findings: found.findings,
      sectionNames: rubric.sections.map((s) => ({ key: s.key, name: s.name })),
      monthName: formatMonth(audit.sampleMonth),
    });
  };

  router.get('/quality/audits/:id', any, noStore, async (req, res) => {
    await renderAudit(req, res, {});
  });

  router.post('/quality/audits/:id', any, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const body = req.body as Body;
    const answers: Record<string, Answer> = {};
    const comments: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (k.startsWith('c-') && typeof v === 'string' && (ANSWERS as readonly string[]).includes(v))
        answers[k.slice(2)] = v as Answer;
      if (k.startsWith('comment-') && typeof v === 'string' && v.trim()) comments[k.slice(8)] = v.trim().slice(0, 2000);
    }
    const agency = text(body, 'agency');
    const values = { answers, comments, agency };
    const outcome = await attempt(
      () =>
        services.quality.saveAudit(ctx, String(req.params.id), {
          version: Number(text(body, 'version')),
          answers,
          comments,
          agency: agency in AGENCIES ? (agency as Agency) : null,
          submit: text(body, 'submit') === 'yes',
        }),
      { what: 'this audit' },
    );
    if (outcome.ok) {
      res.redirect(303, `/quality/audits/${String(req.params.id)}`);
      return;
    }
    const { errors, stale, status } = outcome.failure;
    return renderAudit(req, res, { values, errors, stale, status });
  });

  router.post('/quality/audits/:id/findings', any, noStore, async (req, res) => {
    const ctx = requestContext(req);
    const body = req.body as Body;
    const outcome = await attempt(() =>
      services.quality.addFinding(ctx, String(req.params.id), {
        section: text(body, 'section'),
        text: text(body, 'text'),
      }),
    );
    if (outcome.ok) {
      res.redirect(303, `/quality/audits/${String(req.params.id)}#findings`);
      return;
    }
    await renderAudit(req, res, { errors: outcome.failure.errors, status: outcome.failure.status });
  });

  // Results.
  router.get('/quality/results', manage, noStore, async (req, res) => {
    const r = await services.quality.results(requestContext(req));
    res.render('quality/results.njk', {
      overall: share(r.overall),
      n: r.overall.n,
      byMonth: r.byMonth.map((m) => ({ name: formatMonth(m.key), share: share(m) })),
      byTeam: r.byTeam.map((m) => ({ name: m.key, share: share(m) })),
      byNeed: r.byNeed.map((m) => ({ name: m.key, share: share(m) })),
      bySection: r.bySection.map((s) => ({ name: s.name, mean: pct(s.mean), n: s.n })),
      moderation: {
        pairs: r.moderation.pairs,
        gradeKappa: r.moderation.gradeKappa === null ? '' : formatValue(r.moderation.gradeKappa, ''),
        gradeKappaWords: kappaWords(r.moderation.gradeKappa),
        gradeAgreement: pct(r.moderation.gradeAgreement),
        criterionAgreement: pct(r.moderation.criterionAgreement),
        criterionKappa: r.moderation.criterionKappa === null ? '' : formatValue(r.moderation.criterionKappa, ''),
        criterionKappaWords: kappaWords(r.moderation.criterionKappa),
        byCriterion: r.moderation.byCriterion.map((c) => ({ id: c.id, n: c.n, agreement: pct(c.agreement) })),
      },
    });
  });

  // A finding closed on the case page once the plan is corrected.
  router.post(
    '/cases/:requestId/findings/:findingId/close',
    requirePermission('case:write'),
    noStore,
    async (req, res) => {
      const ctx = requestContext(req);
      const body = req.body as Body;
      const requestId = String(req.params.requestId);
      const outcome = await attempt(() =>
        services.quality.closeFindingOnCase(ctx, String(req.params.findingId), {
          version: Number(text(body, 'version')),
          note: text(body, 'note'),
        }),
      );
      // Refused (a rule, or someone else's change): the case page says so beside its findings.
      const done = outcome.ok ? 'done=finding_closed' : 'problem=finding';
      res.redirect(303, `/cases/${requestId}?${done}#findings`);
    },
  );

  return router;
}

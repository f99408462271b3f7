/**
 * The demo county's plan quality assurance: the default rubric, three auditors (education, health, social care),
 * and a 10% sample of the final plans issued in each of the last six months, audited with quality improving month by
 * month (as in Hertfordshire, where few audited plans were good at first), a fifth moderated by a second auditor who
 * mostly agrees, and corrections raised on some plans, a few still open. Last month's sample is partly done, so the
 * auditor signing in has audits to do.
 */
import type { Db } from '../data/db.js';
import { finalPlansIssued } from '../data/repositories/quality.js';
import { qaAudits, qaFindings, qaRubrics, roleAssignments, users } from '../data/schema.js';
import { monthAt, monthIndex } from '../domain/commitments/assurance.js';
import { DEFAULT_RUBRIC, gradeAudit, type Answer } from '../domain/quality/rubric.js';
import { assignAuditors, stratifiedSample } from '../domain/quality/sampling.js';
import { DEMO_LA, type DemoCounty } from './generate.js';
import { Random } from './random.js';

const MONTHS = 6;
const FINDINGS = [
  {
    section: 'F',
    text: 'Provision says “regular support”: say how many sessions a week, how long each, and who gives them',
  },
  { section: 'A', text: 'The child’s own views are missing: add what they said at the planning meeting' },
  { section: 'E', text: 'Outcome 2 has no timeframe: agree one with the family' },
  { section: 'K', text: 'The speech and language therapy advice is not listed' },
];

export async function seedDemoQuality(tx: Db, county: DemoCounty, seed: number): Promise<void> {
  const laCode = DEMO_LA.laCode;
  const rnd = new Random(seed + 7);
  const byEmail = (email: string) => county.users.find((u) => u.email === email)!.id;
  const education = byEmail('qa@demo-county.example');
  // Two more auditors from the partners (they do not sign in to the demo).
  const partners = await tx
    .insert(users)
    .values([
      {
        id: rnd.uuid(),
        email: 'qa.health@demo-county.example',
        displayName: 'Grace Oduya (designated clinical officer)',
        isDemo: true,
      },
      { id: rnd.uuid(), email: 'qa.care@demo-county.example', displayName: 'Tom Fairley (social care)', isDemo: true },
    ])
    .returning({ id: users.id });
  const [health, care] = partners.map((p) => p.id) as [string, string];
  await tx.insert(roleAssignments).values([
    { userId: health, laCode, role: 'qa_auditor', team: 'Health' },
    { userId: care, laCode, role: 'qa_auditor', team: 'Social care' },
  ]);
  const agencyOf = new Map([
    [education, 'education'],
    [health, 'health'],
    [care, 'social_care'],
  ]);
  const [rubric] = await tx.insert(qaRubrics).values({ laCode, version: 1, content: DEFAULT_RUBRIC }).returning();
  const criteria = DEFAULT_RUBRIC.sections.flatMap((s) => s.criteria.map((c) => ({ id: c.id, section: s.key })));

  const thisMonth = monthIndex(county.asOf.slice(0, 7));
  let openFindings = 0;
  for (let k = MONTHS; k >= 1; k--) {
    const month = monthAt(thisMonth - k);
    const issued = await finalPlansIssued(tx, laCode, `${month}-01`, `${monthAt(thisMonth - k + 1)}-01`);
    if (issued.length === 0) continue;
    // 10%, and at least 3 plans a month so that a small demo county still has something to show.
    const percent = Math.min(100, Math.max(10, 300 / issued.length));
    const { chosen } = stratifiedSample(issued, percent, monthIndex(month));
    const assigned = assignAuditors(chosen, [education, health, care], 20, monthIndex(month));
    // The auditor who signs in to the demo has last month's first plan to audit, at least.
    if (k === 1 && !assigned.some((a) => a.auditorId === education)) {
      assigned[0] = { ...assigned[0]!, auditorId: education, moderatorId: null };
    }
    const versionOf = new Map(issued.map((p) => [p.requestId, p.versionNo]));
    // Each criterion met more often month by month: about half at first, four in five by last month.
    const chance = 0.5 + (0.3 * (MONTHS - k)) / (MONTHS - 1);
    const latest = k === 1;
    for (const [i, a] of assigned.entries()) {
      // Last month's sample: the education auditor has not finished theirs.
      const status = latest && a.auditorId === education ? (i % 2 === 0 ? 'assigned' : 'draft') : 'completed';
      const answers: Record<string, Answer> = {};
      for (const c of criteria) {
        const weaker = c.section === 'F' || c.section === 'A' ? 0.1 : 0;
        answers[c.id] =
          (c.section === 'D' || c.section === 'H' || c.section === 'J') && rnd.chance(0.5)
            ? 'not_applicable'
            : rnd.chance(chance - weaker)
              ? 'met'
              : 'not_met';
      }
      const shown =
        status === 'assigned'
          ? {}
          : status === 'draft'
            ? Object.fromEntries(Object.entries(answers).slice(0, 6))
            : answers;
      const graded = status === 'completed' ? gradeAudit(DEFAULT_RUBRIC, answers) : null;
      const completedAt = new Date(`${monthAt(thisMonth - k + 1)}-1${rnd.int(0, 9)}T11:00:00Z`);
      const [first] = await tx
        .insert(qaAudits)
        .values({
          laCode,
          requestId: a.requestId,
          planVersionNo: versionOf.get(a.requestId)!,
          rubricId: rubric!.id,
          auditorId: a.auditorId,
          kind: 'first',
          sampleMonth: month,
          agency: status === 'assigned' ? null : agencyOf.get(a.auditorId)!,
          status,
          answers: shown,
          grade: graded?.grade ?? null,
          score: graded?.score ?? null,
          completedAt: graded ? completedAt : null,
        })
        .returning({ id: qaAudits.id });
      if (graded && a.moderatorId) {
        // The moderator mostly agrees: about one answer in ten differs.
        const second = Object.fromEntries(
          Object.entries(answers).map(([id, v]) => [id, rnd.chance(0.1) ? (v === 'met' ? 'not_met' : 'met') : v]),
        ) as Record<string, Answer>;
        const regraded = gradeAudit(DEFAULT_RUBRIC, second);
        await tx.insert(qaAudits).values({
          laCode,
          requestId: a.requestId,
          planVersionNo: versionOf.get(a.requestId)!,
          rubricId: rubric!.id,
          auditorId: a.moderatorId,
          kind: 'moderation',
          firstAuditId: first!.id,
          sampleMonth: month,
          agency: agencyOf.get(a.moderatorId)!,
          status: 'completed',
          answers: second,
          grade: regraded.grade,
          score: regraded.score,
          completedAt,
        });
      }
      const weak = graded && (graded.grade === 'inadequate' || graded.grade === 'requires_improvement');
      // Last month's first submitted audit always raises a correction, so there is one still open to see.
      const mustRaise = graded !== null && k === 1 && openFindings === 0;
      if (graded && (mustRaise || rnd.chance(weak ? 0.6 : 0.3))) {
        const finding = rnd.pick(FINDINGS);
        // Older corrections have been made; the last two months' are mostly still open.
        const closed = !mustRaise && (k > 2 || rnd.chance(0.3));
        if (!closed) openFindings++;
        await tx.insert(qaFindings).values({
          laCode,
          auditId: first!.id,
          requestId: a.requestId,
          section: finding.section,
          text: finding.text,
          createdBy: a.auditorId,
          createdAt: completedAt,
          status: closed ? 'closed' : 'open',
          closingNote: closed ? 'Plan amended and reissued to the family' : null,
          closedBy: closed ? byEmail('caseworker@demo-county.example') : null,
          closedAt: closed ? new Date(completedAt.getTime() + 14 * 86_400_000) : null,
        });
      }
    }
  }
}

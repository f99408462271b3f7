/**
 * Families and professionals taking part (issue 27), in the demo county's history: added after everything else, from
 * a stream of their own, so every other record and figure is as it was.
 *
 * - Professionals have given advice online for the last 12 months (the service's first year with them): the county's
 *   educational psychologists and health service, more of it each month (from about 1 in 5 to about 7 in 10). Each
 *   such advice is marked given online by the demo's educational psychologist or designated clinical officer, with
 *   its needs, outcomes and provision, as the online advice form stores them.
 * - Families commented on the drafts of plans since issued: before the last 12 months about 45 in 100 within the 15
 *   days, by email or post (recorded by the caseworker); in the last 12 months more (up to about 70 in 100), more and
 *   more of them online; a few after the 15 days. The families of the demo's sign-in accounts are left as they are:
 *   their pages show only what they did themselves.
 */
import { addDays, daysBetween, toDayNumber, type LocalDate } from '../domain/dates/localDate.js';
import type { AdviceContent } from '../domain/casework/adviceContent.js';
import type { DemoCounty } from './generate.js';
import type { Random } from './random.js';

/** How far back (days) the service has been in use by professionals and families. */
const ONLINE_DAYS = 365;

/** What an educational psychologist and a health professional write online, as the advice form stores it. */
function adviceContent(type: string, n: number, id: string): AdviceContent {
  const p = (k: string) => `${id}-${k}`;
  if (type === 'health') {
    return n % 2 === 0
      ? {
          B: [
            {
              id: p('n1'),
              text: 'Has low muscle tone and tires after a few minutes of writing by hand',
              area: 'sensory_physical',
            },
          ],
          E: [
            {
              id: p('o1'),
              text: 'Writes a paragraph by hand in a lesson without needing to stop',
              timeframe: 'By the end of the school year',
              needIds: [p('n1')],
            },
          ],
          F: [
            {
              id: p('f1'),
              what: 'A programme of fine motor exercises set by the occupational therapist',
              who: 'Teaching assistant trained by the occupational therapist',
              frequency: '15 minutes, 4 times a week',
              duration: 'For 2 terms, then reviewed by the occupational therapist',
              needId: p('n1'),
              outcomeId: p('o1'),
            },
          ],
        }
      : {
          B: [
            {
              id: p('n1'),
              text: 'Understands single words but not longer spoken sentences, and is not yet using words to ask for help',
              area: 'communication_interaction',
            },
          ],
          E: [
            {
              id: p('o1'),
              text: 'Uses two-word phrases or signs to ask for help at school and at home',
              timeframe: 'Within 12 months',
              needIds: [p('n1')],
            },
          ],
          F: [
            {
              id: p('f1'),
              what: 'Speech and language therapy, with a programme the class team carries out each day',
              who: 'Speech and language therapist, and the class teaching assistant',
              frequency: 'Therapist 6 sessions a term; programme 10 minutes a day',
              duration: 'For the year, reviewed at the annual review',
              needId: p('n1'),
              outcomeId: p('o1'),
            },
          ],
        };
  }
  return n % 2 === 0
    ? {
        B: [
          {
            id: p('n1'),
            text: 'Holds two steps of a spoken instruction in mind but loses the third, and reads two years below age',
            area: 'cognition_learning',
          },
        ],
        E: [
          {
            id: p('o1'),
            text: 'Follows a three-step instruction in class without reminders, and reads books at the level of the class',
            timeframe: 'By the end of the key stage',
            needIds: [p('n1')],
          },
        ],
        F: [
          {
            id: p('f1'),
            what: 'Instructions given in short chunks with a visual checklist, and a structured phonics programme one to one',
            who: 'Class teacher; a teaching assistant trained in the programme',
            frequency: 'Every lesson; phonics 20 minutes, 4 times a week',
            duration: 'Until the next annual review',
            needId: p('n1'),
            outcomeId: p('o1'),
          },
        ],
      }
    : {
        B: [
          {
            id: p('n1'),
            text: 'Becomes very anxious at changes to the day and leaves the classroom two or three times a week',
            area: 'semh',
          },
        ],
        E: [
          {
            id: p('o1'),
            text: 'Stays in class through the day’s changes, using a plan agreed with an adult',
            timeframe: 'By the end of the school year',
            needIds: [p('n1')],
          },
        ],
        F: [
          {
            id: p('f1'),
            what: 'A visual timetable, warning of changes before they happen, and a named adult to go to',
            who: 'Class teacher and a named teaching assistant',
            frequency: 'Every day',
            duration: 'Until the next annual review',
            needId: p('n1'),
            outcomeId: p('o1'),
          },
        ],
      };
}

export function participationHistory(out: DemoCounty, asOf: LocalDate, rnd: Random): void {
  const since = addDays(asOf, -ONLINE_DAYS);
  /** How far into the online year a day is, 0 to 1 (0 before it). */
  const progress = (day: LocalDate) => Math.max(0, Math.min(1, daysBetween(since, day) / ONLINE_DAYS));
  const byEmail = (email: string) => out.users.find((u) => u.email === email)?.id ?? null;
  const givers: Record<string, string | null> = {
    educational_psychology: byEmail('advice@demo-county.example'),
    health: byEmail('dco@demo-county.example'),
  };

  let n = 0;
  for (const a of out.advice) {
    const by = givers[a.adviceType];
    if (!by || !a.receivedDate || a.receivedDate < since || a.providerUserId) continue;
    const received = a.receivedDate as LocalDate;
    if (!rnd.chance(0.2 + 0.5 * progress(received))) continue;
    a.content = adviceContent(a.adviceType, n++, a.id.slice(0, 8));
    a.submittedBy = by;
    a.submittedAt = new Date(`${received}T11:00:00Z`);
  }

  const linked = new Set(out.roleAssignments.filter((r) => r.childId).map((r) => r.childId));
  const lastDraft = new Map<string, LocalDate>();
  for (const e of out.events) {
    if (e.type === 'draft_served' && e.requestId) lastDraft.set(e.requestId, e.occurredOn as LocalDate);
  }
  for (const r of out.requests) {
    const sent = lastDraft.get(r.id);
    if (!sent || !r.finalIssuedDate || linked.has(r.childId)) continue;
    const online = sent >= since;
    const within = rnd.chance(0.45 + (online ? 0.25 * progress(sent) : 0));
    // Within the 15 days: from the 3rd to the 14th day after it was sent (always inside them, whatever the post).
    // After them: 1 to 10 days after the 15th day from sending, for a few.
    const day = within ? addDays(sent, rnd.int(3, 14)) : rnd.chance(0.1) ? addDays(sent, rnd.int(16, 25)) : null;
    if (!day || day >= r.finalIssuedDate || toDayNumber(day) > toDayNumber(asOf)) continue;
    const sentOnline = online && rnd.chance(0.3 + 0.4 * progress(sent));
    out.events.push({
      laCode: r.laCode,
      childId: r.childId,
      requestId: r.id,
      type: 'family_representations',
      occurredOn: day,
      actorId: sentOnline ? null : (r.caseworkerId ?? null),
      data: sentOnline
        ? {
            representations: 'Section F: please say who will do the reading programme and how often.',
            preferredSetting: '',
            meetingRequested: false,
            source: 'family_online',
            sections: { F: 'Please say who will do the reading programme and how often.' },
            settingUrn: null,
            meetingTopics: '',
            late: !within,
          }
        : {
            representations: 'The family’s comments on the draft, received by email, are on the case file.',
            preferredSetting: '',
            meetingRequested: false,
          },
    });
  }
}

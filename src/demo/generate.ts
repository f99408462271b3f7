/**
 * The demo county: a deterministic, fictional "Demo County Council" at the scale of a large shire county.
 *
 * About 3,300 requests for assessment a year over 5 years, about 13,000 children with active plans today, and
 * cases open at every stage. Timeliness follows the shape of Hertfordshire's published figures
 * (shared/reference/statistics): plans within 20 weeks in the mid 90s%, falling to the low 30s%, recovering to the
 * mid 50s%. Everything comes from one seeded generator: the same seed and date give the same county.
 */
import {
  addDays,
  ageInYears,
  daysBetween,
  toDayNumber,
  fromDayNumber,
  type LocalDate,
} from '../domain/dates/localDate.js';
import { upnCheckLetter } from '../domain/identifiers/upn.js';
import { caseNextDuty } from '../domain/casework/clockEvents.js';
import {
  ADVICE_DAYS,
  DECIDE_WHETHER_TO_ASSESS_DAYS as DECIDE_DAYS,
  DECISION_NOT_TO_ISSUE_DAYS,
  FINAL_PLAN_DAYS,
} from '../domain/statutory/periods.js';
import { demoPlanContent } from './planText.js';
import type {
  adviceRequests,
  assessmentRequests,
  caseEvents,
  children,
  planReviews,
  planVersions,
  plans,
  roleAssignments,
  settingConsultations,
  users,
} from '../data/schema.js';
import { demoSettings, FAMILY_NAMES, GIVEN_NAMES, PROVIDERS, TEAMS, type DemoSetting } from './names.js';
import { Random } from './random.js';
import { participationHistory } from './participation.js';
import { phaseTransferHistory, type DemoPhaseTransfer } from './phaseTransfers.js';
import { ceasingHistory, type DemoCeasing } from './ceasings.js';
import { reassessmentHistory, type DemoReassessment } from './reassessments.js';
import { reviewHistory } from './reviews.js';
import { disagreementHistory, type DemoDisagreement } from './disagreements.js';
import { moveHistory, type DemoMove } from './moves.js';
import { englandAndWales } from '../domain/dates/workingDays.js';

export const DEMO_LA = { laCode: '999', name: 'Demo County Council' } as const;
export const DEMO_PASSWORD = 'demo-county-2026';

type Insert<T extends { $inferInsert: unknown }> = T['$inferInsert'];

export interface DemoCounty {
  asOf: LocalDate;
  users: (Insert<typeof users> & { id: string })[];
  roleAssignments: Insert<typeof roleAssignments>[];
  children: (Insert<typeof children> & { id: string })[];
  requests: (Insert<typeof assessmentRequests> & { id: string })[];
  advice: (Insert<typeof adviceRequests> & { id: string })[];
  plans: (Insert<typeof plans> & { id: string })[];
  planVersions: Insert<typeof planVersions>[];
  events: Insert<typeof caseEvents>[];
  consultations: Insert<typeof settingConsultations>[];
  /** Phase transfers finalised (reg 18): the last five September moves and the next one so far (demo/phaseTransfers.ts). */
  phaseTransfers: DemoPhaseTransfer[];
  /** Plans ceased through casework (src/demo/ceasings.ts). */
  ceasings: DemoCeasing[];
  /** Reassessments of plans (src/demo/reassessments.ts). */
  reassessments: DemoReassessment[];
  /** The plans' annual reviews (src/demo/reviews.ts). */
  reviews: (Insert<typeof planReviews> & { id: string })[];
  /** Mediations and appeals, with the Tribunal's orders (src/demo/disagreements.ts). */
  disagreements: DemoDisagreement[];
  /** Moves between councils, out and in (src/demo/moves.ts). */
  moves: DemoMove[];
  /** The sign-in accounts, for printing. */
  accounts: { email: string; role: string; displayName: string }[];
}

export interface DemoOptions {
  seed?: number;
  /** "Today" for the demo: cases are open as of this date. */
  asOf: LocalDate;
  /** 1 = full size; smaller for quick tests (0.05 is about 800 requests). */
  scale?: number;
  /** Children with active plans today, at scale 1. */
  activePlans?: number;
}

const HISTORY_MONTHS = 60;

/**
 * Share of plans issued within 20 weeks, by month of request (0 = five years ago): mid 90s, down to the low 30s in
 * year 3, back to the mid 50s now.
 */
export function timelinessShape(month: number): number {
  const points: [number, number][] = [
    [0, 0.97],
    [12, 0.94],
    [22, 0.66],
    [27, 0.27],
    [38, 0.3],
    [48, 0.56],
    [60, 0.72],
  ];
  for (let i = 1; i < points.length; i++) {
    const [m1, v1] = points[i]!;
    const [m0, v0] = points[i - 1]!;
    if (month <= m1) return v0 + ((v1 - v0) * (month - m0)) / (m1 - m0);
  }
  return points[points.length - 1]![1];
}

/** Requests a month: rising from about 2,800 to 3,800 a year, with fewer in August and December. */
const SEASON = [1.0, 1.05, 1.15, 0.9, 1.05, 1.1, 1.1, 0.55, 0.85, 1.1, 1.15, 0.85];
const SEASON_MEAN = SEASON.reduce((a, b) => a + b, 0) / 12;

const NEEDS: [string, number][] = [
  ['ASD', 27],
  ['SEMH', 25],
  ['SLCN', 22],
  ['MLD', 10],
  ['SPLD', 4],
  ['SLD', 3],
  ['PD', 3],
  ['OTH', 2.2],
  ['HI', 1.5],
  ['VI', 1],
  ['PMLD', 1],
  ['MSI', 0.3],
];

/** SEN2 RequestSource codes: 1 parent or young person, 2 education setting, 3 health, 4 social care, 5 other. */
const SOURCES: [string, number][] = [
  ['2', 52],
  ['1', 43],
  ['3', 3],
  ['4', 1],
  ['5', 1],
];

/**
 * Exceptions to the time limits (SEND Regulations 2014 regs 10(4), 5(4), 8(2)), each with the kind of evidence a
 * caseworker records. Synthetic: about no one.
 */
const EXCEPTIONS = ['reg10_4_a', 'reg10_4_b', 'reg10_4_c', 'reg10_4_d'] as const;
const DECISION_EXCEPTIONS = ['reg5_4_a', 'reg5_4_b', 'reg5_4_c'] as const;
const ADVICE_EXCEPTIONS = ['reg8_2_a', 'reg8_2_b', 'reg8_2_c'] as const;
const EXCEPTION_EVIDENCE: Record<string, string> = {
  reg10_4_a: 'The school was closed for the summer holiday when its advice was requested.',
  reg10_4_b: 'The nursery was closed for four weeks when its advice was requested.',
  reg10_4_c: 'The family asked for a pause after a bereavement.',
  reg10_4_d: 'The family was away from the area for six weeks.',
  reg5_4_a: 'The school was closed for the summer holiday when its advice on the request was sought.',
  reg5_4_b: 'The family asked for a pause after a bereavement.',
  reg5_4_c: 'The family was away from the area for five weeks.',
  reg8_2_a: 'The child was in hospital during the weeks the assessment was booked.',
  reg8_2_b: 'The family was away from the area for five weeks.',
  reg8_2_c: 'The family could not attend the first appointment and a new one was made.',
};

/** An exception event's data: the duty it applies to, the reason, its dates and the evidence (P11). */
const exceptionData = (duty: string, reason: string, from: LocalDate) => ({
  duty,
  reason,
  from,
  evidence: EXCEPTION_EVIDENCE[reason],
  familyToldOn: from,
});
/**
 * SEN2 CeaseReason codes: 5 moved to another LA, 2 needs met without a plan, 4 paid employment, 1 reached the age
 * limit, 9 other.
 */
const CEASE_REASONS = ['5', '2', '4', '1', '9'] as const;

/** CBDS ethnicity codes, weighted roughly as England's pupils with EHC plans. */
const ETHNICITIES: [string, number][] = [
  ['WBRI', 68],
  ['WOTH', 5],
  ['WIRI', 0.4],
  ['WROM', 0.6],
  ['WIRT', 0.3],
  ['MWBC', 2],
  ['MWBA', 1],
  ['MWAS', 1.5],
  ['MOTH', 2.5],
  ['AIND', 1.5],
  ['APKN', 3],
  ['ABAN', 1.2],
  ['AOTH', 1.5],
  ['BAFR', 4],
  ['BCRB', 1.5],
  ['BOTH', 0.8],
  ['CHNE', 0.3],
  ['OOTH', 2],
  ['REFU', 0.5],
  ['NOBT', 1.9],
];
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

function monthStart(asOf: LocalDate, monthsBack: number): LocalDate {
  const [y, m] = asOf.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - monthsBack;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01` as LocalDate;
}

function nextWorkingDay(date: LocalDate): LocalDate {
  const dow = new Date(toDayNumber(date) * 86_400_000).getUTCDay();
  return dow === 6 ? addDays(date, 2) : dow === 0 ? addDays(date, 1) : date;
}

export function generateDemoCounty(options: DemoOptions): DemoCounty {
  const rnd = new Random(options.seed ?? 20140901);
  // Identifiers added later come from their own stream, so adding them did not change the county.
  const ids = new Random((options.seed ?? 20140901) ^ 0x5bd1e995);
  // Plan wording and consultations have their own stream, so adding them leaves every other figure as it was.
  const texts = new Random((options.seed ?? 20140901) ^ 0x2545f491);
  // Ethnicity and later UPNs (for the SEN2 return) from their own stream too.
  const people = new Random((options.seed ?? 20140901) ^ 0x68e31da4);
  // Exceptions to the decision (reg 5(4)) and to advice (reg 8(2)) from theirs, added without changing the rest.
  const exceptional = new Random((options.seed ?? 20140901) ^ 0x1b873593);
  const scale = options.scale ?? 1;
  const asOf = options.asOf;
  const la = DEMO_LA.laCode;
  const settings = demoSettings();
  const out: DemoCounty = {
    asOf,
    users: [],
    roleAssignments: [],
    children: [],
    requests: [],
    advice: [],
    plans: [],
    planVersions: [],
    events: [],
    consultations: [],
    phaseTransfers: [],
    ceasings: [],
    reassessments: [],
    disagreements: [],
    reviews: [],
    moves: [],
    accounts: [],
  };

  // Staff. Only the demo accounts can sign in; the other caseworkers hold cases but have no password.
  const addUser = (
    displayName: string,
    email: string,
    role: string,
    opts: {
      team?: string;
      childId?: string;
      signIn?: boolean;
      relationship?: 'parent' | 'young_person';
      adviceService?: string;
      settingUrn?: string;
    } = {},
  ) => {
    const id = rnd.uuid();
    out.users.push({ id, email, displayName, passwordHash: opts.signIn ? 'DEMO' : null, isDemo: true });
    out.roleAssignments.push({
      userId: id,
      laCode: la,
      role,
      team: opts.team ?? null,
      childId: opts.childId ?? null,
      relationship: opts.relationship ?? null,
      adviceService: opts.adviceService ?? null,
      settingUrn: opts.settingUrn ?? null,
    });
    if (opts.signIn) out.accounts.push({ email, role, displayName });
    return id;
  };
  const caseworkersByTeam = new Map<string, string[]>();
  TEAMS.forEach((team, t) => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const demo = t === 0 && i === 0;
      const name = demo ? 'Sam Okafor' : `${rnd.pick(GIVEN_NAMES)} ${rnd.pick(FAMILY_NAMES)}`;
      const email = demo ? 'caseworker@demo-county.example' : `caseworker.${t + 1}${i + 1}@demo-county.example`;
      ids.push(addUser(name, email, 'caseworker', { team: team.name, signIn: demo }));
    }
    caseworkersByTeam.set(team.name, ids);
  });
  addUser('Priya Shah', 'manager@demo-county.example', 'manager', { signIn: true });
  addUser('Dan Whitfield', 'qa@demo-county.example', 'qa_auditor', { signIn: true });
  addUser('Dr Helen Marsh', 'advice@demo-county.example', 'advice_giver', { signIn: true });
  addUser('Cllr Ruth Adeyemi', 'board@demo-county.example', 'board_member', { signIn: true });
  addUser('Alex Morgan', 'admin@demo-county.example', 'admin', { signIn: true });

  const startMonth = monthStart(asOf, HISTORY_MONTHS);
  const asOfDay = toDayNumber(asOf);
  let childSeq = 0;
  let requestSeq = 0;

  const newChild = (
    ageAtDate: LocalDate,
    age: number,
    need: string,
    setting: DemoSetting,
    team: (typeof TEAMS)[number],
  ) => {
    const id = rnd.uuid();
    const dob = addDays(ageAtDate, -Math.floor(age * 365.25) - rnd.int(0, 364));
    const sex = rnd.chance(0.71) ? 'M' : 'F';
    const given = rnd.pick(GIVEN_NAMES);
    childSeq += 1;
    const establishment = String(rnd.int(1000, 7999));
    const body = `${la}${establishment}${dob.slice(2, 4)}${String(rnd.int(0, 999)).padStart(3, '0')}`;
    // A child too young for a UPN at the request has one by the time they are at school (5 by "today").
    const laterBody = `${la}${people.int(1000, 7999)}${dob.slice(2, 4)}${String(people.int(0, 999)).padStart(3, '0')}`;
    const upn =
      age >= 4
        ? `${upnCheckLetter(body)}${body}`
        : ageInYears(dob, asOf) >= 5
          ? `${upnCheckLetter(laterBody)}${laterBody}`
          : null;
    out.children.push({
      id,
      laCode: la,
      reference: `DC-${String(childSeq).padStart(6, '0')}`,
      givenName: given,
      familyName: rnd.pick(FAMILY_NAMES),
      dateOfBirth: dob,
      sex,
      upn,
      upnUnknown: upn ? null : 'UN1',
      ethnicity: people.weighted(ETHNICITIES),
      postcode: `${team.postcode} ${rnd.int(1, 9)}${POSTCODE_LETTERS[rnd.int(0, 19)]}${POSTCODE_LETTERS[rnd.int(0, 19)]}`,
      primaryNeed: need,
      settingName: setting.name,
      settingType: setting.type,
      settingUrn: setting.urn,
      settingUkprn: setting.ukprn,
      senSetting: setting.senSetting,
    });
    return id;
  };

  const pickSetting = (age: number) => {
    if (age < 4) return rnd.pick(settings.filter((s) => s.type === 'early_years'));
    if (age >= 16) return rnd.pick(settings.filter((s) => s.type === 'post16' || s.type === 'special'));
    return rnd.chance(0.82)
      ? rnd.pick(settings.filter((s) => s.type === 'mainstream'))
      : rnd.pick(settings.filter((s) => s.type === 'special' || s.type === 'independent_special'));
  };

  const pickAge = () =>
    rnd.weighted<[number, number]>([
      [[1, 3], 15],
      [[4, 10], 50],
      [[11, 15], 28],
      [[16, 19], 7],
    ]);

  const addPlan = (childId: string, requestId: string | null, issued: LocalDate) => {
    const id = rnd.uuid();
    const issuedDay = toDayNumber(issued);
    const yearsActive = (asOfDay - issuedDay) / 365.25;
    // About 5% of plans end each year: moves, needs met, leaving education.
    const ceases = rnd.chance(1 - Math.exp(-0.05 * yearsActive));
    const ceasedDate = ceases ? fromDayNumber(issuedDay + rnd.int(90, Math.max(91, asOfDay - issuedDay))) : null;
    let lastReviewDate: LocalDate | null = null;
    if (!ceasedDate && yearsActive >= 1) {
      const anniversaries = Math.floor(yearsActive);
      const late = rnd.chance(0.25) ? 1 : 0;
      const reviewDay = issuedDay + Math.round((anniversaries - late) * 365.25) - rnd.int(0, 45);
      lastReviewDate = reviewDay > issuedDay ? fromDayNumber(Math.min(reviewDay, asOfDay)) : null;
    }
    out.plans.push({
      id,
      laCode: la,
      childId,
      requestId,
      status: ceasedDate ? 'ceased' : 'active',
      firstIssuedDate: issued,
      lastReviewDate,
      ceasedDate,
      ceasedReason: ceasedDate ? rnd.pick(CEASE_REASONS) : null,
    });
    // The request's child and advice were the last added, so look from the end.
    const child = requestId && asOfDay - issuedDay <= 180 ? out.children.findLast((c) => c.id === childId) : undefined;
    if (child && requestId) {
      // Recent plans carry their wording: the draft the family saw, and the final with sections I and K.
      const draft = demoPlanContent(texts, child.givenName, child.primaryNeed ?? 'MLD', id.slice(0, 8));
      const final = {
        ...draft,
        A: `${draft.A} (Added after the family's comments:) ${child.givenName} would like to keep the same teaching assistant.`,
        I: {
          settingName: child.settingName ?? 'Local school',
          settingType: child.settingType ?? 'mainstream',
          settingUrn: child.settingUrn ?? null,
        },
        K: out.advice
          .slice(-8)
          .filter((a) => a.requestId === requestId && a.receivedDate)
          .map((a) => ({ adviceType: a.adviceType, provider: a.provider, receivedDate: a.receivedDate ?? null })),
      };
      out.planVersions.push({ laCode: la, planId: id, versionNo: 1, kind: 'draft', content: draft });
      out.planVersions.push({
        laCode: la,
        planId: id,
        versionNo: 2,
        kind: 'final',
        issuedDate: issued,
        content: final,
      });
    } else {
      out.planVersions.push({ laCode: la, planId: id, versionNo: 1, kind: 'final', issuedDate: issued, content: {} });
    }
    return ceasedDate === null;
  };

  /**
   * Who to contact about a request, made from its number alone (no draws from the generator, so the rest of the county
   * is as it was): mostly a parent by email, some by text or letter; addresses and numbers are fictional (example.com,
   * Ofcom's drama range 07700 900xxx).
   */
  const demoContact = (n: number, familyName: string) => {
    const way = n % 10 < 7 ? 'email' : n % 10 < 9 ? 'text' : 'letter';
    const given = GIVEN_NAMES[(n * 7) % GIVEN_NAMES.length]!;
    return {
      contactName: `${given} ${familyName}`,
      contactRelationship: n % 25 === 0 ? 'carer' : 'parent',
      contactEmail: way === 'email' ? `${given.toLowerCase()}.${familyName.toLowerCase()}${n}@example.com` : null,
      contactPhone: way === 'text' ? `07700900${String(n % 1000).padStart(3, '0')}` : null,
      contactAddress: way === 'letter' ? `${(n % 90) + 1} Demo Road, Demo Town` : null,
      contactPreference: way,
    };
  };

  // Five years of requests for assessment.
  let activeFromHistory = 0;
  for (let m = 0; m <= HISTORY_MONTHS; m++) {
    const first = monthStart(asOf, HISTORY_MONTHS - m);
    const monthIndex = Number(first.slice(5, 7)) - 1;
    const perYear = 2_800 + (1_000 * m) / HISTORY_MONTHS;
    const expected = ((perYear / 12) * SEASON[monthIndex]!) / SEASON_MEAN;
    const count = Math.round(expected * scale * (0.93 + rnd.next() * 0.14));
    const daysInThisMonth = daysBetween(first, monthStart(asOf, HISTORY_MONTHS - m - 1));
    const onTimeShare = timelinessShape(m);
    const badness = (0.97 - onTimeShare) / 0.7; // 0 in good times, 1 at the worst
    for (let i = 0; i < count; i++) {
      const received = nextWorkingDay(addDays(first, rnd.int(0, daysInThisMonth - 1)));
      if (toDayNumber(received) > asOfDay) continue;
      const team = rnd.pick(TEAMS);
      const ageRange = pickAge();
      const age = rnd.int(ageRange[0], ageRange[1]);
      const need = rnd.weighted(NEEDS);
      const childId = newChild(received, age, need, pickSetting(age), team);
      const caseworkerId = rnd.pick(caseworkersByTeam.get(team.name)!);
      const id = rnd.uuid();
      requestSeq += 1;
      const reference = `EHC-${received.slice(0, 4)}-${String(requestSeq).padStart(5, '0')}`;

      // The request's whole course, then cut at "today".
      type Step = { type: string; day: LocalDate; data?: Record<string, unknown> };
      const steps: Step[] = [{ type: 'request_received', day: received }];
      const at = (days: number) => addDays(received, days);
      const withdrawn = rnd.chance(0.012);
      const decisionDay = rnd.chance(0.97) ? rnd.int(18, DECIDE_DAYS) : rnd.int(DECIDE_DAYS + 1, 75);
      const assess = rnd.chance(0.73 + 0.04 * (m / HISTORY_MONTHS));
      if (withdrawn) {
        steps.push({ type: 'request_withdrawn', day: at(rnd.int(5, decisionDay)) });
      } else {
        steps.push({
          type: 'assessment_decision',
          day: at(decisionDay),
          data: { outcome: assess ? 'assess' : 'not_assess' },
        });
      }
      if (!withdrawn && decisionDay > DECIDE_DAYS && exceptional.chance(0.4)) {
        const day = at(exceptional.int(7, 40));
        const reason = exceptional.pick(DECISION_EXCEPTIONS);
        steps.push({ type: 'exception', day, data: exceptionData('decide_whether_to_assess', reason, day) });
      }
      const advice: { type: string; provider: string; requested: LocalDate; received: LocalDate }[] = [];
      if (!withdrawn && assess) {
        const onTime = rnd.chance(onTimeShare);
        const finalDay = onTime
          ? rnd.int(Math.max(decisionDay + 60, 100), FINAL_PLAN_DAYS)
          : FINAL_PLAN_DAYS + 1 + Math.min(560, Math.round(rnd.exponential(21 + 70 * badness)));
        const issue = rnd.chance(0.95);
        const requestedDay = decisionDay + rnd.int(1, 5);
        const draftDay = finalDay - rnd.int(15, 28);
        // Advice must be in before the decision to issue; the draft is written after that decision.
        const adviceDeadline = issue
          ? draftDay - 8
          : rnd.int(Math.min(requestedDay + 50, 110), DECISION_NOT_TO_ISSUE_DAYS) - 1;
        const types = ['educational_psychology', 'health', 'education_setting'];
        if (rnd.chance(0.6)) types.push('social_care');
        let lastAdviceDay = requestedDay;
        for (const type of types) {
          // Educational psychology advice is the usual bottleneck when plans are late.
          const late = !onTime && (type === 'educational_psychology' ? rnd.chance(0.85) : rnd.chance(0.3 * badness));
          const turnaround = late
            ? ADVICE_DAYS + 1 + Math.round(rnd.exponential(14 + 40 * badness))
            : rnd.int(14, ADVICE_DAYS);
          const receivedDay = Math.max(requestedDay + 7, Math.min(requestedDay + turnaround, adviceDeadline));
          lastAdviceDay = Math.max(lastAdviceDay, receivedDay);
          const provider =
            type === 'education_setting'
              ? (out.children[out.children.length - 1]!.settingName ?? 'School')
              : PROVIDERS[type as keyof typeof PROVIDERS];
          advice.push({ type, provider, requested: at(requestedDay), received: at(receivedDay) });
          steps.push({ type: 'advice_requested', day: at(requestedDay), data: { adviceType: type, provider } });
          steps.push({ type: 'advice_received', day: at(receivedDay), data: { adviceType: type, provider } });
        }
        const issueDecisionDay = issue
          ? Math.min(draftDay - 3, lastAdviceDay + rnd.int(2, 14))
          : Math.max(lastAdviceDay + 1, adviceDeadline + 1);
        if (rnd.chance(0.04)) {
          const day = at(rnd.int(requestedDay, lastAdviceDay));
          steps.push({ type: 'exception', day, data: exceptionData('issue_final_plan', rnd.pick(EXCEPTIONS), day) });
        }
        steps.push({
          type: 'issue_decision',
          day: at(issueDecisionDay),
          data: { outcome: issue ? 'issue' : 'not_issue' },
        });
        if (issue) {
          steps.push({
            type: 'draft_served',
            day: at(draftDay),
            // The draft served is the plan's first version (as serveDraft records it), for the family's draft page.
            data: { method: rnd.chance(0.8) ? 'email' : 'first_class_post', planVersion: 1 },
          });
          steps.push({ type: 'final_plan_issued', day: at(finalDay) });
        }
      }

      const happened = steps.filter((s) => toDayNumber(s.day) <= asOfDay);
      const has = (type: string) => happened.find((s) => s.type === type);
      const decision = has('assessment_decision');
      const issueDecision = has('issue_decision');
      const final = has('final_plan_issued');
      const withdrawal = has('request_withdrawn');
      const exception = happened.find((s) => s.type === 'exception' && s.data?.duty === 'issue_final_plan');
      let stage: string;
      if (withdrawal) stage = 'withdrawn';
      else if (!decision) stage = 'deciding_whether_to_assess';
      else if (decision.data?.outcome === 'not_assess') stage = 'not_assessed';
      else if (!issueDecision) {
        const outstanding = advice.some((a) => toDayNumber(a.received) > asOfDay);
        stage = outstanding ? 'gathering_advice' : 'deciding_whether_to_issue';
      } else if (issueDecision.data?.outcome === 'not_issue') stage = 'not_issued';
      else if (final) stage = 'final_plan_issued';
      else stage = has('draft_served') ? 'draft_with_family' : 'drafting_plan';
      const open = !['withdrawn', 'not_assessed', 'not_issued', 'final_plan_issued'].includes(stage);

      out.requests.push({
        id,
        laCode: la,
        childId,
        reference,
        receivedDate: received,
        requestSource: rnd.weighted(SOURCES),
        caseworkerId,
        team: team.name,
        stage,
        open,
        assessmentDecision: decision ? (decision.data?.outcome as string) : null,
        assessmentDecisionDate: decision?.day ?? null,
        issueDecision: issueDecision ? (issueDecision.data?.outcome as string) : null,
        issueDecisionDate: issueDecision?.day ?? null,
        draftServedDate: has('draft_served')?.day ?? null,
        finalIssuedDate: final?.day ?? null,
        // The request keeps the reason of an exception to the 20-week duty only (SEN2 Week20).
        exceptionReason: exception ? (exception.data?.reason as string) : null,
        closedDate: open ? null : ((final ?? issueDecision ?? decision ?? withdrawal)?.day ?? null),
        ...demoContact(requestSeq, out.children.at(-1)!.familyName),
      });
      const storedAdvice: { id: string; adviceType: string; requestedDate: string; receivedDate: string | null }[] = [];
      for (const a of advice) {
        if (toDayNumber(a.requested) > asOfDay) continue;
        const adviceRow = {
          id: ids.uuid(),
          laCode: la,
          requestId: id,
          adviceType: a.type,
          provider: a.provider,
          requestedDate: a.requested,
          receivedDate: toDayNumber(a.received) <= asOfDay ? a.received : null,
        };
        out.advice.push(adviceRow);
        storedAdvice.push(adviceRow);
        // Some late advice had a reg 8(2) exception: a missed appointment, an absence, exceptional circumstances.
        const late = daysBetween(a.requested, a.received) > ADVICE_DAYS;
        if (late && exceptional.chance(0.15)) {
          const day = addDays(a.requested, exceptional.int(7, 35));
          const reason = exceptional.pick(ADVICE_EXCEPTIONS);
          if (toDayNumber(day) <= asOfDay) {
            happened.push({ type: 'exception', day, data: exceptionData(`advice:${adviceRow.id}`, reason, day) });
          }
        }
      }
      if (open) {
        // The duty due soonest, for the caseload's order (the services keep it current once casework is live).
        const request = out.requests[out.requests.length - 1]!;
        const stored = happened.map((s) => ({ type: s.type, occurredOn: s.day, data: s.data ?? {} }));
        const next = caseNextDuty(stored, storedAdvice, asOf);
        request.nextDuty = next?.duty ?? null;
        request.nextDueDate = next?.due ?? null;
      }
      for (const s of happened) {
        out.events.push({
          laCode: la,
          childId,
          requestId: id,
          type: s.type,
          occurredOn: s.day,
          actorId: s.type === 'advice_received' ? null : caseworkerId,
          data: s.data ?? {},
        });
      }
      if (final && addPlan(childId, id, final.day)) activeFromHistory += 1;
      if (stage === 'drafting_plan' || stage === 'draft_with_family') {
        // The draft being written, and for drafts with the family, the schools consulted about section I.
        const child = out.children.findLast((c) => c.id === childId)!;
        const planId = ids.uuid();
        out.plans.push({ id: planId, laCode: la, childId, requestId: id, status: 'draft' });
        const content = demoPlanContent(texts, child.givenName, need, planId.slice(0, 8));
        out.planVersions.push({ laCode: la, planId, versionNo: 1, kind: 'draft', content });
        const served = has('draft_served');
        if (served) {
          const consulted = [
            child.settingName ?? 'Local school',
            ...(texts.chance(0.4) ? [texts.pick(settings).name] : []),
          ];
          for (const settingName of consulted) {
            const sent = addDays(served.day, texts.int(0, 3));
            if (toDayNumber(sent) > asOfDay) continue;
            const replied = toDayNumber(sent) + 15 < asOfDay ? texts.chance(0.6) : texts.chance(0.3);
            const replyDay = Math.min(asOfDay, toDayNumber(sent) + texts.int(5, 25));
            out.consultations.push({
              laCode: la,
              requestId: id,
              settingName,
              sentDate: sent,
              respondedDate: replied ? fromDayNumber(replyDay) : null,
              response: replied ? (texts.chance(0.85) ? 'can_meet' : 'cannot_meet') : null,
              responseNote: replied ? '' : null,
            });
          }
        }
      }
    }
  }

  // Plans made before the five years of history (brought over from the council's previous system).
  const legacy = Math.max(0, Math.round((options.activePlans ?? 13_000) * scale) - activeFromHistory);
  const legacyFrom = toDayNumber(startMonth) - 12 * 365;
  for (let i = 0; i < legacy; i++) {
    const issued = fromDayNumber(rnd.int(legacyFrom, toDayNumber(startMonth) - 1));
    const yearsSince = (asOfDay - toDayNumber(issued)) / 365.25;
    const ageNow = Math.min(24, Math.max(6, Math.round(yearsSince + rnd.int(2, 12))));
    const team = rnd.pick(TEAMS);
    const setting = pickSetting(ageNow);
    const childId = newChild(asOf, ageNow, rnd.weighted(NEEDS), setting, team);
    // Older plans kept: the ones still active are what the council holds today.
    const id = rnd.uuid();
    out.plans.push({
      id,
      laCode: la,
      childId,
      requestId: null,
      status: 'active',
      firstIssuedDate: issued,
      lastReviewDate: fromDayNumber(asOfDay - rnd.int(0, rnd.chance(0.2) ? 500 : 364)),
      ceasedDate: null,
      ceasedReason: null,
    });
    out.planVersions.push({ laCode: la, planId: id, versionNo: 1, kind: 'final', issuedDate: issued, content: {} });
  }

  // A parent account linked to a child whose request is gathering advice, with a piece of advice late (past its
  // 6 weeks, reg 8(1)) and the rest still to come, so the family's page has something to say on each count.
  const late = (a: DemoCounty['advice'][number]) =>
    a.receivedDate == null && toDayNumber(a.requestedDate as LocalDate) + ADVICE_DAYS < asOfDay;
  const adviceOf = (requestId: string) => out.advice.filter((a) => a.requestId === requestId);
  const gathering = out.requests.filter((r) => r.stage === 'gathering_advice');
  const oneLate = (r: (typeof gathering)[number]) => adviceOf(r.id).filter(late).length === 1;
  // The demo caseworker's (Sam Okafor's) if one fits, so the caseworker's own list holds it; else anyone's.
  const sams = gathering.filter((r) => r.caseworkerId === out.users[0]!.id);
  const parentCase =
    sams.find(oneLate) ?? gathering.find(oneLate) ?? sams[0] ?? gathering[0] ?? out.requests.find((r) => r.open);
  if (parentCase) {
    const child = out.children.find((c) => c.id === parentCase.childId)!;
    addUser(`Jo ${child.familyName}`, 'parent@demo-county.example', 'parent', {
      childId: child.id,
      signIn: true,
      relationship: 'parent',
    });
  }
  // The data officer who makes the SEN2 return (added last but one, so every other record is as it was).
  addUser('Chris Bello', 'data@demo-county.example', 'data_officer', { signIn: true });
  // A carer with two children, so the family's plan pages show something (issue 27): one whose draft was served in
  // the last 10 days (still within its 15 days to comment), one whose final plan, with its wording, was issued.
  const withWording = new Set(
    out.planVersions.filter((v) => v.kind === 'final' && v.versionNo === 2).map((v) => v.planId),
  );
  const finalRequest = out.plans.find((p) => p.requestId && withWording.has(p.id))?.requestId;
  const carersChildren = [
    out.requests.find(
      (r) =>
        r.stage === 'draft_with_family' &&
        r.draftServedDate &&
        asOfDay - toDayNumber(r.draftServedDate as LocalDate) <= 10 &&
        r.childId !== parentCase?.childId,
    )?.childId,
    out.requests.find((r) => r.id === finalRequest && r.childId !== parentCase?.childId)?.childId,
  ].filter((id): id is string => id !== undefined);
  if (carersChildren.length) {
    const carerId = addUser('Alex Morgan', 'carer@demo-county.example', 'parent', {
      childId: carersChildren[0]!,
      signIn: true,
      relationship: 'parent',
    });
    for (const childId of carersChildren.slice(1)) {
      out.roleAssignments.push({
        userId: carerId,
        laCode: la,
        role: 'parent',
        team: null,
        childId,
        relationship: 'parent',
      });
    }
  }
  // A young person over 16 with an open request, signed in for themselves.
  const youngCase = out.requests.find((r) => {
    if (!r.open || out.roleAssignments.some((a) => a.role === 'parent' && a.childId === r.childId)) return false;
    const child = out.children.find((c) => c.id === r.childId)!;
    return ageInYears(child.dateOfBirth as LocalDate, asOf) >= 16;
  });
  if (youngCase) {
    const child = out.children.find((c) => c.id === youngCase.childId)!;
    addUser(`${child.givenName} ${child.familyName}`, 'youngperson@demo-county.example', 'parent', {
      childId: child.id,
      signIn: true,
      relationship: 'young_person',
    });
  }
  professionalsOnline(out, asOf, settings, addUser, () => rnd.uuid());
  participationHistory(out, asOf, new Random((options.seed ?? 20140901) ^ 0x27d4eb2f));
  phaseTransferHistory(out, asOf, new Random((options.seed ?? 20140901) ^ 0x18f0a3c5));
  out.ceasings = ceasingHistory(out, asOf, new Random((options.seed ?? 20140901) ^ 0x2845c3a1));
  reviewHistory(out, asOf, new Random((options.seed ?? 20140901) ^ 0x165667b1), englandAndWales);
  out.reassessments = reassessmentHistory(out, asOf, new Random((options.seed ?? 20140901) ^ 0x3c6ef372));
  out.disagreements = disagreementHistory(
    out,
    asOf,
    new Random((options.seed ?? 20140901) ^ 0x7feb352d),
    englandAndWales,
  );
  out.moves = moveHistory(out, asOf, new Random((options.seed ?? 20140901) ^ 0x5be0cd19));
  return out;
}

/**
 * Professionals online (issue 27), added after everything else so every other record is as it was: the educational
 * psychologist (advice@) has three outstanding requests addressed to her by name, one of them late (the county's EP
 * service has some 300 outstanding, too many for one person's list); the health service's designated clinical officer
 * (dco@) answers the health requests; a school (school@) has an open consultation about naming it in section I, with
 * the draft plan it was sent.
 */
function professionalsOnline(
  out: DemoCounty,
  asOf: LocalDate,
  settings: readonly DemoSetting[],
  addUser: (
    name: string,
    email: string,
    role: string,
    opts: { signIn?: boolean; adviceService?: string; settingUrn?: string },
  ) => string,
  uuid: () => string,
): void {
  const open = new Set(out.requests.filter((r) => r.open).map((r) => r.id));
  const advisor = out.users.find((u) => u.email === 'advice@demo-county.example')!;
  const outstanding = out.advice
    .filter((a) => a.adviceType === 'educational_psychology' && a.receivedDate === null && open.has(a.requestId))
    .sort((a, b) => b.requestedDate.localeCompare(a.requestedDate) || a.id.localeCompare(b.id));
  const isLate = (a: (typeof outstanding)[number]) => daysBetween(a.requestedDate as LocalDate, asOf) > ADVICE_DAYS;
  const chosen = [...outstanding.filter((a) => !isLate(a)).slice(0, 2), ...outstanding.filter(isLate).slice(0, 1)];
  for (const a of chosen) a.providerUserId = advisor.id;
  addUser('Dr Amara Osei', 'dco@demo-county.example', 'advice_giver', { signIn: true, adviceService: 'health' });
  const urnOf = new Map(settings.filter((s) => s.urn).map((s) => [s.name, s.urn!]));
  const consultation = out.consultations.find(
    (c) => c.respondedDate === null && open.has(c.requestId) && urnOf.has(c.settingName),
  );
  if (!consultation) return;
  consultation.settingUrn = urnOf.get(consultation.settingName)!;
  const plan = out.plans.find((p) => p.requestId === consultation.requestId);
  const draft = plan && out.planVersions.findLast((v) => v.planId === plan.id && v.kind === 'draft');
  if (draft) consultation.planVersionId = draft.id = uuid();
  addUser(`${consultation.settingName} SENCo`, 'school@demo-county.example', 'school', {
    signIn: true,
    settingUrn: consultation.settingUrn,
  });
}

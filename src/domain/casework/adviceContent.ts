/**
 * Advice given online (SEND Regulations 2014, reg 6(1) and 11): a professional's advice structured like the plan it
 * informs, so the caseworker can take it into the draft. The child's needs (section B style, each under one of the
 * four broad areas of need of the SEND Code of Practice 6.28-6.35), the outcomes sought (section E), and the
 * provision (section F: what, who, how often and for how long). The plan's writing checks apply to it as to the plan.
 *
 * Also the professional's work list: each request's due date is the clock's advice duty (6 weeks from the request,
 * reg 8(1), the same ADVICE_DAYS the clock counts with), and its status.
 */
import { addDays, daysBetween, formatLongDate, type LocalDate } from '../dates/localDate.js';
import { checkContextOf, qualityChecks, type QualityWarning } from '../quality/writingChecks.js';
import { ADVICE_DAYS } from '../statutory/periods.js';
import {
  emptyPlan,
  readPlanContent,
  type Need,
  type Outcome,
  type PlanContent,
  type ProvisionItem,
} from './planContent.js';
import { ADVICE_TYPE_NAMES, type AdviceType } from './stages.js';

/** The four broad areas of need (SEND Code of Practice 6.28). */
export const AREAS_OF_NEED = {
  communication_interaction: 'Communication and interaction',
  cognition_learning: 'Cognition and learning',
  semh: 'Social, emotional and mental health',
  sensory_physical: 'Sensory and/or physical',
} as const;
export type AreaOfNeed = keyof typeof AREAS_OF_NEED;

export function isAreaOfNeed(value: unknown): value is AreaOfNeed {
  return typeof value === 'string' && Object.hasOwn(AREAS_OF_NEED, value);
}

export interface AdviceNeed extends Need {
  /** One of AREAS_OF_NEED, or '' where the professional has not said. */
  area: AreaOfNeed | '';
}

export interface AdviceContent {
  B: AdviceNeed[];
  E: Outcome[];
  F: ProvisionItem[];
}

export function emptyAdvice(): AdviceContent {
  return { B: [], E: [], F: [] };
}

/** Reads stored advice (null: nothing saved yet) into the full shape. */
export function readAdviceContent(stored: unknown): AdviceContent {
  if (typeof stored !== 'object' || stored === null) return emptyAdvice();
  const plan = readPlanContent(stored);
  const rawNeeds = (stored as { B?: unknown }).B;
  const areas = Array.isArray(rawNeeds) ? rawNeeds.map((n) => (n as { area?: unknown } | null)?.area) : [];
  return {
    B: plan.B.map((n, i) => ({ ...n, area: isAreaOfNeed(areas[i]) ? areas[i] : '' })),
    E: plan.E,
    F: plan.F,
  };
}

export function isEmptyAdvice(advice: AdviceContent): boolean {
  return advice.B.length === 0 && advice.E.length === 0 && advice.F.length === 0;
}

/** The advice as a plan with only sections B, E and F: what the plan's writing checks read. */
function asPlan(advice: AdviceContent): PlanContent {
  return { ...emptyPlan(), B: advice.B, E: advice.E, F: advice.F };
}

/**
 * The plan's writing checks (writingChecks.ts: the golden thread B -> E -> F, provision that says who, how often and
 * for how long, vague wording) on the advice, and each need's area of need: warnings the professional reads before
 * sending, and the caseworker with the advice, never blocks. Only the sections advice has (B, E, F): the others are
 * the council's to write. None on advice with nothing written yet.
 */
export function adviceWarnings(advice: AdviceContent): QualityWarning[] {
  // Nothing written yet: nothing to check (a blank form is not told its sections are empty).
  if (isEmptyAdvice(advice)) return [];
  const sections = new Set<keyof PlanContent>(['B', 'E', 'F']);
  const warnings = qualityChecks(asPlan(advice), checkContextOf([])).filter((w) => sections.has(w.section));
  // Each need under one of the four broad areas of need (Code of Practice 6.28), as the form asks.
  const noArea: QualityWarning[] = advice.B.flatMap((n, i) =>
    n.area ? [] : [{ section: 'B' as const, text: `Need ${i + 1} does not say its area of need` }],
  );
  return [...noArea, ...warnings];
}

/** "From educational psychology advice, given 3 March 2027": the source named on what is taken into the plan. */
export function adviceSource(adviceType: string, givenOn: LocalDate): string {
  const name = (ADVICE_TYPE_NAMES[adviceType as AdviceType] ?? adviceType).toLowerCase();
  return `From ${name} advice, given ${formatLongDate(givenOn)}`;
}

export const PLAN_SECTIONS_FROM_ADVICE = ['B', 'E', 'F'] as const;
export type SectionFromAdvice = (typeof PLAN_SECTIONS_FROM_ADVICE)[number];

/**
 * The plan with the advice's items of one section added after what is there (nothing in the plan is changed or
 * removed), each with the source named at its end. New ids are made for the added items (`newId`); an outcome's or
 * provision item's links to the advice's needs and outcomes are kept where those were taken into the plan too.
 * An item already taken (the same words and source) is not added again. Returns the plan and how many were added.
 */
export function addAdviceToPlan(
  plan: PlanContent,
  advice: AdviceContent,
  section: SectionFromAdvice,
  source: string,
  newId: () => string,
): { plan: PlanContent; added: number } {
  const note = (text: string) => `${text} (${source})`;
  // The advice's needs and outcomes already in the plan, by their advice id: found by their words.
  const needIds = new Map<string, string>();
  for (const n of advice.B) {
    const inPlan = plan.B.find((p) => p.text === note(n.text));
    if (inPlan) needIds.set(n.id, inPlan.id);
  }
  const outcomeIds = new Map<string, string>();
  for (const o of advice.E) {
    const inPlan = plan.E.find((p) => p.text === note(o.text));
    if (inPlan) outcomeIds.set(o.id, inPlan.id);
  }
  const next: PlanContent = { ...plan, B: [...plan.B], E: [...plan.E], F: [...plan.F] };
  let added = 0;
  if (section === 'B') {
    for (const n of advice.B) {
      if (needIds.has(n.id)) continue;
      next.B.push({ id: newId(), text: note(n.text) });
      added++;
    }
  } else if (section === 'E') {
    for (const o of advice.E) {
      if (outcomeIds.has(o.id)) continue;
      const linked = o.needIds.map((id) => needIds.get(id)).filter((id): id is string => id !== undefined);
      next.E.push({ id: newId(), text: note(o.text), timeframe: o.timeframe, needIds: linked });
      added++;
    }
  } else {
    for (const p of advice.F) {
      const what = note(p.what);
      if (plan.F.some((f) => f.what === what)) continue;
      next.F.push({
        id: newId(),
        what,
        who: p.who,
        frequency: p.frequency,
        duration: p.duration,
        needId: needIds.get(p.needId) ?? '',
        outcomeId: outcomeIds.get(p.outcomeId) ?? '',
      });
      added++;
    }
  }
  return { plan: next, added };
}

/** How close an advice request is to its due date, on the professional's work list. */
export type AdviceWorkStatus = 'given' | 'late' | 'due_soon' | 'due';

export const ADVICE_WORK_STATUS_NAMES: Record<AdviceWorkStatus, string> = {
  given: 'Given',
  late: 'Late',
  due_soon: 'Due soon',
  due: 'Due',
};

/** "Due soon": within this many days of the due date (a week: one chaser's notice). */
export const DUE_SOON_DAYS = 7;

/** The advice duty's due date: 6 weeks from the request for advice (reg 8(1)), as the clock counts it. */
export function adviceDue(requested: LocalDate): LocalDate {
  return addDays(requested, ADVICE_DAYS);
}

export function adviceWorkStatus(requested: LocalDate, given: LocalDate | null, today: LocalDate): AdviceWorkStatus {
  if (given) return 'given';
  const due = adviceDue(requested);
  if (today > due) return 'late';
  return daysBetween(today, due) <= DUE_SOON_DAYS ? 'due_soon' : 'due';
}

/**
 * Outstanding advice asked for before this day is late on `today` (adviceWorkStatus): its due date, 6 weeks after
 * the request (reg 8(1)), has passed. For counting late requests in a query.
 */
export function lateIfRequestedBefore(today: LocalDate): LocalDate {
  return addDays(today, -ADVICE_DAYS);
}

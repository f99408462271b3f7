/**
 * The content of an EHC plan in its sections (SEND Regulations 2014, reg 12): A views, interests and aspirations;
 * B special educational needs, as a list; C health needs; D social care needs; E outcomes, each linked to the needs
 * it follows from and with a timeframe; F special educational provision, each item saying what, who, how often and
 * for how long, the need it meets and the outcome it serves; G health provision; H1 and H2 social care provision;
 * I the placement (left blank in a draft, reg 13(1)(b)); J personal budget; K the advice and information gathered
 * (listed automatically from the advice received).
 */

export interface Need {
  id: string;
  text: string;
}
export interface Outcome {
  id: string;
  text: string;
  needIds: string[];
  timeframe: string;
}
export interface ProvisionItem {
  id: string;
  what: string;
  who: string;
  frequency: string;
  duration: string;
  needId: string;
  outcomeId: string;
}

export interface PlanContent {
  A: string;
  B: Need[];
  C: string;
  D: string;
  E: Outcome[];
  F: ProvisionItem[];
  G: string;
  H1: string;
  H2: string;
  I: { settingName: string; settingType: string; settingUrn: string | null } | null;
  J: string;
  K: { adviceType: string; provider: string; receivedDate: string | null }[];
}

export const TEXT_SECTIONS = ['A', 'C', 'D', 'G', 'H1', 'H2', 'J'] as const;
export type TextSection = (typeof TEXT_SECTIONS)[number];

export const SECTION_NAMES: Record<keyof PlanContent, string> = {
  A: 'Section A: views, interests and aspirations',
  B: 'Section B: special educational needs',
  C: 'Section C: health needs',
  D: 'Section D: social care needs',
  E: 'Section E: outcomes',
  F: 'Section F: special educational provision',
  G: 'Section G: health provision',
  H1: 'Section H1: social care provision (Chronically Sick and Disabled Persons Act 1970, s.2)',
  H2: 'Section H2: other social care provision',
  I: 'Section I: placement',
  J: 'Section J: personal budget',
  K: 'Section K: advice and information',
};

export function emptyPlan(): PlanContent {
  return { A: '', B: [], C: '', D: '', E: [], F: [], G: '', H1: '', H2: '', I: null, J: '', K: [] };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** Reads stored content (older versions may lack sections) into the full shape. */
export function readPlanContent(stored: unknown): PlanContent {
  const s = obj(stored);
  const plan = emptyPlan();
  for (const section of TEXT_SECTIONS) plan[section] = str(s[section]);
  plan.B = arr(s.B).map((n) => ({ id: str(obj(n).id), text: str(obj(n).text) }));
  plan.E = arr(s.E).map((o) => ({
    id: str(obj(o).id),
    text: str(obj(o).text),
    needIds: arr(obj(o).needIds).filter((x): x is string => typeof x === 'string'),
    timeframe: str(obj(o).timeframe),
  }));
  plan.F = arr(s.F).map((p) => {
    const item = obj(p);
    return {
      id: str(item.id),
      what: str(item.what),
      who: str(item.who),
      frequency: str(item.frequency),
      duration: str(item.duration),
      needId: str(item.needId),
      outcomeId: str(item.outcomeId),
    };
  });
  const i = obj(s.I);
  plan.I = s.I
    ? { settingName: str(i.settingName), settingType: str(i.settingType), settingUrn: str(i.settingUrn) || null }
    : null;
  plan.K = arr(s.K).map((k) => ({
    adviceType: str(obj(k).adviceType),
    provider: str(obj(k).provider),
    receivedDate: str(obj(k).receivedDate) || null,
  }));
  return plan;
}

export interface PlanWarning {
  section: keyof PlanContent;
  text: string;
}

/**
 * Gaps in the plan's golden thread (B to E to F) and unquantified provision, shown as the plan is written. They
 * are warnings, not blocks: the caseworker decides.
 */
export function planWarnings(plan: PlanContent): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (!plan.A.trim())
    warnings.push({ section: 'A', text: 'Section A does not yet give the child’s or family’s views' });
  if (plan.B.length === 0) warnings.push({ section: 'B', text: 'Section B lists no needs' });
  plan.B.forEach((need, i) => {
    const label = `Need ${i + 1}`;
    if (!plan.E.some((o) => o.needIds.includes(need.id))) {
      warnings.push({ section: 'E', text: `${label} has no outcome in section E` });
    }
    if (!plan.F.some((p) => p.needId === need.id)) {
      warnings.push({ section: 'F', text: `${label} has no provision in section F` });
    }
  });
  plan.E.forEach((o, i) => {
    if (o.needIds.length === 0) warnings.push({ section: 'E', text: `Outcome ${i + 1} is not linked to a need` });
    if (!o.timeframe.trim()) warnings.push({ section: 'E', text: `Outcome ${i + 1} has no timeframe` });
  });
  plan.F.forEach((p, i) => {
    const missing = [!p.who.trim() && 'who', !p.frequency.trim() && 'how often', !p.duration.trim() && 'for how long']
      .filter(Boolean)
      .join(', ');
    if (missing) warnings.push({ section: 'F', text: `Provision ${i + 1} does not say ${missing}` });
    if (!p.needId) warnings.push({ section: 'F', text: `Provision ${i + 1} is not linked to a need` });
  });
  return warnings;
}

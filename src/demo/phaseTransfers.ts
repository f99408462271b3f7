/**
 * Phase transfers (issue 28, SEND Regulations 2014 reg 18) in the demo county's history: added after everything else,
 * from a stream of their own, so every other record and figure is as it was.
 *
 * For each of the last five September moves, and the next one, every child whose plan was maintained on the deadline
 * and who was in a transfer year group (domain/casework/phaseTransfer.ts: nursery, Year 6, Year 11; the county has no
 * infant schools) has their amended plan finalised, naming the next setting, on a date drawn as councils work: a few
 * in the autumn, then a rush in January and the first two weeks of February (before 15 February; before 31 March for
 * post-16, whose rush runs to the end of March), and some late, from the day after the deadline to the end of May. The
 * next September's transfers are recorded only up to the demo's "today": the rest are still to do.
 *
 * The share finalised on time follows Hertfordshire's published trend for amended plans finalised after a review
 * within 12 weeks (shared/reference/statistics/README.md: 18% in 2023, 27% in 2024, 44% from January 2024 to February
 * 2025), the nearest published figure: no council figure for phase transfers is published. Phase transfers are the
 * council's priority each spring, so the demo takes each year's share as that figure's, rising: 18% for the transfers
 * four Septembers back, then 27%, then 44% for the last three (the latest published figure held, a stated assumption).
 *
 * The demo records the transfers (their next setting and date) but not an amended plan version for each: the page and
 * the measure read the transfers; the plan versions would add thousands of rows to the demo's load.
 */
import { addDays, daysBetween, toDayNumber, type LocalDate } from '../domain/dates/localDate.js';
import {
  PHASE_TRANSFER_FROM_YEAR,
  nextTransferYear,
  phaseTransferDeadline,
  yearGroup,
  type PhaseTransferKind,
} from '../domain/casework/phaseTransfer.js';
import type { DemoCounty } from './generate.js';
import type { Random } from './random.js';

/** How many September moves back the history goes (with the next one, six transfer years). */
export const DEMO_TRANSFER_YEARS_BACK = 5;

/** The share finalised by the deadline, by how many Septembers back (index 0: the next one). */
const ON_TIME_SHARE = [0.44, 0.44, 0.44, 0.27, 0.18, 0.18];

const KINDS: PhaseTransferKind[] = ['early_years_to_school', 'primary_to_secondary', 'secondary_to_post16'];

export type DemoPhaseTransfer = {
  laCode: string;
  planId: string;
  childId: string;
  transferYear: number;
  kind: PhaseTransferKind;
  deadline: string;
  nextSettingName: string;
  nextSettingUrn: string;
  finalisedDate: string;
};

export function phaseTransferHistory(out: DemoCounty, asOf: LocalDate, rnd: Random): void {
  const next = nextTransferYear(asOf);
  const schools = new Map<string, { name: string; urn: string; type: string }>();
  for (const c of out.children) {
    if (c.settingName && c.settingUrn)
      schools.set(c.settingName, { name: c.settingName, urn: c.settingUrn, type: c.settingType ?? '' });
  }
  const all = [...schools.values()].sort((a, b) => a.name.localeCompare(b.name));
  const primaries = all.filter((s) => s.name.endsWith('Primary School'));
  const secondaries = all.filter((s) => s.name.endsWith('Academy') || s.type === 'special');
  const nextSetting: Record<PhaseTransferKind, typeof all> = {
    early_years_to_school: primaries,
    infant_to_junior: primaries,
    primary_to_secondary: secondaries,
    secondary_to_post16: secondaries,
  };
  const receptionYear = new Map(
    // The school year a child starts Reception: yearGroup is the school year less it, for every school year.
    out.children.map((c) => [c.id, 2000 - yearGroup(c.dateOfBirth as LocalDate, 2000)]),
  );
  const kindOfGroup = new Map(KINDS.map((k) => [PHASE_TRANSFER_FROM_YEAR[k], k]));
  for (const plan of out.plans) {
    if (!plan.firstIssuedDate) continue;
    const reception = receptionYear.get(plan.childId)!;
    for (let year = next - DEMO_TRANSFER_YEARS_BACK; year <= next; year++) {
      const kind = kindOfGroup.get(year - 1 - reception);
      if (!kind) continue;
      const deadline = phaseTransferDeadline(kind, year);
      // Maintained on the deadline: issued by then and not ceased before it.
      if (plan.firstIssuedDate > deadline || (plan.ceasedDate && plan.ceasedDate <= deadline)) continue;
      const finalised = finalisedOn(rnd, deadline, kind, rnd.chance(ON_TIME_SHARE[next - year]!));
      // A plan issued late in the cycle cannot be amended before it existed.
      const date = finalised < plan.firstIssuedDate ? (plan.firstIssuedDate as LocalDate) : finalised;
      const setting = rnd.pick(nextSetting[kind]);
      if (toDayNumber(date) > toDayNumber(asOf)) continue;
      out.phaseTransfers.push({
        laCode: plan.laCode,
        planId: plan.id,
        childId: plan.childId,
        transferYear: year,
        kind,
        deadline,
        nextSettingName: setting.name,
        nextSettingUrn: setting.urn,
        finalisedDate: date,
      });
    }
  }
}

/**
 * A finalised date: on time, 1 in 8 in the autumn term (1 October to 31 December before) and the rest in the rush from
 * 1 January (the post-16 rush from 1 February) to the deadline; late, from the day after it to the end of May.
 */
function finalisedOn(rnd: Random, deadline: LocalDate, kind: PhaseTransferKind, onTime: boolean): LocalDate {
  const year = Number(deadline.slice(0, 4));
  if (!onTime) {
    const end = `${year}-05-31` as LocalDate;
    return addDays(deadline, rnd.int(1, daysBetween(deadline, end)));
  }
  if (rnd.chance(0.125)) {
    const from = `${year - 1}-10-01` as LocalDate;
    return addDays(from, rnd.int(0, daysBetween(from, `${year - 1}-12-31` as LocalDate)));
  }
  const from = (kind === 'secondary_to_post16' ? `${year}-02-01` : `${year}-01-01`) as LocalDate;
  // The later in the rush, the more: the square root of a uniform number leans towards the deadline.
  return addDays(from, Math.floor(Math.sqrt(rnd.next()) * (daysBetween(from, deadline) + 1)));
}

/**
 * The checks on a SEN2 return that the schema cannot express, derived from the DfE guide
 * (shared/reference/sen2/README.md section 4; DfE's numbered rules are not public). Each problem is a line
 * `ERROR <xpath>: <message>` (COLLECT would refuse it) or `QUERY <xpath>: <message>` (to check, and explain if right).
 */
import { daysBetween } from '../dates/localDate.js';
import { isValidUpn } from '../identifiers/upn.js';
import type { Sen2Return, Sen2Setting } from './model.js';

export interface Sen2Problem {
  level: 'ERROR' | 'QUERY';
  path: string;
  message: string;
}

export function formatProblem(p: Sen2Problem): string {
  return `${p.level} ${p.path}: ${p.message}`;
}

const SETTING_CODES = new Set(['OLA', 'OPA', 'EHE', 'EYP', 'OTH']);
const PLACEMENT_ONLY_SETTINGS = new Set(['NEET', 'NIEC', 'NIEO']);

export function checkSen2(ret: Sen2Return, year: number): Sen2Problem[] {
  const problems: Sen2Problem[] = [];
  const error = (path: string, message: string) => problems.push({ level: 'ERROR', path, message });
  const query = (path: string, message: string) => problems.push({ level: 'QUERY', path, message });

  const setting = (path: string, s: Sen2Setting, placement: boolean) => {
    const given = [s.urn && 'URN', s.ukprn && 'UKPRN', s.senSetting && 'SENSetting'].filter(Boolean);
    if (given.length !== 1) {
      error(path, `give exactly one of URN, UKPRN or SENSetting, not ${given.length ? given.join(' and ') : 'none'}`);
    }
    if (!s.placementRank) error(`${path}/PlacementRank`, 'a placement rank (1 or 2) is needed');
    if (s.senSetting && !SETTING_CODES.has(s.senSetting) && !(placement && PLACEMENT_ONLY_SETTINGS.has(s.senSetting))) {
      error(`${path}/SENSetting`, `${s.senSetting} is not a setting code${placement ? '' : ' for a named plan'}`);
    }
    if (s.senSettingOther && s.senSetting !== 'OTH') {
      query(`${path}/SENSettingOther`, 'a description of the setting is given only with SENSetting OTH');
    }
  };

  ret.persons.forEach((p, pi) => {
    const person = `/Message/Persons/Person[${pi + 1}]`;
    if (!p.upn && !p.uln && !p.upnUnknown)
      error(person, 'give a UPN, a ULN, or the reason neither is known (UPNunknown)');
    if (p.upn && !isValidUpn(p.upn)) query(`${person}/UPN`, `${p.upn} fails the UPN check letter`);
    if (p.upn && p.upnUnknown) query(`${person}/UPNunknown`, 'a reason for no UPN is given beside a UPN');

    p.requests.forEach((r, ri) => {
      const request = `${person}/Requests[${ri + 1}]`;
      const outcome = r.requestOutcome;
      if (!r.requestSource) {
        (year >= 2026 ? error : query)(
          `${request}/RequestSource`,
          `who made the request is ${year >= 2026 ? 'required' : 'expected'} from the 2026 return`,
        );
      }
      if (r.receivedDate && p.personBirthDate) {
        const age = daysBetween(p.personBirthDate, r.receivedDate) / 365.25;
        if (age < 0 || age >= 26)
          query(`${request}/ReceivedDate`, `the child would be ${Math.floor(age)} at the request: outside 0 to 25`);
      }
      if ((outcome === 'Y' || outcome === 'N') && !r.requestOutcomeDate) {
        error(`${request}/RequestOutcomeDate`, `the date the family was told is needed for outcome ${outcome}`);
      }
      if ((outcome === 'A' || outcome === 'W' || outcome === 'H') && r.requestOutcomeDate) {
        error(`${request}/RequestOutcomeDate`, `no decision date is given for outcome ${outcome}`);
      }
      if ((outcome === 'A' || outcome === 'W' || outcome === 'N') && r.assessment) {
        error(`${request}/Assessment`, `there is no assessment after request outcome ${outcome}`);
      }
      if (r.receivedDate && r.requestOutcomeDate && r.requestOutcomeDate < r.receivedDate) {
        error(`${request}/RequestOutcomeDate`, 'the decision is dated before the request was received');
      }
      const a = r.assessment;
      if (a) {
        const path = `${request}/Assessment`;
        if ((a.assessmentOutcome === 'Y' || a.assessmentOutcome === 'N') && !a.assessmentOutcomeDate) {
          error(
            `${path}/AssessmentOutcomeDate`,
            `the date of the outcome is needed for outcome ${a.assessmentOutcome}`,
          );
        }
        if ((a.assessmentOutcome === 'A' || a.assessmentOutcome === 'W') && (a.namedPlan || a.assessmentOutcomeDate)) {
          error(path, `nothing further is given after assessment outcome ${a.assessmentOutcome}`);
        }
        if (a.assessmentOutcome === 'Y' && a.week20 === undefined) {
          query(`${path}/Week20`, 'say whether a 20-week exception applies to the plan issued');
        }
        if (a.assessmentOutcomeDate && r.requestOutcomeDate && a.assessmentOutcomeDate < r.requestOutcomeDate) {
          error(`${path}/AssessmentOutcomeDate`, 'the outcome is dated before the decision to assess');
        }
        const plan = a.namedPlan;
        if (plan) {
          plan.planDetails.forEach((d, di) => setting(`${path}/NamedPlan/PlanDetail[${di + 1}]`, d, false));
          if (plan.planDetails.length > 2) error(`${path}/NamedPlan`, 'at most 2 plan details');
          if (plan.ceaseDate && !plan.ceaseReason)
            error(`${path}/NamedPlan/CeaseReason`, 'a ceased plan needs its reason');
          if (plan.ceaseReason && !plan.ceaseDate)
            error(`${path}/NamedPlan/CeaseDate`, 'a reason to cease needs the date the plan ended');
        }
      }
      const active = r.activePlans;
      if (active) {
        const path = `${request}/ActivePlans`;
        if (active.placements.length === 0) error(path, 'an active plan needs at least one placement');
        active.placements.forEach((pl, k) => setting(`${path}/PlacementDetail[${k + 1}]`, pl, true));
        if (active.senNeeds.length < 1 || active.senNeeds.length > 2)
          error(path, 'an active plan needs 1 or 2 SEN needs');
        if (active.senNeeds.filter((n) => n.senTypeRank === '1').length !== 1) {
          error(path, 'exactly one SEN need is the primary one (rank 1)');
        }
      }
    });
  });
  return problems;
}

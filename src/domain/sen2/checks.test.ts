import { describe, expect, it } from 'vitest';
import { sampleReturn } from '../../../test/sen2.js';
import type { LocalDate } from '../dates/localDate.js';
import { checkSen2, formatProblem } from './checks.js';
import type { Sen2Return } from './model.js';

const d = (s: string) => s as LocalDate;
const lines = (ret: Sen2Return, year = 2026) => checkSen2(ret, year).map(formatProblem);
const first = () => sampleReturn(2026);
const plan = (ret: Sen2Return) => ret.persons[0]!.requests[0]!;

describe('the SEN2 checks the schema cannot make', () => {
  it('finds nothing in a sound return', () => {
    expect(lines(first())).toEqual([]);
  });

  it('needs a UPN, a ULN or the reason neither is known, and queries a UPN whose check letter fails', () => {
    const ret = first();
    ret.persons[1]!.upnUnknown = undefined;
    ret.persons[0]!.upn = 'A938201512345';
    expect(lines(ret)).toEqual([
      expect.stringMatching(/^QUERY \/Message\/Persons\/Person\[1\]\/UPN: A938201512345 fails the UPN check letter$/),
      'ERROR /Message/Persons/Person[2]: give a UPN, a ULN, or the reason neither is known (UPNunknown)',
    ]);
  });

  it('requires who made the request from 2026, and queries it in 2025', () => {
    const ret = first();
    plan(ret).requestSource = undefined;
    expect(lines(ret, 2026)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/RequestSource: who made the request is required from the 2026 return',
    ]);
    expect(lines(ret, 2025)[0]).toMatch(/^QUERY .*RequestSource: who made the request is expected/);
  });

  it('ties the request outcome to its date and to what may follow', () => {
    const ret = first();
    plan(ret).requestOutcomeDate = undefined;
    expect(lines(ret)).toContain(
      'ERROR /Message/Persons/Person[1]/Requests[1]/RequestOutcomeDate: the date the family was told is needed for outcome Y',
    );
    const waiting = first();
    plan(waiting).requestOutcome = 'A';
    expect(lines(waiting)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/RequestOutcomeDate: no decision date is given for outcome A',
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment: there is no assessment after request outcome A',
    ]);
    const backwards = first();
    plan(backwards).requestOutcomeDate = d('2025-01-01');
    expect(lines(backwards)).toContain(
      'ERROR /Message/Persons/Person[1]/Requests[1]/RequestOutcomeDate: the decision is dated before the request was received',
    );
  });

  it('needs the assessment outcome’s date for Y and N, nothing after A or W, and asks about Week20 for a plan issued', () => {
    const ret = first();
    plan(ret).assessment!.assessmentOutcomeDate = undefined;
    plan(ret).assessment!.week20 = undefined;
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/AssessmentOutcomeDate: the date of the outcome is needed for outcome Y',
      'QUERY /Message/Persons/Person[1]/Requests[1]/Assessment/Week20: say whether a 20-week exception applies to the plan issued',
    ]);
    const withdrawn = first();
    plan(withdrawn).assessment!.assessmentOutcome = 'W';
    expect(lines(withdrawn)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment: nothing further is given after assessment outcome W',
    ]);
  });

  it('gives each setting exactly one of URN, UKPRN or a setting code, with its rank', () => {
    const ret = first();
    plan(ret).assessment!.namedPlan!.planDetails = [{ urn: '117000', ukprn: '10012345', senSetting: 'NEET' }];
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/NamedPlan/PlanDetail[1]: give exactly one of URN, UKPRN or SENSetting, not URN and UKPRN and SENSetting',
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/NamedPlan/PlanDetail[1]/PlacementRank: a placement rank (1 or 2) is needed',
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/NamedPlan/PlanDetail[1]/SENSetting: NEET is not a setting code for a named plan',
    ]);
    // NEET is a placement, not a named plan's setting.
    const neet = first();
    plan(neet).activePlans!.placements = [{ senSetting: 'NEET', placementRank: '1' }];
    expect(lines(neet)).toEqual([]);
  });

  it('needs a ceased plan’s date and reason together', () => {
    const ret = first();
    plan(ret).assessment!.namedPlan!.ceaseDate = d('2025-12-01');
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/NamedPlan/CeaseReason: a ceased plan needs its reason',
    ]);
  });

  it('needs an active plan to have a placement and one or two SEN needs, one of them primary', () => {
    const ret = first();
    plan(ret).activePlans!.placements = [];
    plan(ret).activePlans!.senNeeds = [
      { senType: 'SPLD', senTypeRank: '2' },
      { senType: 'ASD', senTypeRank: '2' },
    ];
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/ActivePlans: an active plan needs at least one placement',
      'ERROR /Message/Persons/Person[1]/Requests[1]/ActivePlans: exactly one SEN need is the primary one (rank 1)',
    ]);
  });

  it('queries an age at the request outside 0 to 25', () => {
    const ret = first();
    ret.persons[0]!.personBirthDate = d('1990-01-01');
    expect(lines(ret)).toEqual([
      'QUERY /Message/Persons/Person[1]/Requests[1]/ReceivedDate: the child would be 35 at the request: outside 0 to 25',
    ]);
  });
});

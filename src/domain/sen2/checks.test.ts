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
    expect(lines(ret, 2025)).toContain(
      'QUERY /Message/Persons/Person[1]/Requests[1]/RequestSource: who made the request is voluntary in 2025 but required from 2026',
    );
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
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/AssessmentOutcomeDate: the date the plan was issued is needed once it has been',
    ]);
    // Y with no date and no plan yet: a plan agreed but not yet issued (README section 3), which is right.
    const agreed = first();
    agreed.persons[0]!.requests[0] = {
      ...plan(agreed),
      assessment: { assessmentOutcome: 'Y' },
      activePlans: undefined,
    };
    expect(lines(agreed)).toEqual([]);
    const noWeek20 = first();
    plan(noWeek20).assessment!.week20 = undefined;
    expect(lines(noWeek20)).toEqual([
      'QUERY /Message/Persons/Person[1]/Requests[1]/Assessment/Week20: say whether a 20-week exception applies to the plan issued',
    ]);
    const refused = first();
    plan(refused).assessment = { assessmentOutcome: 'N' };
    plan(refused).activePlans = undefined;
    expect(lines(refused)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/AssessmentOutcomeDate: the date the family was told no plan would be issued is needed for outcome N',
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
    plan(ret).activePlans = undefined;
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/NamedPlan/CeaseReason: a ceased plan needs its reason',
    ]);
    // A plan that ended before the census is not active on it.
    const stillActive = first();
    plan(stillActive).assessment!.namedPlan!.ceaseDate = d('2025-12-01');
    plan(stillActive).assessment!.namedPlan!.ceaseReason = '2';
    expect(lines(stillActive)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/ActivePlans: a plan that ceased by the census date is not active',
    ]);
  });

  it('takes a plan transferred out with only its new LA in ActivePlans (TransferLA, item 5.1), for CeaseReason 5 only', () => {
    const ret = first();
    plan(ret).assessment!.namedPlan!.ceaseDate = d('2025-12-01');
    plan(ret).assessment!.namedPlan!.ceaseReason = '5';
    plan(ret).activePlans = { transferLa: '919', placements: [], senNeeds: [] };
    expect(lines(ret)).toEqual([]);
    plan(ret).assessment!.namedPlan!.ceaseReason = '2';
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/ActivePlans/TransferLA: TransferLA is given only for a plan transferred to another LA (CeaseReason 5)',
    ]);
  });

  it('needs an active plan to have its named plan, with a start date', () => {
    const ret = first();
    plan(ret).assessment!.namedPlan!.startDate = undefined;
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/Assessment/NamedPlan/StartDate: a named plan needs the date it started',
    ]);
    plan(ret).assessment!.namedPlan = undefined;
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/ActivePlans: an active plan needs its named plan (Assessment/NamedPlan)',
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
      'QUERY /Message/Persons/Person[1]/Requests[1]/ActivePlans: the young person is 36 at the census: outside 0 to 25',
    ]);
  });

  it('queries a reference date that is not the census date, and leaves a malformed UPN to the schema', () => {
    const ret = first();
    ret.header.referenceDate = d('2026-01-18');
    ret.persons[0]!.upn = 'X1234567898765';
    expect(lines(ret)).toEqual([
      'QUERY /Message/Header/CollectionDetails/ReferenceDate: 2026-01-18 is not the 2026 census date (2026-01-15)',
    ]);
  });

  it('needs the officers in the header, DSCO from 2026', () => {
    const ret = first();
    ret.header.dmo = undefined;
    ret.header.dsco = undefined;
    expect(lines(ret, 2026)).toEqual([
      'ERROR /Message/Header/Source/DMO: say whether the LA has a designated medical officer in post (Y, N or R)',
      'ERROR /Message/Header/Source/DSCO: say whether the LA has a designated social care officer in post (Y, N or R)',
    ]);
    const older = sampleReturn(2025);
    older.header.dmo = undefined;
    older.header.dsco = undefined;
    expect(lines(older, 2025)).toEqual([
      'ERROR /Message/Header/Source/DMO: say whether the LA has a designated medical officer in post (Y, N or R)',
    ]);
  });

  it('leaves out the header and the year’s window when asked (cases brought in from a CSV)', () => {
    const ret = first();
    ret.header.dmo = undefined;
    plan(ret).receivedDate = d('2026-03-02');
    plan(ret).requestOutcomeDate = d('2026-04-01');
    plan(ret).assessment!.assessmentOutcomeDate = d('2026-07-01');
    plan(ret).assessment!.namedPlan!.startDate = d('2026-07-01');
    expect(lines(ret).filter((l) => /Header|received after/.test(l))).toHaveLength(2);
    expect(checkSen2(ret, 2026, { header: false, withinYear: false })).toEqual([]);
  });

  it('needs sex and ethnicity, and queries a UPN given twice and UN1 for a child of 6 or more', () => {
    const ret = first();
    ret.persons[0]!.sex = undefined;
    ret.persons[0]!.ethnicity = undefined;
    ret.persons.push({ ...ret.persons[0]!, sex: 'M', ethnicity: 'WBRI' });
    ret.persons[1]!.personBirthDate = d('2020-01-15');
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Sex: the sex is required (M or F)',
      'ERROR /Message/Persons/Person[1]/Ethnicity: the ethnicity is required (a CBDS code, or REFU or NOBT)',
      expect.stringMatching(/^QUERY \/Message\/Persons\/Person\[1\]\/UPN: UPN \w+ is given for 2 persons/),
      // Six on 15 January 2026, the census date.
      'QUERY /Message/Persons/Person[2]/UPNunknown: UN1 is for a child under 6 with no UPN; this child is 6 at the census',
      expect.stringMatching(/^QUERY \/Message\/Persons\/Person\[3\]\/UPN: UPN \w+ is given for 2 persons/),
    ]);
  });

  it('leaves a historical record its request items, and needs a received date otherwise', () => {
    const ret = first();
    const r = plan(ret);
    r.receivedDate = undefined;
    r.requestSource = undefined;
    expect(lines(ret)).toEqual([
      'ERROR /Message/Persons/Person[1]/Requests[1]/RequestSource: who made the request is required from the 2026 return',
      'ERROR /Message/Persons/Person[1]/Requests[1]/ReceivedDate: the date the request was received is needed',
    ]);
    r.requestOutcome = 'H';
    r.requestOutcomeDate = undefined;
    r.assessment!.assessmentOutcome = 'H';
    r.assessment!.assessmentOutcomeDate = undefined;
    expect(lines(ret)).toEqual([]);
    r.receivedDate = d('2026-01-05');
    expect(lines(ret)).toContain(
      'ERROR /Message/Persons/Person[1]/Requests[1]/ReceivedDate: the request was received after 2025-12-31, the end of the year the return covers',
    );
  });
});

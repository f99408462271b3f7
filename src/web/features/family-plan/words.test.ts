/**
 * What the family's pages say, from the service's facts: the date to comment by and what happens after (reg 13(1)(a),
 * rule P3: the final plan may be issued from the day after the 15 days), a late response still taken and how it is
 * treated (issue 27: never lost), and the appeal deadline moved by the Tribunal's August rule stated with both dates
 * (statutory-timescales.md row 24).
 */
import { describe, expect, it } from 'vitest';
import { emptyPlan } from '../../../domain/casework/planContent.js';
import { emptyResponse } from '../../../domain/casework/draftResponse.js';
import { localDate } from '../../../domain/dates/localDate.js';
import { englandAndWales } from '../../../domain/dates/workingDays.js';
import { appealBy, mediationContactBy } from '../../../domain/statutory/appeal.js';
import type { FamilyDraft } from '../../../services/familyPlan/index.js';
import { draftWords, finalPlanBlocks, planSections } from './words.js';

const draft = (over: Partial<FamilyDraft>): FamilyDraft => ({
  requestId: 'r',
  childGivenName: 'Ada',
  audience: 'parent',
  draft: emptyPlan(),
  servedOn: localDate('2025-03-31'),
  windowEnds: localDate('2025-04-14'),
  late: false,
  response: emptyResponse(),
  responseVersion: 0,
  sentAt: null,
  canRespond: true,
  finalIssued: false,
  ...over,
});

describe('the draft page’s words', () => {
  it('states the last day to comment and the first day the final plan may be issued (served 31 Mar 2025: 14 Apr, 15 Apr)', () => {
    const words = draftWords(draft({}));
    expect(words.deadline).toBe('Send your comments by 14 April 2025.');
    expect(words.ifNot).toContain('It can issue the final plan from 15 April 2025.');
  });

  it('tells a family sending after the 15 days that it is still taken, recorded as late', () => {
    const words = draftWords(draft({ late: true }));
    expect(words.deadline).toContain('The time to comment ended on 14 April 2025. You can still send your comments');
    expect(words.deadline).toContain('record them as late');
  });

  it('leaves section I blank in a draft and fills it in the final plan', () => {
    const plan = {
      ...emptyPlan(),
      I: { settingName: 'Hill Primary', settingType: 'Mainstream', settingUrn: '117000' },
    };
    expect(planSections(plan, false, 'parent').find((s) => s.key === 'I')!.paragraphs[0]).toContain(
      'left blank in the draft',
    );
    expect(planSections(plan, true, 'parent').find((s) => s.key === 'I')!.paragraphs).toContain('Hill Primary');
  });
});

describe('who the pages speak to', () => {
  it('a parent or carer reads about "your child" and the child by name', () => {
    const words = draftWords(draft({}));
    expect(words.planFor).toBe('Draft plan for Ada');
    expect(words.settingRight.summary).toContain('not suitable for your child’s age, ability');
    expect(words.settingRight.page).toContain('your child being there');
    const headings = planSections(emptyPlan(), false, 'parent').map((s) => s.heading);
    expect(headings).toContain('Section A: your child’s views, interests and hopes');
    expect(headings).toContain('Section E: outcomes (what your child should achieve)');
  });

  it('a young person (over compulsory school age, on their own request: Children and Families Act 2014 s.83(2)) reads "you", never "your child"', () => {
    const words = draftWords(draft({ audience: 'young_person' }));
    expect(words.planFor).toBe('Your draft plan');
    expect(words.settingRight.summary).toContain('not suitable for your age, ability');
    expect(words.settingRight.page).toContain('unless it is not suitable for you, or you being there');
    const headings = planSections(emptyPlan(), false, 'young_person').map((s) => s.heading);
    expect(headings).toContain('Section A: your views, interests and hopes');
    expect(headings).toContain('Section E: outcomes (what you should achieve)');
    const final = finalPlanBlocks({
      requestId: 'r',
      childName: 'Ada Abbott',
      audience: 'young_person',
      plan: emptyPlan(),
      issuedOn: localDate('2025-06-02'),
      mediationBy: mediationContactBy(localDate('2025-06-02')),
      appeal: appealBy(localDate('2025-06-02'), null, englandAndWales),
      certificateOn: null,
      today: localDate('2025-06-02'),
    });
    const text = JSON.stringify([words, headings, final]);
    expect(text).not.toMatch(/your child|Ada’s|parent or carer/i);
  });
});

describe('the final plan’s right of appeal', () => {
  it('states an appeal deadline moved out of August with both dates (plan 30 Jun 2025: 30 Aug -> 1 Sep 2025)', () => {
    const issuedOn = localDate('2025-06-30');
    const { blocks } = finalPlanBlocks({
      requestId: 'r',
      childName: 'Ada Abbott',
      audience: 'parent',
      plan: emptyPlan(),
      issuedOn,
      mediationBy: mediationContactBy(issuedOn),
      appeal: appealBy(issuedOn, null, englandAndWales),
      certificateOn: null,
      today: issuedOn,
    });
    const text = blocks.map((b) => b.text).join('\n');
    expect(text).toContain('Contact the mediation adviser by 30 August 2025.');
    expect(text).toContain('Appeal by 1 September 2025.');
    expect(text).toContain(
      'The time to appeal would end on 30 August 2025. The Tribunal does not end appeal times in August',
    );
    expect(text).not.toMatch(/reg(ulation)? \d/i);
  });

  it('says a time that has ended has ended, not what to do by then (read on 2 September 2025)', () => {
    const issuedOn = localDate('2025-06-30');
    const plan = {
      requestId: 'r',
      childName: 'Ada Abbott',
      audience: 'parent' as const,
      plan: emptyPlan(),
      issuedOn,
      mediationBy: mediationContactBy(issuedOn),
      appeal: appealBy(issuedOn, null, englandAndWales),
      certificateOn: null,
    };
    const on = (day: string) =>
      finalPlanBlocks({ ...plan, today: localDate(day) })
        .blocks.map((b) => b.text)
        .join('\n');
    // The mediation adviser's 2 months end on 30 August; the appeal, moved out of August, on 1 September.
    expect(on('2025-08-31')).toContain('The time to contact the mediation adviser ended on 30 August 2025');
    expect(on('2025-08-31')).toContain('Appeal by 1 September 2025.');
    expect(on('2025-09-02')).toContain('The time to appeal ended on 1 September 2025.');
    expect(on('2025-09-02')).not.toContain('Appeal by');
  });
});

/**
 * The caseworker's whole journey in Chromium, from a new request to the final plan, without JavaScript: every form, a
 * mistake on the way, the clock's statuses on the case page after each step, and axe on every page (each checked with
 * JavaScript on as well, by the fixture). Every step is a plain form that works the same with JavaScript; what
 * JavaScript adds to the journey (the error summary taking focus, each advice provider's fields opening when its box
 * is checked) has a shorter test of its own, with JavaScript on.
 * The service runs on today's date, so the dates typed are counted back from today.
 */
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, test, type A11y } from './fixtures.js';
import { CasePage } from './pages/case.js';
import { CaseloadPage } from './pages/caseload.js';
import {
  AdviceReceivedForm,
  AdviceRequestForm,
  ConsultationForm,
  ConsultationReplyForm,
  DecisionForm,
  DraftPlanForm,
  DraftSentForm,
  ExceptionForm,
  FamilyCommentsForm,
  FinalPlanForm,
  RequestForm,
} from './pages/casework.js';
import { SignInPage } from './pages/signIn.js';

function daysAgo(n: number): { day: string; month: string; year: string; long: string } {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - n);
  const long = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()), long };
}

/** The pages of the caseworker's journey, on one browser page. */
function journey(page: Page, a11y: A11y) {
  return {
    signIn: new SignInPage(page, a11y),
    caseload: new CaseloadPage(page, a11y),
    request: new RequestForm(page, a11y),
    casePage: new CasePage(page, a11y),
    decision: new DecisionForm(page, a11y),
    adviceRequest: new AdviceRequestForm(page, a11y),
    adviceReceived: new AdviceReceivedForm(page, a11y),
    draft: new DraftPlanForm(page, a11y),
    draftSent: new DraftSentForm(page, a11y),
    consultation: new ConsultationForm(page, a11y),
    reply: new ConsultationReplyForm(page, a11y),
    comments: new FamilyCommentsForm(page, a11y),
    finalPlan: new FinalPlanForm(page, a11y),
    exception: new ExceptionForm(page, a11y),
  };
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a caseworker takes a request all the way to a final plan', async ({ page, a11y }) => {
    // About twenty pages, each checked by axe twice over (the fixture opens each again with JavaScript on).
    test.setTimeout(300_000);
    const j = journey(page, a11y);
    const received = daysAgo(110);
    await j.signIn.signIn(ACCOUNTS.caseworker);
    await j.caseload.openFromMenu('Caseload');
    await j.caseload.check();

    // Step 1, with a mistake first: the error summary names the fields and keeps what was typed.
    await j.caseload.recordNewRequest();
    await j.request.check();
    await j.request.child('Robin', 'TestNojs', { day: '31', month: '2', year: '2016' });
    await j.request.save();
    const summary = j.request.errorSummary;
    await expect(summary).toContainText('Date of birth must be a real date');
    await expect(summary).toContainText('Select who asked for the assessment');
    await expect(j.request.firstName).toHaveValue('Robin');
    await j.request.check();

    await j.request.dateOfBirth({ day: '14', month: '9', year: '2016' });
    await j.request.sex('Male');
    await j.request.noNumberReason('UN8');
    await j.request.postcode('sg13 8dq');
    await j.request.primaryNeed('SPLD');
    await j.request.contact('Sam Test', 'Parent', { phone: '07700 900982', prefer: 'Text message' });
    await j.request.requestedBy('School or other education setting');
    await j.request.received(received);
    await j.request.save();
    await expect(j.casePage.heading).toHaveText('Robin TestNojs');
    await expect(j.casePage.notice('Request recorded.')).toBeVisible();
    await expect(j.casePage.duty('Decide whether to assess')).toContainText('Overdue');
    await j.casePage.check();

    // Step 2.
    await j.casePage.startStep('Record the decision on whether to assess');
    await j.decision.decide('Yes, assess', daysAgo(80));
    await expect(j.casePage.duty('Decide whether to assess')).toContainText('Met');
    await j.casePage.check();

    // Step 3: two providers, then advice received with its document.
    await j.casePage.startStep('Request advice');
    await j.adviceRequest.box('Educational psychology').check();
    await j.adviceRequest.box('Health').check();
    await j.adviceRequest.requested(daysAgo(78));
    await j.adviceRequest.save();
    await expect(j.casePage.duty('Educational psychology advice')).toContainText(/Overdue|Due/);
    await j.casePage.check();

    for (const [type, ago] of [
      ['Educational psychology', 50],
      ['Health', 45],
    ] as const) {
      await j.casePage.startStep(new RegExp(`^Record received\\W+${type} advice$`));
      await j.adviceReceived.receive(daysAgo(ago), {
        name: `${type}.pdf`,
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.7\n%%EOF\n'),
      });
      await expect(j.casePage.duty(`${type} advice`)).toContainText('Met');
      await j.casePage.check();
    }
    await expect(page.getByRole('link', { name: 'Download Health advice' })).toBeVisible();

    // Step 5.
    await j.casePage.startStep('Record the decision on whether to issue a plan');
    await j.decision.decide('Yes, issue a plan', daysAgo(40));
    await expect(j.casePage.notice('Writing the draft plan')).toBeVisible();
    await j.casePage.check();

    // Step 6: the draft plan in sections; "add another" keeps what was typed.
    await j.casePage.startStep('Write the draft plan');
    await j.draft.fill('Section A: views, interests and aspirations', 'Robin wants to be a vet.');
    await j.draft.field('Need 1').fill('Finds reading and spelling hard');
    await j.draft.press('Add another need');
    await expect(j.draft.field('Need 1')).toHaveValue('Finds reading and spelling hard');
    await j.draft.field('Need 2').fill('Anxious in busy places');
    await j.draft.fill('Provision 1: what', 'Access to a reading programme');
    await j.draft.fill('How often', 'Regular sessions');
    await j.draft.check();
    await j.draft.save();
    await expect(j.casePage.notice('Draft plan saved.')).toBeVisible();
    await j.casePage.check();
    // The quality checks, as the plan is written: vague wording marked where it stands. The next step now is to
    // send the draft; writing it is done, so the link says what it would do now.
    await expect(page.getByRole('link', { name: 'Record sending the draft plan to the family' })).toBeVisible();
    await j.casePage.follow('Change the draft plan');
    await expect(page.getByRole('heading', { name: 'Check before sending the draft' })).toBeVisible();
    await expect(j.draft.vague('Access to')).toBeVisible();
    await expect(page.getByText('Provision 1 (how often) uses vague wording (“regular”)')).toBeVisible();
    await j.draft.check();
    await page.goto(page.url().replace(/\/plan\/edit$/, ''));
    await expect(j.casePage.notice('Writing the draft plan')).toBeVisible();
    await j.casePage.check();

    // Step 7: the draft by email; the family's 15 days are shown.
    await j.casePage.startStep('Record sending the draft plan to the family');
    await j.draftSent.send('Email', daysAgo(35));
    await expect(j.casePage.notice(`The family can comment on the draft plan until ${daysAgo(21).long}`)).toBeVisible();
    await j.casePage.check();

    // Step 7, continued: a school consulted and its reply; the family's comments.
    await j.casePage.startStep('Consult a school or setting about section I');
    await j.consultation.consult('Hillside Primary School', daysAgo(34));
    await expect(j.casePage.table(/Schools and settings consulted/)).toContainText('Hillside Primary School');
    await j.casePage.check();
    await j.casePage.startStep(/^Record reply/);
    await j.reply.reply('Can meet the child’s needs', daysAgo(25));
    await expect(j.casePage.table(/Schools and settings consulted/)).toContainText('Replied');
    await j.casePage.check();
    await j.casePage.startStep('Record the family’s comments on the draft');
    await j.comments.comments('Please say more about friendships.', daysAgo(24));
    await expect(j.casePage.notice('The family’s comments are recorded.')).toBeVisible();
    await j.casePage.check();

    // Step 8: the final plan with section I.
    await j.casePage.startStep('Issue the final plan');
    await j.finalPlan.issue('Hillside Primary School', 'Mainstream primary', daysAgo(20));
    await expect(j.casePage.notice('Final plan issued.')).toBeVisible();
    // 110 days ago + 140 days is in the future of the issue date: on time.
    await expect(j.casePage.duty('Issue the final plan')).toContainText('Met');
    await expect(page.getByRole('heading', { name: 'What to do next' })).toHaveCount(0);
    await j.casePage.check();

    // The plan to print, and the final beside the draft the family was sent.
    await j.casePage.follow('Read or print the plan');
    await expect(page.getByText('Hillside Primary School (Mainstream primary)')).toBeVisible();
    await j.casePage.check();
    await page.goBack();
    await j.casePage.follow('Compare the final plan with the draft');
    await expect(page.getByRole('heading', { name: /Section I: placement/ })).toContainText('Changed');
    await j.casePage.check();
  });
});

test.describe('with JavaScript', () => {
  test.use({ javaScriptEnabled: true });

  test('the error summary takes focus, and each advice provider’s fields open when its box is checked', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(180_000);
    const j = journey(page, a11y);
    await j.signIn.signIn(ACCOUNTS.caseworker);
    await j.caseload.openFromMenu('Caseload');
    await j.caseload.check();

    await j.caseload.recordNewRequest();
    await j.request.check();
    await j.request.child('Robin', 'TestJs', { day: '31', month: '2', year: '2016' });
    await j.request.save();
    await expect(j.request.errorSummary).toContainText('Date of birth must be a real date');
    // GOV.UK Frontend's error summary moves the focus to itself, so a screen reader reads the errors first.
    await expect(page.locator('.govuk-error-summary')).toBeFocused();
    await j.request.check();

    await j.request.dateOfBirth({ day: '14', month: '9', year: '2016' });
    await j.request.sex('Male');
    await j.request.noNumberReason('UN8');
    await j.request.contact('Sam Test', 'Parent', { phone: '07700 900982', prefer: 'Text message' });
    await j.request.requestedBy('School or other education setting');
    await j.request.received(daysAgo(110));
    await j.request.save();
    await expect(j.casePage.heading).toHaveText('Robin TestJs');
    await j.casePage.check();

    await j.casePage.startStep('Record the decision on whether to assess');
    await j.decision.decide('Yes, assess', daysAgo(80));
    await expect(j.casePage.duty('Decide whether to assess')).toContainText('Met');
    await j.casePage.check();

    // Without JavaScript every provider's fields show; with it, only those of the boxes checked.
    await j.casePage.follow('Request advice');
    await expect(j.adviceRequest.providers.first()).toBeHidden();
    await j.adviceRequest.check();
    await j.adviceRequest.box('Health').check();
    await expect(j.adviceRequest.providers.filter({ visible: true })).toHaveCount(1);
    await expect(j.adviceRequest.provider('health')).toBeVisible();
    await j.adviceRequest.box('Health').uncheck();
    await expect(j.adviceRequest.provider('health')).toBeHidden();
    await j.adviceRequest.box('Educational psychology').check();
    await j.adviceRequest.provider('educational_psychology').fill('County Educational Psychology Service');
    await j.adviceRequest.requested(daysAgo(78));
    await j.adviceRequest.save();
    await expect(j.casePage.duty('Educational psychology advice')).toContainText(/Overdue|Due/);
    await expect(j.casePage.duty('Health advice')).toHaveCount(0);
    await j.casePage.check();
  });
});

test.describe('an exception to a time limit, on a 390 px phone without JavaScript', () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test('is recorded against the duty it applies to, with a reason the regulations allow for it', async ({
    page,
    a11y,
  }) => {
    test.setTimeout(180_000);
    const j = journey(page, a11y);
    await j.signIn.signIn(ACCOUNTS.caseworker);
    await j.request.open();
    await j.request.child('Sam', 'Exception', { day: '3', month: '5', year: '2015' });
    await j.request.sex('Female');
    await j.request.noNumberReason('UN8');
    await j.request.contact('Alex Exception', 'The young person themselves', {
      email: 'alex@example.com',
      prefer: 'Email',
    });
    await j.request.requestedBy('Parent, carer or the young person');
    await j.request.received(daysAgo(50));
    await j.request.save();
    await j.casePage.check();

    await j.casePage.startStep('Record an exception to the time limit');
    // Reg 10(4) is no exception to the 6-week decision (reg 5(4) is): refused with an error summary.
    await j.exception.duty('Decide whether to assess');
    await j.exception.reason('Exceptional personal circumstances (reg 10(4)(c))');
    await j.exception.evidence('The family asked for a pause after a bereavement.', daysAgo(45), daysAgo(44));
    await j.exception.save();
    await expect(j.exception.errorSummary).toContainText('cannot apply to “Decide whether to assess”');
    await j.exception.reason('Exceptional personal circumstances (reg 5(4)(b))');
    await j.exception.save();
    await expect(j.casePage.notice('Exception recorded.')).toBeVisible();
    const recorded = j.casePage.table(/Exceptions to the time limits recorded/);
    await expect(recorded.getByRole('row').filter({ hasText: 'Decide whether to assess' })).toContainText(
      'Exceptional personal circumstances (reg 5(4)(b))',
    );
    await expect(j.casePage.duty('Decide whether to assess')).toContainText('Exception');
    await j.casePage.check();
  });
});

/**
 * Reading each casework form, with zod schemas through the one adapter (web/validation.ts pageForm and checkForm).
 * Formats are checked here (a real date, a valid UPN, one of the codes); what depends on the case (a date before the
 * request, a step out of order) is checked by the service.
 */
import {
  CONTACT_PREFERENCE_NAMES,
  CONTACT_PREFERENCE_NEEDS,
  CONTACT_RELATIONSHIP_NAMES,
  ETHNICITY_NAMES,
  SEX_NAMES,
  UPN_UNKNOWN_NAMES,
  isValidUln,
  isValidUpn,
  isValidUrn,
  normalisePhone,
  normalisePostcode,
} from '../../../domain/casework/codes.js';
import { EXCEPTION_NAMES, REQUEST_SOURCE_NAMES } from '../../../domain/casework/events.js';
import { ADVICE_TYPE_NAMES, PRIMARY_NEED_NAMES, type AdviceType } from '../../../domain/casework/stages.js';
import type { LocalDate } from '../../../domain/dates/localDate.js';
import { SERVICE_METHODS } from '../../../domain/dates/service.js';
import { EXCEPTION_REASONS } from '../../../domain/statutory/events.js';
import type { ChildDetails, FamilyContact } from '../../../services/casework/index.js';
import { DEFAULT_PROVIDERS } from '../../../services/casework/index.js';
import { SECTION_NAMES, TEXT_SECTIONS, emptyPlan } from '../../../domain/casework/planContent.js';
import { CONSULTATION_RESPONSES, type ConsultationResponse } from '../../../domain/casework/consultation.js';
import type { z } from 'zod';
import { list, text, type Body } from '../../forms.js';
import {
  choice,
  choices,
  labelledDate,
  madeText,
  optionalText,
  pageForm,
  readForm,
  requiredText,
  type FieldProblem,
  type Fields,
  type PageForm,
} from '../../validation.js';
import { isUuid, versionFrom } from '../../../domain/identifiers/uuid.js';
import type { FormStamp } from '../../../services/casework/index.js';

const keys = (table: Record<string, string>) => Object.keys(table) as [string, ...string[]];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const ADVICE_TYPES = Object.keys(ADVICE_TYPE_NAMES) as [AdviceType, ...AdviceType[]];

/** A rule's problem with a field. */
const problem = (name: string, message: string): FieldProblem => ({ path: [name], message });

/** Optional text that, when given, must pass `valid` (else `message`). */
const checkedText = (label: string, max: number, valid: (v: string) => boolean, message: string) =>
  optionalText(label, max).refine((v) => !v || valid(v), { error: message });

const email = (label: string) =>
  checkedText(label, 254, (v) => EMAIL.test(v), 'Enter an email address in the correct format, like name@example.com');
const urn = () => checkedText('URN', 6, isValidUrn, 'Enter the setting’s URN: 6 digits, like 117000');

const newRequestForm = pageForm(
  {
    givenName: requiredText('Enter the child’s first name', 'First name', 100),
    familyName: requiredText('Enter the child’s last name', 'Last name', 100),
    dateOfBirth: labelledDate('Date of birth'),
    sex: choice(keys(SEX_NAMES), 'Select the child’s sex'),
    upn: optionalText('Unique pupil number', 13)
      .transform((v) => v.toUpperCase())
      .refine((v) => !v || isValidUpn(v), {
        error: 'Enter a real unique pupil number: a letter then 12 digits, like A123456789012',
      }),
    uln: checkedText(
      'Unique learner number',
      10,
      isValidUln,
      'Enter a real unique learner number: 10 digits, like 1234567890',
    ),
    upnUnknown: optionalText('Reason'),
    ethnicity: checkedText(
      'Ethnicity',
      500,
      (v) => Object.hasOwn(ETHNICITY_NAMES, v),
      'Select the child’s ethnicity from the list',
    ),
    postcode: madeText('Postcode', 10, normalisePostcode, 'Enter a real postcode, like SG13 8DQ'),
    settingName: optionalText('Current setting', 200),
    settingUrn: urn(),
    primaryNeed: checkedText(
      'Primary need',
      500,
      (v) => Object.hasOwn(PRIMARY_NEED_NAMES, v),
      'Select the primary need from the list',
    ),
    contactName: requiredText('Enter the name of the person to contact about the request', 'Contact name', 200),
    contactRelationship: choice(
      keys(CONTACT_RELATIONSHIP_NAMES),
      'Select who the contact is to the child or young person',
    ),
    contactEmail: email('Email address'),
    contactPhone: madeText(
      'Phone number',
      30,
      normalisePhone,
      'Enter a UK phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
    ),
    contactAddress: optionalText('Postal address', 500),
    contactPreference: choice(keys(CONTACT_PREFERENCE_NAMES), 'Select how they would like to be contacted'),
    requestSource: choice(keys(REQUEST_SOURCE_NAMES), 'Select who asked for the assessment'),
    receivedDate: labelledDate('The date the request was received'),
    submissionKey: optionalText('Submission'),
    // After a possible duplicate was shown: the existing child's id, or "new" for a different child.
    duplicateChoice: checkedText('Child', 500, (v) => v === 'new' || isUuid(v), 'Select a child from the list'),
  },
  {
    dates: ['dateOfBirth', 'receivedDate'],
    rules: (f) => {
      const upnOrUln = f.text('upn') || f.text('uln');
      const upnUnknown = f.text('upnUnknown');
      return [
        !upnOrUln &&
          !upnUnknown &&
          problem('upnUnknown', 'Enter a unique pupil number or learner number, or select why it is not known'),
        !upnOrUln &&
          upnUnknown !== '' &&
          !Object.hasOwn(UPN_UNKNOWN_NAMES, upnUnknown) &&
          problem('upnUnknown', 'Select why the pupil number is not known'),
        ...contactRules(f),
        !isUuid(f.text('submissionKey')) && { path: [], message: 'The form has expired. Open it again and resubmit.' },
      ];
    },
  },
);

/**
 * The family's contact on a new request: at least one way to reach them, and the way they prefer must be one they
 * gave (a text message needs a phone number, a letter an address).
 */
function contactRules(f: { text(name: string): string }): (FieldProblem | false)[] {
  const given = {
    email: Boolean(f.text('contactEmail')),
    phone: Boolean(f.text('contactPhone')),
    address: Boolean(f.text('contactAddress')),
  };
  const preference = f.text('contactPreference');
  // Only a preference from the list (an own key: not "constructor" or "__proto__").
  const needs = Object.hasOwn(CONTACT_PREFERENCE_NAMES, preference) ? CONTACT_PREFERENCE_NEEDS[preference] : undefined;
  const what = needs && { email: 'an email address', phone: 'a phone number', address: 'a postal address' }[needs];
  const anyGiven = given.email || given.phone || given.address;
  return [
    !anyGiven &&
      problem(
        'contactEmail',
        'Enter at least one way to contact them: an email address, a phone number or a postal address',
      ),
    anyGiven &&
      needs !== undefined &&
      !given[needs] &&
      problem(
        'contactPreference',
        `Enter ${what} to contact them by ${CONTACT_PREFERENCE_NAMES[preference]!.toLowerCase()}, or choose another way`,
      ),
  ];
}

export function readNewRequest(body: Body) {
  const { data: v, errors, values } = readForm(newRequestForm, body);
  const input = v && {
    submissionKey: v.submissionKey,
    child: {
      givenName: v.givenName,
      familyName: v.familyName,
      dateOfBirth: v.dateOfBirth,
      sex: v.sex,
      upn: v.upn || null,
      uln: v.uln || null,
      upnUnknown: v.upn || v.uln ? null : v.upnUnknown,
      ethnicity: v.ethnicity || null,
      postcode: v.postcode,
      settingName: v.settingName || null,
      settingUrn: v.settingUrn || null,
      primaryNeed: v.primaryNeed || null,
    } satisfies ChildDetails,
    contact: {
      name: v.contactName,
      relationship: v.contactRelationship,
      email: v.contactEmail || null,
      phone: v.contactPhone,
      address: v.contactAddress || null,
      preference: v.contactPreference,
    } satisfies FamilyContact,
    requestSource: v.requestSource,
    receivedDate: v.receivedDate,
    confirmedNewChild: v.duplicateChoice === 'new',
    existingChildId: isUuid(v.duplicateChoice) ? v.duplicateChoice : null,
  };
  return { input, errors, values };
}

/** The stamp a step form was sent with: the case's version it was opened at (NaN if none) and its submission key. */
export function sentStamp(body: Body): FormStamp {
  return { version: versionFrom(text(body, 'version')), submissionKey: text(body, 'submissionKey') };
}

const EXPIRED: FieldProblem = { path: [], message: 'The form has expired. Open the page again.' };

/** Whether a step form's stamp is one the service could have given. */
function stampProblem(body: { text(name: string): string }): FieldProblem | false {
  const { version, submissionKey } = sentStamp({
    version: body.text('version'),
    submissionKey: body.text('submissionKey'),
  });
  return !(Number.isInteger(version) && version >= 1 && isUuid(submissionKey)) && EXPIRED;
}

/** A step form: its fields and rules, and a stamp that has not expired (a problem with the whole form). */
export function stepForm<S extends Fields>(fields: S, options: Parameters<typeof pageForm<S>>[1] = {}) {
  return pageForm(fields, { ...options, rules: (f) => [...(options.rules?.(f) ?? []), stampProblem(f)] });
}

/** A step form read: the stamp and the fields the service takes (`make` from the form's values), or the errors. */
export function readStep<T, F>(form: PageForm<T>, body: Body, make: (v: T) => F) {
  const { data, errors, values } = readForm(form, body);
  return { input: data ? { stamp: sentStamp(body), fields: make(data) } : null, errors, values };
}

const assessmentDecisionForm = stepForm(
  {
    outcome: choice(['assess', 'not_assess'], 'Select whether the council will assess'),
    reasons: optionalText('Reasons', 5000),
    notifiedOn: labelledDate('The date the family was told'),
  },
  {
    dates: ['notifiedOn'],
    rules: (f) => [
      f.text('outcome') === 'not_assess' &&
        !f.text('reasons') &&
        problem('reasons', 'Enter the reasons for not assessing (the family must be told them)'),
    ],
  },
);
export const readAssessmentDecision = (body: Body) => readStep(assessmentDecisionForm, body, (v) => v);

const issueDecisionForm = stepForm(
  {
    outcome: choice(['issue', 'not_issue'], 'Select whether the council will issue a plan'),
    reasons: optionalText('Reasons', 5000),
    decidedOn: labelledDate('The date the family was told'),
  },
  {
    dates: ['decidedOn'],
    rules: (f) => [
      f.text('outcome') === 'not_issue' &&
        !f.text('reasons') &&
        problem('reasons', 'Enter the reasons for not issuing a plan (the family must be told them)'),
    ],
  },
);
export const readIssueDecision = (body: Body) => readStep(issueDecisionForm, body, (v) => v);

/** The advice request form for the advice types ticked: a provider and reminder addresses for each. */
function requestAdviceForm(ticked: readonly AdviceType[]) {
  const perType: Record<string, z.ZodType<string>> = {};
  for (const t of ticked) {
    perType[`provider-${t}`] = optionalText('Provider', 200);
    perType[`email-${t}`] = email('Email address');
    perType[`escalation-${t}`] = email('Service manager email address');
    perType[`professional-${t}`] = optionalText('Professional').refine((v) => v === '' || isUuid(v), {
      error: 'Select a professional from the list',
    });
  }
  return stepForm(
    {
      adviceTypes: choices(ADVICE_TYPES, 'Select the advice to request'),
      ...perType,
      requestedOn: labelledDate('The date advice was requested'),
    },
    { dates: ['requestedOn'], lists: ['adviceTypes'] },
  );
}
export const readRequestAdvice = (body: Body) => {
  const ticked = list(body, 'adviceTypes').filter((t): t is AdviceType =>
    (ADVICE_TYPES as readonly string[]).includes(t),
  );
  return readStep(requestAdviceForm(ticked), body, (v) => {
    const typed = v as Record<string, unknown>;
    const given = (name: string) => (typed[name] as string) || null;
    return {
      requestedOn: v.requestedOn,
      providers: v.adviceTypes.map((adviceType) => ({
        adviceType,
        provider: given(`provider-${adviceType}`) ?? DEFAULT_PROVIDERS[adviceType],
        providerEmail: given(`email-${adviceType}`),
        escalationEmail: given(`escalation-${adviceType}`),
        providerUserId: given(`professional-${adviceType}`),
      })),
    };
  });
};

const reuseAdviceForm = stepForm(
  {
    adviceId: optionalText('Advice').refine(isUuid, { error: 'Select the advice to use again' }),
    familyAgreed: optionalText('Agreement').refine((v) => v === 'yes', {
      error: 'Confirm that the family agreed to the advice being used again',
    }),
    familyAgreedOn: labelledDate('The date the family agreed'),
  },
  { dates: ['familyAgreedOn'] },
);
export const readReuseAdvice = (body: Body) =>
  readStep(reuseAdviceForm, body, (v) => ({ adviceId: v.adviceId, familyAgreedOn: v.familyAgreedOn }));

const adviceReceivedForm = stepForm(
  { receivedOn: labelledDate('The date the advice was received') },
  { dates: ['receivedOn'] },
);
export const readAdviceReceived = (body: Body) => readStep(adviceReceivedForm, body, (v) => v);

const draftServedForm = stepForm(
  {
    method: choice(SERVICE_METHODS, 'Select how the draft was sent'),
    sentOn: labelledDate('The date the draft was sent'),
  },
  { dates: ['sentOn'] },
);
export const readDraftServed = (body: Body) => readStep(draftServedForm, body, (v) => v);

const finalPlanForm = stepForm(
  {
    settingName: requiredText(
      'Enter the name of the school or other setting (section I)',
      'Name of the school or setting',
      200,
    ),
    settingType: requiredText('Enter the type of school or setting (section I)', 'Type of setting', 200),
    settingUrn: urn(),
    familyResponded: optionalText('Family response'),
    primaryNeed: choice(keys(PRIMARY_NEED_NAMES), 'Select the child’s primary need'),
    issuedOn: labelledDate('The date the final plan was issued'),
  },
  { dates: ['issuedOn'] },
);
export const readFinalPlan = (body: Body) =>
  readStep(finalPlanForm, body, (v) => ({
    issuedOn: v.issuedOn,
    familyResponded: v.familyResponded === 'yes',
    primaryNeed: v.primaryNeed,
    sectionI: { settingName: v.settingName, settingType: v.settingType, settingUrn: v.settingUrn || null },
  }));

const exceptionForm = stepForm(
  {
    // Which duties this case has is the service's to check; here, only that one was chosen.
    duty: requiredText('Select the duty the exception applies to', 'Duty', 100),
    reason: choice(EXCEPTION_REASONS, 'Select the exception that applies'),
    evidence: requiredText('Describe the evidence for the exception', 'Evidence', 2000),
    from: labelledDate('The date the exception began'),
    to: labelledDate('The date the exception ended', { required: false }),
    familyToldOn: labelledDate('The date the family was told'),
  },
  { dates: ['from', 'to', 'familyToldOn'] },
);
export const readException = (body: Body) => readStep(exceptionForm, body, (v) => v);

const withdrawalForm = stepForm(
  {
    reason: requiredText('Enter why the request was withdrawn', 'Reason', 2000),
    withdrawnOn: labelledDate('The date of withdrawal'),
  },
  { dates: ['withdrawnOn'] },
);
export const readWithdrawal = (body: Body) => readStep(withdrawalForm, body, (v) => v);

const meetingForm = stepForm({ meetingOn: labelledDate('The date of the meeting') }, { dates: ['meetingOn'] });
export const readMeeting = (body: Body) => readStep(meetingForm, body, (v) => v);

/** The date fields of each form, so a service's rule error can link to the right box. */
export const DATE_FIELDS = [
  'respondedOn',
  'notifiedOn',
  'decidedOn',
  'requestedOn',
  'familyAgreedOn',
  'receivedOn',
  'sentOn',
  'issuedOn',
  'from',
  'to',
  'familyToldOn',
  'withdrawnOn',
  'meetingOn',
  'receivedDate',
  'dateOfBirth',
] as const;

export { EXCEPTION_NAMES, type LocalDate };

const reassignForm = stepForm({
  caseworkerId: optionalText('Caseworker').superRefine((v, ctx) => {
    if (!v) ctx.addIssue({ code: 'custom', message: 'Select who will work on this case' });
    else if (v !== 'none' && !isUuid(v)) ctx.addIssue({ code: 'custom', message: 'Select a caseworker from the list' });
  }),
});
export const readReassign = (body: Body) =>
  readStep(reassignForm, body, (v) => ({ caseworkerId: v.caseworkerId === 'none' ? null : v.caseworkerId }));

const ROW_LIMIT = 200;
const SECTION_MAX = 20_000;
const FIELD_MAX = 2_000;

/** The draft plan form for its rows as sent: each text section, and each need, outcome and provision typed. */
function draftPlanForm(rows: { need: number; outcome: number; provision: number }) {
  const fields: Record<string, z.ZodType<string>> = {};
  for (const section of TEXT_SECTIONS) fields[section] = optionalText(SECTION_NAMES[section], SECTION_MAX);
  const row = (name: string, label: string) => (fields[name] = optionalText(label, FIELD_MAX));
  for (let i = 0; i < rows.need; i++) row(`need-${i}-text`, `Need ${i + 1}`);
  for (let i = 0; i < rows.outcome; i++) {
    row(`outcome-${i}-text`, `Outcome ${i + 1}`);
    row(`outcome-${i}-timeframe`, `Timeframe of outcome ${i + 1}`);
  }
  for (let i = 0; i < rows.provision; i++) {
    row(`provision-${i}-what`, `What (provision ${i + 1})`);
    row(`provision-${i}-who`, `Who (provision ${i + 1})`);
    row(`provision-${i}-frequency`, `How often (provision ${i + 1})`);
    row(`provision-${i}-duration`, `For how long (provision ${i + 1})`);
  }
  return stepForm(fields, {
    // A provision row with anything in it says what the provision is.
    rules: (f) =>
      Array.from({ length: rows.provision }, (_, i) => {
        const typed = ['what', 'who', 'frequency', 'duration'].map((p) => f.text(`provision-${i}-${p}`));
        return typed.some(Boolean) && !typed[0] && problem(`provision-${i}-what`, `Say what provision ${i + 1} is`);
      }),
  });
}

/**
 * The draft plan form. Rows left completely empty are dropped; new rows get an id. A link to a need or outcome
 * must name one in the same plan.
 */
export function readDraftPlan(body: Body, newId: () => string) {
  const count = (name: string) => Math.min(ROW_LIMIT, Math.max(0, Number(text(body, `${name}-count`)) || 0));
  const rows = { need: count('need'), outcome: count('outcome'), provision: count('provision') };
  const { data, errors } = readForm(draftPlanForm(rows), body);
  // The plan as typed, to save or to show again.
  const plan = emptyPlan();
  for (const section of TEXT_SECTIONS) plan[section] = text(body, section);
  for (let i = 0; i < rows.need; i++) {
    const need = { id: text(body, `need-${i}-id`), text: text(body, `need-${i}-text`) };
    if (need.text) plan.B.push({ ...need, id: need.id || newId() });
  }
  for (let i = 0; i < rows.outcome; i++) {
    const o = {
      id: text(body, `outcome-${i}-id`),
      text: text(body, `outcome-${i}-text`),
      timeframe: text(body, `outcome-${i}-timeframe`),
      needIds: list(body, `outcome-${i}-needs`),
    };
    if (o.text || o.timeframe) plan.E.push({ ...o, id: o.id || newId() });
  }
  for (let i = 0; i < rows.provision; i++) {
    const p = {
      id: text(body, `provision-${i}-id`),
      what: text(body, `provision-${i}-what`),
      who: text(body, `provision-${i}-who`),
      frequency: text(body, `provision-${i}-frequency`),
      duration: text(body, `provision-${i}-duration`),
      needId: text(body, `provision-${i}-need`),
      outcomeId: text(body, `provision-${i}-outcome`),
    };
    if (p.what || p.who || p.frequency || p.duration) plan.F.push({ ...p, id: p.id || newId() });
  }
  // Links must point into this plan.
  const needIds = new Set(plan.B.map((n) => n.id));
  const outcomeIds = new Set(plan.E.map((o) => o.id));
  plan.E.forEach((o) => {
    const unknown = o.needIds.filter((id) => !needIds.has(id));
    if (unknown.length) o.needIds = o.needIds.filter((id) => needIds.has(id));
  });
  plan.F.forEach((p) => {
    if (p.needId && !needIds.has(p.needId)) p.needId = '';
    if (p.outcomeId && !outcomeIds.has(p.outcomeId)) p.outcomeId = '';
  });
  const add = text(body, 'add');
  return {
    input: data ? { stamp: sentStamp(body), plan } : null,
    plan,
    /** "Add another" was pressed: show the form again with one more row of this kind, saving nothing. */
    add: add === 'need' || add === 'outcome' || add === 'provision' ? add : null,
    errors,
  };
}

const consultationForm = stepForm(
  {
    settingName: requiredText('Enter the name of the school or setting', 'Name of the school or setting', 200),
    settingUrn: urn(),
    sentOn: labelledDate('The date the setting was consulted'),
  },
  { dates: ['sentOn'] },
);
export const readConsultation = (body: Body) =>
  readStep(consultationForm, body, (v) => ({
    settingName: v.settingName,
    settingUrn: v.settingUrn || null,
    sentOn: v.sentOn,
  }));

const consultationReplyForm = stepForm(
  {
    response: choice(
      Object.keys(CONSULTATION_RESPONSES) as [ConsultationResponse, ...ConsultationResponse[]],
      'Select what the setting said',
    ),
    note: optionalText('Details', 5000),
    respondedOn: labelledDate('The date of the reply'),
  },
  {
    dates: ['respondedOn'],
    rules: (f) => [
      f.text('response') === 'cannot_meet' && !f.text('note') && problem('note', 'Enter the reasons the setting gave'),
    ],
  },
);
export const readConsultationReply = (body: Body) => readStep(consultationReplyForm, body, (v) => v);

const representationsForm = stepForm(
  {
    representations: requiredText('Enter what the family said about the draft', 'The family’s comments', 20_000),
    preferredSetting: optionalText('Preferred school or setting', 200),
    meetingRequested: optionalText('Meeting'),
    receivedOn: labelledDate('The date the comments were received'),
  },
  { dates: ['receivedOn'] },
);
export const readRepresentations = (body: Body) =>
  readStep(representationsForm, body, (v) => ({
    representations: v.representations,
    preferredSetting: v.preferredSetting,
    meetingRequested: v.meetingRequested === 'yes',
    receivedOn: v.receivedOn,
  }));

/**
 * Reading each casework form. Formats are checked here (a real date, a valid UPN, one of the codes); what depends
 * on the case (a date before the request, a step out of order) is checked by the service.
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
import { SERVICE_METHODS, type ServiceMethod } from '../../../domain/dates/service.js';
import { EXCEPTION_REASONS, type ExceptionReason } from '../../../domain/statutory/events.js';
import type { ChildDetails, FamilyContact } from '../../../services/casework/index.js';
import { DEFAULT_PROVIDERS } from '../../../services/casework/index.js';
import { SECTION_NAMES, TEXT_SECTIONS, emptyPlan } from '../../../domain/casework/planContent.js';
import { CONSULTATION_RESPONSES, type ConsultationResponse } from '../../../domain/casework/consultation.js';
import { FormReader, list, text, type Body } from '../../forms.js';
import { isUuid } from '../../../domain/identifiers/uuid.js';

const keys = (table: Record<string, string>) => Object.keys(table);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const ADVICE_TYPES = Object.keys(ADVICE_TYPE_NAMES) as AdviceType[];

export function readNewRequest(body: Body) {
  const f = new FormReader(body);
  const givenName = f.text('givenName', 'First name', { required: 'Enter the child’s first name', max: 100 });
  const familyName = f.text('familyName', 'Last name', { required: 'Enter the child’s last name', max: 100 });
  const dateOfBirth = f.date('dateOfBirth', 'Date of birth');
  const sex = f.choice('sex', keys(SEX_NAMES), 'Select the child’s sex');
  const upn = f.text('upn', 'Unique pupil number', { max: 13 }).toUpperCase();
  const uln = f.text('uln', 'Unique learner number', { max: 10 });
  const upnUnknown = f.text('upnUnknown', 'Reason');
  if (upn && !isValidUpn(upn)) {
    f.error('upn', 'Enter a real unique pupil number: a letter then 12 digits, like A123456789012');
  }
  if (uln && !isValidUln(uln)) f.error('uln', 'Enter a real unique learner number: 10 digits, like 1234567890');
  if (!upn && !uln) {
    if (!upnUnknown)
      f.error('upnUnknown', 'Enter a unique pupil number or learner number, or select why it is not known');
    else if (!(upnUnknown in UPN_UNKNOWN_NAMES)) f.error('upnUnknown', 'Select why the pupil number is not known');
  }
  const ethnicity = f.text('ethnicity', 'Ethnicity');
  if (ethnicity && !(ethnicity in ETHNICITY_NAMES)) f.error('ethnicity', 'Select the child’s ethnicity from the list');
  const postcodeText = f.text('postcode', 'Postcode', { max: 10 });
  const postcode = postcodeText ? normalisePostcode(postcodeText) : null;
  if (postcodeText && !postcode) f.error('postcode', 'Enter a real postcode, like SG13 8DQ');
  const settingName = f.text('settingName', 'Current setting', { max: 200 });
  const settingUrn = f.text('settingUrn', 'URN', { max: 6 });
  if (settingUrn && !isValidUrn(settingUrn)) f.error('settingUrn', 'Enter the setting’s URN: 6 digits, like 117000');
  const primaryNeed = f.text('primaryNeed', 'Primary need');
  if (primaryNeed && !(primaryNeed in PRIMARY_NEED_NAMES))
    f.error('primaryNeed', 'Select the primary need from the list');
  const contact = readContact(f);
  const requestSource = f.choice('requestSource', keys(REQUEST_SOURCE_NAMES), 'Select who asked for the assessment');
  const receivedDate = f.date('receivedDate', 'The date the request was received');
  const submissionKey = f.text('submissionKey', 'Submission');
  // After a possible duplicate was shown: the existing child's id, or "new" for a different child.
  const duplicateChoice = f.text('duplicateChoice', 'Child');
  const confirmedNewChild = duplicateChoice === 'new';
  const existingChildId = isUuid(duplicateChoice) ? duplicateChoice : '';
  if (duplicateChoice && !confirmedNewChild && !existingChildId)
    f.error('duplicateChoice', 'Select a child from the list');
  if (!isUuid(submissionKey)) f.error('main-content', 'The form has expired. Open it again and resubmit.');

  const child: ChildDetails | null =
    dateOfBirth && sex
      ? {
          givenName,
          familyName,
          dateOfBirth,
          sex,
          upn: upn || null,
          uln: uln || null,
          upnUnknown: upn || uln ? null : upnUnknown,
          ethnicity: ethnicity || null,
          postcode,
          settingName: settingName || null,
          settingUrn: settingUrn || null,
          primaryNeed: primaryNeed || null,
        }
      : null;
  const input =
    f.errors.length === 0 && child && contact && requestSource && receivedDate
      ? {
          submissionKey,
          child,
          contact,
          requestSource,
          receivedDate,
          confirmedNewChild,
          existingChildId: existingChildId || null,
        }
      : null;
  return { input, errors: f.errors, values: f.values };
}

/**
 * The family's contact on a new request: a name, who they are to the child, at least one way to reach them, and the
 * way they prefer, which must be one they gave (a text message needs a phone number, a letter an address).
 */
function readContact(f: FormReader): FamilyContact | null {
  const name = f.text('contactName', 'Contact name', {
    required: 'Enter the name of the person to contact about the request',
    max: 200,
  });
  const relationship = f.choice(
    'contactRelationship',
    keys(CONTACT_RELATIONSHIP_NAMES),
    'Select who the contact is to the child or young person',
  );
  const emailText = f.text('contactEmail', 'Email address', { max: 254 });
  if (emailText && !EMAIL.test(emailText)) {
    f.error('contactEmail', 'Enter an email address in the correct format, like name@example.com');
  }
  const phoneText = f.text('contactPhone', 'Phone number', { max: 30 });
  const phone = phoneText ? normalisePhone(phoneText) : null;
  if (phoneText && !phone) {
    f.error('contactPhone', 'Enter a UK phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192');
  }
  const address = f.text('contactAddress', 'Postal address', { max: 500 });
  const given = { email: Boolean(emailText), phone: Boolean(phoneText), address: Boolean(address) };
  if (!given.email && !given.phone && !given.address) {
    f.error(
      'contactEmail',
      'Enter at least one way to contact them: an email address, a phone number or a postal address',
    );
  }
  const preference = f.choice(
    'contactPreference',
    keys(CONTACT_PREFERENCE_NAMES),
    'Select how they would like to be contacted',
  );
  if (preference && (given.email || given.phone || given.address)) {
    const needs = CONTACT_PREFERENCE_NEEDS[preference]!;
    if (!given[needs]) {
      const what = { email: 'an email address', phone: 'a phone number', address: 'a postal address' }[needs];
      f.error(
        'contactPreference',
        `Enter ${what} to contact them by ${CONTACT_PREFERENCE_NAMES[preference]!.toLowerCase()}, or choose another way`,
      );
    }
  }
  return name && relationship && preference
    ? { name, relationship, email: emailText || null, phone, address: address || null, preference }
    : null;
}

/** A step form: its stamp, its fields, and the reader's errors and values. */
function step<T>(body: Body, read: (f: FormReader) => T | null) {
  const f = new FormReader(body);
  const stamp = f.stamp();
  const fields = read(f);
  if (!stamp) f.error('main-content', 'The form has expired. Open the page again.');
  const input = f.errors.length === 0 && stamp && fields ? { stamp, fields } : null;
  return { input, errors: f.errors, values: f.values };
}

export const readAssessmentDecision = (body: Body) =>
  step(body, (f) => {
    const outcome = f.choice('outcome', ['assess', 'not_assess'] as const, 'Select whether the council will assess');
    const reasons = f.text('reasons', 'Reasons', { max: 5000 });
    if (outcome === 'not_assess' && !reasons)
      f.error('reasons', 'Enter the reasons for not assessing (the family must be told them)');
    const notifiedOn = f.date('notifiedOn', 'The date the family was told');
    return outcome && notifiedOn ? { outcome, reasons, notifiedOn } : null;
  });

export const readIssueDecision = (body: Body) =>
  step(body, (f) => {
    const outcome = f.choice(
      'outcome',
      ['issue', 'not_issue'] as const,
      'Select whether the council will issue a plan',
    );
    const reasons = f.text('reasons', 'Reasons', { max: 5000 });
    if (outcome === 'not_issue' && !reasons)
      f.error('reasons', 'Enter the reasons for not issuing a plan (the family must be told them)');
    const decidedOn = f.date('decidedOn', 'The date the family was told');
    return outcome && decidedOn ? { outcome, reasons, decidedOn } : null;
  });

export const readRequestAdvice = (body: Body) =>
  step(body, (f) => {
    const types = f.choices('adviceTypes', ADVICE_TYPES, 'Select the advice to request');
    const providers = types.map((adviceType) => {
      const provider = f.text(`provider-${adviceType}`, 'Provider', { max: 200 }) || DEFAULT_PROVIDERS[adviceType];
      const email = f.text(`email-${adviceType}`, 'Email address', { max: 254 });
      if (email && !EMAIL.test(email)) {
        f.error(`email-${adviceType}`, 'Enter an email address in the correct format, like name@example.com');
      }
      const escalation = f.text(`escalation-${adviceType}`, 'Service manager email address', { max: 254 });
      if (escalation && !EMAIL.test(escalation)) {
        f.error(`escalation-${adviceType}`, 'Enter an email address in the correct format, like name@example.com');
      }
      return { adviceType, provider, providerEmail: email || null, escalationEmail: escalation || null };
    });
    const requestedOn = f.date('requestedOn', 'The date advice was requested');
    return requestedOn ? { requestedOn, providers } : null;
  });

export const readReuseAdvice = (body: Body) =>
  step(body, (f) => {
    const adviceId = f.text('adviceId', 'Advice');
    if (!isUuid(adviceId)) f.error('adviceId', 'Select the advice to use again');
    if (f.text('familyAgreed', 'Agreement') !== 'yes') {
      f.error('familyAgreed', 'Confirm that the family agreed to the advice being used again');
    }
    const familyAgreedOn = f.date('familyAgreedOn', 'The date the family agreed');
    return familyAgreedOn ? { adviceId, familyAgreedOn } : null;
  });

export const readAdviceReceived = (body: Body) =>
  step(body, (f) => {
    const receivedOn = f.date('receivedOn', 'The date the advice was received');
    return receivedOn ? { receivedOn } : null;
  });

export const readDraftServed = (body: Body) =>
  step(body, (f) => {
    const method = f.choice<ServiceMethod>('method', SERVICE_METHODS, 'Select how the draft was sent');
    const sentOn = f.date('sentOn', 'The date the draft was sent');
    return method && sentOn ? { method, sentOn } : null;
  });

export const readFinalPlan = (body: Body) =>
  step(body, (f) => {
    const settingName = f.text('settingName', 'Name of the school or setting', {
      required: 'Enter the name of the school or other setting (section I)',
      max: 200,
    });
    const settingType = f.text('settingType', 'Type of setting', {
      required: 'Enter the type of school or setting (section I)',
      max: 200,
    });
    const settingUrn = f.text('settingUrn', 'URN', { max: 6 });
    if (settingUrn && !isValidUrn(settingUrn)) f.error('settingUrn', 'Enter the setting’s URN: 6 digits, like 117000');
    const familyResponded = f.text('familyResponded', 'Family response') === 'yes';
    const primaryNeed = f.choice('primaryNeed', keys(PRIMARY_NEED_NAMES), 'Select the child’s primary need');
    const issuedOn = f.date('issuedOn', 'The date the final plan was issued');
    return issuedOn && primaryNeed
      ? {
          issuedOn,
          familyResponded,
          primaryNeed,
          sectionI: { settingName, settingType, settingUrn: settingUrn || null },
        }
      : null;
  });

export const readException = (body: Body) =>
  step(body, (f) => {
    // Which duties this case has is the service's to check; here, only that one was chosen.
    const duty = f.text('duty', 'Duty', { required: 'Select the duty the exception applies to', max: 100 });
    const reason = f.choice<ExceptionReason>('reason', EXCEPTION_REASONS, 'Select the exception that applies');
    const evidence = f.text('evidence', 'Evidence', { required: 'Describe the evidence for the exception', max: 2000 });
    const from = f.date('from', 'The date the exception began');
    const to = f.date('to', 'The date the exception ended', { required: false });
    const familyToldOn = f.date('familyToldOn', 'The date the family was told');
    return duty && reason && from && familyToldOn ? { duty, reason, evidence, from, to, familyToldOn } : null;
  });

export const readWithdrawal = (body: Body) =>
  step(body, (f) => {
    const reason = f.text('reason', 'Reason', { required: 'Enter why the request was withdrawn', max: 2000 });
    const withdrawnOn = f.date('withdrawnOn', 'The date of withdrawal');
    return withdrawnOn ? { reason, withdrawnOn } : null;
  });

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
  'receivedDate',
  'dateOfBirth',
] as const;

export { EXCEPTION_NAMES, type LocalDate };

export const readReassign = (body: Body) =>
  step(body, (f) => {
    const caseworkerId = f.text('caseworkerId', 'Caseworker');
    if (caseworkerId && caseworkerId !== 'none' && !isUuid(caseworkerId)) {
      f.error('caseworkerId', 'Select a caseworker from the list');
    }
    if (!caseworkerId) f.error('caseworkerId', 'Select who will work on this case');
    return caseworkerId ? { caseworkerId: caseworkerId === 'none' ? null : caseworkerId } : null;
  });

const ROW_LIMIT = 200;
const SECTION_MAX = 20_000;
const FIELD_MAX = 2_000;

/**
 * The draft plan form. Rows left completely empty are dropped; new rows get an id. A link to a need or outcome
 * must name one in the same plan.
 */
export function readDraftPlan(body: Body, newId: () => string) {
  const f = new FormReader(body);
  const stamp = f.stamp();
  const plan = emptyPlan();
  for (const section of TEXT_SECTIONS) {
    plan[section] = f.text(section, SECTION_NAMES[section], { max: SECTION_MAX });
  }
  const count = (name: string) => Math.min(ROW_LIMIT, Math.max(0, Number(text(body, `${name}-count`)) || 0));
  const field = (name: string, label: string) => f.text(name, label, { max: FIELD_MAX });

  for (let i = 0; i < count('need'); i++) {
    const need = { id: text(body, `need-${i}-id`), text: field(`need-${i}-text`, `Need ${i + 1}`) };
    if (need.text) plan.B.push({ ...need, id: need.id || newId() });
  }
  for (let i = 0; i < count('outcome'); i++) {
    const o = {
      id: text(body, `outcome-${i}-id`),
      text: field(`outcome-${i}-text`, `Outcome ${i + 1}`),
      timeframe: field(`outcome-${i}-timeframe`, `Timeframe of outcome ${i + 1}`),
      needIds: list(body, `outcome-${i}-needs`),
    };
    f.values[`outcome-${i}-needs`] = o.needIds;
    if (o.text || o.timeframe) plan.E.push({ ...o, id: o.id || newId() });
  }
  for (let i = 0; i < count('provision'); i++) {
    const p = {
      id: text(body, `provision-${i}-id`),
      what: field(`provision-${i}-what`, `What (provision ${i + 1})`),
      who: field(`provision-${i}-who`, `Who (provision ${i + 1})`),
      frequency: field(`provision-${i}-frequency`, `How often (provision ${i + 1})`),
      duration: field(`provision-${i}-duration`, `For how long (provision ${i + 1})`),
      needId: text(body, `provision-${i}-need`),
      outcomeId: text(body, `provision-${i}-outcome`),
    };
    f.values[`provision-${i}-need`] = p.needId;
    f.values[`provision-${i}-outcome`] = p.outcomeId;
    if (p.what || p.who || p.frequency || p.duration) {
      if (!p.what) f.error(`provision-${i}-what`, `Say what provision ${i + 1} is`);
      plan.F.push({ ...p, id: p.id || newId() });
    }
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
  if (!stamp) f.error('main-content', 'The form has expired. Open the page again.');
  const add = text(body, 'add');
  return {
    input: f.errors.length === 0 && stamp ? { stamp, plan } : null,
    plan,
    /** "Add another" was pressed: show the form again with one more row of this kind, saving nothing. */
    add: add === 'need' || add === 'outcome' || add === 'provision' ? add : null,
    errors: f.errors,
    values: f.values,
  };
}

export const readConsultation = (body: Body) =>
  step(body, (f) => {
    const settingName = f.text('settingName', 'Name of the school or setting', {
      required: 'Enter the name of the school or setting',
      max: 200,
    });
    const settingUrn = f.text('settingUrn', 'URN', { max: 6 });
    if (settingUrn && !isValidUrn(settingUrn)) f.error('settingUrn', 'Enter the setting’s URN: 6 digits, like 117000');
    const sentOn = f.date('sentOn', 'The date the setting was consulted');
    return sentOn ? { settingName, settingUrn: settingUrn || null, sentOn } : null;
  });

export const readConsultationReply = (body: Body) =>
  step(body, (f) => {
    const response = f.choice<ConsultationResponse>(
      'response',
      Object.keys(CONSULTATION_RESPONSES) as ConsultationResponse[],
      'Select what the setting said',
    );
    const note = f.text('note', 'Details', { max: 5000 });
    if (response === 'cannot_meet' && !note) f.error('note', 'Enter the reasons the setting gave');
    const respondedOn = f.date('respondedOn', 'The date of the reply');
    return response && respondedOn ? { response, note, respondedOn } : null;
  });

export const readRepresentations = (body: Body) =>
  step(body, (f) => {
    const representations = f.text('representations', 'The family’s comments', {
      required: 'Enter what the family said about the draft',
      max: 20_000,
    });
    const preferredSetting = f.text('preferredSetting', 'Preferred school or setting', { max: 200 });
    const meetingRequested = f.text('meetingRequested', 'Meeting') === 'yes';
    const receivedOn = f.date('receivedOn', 'The date the comments were received');
    return receivedOn ? { representations, preferredSetting, meetingRequested, receivedOn } : null;
  });

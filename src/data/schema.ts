/**
 * The database schema: one schema for PostgreSQL and PGlite.
 *
 * Every table that holds case data carries `la_code` (the tenant) and every repository call filters by it.
 * Calendar dates are `date` columns read as ISO strings (`mode: 'string'`), never JavaScript Dates.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  boolean,
  char,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Binary content (PostgreSQL bytea) as a Node Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** The tenant column every case table carries. */
const laCodeColumn = () =>
  char('la_code', { length: 3 })
    .notNull()
    .references(() => localAuthorities.laCode);

/** The tenant: one local authority, identified by its 3-digit DfE LA code. */
export const localAuthorities = pgTable('local_authorities', {
  laCode: char('la_code', { length: 3 }).primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** scrypt hash in PHC-like form; null means the account cannot sign in (e.g. imported staff). */
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    isDemo: boolean('is_demo').notNull().default(false),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    /** When the password was last set (a set-up or reset link, or the account's own change). */
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** A mobile number for text messages (a family's choice); null: email only. */
    phone: text('phone'),
    /** Whether the person chose text messages as well as email. */
    smsOptIn: boolean('sms_opt_in').notNull().default(false),
    /** The TOTP shared secret (RFC 6238, base32) once two-factor sign-in is set up; null before. */
    totpSecret: text('totp_secret'),
    /** The last TOTP time step accepted, so a code is never accepted twice (RFC 6238 section 5.2). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /**
     * Raised by every administrator's change to the account (roles, team, disabled): a form opened before someone
     * else's change is refused, not saved over it (optimistic concurrency).
     */
    version: integer('version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

/**
 * A user's account at an identity provider (the council's OpenID Connect provider for staff, GOV.UK One Login for
 * families): the provider's issuer and its subject identifier for the user. Sign-in never creates a user: an identity
 * is linked to an account that was invited first (matched by verified email) or by a parent's invitation link.
 */
export const externalIdentities = pgTable(
  'external_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('external_identities_issuer_subject_key').on(t.issuer, t.subject),
    index('external_identities_user_idx').on(t.userId),
  ],
);

/**
 * One-time links sent by email: setting up a new account's sign-in (the first administrator's, or an invited
 * user's), resetting a password, and linking a parent's account to their child. Only a SHA-256 hash of the link's
 * token is kept; a link works once (`used_at`) and until `expires_at`.
 */
export const accountLinks = pgTable(
  'account_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    purpose: text('purpose', { enum: ['set_up', 'reset_password', 'link_child'] }).notNull(),
    /** The account the link is for; null for a parent's invitation before they have an account. */
    userId: uuid('user_id').references(() => users.id),
    /** The address the link was sent to. */
    email: text('email').notNull(),
    laCode: char('la_code', { length: 3 }).references(() => localAuthorities.laCode),
    /** For a parent's invitation: the child the account is linked to when the link is used. */
    childId: uuid('child_id').references(() => children.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('account_links_token_hash_key').on(t.tokenHash),
    index('account_links_user_idx').on(t.userId),
    index('account_links_child_idx').on(t.childId),
  ],
);

/**
 * What a user may do in an LA. A parent's assignment is scoped to one child; staff assignments have no child.
 */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    laCode: laCodeColumn(),
    role: text('role').notNull(),
    childId: uuid('child_id'),
    team: text('team'),
    /**
     * An advice giver's service: the kind of advice (domain/casework/stages.ts ADVICE_TYPE_NAMES) whose requests the
     * whole service answers (an LA's educational psychology service, health through the designated clinical officer).
     * Null: they see only the requests addressed to them by name.
     */
    adviceService: text('advice_service'),
    /** A school or setting's user: the setting's URN (GIAS), whose consultations they answer. */
    settingUrn: text('setting_urn'),
    /** A parent's assignment: 'parent' (a parent or carer) or 'young_person' (a young person over 16, for themselves). */
    relationship: text('relationship'),
    createdAt: createdAt(),
  },
  (t) => [
    index('role_assignments_user_idx').on(t.userId),
    index('role_assignments_la_role_idx').on(t.laCode, t.role),
    index('role_assignments_setting_idx').on(t.laCode, t.settingUrn),
  ],
);

export const children = pgTable(
  'children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    reference: text('reference').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    sex: text('sex'),
    upn: text('upn'),
    uln: text('uln'),
    /** SEN2 UPNunknown code (UN1-UN10) when the child has neither UPN nor ULN. */
    upnUnknown: text('upn_unknown'),
    /** CBDS ethnicity code (WBRI ... NOBT). */
    ethnicity: text('ethnicity'),
    postcode: text('postcode'),
    primaryNeed: text('primary_need'),
    settingName: text('setting_name'),
    settingType: text('setting_type'),
    /** The current setting's URN (GIAS, 6 digits). */
    settingUrn: text('setting_urn'),
    /** The current setting's UKPRN (8 digits) when it has no URN, e.g. a further education college. */
    settingUkprn: text('setting_ukprn'),
    /**
     * SEN2 SENSetting code when the child is in no setting with a URN or UKPRN: OLA, OPA, EHE, EYP, OTH, and for a
     * placement NEET, NIEC, NIEO (shared/reference/sen2/README.md section 3).
     */
    senSetting: text('sen_setting'),
    /** SEN2 SENtype of the secondary need (rank 2), if the plan records one. */
    secondaryNeed: text('secondary_need'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('children_la_reference_key').on(t.laCode, t.reference),
    index('children_la_name_dob_idx').on(t.laCode, t.familyName, t.dateOfBirth),
    // Phase transfers: a cohort is a range of dates of birth (domain/casework/phaseTransfer.ts cohortBirthDates).
    index('children_la_dob_idx').on(t.laCode, t.dateOfBirth, t.id),
  ],
);

/**
 * The last number given in each series of references (`999-000123` for children, `EHC-2026-00045` for requests), so
 * that the next is taken in one short statement, and a number is never given twice, even after the record holding
 * the highest was deleted. A save that fails after taking its number leaves a gap, as a database sequence does.
 */
export const referenceCounters = pgTable(
  'reference_counters',
  {
    laCode: laCodeColumn(),
    /** The table whose references these are: 'children' or 'requests'. */
    series: text('series').notNull(),
    /** The text before the number: `999-`, `EHC-2026-`. */
    prefix: text('prefix').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.laCode, t.series, t.prefix] })],
);

/**
 * A request for an EHC needs assessment and its progress to a final plan (or not).
 * `stage` is the current stage, kept in step with the case events by the services that write them.
 */
export const assessmentRequests = pgTable(
  'assessment_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    reference: text('reference').notNull(),
    receivedDate: date('received_date', { mode: 'string' }).notNull(),
    requestSource: text('request_source'),
    caseworkerId: uuid('caseworker_id').references(() => users.id),
    team: text('team'),
    stage: text('stage').notNull(),
    open: boolean('open').notNull().default(true),
    assessmentDecision: text('assessment_decision'),
    assessmentDecisionDate: date('assessment_decision_date', { mode: 'string' }),
    issueDecision: text('issue_decision'),
    issueDecisionDate: date('issue_decision_date', { mode: 'string' }),
    draftServedDate: date('draft_served_date', { mode: 'string' }),
    finalIssuedDate: date('final_issued_date', { mode: 'string' }),
    /**
     * The reason of the exception to the 20-week duty (issue_final_plan; SEN2 Week20), if one was recorded. Every
     * exception, to whichever duty, is a case event whose data names its duty, reason, dates and evidence.
     */
    exceptionReason: text('exception_reason'),
    closedDate: date('closed_date', { mode: 'string' }),
    /** The statutory duty not yet done that falls due soonest, kept by the services that write events. */
    nextDuty: text('next_duty'),
    nextDueDate: date('next_due_date', { mode: 'string' }),
    /**
     * The child's names, copied here by the database (triggers in migration 0017, on insert and whenever the child's
     * names change) so that the caseload can be read in name order from an index. Never written by the services.
     */
    childFamilyName: text('child_family_name'),
    childGivenName: text('child_given_name'),
    /**
     * Who the council contacts about this request (a parent or carer, or the young person), and how: recorded with
     * the request. Relationship and preference are codes (domain/casework/codes.ts CONTACT_*).
     */
    contactName: text('contact_name'),
    contactRelationship: text('contact_relationship'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    contactAddress: text('contact_address'),
    contactPreference: text('contact_preference'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('assessment_requests_la_reference_key').on(t.laCode, t.reference),
    // The caseload: open requests in the orders it offers, so that a page is read from the index in order (and its
    // counts from the index alone) rather than sorted.
    index('assessment_requests_open_due_idx')
      .on(t.laCode, t.nextDueDate, t.receivedDate, t.id)
      .where(sql`${t.open}`),
    index('assessment_requests_open_received_idx')
      .on(t.laCode, t.receivedDate, t.id)
      .where(sql`${t.open}`),
    index('assessment_requests_open_child_name_idx')
      .on(t.laCode, t.childFamilyName, t.childGivenName, t.id)
      .where(sql`${t.open}`),
    index('assessment_requests_la_caseworker_idx').on(t.laCode, t.caseworkerId, t.open),
    index('assessment_requests_child_idx').on(t.childId),
  ],
);

export const adviceRequests = pgTable(
  'advice_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => assessmentRequests.id),
    adviceType: text('advice_type').notNull(),
    provider: text('provider').notNull(),
    requestedDate: date('requested_date', { mode: 'string' }).notNull(),
    receivedDate: date('received_date', { mode: 'string' }),
    /** Where chasers go: the provider's contact, and who a chaser escalates to (the DCO for health). */
    providerEmail: text('provider_email'),
    escalationEmail: text('escalation_email'),
    /** "Tell us once" (Code of Practice 9.47): existing advice reused with the family's agreement. */
    reusedFromAdviceId: uuid('reused_from_advice_id'),
    familyAgreedDate: date('family_agreed_date', { mode: 'string' }),
    documentId: uuid('document_id'),
    /** The professional the request is addressed to by name, when it is (otherwise to their service). */
    providerUserId: uuid('provider_user_id').references(() => users.id),
    /** The advice given online: structured by the plan's sections (needs, outcomes, provision). */
    content: jsonb('content'),
    submittedBy: uuid('submitted_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index('advice_requests_request_idx').on(t.laCode, t.requestId),
    index('advice_requests_provider_user_idx').on(t.providerUserId),
    index('advice_requests_la_type_idx').on(t.laCode, t.adviceType),
  ],
);

export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    requestId: uuid('request_id').references(() => assessmentRequests.id),
    status: text('status').notNull(),
    /** Null while the plan is a draft ('draft' status): set when the final plan is issued. */
    firstIssuedDate: date('first_issued_date', { mode: 'string' }),
    lastReviewDate: date('last_review_date', { mode: 'string' }),
    ceasedDate: date('ceased_date', { mode: 'string' }),
    ceasedReason: text('ceased_reason'),
    /** The caseworker who holds the plan's reviews (at first the request's caseworker). */
    caseworkerId: uuid('caseworker_id').references(() => users.id),
    /**
     * The last day the current review cycle must be completed by (domain/casework/annualReview.ts reviewDue), and
     * the rule that gave it: 'cfa_s44_1' (12 months, CFA s.44(1)) or 'cop_9_178' (a child under 5, 6 months, Code of
     * Practice 9.178). Kept by the services that write plans and reviews, and filled for plans loaded without one.
     */
    reviewDueDate: date('review_due_date', { mode: 'string' }),
    reviewDueRule: text('review_due_rule'),
    /** The review's next deadline (its next duty not done): what the reviews list is ordered by, from an index. */
    reviewNextDuty: text('review_next_duty'),
    reviewNextDue: date('review_next_due', { mode: 'string' }),
    /**
     * The day the last plan after a reassessment was issued (SEND Regulations 2014 reg 27): it ends an EHC needs
     * assessment (reg 24(2)(a)'s 6 months run from it) and starts the plan's 12 months to its next review.
     */
    lastReassessedDate: date('last_reassessed_date', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index('plans_la_status_idx').on(t.laCode, t.status),
    index('plans_child_idx').on(t.childId),
    // The case page finds a request's plan.
    index('plans_request_idx').on(t.requestId),
    // The reviews list: active plans by their review's next deadline, for everyone or one caseworker.
    index('plans_review_next_due_idx')
      .on(t.laCode, t.reviewNextDue, t.id)
      .where(sql`${t.status} = 'active'`),
    index('plans_review_caseworker_idx')
      .on(t.laCode, t.caseworkerId, t.reviewNextDue, t.id)
      .where(sql`${t.status} = 'active'`),
    // Plans loaded without a review date (a SEN2 import, the demo, before this column): found to be filled.
    index('plans_review_due_missing_idx')
      .on(t.laCode)
      .where(sql`${t.status} = 'active' and ${t.reviewNextDue} is null`),
  ],
);

/**
 * One annual review of a plan (CFA s.44; SEND Regulations 2014 regs 18-22): a cycle from the plan's issue or last
 * review to the review's decision and, when amending, the amended plan or a notice of not amending. Each step is
 * also a case event (the child's timeline) naming the review; the statutory clock reads the dates held here.
 */
export const planReviews = pgTable(
  'plan_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** The day the 12 months began: the plan's issue or the last review's decision. */
    cycleStart: date('cycle_start', { mode: 'string' }).notNull(),
    /** 'open' until the review's last step; then 'completed'. */
    status: text('status').notNull().default('open'),
    meetingDate: date('meeting_date', { mode: 'string' }),
    invitationsSentDate: date('invitations_sent_date', { mode: 'string' }),
    adviceRequestedDate: date('advice_requested_date', { mode: 'string' }),
    /** Who was asked for advice: school, educational psychology, health, social care, other (codes). */
    adviceFrom: jsonb('advice_from').notNull().default([]),
    adviceCirculatedDate: date('advice_circulated_date', { mode: 'string' }),
    meetingHeldDate: date('meeting_held_date', { mode: 'string' }),
    reportSentDate: date('report_sent_date', { mode: 'string' }),
    decision: text('decision'),
    decisionDate: date('decision_date', { mode: 'string' }),
    /** When amending: the version holding the proposed amendments sent with the notice (Devon). */
    proposalVersionId: uuid('proposal_version_id'),
    /** 'amended' (the amended plan issued) or 'not_amended' (a notice of not amending, reg 22(4)). */
    outcome: text('outcome'),
    outcomeDate: date('outcome_date', { mode: 'string' }),
    amendedVersionId: uuid('amended_version_id'),
    completedDate: date('completed_date', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index('plan_reviews_plan_idx').on(t.laCode, t.planId, t.cycleStart),
    uniqueIndex('plan_reviews_one_open_key')
      .on(t.planId)
      .where(sql`${t.status} = 'open'`),
  ],
);

/**
 * A family's disagreement with a decision (CFA 2014 s.51; SEND Regulations 2014 regs 32-45): mediation, the appeal to
 * the Tribunal, and its order or an appeal not opposed, complied with step by step (domain/casework/disagreement.ts).
 * Each step is also a case event on the child's timeline naming the disagreement.
 */
export const disagreements = pgTable(
  'disagreements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** The request the decision was made on. */
    requestId: uuid('request_id')
      .notNull()
      .references(() => assessmentRequests.id),
    /** What the family disagrees with: not_assess, not_issue, plan_content, not_amend, cease. */
    about: text('about').notNull(),
    decisionDate: date('decision_date', { mode: 'string' }).notNull(),
    /** 'open' until closed (appeal dismissed or withdrawn, the order complied with, or no appeal). */
    status: text('status').notNull().default('open'),
    mediationToldDate: date('mediation_told_date', { mode: 'string' }),
    mediationHeldDate: date('mediation_held_date', { mode: 'string' }),
    agreement: boolean('agreement'),
    agreementActions: text('agreement_actions'),
    /** What the agreement is about, for its deadline (reg 42): other, section_i, amend_b_f, make_and_maintain, assess. */
    agreementKind: text('agreement_kind'),
    agreementDoneDate: date('agreement_done_date', { mode: 'string' }),
    certificateDate: date('certificate_date', { mode: 'string' }),
    appealDate: date('appeal_date', { mode: 'string' }),
    /** order, unopposed, dismissed, withdrawn. */
    outcome: text('outcome'),
    outcomeDate: date('outcome_date', { mode: 'string' }),
    /** What the order (or the appeal not opposed) asks for: section_i, amend_b_f, make_and_maintain, assess. */
    tribunalOrder: text('tribunal_order'),
    /** The date each ordered step was done, by step id. */
    complied: jsonb('complied').notNull().default({}),
    closedDate: date('closed_date', { mode: 'string' }),
    /** The next duty not done and its date (or the family's appeal date): what the list is ordered by. */
    nextDuty: text('next_duty'),
    nextDue: date('next_due', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index('disagreements_request_idx').on(t.laCode, t.requestId),
    index('disagreements_next_due_idx')
      .on(t.laCode, t.nextDue, t.id)
      .where(sql`${t.status} = 'open'`),
  ],
);

/**
 * A phase transfer recorded as finalised (SEND Regulations 2014 reg 18): the amended plan naming the next school or
 * setting, for the September move of `transferYear`. The children still to transfer have no row: the phase-transfers
 * page finds them by their dates of birth (domain/casework/phaseTransfer.ts).
 */
export const phaseTransfers = pgTable(
  'phase_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** The calendar year of the September move. */
    transferYear: integer('transfer_year').notNull(),
    /** early_years_to_school, infant_to_junior, primary_to_secondary, secondary_to_post16. */
    kind: text('kind').notNull(),
    /** The last compliant day (14 February or 30 March of the transfer year; P10). */
    deadline: date('deadline', { mode: 'string' }).notNull(),
    nextSettingName: text('next_setting_name').notNull(),
    nextSettingUrn: text('next_setting_urn').notNull(),
    finalisedDate: date('finalised_date', { mode: 'string' }).notNull(),
    /** The amended plan's version naming the next setting. */
    amendedVersionId: uuid('amended_version_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('phase_transfers_plan_year_key').on(t.laCode, t.planId, t.transferYear),
    index('phase_transfers_year_idx').on(t.laCode, t.transferYear, t.kind),
  ],
);

/**
 * Ceasing to maintain a plan (CFA s.45; SEND Regulations 2014 regs 29-31): the reason, the consultation with the
 * family and the school, the decision notice, a mediation certificate, an appeal and the Tribunal's decision, and the
 * day the plan ended (s.45(2): only once the time for appealing has passed or the appeal is decided). Each step is
 * also a case event naming the plan. At most one open ceasing a plan.
 */
export const planCeasings = pgTable(
  'plan_ceasings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** The annual review whose decision was to cease, when it began there. */
    reviewId: uuid('review_id').references(() => planReviews.id),
    /** 'open'; 'ceased' (the plan ended); 'kept' (decided not to cease, or the Tribunal upheld an appeal). */
    status: text('status').notNull().default('open'),
    /** domain/casework/ceasing.ts CEASE_REASONS. */
    reason: text('reason').notNull(),
    consultedDate: date('consulted_date', { mode: 'string' }).notNull(),
    schoolConsultedDate: date('school_consulted_date', { mode: 'string' }).notNull(),
    /** 'cease' or 'maintain'. */
    decision: text('decision'),
    decisionDate: date('decision_date', { mode: 'string' }),
    certificateDate: date('certificate_date', { mode: 'string' }),
    appealLodgedDate: date('appeal_lodged_date', { mode: 'string' }),
    /** 'dismissed' (the plan ends) or 'upheld' (it is kept). */
    tribunalOutcome: text('tribunal_outcome'),
    tribunalDate: date('tribunal_date', { mode: 'string' }),
    ceasedDate: date('ceased_date', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index('plan_ceasings_plan_idx').on(t.laCode, t.planId),
    // The ceased plans measure: by the month each plan ended.
    index('plan_ceasings_ceased_idx').on(t.laCode, t.ceasedDate),
    uniqueIndex('plan_ceasings_one_open_key')
      .on(t.planId)
      .where(sql`${t.status} = 'open'`),
  ],
);

/**
 * A reassessment of a child's or young person's needs while their plan is maintained (CFA s.44(2), (3); SEND
 * Regulations 2014 regs 24-27; domain/casework/reassessment.ts): the request (or the council's own decision), the
 * decision within 15 days, the advice, the draft and the final plan within 14 weeks, with reg 27(3) exceptions. Each
 * step is also a case event naming the plan. At most one open reassessment a plan.
 */
export const planReassessments = pgTable(
  'plan_reassessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** 'open'; 'refused' (the council decided not to reassess); 'completed' (the final plan issued). */
    status: text('status').notNull().default('open'),
    /** parent, young_person, school, health, council (s.44(3)). */
    requestedBy: text('requested_by').notNull(),
    receivedDate: date('received_date', { mode: 'string' }).notNull(),
    lastAssessmentDate: date('last_assessment_date', { mode: 'string' }).notNull(),
    /** 'reassess' or 'not_reassess'. */
    decision: text('decision'),
    decisionDate: date('decision_date', { mode: 'string' }),
    /** reg 24(2): within_six_months or not_necessary. */
    refusalGround: text('refusal_ground'),
    /** The council's reasons for refusing, as told to the family (never on the timeline or in the audit). */
    refusalReason: text('refusal_reason'),
    adviceRequestedDate: date('advice_requested_date', { mode: 'string' }),
    adviceRequested: jsonb('advice_requested').notNull().default([]),
    adviceReceived: jsonb('advice_received').notNull().default([]),
    draftServedDate: date('draft_served_date', { mode: 'string' }),
    finalIssuedDate: date('final_issued_date', { mode: 'string' }),
    /** The plan's version issued after the reassessment. */
    finalVersionId: uuid('final_version_id'),
    /** reg 27(3) exceptions: [{ reason, from, to }]. */
    exceptions: jsonb('exceptions').notNull().default([]),
    /** The next duty not done and its date: what the reassessments list is ordered by. */
    nextDuty: text('next_duty'),
    nextDue: date('next_due', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index('plan_reassessments_plan_idx').on(t.laCode, t.planId),
    index('plan_reassessments_next_due_idx')
      .on(t.laCode, t.nextDue, t.id)
      .where(sql`${t.status} = 'open'`),
    // The measures: decisions and final plans by the month they were due.
    index('plan_reassessments_received_idx').on(t.laCode, t.receivedDate),
    uniqueIndex('plan_reassessments_one_open_key')
      .on(t.planId)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const planVersions = pgTable(
  'plan_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    versionNo: integer('version_no').notNull(),
    kind: text('kind').notNull(),
    issuedDate: date('issued_date', { mode: 'string' }),
    content: jsonb('content').notNull().default({}),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('plan_versions_plan_version_key').on(t.planId, t.versionNo)],
);

/** The case timeline: what happened to a child's case, on which day, recorded by whom. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    laCode: laCodeColumn(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    requestId: uuid('request_id').references(() => assessmentRequests.id),
    type: text('type').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    data: jsonb('data').notNull().default({}),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    /** The form submission that wrote the event: a second submission of the same form finds it and does nothing. */
    submissionKey: text('submission_key'),
    /** The request's version after this event, so a conflicting edit can be shown what changed since. */
    requestVersion: integer('request_version'),
  },
  (t) => [
    index('case_events_request_idx').on(t.laCode, t.requestId, t.occurredOn),
    index('case_events_child_idx').on(t.laCode, t.childId),
    uniqueIndex('case_events_submission_key').on(t.laCode, t.submissionKey),
  ],
);

/** Documents (advice, evidence) stored in the database with the case, never on a web server's disk. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    requestId: uuid('request_id').references(() => assessmentRequests.id),
    filename: text('filename').notNull(),
    /** The type found from the file's content, not the name or the browser's claim. */
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    /** Who gave it: 'council' (recorded by staff), 'family' (a parent or young person), 'professional' (advice). */
    source: text('source').notNull().default('council'),
    createdAt: createdAt(),
  },
  (t) => [index('documents_request_idx').on(t.laCode, t.requestId)],
);

/**
 * Append-only record of who read or changed which child's record. The database refuses UPDATE, DELETE and TRUNCATE
 * (triggers in the migration), so an entry cannot be altered after the fact. It is also tamper-evident: a trigger
 * gives each new row the next position in one chain (`chain_seq`, from `audit_chain_head`, locked until the inserting
 * transaction ends, so two inserts never fork it), the previous row's hash and its own: SHA-256 over the row's fields
 * and the previous hash (docs/audit-log.md). `openehcp audit verify` recomputes the chain outside the database.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    laCode: char('la_code', { length: 3 }),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    childId: uuid('child_id'),
    requestId: text('request_id'),
    ip: text('ip'),
    detail: jsonb('detail').notNull().default({}),
    /** The row's position in the chain (1, 2, ...): set by the database, never by the services. */
    chainSeq: bigint('chain_seq', { mode: 'number' }),
    /** The hash of the row before it in the chain (64 zeros for the first row), hex. */
    prevHash: text('prev_hash'),
    /** SHA-256 of the row's fields and prevHash, hex. */
    rowHash: text('row_hash'),
  },
  (t) => [
    index('audit_log_la_at_idx').on(t.laCode, t.at),
    index('audit_log_child_idx').on(t.childId),
    index('audit_log_chain_seq_idx').on(t.chainSeq),
  ],
);

/**
 * The end of the audit log's hash chain: the last position given and its hash. One row, updated by the audit log's
 * insert trigger only; verifying compares it with the last row, so rows removed from the end are noticed too.
 */
export const auditChainHead = pgTable('audit_chain_head', {
  id: boolean('id').primaryKey().default(true),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

export const sessions = pgTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    sess: jsonb('sess').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Who is signed in to the session (from `sess`), so an administrator can list and end a user's sessions. */
    userId: uuid('user_id'),
  },
  (t) => [index('sessions_expires_idx').on(t.expiresAt), index('sessions_user_idx').on(t.userId)],
);

/**
 * Work that runs longer than a page waits for (a forecast scenario, an SEN2 import): its progress and result, so that
 * every process serving pages can show it (services/jobs.ts); pg-boss (src/jobs) carries the job to a process that
 * runs it. Rows are removed an hour or so after they finish.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey(),
    /** What kind of work: each kind has its own limits. */
    kind: text('kind').notNull(),
    laCode: char('la_code', { length: 3 }).notNull(),
    userId: uuid('user_id').notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    step: text('step').notNull(),
    done: integer('done').notNull(),
    total: integer('total').notNull(),
    /** What the job was asked to do, as its pages show it. */
    detail: jsonb('detail').notNull(),
    result: jsonb('result'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** Written at least every few seconds while it runs: a running job not heard from for long has stopped. */
    heardAt: timestamp('heard_at', { withTimezone: true }).notNull(),
    /**
     * The process running it, as `host/pid`: on start-up a process marks as stopped the running jobs of processes on
     * its host that no longer exist, without waiting for them to go quiet (null: written before owners were kept).
     */
    owner: text('owner'),
    /**
     * What the job works on, when it is more than `detail` holds (an uploaded file): kept until the job has run, so
     * that whichever process takes the job from the queue (src/jobs) can read it; removed when it finishes.
     */
    input: bytea('input'),
  },
  (t) => [index('jobs_kind_status_idx').on(t.kind, t.status)],
);

/**
 * A CSV of staff an administrator uploaded and saw checked (the dry run), kept until they confirm it or upload another:
 * confirming checks the same file again and imports it whole. Removed when confirmed, and a day after it was uploaded.
 */
export const staffImports = pgTable('staff_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  laCode: laCodeColumn(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  fileName: text('file_name').notNull(),
  content: text('content').notNull(),
  createdAt: createdAt(),
});

/** Failed sign-in counters, per account and per IP address, for throttling. */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    failures: integer('failures').notNull().default(0),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/**
 * The limits on the expensive routes (web/middleware/expensive.ts), kept in the database so that every process of one
 * deployment counts the same requests: how many of a kind a person sent in the current minute, keyed by kind and user.
 */
export const requestLimits = pgTable('request_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
});

/** One expensive request in progress per person, across processes: held until it ends, or `until` if its process died. */
export const requestsInProgress = pgTable('requests_in_progress', {
  key: text('key').primaryKey(),
  until: timestamp('until', { withTimezone: true }).notNull(),
});

/** Bank holidays (England and Wales): the live copy, so an admin can add years later. */
export const bankHolidays = pgTable('bank_holidays', {
  date: date('date', { mode: 'string' }).primaryKey(),
  title: text('title'),
});

/** Key/value settings per deployment (e.g. when the demo county was generated). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every message the service sends (chasers, notices): the local outbox when GOV.UK Notify is not configured, and the
 * record of what was sent through Notify when it is. `dedupe_key` makes each message exactly once.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind').notNull(),
    requestId: uuid('request_id').references(() => assessmentRequests.id),
    adviceRequestId: uuid('advice_request_id').references(() => adviceRequests.id),
    /** Null when no email address is recorded: the message is kept so the caseworker can see it could not go. */
    toEmail: text('to_email'),
    /** A text message's number (GOV.UK Notify SMS), for a family who chose texts; null for email. */
    toPhone: text('to_phone'),
    /** 'email' or 'sms'. */
    channel: text('channel').notNull().default('email'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /**
     * 'pending' (recorded, not yet tried), 'sending' (claimed by one process, with Notify now), 'retrying' (Notify
     * could not take it yet: tried again at next_attempt_at), 'outbox' (kept locally), 'sent' (accepted by Notify:
     * never sent again), 'failed' (refused, or given up on), 'no_recipient'.
     */
    status: text('status').notNull(),
    notifyId: text('notify_id'),
    error: text('error'),
    dueOn: date('due_on', { mode: 'string' }),
    /** Who it is to, for the caseworker's page ('parent', 'young_person', 'school', 'provider', 'caseworker'...). */
    toRole: text('to_role'),
    /** How many times it has been handed to Notify. */
    attempts: integer('attempts').notNull().default(0),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    /** When a message that is 'retrying' is next tried. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** Why a message finally failed: 'refused' (Notify said no), 'unreachable' (gave up), 'interrupted'. */
    failure: text('failure'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_key').on(t.laCode, t.dedupeKey),
    index('notifications_la_created_idx').on(t.laCode, t.createdAt),
    index('notifications_to_try_idx')
      .on(t.status, t.nextAttemptAt)
      .where(sql`status in ('pending', 'sending', 'retrying')`),
    index('notifications_request_failed_idx')
      .on(t.laCode, t.requestId)
      .where(sql`status = 'failed'`),
  ],
);

/**
 * Schools and other settings consulted about being named in section I, each with its own response date (the
 * setting should reply within 15 days: SEND Code of Practice 9.83).
 */
export const settingConsultations = pgTable(
  'setting_consultations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => assessmentRequests.id),
    settingName: text('setting_name').notNull(),
    settingUrn: text('setting_urn'),
    sentDate: date('sent_date', { mode: 'string' }).notNull(),
    respondedDate: date('responded_date', { mode: 'string' }),
    /** 'can_meet', 'cannot_meet' or 'other'. */
    response: text('response'),
    responseNote: text('response_note'),
    /** The school or setting's user who answered online (null when the caseworker recorded the reply). */
    respondedBy: uuid('responded_by').references(() => users.id),
    /** The draft plan's version the setting was sent. */
    planVersionId: uuid('plan_version_id').references(() => planVersions.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index('setting_consultations_request_idx').on(t.laCode, t.requestId),
    index('setting_consultations_urn_idx').on(t.laCode, t.settingUrn),
  ],
);

/**
 * What a family gives through the service: their views, interests and aspirations for section A (kind 'views',
 * until the draft is served), and their response to a draft plan (kind 'draft_response': comments by section, the
 * school or setting they want named, a meeting asked for), kept as they write it and sent when they say so (a sent
 * draft response becomes the representations on the case).
 */
export const familyContributions = pgTable(
  'family_contributions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => assessmentRequests.id),
    kind: text('kind', { enum: ['views', 'draft_response'] }).notNull(),
    /** For a draft response: the draft plan's version it answers. */
    planVersionId: uuid('plan_version_id').references(() => planVersions.id),
    content: jsonb('content').notNull().default({}),
    version: integer('version').notNull().default(1),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('family_contributions_request_idx').on(t.laCode, t.requestId, t.kind)],
);

/**
 * The monthly measures (domain/measures/monthly.ts), worked out from the case data by the measures job and kept here
 * so that a dashboard or the public page reads a few hundred rows instead of the whole case history.
 */
export const measureValues = pgTable(
  'measure_values',
  {
    laCode: laCodeColumn(),
    measure: text('measure').notNull(),
    /** YYYY-MM. */
    month: char('month', { length: 7 }).notNull(),
    dimension: text('dimension').notNull(),
    category: text('category').notNull(),
    numerator: doublePrecision('numerator'),
    denominator: doublePrecision('denominator'),
    value: doublePrecision('value'),
  },
  (t) => [primaryKey({ columns: [t.laCode, t.measure, t.dimension, t.category, t.month] })],
);

/** When each LA's measures were last worked out, over which months and from how many requests. */
export const measureRefreshes = pgTable('measure_refreshes', {
  laCode: laCodeColumn().primaryKey(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  fromMonth: char('from_month', { length: 7 }).notNull(),
  toMonth: char('to_month', { length: 7 }).notNull(),
  requests: integer('requests').notNull(),
});

/**
 * The target an LA sets for a measure (the improvement plan's milestone, say): drawn on its chart, and judged against
 * the process limits for the assurance icon. `version` moves on with every change.
 */
export const measureTargets = pgTable(
  'measure_targets',
  {
    laCode: laCodeColumn(),
    measure: text('measure').notNull(),
    target: doublePrecision('target').notNull(),
    setBy: uuid('set_by').references(() => users.id),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.laCode, t.measure] })],
);

/**
 * Every change to a measure's target: set, changed or removed, when, by whom and why. Append-only (the database refuses
 * UPDATE, DELETE and TRUNCATE), and shown with the measure, so a goalpost never moves silently.
 */
export const measureTargetHistory = pgTable(
  'measure_target_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    laCode: laCodeColumn(),
    measure: text('measure').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    fromTarget: doublePrecision('from_target'),
    toTarget: doublePrecision('to_target'),
    reason: text('reason').notNull(),
  },
  (t) => [index('measure_target_history_la_measure_idx').on(t.laCode, t.measure, t.at)],
);

/**
 * An LA's improvement plan (one per LA): its partners (the council, the ICB ...), period and independent chair. Shown to
 * the public once published. `version` moves on with every change to these details.
 */
export const improvementPlans = pgTable('improvement_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  laCode: laCodeColumn().unique(),
  title: text('title').notNull(),
  partners: jsonb('partners').$type<string[]>().notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  chair: text('chair').notNull(),
  published: boolean('published').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
});

/** The plan's long-term objectives (three to five years out): what the commitments add up to. */
export const planObjectives = pgTable(
  'plan_objectives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => improvementPlans.id),
    text: text('text').notNull(),
    /** By when the objective is to be met. */
    horizon: date('horizon', { mode: 'string' }),
    /** Optimistic concurrency: a form saved against an older version is refused. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('plan_objectives_plan_idx').on(t.laCode, t.planId)],
);

/** The plan's priority areas (an inspection's areas for priority action, say), in order. */
export const planPriorities = pgTable(
  'plan_priorities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => improvementPlans.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull(),
    /** Optimistic concurrency: a form saved against an older version is refused. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('plan_priorities_plan_idx').on(t.laCode, t.planId, t.position)],
);

/**
 * A commitment and its "technical note": the measure (a live measure of the product, or a series entered by hand with
 * its source), baseline, target, milestones, owner, reporting frequency and lag. A draft may lack any of these; a
 * measurable commitment has them all (domain/commitments/vagueness.ts), and only measurable ones are published.
 */
export const commitments = pgTable(
  'commitments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => improvementPlans.id),
    priorityId: uuid('priority_id').references(() => planPriorities.id),
    /** 'draft' or 'measurable'. */
    status: text('status').notNull(),
    statement: text('statement').notNull(),
    measureId: text('measure_id'),
    seriesName: text('series_name'),
    seriesSource: text('series_source'),
    seriesNumerator: text('series_numerator'),
    seriesDenominator: text('series_denominator'),
    /** '%' or '' (a count or other number), for a series entered by hand. */
    seriesUnit: text('series_unit'),
    /**
     * For a series entered by hand: the live measure it is declared to measure the same thing as (same definition), so
     * the commitment's page sets the two side by side and shows where they differ. Null when there is none.
     */
    liveMeasureId: text('live_measure_id'),
    /** 'increase' or 'decrease': which way is better. */
    polarity: text('polarity'),
    baselineValue: doublePrecision('baseline_value'),
    /** The month (YYYY-MM) the baseline describes, or the last month of its period. */
    baselinePeriod: text('baseline_period'),
    baselineN: integer('baseline_n'),
    targetValue: doublePrecision('target_value'),
    targetDate: date('target_date', { mode: 'string' }),
    milestones: jsonb('milestones').$type<{ date: string; value: number }[]>().notNull().default([]),
    ownerRole: text('owner_role'),
    ownerOrganisation: text('owner_organisation'),
    /** 'monthly' or 'quarterly'. */
    frequency: text('frequency').notNull().default('monthly'),
    /** How many months after a period its figure is known. */
    lagMonths: integer('lag_months').notNull().default(1),
    version: integer('version').notNull().default(1),
    /**
     * How many times figures have been entered for this commitment by hand (its commitment_values): the value form
     * carries it, so a figure someone else entered for the same month after the form was opened is not overwritten.
     */
    valuesVersion: integer('values_version').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('commitments_plan_idx').on(t.laCode, t.planId)],
);

/**
 * Every change to a commitment's target, date, milestones, baseline or definition once it is measurable: what changed
 * from what to what, when, by whom and why. Append-only (the database refuses UPDATE, DELETE and TRUNCATE) and
 * published with the commitment, so goalposts cannot move silently.
 */
export const commitmentHistory = pgTable(
  'commitment_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    laCode: laCodeColumn(),
    commitmentId: uuid('commitment_id')
      .notNull()
      .references(() => commitments.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    changes: jsonb('changes').$type<{ field: string; from: string | null; to: string | null }[]>().notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [index('commitment_history_commitment_idx').on(t.laCode, t.commitmentId, t.at)],
);

/**
 * What will be done to meet a commitment: owner, due date, status, evidence, and the change it makes to capacity where
 * it has one ("+3 educational psychologists from 1 June"), for the forecast to use.
 */
export const commitmentActions = pgTable(
  'commitment_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    commitmentId: uuid('commitment_id')
      .notNull()
      .references(() => commitments.id),
    title: text('title').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    /** 'not_started', 'in_progress', 'done' or 'blocked'. */
    status: text('status').notNull(),
    evidence: text('evidence').notNull().default(''),
    capacityStage: text('capacity_stage'),
    capacityChange: doublePrecision('capacity_change'),
    capacityFrom: date('capacity_from', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('commitment_actions_commitment_idx').on(t.laCode, t.commitmentId)],
);

/** The monthly values of a series entered by hand (a parent survey, say), with the number it is worked out from. */
export const commitmentValues = pgTable(
  'commitment_values',
  {
    laCode: laCodeColumn(),
    commitmentId: uuid('commitment_id')
      .notNull()
      .references(() => commitments.id),
    /** YYYY-MM. */
    month: char('month', { length: 7 }).notNull(),
    value: doublePrecision('value').notNull(),
    n: integer('n'),
    enteredBy: uuid('entered_by').references(() => users.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    /** The commitment's valuesVersion this figure was written at (a form opened before then is stale for it). */
    valuesVersion: integer('values_version').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.commitmentId, t.month] })],
);

/**
 * Each LA's latest forecast of the pipeline (domain/forecast), worked out by the measures job from the case history:
 * the calibration, the monthly fan charts and each replication's share within 20 weeks by month, from which the
 * chance of meeting any commitment's target is read.
 */
export const forecasts = pgTable('forecasts', {
  laCode: laCodeColumn().primaryKey(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  result: jsonb('result').notNull(),
});

/**
 * How many of each kind of staff an LA has now (educational psychologists, caseworkers), as its managers last said:
 * the forecast turns a plan's "3 more educational psychologists" into capacity in proportion to these.
 */
export const forecastStaffing = pgTable(
  'forecast_staffing',
  {
    laCode: laCodeColumn(),
    staff: text('staff').notNull(),
    /** People (whole-time equivalents). */
    people: doublePrecision('people').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.laCode, t.staff] })],
);

/**
 * The LA's audit rubric for EHC plans, in versions (domain/quality/rubric.ts): a change that would move the grade of
 * a completed audit makes a new version; audits keep the version they were done with.
 */
export const qaRubrics = pgTable(
  'qa_rubrics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    version: integer('version').notNull(),
    content: jsonb('content').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('qa_rubrics_la_version_key').on(t.laCode, t.version)],
);

/**
 * An audit of one issued plan by one auditor: the first audit of a sampled plan, or a second (moderation) audit of
 * the same plan by someone else. Answers are per criterion; the grade is computed when it is submitted.
 */
export const qaAudits = pgTable(
  'qa_audits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => assessmentRequests.id),
    planVersionNo: integer('plan_version_no').notNull(),
    rubricId: uuid('rubric_id')
      .notNull()
      .references(() => qaRubrics.id),
    auditorId: uuid('auditor_id')
      .notNull()
      .references(() => users.id),
    /** 'first' or 'moderation'. */
    kind: text('kind').notNull(),
    firstAuditId: uuid('first_audit_id'),
    /** The month (YYYY-MM) of the sample it was drawn in. */
    sampleMonth: text('sample_month').notNull(),
    /** 'education', 'health' or 'social_care': whom the auditor audits for. */
    agency: text('agency'),
    /** 'assigned', 'draft' or 'completed'. */
    status: text('status').notNull(),
    answers: jsonb('answers').$type<Record<string, string>>().notNull().default({}),
    comments: jsonb('comments').$type<Record<string, string>>().notNull().default({}),
    grade: text('grade'),
    score: doublePrecision('score'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('qa_audits_auditor_idx').on(t.laCode, t.auditorId),
    index('qa_audits_request_idx').on(t.laCode, t.requestId),
    index('qa_audits_month_idx').on(t.laCode, t.sampleMonth),
  ],
);

/** What an audit found that needs correcting in the plan: tracked on the case until it is closed. */
export const qaFindings = pgTable(
  'qa_findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => qaAudits.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => assessmentRequests.id),
    section: text('section').notNull(),
    text: text('text').notNull(),
    /** 'open' or 'closed'. */
    status: text('status').notNull().default('open'),
    closingNote: text('closing_note'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    closedBy: uuid('closed_by').references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('qa_findings_request_idx').on(t.laCode, t.requestId)],
);

/**
 * A plan's move between councils in England (SEND Regulations 2014 reg 15; reg 16 for the health commissioner): out
 * (this LA transfers the plan to `other_la_code`) or in (the plan came from `other_la_code`). Each step is also a case
 * event naming the plan. The next deadline not met is kept here for the moves list, read from its partial index.
 */
export const planMoves = pgTable(
  'plan_moves',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    laCode: laCodeColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** 'out' or 'in'. */
    direction: text('direction').notNull(),
    /** The other council's 3-digit DfE LA code (CBDS N00216): the new LA of a move out, the old LA of a move in. */
    otherLaCode: char('other_la_code', { length: 3 }).notNull(),
    /** Out: the day of the move, and the day this LA became aware of it (reg 15(2)). */
    moveDate: date('move_date', { mode: 'string' }),
    learnedDate: date('learned_date', { mode: 'string' }),
    /** Out: the move changes the health commissioner (ICB) too (reg 16), and the day the new one was told. */
    healthCommissionerChanges: boolean('health_commissioner_changes').notNull().default(false),
    healthToldDate: date('health_told_date', { mode: 'string' }),
    /** The date of the transfer (reg 15(3)): out, the day the plan was sent (null until); in, the day it came. */
    transferDate: date('transfer_date', { mode: 'string' }),
    /** In: the day the old LA made the plan, and its last review (reg 15(5)(a)). */
    planMadeDate: date('plan_made_date', { mode: 'string' }),
    lastReviewDate: date('last_review_date', { mode: 'string' }),
    /** In: reg 15(4), the family told, whether this LA will assess, and when it proposes to review. */
    parentInformedDate: date('parent_informed_date', { mode: 'string' }),
    willAssess: boolean('will_assess'),
    proposedReviewDate: date('proposed_review_date', { mode: 'string' }),
    /** 'open' while a duty of the move is not done; then 'done'. */
    status: text('status').notNull().default('open'),
    nextDuty: text('next_duty'),
    nextDue: date('next_due', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('plan_moves_plan_direction_key').on(t.planId, t.direction),
    // The moves list: open moves by their next deadline.
    index('plan_moves_next_due_idx')
      .on(t.laCode, t.nextDue, t.id)
      .where(sql`${t.status} = 'open'`),
  ],
);

import type { Database } from '../data/db.js';
import { deleteExpiredSessions, deleteSession, putSession, touchSession } from '../data/repositories/sessions.js';
import { createAdminService } from './admin.js';
import { findSessionWithUser } from '../data/repositories/users.js';
import { createAccountService } from './accounts.js';
import { createIdentityService } from './identity/index.js';
import type { Config } from '../config.js';
import { createUserService } from './users/index.js';
import { createStaffImportService } from './users/staffImport.js';
import { createFamilyLinkService } from './users/familyLinks.js';
import { createAuthService, type DEFAULT_THROTTLE, type SignedInUser, signedInUserFrom } from './auth.js';
import { createCalendarService } from './calendar.js';
import { createCaseService } from './cases.js';
import { createReviewService } from './reviews/index.js';
import { createDisagreementService } from './disagreements/index.js';
import { createPhaseTransferService } from './phaseTransfers/index.js';
import { createCeasingService } from './ceasing/index.js';
import { createReassessmentService } from './reassessments/index.js';
import { createMoveService } from './moves/index.js';
import { createWorkloadService } from './workload.js';
import { createCaseworkService } from './casework/index.js';
import { createFamilyService } from './family/index.js';
import { createFamilyPlanService } from './familyPlan/index.js';
import { createProfessionalService } from './professionals/index.js';
import { createForecastService } from './forecasts.js';
import { createForecastScenarioService } from './forecastScenarios.js';
import { createImprovementPlanService } from './improvementPlan/index.js';
import { createMeasureService } from './measures.js';
import { createMessageService } from './messages.js';
import { createQualityService } from './quality.js';
import { createSen2Service } from './sen2.js';
import { createRetentionService } from './retention.js';
import { createRequestLimitService } from './requestLimits.js';
import { DEFAULT_RETENTION_SCHEDULE, type RetentionSchedule } from '../domain/retention/schedule.js';
import { outboxSender, type EmailSender } from '../notify/sender.js';
import { type Clock, systemClock } from './clock.js';
import type { VirusScanner } from './virusScan.js';
import { auditAction } from './auditTrail.js';
import type { RequestContext } from './cases.js';
import type { WorkingDayCalendar } from '../domain/dates/workingDays.js';

/**
 * Storage for web sessions, kept in the database so they survive restarts and work across instances. Expiry is in
 * real time (the session middleware sets it from the system clock), whatever the service's business clock says.
 */
export function createSessionService(database: Database) {
  const { db } = database;
  return {
    /**
     * The session and who is signed in to it now (roles as stored at this moment), in one query: every signed-in
     * request needs both. Undefined when there is no such session or it has expired.
     */
    getWithUser: async (sid: string): Promise<{ sess: unknown; user: SignedInUser | undefined } | undefined> => {
      const found = await findSessionWithUser(db, sid);
      if (!found || found.expiresAt <= new Date()) return undefined;
      // The user acts for the LA chosen in this session (services/auth.ts signedInUserFrom).
      const laCode = (found.sess as { laCode?: unknown } | null)?.laCode;
      return { sess: found.sess, user: signedInUserFrom(found.user, typeof laCode === 'string' ? laCode : undefined) };
    },
    set: (sid: string, sess: unknown, expiresAt: Date) => putSession(db, sid, sess, expiresAt),
    touch: (sid: string, expiresAt: Date) => touchSession(db, sid, expiresAt),
    destroy: (sid: string) => deleteSession(db, sid),
    prune: () => deleteExpiredSessions(db, new Date()),
  };
}
export type SessionService = ReturnType<typeof createSessionService>;

export interface ServiceOptions {
  clock?: Clock;
  /** Working days: the live bank holiday list (default: the shipped one). */
  calendar?: WorkingDayCalendar;
  throttle?: typeof DEFAULT_THROTTLE;
  /** Where email goes: GOV.UK Notify, or (by default) the local outbox. */
  sender?: EmailSender;
  /** Scans every uploaded document (ClamAV's clamd when configured); none by default. */
  virusScanner?: VirusScanner | null;
  /** How long closed cases are kept (RETENTION_SCHEDULE): the administrator's retention page reports by it. */
  retention?: RetentionSchedule;
  /** The address people reach the service at (config BASE_URL), for emailed links. */
  baseUrl?: string;
  /** Staff sign-in with the council's OpenID Connect provider (config STAFF_OIDC_*); none by default. */
  staffOidc?: Config['staffOidc'];
  /** Parents' sign-in with GOV.UK One Login (config ONE_LOGIN_*); none by default. */
  oneLogin?: Config['oneLogin'];
}

export function createServices(database: Database, options: ServiceOptions = {}) {
  const clock = options.clock ?? systemClock;
  const calendar = createCalendarService(database, options.calendar);
  const forecasts = createForecastService(database, clock);
  const sender = options.sender ?? outboxSender;
  const baseUrl = options.baseUrl ?? 'http://localhost:3000';
  const casework = createCaseworkService(database, clock, calendar, options.virusScanner ?? null, { sender, baseUrl });
  calendar.whenAdded((date) => casework.reworkNextDuties(date));
  const accounts = createAccountService(database, clock, sender, baseUrl, options.throttle);
  const admin = createAdminService(database, clock);
  const users = createUserService(database, clock, sender, baseUrl, accounts, admin);
  return {
    clock,
    auth: createAuthService(database, clock, options.throttle),
    cases: createCaseService(database, clock, calendar),
    casework,
    /** Annual reviews of plans (CFA s.44; regs 18-22): the reviews list, a plan's review and its steps. */
    reviews: createReviewService(database, clock, calendar),
    /** Disagreements with a decision (regs 32-45): mediation, appeal and the Tribunal's order, on the clock. */
    disagreements: createDisagreementService(database, clock, calendar),
    /** Phase transfers (reg 18): the children moving phase next September and their transfers' amended plans. */
    phaseTransfers: createPhaseTransferService(database, clock),
    /** Ceasing to maintain plans (CFA s.45; regs 29-31): consultation, decision notice, appeal, the plan ended. */
    ceasing: createCeasingService(database, clock, calendar),
    /** Reassessments of plans (CFA s.44(2)-(3); regs 24-27): request, decision, advice, draft, reassessed plan. */
    reassessments: createReassessmentService(database, clock, calendar),
    moves: createMoveService(database, clock, calendar),
    /** All of a caseworker's statutory work by next deadline, the review pipeline and weighted loads (issue 28). */
    workload: createWorkloadService(database, clock),
    /** A family's part in their child's request: their page, views, documents and how they are told. */
    family: createFamilyService(database, clock, calendar, options.virusScanner ?? null),
    messages: createMessageService(database, clock, sender, baseUrl),
    /** Advice givers and schools answering what the council sent them (advice requests, consultations). */
    professionals: createProfessionalService({
      database,
      clock,
      calendar,
      scanner: options.virusScanner ?? null,
    }),
    accounts,
    identity: createIdentityService(database, clock, {
      baseUrl,
      staffOidc: options.staffOidc ?? null,
      oneLogin: options.oneLogin ?? null,
    }),
    /** Administrators manage their council's accounts; staff imported from a CSV; parents invited to link a child. */
    users,
    staffImport: createStaffImportService(database, clock, users),
    familyLinks: createFamilyLinkService(database, clock, sender, baseUrl),
    /** A family reads the draft served on them and responds to it; reads the final plan (their own child only). */
    familyPlan: createFamilyPlanService({ database, clock, calendar, scanner: options.virusScanner ?? null }),
    measures: createMeasureService(database, clock, calendar),
    forecasts,
    scenarios: createForecastScenarioService(database, clock),
    quality: createQualityService(database, clock),
    sen2: createSen2Service(database, clock),
    plan: createImprovementPlanService(database, clock, forecasts),
    calendar,
    admin,
    retention: createRetentionService(database, options.retention ?? DEFAULT_RETENTION_SCHEDULE),
    sessions: createSessionService(database),
    requestLimits: createRequestLimitService(database),
    health: { ready: () => database.ping() },
    /** A read or write of a record refused before any lookup (its id could name no record), kept in the audit log. */
    denied: (ctx: RequestContext, write: boolean, entityType: string, attemptedId: string) =>
      auditAction(database.db, ctx, write ? 'write_denied' : 'read_denied', entityType, attemptedId),
  };
}

export type Services = ReturnType<typeof createServices>;

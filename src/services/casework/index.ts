/**
 * The caseworker's journey, one use case per module (this folder), each one exported function given the service's
 * dependencies first. Every step on an existing request runs in the frame of frame.ts (permission, lock, submission
 * key, version, stage, events, next duty, audit, in one transaction); recording a request and downloading a document
 * run through services/useCase.ts directly; the reads check their permission with its `requirePermission`.
 * `createCaseworkService` binds the dependencies once, so callers call `services.casework.decideAssessment(ctx, ...)`.
 */
import type { Database } from '../../data/db.js';
import type { CalendarHolder } from '../calendar.js';
import type { Clock } from '../clock.js';
import type { VirusScanner } from '../virusScan.js';
import type { FamilyMessaging } from '../family/messages.js';
import { addAdviceToPlan } from './addAdviceToPlan.js';
import { consultSetting } from './consultSetting.js';
import { consultations } from './consultations.js';
import { decideAssessment } from './decideAssessment.js';
import { decideIssue } from './decideIssue.js';
import { downloadDocument } from './downloadDocument.js';
import { issueFinalPlan } from './issueFinalPlan.js';
import { planForCase } from './planForCase.js';
import { reassign } from './reassign.js';
import { recordAdvice } from './recordAdvice.js';
import { recordConsultationReply } from './recordConsultationReply.js';
import { recordException } from './recordException.js';
import { recordRepresentations } from './recordRepresentations.js';
import { recordRequest } from './recordRequest.js';
import { requestAdvice } from './requestAdvice.js';
import { reusableAdviceFor } from './reusableAdviceFor.js';
import { reuseAdvice } from './reuseAdvice.js';
import { reworkNextDuties } from './reworkNextDuties.js';
import { saveDraft } from './saveDraft.js';
import { serveDraft } from './serveDraft.js';
import type { CaseworkDeps } from './types.js';
import { withdraw } from './withdraw.js';
import { recordMeeting } from './recordMeeting.js';

export * from './types.js';

export function createCaseworkService(
  database: Database,
  clock: Clock,
  calendar: CalendarHolder,
  /** Every uploaded document is scanned by it, when there is one. */
  scanner: VirusScanner | null = null,
  /** Families are told at each step through it (email, and texts where they chose them). */
  family?: FamilyMessaging,
) {
  const deps: CaseworkDeps = { database, clock, calendar, scanner, ...(family ? { family } : {}) };
  /** A use case with the dependencies given, so its callers pass only the person acting and the form. */
  const bound =
    <A extends unknown[], R>(useCase: (deps: CaseworkDeps, ...args: A) => R) =>
    (...args: A): R =>
      useCase(deps, ...args);
  return {
    recordRequest: bound(recordRequest),
    decideAssessment: bound(decideAssessment),
    requestAdvice: bound(requestAdvice),
    reuseAdvice: bound(reuseAdvice),
    recordAdvice: bound(recordAdvice),
    decideIssue: bound(decideIssue),
    serveDraft: bound(serveDraft),
    issueFinalPlan: bound(issueFinalPlan),
    recordException: bound(recordException),
    withdraw: bound(withdraw),
    recordMeeting: bound(recordMeeting),
    reassign: bound(reassign),
    saveDraft: bound(saveDraft),
    addAdviceToPlan: bound(addAdviceToPlan),
    planForCase: bound(planForCase),
    consultSetting: bound(consultSetting),
    recordConsultationReply: bound(recordConsultationReply),
    recordRepresentations: bound(recordRepresentations),
    consultations: bound(consultations),
    downloadDocument: bound(downloadDocument),
    reusableAdviceFor: bound(reusableAdviceFor),
    reworkNextDuties: bound(reworkNextDuties),
  };
}

export type CaseworkService = ReturnType<typeof createCaseworkService>;

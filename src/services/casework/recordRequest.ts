import { pgErrorCode } from '../../data/db.js';
import {
  catchUpReferences,
  childExists,
  findPossibleDuplicates,
  findSubmission,
  insertChild,
  insertEvents,
  insertRequest,
  referenceTaken,
  setPrimaryNeed,
  takeReferences,
  teamOf,
} from '../../data/repositories/casework.js';
import { INITIAL_STAGE } from '../../domain/casework/stageMachine.js';
import { addDays } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { requirePermission, runUseCase } from '../useCase.js';
import { refreshNextDuty, type FieldErrors } from './frame.js';
import { CaseRuleError, type CaseworkDeps, type RecordRequestInput, type RecordRequestResult } from './types.js';

/** Step 1: a request for an EHC needs assessment, for a new child or one the LA already knows. */
export async function recordRequest(
  deps: CaseworkDeps,
  ctx: RequestContext,
  input: RecordRequestInput,
): Promise<RecordRequestResult> {
  requirePermission(ctx, 'case:write');
  const { db } = deps.database;
  const { laCode } = ctx.actor;
  const today = deps.clock.today();
  const errors: FieldErrors = [];
  if (input.receivedDate > today)
    errors.push({ field: 'receivedDate', text: 'The date received must be today or in the past' });
  if (!input.existingChildId) {
    const dob = input.child.dateOfBirth;
    if (dob > today) errors.push({ field: 'dateOfBirth', text: 'Date of birth must be in the past' });
    else if (dob > input.receivedDate) {
      errors.push({ field: 'dateOfBirth', text: 'Date of birth must be before the date the request was received' });
    } else if (addDays(dob, 26 * 366) < input.receivedDate) {
      // EHC plans cover 0 to 25 (Children and Families Act 2014 s.83(2)).
      errors.push({
        field: 'dateOfBirth',
        text: 'The child or young person must be 25 or under when the request is made',
      });
    }
  }
  if (errors.length > 0) throw new CaseRuleError(errors);

  // Asked before any number is taken: the same form sent again, and a child the LA may already know.
  const earlier = await findSubmission(db, laCode, input.submissionKey);
  if (earlier) return { saved: false, requestId: earlier, duplicate: true };
  if (!input.existingChildId && !input.confirmedNewChild) {
    const matches = await findPossibleDuplicates(db, laCode, input.child);
    if (matches.length > 0) return { saved: false, possibleDuplicates: matches };
  }
  const childPrefix = `${laCode}-`;
  const requestPrefix = `EHC-${input.receivedDate.slice(0, 4)}-`;
  // The references are taken before the save's transaction, each in one short statement, so that people recording
  // at once do not wait for each other's saves (data/repositories/casework.ts, takeReferences).
  const references = async () => ({
    child: input.existingChildId ? undefined : (await takeReferences(db, laCode, 'children', childPrefix))[0]!,
    request: (await takeReferences(db, laCode, 'requests', requestPrefix))[0]!,
  });
  const record = (reference: { child: string | undefined; request: string }) =>
    runUseCase(deps.database, ctx, 'case:write', async (frame): Promise<RecordRequestResult> => {
      const { tx } = frame;
      const earlier = await findSubmission(tx, laCode, input.submissionKey);
      if (earlier) return { saved: false, requestId: earlier, duplicate: true };
      let childId = input.existingChildId;
      if (childId) {
        if (!(await childExists(tx, laCode, childId))) throw new NotFoundError(childId);
        // A child already known: the need given with this request is the latest known.
        if (input.child.primaryNeed) await setPrimaryNeed(tx, laCode, childId, input.child.primaryNeed);
      } else {
        childId = await insertChild(tx, {
          laCode,
          reference: reference.child!,
          givenName: input.child.givenName,
          familyName: input.child.familyName,
          dateOfBirth: input.child.dateOfBirth,
          sex: input.child.sex,
          upn: input.child.upn,
          uln: input.child.uln,
          upnUnknown: input.child.upnUnknown,
          ethnicity: input.child.ethnicity,
          postcode: input.child.postcode,
          settingName: input.child.settingName,
          settingUrn: input.child.settingUrn,
          primaryNeed: input.child.primaryNeed,
        });
      }
      const requestId = await insertRequest(tx, {
        laCode,
        childId,
        reference: reference.request,
        receivedDate: input.receivedDate,
        requestSource: input.requestSource,
        caseworkerId: ctx.actor.roles.includes('caseworker') ? ctx.actor.userId : null,
        team: await teamOf(tx, laCode, ctx.actor.userId),
        stage: INITIAL_STAGE,
        open: true,
        contactName: input.contact.name,
        contactRelationship: input.contact.relationship,
        contactEmail: input.contact.email,
        contactPhone: input.contact.phone,
        contactAddress: input.contact.address,
        contactPreference: input.contact.preference,
      });
      await insertEvents(
        tx,
        { laCode, childId, requestId, actorId: ctx.actor.userId, requestVersion: 1 },
        [{ type: 'request_received', occurredOn: input.receivedDate, data: { source: input.requestSource } }],
        input.submissionKey,
      );
      await refreshNextDuty(deps, tx, laCode, requestId, true);
      await frame.audit('create', 'assessment_request', requestId, { newChild: !input.existingChildId }, childId);
      return { saved: true, requestId };
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await record(await references());
    } catch (err) {
      // The same form sent twice at once: the second's unique submission key was refused; the first was saved.
      const earlier = pgErrorCode(err) === '23505' ? await findSubmission(db, laCode, input.submissionKey) : undefined;
      if (earlier) return { saved: false, requestId: earlier, duplicate: true };
      // A reference written without the counter (an older import) was taken: the counter catches up, once.
      const series = referenceTaken(err);
      if (!series || attempt > 1) throw err;
      await catchUpReferences(db, laCode, series, series === 'children' ? childPrefix : requestPrefix);
    }
  }
}

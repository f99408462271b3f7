/**
 * A family's part in their child's request (a parent or carer, or a young person for themselves): their page in plain
 * English, their views (section A), the documents they hold, and how they want to be told. Every read and write
 * checks the permission and the scope (the child is one the person is linked to, in their LA) and is audited; a
 * request outside the scope is "not found", audited as a denied read or write, whatever the reason.
 */
import { createHash } from 'node:crypto';
import type { Database, Db } from '../../data/db.js';
import { getCase, type CaseRecord } from '../../data/repositories/cases.js';
import { insertDocument, lockRequest } from '../../data/repositories/casework.js';
import {
  caseworkerContact,
  familyAccountsForRequest,
  familyRelationship,
  getContactChoice,
  getContribution,
  insertContribution,
  insertFamilyEvent,
  listFamilyDocuments,
  setContactChoice,
  updateContribution,
} from '../../data/repositories/family.js';
import { getDocument } from '../../data/repositories/casework.js';
import type { Permission } from '../../domain/access/roles.js';
import { londonDate, type LocalDate } from '../../domain/dates/localDate.js';
import {
  familyView,
  readViews,
  VIEWS_FIELDS,
  type FamilyAudience,
  type FamilyView,
  type ViewsContent,
} from '../../domain/casework/familyView.js';
import { ukMobile } from '../../domain/contact/ukMobile.js';
import { isUuid } from '../../domain/identifiers/uuid.js';
import { auditAction } from '../auditTrail.js';
import type { CalendarHolder } from '../calendar.js';
import { caseClock, type RequestContext } from '../cases.js';
import { checkDocument } from '../casework/recordAdvice.js';
import type { UploadedFile } from '../casework/types.js';
import type { Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleFormError } from '../errors.js';
import { staleDetail } from '../staleForm.js';
import { requirePermission, runUseCase } from '../useCase.js';
import type { VirusScanner } from '../virusScan.js';

export interface FamilyViews {
  content: ViewsContent;
  /** 0 before the family first saves them. */
  version: number;
  updatedAt: Date | null;
  /** The day (in London) they were last saved. */
  updatedOn: LocalDate | null;
}

export interface FamilyDocument {
  id: string;
  filename: string;
  sizeBytes: number;
  createdAt: Date;
  /** The day (in London) it was sent. */
  sentOn: LocalDate;
  uploadedByName: string | null;
  /** The person signed in uploaded it (and so may download it). */
  mine: boolean;
}

export interface FamilyRequestPage {
  view: FamilyView;
  requestId: string;
  givenName: string;
  views: FamilyViews;
  documents: FamilyDocument[];
}

const asContent = (value: unknown): ViewsContent => {
  const out: ViewsContent = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const f of VIEWS_FIELDS) {
    const v = (value as Record<string, unknown>)[f.name];
    if (typeof v === 'string' && v) out[f.name] = v;
  }
  return out;
};

export function createFamilyService(
  database: Database,
  clock: Clock,
  calendar: CalendarHolder,
  scanner: VirusScanner | null,
) {
  const { db } = database;

  /**
   * The request, if the person may see it: their role grants `permission` (else 403), and the child is one they are
   * linked to in their LA (else not found, audited as denied).
   */
  async function ownRequest(
    on: Db,
    ctx: RequestContext,
    requestId: string,
    permission: Permission,
  ): Promise<CaseRecord> {
    requirePermission(ctx, permission);
    const record = isUuid(requestId) ? await getCase(on, ctx.actor.laCode, requestId) : undefined;
    if (!record || !ctx.actor.childIds.includes(record.child.id)) {
      const write = permission === 'family:contribute';
      // Written outside any transaction the refusal rolls back, so the attempt stays on record.
      await auditAction(db, ctx, write ? 'write_denied' : 'read_denied', 'assessment_request', requestId.slice(0, 64));
      throw new NotFoundError(requestId, true);
    }
    return record;
  }

  async function audience(on: Db, ctx: RequestContext, childId: string): Promise<FamilyAudience> {
    const relationship = await familyRelationship(on, ctx.actor.laCode, ctx.actor.userId, childId);
    return relationship === 'young_person' ? 'young_person' : 'parent';
  }

  async function viewsOf(on: Db, laCode: string, requestId: string): Promise<FamilyViews> {
    const row = await getContribution(on, laCode, requestId, 'views');
    return row
      ? {
          content: asContent(row.content),
          version: row.version,
          updatedAt: row.updatedAt,
          updatedOn: londonDate(row.updatedAt),
        }
      : { content: {}, version: 0, updatedAt: null, updatedOn: null };
  }

  async function documentsOf(on: Db, ctx: RequestContext, requestId: string): Promise<FamilyDocument[]> {
    const rows = await listFamilyDocuments(on, ctx.actor.laCode, requestId);
    return rows.map((r) => ({
      id: r.id,
      filename: r.filename,
      sizeBytes: r.sizeBytes,
      createdAt: r.createdAt,
      sentOn: londonDate(r.createdAt),
      uploadedByName: r.uploadedByName,
      mine: r.uploadedBy === ctx.actor.userId,
    }));
  }

  /** The family's page for one request: where it is, what is next and by when, who to contact, what happened. */
  async function requestPage(ctx: RequestContext, requestId: string): Promise<FamilyRequestPage> {
    const record = await ownRequest(db, ctx, requestId, 'case:read_own_child');
    const laCode = ctx.actor.laCode;
    const [who, caseworker, views, documents] = await Promise.all([
      audience(db, ctx, record.child.id),
      caseworkerContact(db, laCode, record.request.id),
      viewsOf(db, laCode, record.request.id),
      documentsOf(db, ctx, record.request.id),
    ]);
    const today = clock.today();
    const clockNow = caseClock(record, today, calendar.current());
    const view = familyView(
      {
        audience: who,
        givenName: record.child.givenName,
        reference: record.request.reference,
        stage: record.request.stage,
        open: record.request.open,
        duties: clockNow.duties,
        draftCommentWindowEnds: clockNow.draftCommentWindowEnds as LocalDate | null,
        adviceTypes: Object.fromEntries(record.advice.map((a) => [a.id, a.adviceType])),
        caseworker: caseworker ?? null,
        events: record.events,
        draftServed: record.request.draftServedDate !== null,
        finalIssued: record.request.finalIssuedDate !== null,
        viewsGivenOn: views.updatedOn,
      },
      today,
    );
    await auditAction(db, ctx, 'read', 'family_request', record.request.id, {}, record.child.id);
    return { view, requestId: record.request.id, givenName: record.child.givenName, views, documents };
  }

  /** The views form: what the family saved, and whether they may still change it. */
  async function viewsForm(ctx: RequestContext, requestId: string) {
    const record = await ownRequest(db, ctx, requestId, 'case:read_own_child');
    const [who, views] = await Promise.all([
      audience(db, ctx, record.child.id),
      viewsOf(db, ctx.actor.laCode, record.request.id),
    ]);
    await auditAction(db, ctx, 'read', 'family_views', record.request.id, {}, record.child.id);
    return {
      requestId: record.request.id,
      givenName: record.child.givenName,
      audience: who,
      views,
      heading: who === 'young_person' ? 'Your views' : `${record.child.givenName}’s views and yours`,
      intro: `This is for the first part of the plan (section A): ${
        who === 'young_person'
          ? 'your views, interests and hopes'
          : 'the views, interests and hopes of your child and your family'
      }, in your own words. Your caseworker sees it as soon as you save it. You can change it until the council sends you the draft plan.`,
      editable: record.request.open && record.request.draftServedDate === null,
      /** Why they cannot be changed any more, when they cannot. */
      closedReason: !record.request.open
        ? 'This request is closed, so these views can no longer be changed.'
        : record.request.draftServedDate !== null
          ? 'The draft plan has been sent to you, so views can no longer be given or changed here. To say what you think now, comment on the draft plan.'
          : null,
      /** The draft is with them to comment on (the page links to it). */
      draftToComment:
        record.request.open && record.request.stage === 'draft_with_family' && record.request.finalIssuedDate === null,
      /** They saved views before the draft was sent (the page shows them, read only). */
      given: views.version > 0,
    };
  }

  /**
   * Saves the family's views over the version their form was opened at (0: none saved yet). Refused once the draft
   * plan is served (the family comments on the draft then) or the request is closed; a stale form is refused with
   * what changed. A case event says they gave or changed their views, without the text.
   */
  async function saveViews(
    ctx: RequestContext,
    requestId: string,
    version: number,
    input: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    await ownRequest(db, ctx, requestId, 'family:contribute');
    await runUseCase(database, ctx, 'family:contribute', async (frame) => {
      const { tx, laCode } = frame;
      const locked = await lockRequest(tx, laCode, requestId);
      if (!locked || !ctx.actor.childIds.includes(locked.childId)) throw new NotFoundError(requestId);
      const record = await getCase(tx, laCode, requestId);
      if (!record) throw new NotFoundError(requestId);
      if (!record.request.open || record.request.draftServedDate !== null) {
        throw new RuleError([
          {
            field: '',
            text: record.request.open
              ? 'The draft plan has been sent to you, so these views can no longer be changed: comment on the draft plan instead'
              : 'This request is closed, so these views can no longer be changed',
          },
        ]);
      }
      const who = await audience(tx, ctx, locked.childId);
      const { content, errors } = readViews(input, who);
      if (errors.length) throw new RuleError(errors);
      const existing = await getContribution(tx, laCode, requestId, 'views');
      const savedVersion = existing?.version ?? 0;
      if (savedVersion !== version) {
        const saved = asContent(existing?.content);
        const label = (f: (typeof VIEWS_FIELDS)[number]) => (who === 'young_person' ? f.youngPerson : f.parent);
        const detail = await staleDetail(
          tx,
          laCode,
          { type: 'family_views', id: requestId, version: savedVersion },
          Object.fromEntries(VIEWS_FIELDS.map((f) => [label(f), saved[f.name] ?? null])),
          Object.fromEntries(VIEWS_FIELDS.map((f) => [label(f), content[f.name] ?? null])),
        );
        throw new StaleFormError(detail);
      }
      if (existing) {
        const updated = await updateContribution(
          tx,
          laCode,
          existing.id,
          version,
          content,
          ctx.actor.userId,
          clock.now(),
        );
        if (!updated) throw new StaleFormError();
      } else {
        await insertContribution(tx, {
          laCode,
          childId: locked.childId,
          requestId,
          kind: 'views',
          content,
          updatedBy: ctx.actor.userId,
          updatedAt: clock.now(),
        });
      }
      await insertFamilyEvent(tx, {
        laCode,
        childId: locked.childId,
        requestId,
        actorId: ctx.actor.userId,
        type: 'family_views',
        occurredOn: clock.today(),
        data: { changed: existing !== undefined },
      });
      await frame.audit('write', 'family_views', requestId, { fields: Object.keys(content) }, locked.childId);
    });
  }

  /** The documents page: the family's documents on the request. */
  async function documentsPage(ctx: RequestContext, requestId: string) {
    const record = await ownRequest(db, ctx, requestId, 'case:read_own_child');
    const documents = await documentsOf(db, ctx, record.request.id);
    await auditAction(db, ctx, 'list', 'family_documents', record.request.id, {}, record.child.id);
    return {
      requestId: record.request.id,
      givenName: record.child.givenName,
      audience: await audience(db, ctx, record.child.id),
      documents,
      open: record.request.open,
    };
  }

  /** A document the family holds, checked as every upload is (services/documents.ts), kept as from the family. */
  async function uploadDocument(ctx: RequestContext, requestId: string, file: UploadedFile | null): Promise<void> {
    await ownRequest(db, ctx, requestId, 'family:contribute');
    if (!file) throw new RuleError([{ field: 'document', text: 'Select a file to upload' }]);
    const checked = await checkDocument(file, 'document', scanner);
    await runUseCase(database, ctx, 'family:contribute', async (frame) => {
      const { tx, laCode } = frame;
      const locked = await lockRequest(tx, laCode, requestId);
      if (!locked || !ctx.actor.childIds.includes(locked.childId)) throw new NotFoundError(requestId);
      if (!locked.open) throw new RuleError([{ field: 'document', text: 'This request is closed' }]);
      const documentId = await insertDocument(tx, {
        laCode,
        childId: locked.childId,
        requestId,
        filename: checked.filename,
        mediaType: checked.mediaType,
        sizeBytes: checked.content.length,
        sha256: createHash('sha256').update(checked.content).digest('hex'),
        content: checked.content,
        uploadedBy: ctx.actor.userId,
        source: 'family',
        createdAt: clock.now(),
      });
      await insertFamilyEvent(tx, {
        laCode,
        childId: locked.childId,
        requestId,
        actorId: ctx.actor.userId,
        type: 'family_document',
        occurredOn: clock.today(),
        data: { documentId },
      });
      await frame.audit('write', 'document', documentId, { source: 'family', requestId }, locked.childId);
    });
  }

  /** A document the person uploaded themselves on this request; anything else is not found (and audited so). */
  async function downloadDocument(ctx: RequestContext, requestId: string, documentId: string) {
    const record = await ownRequest(db, ctx, requestId, 'case:read_own_child');
    const doc = isUuid(documentId) ? await getDocument(db, ctx.actor.laCode, documentId) : undefined;
    const mine =
      doc &&
      doc.requestId === record.request.id &&
      (await documentsOf(db, ctx, record.request.id)).some((d) => d.id === doc.id && d.mine);
    if (!doc || !mine) {
      await auditAction(db, ctx, 'read_denied', 'document', documentId.slice(0, 64));
      throw new NotFoundError(documentId, true);
    }
    await auditAction(db, ctx, 'read', 'document', doc.id, {}, record.child.id);
    return doc;
  }

  /**
   * For the staff case page: the family's views and the documents they sent, and the family accounts linked to the
   * child. The case read itself is audited by
   * viewCase; this needs the same permission.
   */
  async function forStaff(ctx: RequestContext, requestId: string) {
    requirePermission(ctx, 'case:read_any');
    const [views, documents, accounts] = await Promise.all([
      viewsOf(db, ctx.actor.laCode, requestId),
      listFamilyDocuments(db, ctx.actor.laCode, requestId),
      familyAccountsForRequest(db, ctx.actor.laCode, requestId),
    ]);
    return {
      /** Family members with an account linked to the child: who they are, how to reach them, what they sent. */
      accounts,
      views: views.version > 0 ? views : null,
      fields: VIEWS_FIELDS.map((f) => ({ name: f.name, label: f.parent })),
      documents: documents.map((d) => ({ id: d.id, filename: d.filename, sentOn: londonDate(d.createdAt) })),
    };
  }

  /** How the person wants to be told about their child's request. */
  async function contactChoice(ctx: RequestContext) {
    requirePermission(ctx, 'family:contribute');
    const found = await getContactChoice(db, ctx.actor.userId);
    await auditAction(db, ctx, 'read', 'contact_choice', ctx.actor.userId);
    return { email: found?.email ?? '', phone: found?.phone ?? null, smsOptIn: found?.smsOptIn ?? false };
  }

  /** Text messages as well as email (with a UK mobile number), or email only. */
  async function saveContactChoice(ctx: RequestContext, input: { sms: unknown; phone: unknown }): Promise<void> {
    requirePermission(ctx, 'family:contribute');
    const sms = input.sms === 'yes' ? true : input.sms === 'no' ? false : null;
    if (sms === null) throw new RuleError([{ field: 'sms', text: 'Select yes if you want text messages as well' }]);
    let phone: string | null = null;
    if (sms) {
      const typed = typeof input.phone === 'string' ? input.phone.trim() : '';
      if (!typed) throw new RuleError([{ field: 'phone', text: 'Enter a UK mobile number' }]);
      phone = ukMobile(typed);
      if (!phone) {
        throw new RuleError([
          { field: 'phone', text: 'Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982' },
        ]);
      }
    }
    await runUseCase(database, ctx, 'family:contribute', async (frame) => {
      await setContactChoice(frame.tx, ctx.actor.userId, { phone, smsOptIn: sms });
      await frame.audit('write', 'contact_choice', ctx.actor.userId, { smsOptIn: sms });
    });
  }

  return {
    requestPage,
    viewsForm,
    saveViews,
    documentsPage,
    uploadDocument,
    downloadDocument,
    forStaff,
    contactChoice,
    saveContactChoice,
  };
}

export type FamilyService = ReturnType<typeof createFamilyService>;

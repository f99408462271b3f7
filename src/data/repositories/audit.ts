import { isUuid } from '../../domain/identifiers/uuid.js';
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { prepared, queryRows, type Db } from '../db.js';
import { assessmentRequests, auditLog, children, users } from '../schema.js';

export interface AuditEntry {
  userId: string | null;
  laCode: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  childId?: string | null;
  requestId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export async function appendAudit(db: Db, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const rows = list.map((e) => ({
    userId: e.userId,
    laCode: e.laCode,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId == null ? null : storableId(e.entityId),
    childId: e.childId ?? null,
    requestId: e.requestId ?? null,
    ip: e.ip ?? null,
    detail: e.detail ?? {},
  }));
  // One record (every page that shows a child's data writes one) goes through a statement built once.
  if (rows.length === 1) await prepared(db, 'audit_append_one', () => appendOne(db)).execute(rows[0]);
  else await db.insert(auditLog).values(rows);
}

/**
 * An id as someone sent it (it may name nothing, or be hostile) in a form PostgreSQL stores: control characters,
 * which it refuses in text (NUL), written as \u escapes; at most 64 characters. So a denied attempt is always recorded.
 */
export function storableId(id: string): string {
  return (
    id
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .slice(0, 64)
  );
}

const p = (name: keyof AuditEntry) => sql.placeholder(name);

function appendOne(db: Db) {
  return db
    .insert(auditLog)
    .values({
      userId: p('userId'),
      laCode: p('laCode'),
      action: p('action'),
      entityType: p('entityType'),
      entityId: p('entityId'),
      childId: p('childId'),
      requestId: p('requestId'),
      ip: p('ip'),
      detail: p('detail'),
    })
    .prepare('audit_append_one');
}

export interface AuditListFilter {
  laCode: string;
  childId?: string | undefined;
  userId?: string | undefined;
  limit: number;
  offset: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  userId: string | null;
  userName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  childId: string | null;
  /** The child's reference, what an administrator knows the child by. */
  childReference: string | null;
  ip: string | null;
}

export async function listAudit(db: Db, filter: AuditListFilter): Promise<{ rows: AuditRow[]; total: number }> {
  const conditions: SQL[] = [eq(auditLog.laCode, filter.laCode)];
  if (filter.childId) conditions.push(eq(auditLog.childId, filter.childId));
  if (filter.userId) conditions.push(eq(auditLog.userId, filter.userId));
  const where = and(...conditions);
  const [rows, count] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        userId: auditLog.userId,
        userName: users.displayName,
        action: auditLog.action,
        entityType: auditLog.entityType,
        entityId: auditLog.entityId,
        childId: auditLog.childId,
        childReference: children.reference,
        ip: auditLog.ip,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.userId))
      .leftJoin(children, and(eq(children.id, auditLog.childId), eq(children.laCode, auditLog.laCode)))
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(where),
  ]);
  return { rows, total: count[0]?.n ?? 0 };
}

/**
 * The child an administrator names to filter the audit log, in their own LA only: by the child's reference, by the
 * reference of one of the child's requests (the one a case page shows above the child's name), or by the record
 * identifier the log's own links use. References are matched as typed, or in capitals (as the demo county's are).
 */
export async function findChildForAudit(
  db: Db,
  laCode: string,
  key: string,
): Promise<{ id: string; reference: string } | undefined> {
  const spellings = [...new Set([key, key.toUpperCase()])];
  const byChild = or(
    inArray(children.reference, spellings),
    isUuid(key) ? eq(children.id, key.toLowerCase()) : undefined,
  );
  const [child] = await db
    .select({ id: children.id, reference: children.reference })
    .from(children)
    .where(and(eq(children.laCode, laCode), byChild))
    .limit(1);
  if (child) return child;
  const [viaRequest] = await db
    .select({ id: children.id, reference: children.reference })
    .from(assessmentRequests)
    .innerJoin(children, eq(children.id, assessmentRequests.childId))
    .where(
      and(
        eq(assessmentRequests.laCode, laCode),
        eq(children.laCode, laCode),
        inArray(assessmentRequests.reference, spellings),
      ),
    )
    .limit(1);
  return viaRequest;
}

/** The last write (not a read) recorded against a record: who and when, shown to someone whose form went stale. */
export async function lastWrite(
  db: Db,
  laCode: string,
  entityType: string,
  entityId: string,
): Promise<{ name: string | null; at: Date } | null> {
  const rows = await db
    .select({ name: users.displayName, at: auditLog.at })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(
      and(
        eq(auditLog.laCode, laCode),
        eq(auditLog.entityType, entityType),
        eq(auditLog.entityId, entityId),
        inArray(auditLog.action, ['create', 'update', 'submit']),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1);
  return rows[0] ?? null;
}

/** An audit row as the chain hashes it: every field as text, read as the canonical serialisation needs it. */
export interface ChainedAuditRow {
  id: string;
  chainSeq: string | null;
  /** UTC, to the microsecond: YYYY-MM-DDTHH:MM:SS.ffffffZ. */
  at: string;
  userId: string | null;
  laCode: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  childId: string | null;
  requestId: string | null;
  ip: string | null;
  /** The detail as PostgreSQL writes jsonb out (its own canonical form). */
  detail: string;
  prevHash: string | null;
  rowHash: string | null;
}

const chainColumns = sql`id::text as "id", chain_seq::text as "chainSeq",
  to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "at", user_id::text as "userId",
  la_code::text as "laCode", action, entity_type as "entityType", entity_id as "entityId", child_id::text as "childId",
  request_id as "requestId", ip, detail::text as "detail", prev_hash as "prevHash", row_hash as "rowHash"`;

/** The next rows of the chain after (chainSeq, id), in chain order. */
export function readChain(db: Db, after: { seq: number; id: number }, limit: number): Promise<ChainedAuditRow[]> {
  return queryRows<ChainedAuditRow>(
    db,
    sql`select ${chainColumns} from audit_log
        where chain_seq is not null and (chain_seq, id) > (${after.seq}, ${after.id})
        order by audit_log.chain_seq, audit_log.id limit ${limit}`,
  );
}

/** The first row that has no place in the chain (written while the chain's trigger was disabled), if any. */
export async function firstUnchainedRow(db: Db): Promise<ChainedAuditRow | undefined> {
  const [row] = await queryRows<ChainedAuditRow>(
    db,
    sql`select ${chainColumns} from audit_log where chain_seq is null order by audit_log.id limit 1`,
  );
  return row;
}

/** The chain's head: the last position given and its hash (undefined if the head row is missing). */
export async function readChainHead(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await queryRows<{ seq: string; hash: string }>(db, sql`select seq::text, hash from audit_chain_head`);
  return head && { seq: Number(head.seq), hash: head.hash };
}

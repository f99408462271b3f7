/**
 * The daily chaser run: for every outstanding advice request, the chaser that has fallen due (domain/casework/
 * chasers.ts), and for every consultation a school has not answered in its 15 days, a chaser to the school; each
 * recorded once and sent. Safe to run as often as wanted: a message is recorded under a unique key
 * before it is sent, so a second run, or two instances running at once, send nothing twice.
 */
import type { Logger } from 'pino';
import type { Database } from '../data/db.js';
import {
  consultationChasedRecipients,
  insertNotification,
  outstandingAdvice,
  outstandingConsultations,
  schoolUsers,
  sentChaserKinds,
  type NewNotification,
} from '../data/repositories/notifications.js';
import {
  chaserFor,
  consultationChaserFor,
  consultationChaserRecipients,
  type ChaserKind,
} from '../domain/casework/chasers.js';
import { ADVICE_TYPE_NAMES } from '../domain/casework/stages.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { EmailSender } from '../notify/sender.js';
import { deliverNotification, type RetrySummary } from '../services/delivery.js';
import type { JobDefinition } from './runner.js';

export interface ChaserRunSummary {
  recorded: number;
  sent: number;
  failed: number;
  noRecipient: number;
}

export async function runChasers(
  database: Database,
  today: LocalDate,
  sender: EmailSender,
  laCode?: string,
  /** The address people reach the service at (BASE_URL): each chaser links to the request in the work list. */
  baseUrl?: string,
): Promise<ChaserRunSummary> {
  const { db } = database;
  const summary: ChaserRunSummary = { recorded: 0, sent: 0, failed: 0, noRecipient: 0 };
  /** Records a message once (by its key) and sends it; nothing when it was recorded before. */
  async function record(n: NewNotification) {
    const id = await insertNotification(db, n);
    if (!id) return;
    summary.recorded += 1;
    if (!n.toEmail) {
      summary.noRecipient += 1;
      return;
    }
    // A failure Notify may get past is tried again by the message-retries job (services/delivery.ts).
    const outcome = await deliverNotification(db, sender, id);
    if (outcome === 'failed' || outcome === 'retrying') summary.failed += 1;
    else if (outcome !== 'not_claimed') summary.sent += 1;
  }
  const advice = await outstandingAdvice(db, laCode);
  const sent = await sentChaserKinds(
    db,
    advice.map((a) => a.adviceId),
  );
  for (const a of advice) {
    const chaser = chaserFor(
      {
        adviceId: a.adviceId,
        adviceType: a.adviceType,
        adviceTypeName: ADVICE_TYPE_NAMES[a.adviceType as keyof typeof ADVICE_TYPE_NAMES] ?? 'Requested',
        provider: a.provider,
        requestedDate: a.requestedDate as LocalDate,
        childReference: a.childReference,
        requestReference: a.requestReference,
        link: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/advice/${a.adviceId}` : null,
      },
      today,
      (sent.get(a.adviceId) ?? []) as ChaserKind[],
    );
    if (!chaser) continue;
    // Escalations go to the service manager (the DCO for health); without a contact, to the caseworker.
    const direct = chaser.kind === 'escalation' ? a.escalationEmail : a.providerEmail;
    const to = direct ?? a.caseworkerEmail ?? null;
    await record({
      laCode: a.laCode,
      dedupeKey: chaser.key,
      kind: chaser.kind,
      requestId: a.requestId,
      adviceRequestId: a.adviceId,
      toEmail: to,
      toRole: direct ? (chaser.kind === 'escalation' ? 'escalation' : 'provider') : 'caseworker',
      subject: chaser.subject,
      body: chaser.body,
      status: to ? 'pending' : 'no_recipient',
      dueOn: chaser.due,
    });
  }
  // Schools that have not answered a consultation within 15 days: each school user of the setting's URN, once
  // (without one, the caseworker).
  for (const c of await outstandingConsultations(db, laCode)) {
    const chaser = consultationChaserFor(
      {
        consultationId: c.consultationId,
        settingName: c.settingName,
        sentDate: c.sentDate as LocalDate,
        childReference: c.childReference,
        requestReference: c.requestReference,
        link: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/consultations/${c.consultationId}` : null,
      },
      today,
      false,
    );
    if (!chaser) continue;
    // The school's users as they are now: one added since the first chaser is chased too.
    const recipients = consultationChaserRecipients(
      await schoolUsers(db, c.laCode, c.settingUrn!),
      c.caseworkerEmail,
      await consultationChasedRecipients(db, c.laCode, c.consultationId),
    );
    for (const r of recipients) {
      await record({
        laCode: c.laCode,
        dedupeKey: `${chaser.key}:${r.key}`,
        kind: 'consultation_overdue',
        requestId: c.requestId,
        adviceRequestId: null,
        toEmail: r.email,
        toRole: r.role,
        subject: chaser.subject,
        body: chaser.body,
        status: r.email ? 'pending' : 'no_recipient',
        dueOn: chaser.due,
      });
    }
  }
  return summary;
}

export const CHASERS_JOB = 'advice-chasers';

/**
 * The chaser job: hourly (src/jobs/index.ts), so a day missed while the service was down is caught up within the hour.
 * Retried three times, a minute apart and then longer: a message already recorded is not recorded or sent again.
 */
export function chasersJob(run: () => Promise<ChaserRunSummary>, logger: Logger): JobDefinition {
  return {
    name: CHASERS_JOB,
    queue: { policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
    async run() {
      const summary = await run();
      if (summary.recorded > 0) logger.info(summary, 'advice chasers recorded');
      return summary;
    },
  };
}

export const MESSAGE_RETRIES_JOB = 'message-retries';

/**
 * The retry job: every 5 minutes (src/jobs/index.ts), the messages Notify could not take yet whose next try is due
 * (services/delivery.ts). Two runs at once send nothing twice: each message is claimed by one.
 */
export function messageRetriesJob(run: () => Promise<RetrySummary>, logger: Logger): JobDefinition {
  return {
    name: MESSAGE_RETRIES_JOB,
    queue: { policy: 'stately', retryLimit: 1, retryDelay: 60, retryBackoff: false, expireInSeconds: 10 * 60 },
    async run() {
      const summary = await run();
      if (summary.tried > 0 || summary.interrupted > 0) logger.info(summary, 'messages tried again');
      return summary;
    },
  };
}

/**
 * The daily chaser run: for every outstanding advice request, the chaser that has fallen due (domain/casework/
 * chasers.ts), recorded once and sent. Safe to run as often as wanted: a message is recorded under a unique key
 * before it is sent, so a second run, or two instances running at once, send nothing twice.
 */
import type { Logger } from 'pino';
import type { Database } from '../data/db.js';
import {
  failedNotifications,
  insertNotification,
  outstandingAdvice,
  sentChaserKinds,
  setNotificationStatus,
} from '../data/repositories/notifications.js';
import { chaserFor, type ChaserKind } from '../domain/casework/chasers.js';
import { ADVICE_TYPE_NAMES } from '../domain/casework/stages.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { EmailSender } from '../notify/sender.js';
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
  const failedNow = new Set<string>();
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
    const to = (chaser.kind === 'escalation' ? a.escalationEmail : a.providerEmail) ?? a.caseworkerEmail ?? null;
    const id = await insertNotification(db, {
      laCode: a.laCode,
      dedupeKey: chaser.key,
      kind: chaser.kind,
      requestId: a.requestId,
      adviceRequestId: a.adviceId,
      toEmail: to,
      subject: chaser.subject,
      body: chaser.body,
      status: to ? 'pending' : 'no_recipient',
      dueOn: chaser.due,
    });
    if (!id) continue;
    summary.recorded += 1;
    if (!to) {
      summary.noRecipient += 1;
      continue;
    }
    const result = await sender.send({ to, subject: chaser.subject, body: chaser.body, reference: id });
    await setNotificationStatus(db, id, {
      status: result.status,
      notifyId: result.status === 'sent' ? result.notifyId : null,
      error: result.status === 'failed' ? result.error : null,
    });
    if (result.status === 'failed') {
      summary.failed += 1;
      failedNow.add(id);
    } else summary.sent += 1;
  }
  // Try again the messages Notify could not take on an earlier run.
  if (sender.name === 'notify') {
    for (const n of await failedNotifications(db)) {
      if (!n.toEmail || failedNow.has(n.id)) continue;
      const result = await sender.send({ to: n.toEmail, subject: n.subject, body: n.body, reference: n.id });
      if (result.status === 'sent')
        await setNotificationStatus(db, n.id, { status: 'sent', notifyId: result.notifyId });
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

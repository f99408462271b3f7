/**
 * The daily chaser run: for every outstanding advice request, the chaser that has fallen due (domain/casework/
 * chasers.ts), and for every consultation a school has not answered in its 15 days, a chaser to the school; each
 * recorded once and sent. Safe to run as often as wanted: a message is recorded under a unique key
 * before it is sent, so a second run, or two instances running at once, send nothing twice.
 */
import type { Logger } from 'pino';
import type { Database } from '../data/db.js';
import {
  consultationChased,
  failedNotifications,
  insertNotification,
  outstandingAdvice,
  outstandingConsultations,
  schoolUsers,
  sentChaserKinds,
  setNotificationStatus,
  type NewNotification,
} from '../data/repositories/notifications.js';
import { chaserFor, consultationChaserFor, type ChaserKind } from '../domain/casework/chasers.js';
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
  /** Records a message once (by its key) and sends it; nothing when it was recorded before. */
  async function record(n: NewNotification) {
    const id = await insertNotification(db, n);
    if (!id) return;
    summary.recorded += 1;
    if (!n.toEmail) {
      summary.noRecipient += 1;
      return;
    }
    const result = await sender.send({ to: n.toEmail, subject: n.subject, body: n.body, reference: id });
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
    await record({
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
      await consultationChased(db, c.laCode, c.consultationId),
    );
    if (!chaser) continue;
    const school = await schoolUsers(db, c.laCode, c.settingUrn!);
    const recipients = school.length
      ? school.map((u) => ({ key: u.id, email: u.email }))
      : [{ key: 'caseworker', email: c.caseworkerEmail }];
    for (const r of recipients) {
      await record({
        laCode: c.laCode,
        dedupeKey: `${chaser.key}:${r.key}`,
        kind: 'consultation_overdue',
        requestId: c.requestId,
        adviceRequestId: null,
        toEmail: r.email,
        subject: chaser.subject,
        body: chaser.body,
        status: r.email ? 'pending' : 'no_recipient',
        dueOn: chaser.due,
      });
    }
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

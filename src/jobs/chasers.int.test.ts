/**
 * The chaser run against a real database with a controllable clock: each chaser is recorded and sent exactly once
 * per due date, however often and however concurrently the job runs; failed sends are retried; the outbox page
 * shows the messages to the LA's staff only.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, testApp } from '../../test/app.js';
import { setUpIntegration } from '../../test/integration.js';
import { pageText } from '../../test/pages.js';
import { addProfessional } from '../../test/professionals.js';
import type { Fixture } from '../../test/fixtures.js';
import type { Database } from '../data/db.js';
import { adviceRequests, notifications, settingConsultations } from '../data/schema.js';
import { addDays, formatLongDate, localDate, londonDate } from '../domain/dates/localDate.js';
import type { EmailSender, OutgoingEmail } from '../notify/sender.js';
import { outboxSender } from '../notify/sender.js';
import { retryDueMessages } from '../services/delivery.js';
import { runChasers } from './chasers.js';

let database: Database;
let fixture: Fixture;

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
  // Ada's educational psychology advice: requested 24 Feb 2025, due 7 Apr. Give the provider and manager addresses.
  await database.db
    .update(adviceRequests)
    .set({ providerEmail: 'ep@example.org', escalationEmail: 'ep-manager@example.org' })
    .where(eq(adviceRequests.requestId, fixture.cases.ada!.requestId));
});
afterAll(async () => {
  await database.close();
});

/** A stand-in for GOV.UK Notify that records what it was given and can be told to fail. */
function fakeNotify(failFirst = 0): EmailSender & { sent: OutgoingEmail[] } {
  let failures = failFirst;
  const sent: OutgoingEmail[] = [];
  return {
    name: 'notify',
    sent,
    send(email) {
      if (failures > 0) {
        failures -= 1;
        return Promise.resolve({
          status: 'failed',
          error: 'Error: Request failed with status code 503',
          temporary: true,
        });
      }
      sent.push(email);
      return Promise.resolve({ status: 'sent', notifyId: `n-${sent.length}` });
    },
  };
}

describe('advice chasers', () => {
  it('sends the reminder, the overdue notice and the escalation once each, to the right people, day by day', async () => {
    const notify = fakeNotify();
    for (let day = localDate('2025-03-25'); day <= '2025-05-01'; day = addDays(day, 1)) {
      // Two instances running at the same moment, twice a day.
      await Promise.all([runChasers(database, day, notify, '999'), runChasers(database, day, notify, '999')]);
      await runChasers(database, day, notify, '999');
    }
    const ada = notify.sent.filter((m) => m.subject.includes('C-ada'));
    expect(ada.map((m) => [m.to, m.subject])).toEqual([
      ['ep@example.org', 'Reminder: advice due 7 April 2025 for child C-ada'],
      ['ep@example.org', 'Overdue: advice for child C-ada'],
      ['ep-manager@example.org', 'Escalation: advice for child C-ada is 2 weeks overdue'],
    ]);
    // Never the child's name in an email.
    for (const m of notify.sent) expect(`${m.subject} ${m.body}`).not.toMatch(/Ada|Abbott/);
    const rows = await database.db.select().from(notifications).where(eq(notifications.laCode, '999'));
    const keys = rows.map((r) => r.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(notify.sent.length);
  });

  it('keeps a message Notify could not take and sends it when the retry job next runs', async () => {
    await database.db.delete(notifications);
    const notify = fakeNotify(1);
    const first = await runChasers(database, localDate('2025-03-31'), notify, '999', 'https://ehc.example.gov.uk/');
    expect(first.failed).toBe(1);
    const failed = await database.db.select().from(notifications).where(eq(notifications.status, 'retrying'));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toContain('503');
    await runChasers(database, localDate('2025-03-31'), notify, '999', 'https://ehc.example.gov.uk/');
    expect(notify.sent.filter((m) => m.reference === failed[0]!.id)).toHaveLength(0);
    await retryDueMessages(database.db, notify, failed[0]!.nextAttemptAt!);
    // Each chaser links straight to the request in the provider's work list.
    for (const m of notify.sent)
      expect(m.body).toMatch(/give the advice online: https:\/\/ehc\.example\.gov\.uk\/advice\/[0-9a-f-]{36}$/);
    expect(notify.sent.length).toBeGreaterThan(0);
    const after = await database.db.select().from(notifications).where(eq(notifications.id, failed[0]!.id));
    expect(after[0]!.status).toBe('sent');
    expect(notify.sent.filter((m) => m.reference === failed[0]!.id)).toHaveLength(1);
  });

  it('shows the outbox to the LA’s staff, without Notify configured', async () => {
    await database.db.delete(notifications);
    const summary = await runChasers(database, localDate('2025-04-08'), outboxSender, '999');
    expect(summary.recorded).toBeGreaterThan(0);
    const { app } = testApp(database);
    const manager = await signedIn(app, fixture.users.manager!.email);
    const page = await manager.get('/messages').expect(200);
    expect(page.text).toContain('Overdue: advice for child C-ada');
    expect(page.text).toContain('GOV.UK Notify is not set up');
    const other = await signedIn(app, fixture.users.othercaseworker!.email);
    const theirs = await other.get('/messages').expect(200);
    expect(theirs.text).not.toContain('C-ada');
    const board = await signedIn(app, fixture.users.board!.email);
    await board.get('/messages').expect(403);
  });
});

describe('consultation chasers', () => {
  it('chases the school users of the URN once, the day after the 15 days end, and the caseworker sees it', async () => {
    await database.db.delete(notifications);
    const school = await addProfessional(database, 'head', '999', 'school', { settingUrn: '123456' });
    const bulk3 = fixture.cases.bulk3!;
    // Sent on 1 April 2025: the reply is due within 15 days (SEND Code of Practice 9.83), by 16 April.
    const [consultation] = await database.db
      .insert(settingConsultations)
      .values({
        laCode: '999',
        requestId: bulk3.requestId,
        settingName: 'Hill Primary',
        settingUrn: '123456',
        sentDate: '2025-04-01',
      })
      .returning({ id: settingConsultations.id });
    const notify = fakeNotify();
    const chased = (m: OutgoingEmail) => m.subject.includes('consultation');
    for (let day = localDate('2025-04-10'); day <= '2025-04-30'; day = addDays(day, 1)) {
      await Promise.all([
        runChasers(database, day, notify, '999', 'https://ehc.example.gov.uk'),
        runChasers(database, day, notify, '999', 'https://ehc.example.gov.uk'),
      ]);
      // Nothing while the 15 days run, the due date (16 April) included.
      if (day <= '2025-04-16') expect(notify.sent.filter(chased), day).toEqual([]);
    }
    const sent = notify.sent.filter(chased);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      [school.email, 'Overdue: your reply to a consultation for child C-bulk3'],
    ]);
    expect(sent[0]!.body).toContain('The reply was due by 16 April 2025, within 15 days (SEND Code of Practice 9.83)');
    expect(sent[0]!.body).toMatch(
      new RegExp(`answer it online: https://ehc\\.example\\.gov\\.uk/consultations/${consultation!.id}$`),
    );
    expect(`${sent[0]!.subject} ${sent[0]!.body}`).not.toMatch(/Kid3|Zed03/);
    // The caseworker sees on the case page that the school was chased, and when.
    const [row] = await database.db.select().from(notifications).where(eq(notifications.kind, 'consultation_overdue'));
    const { app } = testApp(database);
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const page = pageText((await caseworker.get(`/cases/${bulk3.requestId}`).expect(200)).text);
    expect(page).toContain(`School chased for its reply on ${formatLongDate(londonDate(row!.createdAt))}`);

    // A member of the school's staff given an account after the chaser went is chased too, once; no one else again.
    const senco = await addProfessional(database, 'senco', '999', 'school', { settingUrn: '123456' });
    for (const day of ['2025-05-01', '2025-05-02'] as const) {
      await Promise.all([
        runChasers(database, localDate(day), notify, '999', 'https://ehc.example.gov.uk'),
        runChasers(database, localDate(day), notify, '999', 'https://ehc.example.gov.uk'),
      ]);
    }
    expect(notify.sent.filter(chased).map((m) => m.to)).toEqual([school.email, senco.email]);
  });
});

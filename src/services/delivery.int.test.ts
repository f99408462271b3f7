/**
 * Messages handed to GOV.UK Notify (a stand-in that answers as Notify would), on a real database: a failure that may
 * pass is tried again with growing waits and then given up on, a refusal is not tried again, nothing Notify accepted is
 * ever sent again (two runs at once included), and a message that finally failed is told to the caseworker.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedIn, testApp } from '../../test/app.js';
import { setUpIntegration } from '../../test/integration.js';
import { pageText } from '../../test/pages.js';
import type { Fixture } from '../../test/fixtures.js';
import type { Database } from '../data/db.js';
import { notifications } from '../data/schema.js';
import { localDate } from '../domain/dates/localDate.js';
import { MAX_SEND_ATTEMPTS } from '../domain/messages/delivery.js';
import type { EmailSender, OutgoingEmail, SendResult } from '../notify/sender.js';
import { deliverNotification, retryDueMessages } from './delivery.js';
import { deliverFamilyMessages, recordFamilyNews } from './family/messages.js';

let database: Database;
let fixture: Fixture;

beforeAll(async () => {
  ({ database, fixture } = await setUpIntegration({ app: false }));
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.delete(notifications);
});

const UNAVAILABLE: SendResult = {
  status: 'failed',
  error: 'Error: Request failed with status code 503',
  temporary: true,
};
const REFUSED: SendResult = {
  status: 'failed',
  error: 'ValidationError: email_address Not a valid email address',
  temporary: false,
};

/** A stand-in for Notify: answers with `script` in turn (then accepts); `accepted` is what it took. */
function fakeNotify(script: SendResult[] = [], gate?: Promise<void>) {
  const answers = [...script];
  const accepted: OutgoingEmail[] = [];
  const given: OutgoingEmail[] = [];
  const sender: EmailSender = {
    name: 'notify',
    async send(email) {
      given.push(email);
      if (gate) await gate;
      const answer = answers.shift();
      if (answer) return answer;
      accepted.push(email);
      return { status: 'sent', notifyId: `n-${accepted.length}` };
    },
  };
  return { sender, accepted, given };
}

const T0 = new Date('2026-03-03T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** The parent's email that Ada's draft plan has been sent (as the casework step records it). */
async function recordDraftNews() {
  const ada = fixture.cases.ada!;
  const pending = await database.db.transaction((tx) =>
    recordFamilyNews(
      tx,
      { sender: fakeNotify().sender, baseUrl: 'https://ehc.example.gov.uk' },
      '999',
      ada.requestId,
      [{ kind: 'draft_served', commentBy: localDate('2026-03-18') }],
      localDate('2026-03-03'),
    ),
  );
  expect(pending).toHaveLength(1);
  return pending;
}

async function row(id: string) {
  const [r] = await database.db.select().from(notifications).where(eq(notifications.id, id));
  return r!;
}

describe('a message Notify cannot take yet', () => {
  it('is tried again after 5 minutes, then 30, and sent once when Notify takes it', async () => {
    const [message] = await recordDraftNews();
    const notify = fakeNotify([UNAVAILABLE, UNAVAILABLE]);
    await deliverNotification(database.db, notify.sender, message!.id, T0);
    expect(await row(message!.id)).toMatchObject({ status: 'retrying', attempts: 1, nextAttemptAt: minutes(5) });
    // The messages page says so.
    const { app } = testApp(database);
    const manager = await signedIn(app, fixture.users.manager!.email);
    const listed = pageText((await manager.get('/messages').expect(200)).text);
    expect(listed).toContain('Trying again');
    expect(listed).toContain(`Tries 1 of ${MAX_SEND_ATTEMPTS}`);
    expect(listed).toContain('Next try');

    // Not yet due: nothing is tried.
    expect((await retryDueMessages(database.db, notify.sender, minutes(4))).tried).toBe(0);
    await retryDueMessages(database.db, notify.sender, minutes(5));
    expect(await row(message!.id)).toMatchObject({ status: 'retrying', attempts: 2, nextAttemptAt: minutes(35) });

    await retryDueMessages(database.db, notify.sender, minutes(35));
    expect(await row(message!.id)).toMatchObject({ status: 'sent', attempts: 3, notifyId: 'n-1', nextAttemptAt: null });
    // Accepted: never sent again, however often the job runs.
    await retryDueMessages(database.db, notify.sender, minutes(60 * 24));
    expect(notify.given).toHaveLength(3);
    expect(notify.accepted.map((m) => m.reference)).toEqual([message!.id]);
    expect(`${notify.accepted[0]!.subject} ${notify.accepted[0]!.body}`).not.toContain('Abbott');
  });

  it(`is given up on after ${MAX_SEND_ATTEMPTS} tries over about a day, and the caseworker is told`, async () => {
    const [message] = await recordDraftNews();
    const notify = fakeNotify(Array.from({ length: 10 }, () => UNAVAILABLE));
    await deliverFamilyMessages(database.db, notify.sender, [message!], T0);
    // The retry job, a minute before each next try (nothing goes) and at it.
    for (let current = await row(message!.id); current.status === 'retrying'; current = await row(message!.id)) {
      const due = current.nextAttemptAt!.getTime();
      expect((await retryDueMessages(database.db, notify.sender, new Date(due - 60_000))).tried).toBe(0);
      await retryDueMessages(database.db, notify.sender, new Date(due));
    }
    await retryDueMessages(database.db, notify.sender, minutes(2 * 24 * 60));
    const last = await row(message!.id);
    expect(notify.given).toHaveLength(MAX_SEND_ATTEMPTS);
    expect(last).toMatchObject({ status: 'failed', failure: 'unreachable', attempts: MAX_SEND_ATTEMPTS });
    // The last try: 5 + 30 + 120 + 360 + 900 minutes after the first (23 h 35 min).
    expect(last.lastAttemptAt).toEqual(minutes(1415));

    const { app } = testApp(database);
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const page = pageText((await caseworker.get(`/cases/${fixture.cases.ada!.requestId}`).expect(200)).text);
    expect(page).toContain(
      "We could not send the email to Ada Abbott's parent or carer about the draft plan on 4 March 2026: " +
        `GOV.UK Notify could not take it after ${MAX_SEND_ATTEMPTS} tries over about a day. Contact them another way.`,
    );
  });
});

describe('a message Notify refuses', () => {
  it('is not tried again, and the caseworker reads why on the case page', async () => {
    const [message] = await recordDraftNews();
    const notify = fakeNotify([REFUSED]);
    await deliverFamilyMessages(database.db, notify.sender, [message!], T0);
    expect(await row(message!.id)).toMatchObject({ status: 'failed', failure: 'refused', attempts: 1 });
    await retryDueMessages(database.db, notify.sender, minutes(60));
    await retryDueMessages(database.db, notify.sender, minutes(24 * 60));
    expect(notify.given).toHaveLength(1);

    const { app } = testApp(database);
    const caseworker = await signedIn(app, fixture.users.caseworker!.email);
    const page = pageText((await caseworker.get(`/cases/${fixture.cases.ada!.requestId}`).expect(200)).text);
    expect(page).toContain(
      "We could not send the email to Ada Abbott's parent or carer about the draft plan on 3 March 2026: " +
        'the address was refused. Contact them another way.',
    );
    // Another case's page says nothing of it.
    const other = pageText((await caseworker.get(`/cases/${fixture.cases.ben!.requestId}`).expect(200)).text);
    expect(other).not.toContain('We could not send');
  });
});

describe('two runs at once', () => {
  it('give Notify each message once', async () => {
    const [message] = await recordDraftNews();
    const first = fakeNotify([UNAVAILABLE]);
    await deliverNotification(database.db, first.sender, message!.id, T0);
    // Notify answers slowly: both runs are under way before either hears back.
    let open!: () => void;
    const notify = fakeNotify([], new Promise<void>((resolve) => (open = resolve)));
    const runs = Promise.all([
      retryDueMessages(database.db, notify.sender, minutes(5)),
      retryDueMessages(database.db, notify.sender, minutes(5)),
      deliverNotification(database.db, notify.sender, message!.id, minutes(5)),
      deliverNotification(database.db, notify.sender, message!.id, minutes(5)),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    open();
    await runs;
    expect(notify.accepted.map((m) => m.reference)).toEqual([message!.id]);
    expect(await row(message!.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('leave a message a stopped process was sending: it may have arrived, so it is not sent again', async () => {
    const [message] = await recordDraftNews();
    // Claimed, and its process stopped while Notify had it.
    await database.db
      .update(notifications)
      .set({ status: 'sending', attempts: 1, lastAttemptAt: T0 })
      .where(eq(notifications.id, message!.id));
    const notify = fakeNotify();
    await retryDueMessages(database.db, notify.sender, minutes(5));
    expect((await row(message!.id)).status).toBe('sending');
    const summary = await retryDueMessages(database.db, notify.sender, minutes(16));
    expect(summary.interrupted).toBe(1);
    expect(await row(message!.id)).toMatchObject({ status: 'failed', failure: 'interrupted' });
    expect(notify.given).toHaveLength(0);
  });
});

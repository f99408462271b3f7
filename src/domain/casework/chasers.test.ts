import { describe, expect, it } from 'vitest';
import { addDays, localDate, type LocalDate } from '../dates/localDate.js';
import {
  chaserDates,
  chaserFor,
  consultationChaserFor,
  consultationChaserRecipients,
  type ChaserKind,
  type OutstandingAdvice,
} from './chasers.js';

const advice: OutstandingAdvice = {
  adviceId: 'a1',
  adviceType: 'health',
  adviceTypeName: 'Health',
  provider: 'Designated Clinical Officer',
  requestedDate: localDate('2025-02-24'),
  childReference: '999-000123',
  requestReference: 'EHC-2025-00045',
};

describe('advice chasers (reg 8(1): advice due 6 weeks after the request)', () => {
  it('requested Mon 24 Feb 2025: due Mon 7 Apr; reminder Mon 31 Mar; overdue Tue 8 Apr; escalation Mon 21 Apr', () => {
    expect(chaserDates(advice.requestedDate)).toEqual({
      due: '2025-04-07',
      dates: { reminder: '2025-03-31', overdue: '2025-04-08', escalation: '2025-04-21' },
    });
  });

  it('sends nothing before the reminder day, and nothing on the due date itself beyond the reminder', () => {
    expect(chaserFor(advice, localDate('2025-03-30'), [])).toBeNull();
    expect(chaserFor(advice, localDate('2025-04-07'), ['reminder'])).toBeNull();
  });

  it('over a run of days sends each chaser exactly once, on its day', () => {
    const sent: ChaserKind[] = [];
    const log: [LocalDate, ChaserKind][] = [];
    for (let day = localDate('2025-03-20'); day <= '2025-05-31'; day = addDays(day, 1)) {
      // The scheduler runs hourly: several runs a day change nothing.
      for (let run = 0; run < 3; run++) {
        const c = chaserFor(advice, day, sent);
        if (c) {
          sent.push(c.kind);
          log.push([day, c.kind]);
        }
      }
    }
    expect(log).toEqual([
      ['2025-03-31', 'reminder'],
      ['2025-04-08', 'overdue'],
      ['2025-04-21', 'escalation'],
    ]);
  });

  it('after days without a run, sends only the latest chaser that applies', () => {
    const c = chaserFor(advice, localDate('2025-04-25'), []);
    expect(c?.kind).toBe('escalation');
    expect(chaserFor(advice, localDate('2025-04-25'), ['escalation'])).toBeNull();
    // A late first run between overdue and escalation sends the overdue notice, then the escalation on its day.
    expect(chaserFor(advice, localDate('2025-04-10'), [])?.kind).toBe('overdue');
    expect(chaserFor(advice, localDate('2025-04-21'), ['overdue'])?.kind).toBe('escalation');
  });

  it('names the child by reference only, and says what is late and since when', () => {
    const c = chaserFor(advice, localDate('2025-04-08'), ['reminder'])!;
    expect(c.key).toBe('advice:a1:overdue:2025-04-07');
    expect(c.subject).toBe('Overdue: advice for child 999-000123');
    expect(c.body).toContain('Health advice for child 999-000123 (EHC needs assessment EHC-2025-00045)');
    expect(c.body).toContain('was due by 7 April 2025');
    expect(c.body).toContain('overdue since 8 April 2025');
  });

  it('links straight to the request in the provider’s work list, when the service’s address is known', () => {
    const link = 'https://ehc.example.gov.uk/advice/a1';
    for (const [day, sent] of [
      ['2025-03-31', []],
      ['2025-04-08', ['reminder']],
      ['2025-04-21', ['reminder', 'overdue']],
    ] as const) {
      const c = chaserFor({ ...advice, link }, localDate(day), sent)!;
      expect(c.body.endsWith(`Open the request and give the advice online: ${link}`), c.kind).toBe(true);
    }
    expect(chaserFor(advice, localDate('2025-03-31'), [])!.body).not.toContain('/advice/');
  });
});

describe('the consultation chaser (SEND Code of Practice 9.83: the school replies within 15 days)', () => {
  const c = {
    consultationId: 'c1',
    settingName: 'Hill Primary',
    sentDate: localDate('2027-03-01'),
    childReference: 'C-1',
    requestReference: 'R-1',
    link: 'https://ehc.example.gov.uk/consultations/c1',
  };
  it('falls due the day after the 15th day, once, linking to the consultation', () => {
    // Sent 1 March: due by 16 March (15 days); the due date itself is still in time.
    expect(consultationChaserFor(c, localDate('2027-03-16'), false)).toBeNull();
    const chaser = consultationChaserFor(c, localDate('2027-03-17'), false);
    expect(chaser).toMatchObject({ on: '2027-03-17', due: '2027-03-16', key: 'consultation:c1:overdue:2027-03-16' });
    expect(chaser!.body).toMatch(/answer it online: https:\/\/ehc\.example\.gov\.uk\/consultations\/c1$/);
    // Already chased: never again.
    expect(consultationChaserFor(c, localDate('2027-04-30'), true)).toBeNull();
  });
});

describe('who a school’s consultation chaser goes to (SEND Code of Practice 9.83: the reply is due within 15 days)', () => {
  const head = { id: 'u-head', email: 'head@school.example' };
  const senco = { id: 'u-senco', email: 'senco@school.example' };

  it('goes to every user the school has now, a user added after the first chaser included, each once', () => {
    expect(consultationChaserRecipients([head], 'cw@la.example', new Set()).map((r) => r.email)).toEqual([
      'head@school.example',
    ]);
    // The SENCo's account is added after the head was chased: only the SENCo is sent it now.
    expect(consultationChaserRecipients([head, senco], 'cw@la.example', new Set(['u-head']))).toEqual([
      { key: 'u-senco', email: 'senco@school.example', role: 'school' },
    ]);
    expect(consultationChaserRecipients([head, senco], 'cw@la.example', new Set(['u-head', 'u-senco']))).toEqual([]);
  });

  it('goes to the caseworker, once, while the school has no user', () => {
    expect(consultationChaserRecipients([], 'cw@la.example', new Set())).toEqual([
      { key: 'caseworker', email: 'cw@la.example', role: 'caseworker' },
    ]);
    expect(consultationChaserRecipients([], 'cw@la.example', new Set(['caseworker']))).toEqual([]);
  });
});

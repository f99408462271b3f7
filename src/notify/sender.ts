/**
 * Sending email. With GOV.UK Notify configured (an API key and one email template whose body is
 * `((body))` and subject `((subject))`), messages go through Notify; otherwise they stay in the local outbox, where
 * the outbox page shows them. Either way every message is recorded in the notifications table.
 */
import { NotifyClient } from 'notifications-node-client';
import { failureKindOf } from '../domain/messages/delivery.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  body: string;
  /** Our id for the message, given to Notify as its reference. */
  reference: string;
}

/**
 * What came of handing a message to Notify. A failure says whether it may pass if tried again later (`temporary`: no
 * answer, a 5xx or a 429) or not (a 400: the address or number refused; domain/messages/delivery.ts).
 */
export type SendResult =
  { status: 'outbox' } | { status: 'sent'; notifyId: string } | { status: 'failed'; error: string; temporary: boolean };

/** A text message (GOV.UK Notify SMS): to a UK mobile number, the body only. */
export interface OutgoingSms {
  to: string;
  body: string;
  reference: string;
}

export interface EmailSender {
  readonly name: 'outbox' | 'notify';
  send(email: OutgoingEmail): Promise<SendResult>;
  /** Sends a text message; absent when no SMS template is configured (texts then stay in the outbox). */
  sendSms?(sms: OutgoingSms): Promise<SendResult>;
}

/** Keeps messages in the local outbox (the notifications table) and sends nothing. */
export const outboxSender: EmailSender = {
  name: 'outbox',
  send: () => Promise.resolve({ status: 'outbox' }),
};

/** `smsTemplateId`: a Notify text message template whose body is `((body))`; without it, no texts are sent. */
export function notifySender(apiKey: string, templateId: string, smsTemplateId?: string): EmailSender {
  const client = new NotifyClient(apiKey);
  const failed = (err: unknown): SendResult => {
    // Notify's error says what was wrong (e.g. a bad address); keep it for the outbox page, never the key.
    const message = err instanceof Error ? err.message : String(err);
    // The client's HTTP errors carry Notify's answer; a network error has none.
    const response = (err as { response?: { status?: unknown } } | null)?.response;
    const httpStatus = typeof response?.status === 'number' ? response.status : undefined;
    return { status: 'failed', error: message.slice(0, 500), temporary: failureKindOf(httpStatus) === 'temporary' };
  };
  return {
    name: 'notify',
    ...(smsTemplateId
      ? {
          async sendSms(sms: OutgoingSms): Promise<SendResult> {
            try {
              const response = await client.sendSms(smsTemplateId, sms.to, {
                personalisation: { body: sms.body },
                reference: sms.reference,
              });
              const id = (response.data as { id?: unknown }).id;
              return { status: 'sent', notifyId: typeof id === 'string' ? id : '' };
            } catch (err) {
              return failed(err);
            }
          },
        }
      : {}),
    async send(email) {
      try {
        const response = await client.sendEmail(templateId, email.to, {
          personalisation: { subject: email.subject, body: email.body },
          reference: email.reference,
        });
        const id = (response.data as { id?: unknown }).id;
        return { status: 'sent', notifyId: typeof id === 'string' ? id : '' };
      } catch (err) {
        return failed(err);
      }
    },
  };
}

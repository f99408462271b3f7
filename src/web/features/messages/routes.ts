import { Router } from 'express';
import { MAX_SEND_ATTEMPTS } from '../../../domain/messages/delivery.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { pageSummary, paginationItems } from '../../pagination.js';

const STATUS = {
  outbox: { text: 'In the outbox', classes: 'govuk-tag--blue' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  pending: { text: 'Sending', classes: 'govuk-tag--grey' },
  sending: { text: 'Sending', classes: 'govuk-tag--grey' },
  retrying: { text: 'Trying again', classes: 'govuk-tag--orange' },
  failed: { text: 'Not sent', classes: 'govuk-tag--red' },
  no_recipient: { text: 'No email address', classes: 'govuk-tag--yellow' },
} as const;

/** One message as the page states it: who it went to, and how many of its tries it has had (and when the next is). */
function messageView<
  M extends { channel: string; toEmail: string | null; toPhone: string | null; status: string; attempts: number },
>(m: M & { nextAttemptAt: Date | null }) {
  return {
    ...m,
    to: m.channel === 'sms' ? m.toPhone : m.toEmail,
    tries:
      m.attempts > 0 && m.status !== 'outbox'
        ? `${m.attempts} of ${MAX_SEND_ATTEMPTS}${m.status === 'sent' ? '' : m.status === 'failed' ? ': not tried again' : ''}`
        : null,
    nextTry: m.status === 'retrying' ? m.nextAttemptAt : null,
  };
}

export function messageRoutes(services: Services): Router {
  const router = Router();
  router.get('/messages', requirePermission('outbox:view'), noStore, async (req, res) => {
    const raw = typeof req.query.page === 'string' ? req.query.page : '1';
    if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
      res.status(400).render('errors/bad-request.njk', {
        errors: [{ text: 'Page must be a whole number from 1', href: '#' }],
        backHref: '/messages',
      });
      return;
    }
    const messages = await services.messages.list(requestContext(req), Number(raw));
    res.render('messages/messages.njk', {
      messages: { ...messages, rows: messages.rows.map(messageView) },
      status: STATUS,
      maxAttempts: MAX_SEND_ATTEMPTS,
      shown: pageSummary(messages.page, messages.pageSize, messages.total),
      lastPageHref: `/messages?page=${messages.pageCount}`,
      pagination: paginationItems(messages.page, messages.pageCount, (p) => `/messages?page=${p}`),
    });
  });
  return router;
}

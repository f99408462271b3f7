/** The family's part of a request as staff see it: on the case page, and beside section A in the plan editor. */
import { CONTACT_RELATIONSHIP_NAMES } from '../../../domain/casework/codes.js';
import { formatLongDate, parseLocalDate } from '../../../domain/dates/localDate.js';
import type { FamilyService } from '../../../services/family/index.js';

/**
 * What the family gave (their views for section A, their documents), for the staff case page; and the family
 * accounts linked to the child for "Who to contact" (the one who sent the response online says so), with the
 * invitation offered as it stands: "Invite a parent or carer" with none linked, "another" once one is.
 */
export function familyFactsView(family: Awaited<ReturnType<FamilyService['forStaff']>>) {
  const { views } = family;
  return {
    views: views
      ? {
          updatedOn: views.updatedOn,
          rows: family.fields.map((f) => ({
            key: { text: f.label },
            value: { text: views.content[f.name] ?? 'Nothing written' },
          })),
        }
      : null,
    documents: family.documents,
    accounts: family.accounts.map((a) => {
      const sent = a.sentOn ? parseLocalDate(a.sentOn) : null;
      return {
        name: a.name,
        rows: [
          {
            key: { text: 'Who they are' },
            value: { text: CONTACT_RELATIONSHIP_NAMES[a.relationship ?? 'parent'] ?? 'Parent' },
          },
          { key: { text: 'Email' }, value: { text: a.email } },
          { key: { text: 'Mobile' }, value: { text: a.phone ?? 'Not given' } },
          { key: { text: 'Messages' }, value: { text: a.smsOptIn && a.phone ? 'Email and text' : 'Email' } },
          ...(sent
            ? [
                {
                  key: { text: 'Online' },
                  value: { text: `Sent their response to the draft on ${formatLongDate(sent)}` },
                },
              ]
            : []),
        ],
      };
    }),
    invite: family.accounts.length > 0 ? 'Invite another parent or carer' : 'Invite a parent or carer',
  };
}

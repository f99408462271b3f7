/** The family's part of a request as staff see it: on the case page, and beside section A in the plan editor. */
import type { FamilyService } from '../../../services/family/index.js';

/** What the family gave (their views for section A, their documents), for the staff case page. */
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
  };
}

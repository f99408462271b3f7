/** What a caseworker enters to record a request for an EHC needs assessment, for tests: a new child, by email. */
import { randomUUID } from 'node:crypto';
import type { LocalDate } from '../src/domain/dates/localDate.js';
import type { ChildDetails, RecordRequestInput } from '../src/services/casework/types.js';

export function recordRequestInput(
  overrides: Omit<Partial<RecordRequestInput>, 'child'> & { child?: Partial<ChildDetails> } = {},
): RecordRequestInput {
  const { child, ...rest } = overrides;
  return {
    submissionKey: randomUUID(),
    child: {
      givenName: 'Fay',
      familyName: 'Foster',
      dateOfBirth: '2018-03-04' as LocalDate,
      sex: 'F',
      upn: null,
      uln: null,
      upnUnknown: null,
      ethnicity: null,
      postcode: null,
      settingName: null,
      settingUrn: null,
      primaryNeed: null,
      ...child,
    },
    contact: {
      name: 'A Parent',
      relationship: 'Parent',
      email: 'parent@example.org',
      phone: null,
      address: null,
      preference: 'email',
    },
    requestSource: 'parent',
    receivedDate: '2026-11-02' as LocalDate,
    confirmedNewChild: false,
    existingChildId: null,
    ...rest,
  };
}

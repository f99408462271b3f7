/**
 * What the casework use cases share: what each is given (the service's dependencies), the forms' stamp, the results,
 * the inputs of a new request, the refusals particular to casework, and the few constants the forms show.
 */
import type { Database } from '../../data/db.js';
import type { AdviceRow, Change, PossibleDuplicate } from '../../data/repositories/casework.js';
import type { AdviceType } from '../../domain/casework/stages.js';
import type { LocalDate } from '../../domain/dates/localDate.js';
import type { CalendarHolder } from '../calendar.js';
import type { Clock } from '../clock.js';
import { RuleError, StaleFormError } from '../errors.js';
import type { VirusScanner } from '../virusScan.js';
import type { FamilyMessaging } from '../family/messages.js';

/** What every casework use case is given: the database, today, the bank holidays and the virus scanner. */
export interface CaseworkDeps {
  database: Database;
  clock: Clock;
  calendar: CalendarHolder;
  /** Every uploaded document is scanned by it, when there is one. */
  scanner: VirusScanner | null;
  /** Where the family's messages at each step go (none: families are not told, as in tests below the web). */
  family?: FamilyMessaging;
}

/** A step the case or the law does not allow, named against the form field at fault. */
export class CaseRuleError extends RuleError {}

/** The form was filled in against an older state of the case: someone else has recorded something on it since. */
export class ConflictError extends StaleFormError {
  constructor(
    readonly changes: Change[],
    readonly currentVersion: number,
  ) {
    const last = changes.at(-1);
    super({
      changes: [],
      by: last?.actorName ?? null,
      at: last?.recordedAt ?? null,
      version: currentVersion,
      recorded: changes,
    });
  }
}

/** Every step's form carries the version of the case it was opened against and a one-off submission key. */
export interface FormStamp {
  version: number;
  submissionKey: string;
}

export type StepResult = { saved: true; requestId: string } | { saved: false; requestId: string; duplicate: true };

/** The largest document accepted (advice reports are usually well under this). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

export interface ChildDetails {
  givenName: string;
  familyName: string;
  dateOfBirth: LocalDate;
  sex: string;
  upn: string | null;
  uln: string | null;
  upnUnknown: string | null;
  ethnicity: string | null;
  postcode: string | null;
  settingName: string | null;
  settingUrn: string | null;
  /** SEN2 primary need (SENtype), when known at the request; the final plan records it in any case. */
  primaryNeed: string | null;
}

/** Who the council contacts about the request, and how (at least one way; the preferred way has its detail). */
export interface FamilyContact {
  name: string;
  relationship: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  preference: string;
}

export interface RecordRequestInput {
  submissionKey: string;
  child: ChildDetails;
  contact: FamilyContact;
  requestSource: string;
  receivedDate: LocalDate;
  /** Set once the caseworker has seen the possible duplicates and says this is a different child. */
  confirmedNewChild: boolean;
  /** Record the request for a child already known to the LA instead of a new one. */
  existingChildId: string | null;
}

export type RecordRequestResult =
  StepResult | { saved: false; possibleDuplicates: PossibleDuplicate[]; duplicate?: undefined };

/** Default provider names per advice type, until an LA sets its own. */
export const DEFAULT_PROVIDERS: Record<AdviceType, string> = {
  educational_psychology: 'Educational Psychology Service',
  health: 'Designated Clinical Officer (health)',
  social_care: "Children's Social Care",
  education_setting: 'Education setting',
  other: 'Other adviser',
};

export type { AdviceRow };

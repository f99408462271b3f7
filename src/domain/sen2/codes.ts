/**
 * SEN2 code sets the checks, the CSV reader and the import share (shared/reference/sen2/README.md section 3). The
 * other code sets live where the casework records them: ethnicity and UPNunknown in casework/codes.ts, request
 * source in casework/events.ts, SEN types in casework/stages.ts.
 */

/** SENSetting, for a child in no setting with a URN or UKPRN: the first five for a named plan or a placement. */
export const SEN_SETTING_NAMES: Record<string, string> = {
  OLA: 'Education arranged by the council (section 61)',
  OPA: 'Education arranged by the parents (section 42(5))',
  EHE: 'Elective home education',
  EYP: 'Early years provider with no URN',
  OTH: 'Other arrangement',
  NEET: 'Not in education, employment or training',
  NIEC: 'Not in education: notice to cease the plan',
  NIEO: 'Not in education: other (for example awaiting a place)',
};

/** The codes a named plan's setting may have; a placement may also be NEET, NIEC or NIEO. */
export const PLAN_SETTING_CODES: readonly string[] = ['OLA', 'OPA', 'EHE', 'EYP', 'OTH'];
export const PLACEMENT_SETTING_CODES: readonly string[] = Object.keys(SEN_SETTING_NAMES);

/** Request and assessment outcomes: Y, N, A (not yet decided), W (withdrawn), H (historical). */
export const OUTCOME_CODES: readonly string[] = ['Y', 'N', 'A', 'W', 'H'];

/** CeaseReason (item 4.6). */
export const CEASE_REASON_NAMES: Record<string, string> = {
  '1': 'Reached the maximum age',
  '2': 'Needs met without a plan',
  '3': 'Moved on to higher education',
  '4': 'Moved on to paid employment',
  '5': 'Moved to another LA in England',
  '6': 'No longer engages',
  '7': 'Moved outside England',
  '8': 'Died',
  '9': 'Other',
};

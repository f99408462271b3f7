/**
 * The SEN2 person-level return as data (shared/reference/sen2/README.md section 2): a header, then each person with
 * their requests; a request may have an assessment (with a named plan, its plan details and ceasing) and active-plan
 * details at the census date (placements, SEN needs, reviews). Field names are the XML's; a value left undefined is
 * not written. Codes are kept as the return spells them ("Y", "1", "SEMH").
 */
import type { LocalDate } from '../dates/localDate.js';

export type YesNo = '0' | '1';

export interface Sen2Header {
  year: number;
  referenceDate: LocalDate;
  /** The LA's 3-digit code. */
  lea: string;
  softwareCode: string;
  release: string;
  serialNo: string;
  /** When the file was made, local time, to the second (YYYY-MM-DDTHH:MM:SS). */
  dateTime: string;
  /** Designated medical, clinical and social care officers in post: Y, N, or R (recruiting). */
  dmo?: 'Y' | 'N' | 'R';
  dco?: 'Y' | 'N' | 'R';
  dsco?: 'Y' | 'N' | 'R';
}

export interface Sen2Setting {
  urn?: string;
  ukprn?: string;
  senSetting?: string;
  senSettingOther?: string;
  placementRank?: '1' | '2';
  senUnitIndicator?: YesNo;
  resourcedProvisionIndicator?: YesNo;
}

export interface Sen2PlacementDetail extends Sen2Setting {
  entryDate?: LocalDate;
  leavingDate?: LocalDate;
  res?: string;
  wbp?: string;
}

export interface Sen2NamedPlan {
  startDate?: LocalDate;
  planDetails: Sen2Setting[];
  planRes?: string;
  planWbp?: string;
  pb?: YesNo;
  oa?: YesNo;
  dp?: string;
  ceaseDate?: LocalDate;
  ceaseReason?: string;
}

export interface Sen2Assessment {
  assessmentOutcome?: string;
  assessmentOutcomeDate?: LocalDate;
  assessmentMediation?: YesNo;
  assessmentTribunal?: YesNo;
  otherMediation?: YesNo;
  otherTribunal?: YesNo;
  week20?: YesNo;
  namedPlan?: Sen2NamedPlan;
}

export interface Sen2ActivePlans {
  transferLa?: string;
  placements: Sen2PlacementDetail[];
  senNeeds: { senType: string; senTypeRank: '1' | '2' }[];
  reviewMeeting?: LocalDate;
  lastReview?: LocalDate;
  reviewOutcome?: 'A' | 'C' | 'M';
  reviewDraft?: LocalDate;
  phaseTransferDueDate?: LocalDate;
  phaseTransferFinalDate?: LocalDate;
}

export interface Sen2Request {
  receivedDate?: LocalDate;
  requestSource?: string;
  rya?: YesNo;
  requestOutcomeDate?: LocalDate;
  requestOutcome?: string;
  requestMediation?: YesNo;
  requestTribunal?: YesNo;
  exported?: string;
  assessment?: Sen2Assessment;
  activePlans?: Sen2ActivePlans;
}

export interface Sen2Person {
  surname: string;
  forename: string;
  personBirthDate: LocalDate;
  /** Required by the schema; left out when the record lacks it, so the checks can say so. */
  sex?: string;
  ethnicity?: string;
  postCode?: string;
  upn?: string;
  uln?: string;
  upnUnknown?: string;
  requests: Sen2Request[];
}

export interface Sen2Return {
  header: Sen2Header;
  persons: Sen2Person[];
}

/**
 * The product's CSV format for bringing an LA's existing cases in when it has no SEN2 XML to hand: one row per
 * request (or per plan with no request on record), with the SEN2 items as columns (docs/sen2-import.md). Rows for the
 * same child (same UPN, else ULN, else surname, forename and date of birth) become one person. Every value is checked
 * against its SEN2 code set and each problem is reported with its line and column; a file with any problem is not
 * imported.
 */
import { parse } from 'csv-parse/sync';
import type { LocalDate } from '../dates/localDate.js';
import { isValidUpn } from '../identifiers/upn.js';
import { ETHNICITY_NAMES, UPN_UNKNOWN_NAMES, isValidUln } from '../casework/codes.js';
import { PRIMARY_NEED_NAMES } from '../casework/stages.js';
import { REQUEST_SOURCE_NAMES } from '../casework/events.js';
import { CEASE_REASON_NAMES, OUTCOME_CODES, PLACEMENT_SETTING_CODES, PLAN_SETTING_CODES } from './codes.js';
import { childMatchKeys } from './importPlan.js';
import { CENSUS_DATES } from './census.js';
import type { Sen2ActivePlans, Sen2Person, Sen2Request, Sen2Return, Sen2Setting } from './model.js';

/** The columns, in the order the template has them, with what each holds. */
export const CSV_COLUMNS = [
  ['surname', 'Surname (required)'],
  ['forename', 'Forename (required)'],
  ['date_of_birth', 'Date of birth, YYYY-MM-DD or DD/MM/YYYY (required)'],
  ['sex', 'M or F (required)'],
  ['ethnicity', 'CBDS ethnicity code, e.g. WBRI, or REFU or NOBT (required)'],
  ['postcode', 'Home postcode'],
  ['upn', 'Unique pupil number (13 characters)'],
  ['uln', 'Unique learner number (10 digits)'],
  ['upn_unknown', 'Why neither is known: UN1, UN2, UN3, UN5, UN8, UN9 or UN10'],
  ['received_date', 'Date the request was received (required unless both outcomes are H)'],
  ['request_source', 'Who asked: 1 family, 2 education setting, 3 health, 4 social care, 5 other'],
  ['request_outcome', 'Y assess, N not assess, A not yet decided, W withdrawn, H before the year (required)'],
  ['request_outcome_date', 'Date the family was told of the decision (for Y and N)'],
  ['assessment_outcome', 'Y plan issued or to be, N no plan, A not yet decided, W withdrawn, H before the year'],
  ['assessment_outcome_date', 'Date the plan was issued, or the family told no plan would be'],
  ['week20', '1 if a 20-week exception applies, else 0'],
  ['plan_start_date', 'Date the plan was first issued'],
  ['plan_urn', 'URN of the setting the plan names'],
  ['plan_ukprn', 'UKPRN of the setting the plan names'],
  ['plan_sen_setting', 'Or its SEN2 setting code: OLA, OPA, EHE, EYP, OTH'],
  ['cease_date', 'Date the plan ended'],
  ['cease_reason', 'SEN2 cease reason, 1 to 9'],
  ['placement_urn', 'URN of the setting attended now (active plans)'],
  ['placement_ukprn', 'UKPRN of the setting attended now'],
  ['placement_sen_setting', 'Or its code: OLA, OPA, EHE, EYP, OTH, NEET, NIEC, NIEO'],
  ['primary_need', 'SEN2 SEN type of the primary need (active plans)'],
  ['secondary_need', 'SEN type of the secondary need'],
  ['last_review', 'Date the family was told the last annual review decision'],
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number][0];

export interface CsvProblem {
  line: number;
  column: CsvColumn | null;
  message: string;
}

export function formatCsvProblem(p: CsvProblem): string {
  return `ERROR line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;
}

export interface CsvRead {
  ret: Sen2Return;
  problems: CsvProblem[];
  /** The CSV line of each person's requests, to report a check on the return by line. */
  lineOf: number[][];
  rows: number;
}

/** A date as the return writes it, from ISO or UK day/month/year, or null if it is not a real date. */
export function csvDate(value: string): LocalDate | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : uk
      ? [Number(uk[3]), Number(uk[2]), Number(uk[1])]
      : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as LocalDate;
}

/**
 * Reads the CSV. `today` refuses dates in the future; a CSV may hold requests received after the year of `year`'s
 * return (an LA's cases up to today), so that return's window is not a check here.
 */
export function readSen2Csv(text: string, year: number, lea: string, today?: LocalDate): CsvRead {
  const problems: CsvProblem[] = [];
  const census = CENSUS_DATES[year]?.census;
  if (!census) throw new RangeError(`no census date is configured for the ${year} SEN2 return`);
  const empty: CsvRead = {
    ret: {
      header: {
        year,
        referenceDate: census,
        lea,
        softwareCode: '',
        release: '',
        serialNo: '',
        dateTime: '',
      },
      persons: [],
    },
    problems,
    lineOf: [],
    rows: 0,
  };
  let records: { record: Record<string, string>; line: number }[];
  try {
    const parsed: { record: Record<string, string>; info: { lines: number } }[] = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    });
    records = parsed.map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    problems.push({ line: e.lines ?? 1, column: null, message: `the CSV cannot be read: ${e.message ?? String(err)}` });
    return empty;
  }
  const header = Object.keys(records[0]?.record ?? {});
  const known = new Set<string>(CSV_COLUMNS.map(([c]) => c));
  if (records.length === 0) {
    problems.push({ line: 1, column: null, message: 'the file has a header row but no records, or is empty' });
    return empty;
  }
  for (const h of header) {
    if (!known.has(h)) problems.push({ line: 1, column: null, message: `"${h}" is not a column of the format` });
  }
  for (const c of ['surname', 'forename', 'date_of_birth', 'request_outcome'] as const) {
    if (!header.includes(c)) problems.push({ line: 1, column: c, message: 'this required column is missing' });
  }
  if (problems.length) return empty;

  const persons: Sen2Person[] = [];
  const lineOf: number[][] = [];
  const personByKey = new Map<string, number>();

  for (const { record, line } of records) {
    const v = (c: CsvColumn) => (record[c] ?? '').trim();
    const bad = (column: CsvColumn, message: string) => problems.push({ line, column, message });
    const before = problems.length;
    const required = (c: CsvColumn, what: string) => {
      if (!v(c)) bad(c, `${what} is required`);
      return v(c);
    };
    const date = (c: CsvColumn): LocalDate | undefined => {
      if (!v(c)) return undefined;
      const d = csvDate(v(c));
      if (!d) bad(c, `"${v(c)}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`);
      else if (today && d > today) bad(c, `${v(c)} is in the future`);
      return d ?? undefined;
    };
    const code = (c: CsvColumn, allowed: readonly string[], what: string): string | undefined => {
      const value = v(c).toUpperCase();
      if (!value) return undefined;
      if (!allowed.includes(value)) bad(c, `"${v(c)}" is not ${what} (${allowed.join(', ')})`);
      return value;
    };
    const pattern = (c: CsvColumn, re: RegExp, what: string): string | undefined => {
      if (!v(c)) return undefined;
      if (!re.test(v(c))) bad(c, `"${v(c)}" is not ${what}`);
      return v(c);
    };

    const surname = required('surname', 'the surname');
    const forename = required('forename', 'the forename');
    const birth = v('date_of_birth')
      ? date('date_of_birth')
      : (bad('date_of_birth', 'the date of birth is required'), undefined);
    const sex = code('sex', ['M', 'F'], 'a sex code');
    if (!v('sex')) bad('sex', 'the sex is required (M or F)');
    const ethnicity = code('ethnicity', Object.keys(ETHNICITY_NAMES), 'an ethnicity code');
    if (!v('ethnicity')) bad('ethnicity', 'the ethnicity is required (a CBDS code, or REFU or NOBT)');
    const upn = v('upn').toUpperCase() || undefined;
    if (upn && !isValidUpn(upn))
      bad('upn', `"${v('upn')}" is not a UPN (a letter, 12 digits or 11 and a letter, and its check letter)`);
    const uln = v('uln') || undefined;
    if (uln && !isValidUln(uln)) bad('uln', `"${uln}" is not a ULN (10 digits, not starting with 0)`);
    const upnUnknown = code('upn_unknown', Object.keys(UPN_UNKNOWN_NAMES), 'a UPN unknown reason');

    const requestOutcome = code('request_outcome', OUTCOME_CODES, 'a request outcome');
    if (!v('request_outcome')) bad('request_outcome', 'the request outcome is required');
    const assessmentOutcome = code('assessment_outcome', OUTCOME_CODES, 'an assessment outcome');
    const r: Sen2Request = {};
    const received = date('received_date');
    if (received) r.receivedDate = received;
    const source = code('request_source', Object.keys(REQUEST_SOURCE_NAMES), 'a request source');
    if (source) r.requestSource = source;
    const outcomeDate = date('request_outcome_date');
    if (outcomeDate) r.requestOutcomeDate = outcomeDate;
    if (requestOutcome) r.requestOutcome = requestOutcome;

    const setting = (
      urn: CsvColumn,
      ukprn: CsvColumn,
      sen: CsvColumn,
      codes: readonly string[],
    ): Sen2Setting | undefined => {
      const s: Sen2Setting = {};
      const u = pattern(urn, /^\d{6}$/, 'a URN (6 digits)');
      const k = pattern(ukprn, /^\d{8}$/, 'a UKPRN (8 digits)');
      const c = code(sen, codes, 'a setting code');
      if (u) s.urn = u;
      if (k) s.ukprn = k;
      if (c) s.senSetting = c;
      if (!u && !k && !c) return undefined;
      s.placementRank = '1';
      return s;
    };
    const start = date('plan_start_date');
    const ceaseDate = date('cease_date');
    const ceaseReason = code('cease_reason', Object.keys(CEASE_REASON_NAMES), 'a cease reason');
    const named = setting('plan_urn', 'plan_ukprn', 'plan_sen_setting', PLAN_SETTING_CODES);
    if (assessmentOutcome || start) {
      r.assessment = {};
      if (assessmentOutcome) r.assessment.assessmentOutcome = assessmentOutcome;
      const aDate = date('assessment_outcome_date');
      if (aDate) r.assessment.assessmentOutcomeDate = aDate;
      const week20 = code('week20', ['0', '1'], 'a Week20 flag');
      if (week20) r.assessment.week20 = week20 as '0' | '1';
      if (start) {
        r.assessment.namedPlan = { startDate: start, planDetails: named ? [named] : [] };
        if (ceaseDate) r.assessment.namedPlan.ceaseDate = ceaseDate;
        if (ceaseReason) r.assessment.namedPlan.ceaseReason = ceaseReason;
      }
    }
    const placement = setting('placement_urn', 'placement_ukprn', 'placement_sen_setting', PLACEMENT_SETTING_CODES);
    const needs = Object.keys(PRIMARY_NEED_NAMES);
    const primary = code('primary_need', needs, 'a SEN type');
    const secondary = code('secondary_need', needs, 'a SEN type');
    const lastReview = date('last_review');
    if (start && !ceaseDate && (placement || primary)) {
      const active: Sen2ActivePlans = { placements: placement ? [placement] : [], senNeeds: [] };
      if (primary) active.senNeeds.push({ senType: primary, senTypeRank: '1' });
      if (secondary) active.senNeeds.push({ senType: secondary, senTypeRank: '2' });
      if (lastReview) active.lastReview = lastReview;
      r.activePlans = active;
    } else if (placement || primary || lastReview) {
      bad(
        placement ? 'placement_urn' : primary ? 'primary_need' : 'last_review',
        'placement, needs and review belong to an active plan: give the plan’s start date (and no cease date)',
      );
    }
    if (problems.length > before || !birth) continue;

    const keys = childMatchKeys({ upn, uln, familyName: surname, givenName: forename, dateOfBirth: birth });
    const index = keys.map((k) => personByKey.get(k)).find((i) => i !== undefined);
    if (index === undefined) {
      const person: Sen2Person = { surname, forename, personBirthDate: birth, requests: [r] };
      if (sex) person.sex = sex;
      if (ethnicity) person.ethnicity = ethnicity;
      const postcode = v('postcode').toUpperCase();
      if (postcode) person.postCode = postcode;
      if (upn) person.upn = upn;
      if (uln) person.uln = uln;
      if (upnUnknown) person.upnUnknown = upnUnknown;
      for (const k of keys) personByKey.set(k, persons.length);
      persons.push(person);
      lineOf.push([line]);
    } else {
      persons[index]!.requests.push(r);
      lineOf[index]!.push(line);
    }
  }
  return { ret: { ...empty.ret, persons }, problems, lineOf, rows: records.length };
}

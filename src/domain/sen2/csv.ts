/**
 * The product's CSV format for bringing an LA's existing cases in when it has no SEN2 XML to hand: one row per
 * request (or per plan with no request on record), with the SEN2 items as columns (docs/sen2-import.md). Rows for the
 * same child (same UPN, else ULN, else surname, forename and date of birth) become one person. Every value is checked
 * against its SEN2 code set and each problem is reported with its line and column; a file with any problem is not
 * imported.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
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

const REQUIRED_COLUMNS = ['surname', 'forename', 'date_of_birth', 'request_outcome'] as const;

/** The header row: every column one of the format's, and the required ones there. */
const CSV_HEADER = z.array(z.string()).check(
  z.superRefine((header, ctx) => {
    const known = new Set<string>(CSV_COLUMNS.map(([c]) => c));
    for (const h of header) {
      if (!known.has(h)) ctx.addIssue({ code: 'custom', message: `"${h}" is not a column of the format`, path: [] });
    }
    for (const c of REQUIRED_COLUMNS) {
      if (!header.includes(c)) ctx.addIssue({ code: 'custom', message: 'this required column is missing', path: [c] });
    }
  }),
);

/** A problem on a line: the issue's column (its path), or the line as a whole. */
function problemOf(line: number, issue: z.core.$ZodIssue): CsvProblem {
  const column = issue.path[0];
  return { line, column: typeof column === 'string' ? (column as CsvColumn) : null, message: issue.message };
}

/*
 * The columns of a record. Each reads its cell (trimmed; '' when the column is absent) and names what is wrong with
 * it, keeping what it read, so the rules between columns (below) see every value and every problem of a line is
 * reported at once, in the order of the columns.
 */
const cell = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string());
const problem = (ctx: z.core.$RefinementCtx, message: string) => ctx.addIssue({ code: 'custom', message });

const requiredText = (what: string) =>
  cell.transform((v, ctx) => {
    if (!v) problem(ctx, `${what} is required`);
    return v;
  });

/** A date (undefined when empty or not a date); with `today`, not after it. */
const dateCell = (today: LocalDate | undefined, required?: string) =>
  cell.transform((v, ctx): LocalDate | undefined => {
    if (!v) {
      if (required) problem(ctx, required);
      return undefined;
    }
    const d = csvDate(v);
    if (!d) problem(ctx, `"${v}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`);
    else if (today && d > today) problem(ctx, `${v} is in the future`);
    return d ?? undefined;
  });

/** A code from a SEN2 code set, in capitals (undefined when empty). */
const codeCell = (allowed: readonly string[], what: string, required?: string) =>
  cell.transform((v, ctx): string | undefined => {
    if (!v) {
      if (required) problem(ctx, required);
      return undefined;
    }
    const value = v.toUpperCase();
    if (!allowed.includes(value)) problem(ctx, `"${v}" is not ${what} (${allowed.join(', ')})`);
    return value;
  });

const patternCell = (re: RegExp, what: string) =>
  cell.transform((v, ctx): string | undefined => {
    if (!v) return undefined;
    if (!re.test(v)) problem(ctx, `"${v}" is not ${what}`);
    return v;
  });

const identifierCell = (valid: (value: string) => boolean, message: (typed: string) => string, upper: boolean) =>
  cell.transform((v, ctx): string | undefined => {
    const value = upper ? v.toUpperCase() : v;
    if (!value) return undefined;
    if (!valid(value)) problem(ctx, message(v));
    return value;
  });

/**
 * A column read only for a row with an assessment (an assessment outcome, or a plan's start date): the row's
 * preprocess gives it `{ value, applies }`.
 */
const assessmentCell = <T extends z.ZodType>(schema: T) =>
  z.object({ value: z.unknown(), applies: z.boolean() }).transform((c, ctx): z.output<T> | undefined => {
    if (!c.applies) return undefined;
    const read = schema.safeParse(c.value);
    if (read.success) return read.data;
    for (const issue of read.error.issues) problem(ctx, issue.message);
    return undefined;
  });

function settingOf(urn?: string, ukprn?: string, senSetting?: string): Sen2Setting | undefined {
  if (!urn && !ukprn && !senSetting) return undefined;
  return {
    ...(urn ? { urn } : {}),
    ...(ukprn ? { ukprn } : {}),
    ...(senSetting ? { senSetting } : {}),
    placementRank: '1',
  };
}

/** One record of the CSV: the person and the request it describes, or the problems, each against its column. */
function csvRow(today: LocalDate | undefined) {
  const date = dateCell(today);
  const needs = Object.keys(PRIMARY_NEED_NAMES);
  const columns = z.object({
    surname: requiredText('the surname'),
    forename: requiredText('the forename'),
    date_of_birth: dateCell(today, 'the date of birth is required'),
    sex: codeCell(['M', 'F'], 'a sex code', 'the sex is required (M or F)'),
    ethnicity: codeCell(
      Object.keys(ETHNICITY_NAMES),
      'an ethnicity code',
      'the ethnicity is required (a CBDS code, or REFU or NOBT)',
    ),
    upn: identifierCell(
      isValidUpn,
      (v) => `"${v}" is not a UPN (a letter, 12 digits or 11 and a letter, and its check letter)`,
      true,
    ),
    uln: identifierCell(isValidUln, (v) => `"${v}" is not a ULN (10 digits, not starting with 0)`, false),
    upn_unknown: codeCell(Object.keys(UPN_UNKNOWN_NAMES), 'a UPN unknown reason'),
    request_outcome: codeCell(OUTCOME_CODES, 'a request outcome', 'the request outcome is required'),
    assessment_outcome: codeCell(OUTCOME_CODES, 'an assessment outcome'),
    received_date: date,
    request_source: codeCell(Object.keys(REQUEST_SOURCE_NAMES), 'a request source'),
    request_outcome_date: date,
    plan_start_date: date,
    cease_date: date,
    cease_reason: codeCell(Object.keys(CEASE_REASON_NAMES), 'a cease reason'),
    plan_urn: patternCell(/^\d{6}$/, 'a URN (6 digits)'),
    plan_ukprn: patternCell(/^\d{8}$/, 'a UKPRN (8 digits)'),
    plan_sen_setting: codeCell(PLAN_SETTING_CODES, 'a setting code'),
    assessment_outcome_date: assessmentCell(date),
    week20: assessmentCell(codeCell(['0', '1'], 'a Week20 flag')),
    placement_urn: patternCell(/^\d{6}$/, 'a URN (6 digits)'),
    placement_ukprn: patternCell(/^\d{8}$/, 'a UKPRN (8 digits)'),
    placement_sen_setting: codeCell(PLACEMENT_SETTING_CODES, 'a setting code'),
    primary_need: codeCell(needs, 'a SEN type'),
    secondary_need: codeCell(needs, 'a SEN type'),
    last_review: date,
    postcode: cell,
  });
  return z
    .preprocess((record) => {
      const r = (typeof record === 'object' && record !== null ? record : {}) as Record<string, unknown>;
      const text = (c: CsvColumn) => (typeof r[c] === 'string' ? r[c].trim() : '');
      const applies = Boolean(text('assessment_outcome')) || csvDate(text('plan_start_date')) !== null;
      return {
        ...r,
        assessment_outcome_date: { value: r.assessment_outcome_date, applies },
        week20: { value: r.week20, applies },
      };
    }, columns)
    .check(
      z.superRefine(
        (c, ctx) => {
          const placement = c.placement_urn || c.placement_ukprn || c.placement_sen_setting;
          // An active plan (started, not ceased) with a placement or a need holds them; anything else cannot.
          const activePlan = c.plan_start_date && !c.cease_date && (placement || c.primary_need);
          if (!activePlan && (placement || c.primary_need || c.last_review)) {
            ctx.addIssue({
              code: 'custom',
              message:
                'placement, needs and review belong to an active plan: give the plan’s start date (and no cease date)',
              path: [placement ? 'placement_urn' : c.primary_need ? 'primary_need' : 'last_review'],
            });
          }
        },
        // Checked with the columns' own problems, so a line's every problem is named at once.
        { when: () => true },
      ),
    )
    .transform((c) => {
      const r: Sen2Request = {};
      if (c.received_date) r.receivedDate = c.received_date;
      if (c.request_source) r.requestSource = c.request_source;
      if (c.request_outcome_date) r.requestOutcomeDate = c.request_outcome_date;
      if (c.request_outcome) r.requestOutcome = c.request_outcome;
      const named = settingOf(c.plan_urn, c.plan_ukprn, c.plan_sen_setting);
      if (c.assessment_outcome || c.plan_start_date) {
        r.assessment = {};
        if (c.assessment_outcome) r.assessment.assessmentOutcome = c.assessment_outcome;
        if (c.assessment_outcome_date) r.assessment.assessmentOutcomeDate = c.assessment_outcome_date;
        if (c.week20) r.assessment.week20 = c.week20 as '0' | '1';
        if (c.plan_start_date) {
          r.assessment.namedPlan = { startDate: c.plan_start_date, planDetails: named ? [named] : [] };
          if (c.cease_date) r.assessment.namedPlan.ceaseDate = c.cease_date;
          if (c.cease_reason) r.assessment.namedPlan.ceaseReason = c.cease_reason;
        }
      }
      const placement = settingOf(c.placement_urn, c.placement_ukprn, c.placement_sen_setting);
      if (c.plan_start_date && !c.cease_date && (placement || c.primary_need)) {
        const active: Sen2ActivePlans = { placements: placement ? [placement] : [], senNeeds: [] };
        if (c.primary_need) active.senNeeds.push({ senType: c.primary_need, senTypeRank: '1' });
        if (c.secondary_need) active.senNeeds.push({ senType: c.secondary_need, senTypeRank: '2' });
        if (c.last_review) active.lastReview = c.last_review;
        r.activePlans = active;
      }
      const person: Omit<Sen2Person, 'requests'> = {
        surname: c.surname,
        forename: c.forename,
        personBirthDate: c.date_of_birth!,
      };
      if (c.sex) person.sex = c.sex;
      if (c.ethnicity) person.ethnicity = c.ethnicity;
      const postcode = c.postcode.toUpperCase();
      if (postcode) person.postCode = postcode;
      if (c.upn) person.upn = c.upn;
      if (c.uln) person.uln = c.uln;
      if (c.upn_unknown) person.upnUnknown = c.upn_unknown;
      return { person, request: r };
    });
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
  if (records.length === 0) {
    problems.push({ line: 1, column: null, message: 'the file has a header row but no records, or is empty' });
    return empty;
  }
  const headerRead = CSV_HEADER.safeParse(header);
  if (!headerRead.success) {
    for (const issue of headerRead.error.issues) problems.push(problemOf(1, issue));
    return empty;
  }

  const persons: Sen2Person[] = [];
  const lineOf: number[][] = [];
  const personByKey = new Map<string, number>();
  const row = csvRow(today);

  for (const { record, line } of records) {
    const read = row.safeParse(record);
    if (!read.success) {
      for (const issue of read.error.issues) problems.push(problemOf(line, issue));
      continue;
    }
    const { person, request } = read.data;
    const keys = childMatchKeys({
      upn: person.upn,
      uln: person.uln,
      familyName: person.surname,
      givenName: person.forename,
      dateOfBirth: person.personBirthDate,
    });
    const index = keys.map((k) => personByKey.get(k)).find((i) => i !== undefined);
    if (index === undefined) {
      for (const k of keys) personByKey.set(k, persons.length);
      const { surname, forename, personBirthDate, ...rest } = person;
      persons.push({ surname, forename, personBirthDate, requests: [request], ...rest });
      lineOf.push([line]);
    } else {
      persons[index]!.requests.push(request);
      lineOf[index]!.push(line);
    }
  }
  return { ret: { ...empty.ret, persons }, problems, lineOf, rows: records.length };
}

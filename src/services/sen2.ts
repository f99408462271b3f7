/**
 * The SEN2 return: made from the LA's case records, checked before DfE sees it, set beside the product's own
 * dashboard figures; and SEN2 (or CSV) files of an LA's existing cases imported, all or nothing. Every action is
 * authorised (`sen2:manage`) and audited; the command line acts as the system, recorded as such.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { countPlansCeased } from '../data/repositories/ceasings.js';
import type { Database } from '../data/db.js';
import { appendAudit } from '../data/repositories/audit.js';
import { takeReferences } from '../data/repositories/casework.js';
import { measureRefresh, readMeasureValues } from '../data/repositories/measures.js';
import {
  existingRecords,
  insertImportRows,
  loadSen2Facts,
  plansMaintainedOn,
  readOfficers,
  writeOfficers,
  type ImportRows,
  type Sen2Officers,
} from '../data/repositories/sen2.js';
import { caseNextDuty } from '../domain/casework/clockEvents.js';
import { CENSUS_DATES, isSen2Year, referencePeriod, SEN2_YEARS, type Sen2Year } from '../domain/sen2/census.js';
import { checkSen2, formatProblem, type Sen2Problem } from '../domain/sen2/checks.js';
import { sen2Counts, type Sen2Counts } from '../domain/sen2/counts.js';
import { formatCsvProblem, readSen2Csv } from '../domain/sen2/csv.js';
import {
  reviewDecisionsInReturn,
  reviewDecisionsLeftOut,
  type ReviewDecisionCount,
} from '../domain/sen2/activePlanReviews.js';
import { sen2FromCases, type Sen2Facts } from '../domain/sen2/fromCases.js';
import { planImport, type ImportPlan } from '../domain/sen2/importPlan.js';
import type { Sen2Return } from '../domain/sen2/model.js';
import { decodeSen2, Sen2ReadError } from '../domain/sen2/reader.js';
import { writeSen2 } from '../domain/sen2/writer.js';
import type { LocalDate } from '../domain/dates/localDate.js';
import type { RequestContext } from './cases.js';
import type { Clock } from './clock.js';
import { NotFoundError, StaleFormError } from './errors.js';
import { staleDetail } from './staleForm.js';
import { createJobBoard } from './jobs.js';
import { validateSen2OffThread, validateSen2Schema } from './sen2Schema.js';
import { requirePermission } from './useCase.js';

const RELEASE = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Who is acting: a signed-in person (from the web) or the system (the command line). */
export interface Sen2Caller {
  laCode: string;
  userId: string | null;
  ip: string | null;
  requestId: string | null;
  via: 'web' | 'cli';
}

export function callerFrom(ctx: RequestContext): Sen2Caller & { userId: string } {
  requirePermission(ctx, 'sen2:manage');
  return { laCode: ctx.actor.laCode, userId: ctx.actor.userId, ip: ctx.ip, requestId: ctx.requestId, via: 'web' };
}

/** The same figures from the measures dashboard (summed over the year's months) and the plans register. */
export interface DashboardFigures {
  requestsReceived: number;
  decisionsToAssess: number;
  plansIssued: number;
  plansWithin20Weeks: number;
  plansIssuedExcl: number;
  plansWithin20WeeksExcl: number;
  activePlans: number;
  /** Plans that ended from the first day of the year to the census date, as the plans register holds them. */
  plansCeased: number;
}

export interface Sen2Export {
  year: Sen2Year;
  census: LocalDate;
  from: LocalDate;
  to: LocalDate;
  ret: Sen2Return;
  xml: string;
  /** Problems found in the return, `ERROR|QUERY <xpath>: <message>`: the schema's first, then the checks'. */
  lines: string[];
  errors: number;
  queries: number;
  counts: Sen2Counts;
  /** Null when the dashboard's stored measures do not yet cover the whole year. */
  dashboard: DashboardFigures | null;
  /** The year's annual review decisions: the return's, what it leaves out, and the dashboard's. */
  reviews: Sen2ReviewFigures;
}

/**
 * The year's review decisions (after a meeting) and those told within 4 weeks of it: the return reports each active
 * plan's latest review (domain/sen2/activePlanReviews.ts), the dashboard counts every decision told in the year. They
 * agree when the return's and the decisions it leaves out (plans ended by the census date, plans reviewed again
 * before it) add up to the dashboard's.
 */
export interface Sen2ReviewFigures {
  inReturn: ReviewDecisionCount;
  planEnded: ReviewDecisionCount;
  reviewedAgain: ReviewDecisionCount;
  /** Null when the dashboard's stored measures do not yet cover the whole year. */
  dashboard: ReviewDecisionCount | null;
}

function reviewFigures(
  ret: Sen2Return,
  facts: Sen2Facts,
  year: Sen2Year,
  dashboard: ReviewDecisionCount | null,
): Sen2ReviewFigures {
  const window = referencePeriod(year);
  const active = ret.persons.flatMap((p) => p.requests.flatMap((r) => (r.activePlans ? [r.activePlans] : [])));
  const leftOut = reviewDecisionsLeftOut(facts.plans, facts.reviews ?? [], window);
  return { inReturn: reviewDecisionsInReturn(active, window.from, window.to), ...leftOut, dashboard };
}

export interface ImportReport {
  format: 'xml' | 'csv';
  dryRun: boolean;
  /** False when the file was refused: `lines` says why and nothing was written. */
  ok: boolean;
  /**
   * Why the file could not be read as its kind of file at all (not UTF-8, not well-formed XML, a DOCTYPE, nested
   * deeper than a return ever is), or null when it could (it may still have errors). Absent from reports kept before.
   */
  unreadable?: string | null;
  lines: string[];
  year: number | null;
  persons: number;
  created: { children: number; requests: number; plans: number };
  existing: { children: number; requests: number; plans: number };
  plan: ImportPlan | null;
  /** Row by row: where the person is in the file (CSV lines, or Person[n]) and what importing them does. */
  rows: { where: string; child: 'new' | 'existing'; requests: number; plans: number; alreadyHere: number }[];
}

export interface ImportOptions {
  format: 'xml' | 'csv';
  dryRun: boolean;
  /** The collection year a CSV file's records belong to (XML files say theirs). */
  csvYear?: number;
  /** The file's name, for the audit trail. */
  name: string;
}

/** Local time in England to the second, as the header's DateTime. */
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function londonDateTime(at: Date): string {
  const part = (type: string) => LONDON_TIME.formatToParts(at).find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}

const DASHBOARD_MEASURES = [
  'requests_received',
  'decisions_to_assess',
  'plans_issued',
  'plans_within_20_weeks_incl',
  'plans_within_20_weeks_excl',
] as const;

/** A check on the return's header does not stop an import (the file's header is not imported). */
const isHeaderProblem = (line: string) => /^(ERROR|QUERY) \/Message\/Header\//.test(line);

/** The designated officers the return's header names, as the form asks about them. */
export const SEN2_OFFICERS = [
  ['dmo', 'Designated medical officer (DMO)'],
  ['dco', 'Designated clinical officer (DCO)'],
  ['dsco', 'Designated social care officer (DSCO)'],
] as const;
export const SEN2_OFFICER_ANSWERS = [
  ['Y', 'In post'],
  ['R', 'Being recruited'],
  ['N', 'No'],
] as const;

export function createSen2Service(database: Database, clock: Clock) {
  const { db } = database;

  async function audit(caller: Sen2Caller, action: string, detail: Record<string, unknown>, on: Database['db'] = db) {
    await appendAudit(on, {
      userId: caller.userId,
      laCode: caller.laCode,
      action,
      entityType: 'sen2_return',
      ip: caller.ip,
      requestId: caller.requestId,
      detail: { ...detail, via: caller.via },
    });
  }

  async function dashboardFigures(laCode: string, year: Sen2Year): Promise<DashboardFigures | null> {
    const { from, to, census } = referencePeriod(year);
    const [refresh, rows, activePlans, plansCeased] = await Promise.all([
      measureRefresh(db, laCode),
      readMeasureValues(db, laCode, DASHBOARD_MEASURES, 'all'),
      plansMaintainedOn(db, laCode, census),
      countPlansCeased(db, laCode, from, census),
    ]);
    if (!refresh || refresh.fromMonth > from.slice(0, 7) || refresh.toMonth < to.slice(0, 7)) return null;
    const inYear = rows.filter((r) => r.month >= from.slice(0, 7) && r.month <= to.slice(0, 7));
    const sum = (measure: string, field: 'numerator' | 'denominator') =>
      inYear.filter((r) => r.measure === measure).reduce((total, r) => total + (r[field] ?? 0), 0);
    return {
      requestsReceived: sum('requests_received', 'numerator'),
      decisionsToAssess: sum('decisions_to_assess', 'numerator'),
      plansIssued: sum('plans_issued', 'numerator'),
      plansWithin20Weeks: sum('plans_within_20_weeks_incl', 'numerator'),
      plansIssuedExcl: sum('plans_within_20_weeks_excl', 'denominator'),
      plansWithin20WeeksExcl: sum('plans_within_20_weeks_excl', 'numerator'),
      activePlans,
      plansCeased,
    };
  }

  /** The dashboard's review decisions within 4 weeks of the meeting, summed over the year's months (null: not yet). */
  async function dashboardReviewFigures(laCode: string, year: Sen2Year): Promise<ReviewDecisionCount | null> {
    const { from, to } = referencePeriod(year);
    const [refresh, rows] = await Promise.all([
      measureRefresh(db, laCode),
      readMeasureValues(db, laCode, ['review_decisions_within_4_weeks'], 'all'),
    ]);
    if (!refresh || refresh.fromMonth > from.slice(0, 7) || refresh.toMonth < to.slice(0, 7)) return null;
    const inYear = rows.filter((r) => r.month >= from.slice(0, 7) && r.month <= to.slice(0, 7));
    return {
      decisions: inYear.reduce((n, r) => n + (r.denominator ?? 0), 0),
      within4Weeks: inYear.reduce((n, r) => n + (r.numerator ?? 0), 0),
    };
  }

  async function build(laCode: string, year: Sen2Year): Promise<{ ret: Sen2Return; facts: Sen2Facts }> {
    const window = referencePeriod(year);
    const [facts, officers] = await Promise.all([loadSen2Facts(db, laCode), readOfficers(db, laCode)]);
    const ret = sen2FromCases(facts, window, {
      year,
      referenceDate: window.census,
      lea: laCode,
      softwareCode: 'OpenEHCP',
      release: RELEASE,
      serialNo: '001',
      dateTime: londonDateTime(clock.now()),
      ...(officers.dmo ? { dmo: officers.dmo } : {}),
      ...(officers.dco ? { dco: officers.dco } : {}),
      ...(officers.dsco ? { dsco: officers.dsco } : {}),
    });
    return { ret, facts };
  }

  /** The return for a collection year, checked, with its counts beside the dashboard's. */
  async function exportReturn(caller: Sen2Caller, year: number): Promise<Sen2Export> {
    if (!isSen2Year(year)) {
      throw new RangeError(`the product makes the ${SEN2_YEARS.join(' and ')} returns, not ${year}`);
    }
    const { ret, facts } = await build(caller.laCode, year);
    const xml = writeSen2(ret, year);
    const [schema, dashboard, dashboardReviews] = await Promise.all([
      validateSen2Schema(xml, year),
      dashboardFigures(caller.laCode, year),
      dashboardReviewFigures(caller.laCode, year),
    ]);
    const lines = [...schema, ...checkSen2(ret, year).map(formatProblem)];
    const counts = sen2Counts(ret);
    await audit(caller, 'sen2.export', { year, persons: ret.persons.length });
    const { from, to, census } = referencePeriod(year);
    return {
      year,
      census,
      from,
      to,
      ret,
      xml,
      lines,
      errors: lines.filter((l) => l.startsWith('ERROR')).length,
      queries: lines.filter((l) => l.startsWith('QUERY')).length,
      counts,
      dashboard,
      reviews: reviewFigures(ret, facts, year, dashboardReviews),
    };
  }

  /** Checks a SEN2 file (given by its path, or its bytes) off the main thread: what a page shows of the check. */
  async function validateFile(caller: Sen2Caller, file: { path: string } | { bytes: Uint8Array }, name: string) {
    const result = await validateSen2OffThread(file, true);
    await audit(caller, 'sen2.validate', { file: name, year: result.year, errors: result.errors });
    return result;
  }

  /** Reads and checks a file to import; the lines say why it cannot be imported, if it cannot. */
  async function readForImport(
    file: Uint8Array,
    format: 'xml' | 'csv',
    csvYear: number,
    laCode: string,
  ): Promise<{ ret: Sen2Return | null; lines: string[]; lineOf: number[][] | null; unreadable: string | null }> {
    if (format === 'xml') {
      const v = await validateSen2OffThread({ bytes: file }, false);
      if (!v.ret) return { ret: null, lines: v.lines, lineOf: null, unreadable: v.unreadable };
      const lines = v.lines.filter((l) => !isHeaderProblem(l));
      if (v.ret.header.lea !== laCode) {
        lines.unshift(
          `ERROR /Message/Header/Source/LEA: the file is LA ${v.ret.header.lea || '(none)'}’s return, not LA ${laCode}’s`,
        );
      }
      return { ret: v.ret, lines, lineOf: null, unreadable: v.unreadable };
    }
    let text: string;
    try {
      text = decodeSen2(file);
    } catch (err) {
      if (!(err instanceof Sen2ReadError)) throw err;
      return { ret: null, lines: [`ERROR file: ${err.message}`], lineOf: null, unreadable: err.message };
    }
    const read = readSen2Csv(text, csvYear, laCode, clock.today());
    if (read.problems.length) {
      return { ret: null, lines: read.problems.map(formatCsvProblem), lineOf: null, unreadable: null };
    }
    // The checks across fields, reported by the CSV line they concern.
    const where = (p: Sen2Problem) => {
      const m = /^\/Message\/Persons\/Person\[(\d+)\](?:\/Requests\[(\d+)\])?(.*)$/.exec(p.path);
      if (!m) return p.path;
      const lines = read.lineOf[Number(m[1]) - 1] ?? [];
      const line = m[2] ? lines[Number(m[2]) - 1] : lines[0];
      return `line ${line}${m[3] ? ` (${m[3].replace(/^\//, '')})` : ''}`;
    };
    // A CSV has no header, and may hold today's cases, received after the return's year.
    const checks = checkSen2(read.ret, csvYear, { header: false, withinYear: false }).map(
      (p) => `${p.level} ${where(p)}: ${p.message}`,
    );
    return { ret: read.ret, lines: checks, lineOf: read.lineOf, unreadable: null };
  }

  /**
   * Imports a SEN2 XML return or the product's CSV: refused whole if it has any error; otherwise what is new is
   * written in one transaction (a failure part way leaves the database as it was). A dry run reports what would be
   * created without writing. Importing a file twice creates nothing the second time.
   */
  async function importFile(
    caller: Sen2Caller,
    file: Uint8Array,
    options: ImportOptions & {
      onProgress?: (done: number, total: number) => void;
      /** Told as each stage begins: checking, matching, writing. */
      onStep?: (step: string) => void;
    },
  ): Promise<ImportReport> {
    const step = options.onStep ?? (() => {});
    step('Checking the file');
    const csvYear = options.csvYear ?? latestYear(clock.today());
    const { ret, lines, lineOf, unreadable } = await readForImport(file, options.format, csvYear, caller.laCode);
    const report: ImportReport = {
      format: options.format,
      dryRun: options.dryRun,
      ok: false,
      unreadable,
      lines,
      year: ret?.header.year ?? null,
      persons: ret?.persons.length ?? 0,
      created: { children: 0, requests: 0, plans: 0 },
      existing: { children: 0, requests: 0, plans: 0 },
      plan: null,
      rows: [],
    };
    const refused = !ret || lines.some((l) => l.startsWith('ERROR'));
    if (!refused) {
      const today = clock.today();
      step('Matching it with the records already here');
      await db.transaction(async (tx) => {
        const plan = planImport(ret, await existingRecords(tx, caller.laCode), randomUUID, today);
        report.plan = plan;
        report.ok = true;
        const r = plan.records;
        report.created = { children: r.children.length, requests: r.requests.length, plans: r.plans.length };
        report.existing = {
          children: plan.persons.filter((p) => p.child === 'existing').length,
          requests: plan.persons.reduce((n, p) => n + p.requestsExisting, 0),
          plans: plan.persons.reduce((n, p) => n + p.plansExisting, 0),
        };
        report.rows = plan.persons.map((p) => ({
          where: lineOf
            ? `line${lineOf[p.person - 1]!.length > 1 ? 's' : ''} ${lineOf[p.person - 1]!.join(', ')}`
            : `Person[${p.person}]`,
          child: p.child,
          requests: p.requestsCreated,
          plans: p.plansCreated,
          alreadyHere: p.requestsExisting + p.plansExisting,
        }));
        if (options.dryRun) return;
        // The designated officers, from a return's header, when the LA has not said yet.
        const officers = await readOfficers(tx, caller.laCode);
        const h = ret.header;
        if (
          options.format === 'xml' &&
          !officers.dmo &&
          !officers.dco &&
          !officers.dsco &&
          (h.dmo || h.dco || h.dsco)
        ) {
          await writeOfficers(
            tx,
            caller.laCode,
            { dmo: h.dmo ?? null, dco: h.dco ?? null, dsco: h.dsco ?? null },
            officers.version,
          );
        }
        step('Writing the records');
        await insertImportRows(tx, await importRows(tx, caller.laCode, plan, today), options.onProgress ?? (() => {}));
      });
    }
    await audit(caller, options.dryRun ? 'sen2.import_dry_run' : 'sen2.import', {
      file: options.name,
      format: options.format,
      ok: report.ok,
      errors: lines.filter((l) => l.startsWith('ERROR')).length,
      created: report.created,
    });
    return report;
  }

  /** What an import job keeps of what it was asked (its file is the job's input). */
  interface ImportJobDetail {
    dryRun: boolean;
    name: string;
    format: ImportOptions['format'];
    csvYear: number | null;
    /** For the audit record: where the request to import came from. */
    ip: string | null;
    requestId: string | null;
  }

  /**
   * An import from the web, as a job: its page shows how far it has got. Checking is the first fifth of the bar,
   * matching the next tenth, and writing the rest, row by row.
   */
  const imports = createJobBoard<ImportReport, ImportJobDetail>(database, {
    kind: 'sen2_import',
    // An import holds a transaction open while it writes: one at a time.
    maxRunning: 1,
    // The report's page shows what was not kept; every child's record in the file is not kept with the report.
    stored: (report) => ({
      ...report,
      plan: report.plan && ({ notKept: report.plan.notKept } as ImportPlan),
    }),
    lifetimeMs: 60 * 60 * 1000,
    busy: {
      yours: 'Your last import is still running: wait for it to finish, then try again',
      others: 'Another import is running: try again in a few minutes',
    },
    run: (j, file) =>
      importFile(
        { laCode: j.laCode, userId: j.userId, ip: j.ip, requestId: j.requestId, via: 'web' },
        file ?? new Uint8Array(),
        {
          format: j.format,
          dryRun: j.dryRun,
          name: j.name,
          ...(j.csvYear === null ? {} : { csvYear: j.csvYear }),
          onStep: (s) => {
            j.step = s;
            j.done = s === 'Checking the file' ? 0 : s === 'Writing the records' ? 300 : 200;
          },
          onProgress: (done, total) => {
            j.done = 300 + Math.floor((700 * done) / Math.max(1, total));
          },
        },
      ),
  });

  /** Starts an import of `file` as a job; its id is for `importJob`. */
  async function startImport(
    caller: Sen2Caller & { userId: string },
    file: Uint8Array,
    options: ImportOptions,
  ): Promise<string> {
    const detail: ImportJobDetail = {
      dryRun: options.dryRun,
      name: options.name,
      format: options.format,
      csvYear: options.csvYear ?? null,
      ip: caller.ip,
      requestId: caller.requestId,
    };
    const job = await imports.start(caller, { step: 'Checking the file', total: 1000 }, detail, file);
    return job.id;
  }

  async function importJob(caller: Sen2Caller, id: string) {
    const job = await imports.get(caller.laCode, id);
    if (!job) throw new NotFoundError('import');
    return job;
  }

  return {
    exportReturn,
    validateFile,
    importFile,
    startImport,
    importJob,
    /** The import jobs, for the job queue (src/jobs/userJobs.ts). */
    imports,
    importsSettled: imports.settled,
    abandonImports: imports.abandon,
    officers: async (caller: Sen2Caller) => readOfficers(db, caller.laCode),
    /** Saves the officers as the form opened at `version` has them; refused if someone else saved them since. */
    async saveOfficers(caller: Sen2Caller, officers: Sen2Officers, version: number) {
      await db.transaction(async (tx) => {
        if (!(await writeOfficers(tx, caller.laCode, officers, version))) {
          const current = await readOfficers(tx, caller.laCode);
          const words = (o: Sen2Officers) =>
            Object.fromEntries(
              SEN2_OFFICERS.map(([k, label]) => [label, SEN2_OFFICER_ANSWERS.find(([v]) => v === o[k])?.[1] ?? '']),
            );
          throw new StaleFormError(
            await staleDetail(
              tx,
              caller.laCode,
              { type: 'sen2_officers', id: caller.laCode, version: current.version },
              words(current),
              words(officers),
            ),
          );
        }
        await audit(caller, 'sen2.officers_update', { ...officers }, tx);
      });
    },
  };
}

export type Sen2Service = ReturnType<typeof createSen2Service>;

/** The latest collection the product writes whose census date has passed (or the first, before any has). */
export function latestYear(today: LocalDate): Sen2Year {
  const passed = SEN2_YEARS.filter((y) => CENSUS_DATES[y]!.census <= today);
  return passed[passed.length - 1] ?? SEN2_YEARS[0];
}

/** The rows an import plan writes: references allocated, and each open request's next duty worked out. */
async function importRows(db: Database['db'], laCode: string, plan: ImportPlan, today: LocalDate): Promise<ImportRows> {
  const r = plan.records;
  // A block of references for each series, taken in the import's transaction (a failed import gives them back).
  const childRefs = await takeReferences(db, laCode, 'children', `${laCode}-`, r.children.length);
  const perYear = new Map<string, number>();
  for (const q of r.requests)
    perYear.set(q.receivedDate.slice(0, 4), (perYear.get(q.receivedDate.slice(0, 4)) ?? 0) + 1);
  const requestRefs = new Map<string, () => string>();
  for (const [year, count] of perYear) {
    const refs = await takeReferences(db, laCode, 'requests', `EHC-${year}-`, count);
    let next = 0;
    requestRefs.set(year, () => refs[next++]!);
  }
  const eventsByRequest = new Map<string, typeof r.events>();
  for (const e of r.events) eventsByRequest.set(e.requestId, [...(eventsByRequest.get(e.requestId) ?? []), e]);
  return {
    children: r.children.map((c, i) => ({ ...c, laCode, reference: childRefs[i]! })),
    requests: r.requests.map((q) => {
      const next = q.open ? caseNextDuty(eventsByRequest.get(q.id) ?? [], [], today) : null;
      return {
        ...q,
        laCode,
        reference: requestRefs.get(q.receivedDate.slice(0, 4))!(),
        nextDuty: next?.duty ?? null,
        nextDueDate: next?.due ?? null,
      };
    }),
    plans: r.plans.map(({ named: _named, transferLa: _transferLa, ...p }) => ({ ...p, laCode })),
    // A plan the return says was transferred out (TransferLA, CeaseReason 5): its move, done on the day it ended.
    moves: r.plans
      .filter((p) => p.transferLa && p.ceasedDate)
      .map((p) => ({
        laCode,
        planId: p.id,
        childId: p.childId,
        direction: 'out',
        otherLaCode: p.transferLa!,
        moveDate: p.ceasedDate,
        learnedDate: p.ceasedDate,
        transferDate: p.ceasedDate,
        status: 'done',
      })),
    planVersions: r.plans.map((p) => ({
      laCode,
      planId: p.id,
      versionNo: 1,
      kind: 'final',
      issuedDate: p.firstIssuedDate,
      content: p.named ? { I: { settingName: '', settingType: '', ...p.named } } : {},
    })),
    events: r.events.map((e) => ({ ...e, laCode })),
  };
}

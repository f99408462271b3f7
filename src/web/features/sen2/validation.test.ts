import { describe, expect, it } from 'vitest';
import { readImportForm, readOfficersForm } from './validation.js';

describe('the designated officers form', () => {
  it('reads each answer, and names each officer not answered', () => {
    expect(readOfficersForm({ dmo: 'Y', dco: 'R', dsco: 'N' })).toEqual({
      ok: true,
      data: { dmo: 'Y', dco: 'R', dsco: 'N' },
    });
    expect(readOfficersForm({ dmo: 'Y', dco: 'maybe' })).toEqual({
      ok: false,
      errors: [
        { text: 'Select whether the LA has a designated clinical officer', href: '#dco' },
        { text: 'Select whether the LA has a designated social care officer', href: '#dsco' },
      ],
    });
  });
});

describe('the import form', () => {
  const file = { tooLarge: false, size: 100 };

  it('reads the kind of file, dry run or not, and a CSV’s collection year', () => {
    expect(readImportForm({ format: 'csv', csvYear: '2026', mode: 'dry_run' }, file)).toEqual({
      ok: true,
      data: { importFile: file, format: 'csv', csvYear: 2026, mode: 'dry_run' },
    });
    // An XML return says its own year.
    expect(readImportForm({ format: 'xml', mode: 'import' }, file)).toMatchObject({ ok: true });
  });

  it('lists every problem in the order of the page, the file first', () => {
    expect(readImportForm({ format: 'csv', csvYear: '2024', mode: 'later' }, { tooLarge: false, size: 0 })).toEqual({
      ok: false,
      errors: [
        { text: 'Select a SEN2 XML or CSV file', href: '#importFile' },
        { text: 'Select the collection year the CSV’s records belong to', href: '#csvYear' },
        { text: 'Select whether to check the file only or to import it', href: '#mode' },
      ],
    });
    expect(readImportForm({ mode: 'import' }, { tooLarge: true, size: 0 })).toEqual({
      ok: false,
      errors: [
        { text: 'The selected file must be smaller than 60MB', href: '#importFile' },
        { text: 'Select the kind of file', href: '#format' },
      ],
    });
  });
});

/**
 * The SEN2 page's forms (zod, through the one adapter in web/validation.ts): the designated officers, and the import
 * of a file of existing cases (the file as the upload left it, its kind, the CSV's collection year, dry run or not).
 */
import { z } from 'zod';
import { isSen2Year } from '../../../domain/sen2/census.js';
import { SEN2_OFFICERS } from '../../../services/sen2.js';
import { checkForm, choice, field } from '../../validation.js';

const ANSWERS = ['Y', 'N', 'R'] as const;

const officersForm = z.object(
  Object.fromEntries(
    SEN2_OFFICERS.map(([key, label]) => [
      key,
      choice(ANSWERS, `Select whether the LA has a ${label.replace(/ \(.*/, '').toLowerCase()}`),
    ]),
  ) as Record<(typeof SEN2_OFFICERS)[number][0], ReturnType<typeof choice<typeof ANSWERS>>>,
);

/** Each designated officer's answer (Y, N or R); or which is missing. */
export function readOfficersForm(body: unknown) {
  return checkForm(officersForm, body);
}

export const TOO_LARGE = 'The selected file must be smaller than 60MB';

const importForm = z
  .object({
    importFile: z
      .object({ tooLarge: z.boolean(), size: z.number() })
      .refine((f) => !f.tooLarge, { error: TOO_LARGE, abort: true })
      .refine((f) => f.size > 0, { error: 'Select a SEN2 XML or CSV file' }),
    format: choice(['xml', 'csv'], 'Select the kind of file'),
    csvYear: field.transform(Number),
    mode: choice(['dry_run', 'import'], 'Select whether to check the file only or to import it'),
  })
  .refine((f) => f.format !== 'csv' || isSen2Year(f.csvYear), {
    error: 'Select the collection year the CSV’s records belong to',
    path: ['csvYear'],
    // Checked whatever else is wrong, once the kind of file is known to be CSV.
    when: (payload) => (payload.value as { format?: unknown } | undefined)?.format === 'csv',
  });

/**
 * The import form: `upload` is what the upload left (too large, or the file's size; 0 for none). The kind of file,
 * dry run or not, and the collection year for a CSV; or the GOV.UK error summary, in the order of the page.
 */
export function readImportForm(body: Record<string, unknown>, upload: { tooLarge: boolean; size: number }) {
  return checkForm(importForm, { ...body, importFile: upload }, ['importFile', 'format', 'csvYear', 'mode']);
}

/**
 * The SEN2 check run off the main thread (issue 23 item 5) gives exactly what the check gives in the calling thread:
 * the same problems, counts and return, for a good file, a file with errors, one that cannot be read, and one given
 * by its path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleReturn } from '../../test/sen2.js';
import { sen2Counts } from '../domain/sen2/counts.js';
import { writeSen2 } from '../domain/sen2/writer.js';
import { validateSen2Document, validateSen2OffThread } from './sen2Schema.js';

const dir = mkdtempSync(path.join(tmpdir(), 'openehcp-sen2-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = Buffer.from(writeSen2(sampleReturn(2026), 2026));
const bad = Buffer.from(
  writeSen2({ ...sampleReturn(2026), persons: [{ ...sampleReturn(2026).persons[0]!, sex: 'Q' }] }, 2026),
);
const unreadable = Buffer.from('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x "y">]><Message>&x;</Message>');

describe('the SEN2 check on a worker thread', () => {
  it('gives the same validation as the check run here, for good, bad and unreadable files', async () => {
    for (const file of [good, bad, unreadable]) {
      const here = await validateSen2Document(file);
      expect(await validateSen2OffThread({ bytes: file }, false)).toEqual(here);
    }
    // The bad file's error is found (so the comparison above compared something).
    expect((await validateSen2Document(bad)).errors).toBeGreaterThan(0);
  }, 60_000);

  it('reads a file by its path, and sums up what a page shows: problems, persons and the headline counts', async () => {
    const file = path.join(dir, 'SEN2_999_2026.xml');
    writeFileSync(file, bad);
    const here = await validateSen2Document(bad);
    const summary = await validateSen2OffThread({ path: file }, true);
    expect(summary).toEqual({
      year: here.year,
      lines: here.lines,
      errors: here.errors,
      queries: here.queries,
      unreadable: null,
      persons: here.ret!.persons.length,
      counts: sen2Counts(here.ret!),
    });
  }, 60_000);

  it('fails with a clear error when the file cannot be read at all', async () => {
    await expect(validateSen2OffThread({ path: path.join(dir, 'missing.xml') }, true)).rejects.toThrow(
      /the SEN2 check failed: ENOENT/,
    );
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { readTargetForm } from './validation.js';

describe("a measure's target form", () => {
  it('reads a target typed with a % sign, the version the page was opened at, and the reason', () => {
    expect(readTargetForm({ target: ' 62.5% ', version: '3', reason: 'Board agreed' })).toEqual({
      ok: true,
      data: { target: 62.5, version: 3, reason: 'Board agreed' },
    });
    expect(readTargetForm({ action: 'remove', target: '', version: '0', reason: 'x'.repeat(1200) })).toEqual({
      ok: true,
      data: { target: null, version: 0, reason: 'x'.repeat(1000) },
    });
  });

  it.each([
    [{ target: '60' }, 'The form is out of date: try again'],
    [{ target: '60', version: 'two' }, 'The form is out of date: try again'],
    [{ target: 'sixty', version: '-1' }, 'The form is out of date: try again'],
    [{ target: '', version: '1' }, 'Enter a target'],
    [{ target: '%', version: '1' }, 'Enter a target'],
    [{ target: 'sixty', version: '1' }, 'Target must be a number, like 60 or 62.5'],
    [{ target: '62.555', version: '1' }, 'Target must be a number, like 60 or 62.5'],
    [{ target: '1234567', version: '1' }, 'Target must be a number, like 60 or 62.5'],
  ])('%j: "%s", linked to the target', (body, text) => {
    expect(readTargetForm(body)).toEqual({ ok: false, errors: [{ text, href: '#target' }] });
  });
});

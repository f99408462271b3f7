import { describe, expect, it } from 'vitest';
import { checkStaffRows, roleFromText } from './staff.js';

const row = (name: string, email: string, roles: string, team = '') => ({ name, email, roles, team });

describe('a role as written in a staff CSV', () => {
  it('is read by its code or its name, in any case', () => {
    expect(roleFromText('caseworker')).toBe('caseworker');
    expect(roleFromText('  send   MANAGER ')).toBe('manager');
    expect(roleFromText('Quality assurance auditor')).toBe('qa_auditor');
    expect(roleFromText('wizard')).toBeUndefined();
  });
});

describe('checking the rows of a staff CSV', () => {
  it('numbers rows as a spreadsheet does (the header is row 1) and names each problem', () => {
    const checked = checkStaffRows([
      row('Ann', 'ann@council.example', 'caseworker; SEND manager', 'North'),
      row('', 'bad', ''),
      row('Dup', 'ANN@council.example', 'Parent or carer; wizard'),
    ]);
    expect(checked[0]).toMatchObject({
      row: 2,
      ok: true,
      value: { name: 'Ann', email: 'ann@council.example', roles: ['caseworker', 'manager'], team: 'North' },
    });
    expect(checked[1]).toMatchObject({
      row: 3,
      ok: false,
      problems: [
        'Enter a name',
        'bad is not an email address in the correct format',
        'Enter one or more roles, separated by ";" (such as caseworker; manager)',
      ],
    });
    expect(checked[2]).toMatchObject({
      row: 4,
      ok: false,
      problems: [
        'ANN@council.example is also on row 2: each person once',
        'A parent or carer is linked to their child by invitation, not here',
        expect.stringContaining('"wizard" is not a role'),
      ],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { type Actor, canReadCase, navigationFor, permissionsFor } from './roles.js';

const staff = (roles: Actor['roles'], laCode = '999'): Actor => ({ userId: 'u1', laCode, roles, childIds: [] });

describe('access rules', () => {
  it('never lets a user read a case in another LA, whatever the role', () => {
    for (const role of ['caseworker', 'manager', 'qa_auditor', 'admin'] as const) {
      expect(canReadCase(staff([role], '998'), { laCode: '999', childId: 'c1' })).toBe(false);
    }
  });

  it('lets caseworkers, managers and QA auditors read any case in their LA', () => {
    for (const role of ['caseworker', 'manager', 'qa_auditor'] as const) {
      expect(canReadCase(staff([role]), { laCode: '999', childId: 'c1' })).toBe(true);
    }
  });

  it('lets a parent read only their own child', () => {
    const parent: Actor = { userId: 'p', laCode: '999', roles: ['parent'], childIds: ['c1'] };
    expect(canReadCase(parent, { laCode: '999', childId: 'c1' })).toBe(true);
    expect(canReadCase(parent, { laCode: '999', childId: 'c2' })).toBe(false);
  });

  it('does not give advice givers, board members or admins access to case records', () => {
    for (const role of ['advice_giver', 'board_member', 'admin'] as const) {
      expect(canReadCase(staff([role]), { laCode: '999', childId: 'c1' })).toBe(false);
    }
  });

  it('names a family account’s one link as the account is: its own request, one child, or two', () => {
    const text = (family: Parameters<typeof navigationFor>[1]) => navigationFor(['parent'], family)[0]!.text;
    expect(text({ youngPerson: true, children: 1 })).toBe('Your request');
    expect(text({ youngPerson: false, children: 1 })).toBe('Your child');
    expect(text({ youngPerson: false, children: 2 })).toBe('Your children');
  });

  it('shows each role only the navigation it may use', () => {
    const hrefs = (roles: Actor['roles']) => navigationFor(roles).map((i) => i.href);
    // The home page is the service name's link, not an item (so the manager's navigation fits on one line).
    expect(hrefs(['caseworker'])).toEqual(['/cases', '/improvement-plan', '/messages']);
    expect(hrefs(['parent'])).toEqual(['/my-child']);
    expect(hrefs(['admin'])).toEqual([
      '/messages',
      '/admin/users',
      '/admin/audit',
      '/admin/bank-holidays',
      '/admin/retention',
    ]);
    expect(hrefs(['board_member'])).toEqual(['/measures', '/improvement-plan']);
    // Professionals outside the council: their own work list, nothing of the caseload.
    expect(hrefs(['advice_giver'])).toEqual(['/advice']);
    expect(hrefs(['school'])).toEqual(['/consultations']);
    expect(hrefs(['manager'])).toEqual(['/cases', '/measures', '/improvement-plan', '/quality', '/sen2', '/messages']);
    // The data officer makes the SEN2 return and reads the measures it is checked against, not children's cases.
    expect(hrefs(['data_officer'])).toEqual(['/measures', '/sen2']);
    expect(permissionsFor(['data_officer']).has('case:read_any')).toBe(false);
    expect(permissionsFor(['caseworker']).has('sen2:manage')).toBe(false);
    expect(hrefs(['qa_auditor'])).toEqual(['/measures', '/improvement-plan', '/quality']);
    // Families never see audits; caseworkers see findings on their cases, not the audits.
    expect(permissionsFor(['parent']).has('quality:audit')).toBe(false);
    expect(permissionsFor(['caseworker']).has('quality:audit')).toBe(false);
    // Anyone who may read the plan may update the actions they own; only managers and the board write it.
    expect(permissionsFor(['caseworker']).has('plan:edit')).toBe(false);
    expect(permissionsFor(['board_member']).has('plan:edit')).toBe(true);
    expect(permissionsFor(['qa_auditor']).has('caseload:view')).toBe(false);
    expect(permissionsFor(['caseworker']).has('case:reassign')).toBe(false);
    expect(permissionsFor(['manager']).has('case:reassign')).toBe(true);
  });
});

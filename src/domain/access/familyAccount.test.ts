import { describe, expect, it } from 'vitest';
import { familyAccountOf, familyWords } from './familyAccount.js';

describe('how the service speaks to a family account', () => {
  it('a young person linked to their own request is spoken to as "you", never as a parent or carer', () => {
    const account = familyAccountOf([{ relationship: 'young_person' }]);
    expect(account).toEqual({ youngPerson: true, children: 1 });
    expect(familyWords(account!)).toEqual({
      navigation: 'Your request',
      signedInAs: 'a young person, for your own request',
      description: 'Where your request for an assessment has got to.',
      fullName: 'your full name',
    });
  });

  it('a parent or carer of one child reads "Your child"; of two, "Your children" where both are listed', () => {
    expect(familyWords(familyAccountOf([{ relationship: 'parent' }])!).navigation).toBe('Your child');
    expect(familyWords(familyAccountOf([{ relationship: null }])!).signedInAs).toBe('a parent or carer');
    const carer = familyWords(familyAccountOf([{ relationship: 'parent' }, { relationship: null }])!);
    expect(carer.navigation).toBe('Your children');
    expect(carer.description).toBe('Where your children’s requests for an assessment have got to.');
    expect(carer.fullName).toBe('your children’s full names');
  });

  it('an account with no link to a child is not a family account', () => {
    expect(familyAccountOf([])).toBeNull();
  });
});

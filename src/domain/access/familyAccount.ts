/**
 * How the service speaks to a family's account, from its links to children (role assignments of the role 'parent',
 * each with its relationship): a young person signed in for their own request is "you", never "your child" or "parent
 * or carer"; a parent or carer linked to two children reads "Your children" where both are listed.
 */

/** A family account's links in the LA it acts for. */
export interface FamilyAccount {
  /** Every link is the young person's own (relationship 'young_person'). */
  youngPerson: boolean;
  /** How many children the account is linked to. */
  children: number;
}

/** The account's links, from its role assignments' relationships (null: not a family account). */
export function familyAccountOf(links: readonly { relationship: string | null }[]): FamilyAccount | null {
  if (links.length === 0) return null;
  return { youngPerson: links.every((l) => l.relationship === 'young_person'), children: links.length };
}

/** The words the layout, the home page and the account pages use for the account. */
export interface FamilyWords {
  /** The service navigation's link to their request(s), and the home page's. */
  navigation: string;
  /** What they are signed in as ("You are signed in as ..."). */
  signedInAs: string;
  /** The home page's line under the link. */
  description: string;
  /** What a text message never has in it: the full name(s). */
  fullName: string;
}

export function familyWords(account: FamilyAccount): FamilyWords {
  if (account.youngPerson) {
    return {
      navigation: account.children > 1 ? 'Your requests' : 'Your request',
      signedInAs: 'a young person, for your own request',
      description:
        account.children > 1
          ? 'Where your requests for an assessment have got to.'
          : 'Where your request for an assessment has got to.',
      fullName: 'your full name',
    };
  }
  const two = account.children > 1;
  return {
    navigation: two ? 'Your children' : 'Your child',
    signedInAs: 'a parent or carer',
    description: two
      ? 'Where your children’s requests for an assessment have got to.'
      : 'Where your child’s request for an assessment has got to.',
    fullName: two ? 'your children’s full names' : 'your child’s full name',
  };
}

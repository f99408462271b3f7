/** Fictional people and places for the demo county. Names are common first names and surnames, freely combined. */
// prettier-ignore
export const GIVEN_NAMES = [
  'Oliver', 'Amelia', 'George', 'Isla', 'Noah', 'Ava', 'Arthur', 'Mia', 'Leo', 'Ivy', 'Oscar', 'Lily', 'Harry',
  'Isabella', 'Archie', 'Rosie', 'Jack', 'Sophia', 'Henry', 'Grace', 'Charlie', 'Freya', 'Freddie', 'Willow',
  'Theodore', 'Florence', 'Thomas', 'Emily', 'Alfie', 'Ella', 'Finley', 'Poppy', 'Isaac', 'Evie', 'Jacob', 'Elsie',
  'Mohammed', 'Aisha', 'Yusuf', 'Zara', 'Ibrahim', 'Maryam', 'Arjun', 'Priya', 'Rohan', 'Anaya', 'Kai', 'Maya',
  'Tomasz', 'Zofia', 'Luca', 'Chloe', 'Ethan', 'Ruby', 'Samuel', 'Hannah', 'Joseph', 'Erin', 'Reuben', 'Niamh',
  'Daniel', 'Olivia', 'Dylan', 'Layla', 'Logan', 'Nia', 'Elijah', 'Amara', 'Ezra', 'Harper', 'Max', 'Matilda',
] as const;

// prettier-ignore
export const FAMILY_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright',
  'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris',
  'Edwards', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis',
  'Baker', 'Lee', 'Allen', 'Morris', 'Khan', 'Scott', 'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young',
  'Phillips', 'Richardson', 'Mitchell', 'Bailey', 'Carter', 'Cook', 'Singh', 'Shaw', 'Bell', 'Collins', 'Morgan',
  'Kelly', 'Begum', 'Miller', 'Cox', 'Hussain', 'Marshall', 'Simpson', 'Price', 'Anderson', 'Adams', 'Wilkinson',
  'Ali', 'Ahmed', 'Foster', 'Ellis', 'Murphy', 'Chapman', 'Mason', 'Gray', 'Richards', 'Webb', 'Griffiths', 'Hunt',
  'Palmer', 'Campbell', 'Holmes', 'Mills', 'Rogers', 'Barnes', 'Knight', 'Matthews', 'Barker', 'Nowak', 'Okafor',
] as const;

/** Area teams of the demo county, each with a postcode district prefix. */
export const TEAMS = [
  { name: 'North area', postcode: 'DC1' },
  { name: 'South area', postcode: 'DC2' },
  { name: 'East area', postcode: 'DC3' },
  { name: 'West area', postcode: 'DC4' },
] as const;

// prettier-ignore
const PLACES = [
  'Oakfield', 'Millbrook', 'Ashby Green', 'Kingsmead', 'Hollowell', 'Brackenfield', 'Elmstead', 'Riverside',
  'Westcott', 'Thornbury', 'Larkhill', 'Fernhurst', 'Stonebridge', 'Meadowbank', 'Highgate Vale', 'Pennington',
  'Willowmere', 'Cranfield', 'Hazelwood', 'Netherby',
] as const;

export interface DemoSetting {
  name: string;
  type: 'mainstream' | 'special' | 'early_years' | 'post16' | 'independent_special';
  /** How SEN2 identifies it: a school's URN, a college's UKPRN, or for a nursery with neither, the code EYP. */
  urn: string | null;
  ukprn: string | null;
  senSetting: string | null;
}

/**
 * The demo county's settings. Identifiers are fictional but well formed: URNs 990001 on (GIAS has none so high),
 * UKPRNs 10099001 on.
 */
export function demoSettings(): DemoSetting[] {
  const settings: DemoSetting[] = [];
  const school = (name: string, type: DemoSetting['type']) =>
    settings.push({ name, type, urn: String(990001 + settings.length), ukprn: null, senSetting: null });
  PLACES.forEach((place, i) => {
    school(`${place} Primary School`, 'mainstream');
    if (i % 2 === 0) school(`${place} Academy`, 'mainstream');
    if (i % 4 === 0) school(`${place} School (special)`, 'special');
    if (i % 5 === 0) {
      settings.push({ name: `${place} Nursery`, type: 'early_years', urn: null, ukprn: null, senSetting: 'EYP' });
    }
    if (i % 7 === 0) {
      const ukprn = String(10099001 + settings.length);
      settings.push({ name: `${place} College`, type: 'post16', urn: null, ukprn, senSetting: null });
    }
  });
  school('Hartwell House School (independent special)', 'independent_special');
  return settings;
}

export const PROVIDERS = {
  educational_psychology: 'Demo County Educational Psychology Service',
  health: 'Demo Valley NHS Foundation Trust (designated clinical officer)',
  social_care: "Demo County Children's Services",
} as const;

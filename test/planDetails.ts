/**
 * The improvement plan's details form as a board member fills it in, for tests: its title, partners (one per line),
 * a plan from 1 April 2025 to 31 March 2028 (the GOV.UK date inputs' boxes), and its independent chair. Not published
 * and without the version the form was opened at: a test adds those when it needs them.
 */
export const PLAN_DETAILS_FORM = {
  title: 'Test SEND Improvement Plan',
  partners: 'Test County Council\nTest ICB',
  'periodStart-day': '1',
  'periodStart-month': '4',
  'periodStart-year': '2025',
  'periodEnd-day': '31',
  'periodEnd-month': '3',
  'periodEnd-year': '2028',
  chair: 'A. Chair',
} as const;

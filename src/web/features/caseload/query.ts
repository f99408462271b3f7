import { OPEN_STAGES, PRIMARY_NEED_NAMES } from '../../../domain/casework/stages.js';
import { CASELOAD_SORTS, CASELOAD_VIEWS, type CaseloadOptions, type CaseloadSort } from '../../../services/cases.js';
import type { FormError } from '../signin/validation.js';
import { isUuid } from '../../../domain/identifiers/uuid.js';

const MAX_PAGE = 100_000;

/**
 * Reads the caseload's query string. Unknown values are an error the user is told about (400), never a crash and
 * never silently replaced, so a bookmarked or edited link does not show a different list than it says.
 */
export const CASELOAD_PROCESSES = ['request', 'review', 'all'] as const;
export type CaseloadProcess = (typeof CASELOAD_PROCESSES)[number];

export function parseCaseloadQuery(
  query: Record<string, unknown>,
  defaults: Pick<CaseloadOptions, 'view'>,
): { options: CaseloadOptions; process: CaseloadProcess; errors: FormError[] } {
  const errors: FormError[] = [];
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      errors.push({ text: `Use "${name}" only once in the address`, href: '#' });
      return undefined;
    }
    return v;
  };
  const view = one('view') ?? defaults.view;
  const sort = one('sort') ?? 'due';
  const direction = one('direction') ?? (sort === 'weeks' ? 'desc' : 'asc');
  const pageRaw = one('page') ?? '1';
  const process = one('process') || 'request';
  if (!(CASELOAD_PROCESSES as readonly string[]).includes(process))
    errors.push({ text: 'Process must be "request" (new requests), "review" (annual reviews) or "all"', href: '#' });
  if (!(CASELOAD_VIEWS as readonly string[]).includes(view))
    errors.push({ text: 'View must be "mine", "team" or "all"', href: '#' });
  // Filters: empty means "any".
  const stage = one('stage') || undefined;
  const caseworker = one('caseworker') || undefined;
  const need = one('need') || undefined;
  if (stage && !(OPEN_STAGES as readonly string[]).includes(stage))
    errors.push({ text: `Stage must be one of: ${OPEN_STAGES.join(', ')}`, href: '#' });
  if (caseworker && !isUuid(caseworker))
    errors.push({ text: 'Caseworker must be a caseworker from the list', href: '#' });
  if (need && !(need in PRIMARY_NEED_NAMES))
    errors.push({ text: `Need must be one of: ${Object.keys(PRIMARY_NEED_NAMES).join(', ')}`, href: '#' });
  if (!(CASELOAD_SORTS as readonly string[]).includes(sort))
    errors.push({ text: `Sort must be one of: ${CASELOAD_SORTS.join(', ')}`, href: '#' });
  if (direction !== 'asc' && direction !== 'desc')
    errors.push({ text: 'Direction must be "asc" or "desc"', href: '#' });
  if (!/^\d{1,6}$/.test(pageRaw) || Number(pageRaw) < 1 || Number(pageRaw) > MAX_PAGE)
    errors.push({ text: 'Page must be a whole number from 1', href: '#' });
  return {
    options: {
      view: (CASELOAD_VIEWS as readonly string[]).includes(view) ? (view as CaseloadOptions['view']) : 'all',
      stage,
      caseworker,
      need,
      sort: sort as CaseloadSort,
      direction: direction === 'desc' ? 'desc' : 'asc',
      page: Number(pageRaw) || 1,
    },
    process: (CASELOAD_PROCESSES as readonly string[]).includes(process) ? (process as CaseloadProcess) : 'request',
    errors,
  };
}

/**
 * The rows of a form written under the plan's headings (the caseworker's plan editor, a professional's advice): the
 * needs (B), outcomes (E) and provision (F) as typed or saved, each followed by the empty rows to write more in. One
 * function for both forms, so "Add another need" (outcome, provision item) adds a row the same way on each.
 */
import type { Need, Outcome, ProvisionItem } from '../../../domain/casework/planContent.js';

export type RowKind = 'need' | 'outcome' | 'provision';

export interface RowsContent<N extends Need = Need> {
  B: N[];
  E: Outcome[];
  F: ProvisionItem[];
}

/**
 * The form's rows: what `content` holds, then in each section the empty rows `spare(kind, rows)` says (`rows`: how
 * many the section has). `add` is the "Add another" button pressed, if any: that section gets one more empty row.
 */
export function editorRows<N extends Need>(
  content: RowsContent<N>,
  add: string | null | undefined,
  spare: (rows: number) => number,
  blankNeed: N,
) {
  const count = (kind: RowKind, rows: number) => spare(rows) + (add === kind ? 1 : 0);
  return {
    needs: [...content.B, ...Array.from({ length: count('need', content.B.length) }, () => ({ ...blankNeed }))],
    outcomes: [
      ...content.E,
      ...Array.from({ length: count('outcome', content.E.length) }, (): Outcome => ({
        id: '',
        text: '',
        timeframe: '',
        needIds: [],
      })),
    ],
    provision: [
      ...content.F,
      ...Array.from({ length: count('provision', content.F.length) }, (): ProvisionItem => ({
        id: '',
        what: '',
        who: '',
        frequency: '',
        duration: '',
        needId: '',
        outcomeId: '',
      })),
    ],
  };
}

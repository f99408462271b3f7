import { findCommitment, findCommitmentValue, putCommitmentValue } from '../../data/repositories/improvementPlans.js';
import { formatMonth } from '../../domain/dates/localDate.js';
import type { RequestContext } from '../cases.js';
import { NotFoundError } from '../errors.js';
import { runUseCase } from '../useCase.js';
import { conflict, PlanRuleError, type PlanDeps } from './shared.js';

/**
 * Enters (or corrects) a month's figure of a series entered by hand, as the form opened at `valuesVersion` saw the
 * figures: a figure someone else entered for the same month since then is not overwritten.
 */
export async function enterValue(
  { database, clock }: PlanDeps,
  ctx: RequestContext,
  id: string,
  month: string,
  value: number,
  n: number | null,
  valuesVersion: number,
) {
  await runUseCase(database, ctx, 'plan:edit', async (frame) => {
    const { tx, laCode } = frame;
    const row = await findCommitment(tx, laCode, id, true);
    if (!row) throw new NotFoundError(id);
    if (row.measureId) {
      throw new PlanRuleError([{ field: 'month', text: 'This commitment’s figures come from its live measure' }]);
    }
    if (month > clock.today().slice(0, 7)) {
      throw new PlanRuleError([{ field: 'month', text: 'The month must not be in the future' }]);
    }
    if (value < 0 || (row.seriesUnit === '%' && value > 100)) {
      throw new PlanRuleError([
        {
          field: 'value',
          text: row.seriesUnit === '%' ? 'Value must be a percentage from 0 to 100' : 'Value must be 0 or more',
        },
      ]);
    }
    const saved = await findCommitmentValue(tx, laCode, id, month);
    if (saved && saved.valuesVersion > valuesVersion) {
      const words = (figure: { value: number; n: number | null }) => ({
        [`Figure for ${formatMonth(month)}`]: `${figure.value}${row.seriesUnit === '%' ? '%' : ''}`,
        'Number it is worked out from': figure.n === null ? '' : String(figure.n),
      });
      throw await conflict(
        tx,
        ctx,
        { type: 'commitment_value', id, version: row.valuesVersion },
        words(saved),
        words({ value, n }),
      );
    }
    await putCommitmentValue(tx, {
      laCode,
      commitmentId: id,
      month,
      value,
      n,
      enteredBy: ctx.actor.userId,
      enteredAt: clock.now(),
    });
    await frame.audit('update', 'commitment_value', id, { month, value, n });
  });
}

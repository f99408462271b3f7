/**
 * The improvement plan. So far: the plan check, where a board pastes the text of its current plan and sees which of
 * its statements are measurable commitments and what the others lack (domain/commitments/vagueness.ts). Nothing
 * pasted is stored.
 */
import { Router } from 'express';
import {
  candidatesFromText,
  MAX_PASTED_CHARACTERS,
  type Candidate,
  type VaguenessRule,
} from '../../../domain/commitments/vagueness.js';
import { requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';

const RULE_NAMES: Record<VaguenessRule, string> = {
  no_number: 'No number',
  no_date: 'No date',
  no_owner: 'No owner',
  no_baseline: 'No baseline',
  no_definition: 'No data definition',
  vague_verb: 'Vague verb',
  no_trajectory: 'No trajectory',
};

function summary(candidates: Candidate[]) {
  const byRule = Object.entries(RULE_NAMES).map(([rule, name]) => ({
    name,
    count: candidates.filter((c) => c.flags.some((f) => f.rule === rule)).length,
  }));
  return {
    statements: candidates.length,
    measurable: candidates.filter((c) => c.flags.length === 0).length,
    byRule: byRule.filter((r) => r.count > 0),
  };
}

export function planRoutes(): Router {
  const router = Router();
  router.get('/improvement-plan/check', requirePermission('plan:edit'), noStore, (_req, res) => {
    res.render('plan/check.njk', { maxCharacters: MAX_PASTED_CHARACTERS });
  });
  router.post('/improvement-plan/check', requirePermission('plan:edit'), noStore, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = typeof body.planText === 'string' ? body.planText : '';
    if (text.trim() === '') {
      res.status(400).render('plan/check.njk', {
        maxCharacters: MAX_PASTED_CHARACTERS,
        errors: [{ text: 'Paste the text of the plan', href: '#planText' }],
      });
      return;
    }
    const { candidates, truncated } = candidatesFromText(text);
    res.render('plan/check.njk', {
      maxCharacters: MAX_PASTED_CHARACTERS,
      // The text goes back into the box, so nothing typed is lost (only what was read, when it was cut short).
      planText: text.slice(0, MAX_PASTED_CHARACTERS),
      truncated,
      candidates: candidates.map((c) => ({ ...c, ruleNames: c.flags.map((f) => RULE_NAMES[f.rule]) })),
      summary: summary(candidates),
    });
  });
  return router;
}

/** The plan check: a board pastes the text of its current plan and sees what is not measurable. Nothing is stored. */
import type { Router } from 'express';
import { candidatesFromText, MAX_PASTED_CHARACTERS, type Candidate } from '../../../domain/commitments/vagueness.js';
import { requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { RULE_NAMES } from './view.js';

/** How many statements were read, how many are measurable, and how many lack each thing. */
function checkSummary(candidates: Candidate[]) {
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

export function checkRoutes(router: Router): void {
  router.get('/improvement-plan/check', requirePermission('plan:edit'), noStore, (_req, res) => {
    res.render('plan/check.njk', { maxCharacters: MAX_PASTED_CHARACTERS });
  });
  router.post('/improvement-plan/check', requirePermission('plan:edit'), noStore, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const pasted = typeof body.planText === 'string' ? body.planText : '';
    if (pasted.trim() === '') {
      res.status(400).render('plan/check.njk', {
        maxCharacters: MAX_PASTED_CHARACTERS,
        errors: [{ text: 'Paste the text of the plan', href: '#planText' }],
      });
      return;
    }
    const { candidates, truncated } = candidatesFromText(pasted);
    res.render('plan/check.njk', {
      maxCharacters: MAX_PASTED_CHARACTERS,
      // The text goes back into the box, so nothing typed is lost (only what was read, when it was cut short).
      planText: pasted.slice(0, MAX_PASTED_CHARACTERS),
      truncated,
      candidates: candidates.map((c) => ({ ...c, ruleNames: c.flags.map((f) => RULE_NAMES[f.rule]) })),
      summary: checkSummary(candidates),
    });
  });
}

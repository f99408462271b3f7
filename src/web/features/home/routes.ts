import { Router } from 'express';
import { familyWords } from '../../../domain/access/familyAccount.js';
import { navigationFor, ROLE_NAMES } from '../../../domain/access/roles.js';
import type { Services } from '../../../services/index.js';

const DESCRIPTIONS: Record<string, string> = {
  '/cases': 'Open requests for assessment, where each one stands and how long it has waited.',
  '/my-child': "Where your child's request for an assessment has got to.",
  '/advice': 'The requests for advice addressed to you or your service: give your advice online by its due date.',
  '/consultations':
    'The council’s consultations about naming your school or setting in a child’s plan: read the draft and answer.',
  '/admin/users': 'Who can use the service in your council, and their roles.',
  '/admin/audit': "Who looked at or changed which child's record, and when.",
  '/admin/bank-holidays': 'The bank holidays that working-day deadlines skip, and adding the next years.',
};

export function homeRoutes(services: Services): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (!req.user) {
      // Before `openehcp setup` has made a council, nobody can sign in: the page says what to do instead.
      res.render('home/start.njk', { notSetUp: !(await services.accounts.anyCouncil()) });
      return;
    }
    // A family account is told what it is and where its request(s) are in its own words (a young person: "your").
    const words = req.user.family ? familyWords(req.user.family) : null;
    const links = navigationFor(req.user.roles, req.user.family).map((i) => ({
      ...i,
      description: (i.href === '/my-child' && words?.description) || (DESCRIPTIONS[i.href] ?? ''),
    }));
    const roleNames = req.user.roles.map((r) =>
      r === 'parent' && words ? words.signedInAs : ROLE_NAMES[r].toLowerCase(),
    );
    res.render('home/home.njk', { links, signedInAs: roleNames.join(', ') });
  });
  return router;
}

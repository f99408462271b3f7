import { Router } from 'express';

export function infoRoutes(): Router {
  const router = Router();
  router.get('/accessibility', (_req, res) => res.render('info/accessibility.njk'));
  router.get('/cookies', (_req, res) => res.render('info/cookies.njk'));
  return router;
}

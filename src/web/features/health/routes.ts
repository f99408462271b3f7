import { Router } from 'express';
import type { Services } from '../../../services/index.js';

/** Liveness and readiness for load balancers and orchestrators. */
export function healthRoutes(services: Services, state: { shuttingDown: boolean }): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (state.shuttingDown) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    try {
      await services.health.ready();
      res.json({ status: 'ready', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'not_ready', database: 'unavailable' });
    }
  });
  return router;
}

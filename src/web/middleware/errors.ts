import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../../services/errors.js';
import { requestIdOf } from './auth.js';
import { deniedAudited } from './params.js';

/** The route that was running (its pattern, so ids are not repeated), or the path when none matched. */
const routeOf = (req: Request) => {
  const pattern: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return `${req.method} ${typeof pattern === 'string' ? pattern : req.path}`;
};

/** The not-found page; a denied read or write of a record named by its id is audited first (middleware/params.ts). */
const notFoundPage = (req: Request, res: Response, error?: NotFoundError) => {
  deniedAudited(res, error)
    .catch((err: unknown) => req.log?.error({ err, route: routeOf(req) }, 'a denied attempt could not be audited'))
    .finally(() => res.status(404).render('errors/not-found.njk'));
};

export const notFound: RequestHandler = (req, res) => notFoundPage(req, res);

export const errorPages: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const e = err as { code?: string; status?: number; type?: string };
  if (err instanceof NotFoundError) {
    notFoundPage(req, res, err);
    return;
  }
  if (err instanceof ForbiddenError) {
    res.status(403).render('errors/forbidden.njk');
    return;
  }
  if (e.code === 'EBADCSRFTOKEN') {
    req.log?.warn({ path: req.path }, 'rejected a form without a valid CSRF token');
    res.status(403).render('errors/csrf.njk');
    return;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    // Malformed or oversized bodies from body-parser and similar client errors.
    const text = e.type === 'entity.too.large' ? 'The form was too large to send.' : 'The request could not be read.';
    res.status(e.status).render('errors/bad-request.njk', { errors: [{ text, href: '#' }] });
    return;
  }
  // What went wrong and where (the error's class and SQL state, the route), never the values it carried.
  req.log?.error({ err, route: routeOf(req) }, 'unhandled error');
  if (res.headersSent) return;
  res.status(500);
  res.render('errors/server-error.njk', { errorReference: requestIdOf(req) }, (renderErr, html) => {
    if (renderErr) {
      // The error page itself failed: a plain page, never a stack trace.
      req.log?.error({ err: renderErr }, 'the error page failed to render');
      res.type('text/plain').send('Sorry, there is a problem with the service. Try again later.');
      return;
    }
    res.send(html);
  });
};

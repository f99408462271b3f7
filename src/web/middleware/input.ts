/**
 * Text the service cannot store or write is refused on the way in, whichever page it is sent to: a control character
 * (NUL, which PostgreSQL refuses in text, and the others XML 1.0 forbids in a SEN2 return) in any form field, file
 * name or query string. The answer is a 400 with a GOV.UK error summary; no handler runs, so nothing is half-saved.
 */
import type { RequestHandler } from 'express';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Whether a parsed form or query value (text, a list, or nested values) holds a control character. */
function holdsControl(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return CONTROL.test(value);
  if (depth > 5 || typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => CONTROL.test(k) || holdsControl(v, depth + 1));
}

/**
 * The opt-in for a route that stores nothing and reads pasted text as it comes (a page break from a word processor is
 * a control character): put before refuseControlCharacters on that route alone, as the improvement plan check is
 * (app.ts), which says what it found in the text and keeps none of it.
 */
export const acceptControlCharacters: RequestHandler = (_req, res, next) => {
  res.locals.acceptsControlCharacters = true;
  next();
};

export const refuseControlCharacters: RequestHandler = (req, res, next) => {
  if (res.locals.acceptsControlCharacters === true) return next();
  const file = (req as { file?: { originalname?: unknown } }).file;
  if (!holdsControl(req.body) && !holdsControl(req.query) && !holdsControl(file?.originalname)) return next();
  req.log?.warn({ path: req.path }, 'refused input holding a control character');
  // Back to the form (its page is the same address), never to another site's ('//host').
  const back = req.method !== 'GET' && /^\/(?![/\\])/.test(req.path) ? req.path : '/';
  res.status(400).render('errors/bad-input.njk', {
    errors: [
      {
        text: 'What was sent holds a control character (such as a null character) that cannot be saved: remove it',
        href: '#main-content',
      },
    ],
    backHref: back,
  });
};

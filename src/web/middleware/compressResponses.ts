import compression from 'compression';
import type { Request, Response } from 'express';
import { constants } from 'node:zlib';

/**
 * Every answer outside /assets (pages, JSON, CSV and XML downloads) is compressed by the stock `compression`
 * middleware at its fastest settings: brotli at quality 1 when the browser accepts it (all do over HTTPS), else gzip
 * at level 1. Pages are made for one person and never cached, so each is compressed once, while the person waits:
 * for the demo county's 38 KB caseload page brotli at quality 1 takes about 0.2 ms for 6.5 KB, against 0.7 ms for
 * 5.7 KB at the middleware's default quality 4. (Stylesheets and scripts, kept by browsers, use the middleware's
 * defaults: app.ts.) A proxy in front may compress instead; answers it receives already encoded it passes on.
 *
 * Answers under 1 KB (the middleware's threshold), answers marked no-transform and types that do not compress (PDF,
 * images, the zip-based DOCX and ODT) go as they are, by the middleware's own filter; so do bytes of no known type
 * (application/octet-stream: an uploaded document of a kind we do not name), which the filter would compress.
 */
export const compressResponses = compression({
  brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } },
  level: 1,
  filter: (req: Request, res: Response) =>
    !String(res.getHeader('Content-Type') ?? '').startsWith('application/octet-stream') && compression.filter(req, res),
});

/**
 * The bare page the bench measures the service against: the GOV.UK template through Nunjucks, nothing else.
 * Run directly (`node --import tsx bench/bare.ts N`), it serves that page from N processes sharing a port, as
 * `openehcp serve --processes N` serves the service, and writes the port once all are listening.
 */
import cluster from 'node:cluster';
import path from 'node:path';
import express from 'express';
import nunjucks from 'nunjucks';
import { GOVUK_FRONTEND_ROOT } from '../src/web/nunjucks.js';

export function bareApp(): express.Express {
  const bare = express();
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(path.join(GOVUK_FRONTEND_ROOT, 'dist')));
  bare.get('/', (_req, res) => {
    res.send(
      env.renderString(
        '{% extends "govuk/template.njk" %}{% block content %}<h1 class="govuk-heading-l">Hello</h1>{% endblock %}',
        {},
      ),
    );
  });
  return bare;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const processes = Number(process.argv[2] ?? 1);
  if (cluster.isPrimary) {
    let listening = 0;
    cluster.on('listening', (_worker, address) => {
      if (++listening === processes) process.stdout.write(`listening ${address.port}\n`);
    });
    for (let i = 0; i < processes; i++) cluster.fork();
    process.on('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      process.exit(0);
    });
  } else {
    bareApp().listen(0, '127.0.0.1');
  }
}

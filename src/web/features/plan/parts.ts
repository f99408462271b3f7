/**
 * The plan's short parts, objectives and priority areas: a form each to add one, to change one (as the form opened at
 * its version has it) and to remove one (as the form saw it). A form someone else's change made stale is shown again
 * with their change beside what was typed, and the version now: saving again is a choice.
 */
import type { Request, Response, Router } from 'express';
import type { RequestContext } from '../../../services/cases.js';
import type { Services } from '../../../services/index.js';
import { text, type Body } from '../../forms.js';
import { readForm, type PageForm } from '../../validation.js';
import { attempt } from '../../formFailures.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { formVersion } from './planForms.js';

type Overview = NonNullable<Awaited<ReturnType<Services['plan']['overview']>>>;

export interface PartSpec<T extends { id: string; version: number }, V> {
  path: string;
  template: string;
  anchor: string;
  /** What the form changes, as the conflict message names it ("this objective"). */
  what: string;
  /** What the overview says after one is removed (its `saved` query). */
  removed: string;
  pick: (o: Overview) => T[];
  values: (item: T) => Record<string, unknown>;
  /** The form to add or change one. */
  form: PageForm<V>;
  add: (ctx: RequestContext, value: V) => Promise<void>;
  change: (ctx: RequestContext, id: string, value: V, version: number) => Promise<void>;
  remove: (ctx: RequestContext, id: string, version: number) => Promise<void>;
}

export function partRoutes<T extends { id: string; version: number }, V>(
  router: Router,
  services: Services,
  spec: PartSpec<T, V>,
): void {
  /** The part the address names, as the plan has it now. */
  async function current(req: Request) {
    const overview = await services.plan.overview(requestContext(req));
    return overview ? (spec.pick(overview).find((x) => x.id === req.params.id) ?? null) : null;
  }

  const base = `/improvement-plan/${spec.path}`;
  router.get(`${base}/new`, requirePermission('plan:edit'), noStore, (_req, res) => {
    res.render(spec.template, { id: null, values: {}, errors: [] });
  });
  router.get(`${base}/:id/edit`, requirePermission('plan:edit'), noStore, async (req, res, next) => {
    const item = await current(req);
    if (!item) return next();
    res.render(spec.template, { id: item.id, version: item.version, values: spec.values(item), errors: [] });
  });
  const save = async (req: Request, res: Response, id: string | null) => {
    const form = readForm(spec.form, req.body);
    const version = Number(text(req.body as Body, 'version'));
    const value = form.data;
    if (!value) {
      res.status(400).render(spec.template, { id, version, values: form.values, errors: form.errors });
      return;
    }
    const ctx = requestContext(req);
    const outcome = await attempt(() => (id ? spec.change(ctx, id, value, formVersion(req)) : spec.add(ctx, value)), {
      what: spec.what,
    });
    if (!outcome.ok) {
      const { status, errors, stale, version: now } = outcome.failure;
      // Shown again with what was typed, their change beside it, and the version now: saving again is a choice.
      res.status(status).render(spec.template, { id, version: now ?? version, values: form.values, errors, stale });
      return;
    }
    res.redirect(303, `/improvement-plan?saved=${spec.path}${spec.anchor}`);
  };
  router.post(base, requirePermission('plan:edit'), noStore, (req, res) => save(req, res, null));
  router.post(`${base}/:id`, requirePermission('plan:edit'), noStore, (req, res) =>
    save(req, res, req.params.id as string),
  );
  router.post(`${base}/:id/delete`, requirePermission('plan:edit'), noStore, async (req, res, next) => {
    const id = req.params.id as string;
    const outcome = await attempt(() => spec.remove(requestContext(req), id, formVersion(req)), {
      what: spec.what,
      asked: 'remove',
    });
    if (!outcome.ok) {
      // The part as it is now, with why it was not removed: removing it again is a choice.
      const item = await current(req);
      if (!item) return next();
      const { status, errors, stale } = outcome.failure;
      res.status(status).render(spec.template, { id, version: item.version, values: spec.values(item), errors, stale });
      return;
    }
    res.redirect(303, `/improvement-plan?saved=${spec.removed}${spec.anchor}`);
  });
}

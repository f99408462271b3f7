/**
 * The routes of a plan's casework steps after the plan is made (ceasing, moves out, reassessment): each step's form at
 * `<base>/<step>` (GET), and its POST: the form checked, then recorded with the stamp it was opened with (the version
 * and the submission key), and on success back to the process's page with `?done=<step>`. A form with problems comes
 * back (400) with what was typed; a refusal by the service comes back with its status and messages, and after a stale
 * write with the latest version to write on (services/casework/types.ts FormStamp), so nothing is half-saved.
 */
import type { Request, Response, Router } from 'express';
import type { FormStamp } from '../services/casework/types.js';
import type { RequestContext } from '../services/cases.js';
import { attempt } from './formFailures.js';
import type { Body, FormError } from './forms.js';
import { requestContext, requirePermission } from './middleware/auth.js';
import { noStore } from './middleware/security.js';
import { sentStamp } from './features/casework/validation.js';

export interface StepFormState {
  values: Record<string, unknown>;
  errors: FormError[];
  stamp?: FormStamp;
}

export function planStepRoutes<Step extends string, Fields>(
  router: Router,
  options: {
    steps: readonly Step[];
    /** The steps' base address, with the plan's id as `:planId` ("/plans/:planId/cease"). */
    base: string;
    render: (req: Request, res: Response, step: Step, status: number, state: StepFormState) => Promise<void>;
    read: (
      step: Step,
      body: Body,
    ) => {
      input: { stamp: FormStamp; fields: Fields } | null;
      values: Record<string, unknown>;
      errors: FormError[];
    };
    /** The plan the step is about, read as the form's page reads it (so another LA's plan is not found first). */
    plan: (ctx: RequestContext, planId: string) => Promise<{ id: string }>;
    record: (ctx: RequestContext, planId: string, stamp: FormStamp, fields: Fields) => Promise<unknown>;
    /** The process's page for the plan, where a recorded step goes back to. */
    page: (planId: string) => string;
    dateFields: readonly string[];
  },
): void {
  for (const step of options.steps) {
    const url = `${options.base}/${step}`;
    router.get(url, requirePermission('case:write'), noStore, async (req, res) => {
      await options.render(req, res, step, 200, { values: {}, errors: [] });
    });
    router.post(url, requirePermission('case:write'), noStore, async (req, res) => {
      const body = (req.body ?? {}) as Body;
      const ctx = requestContext(req);
      const keptStamp = sentStamp(body);
      const plan = await options.plan(ctx, req.params.planId as string);
      const parsed = options.read(step, body);
      if (!parsed.input || parsed.errors.length) {
        await options.render(req, res, step, 400, { values: parsed.values, errors: parsed.errors, stamp: keptStamp });
        return;
      }
      const { stamp, fields } = parsed.input;
      const outcome = await attempt(() => options.record(ctx, plan.id, stamp, fields), {
        dateFields: options.dateFields,
        what: 'this plan',
      });
      if (outcome.ok) {
        res.redirect(303, `${options.page(plan.id)}?done=${step}`);
        return;
      }
      const f = outcome.failure;
      await options.render(req, res, step, f.status, {
        values: parsed.values,
        errors: f.errors,
        stamp: f.version == null ? keptStamp : { version: f.version, submissionKey: keptStamp.submissionKey },
      });
    });
  }
}

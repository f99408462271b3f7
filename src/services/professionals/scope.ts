/**
 * A professional's scope: an advice giver answers the advice requests addressed to them by name or to their service
 * (role_assignments.advice_service, the request's advice type); a school or setting's user answers the consultations
 * sent to their setting (role_assignments.setting_urn). Always within the LA they act for. Anything outside it is
 * "not found" to them (never revealed as existing), and the attempt is audited as denied by the caller.
 */
import type { Db } from '../../data/db.js';
import { professionalScope } from '../../data/repositories/professionals.js';
import type { RequestContext } from '../cases.js';

export type Scope = Awaited<ReturnType<typeof professionalScope>>;

export function scopeOf(db: Db, ctx: RequestContext): Promise<Scope> {
  return professionalScope(db, ctx.actor.laCode, ctx.actor.userId);
}

export function adviceInScope(
  ctx: RequestContext,
  scope: Scope,
  advice: { adviceType: string; providerUserId: string | null },
): boolean {
  return advice.providerUserId === ctx.actor.userId || scope.adviceServices.includes(advice.adviceType);
}

export function consultationInScope(scope: Scope, consultation: { settingUrn: string | null }): boolean {
  return consultation.settingUrn !== null && scope.settingUrns.includes(consultation.settingUrn);
}

/**
 * The monthly audit sample: a chosen percentage of the plans issued in the month, stratified by team and primary need
 * so that every part of the service is seen in proportion (largest remainders, so the total is exactly the
 * percentage rounded up), chosen at random within each stratum from a seed (so the sample can be checked and
 * redrawn the same), then shared out among the auditors in turn, with a share of them given a second, moderating
 * auditor who is someone else.
 */
import { Streams } from '../forecast/random.js';

export interface SampleCandidate {
  requestId: string;
  team: string | null;
  need: string | null;
}

export interface Stratum {
  team: string | null;
  need: string | null;
  available: number;
  chosen: number;
}

const keyOf = (c: { team: string | null; need: string | null }) => `${c.team ?? ''}\u0000${c.need ?? ''}`;

/** A random order of a list from one stream (Fisher-Yates). */
function shuffled<T>(items: readonly T[], streams: Streams, k: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(streams.next(k) * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function stratifiedSample(
  candidates: readonly SampleCandidate[],
  percent: number,
  seed: number,
): { chosen: SampleCandidate[]; strata: Stratum[] } {
  if (!(percent > 0 && percent <= 100)) throw new RangeError('percent must be more than 0 and at most 100');
  // Strata and their members in a fixed order, so the sample depends on the seed and not on how the list came.
  const groups = new Map<string, SampleCandidate[]>();
  for (const c of [...candidates].sort((a, b) => (a.requestId < b.requestId ? -1 : 1))) {
    const key = keyOf(c);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const keys = [...groups.keys()].sort();
  const total = Math.ceil((percent / 100) * candidates.length - 1e-9);
  // Largest remainders: each stratum its whole share, then one more each to the largest fractions until the total.
  const quotas = keys.map((key) => {
    const exact = (groups.get(key)!.length * total) / Math.max(1, candidates.length);
    return { key, whole: Math.floor(exact), fraction: exact - Math.floor(exact) };
  });
  let left = total - quotas.reduce((a, q) => a + q.whole, 0);
  for (const q of [...quotas].sort((a, b) => b.fraction - a.fraction || (a.key < b.key ? -1 : 1))) {
    if (left <= 0) break;
    q.whole++;
    left--;
  }
  const streams = new Streams(1);
  streams.reseed(seed, 0);
  const chosen: SampleCandidate[] = [];
  const strata: Stratum[] = [];
  for (const q of quotas) {
    const members = groups.get(q.key)!;
    const picked = shuffled(members, streams, 0).slice(0, q.whole);
    chosen.push(...picked);
    strata.push({ team: members[0]!.team, need: members[0]!.need, available: members.length, chosen: picked.length });
  }
  return { chosen, strata };
}

export interface Assignment {
  requestId: string;
  auditorId: string;
  /** The second auditor for moderation, or null. */
  moderatorId: string | null;
}

/**
 * Shares the sample among the auditors in turn (from a random start), and gives a share of them (rounded up) a
 * moderator: the next auditor in turn, never the first auditor themself. With one auditor there is no moderation.
 */
export function assignAuditors(
  sample: readonly SampleCandidate[],
  auditorIds: readonly string[],
  moderationPercent: number,
  seed: number,
): Assignment[] {
  if (auditorIds.length === 0) throw new RangeError('there must be at least one auditor');
  const streams = new Streams(2);
  streams.reseed(seed, 1);
  const auditors = shuffled([...auditorIds].sort(), streams, 0);
  const moderated = new Set(
    shuffled(
      sample.map((s) => s.requestId),
      streams,
      1,
    ).slice(0, auditors.length > 1 ? Math.ceil((moderationPercent / 100) * sample.length - 1e-9) : 0),
  );
  return sample.map((s, i) => ({
    requestId: s.requestId,
    auditorId: auditors[i % auditors.length]!,
    moderatorId: moderated.has(s.requestId) ? auditors[(i + 1) % auditors.length]! : null,
  }));
}

/**
 * The measures at national scale: a synthetic England of 150 LAs with 640,000 final plans between them (about
 * 4,300 each over five years, with their requests, decisions and advice), each LA's monthly measures worked out as
 * the hourly job does, then added up to England's (domain/measures/aggregate.ts). Reports the time of each.
 *
 *   node --import tsx bench/measures.ts
 */
import { aggregateMeasures } from '../src/domain/measures/aggregate.js';
import { monthlyMeasures, type MeasureCase } from '../src/domain/measures/monthly.js';
import { addDays, type LocalDate } from '../src/domain/dates/localDate.js';
import { englandAndWales } from '../src/domain/dates/workingDays.js';

const LAS = 150;
const PLANS = 640_000;
const NEEDS = ['ASD', 'SLCN', 'SEMH', 'MLD', 'SLD', 'PD', 'SPLD', 'HI', 'VI', 'OTH'];

/** A seeded generator (mulberry32), so every run measures the same data. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticLa(la: number, plans: number): MeasureCase[] {
  const r = random(1000 + la);
  const cases: MeasureCase[] = [];
  const start = '2021-11-01' as LocalDate;
  for (let i = 0; i < plans; i++) {
    const received = addDays(start, Math.floor(r() * 1800));
    const decided = addDays(received, 20 + Math.floor(r() * 40));
    const issued = addDays(received, 70 + Math.floor(-Math.log(1 - r()) * 80));
    const requested = addDays(decided, 1);
    cases.push({
      receivedDate: received,
      assessmentDecision: 'assess',
      assessmentDecisionDate: decided,
      issueDecision: 'issue',
      issueDecisionDate: addDays(issued, -40),
      finalIssuedDate: issued <= ('2026-10-31' as LocalDate) ? issued : null,
      withdrawnDate: null,
      exception: r() < 0.04,
      primaryNeed: NEEDS[Math.floor(r() * NEEDS.length)]!,
      team: `Area ${1 + Math.floor(r() * 4)}`,
      dateOfBirth: addDays(received, -365 * (3 + Math.floor(r() * 14))),
      caseworkerId: `cw${Math.floor(r() * 25)}`,
      advice: ['educational_psychology', 'health', 'social_care'].map((adviceType) => ({
        adviceType,
        provider: `${adviceType} provider ${la}`,
        requestedDate: requested,
        receivedDate: addDays(requested, 20 + Math.floor(r() * 40)),
      })),
    });
  }
  return cases;
}

export function measuresBenchmark() {
  const perLa = Math.round(PLANS / LAS);
  let generated = 0;
  let computeMs = 0;
  const byLa = [];
  for (let la = 0; la < LAS; la++) {
    const cases = syntheticLa(la, perLa);
    generated += cases.length;
    const t = performance.now();
    byLa.push(monthlyMeasures(cases, '2021-11', '2026-10', englandAndWales));
    computeMs += performance.now() - t;
  }
  const times: number[] = [];
  let rows = 0;
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    rows = aggregateMeasures(byLa).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    las: LAS,
    plans: generated,
    laMeasureRows: byLa.reduce((n, v) => n + v.length, 0),
    workOutEveryLaSeconds: Number((computeMs / 1000).toFixed(2)),
    nationalAggregateMs: { best: Math.round(times[0]!), median: Math.round(times[2]!) },
    nationalRows: rows,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(measuresBenchmark(), null, 2)}\n`);
}

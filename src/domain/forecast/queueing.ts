/**
 * Closed forms of queueing theory (shared/reference/forecasting.md), used to check the simulator and to warn when a
 * scenario's load is at or above capacity. Rates are per week.
 */

/**
 * Erlang C: the probability that an arrival to an M/M/c queue waits, with offered load a = lambda / mu (a < c).
 * C = [a^c/c! * c/(c-a)] / [sum_{k<c} a^k/k! + a^c/c! * c/(c-a)], with the terms built up one by one (no factorials).
 */
export function erlangC(servers: number, offeredLoad: number): number {
  if (offeredLoad >= servers) return 1;
  let term = 1;
  let sum = 0;
  for (let k = 0; k < servers; k++) {
    sum += term;
    term = (term * offeredLoad) / (k + 1);
  }
  const last = (term * servers) / (servers - offeredLoad);
  return last / (sum + last);
}

/** M/M/c mean wait in the queue: C / (c mu - lambda). */
export function mmcMeanWait(servers: number, arrivalRate: number, serviceRate: number): number {
  return erlangC(servers, arrivalRate / serviceRate) / (servers * serviceRate - arrivalRate);
}

/** M/M/c: P(wait in queue > t) = C exp(-(c mu - lambda) t) (first come, first served). */
export function mmcWaitExceeds(servers: number, arrivalRate: number, serviceRate: number, t: number): number {
  return erlangC(servers, arrivalRate / serviceRate) * Math.exp(-(servers * serviceRate - arrivalRate) * t);
}

/** M/M/1: time in system is exponential with rate mu - lambda; P(T > t). */
export function mm1SojournExceeds(arrivalRate: number, serviceRate: number, t: number): number {
  return Math.exp(-(serviceRate - arrivalRate) * t);
}

/**
 * To have at most a share X of waits exceed T (exponential tail), the mean wait must be at most T / ln(1/(1-X))
 * (NHS R community's waiting-list rule of thumb).
 */
export function maxMeanWaitFor(targetWeeks: number, shareWithin: number): number {
  return targetWeeks / Math.log(1 / (1 - shareWithin));
}

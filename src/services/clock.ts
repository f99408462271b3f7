import { londonDate, type LocalDate } from '../domain/dates/localDate.js';

export interface Clock {
  now(): Date;
  /** Today's date in England. */
  today(): LocalDate;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => londonDate(new Date()),
};

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at), today: () => londonDate(at) };
}

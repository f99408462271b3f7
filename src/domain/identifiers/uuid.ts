/**
 * Record identifiers are UUIDs (RFC 9562, written as 8-4-4-4-12 hexadecimal digits). Anything else names no record:
 * it must be answered as not found before it reaches the database, which refuses it with an error, not an empty row.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The largest value a PostgreSQL integer column (a record's version) holds: 2^31 - 1. */
export const MAX_INTEGER = 2_147_483_647;

/** A record version as typed in a form: a whole number from 0 to MAX_INTEGER, else NaN (which matches no version). */
export function versionFrom(raw: string): number {
  return /^\d{1,10}$/.test(raw) && Number(raw) <= MAX_INTEGER ? Number(raw) : NaN;
}

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeMessage, serializeError, serializeRequest } from './logger.js';

/** An error shaped as drizzle throws it: its message quotes the parameters, its cause is PostgreSQL's error. */
function failedQuery() {
  const cause = Object.assign(new Error('invalid input syntax for type date: "2015-13-45"'), {
    code: '22007',
    severity: 'ERROR',
    detail: 'Failing row contains (Zoë, Quarrington, 2015-11-17, SG13 8DQ).',
    where: "unnamed portal parameter $3 = '...'",
    table: 'children',
  });
  return Object.assign(
    new Error('Failed query: insert into "children" ("given_name") values ($1)\nparams: Zoë,Quarrington,2015-11-17', {
      cause,
    }),
    { query: 'insert into "children" ("given_name") values ($1)', params: ['Zoë', 'Quarrington', '2015-11-17'] },
  );
}

describe('the shared logger', () => {
  it('logs a failed query by its class, SQL state and table, without the values it carried', () => {
    const logged = serializeError(failedQuery());
    expect(logged).toMatchObject({
      type: 'Error',
      message: 'Failed query: insert into "children" ("given_name") values ($1)',
      cause: { code: '22007', table: 'children', message: 'invalid input syntax for type date: "[redacted]"' },
    });
    const text = JSON.stringify(logged);
    for (const value of ['Zoë', 'Quarrington', '2015-11-17', '2015-13-45', 'SG13', 'Failing row', 'portal']) {
      expect(text).not.toContain(value);
    }
  });

  it('keeps the messages of errors that carry no values', () => {
    expect(safeMessage('duplicate key value violates unique constraint "users_email_key"', true)).toBe(
      'duplicate key value violates unique constraint "users_email_key"',
    );
    expect(safeMessage('the forecast worker stopped', false)).toBe('the forecast worker stopped');
  });

  it('redacts bodies, parameters and query values that a call passes, and keeps query names only', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info({ body: { givenName: 'Zoë' }, job: { params: ['Quarrington'], detail: 'SG13 8DQ' } }, 'saved');
    logger.error({ err: failedQuery() }, 'failed');
    const text = lines.join('');
    for (const value of ['Zoë', 'Quarrington', 'SG13']) expect(text).not.toContain(value);
    expect(text).toContain('[redacted]');
    expect(serializeRequest({ id: 1, method: 'GET', url: '/cases?view=all&q=Abbott' })).toEqual({
      id: 1,
      method: 'GET',
      url: '/cases?view&q',
    });
  });

  it('logs a one-time link by its path without its token, which would let a reader of the logs use it', () => {
    const token = 'Qv3m1T3Yq4P0c5n8_x-7ZrK2aW9bL6dE1fG4hJ0kLmN';
    expect(serializeRequest({ method: 'POST', url: `/account/set-up/${token}` }).url).toBe('/account/set-up/[token]');
    expect(serializeRequest({ method: 'GET', url: `/account/reset-password/${token}?x=1` }).url).toBe(
      '/account/reset-password/[token]?x',
    );
    // A child's id (a uuid, 36 characters) is not a token.
    expect(serializeRequest({ url: '/cases/0b7c7a2e-4a0e-4d7c-9d5f-1a2b3c4d5e6f' }).url).toBe(
      '/cases/0b7c7a2e-4a0e-4d7c-9d5f-1a2b3c4d5e6f',
    );
  });
});

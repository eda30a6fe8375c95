import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../db/index.ts';
import { toAppError } from './errors.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('a database that is away for a moment', () => {
  it('is a 503 with a stable code and Retry-After, not a 500', () => {
    for (const e of [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('sorry, too many clients already', '53300'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')]),
    ]) {
      expect(isDatabaseUnavailable(e)).toBe(true);
      const a = toAppError(e);
      expect([a.status, a.code, a.headers?.['retry-after']]).toEqual([503, 'database_unavailable', '2']);
    }
  });

  it('leaves other failures as they were', () => {
    expect(isDatabaseUnavailable(withCode('duplicate key value', '23505'))).toBe(false);
    expect(toAppError(new Error('something else')).status).toBe(500);
    expect(toAppError('not an error').status).toBe(500);
  });
});

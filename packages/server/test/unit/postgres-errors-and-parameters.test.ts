import { describe, expect, it } from 'vitest';
import { isRetryableConflict, translateError } from '../../src/store/postgres/connection-errors.ts';
import { compile, valuesFor } from '../../src/store/postgres/named-parameters.ts';
import { StoreUnavailableError } from '../../src/store/store-unavailable.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('PostgreSQL errors: unavailable (503) or a bug (500)', () => {
  it.each([
    ['the server refuses connections', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['the connection is reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['an administrator terminated the connection', withCode('terminating connection', '57P01')],
    ['the server is starting up', withCode('the database system is starting up', '57P03')],
    ['the statement timed out', withCode('canceling statement due to statement timeout', '57014')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['a connection exception', withCode('connection failure', '08006')],
    ['the connection ended mid-query', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['the pool is closed', new Error('Cannot use a pool after calling end on the pool')],
    ['a deadlock, after retries', withCode('deadlock detected', '40P01')],
  ])('%s → StoreUnavailableError', (_, error) => {
    const translated = translateError(error);
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect((translated as Error).cause).toBe(error);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
  ])('%s is left as it is', (_, error) => {
    expect(translateError(error)).toBe(error);
  });

  it('serialization failures and deadlocks are the conflicts a transaction retries', () => {
    expect(isRetryableConflict(withCode('could not serialize access', '40001'))).toBe(true);
    expect(isRetryableConflict(withCode('deadlock detected', '40P01'))).toBe(true);
    expect(isRetryableConflict(withCode('duplicate key', '23505'))).toBe(false);
  });
});

describe('named parameters', () => {
  it('numbers names in order of first use; a name used twice is one parameter', () => {
    const compiled = compile(
      'UPDATE runs SET a = $now, b = COALESCE(b, $now) WHERE id = $runId AND x = $now',
    );
    expect(compiled.text).toBe('UPDATE runs SET a = $1, b = COALESCE(b, $1) WHERE id = $2 AND x = $1');
    expect(valuesFor(compiled, { now: 5, runId: 'run_1' })).toEqual([5, 'run_1']);
  });

  it('refuses a statement whose parameter has no value, rather than sending NULL', () => {
    expect(() => valuesFor(compile('SELECT $missing'), {})).toThrow(/\$missing/);
  });

  it('replaces NUL characters, which PostgreSQL text cannot hold', () => {
    expect(valuesFor(compile('SELECT $name'), { name: 'a\0b' })).toEqual(['a\uFFFDb']);
  });
});

import { describe, expect, it } from 'vitest';
import { invocationDir } from '../../src/invocation-dir.ts';

describe('invocationDir: where the user typed the command', () => {
  const root = '/srv/semarize';
  const npm = { INIT_CWD: '/home/ann/calls', npm_package_json: `${root}/package.json` };

  it('is INIT_CWD when npm runs the script in its package directory', () => {
    expect(invocationDir(npm, root)).toBe('/home/ann/calls');
  });

  it('is the working directory when a script moved on (a stale INIT_CWD), or without npm', () => {
    expect(invocationDir(npm, '/srv/semarize/packages/server')).toBe('/srv/semarize/packages/server');
    expect(invocationDir({ INIT_CWD: '/home/ann/calls' }, '/tmp/work')).toBe('/tmp/work');
    expect(invocationDir({}, '/tmp/work')).toBe('/tmp/work');
  });
});

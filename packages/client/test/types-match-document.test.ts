import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../server/src/http/openapi.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const TYPES = join(import.meta.dirname, '../src/types');

// The SDK's hand-written public types, checked against the types openapi-typescript generates
// from the server's document: where they must agree, both ways. The SDK is deliberately looser
// in one place: RunErrorCode is open-ended, so newer servers' codes still type-check.
const CHECKS = `
import type { components, operations } from './openapi.ts';
import type { BrickResult, Run, RunOutput, RunPage, SucceededRun, UnsuccessfulRun, Usage } from '${TYPES}/run.ts';
import type { CreateRunParams } from '${TYPES}/run-params.ts';
import type {
  DeletedWebhookEndpoint, Page, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret,
  CreateWebhookEndpointParams, UpdateWebhookEndpointParams,
} from '${TYPES}/webhook-endpoint.ts';

type S = components['schemas'];
type Body<Op extends keyof operations> = NonNullable<operations[Op]['requestBody']>['content']['application/json'];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<A, B> = [A] extends [B] ? true : false;
const ok = <T extends true>() => {};

ok<Same<WebhookEndpoint, S['WebhookEndpoint']>>();
ok<Same<WebhookEndpointWithSecret, S['WebhookEndpointWithSecret']>>();
ok<Same<DeletedWebhookEndpoint, S['DeletedWebhookEndpoint']>>();
ok<Same<WebhookDelivery, S['WebhookDelivery']>>();
ok<Same<Page<WebhookEndpoint>, Omit<S['WebhookEndpointList'], never>>>();
ok<Same<Usage, S['Usage']>>();
ok<Same<CreateWebhookEndpointParams, Body<'createWebhook'>>>();
ok<Same<UpdateWebhookEndpointParams, Body<'updateWebhook'>>>();
ok<Fits<Body<'createRun'>, CreateRunParams>>();
ok<Fits<CreateRunParams, Body<'createRun'>>>();
// Every run the SDK describes is a documented run, once its error code is one the server sends.
// (An interface has no index signature; the document's BrickResult allows extra fields.)
type Indexed<T> = T & { [key: string]: unknown };
ok<Fits<Indexed<BrickResult>, S['BrickResult']>>();
type Known<R> = R extends SucceededRun
  ? Omit<R, 'output'> & { output?: Omit<RunOutput, 'bricks'> & { bricks: Record<string, Indexed<BrickResult>> } }
  : R extends UnsuccessfulRun
  ? Omit<R, 'error_code' | 'error_message' | 'error_user_message'> & {
      error_code: NonNullable<S['RunDetail']['error_code']>;
      error_message: string;
      error_user_message: string;
    }
  : R;
ok<Fits<Known<Run>, S['RunDetail']>>();
// And the documented statuses, fields and list shape are the SDK's.
ok<Same<S['RunDetail']['status'], Run['status']>>();
ok<Same<keyof S['RunDetail'], keyof Run | 'output' | 'error_code' | 'error_message' | 'error_user_message' | 'conversation' | 'input'>>();
ok<Same<keyof S['RunList'], keyof RunPage>>();
`;

let dir: string | null = null;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the SDK types', () => {
  it('agree with the types generated from /openapi.json', async () => {
    dir = await mkdtemp(join(tmpdir(), 'semarize-types-'));
    const generated = astToString(await openapiTS(openApiDocument() as never));
    await writeFile(join(dir, 'openapi.ts'), generated);
    await writeFile(join(dir, 'checks.ts'), CHECKS);
    const options = [
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--allowImportingTsExtensions',
      '--skipLibCheck',
    ];
    let output = '';
    try {
      await run(process.execPath, [TSC, ...options, join(dir, 'checks.ts')], { cwd: ROOT });
    } catch (error) {
      const e = error as { stdout: string; stderr: string };
      output = `${e.stdout}${e.stderr}`;
    }
    expect(output).toBe('');
  });
});

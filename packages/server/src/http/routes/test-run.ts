import type { z } from 'zod';
import { testRun } from '../../kits/test-run.ts';
import { CreateRunBody, parseCreateRunBody, parseIdempotencyKey } from '../../runs/request-schemas.ts';
import { sentHeader } from '../repeated-headers.ts';
import { TestResult } from '../response-schemas.ts';
import { answer, defineRoute } from '../route.ts';

/** POST /v1/test (SPEC §6.4): a run request checked and answered with placeholder output, nothing stored. */
export const testRunRoute = defineRoute({
  operationId: 'testRun',
  method: 'POST',
  path: '/v1/test',
  tag: 'Runs',
  summary: 'Check a run request and get placeholder output; nothing is stored',
  description:
    'Takes the body of POST /v1/runs and validates it the same way (Kit, then input). Answers the ' +
    'placeholder output a sandbox run of it would produce; no model is called and no run is created.',
  access: { role: 'runner', bucket: 'create' },
  headers: ['Idempotency-Key'],
  body: {
    schema: CreateRunBody,
    parse: parseCreateRunBody,
    examples: {
      transcript: {
        summary: 'Check a Kit against a transcript',
        value: {
          kit_code: 'A1B2C3D4',
          input: { transcript: 'Rep: Hi, how are you?\nProspect: Busy, but fine.' },
        },
      },
    },
  },
  responses: { 200: { description: 'Placeholder output of the right shape', schema: TestResult } },
  errors: [
    'kit_code_or_kit_version_id_required',
    'input_must_be_object',
    'invalid_run_type',
    'invalid_run_mode',
    'invalid_idempotency_key',
    'kit_not_found',
    'kit_not_published',
    'input_invalid',
    'input_too_large',
  ],
  async handler({ request, deps, caller, body }) {
    const checked = body();
    // Checked in the same order as POST /v1/runs, so a dry run catches a bad key too; nothing is stored.
    parseIdempotencyKey(sentHeader(request, 'idempotency-key'));
    // The evaluation's BrickResult is an interface: it lacks the index signature of the loose schema.
    return answer(200, (await testRun(deps, caller.workspaceId, checked)) as z.output<typeof TestResult>);
  },
});

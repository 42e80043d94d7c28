/**
 * The baseline of the HTTP benchmarks: a bare Fastify app on the same machine, answering the same
 * routes with a run-shaped JSON body and nothing else (no auth, no validation, no storage).
 * Prints `{"url": …}` once listening, like the server fixture.
 */
import Fastify from 'fastify';

const run = {
  run_id: 'run_01JF00000000000000000000000',
  object: 'run',
  status: 'queued',
  run_type: 'api',
  mode: 'async',
  kit_code: 'A1B2C3D4',
  kit_version_id: '1ba9f27a-0000-4000-8000-000000000000',
  created_at: new Date().toISOString(),
  started_at: null,
  completed_at: null,
  duration_ms: null,
  attempt: 0,
  usage: { input_tokens: 0, output_tokens: 0, model_calls: 0 },
};

const app = Fastify({ logger: false });
app.post('/v1/runs', async (request, reply) =>
  reply.status(202).send({ ...run, echo: Object.keys(request.body as object) }),
);
app.get('/v1/runs/:id', async () => run);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);

/**
 * The baseline of the HTTP benchmarks: a bare Fastify app on the same machine, answering the same
 * routes with the same JSON bodies and nothing else (no auth, no validation, no storage).
 * Prints `{"url": …}` once listening, like the server fixture.
 */
import Fastify from 'fastify';

// The same bodies the real server answers, so both sides serialise and write the same bytes.
const created = JSON.parse(process.env['BARE_CREATED_JSON'] ?? '{}') as object;
const fetched = JSON.parse(process.env['BARE_RUN_JSON'] ?? '{}') as object;

const app = Fastify({ logger: false });
app.post('/v1/runs', async (_request, reply) => reply.status(202).send(created));
app.get('/v1/runs/:id', async () => fetched);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);

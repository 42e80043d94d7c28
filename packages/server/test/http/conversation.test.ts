import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../support/http-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.close());

interface Result {
  value: unknown;
  confidence: number | null;
  evidence: string[];
  evidence_spans: { turn: number; start: number; end: number; speaker: string | null }[];
  details?: Record<string, unknown>;
}
interface Run {
  run_id: string;
  status: string;
  output: { bricks: Record<string, Result> };
  conversation?: {
    format: string;
    turns: {
      index: number;
      input_index: number;
      speaker: string | null;
      side: string | null;
      text: string;
    }[];
    input_quality: { speakers_known: number; warnings: string[] };
  } | null;
}

// The README's own one-line style: only "Prospect:" is a speaker; "Salesforce:", "Gong:" and
// "Outreach:" are what the prospect said.
const ONE_LINE =
  'Rep: Which tools do you use today? Prospect: We use three tools. Salesforce: for CRM. Gong: for calls. Outreach: for email.';

describe('the normalised conversation (docs/signals.md §1)', () => {
  it('reads the one-line style at known speakers only, and the starter Kit finds the vendors the prospect named', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: ONE_LINE } },
    });
    expect(res.status, res.text).toBe(200);
    const bricks = res.body.output.bricks;
    expect(bricks['competitors_mentioned']).toMatchObject({ value: ['Gong', 'Outreach'], confidence: 1 });
    // The Rep's 6 of 19 words.
    expect(bricks['talk_ratio']).toMatchObject({ value: 31.6, confidence: 1 });
    expect(bricks['competitors_mentioned']!.evidence_spans.every((span) => span.speaker === 'Prospect')).toBe(
      true,
    );

    const withConversation = await t.api<Run>(`/v1/runs/${res.body.run_id}?include=conversation`);
    expect(withConversation.status).toBe(200);
    expect(withConversation.body.conversation).toMatchObject({
      format: 'speaker_lines',
      turns: [
        { index: 0, input_index: 0, speaker: 'Rep', side: 'company', text: 'Which tools do you use today?' },
        {
          index: 1,
          input_index: 0,
          speaker: 'Prospect',
          side: 'customer',
          text: 'We use three tools. Salesforce: for CRM. Gong: for calls. Outreach: for email.',
        },
      ],
      input_quality: { speakers_known: 1, warnings: expect.arrayContaining(['inline_speaker_splits']) },
    });
    expect(withConversation.body.conversation?.turns[0]).not.toHaveProperty('start');
    // Without include, no conversation.
    expect((await t.api<Run>(`/v1/runs/${res.body.run_id}`)).body).not.toHaveProperty('conversation');
  });

  it("keeps input_index to the caller's array when empty turns are left out, and spans point at the turns", async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: {
        kit_code: 'A1B2C3D4',
        mode: 'sync',
        input: {
          transcript: [
            { speaker: 'Rep', text: 'Hi.' },
            { speaker: 'Prospect', text: '   ' },
            { speaker: 'Prospect', text: 'We looked at Gong last year.' },
          ],
        },
      },
    });
    expect(res.status, res.text).toBe(200);
    const run = await t.api<Run>(`/v1/runs/${res.body.run_id}?include=conversation`);
    const turns = run.body.conversation!.turns;
    expect(turns.map((turn) => [turn.index, turn.input_index])).toEqual([
      [0, 0],
      [1, 2],
    ]);
    const competitors = res.body.output.bricks['competitors_mentioned']!;
    expect(competitors.value).toEqual(['Gong']);
    expect(competitors.evidence_spans).toEqual([{ turn: 1, start: 0, end: 28, speaker: 'Prospect' }]);
    expect(turns[1]!.text.slice(0, 28)).toBe(competitors.evidence[0]);
  });

  it('lists runs with their conversations on include=conversation, and with output too', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', mode: 'sync', input: { transcript: 'Rep: Listed? Prospect: Yes.' } },
    });
    expect(res.status, res.text).toBe(200);
    const listed = await t.api<{ data: Run[] }>('/v1/runs?limit=1&include=conversation');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data[0]).toMatchObject({
      run_id: res.body.run_id,
      conversation: { format: 'speaker_lines' },
    });
    expect(listed.body.data[0]).not.toHaveProperty('output');
    const both = await t.api<{ data: Run[] }>('/v1/runs?limit=1&include=output,conversation');
    expect(both.body.data[0]!.output.bricks['talk_ratio']).toBeDefined();
    expect(both.body.data[0]!.conversation!.turns).toHaveLength(2);
    expect((await t.api('/v1/runs?include=input')).status).toBe(400);
  });

  it('include=input answers the input as it was sent, to run it again', async () => {
    const input = {
      transcript: 'Rep: Which tools do you use?\nProspect: Gong, mostly.',
      account_id: 'acct_42',
      metadata: { crm_id: 7 },
    };
    const res = await t.api<Run>('/v1/runs', { body: { kit_code: 'A1B2C3D4', mode: 'sync', input } });
    expect(res.status, res.text).toBe(200);
    const got = await t.api<Run & { input: unknown }>(`/v1/runs/${res.body.run_id}?include=input`);
    expect(got.status, got.text).toBe(200);
    expect(got.body.input).toEqual(input);
    expect(got.body).not.toHaveProperty('conversation');
    expect((await t.api<Run>(`/v1/runs/${res.body.run_id}`)).body).not.toHaveProperty('input');
    const other = createClient(t.url, t.otherWorkspaceKey);
    expect((await other(`/v1/runs/${res.body.run_id}?include=input`)).status).toBe(404);
  });

  it('answers include=<unknown> with 400, and another workspace with 404', async () => {
    const res = await t.api<Run>('/v1/runs', {
      body: { kit_code: 'A1B2C3D4', input: { transcript: 'Rep: Hi.' } },
    });
    expect(res.status).toBe(202);
    const bad = await t.api(`/v1/runs/${res.body.run_id}?include=everything`);
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toBe('invalid_request');
    const other = createClient(t.url, t.otherWorkspaceKey);
    expect((await other(`/v1/runs/${res.body.run_id}?include=conversation`)).status).toBe(404);
  });
});

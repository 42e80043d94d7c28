import { describe, expect, it } from 'vitest';
import type { KitVersionRecord } from '../../src/kits/records.ts';
import { reuseKey } from '../../src/reuse/reuse-key.ts';
import { conversationOf } from './evaluation/fixtures.ts';

const config = { modelProvider: 'openai', model: 'gpt-a', modelBaseUrl: '', modelApiKey: 'sk-1' };
const kit = (model: KitVersionRecord['model']) => ({ id: 'kv-1', model }) as KitVersionRecord;
const api = { runType: 'api' };
const call = conversationOf([
  ['Rep', 'Shall we meet on Tuesday?'],
  ['Prospect', 'Tuesday works.'],
]);

describe('reuseKey (SPEC §11.5)', () => {
  const key = (overrides: Partial<typeof config> = {}, model: KitVersionRecord['model'] = { reuse: true }) =>
    reuseKey({ ...config, ...overrides }, kit(model), api, call, { stage: 'demo' });

  it('is the same for the same Kit version, conversation, context and model, whatever the API key', () => {
    expect(key()).toMatch(/^[0-9a-f]{64}$/);
    expect(key({ modelApiKey: 'sk-2' })).toBe(key());
    expect(reuseKey(config, kit({ reuse: true }), api, call, { stage: 'demo', metadata: { id: 1 } })).toBe(
      key(),
    );
  });

  it('differs with the model, its endpoint, its sampling or the context', () => {
    const others = [
      key({ model: 'gpt-b' }),
      key({ modelBaseUrl: 'http://proxy.internal/v1' }),
      key({}, { reuse: true, temperature: 0.3 }),
      key({}, { reuse: true, samples: 3 }),
      reuseKey(config, kit({ reuse: true }), api, call, { stage: 'closing' }),
    ];
    expect(new Set([key(), ...others]).size).toBe(others.length + 1);
  });

  it('is null for a Kit that does not reuse, and for sandbox runs', () => {
    expect(key({}, {})).toBeNull();
    expect(reuseKey(config, kit({ reuse: true }), { runType: 'sandbox' }, call, {})).toBeNull();
  });
});

import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Config } from '../../src/config.ts';
import {
  type FakeModelServer,
  type ReceivedRequest,
  type Script,
  startFakeModelServer,
} from './fake-model-server.ts';

/** The wire shapes the fake speaks, named as the provider a server is configured with. */
export type FakeModelProvider = 'openai' | 'anthropic';

/** The model id and key a server sends the fake, per provider; tests see them on the wire. */
const PROVIDER_SETTINGS: Record<FakeModelProvider, Pick<Config, 'model' | 'modelApiKey'>> = {
  openai: { model: 'gpt-test', modelApiKey: 'sk-test-123' },
  anthropic: { model: 'claude-test', modelApiKey: 'sk-ant-test' },
};

export type FakeModelConfig = Pick<Config, 'modelProvider' | 'model' | 'modelBaseUrl' | 'modelApiKey'>;

/** The fake model of a test file or describe block; read it in hooks and tests, once it started. */
export interface FakeModel {
  /** Base URL to configure as SEMARIZE_MODEL_BASE_URL (ends in /v1). */
  readonly baseUrl: string;
  /** What the fake received since the test began. */
  readonly requests: ReceivedRequest[];
  /** How the fake answers (by request, and by its index: the i-th call of the test). */
  script: Script;
  /** A server's model settings that call this fake as `provider`: spread them into its config. */
  configAs(provider: FakeModelProvider): FakeModelConfig;
}

/**
 * Starts a fake model server on loopback for the calling file or describe block (beforeAll) and
 * closes it (afterAll); before each test it forgets its requests and answers by `defaultScript`
 * again, so a test's script never leaks into the next. Call it before the hooks that start a server
 * on it: after-hooks run in reverse, so those servers close before the fake does.
 */
export function useFakeModel(defaultScript: Script): FakeModel {
  let server: FakeModelServer | undefined;
  const started = (): FakeModelServer => {
    if (!server) throw new Error('the fake model starts in beforeAll: use it in hooks and tests');
    return server;
  };
  beforeAll(async () => {
    server = await startFakeModelServer(defaultScript);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    const fake = started();
    fake.script = defaultScript;
    fake.requests.length = 0;
  });
  return {
    get baseUrl() {
      return started().baseUrl;
    },
    get requests() {
      return started().requests;
    },
    get script() {
      return started().script;
    },
    set script(script: Script) {
      started().script = script;
    },
    configAs(provider) {
      return { modelProvider: provider, ...PROVIDER_SETTINGS[provider], modelBaseUrl: started().baseUrl };
    },
  };
}

import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { invocationDir } from './invocation-dir.ts';
import { KIT_LIMIT_CEILINGS } from './kits/kit-limit-ceilings.ts';
import { PROVIDER_NAMES } from './models/providers.ts';

/** Every setting of the server. Built once, frozen, passed down; nothing else reads the environment. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  dbPoolSize: number;
  dbStatementTimeoutMs: number;
  kitsDir: string;
  syncWaitMs: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  runTimeoutMs: number;
  maxAttempts: number;
  leaseMs: number;
  workerConcurrency: number;
  engineThreads: number;
  maxConversationTurns: number;
  maxConversationChars: number;
  patternBudgetMs: number;
  idempotencyTtlMs: number;
  rateLimitCreate: number;
  rateLimitRead: number;
  maxQueuedRuns: number;
  shutdownGraceMs: number;
  logLevel: string;
  allowPrivateWebhooks: boolean;
  console: boolean;
  webhookConcurrency: number;
  maxWebhookEndpoints: number;
  maxKitBricks: number;
  maxTrackerPhrases: number;
  maxTrackerPatterns: number;
  inputRetentionDays: number;
  attemptRetentionDays: number;
  modelProvider: string;
  model: string;
  modelBaseUrl: string;
  modelApiKey: string;
  modelTimeoutMs: number;
  modelMaxRetries: number;
  modelMaxInputTokens: number;
}

type Kind = 'string' | 'int' | 'bool';

interface Setting {
  key: keyof Config;
  env: string;
  flag: string;
  kind: Kind;
  default: string | number | boolean;
  help: string;
}

/**
 * The root of this install (the repository, or /app in the image). The default store lives here,
 * not in the directory a command happens to run in, so `npm start`, `npm run semarize`,
 * `npx semarize` and bin/semarize.js share one store wherever they are started from.
 */
export const INSTALL_ROOT = resolve(import.meta.dirname, '../../..');
const DEFAULT_KITS_DIR = join(INSTALL_ROOT, 'kits');
export const DEFAULT_DATA_DIR = join(INSTALL_ROOT, '.semarize');

/** The one table of settings: environment variable, flag, default and help text. */
export const SETTINGS: readonly Setting[] = [
  {
    key: 'host',
    env: 'HOST',
    flag: 'host',
    kind: 'string',
    default: '127.0.0.1',
    help: 'Address to listen on',
  },
  { key: 'port', env: 'PORT', flag: 'port', kind: 'int', default: 8787, help: 'Port to listen on' },
  {
    key: 'dataDir',
    env: 'SEMARIZE_DATA_DIR',
    flag: 'data-dir',
    kind: 'string',
    default: DEFAULT_DATA_DIR,
    help: 'Directory of the embedded SQLite store',
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    flag: 'database-url',
    kind: 'string',
    default: '',
    help: 'postgres://… to use PostgreSQL instead of the embedded store',
  },
  {
    key: 'dbPoolSize',
    env: 'SEMARIZE_DB_POOL_SIZE',
    flag: 'db-pool-size',
    kind: 'int',
    default: 10,
    help: 'PostgreSQL connections per process, plus one for wake-ups (LISTEN/NOTIFY)',
  },
  {
    key: 'dbStatementTimeoutMs',
    env: 'SEMARIZE_DB_STATEMENT_TIMEOUT_MS',
    flag: 'db-statement-timeout-ms',
    kind: 'int',
    default: 30_000,
    help: 'PostgreSQL statement_timeout: a slower statement is cancelled and the request answers 503',
  },
  {
    key: 'kitsDir',
    env: 'SEMARIZE_KITS_DIR',
    flag: 'kits-dir',
    kind: 'string',
    default: DEFAULT_KITS_DIR,
    help: 'Starter Kit files applied on first start',
  },
  {
    key: 'syncWaitMs',
    env: 'SEMARIZE_SYNC_WAIT_MS',
    flag: 'sync-wait-ms',
    kind: 'int',
    default: 30_000,
    help: 'How long a sync run request waits before falling back to 202',
  },
  {
    key: 'maxBodyBytes',
    env: 'SEMARIZE_MAX_BODY_BYTES',
    flag: 'max-body-bytes',
    kind: 'int',
    default: 2 * 1024 * 1024,
    help: 'Largest accepted request body',
  },
  {
    key: 'requestTimeoutMs',
    env: 'SEMARIZE_REQUEST_TIMEOUT_MS',
    flag: 'request-timeout-ms',
    kind: 'int',
    default: 30_000,
    help: 'Time a request has to deliver its headers and body, else 408 request_timeout and the connection closes',
  },
  {
    key: 'runTimeoutMs',
    env: 'SEMARIZE_RUN_TIMEOUT_MS',
    flag: 'run-timeout-ms',
    kind: 'int',
    default: 600_000,
    help: 'Per-run deadline from first start (execution_timeout)',
  },
  {
    key: 'maxAttempts',
    env: 'SEMARIZE_MAX_ATTEMPTS',
    flag: 'max-attempts',
    kind: 'int',
    default: 3,
    help: 'Executions of a run whose worker died, before it fails with worker_lost',
  },
  {
    key: 'leaseMs',
    env: 'SEMARIZE_LEASE_MS',
    flag: 'lease-ms',
    kind: 'int',
    default: 30_000,
    help: "How long a worker's claim on a run lasts without a heartbeat",
  },
  {
    key: 'workerConcurrency',
    env: 'SEMARIZE_WORKER_CONCURRENCY',
    flag: 'worker-concurrency',
    kind: 'int',
    default: 32,
    help: 'Runs one process executes at once',
  },
  {
    key: 'engineThreads',
    env: 'SEMARIZE_ENGINE_THREADS',
    flag: 'engine-threads',
    kind: 'int',
    // One core is left to the HTTP thread; each engine thread holds its own copy of a conversation.
    default: Math.max(1, availableParallelism() - 1),
    help: 'Threads that normalise large inputs and run the metric and tracker engines, off the HTTP thread',
  },
  {
    key: 'maxConversationTurns',
    env: 'SEMARIZE_MAX_CONVERSATION_TURNS',
    flag: 'max-conversation-turns',
    kind: 'int',
    default: 20_000,
    help: 'Turns a normalised conversation may have; more is refused with 422 input_too_large',
  },
  {
    key: 'maxConversationChars',
    env: 'SEMARIZE_MAX_CONVERSATION_CHARS',
    flag: 'max-conversation-chars',
    kind: 'int',
    default: 1_000_000,
    help: 'Characters a normalised conversation may have; more is refused with 422 input_too_large',
  },
  {
    key: 'patternBudgetMs',
    env: 'SEMARIZE_PATTERN_BUDGET_MS',
    flag: 'pattern-budget-ms',
    kind: 'int',
    default: 2_000,
    help: "Time all of a run's tracker patterns may take together; patterns past it are skipped (value null)",
  },
  {
    key: 'idempotencyTtlMs',
    env: 'SEMARIZE_IDEMPOTENCY_TTL_MS',
    flag: 'idempotency-ttl-ms',
    kind: 'int',
    default: 24 * 3600 * 1000,
    help: 'How long an Idempotency-Key is remembered',
  },
  {
    key: 'rateLimitCreate',
    env: 'SEMARIZE_RATE_LIMIT_CREATE',
    flag: 'rate-limit-create',
    kind: 'int',
    default: 600,
    help: 'Writes (run creations, Kit and Brick changes, tests) per key per minute (0 = unlimited)',
  },
  {
    key: 'rateLimitRead',
    env: 'SEMARIZE_RATE_LIMIT_READ',
    flag: 'rate-limit-read',
    kind: 'int',
    default: 6_000,
    help: 'Other requests per key per minute (0 = unlimited)',
  },
  {
    key: 'maxQueuedRuns',
    env: 'SEMARIZE_MAX_QUEUED_RUNS',
    flag: 'max-queued-runs',
    kind: 'int',
    default: 10_000,
    help: 'Queued runs per workspace before creation answers 429 queue_full',
  },
  {
    key: 'shutdownGraceMs',
    env: 'SEMARIZE_SHUTDOWN_GRACE_MS',
    flag: 'shutdown-grace-ms',
    kind: 'int',
    default: 10_000,
    help: 'On SIGTERM, how long running runs may finish before they are handed back to the queue',
  },
  {
    key: 'logLevel',
    env: 'SEMARIZE_LOG_LEVEL',
    flag: 'log-level',
    kind: 'string',
    default: 'info',
    help: 'fatal | error | warn | info | debug | trace | silent',
  },
  {
    key: 'allowPrivateWebhooks',
    env: 'SEMARIZE_ALLOW_PRIVATE_WEBHOOKS',
    flag: 'allow-private-webhooks',
    kind: 'bool',
    default: false,
    help: 'Development only: webhooks may target loopback/private addresses and plain http',
  },
  {
    key: 'console',
    env: 'SEMARIZE_CONSOLE',
    flag: 'console',
    kind: 'bool',
    default: true,
    help: 'Serve the web console at /console (0 turns it off)',
  },
  {
    key: 'webhookConcurrency',
    env: 'SEMARIZE_WEBHOOK_CONCURRENCY',
    flag: 'webhook-concurrency',
    kind: 'int',
    default: 32,
    help: 'Webhook deliveries one process sends at once (0: this process sends none)',
  },
  {
    key: 'maxWebhookEndpoints',
    env: 'SEMARIZE_MAX_WEBHOOK_ENDPOINTS',
    flag: 'max-webhook-endpoints',
    kind: 'int',
    default: 20,
    help: 'Webhook endpoints per workspace and mode (live, test) before creation answers 409 limit_reached',
  },
  {
    key: 'maxKitBricks',
    env: 'SEMARIZE_MAX_KIT_BRICKS',
    flag: 'max-kit-bricks',
    kind: 'int',
    default: KIT_LIMIT_CEILINGS.maxKitBricks,
    help: `Bricks a Kit version may have, at most ${KIT_LIMIT_CEILINGS.maxKitBricks}; more is refused with 400 invalid_request`,
  },
  {
    key: 'maxTrackerPhrases',
    env: 'SEMARIZE_MAX_TRACKER_PHRASES',
    flag: 'max-tracker-phrases',
    kind: 'int',
    default: KIT_LIMIT_CEILINGS.maxTrackerPhrases,
    help: `Phrases a tracker Brick may have, at most ${KIT_LIMIT_CEILINGS.maxTrackerPhrases}; more is refused with 400 invalid_request`,
  },
  {
    key: 'maxTrackerPatterns',
    env: 'SEMARIZE_MAX_TRACKER_PATTERNS',
    flag: 'max-tracker-patterns',
    kind: 'int',
    default: KIT_LIMIT_CEILINGS.maxTrackerPatterns,
    help: `Regular expressions a tracker Brick may have, at most ${KIT_LIMIT_CEILINGS.maxTrackerPatterns} (0: none); more is refused with 400 invalid_request`,
  },
  {
    key: 'inputRetentionDays',
    env: 'SEMARIZE_INPUT_RETENTION_DAYS',
    flag: 'input-retention-days',
    kind: 'int',
    default: 0,
    help: 'Days a finished run keeps its input (the conversation); 0 keeps it for ever',
  },
  {
    key: 'attemptRetentionDays',
    env: 'SEMARIZE_WEBHOOK_ATTEMPT_RETENTION_DAYS',
    flag: 'webhook-attempt-retention-days',
    kind: 'int',
    default: 30,
    help: 'Days webhook delivery attempts are kept in the deliveries log; 0 keeps them for ever',
  },
  {
    key: 'modelProvider',
    env: 'SEMARIZE_MODEL_PROVIDER',
    flag: 'model-provider',
    kind: 'string',
    default: '',
    help: 'openai | anthropic | openai-compatible (unset: llm Bricks fail with model_not_configured)',
  },
  {
    key: 'model',
    env: 'SEMARIZE_MODEL',
    flag: 'model',
    kind: 'string',
    default: '',
    help: 'Default model id',
  },
  {
    key: 'modelBaseUrl',
    env: 'SEMARIZE_MODEL_BASE_URL',
    flag: 'model-base-url',
    kind: 'string',
    default: '',
    help: 'Base URL of an OpenAI-compatible server (e.g. http://localhost:11434/v1), or a proxy for openai/anthropic',
  },
  {
    key: 'modelApiKey',
    env: 'SEMARIZE_MODEL_API_KEY',
    flag: 'model-api-key',
    kind: 'string',
    default: '',
    help: 'Model API key (falls back to OPENAI_API_KEY / ANTHROPIC_API_KEY)',
  },
  {
    key: 'modelTimeoutMs',
    env: 'SEMARIZE_MODEL_TIMEOUT_MS',
    flag: 'model-timeout-ms',
    kind: 'int',
    default: 120_000,
    help: 'Longest wait for one model call before it is retried (then model_timeout)',
  },
  {
    key: 'modelMaxRetries',
    env: 'SEMARIZE_MODEL_MAX_RETRIES',
    flag: 'model-max-retries',
    kind: 'int',
    default: 4,
    help: 'Retries of a model call after 429, 5xx, timeouts and connection errors',
  },
  {
    key: 'modelMaxInputTokens',
    env: 'SEMARIZE_MODEL_MAX_INPUT_TOKENS',
    flag: 'model-max-input-tokens',
    kind: 'int',
    default: 100_000,
    help: 'Largest prompt (estimated tokens) sent to a model; longer conversations fail with input_too_large',
  },
];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseValue(setting: Setting, raw: string, origin: string): string | number | boolean {
  if (setting.kind === 'int') {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${origin} must be a whole number, got "${raw}"`);
    return Number(raw.trim());
  }
  if (setting.kind === 'bool') {
    if (/^(1|true|yes|on)$/i.test(raw.trim())) return true;
    if (/^(0|false|no|off|)$/i.test(raw.trim())) return false;
    throw new ConfigError(`${origin} must be 1 or 0, got "${raw}"`);
  }
  return raw;
}

/**
 * Builds the Config from flags (first), then the environment, then defaults.
 * Returns the arguments that are not settings (command words and command options).
 * Relative directories resolve from `cwd`, the directory the user typed the command in.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = invocationDir(env, process.cwd()),
): { config: Readonly<Config>; rest: string[] } {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const s of SETTINGS) options[s.flag] = { type: s.kind === 'bool' ? 'boolean' : 'string' };
  const parsed = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const rest: string[] = [];
  const settingFlags = new Set(SETTINGS.map((s) => s.flag));
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'positional') rest.push(token.value);
    else if (token.kind === 'option' && !settingFlags.has(token.name)) {
      rest.push(token.rawName);
      if (token.value !== undefined && token.inlineValue === false) rest.push(token.value);
      else if (token.value !== undefined) rest[rest.length - 1] = `${token.rawName}=${token.value}`;
    } else if (token.kind === 'option-terminator') rest.push('--');
  }

  const values: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const flagValue = parsed.values[s.flag];
    if (flagValue !== undefined) {
      if (typeof flagValue === 'boolean' && s.kind !== 'bool')
        throw new ConfigError(`--${s.flag} needs a value`);
      values[s.key] =
        typeof flagValue === 'boolean' ? flagValue : parseValue(s, String(flagValue), `--${s.flag}`);
    } else if (env[s.env] !== undefined && env[s.env] !== '') {
      values[s.key] = parseValue(s, env[s.env]!, s.env);
    } else {
      values[s.key] = s.default;
    }
  }
  const config = values as unknown as Config;
  config.dataDir = resolve(cwd, config.dataDir);
  config.kitsDir = resolve(cwd, config.kitsDir);
  if (!config.modelApiKey) {
    config.modelApiKey =
      (config.modelProvider === 'anthropic' ? env['ANTHROPIC_API_KEY'] : env['OPENAI_API_KEY']) ?? '';
  }
  if (config.modelProvider && !(PROVIDER_NAMES as readonly string[]).includes(config.modelProvider)) {
    throw new ConfigError('SEMARIZE_MODEL_PROVIDER must be openai, anthropic or openai-compatible');
  }
  if (config.modelProvider === 'openai-compatible' && !config.modelBaseUrl) {
    throw new ConfigError('SEMARIZE_MODEL_BASE_URL is required for the openai-compatible provider');
  }
  if (config.port > 65_535) throw new ConfigError('PORT must be at most 65535');
  if (config.maxAttempts < 1) throw new ConfigError('SEMARIZE_MAX_ATTEMPTS must be at least 1');
  if (config.workerConcurrency < 1) throw new ConfigError('SEMARIZE_WORKER_CONCURRENCY must be at least 1');
  if (config.engineThreads < 1) throw new ConfigError('SEMARIZE_ENGINE_THREADS must be at least 1');
  if (config.dbPoolSize < 1) throw new ConfigError('SEMARIZE_DB_POOL_SIZE must be at least 1');
  if (config.leaseMs < 1000) throw new ConfigError('SEMARIZE_LEASE_MS must be at least 1000');
  if (config.requestTimeoutMs < 100)
    throw new ConfigError('SEMARIZE_REQUEST_TIMEOUT_MS must be at least 100');
  // The schemas and the OpenAPI document state the ceilings, and the responsiveness of SPEC §9.4 is
  // measured at them: a limit may only lower one.
  for (const [key, least] of [
    ['maxKitBricks', 1],
    ['maxTrackerPhrases', 0],
    ['maxTrackerPatterns', 0],
  ] as const) {
    const most = KIT_LIMIT_CEILINGS[key];
    if (config[key] < least || config[key] > most) {
      const env = SETTINGS.find((s) => s.key === key)!.env;
      throw new ConfigError(
        `${env} must be between ${least} and ${most} (the most the API accepts), got ${config[key]}`,
      );
    }
  }
  return { config: Object.freeze(config), rest };
}

/** The settings part of `--help`. */
export function settingsHelp(): string {
  const rows = SETTINGS.map((s) => {
    const flag = `--${s.flag}${s.kind === 'bool' ? '' : ' VALUE'}`;
    const dflt =
      s.key === 'kitsDir'
        ? 'kits/ of this install'
        : s.key === 'dataDir'
          ? '.semarize/ at the root of this install'
          : s.key === 'engineThreads'
            ? `cores − 1, here ${JSON.stringify(s.default)}`
            : JSON.stringify(s.default);
    return `  ${flag.padEnd(30)} ${s.env.padEnd(34)} ${s.help} (default ${dflt})`;
  });
  return ['Settings (flag, environment variable):', ...rows].join('\n');
}

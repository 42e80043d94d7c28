import { type Config, loadConfig } from '../../src/config.ts';

/**
 * Test settings: quiet logs, an ephemeral port, short leases so recovery is observable quickly,
 * and a small PostgreSQL pool (parallel test files share one server's connection limit).
 */
export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Readonly<Config> {
  const { config } = loadConfig([], {
    SEMARIZE_DATA_DIR: dataDir,
    PORT: '0',
    SEMARIZE_LOG_LEVEL: 'silent',
    SEMARIZE_DB_POOL_SIZE: '4',
  });
  return Object.freeze({ ...config, ...overrides });
}

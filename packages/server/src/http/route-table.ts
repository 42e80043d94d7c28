import type { AnyRoute } from './route.ts';
import { BRICK_ROUTES } from './routes/bricks.ts';
import { HEALTH_ROUTES } from './routes/health.ts';
import { KEY_ROUTES } from './routes/keys.ts';
import { KIT_ROUTES } from './routes/kits.ts';
import { RUN_ROUTES } from './routes/runs.ts';
import { testRunRoute } from './routes/test-run.ts';
import { WEBHOOK_ROUTES } from './routes/webhooks.ts';

/** Every API operation, in the order the reference shows them. */
export const ROUTES: readonly AnyRoute[] = [
  ...RUN_ROUTES,
  testRunRoute,
  ...KIT_ROUTES,
  ...BRICK_ROUTES,
  ...WEBHOOK_ROUTES,
  ...KEY_ROUTES,
  ...HEALTH_ROUTES,
];

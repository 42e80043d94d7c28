import type { Store } from '../store.ts';
import { createRun, findIdempotencyKey } from './create-run.ts';
import { PostgresDatabase, type PostgresOptions } from './database.ts';
import * as exec from './execute-runs.ts';
import * as kits from './kits.ts';
import * as read from './read-runs.ts';
import { purgeExpired } from './retention.ts';
import * as webhooks from './webhooks.ts';
import * as keys from './workspaces-and-keys.ts';

/**
 * The scale-out store: PostgreSQL through a node-postgres pool, shared by any number of `serve`
 * and `work` processes. Migrations are applied before the first statement.
 */
export function openPostgresStore(options: PostgresOptions): Store {
  const db = new PostgresDatabase(options);
  return {
    dialect: 'postgres',
    ping: async () => {
      await db.get('SELECT 1 AS ok');
    },
    close: () => db.close(),

    countWorkspaces: () => keys.countWorkspaces(db),
    insertWorkspace: (w) => keys.insertWorkspace(db, w),
    findWorkspaceByName: (name) => keys.findWorkspaceByName(db, name),
    insertApiKey: (k) => keys.insertApiKey(db, k),
    findApiKeyByHash: (h) => keys.findApiKeyByHash(db, h),
    listApiKeys: (w) => keys.listApiKeys(db, w),
    revokeApiKey: (id, at) => keys.revokeApiKey(db, id, at),
    recordKeyUses: (uses) => keys.recordKeyUses(db, uses),
    revokeWorkspaceApiKey: (w, id, at) => keys.revokeWorkspaceApiKey(db, w, id, at),
    insertConsoleSession: (s) => keys.insertConsoleSession(db, s),
    findConsoleSession: (h) => keys.findConsoleSession(db, h),
    deleteConsoleSession: (h) => keys.deleteConsoleSession(db, h),

    insertBrickVersion: (b) => kits.insertBrickVersion(db, b),
    latestBrickVersion: (w, k) => kits.latestBrickVersion(db, w, k),
    insertKit: (k) => kits.insertKit(db, k),
    findKitByCode: (w, c) => kits.findKitByCode(db, w, c),
    findKitByName: (w, n) => kits.findKitByName(db, w, n),
    kitCodeExists: (w, c) => kits.kitCodeExists(db, w, c),
    insertKitVersion: (v) => kits.insertKitVersion(db, v),
    publishKitVersion: (id, at) => kits.publishKitVersion(db, id, at),
    latestKitVersion: (id) => kits.latestKitVersion(db, id),
    latestPublishedKitVersion: (id) => kits.latestPublishedKitVersion(db, id),
    publishedKitVersionId: (w, c) => kits.publishedKitVersionId(db, w, c),
    findKitVersion: (w, id) => kits.findKitVersion(db, w, id),
    getKitVersion: (id) => kits.getKitVersion(db, id),
    insertBrickVersionIfNew: (b) => kits.insertBrickVersionIfNew(db, b),
    findBrickVersion: (w, k, v) => kits.findBrickVersion(db, w, k, v),
    listBrickVersions: (w, k) => kits.listBrickVersions(db, w, k),
    listLatestBrickVersions: (w) => kits.listLatestBrickVersions(db, w),
    listKits: (w) => kits.listKits(db, w),
    insertKitWithFirstVersion: (k, v) => kits.insertKitWithFirstVersion(db, k, v),
    insertKitVersionIfNew: (v) => kits.insertKitVersionIfNew(db, v),
    listKitVersions: (id) => kits.listKitVersions(db, id),

    insertWebhookEndpoint: (e, max) => webhooks.insertWebhookEndpoint(db, e, max),
    listWebhookEndpoints: (w) => webhooks.listWebhookEndpoints(db, w),
    getWebhookEndpoint: (w, id) => webhooks.getWebhookEndpoint(db, w, id),
    updateWebhookEndpoint: (w, id, patch, now) => webhooks.updateWebhookEndpoint(db, w, id, patch, now),
    rotateWebhookSecret: (w, id, secret, until, now) =>
      webhooks.rotateWebhookSecret(db, w, id, secret, until, now),
    deleteWebhookEndpoint: (w, id, now) => webhooks.deleteWebhookEndpoint(db, w, id, now),
    insertPingDelivery: (p) => webhooks.insertPingDelivery(db, p),
    claimDueDeliveries: (p) => webhooks.claimDueDeliveries(db, p),
    recordDeliveryAttempt: (r, now) => webhooks.recordDeliveryAttempt(db, r, now),
    listDeliveries: (p) => webhooks.listDeliveries(db, p),
    listDeliveryAttempts: (ids) => webhooks.listDeliveryAttempts(db, ids),
    getDelivery: (w, id) => webhooks.getDelivery(db, w, id),
    redeliver: (w, id, now) => webhooks.redeliver(db, w, id, now),

    purgeExpired: (p) => purgeExpired(db, p),

    createRun: (run, idem, now, max) => createRun(db, run, idem, now, max),
    findIdempotencyKey: (w, m, k, now) => findIdempotencyKey(db, w, m, k, now),
    getRun: (w, id) => read.getRun(db, w, id),
    getPreparedInput: (w, id) => read.getPreparedInput(db, w, id),
    findReusableRun: (w, key) => read.findReusableRun(db, w, key),
    getRunInput: (w, id) => read.getRunInput(db, w, id),
    listRuns: (q) => read.listRuns(db, q),
    cancelRun: (w, id, now, eventId) => exec.cancelRun(db, w, id, now, eventId),
    countQueuedRuns: (w) => read.countQueuedRuns(db, w),
    queueStats: () => read.queueStats(db),

    claimRuns: (p) => exec.claimRuns(db, p),
    renewLeases: (p) => exec.renewLeases(db, p),
    finishRun: (p) => exec.finishRun(db, p),
    recordCancelledUsage: (p) => exec.recordCancelledUsage(db, p),
    releaseRun: (p) => exec.releaseRun(db, p),
    recoverExpiredLeases: (p) => exec.recoverExpiredLeases(db, p),

    listRunEvents: (runId) => read.listRunEvents(db, runId),
  };
}

/** DATABASE_URL names PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

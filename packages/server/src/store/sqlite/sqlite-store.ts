import { join } from 'node:path';
import type { Store } from '../store.ts';
import { createRun, findIdempotencyKey } from './create-run.ts';
import { SqliteDatabase } from './database.ts';
import * as exec from './execute-runs.ts';
import * as kits from './kits.ts';
import * as read from './read-runs.ts';
import { purgeExpired } from './retention.ts';
import * as webhooks from './webhooks.ts';
import * as keys from './workspaces-and-keys.ts';

/**
 * The embedded store: one SQLite file in WAL mode. Methods are synchronous underneath; they are
 * async only to share the Store interface with PostgreSQL.
 */
export function openSqliteStore(path: string): Store {
  const db = new SqliteDatabase(path);
  return {
    dialect: 'sqlite',
    ping: async () => {
      db.get('SELECT 1 AS ok');
    },
    close: async () => db.close(),

    countWorkspaces: async () => keys.countWorkspaces(db),
    insertWorkspace: async (w) => keys.insertWorkspace(db, w),
    findWorkspaceByName: async (name) => keys.findWorkspaceByName(db, name),
    insertApiKey: async (k) => keys.insertApiKey(db, k),
    findApiKeyByHash: async (h) => keys.findApiKeyByHash(db, h),
    listApiKeys: async (w) => keys.listApiKeys(db, w),
    revokeApiKey: async (id, at) => keys.revokeApiKey(db, id, at),

    insertBrickVersion: async (b) => kits.insertBrickVersion(db, b),
    latestBrickVersion: async (w, k) => kits.latestBrickVersion(db, w, k),
    insertKit: async (k) => kits.insertKit(db, k),
    findKitByCode: async (w, c) => kits.findKitByCode(db, w, c),
    findKitByName: async (w, n) => kits.findKitByName(db, w, n),
    kitCodeExists: async (c) => kits.kitCodeExists(db, c),
    insertKitVersion: async (v) => kits.insertKitVersion(db, v),
    publishKitVersion: async (id, at) => kits.publishKitVersion(db, id, at),
    latestKitVersion: async (id) => kits.latestKitVersion(db, id),
    latestPublishedKitVersion: async (id) => kits.latestPublishedKitVersion(db, id),
    publishedKitVersionId: async (w, c) => kits.publishedKitVersionId(db, w, c),
    findKitVersion: async (w, id) => kits.findKitVersion(db, w, id),
    getKitVersion: async (id) => kits.getKitVersion(db, id),
    insertBrickVersionIfNew: async (b) => kits.insertBrickVersionIfNew(db, b),
    findBrickVersion: async (w, k, v) => kits.findBrickVersion(db, w, k, v),
    listBrickVersions: async (w, k) => kits.listBrickVersions(db, w, k),
    listLatestBrickVersions: async (w) => kits.listLatestBrickVersions(db, w),
    listKits: async (w) => kits.listKits(db, w),
    insertKitWithFirstVersion: async (k, v) => kits.insertKitWithFirstVersion(db, k, v),
    insertKitVersionIfNew: async (v) => kits.insertKitVersionIfNew(db, v),
    listKitVersions: async (id) => kits.listKitVersions(db, id),

    insertWebhookEndpoint: async (e) => webhooks.insertWebhookEndpoint(db, e),
    listWebhookEndpoints: async (w) => webhooks.listWebhookEndpoints(db, w),
    getWebhookEndpoint: async (w, id) => webhooks.getWebhookEndpoint(db, w, id),
    updateWebhookEndpoint: async (w, id, patch, now) => webhooks.updateWebhookEndpoint(db, w, id, patch, now),
    rotateWebhookSecret: async (w, id, secret, until, now) =>
      webhooks.rotateWebhookSecret(db, w, id, secret, until, now),
    deleteWebhookEndpoint: async (w, id, now) => webhooks.deleteWebhookEndpoint(db, w, id, now),
    insertPingDelivery: async (p) => webhooks.insertPingDelivery(db, p),
    claimDueDeliveries: async (p) => webhooks.claimDueDeliveries(db, p),
    recordDeliveryAttempt: async (r, now) => webhooks.recordDeliveryAttempt(db, r, now),
    listDeliveries: async (p) => webhooks.listDeliveries(db, p),
    listDeliveryAttempts: async (ids) => webhooks.listDeliveryAttempts(db, ids),
    getDelivery: async (w, id) => webhooks.getDelivery(db, w, id),
    redeliver: async (w, id, now) => webhooks.redeliver(db, w, id, now),

    purgeExpired: async (p) => purgeExpired(db, p),

    createRun: async (run, idem, now) => createRun(db, run, idem, now),
    findIdempotencyKey: async (w, k, now) => findIdempotencyKey(db, w, k, now),
    getRun: async (w, id) => read.getRun(db, w, id),
    listRuns: async (q) => read.listRuns(db, q),
    cancelRun: async (w, id, now, eventId) => exec.cancelRun(db, w, id, now, eventId),
    countQueuedRuns: async (w, cap) => read.countQueuedRuns(db, w, cap),
    queueStats: async () => read.queueStats(db),

    claimRuns: async (p) => exec.claimRuns(db, p),
    renewLeases: async (p) => exec.renewLeases(db, p),
    finishRun: async (p) => exec.finishRun(db, p),
    releaseRun: async (p) => exec.releaseRun(db, p),
    recoverExpiredLeases: async (p) => exec.recoverExpiredLeases(db, p),

    listRunEvents: async (runId) => read.listRunEvents(db, runId),
  };
}

/** The embedded store's file inside a data directory. */
export function sqlitePathIn(dataDir: string): string {
  return join(dataDir, 'semarize.db');
}
